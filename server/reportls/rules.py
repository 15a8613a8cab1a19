"""Every diagnostic code, explained: the one table ``reportls rule CODE`` and the README's
diagnostics list are both made from.

Owns ``RULES`` (code -> ``Rule``: default severity, when it is given, why it matters for the grade,
an example and its fix), ``explain`` (the text of ``reportls rule CODE``), ``rule_list`` and
``markdown_table`` (the README's table, between the ``<!-- rules:start -->`` and
``<!-- rules:end -->`` markers; ``python -m reportls.rules --write README.md`` rewrites that
section).  Plain data; the default severities themselves live in ``findings.DEFAULT_SEVERITY``
(a test holds the two equal), but for codes announced before their check exists.
"""

from __future__ import annotations

from reportls.text.records import record

from reportls.findings import DEFAULT_SEVERITY


@record(frozen=True)
class Rule:
    code: str
    severity: str
    when: str  # the README's "when" column (markdown)
    why: str  # why it matters for the grade
    example: str  # a line of a report that gets it
    fix: str  # what to write instead, or what to do


def _r(code: str, when: str, why: str, example: str, fix: str, severity: str | None = None) -> Rule:
    return Rule(code, severity or DEFAULT_SEVERITY[code], when, why, example, fix)


_COUNT = "report.py check fails the question, and the graders hold the report to the template's bounds."

RULES_LIST = [
    _r("word-count", "an answer's word count (as report.py counts it) is outside the bounds", _COUNT,
       "Question 7 answered in 43 words where 50-100 are asked.",
       "Write within the bounds; the count after `Answer:` is report.py's own (fences and `<!-- -->` count)."),
    _r("image-count", "an answer's image count is outside the bounds", _COUNT,
       "Question 19 (1-2 images) answered without `![...](...)`.",
       "Add (or remove) `![caption](figures/name.png)` links in the answer."),
    _r("answer-count", "report.py check will crash (expected N answers, found M): on the question whose "
       "`Answer:` is missing or extra",
       "report.py check stops with a ValueError: no question is checked at all.",
       "A deleted `Answer:` line under `### Question 12`.",
       "Put back exactly one `Answer:` line per question, as in the template."),
    _r("answer-truncated", "a `##`/`###` inside an answer (a heading, a code comment, `C##`): report.py stops "
       "counting there",
       "The words after the cut are not counted, so the answer may fail report.py's word count.",
       "`## Setup` inside the answer to Question 4.",
       "Use `**Setup**` or `####`-free text; in code, write the comment without `##`."),
    _r("answer-marker", "a second `Answer:` in one question: only the text after the last one counts",
       "Everything before the last `Answer:` is lost to report.py's count.",
       "`Answer:` written again halfway through an answer.",
       "Keep one `Answer:` per question; reword the second one."),
    _r("not-counted", "the text report.py drops (after such a cut, before a second `Answer:`), faded by the "
       "editor",
       "Those words do not count towards the question's bounds.",
       "The paragraphs after `## Results` inside an answer.",
       "Remove the cut (`##`, the extra `Answer:`) so the text counts again."),
    _r("placeholder", "`--- question N fill here ---` is still in the answer (its words count)",
       "The placeholder's words count towards report.py's total and the grader reads it.",
       "`--- question 7 fill here ---` above the answer.",
       "Delete the placeholder line."),
    _r("heading", "question headings missing, duplicated, out of order, with extra text, or with the wrong "
       "number of `#`",
       "report.py and the graders find questions by their `### Question N` headings.",
       "`#### Question 12` or two `### Question 12` headings.",
       "Keep the template's `### Question N` headings as they are, once each, in order."),
    _r("missing-figure", "the linked image does not exist where it is written (also a link written from the "
       "repository root, `reports/figures/x.png`), or there is no `figures/` folder",
       "A broken image on GitHub and in the hand-in: the grader sees no figure.",
       "`![bucket](reports/figures/bucket.png)` in reports/README.md.",
       "Link from the report's folder: `![bucket](figures/bucket.png)` (`reportls check --fix` does this "
       "when there is one right name)."),
    _r("figure-case", "the file exists only with other letter case (works on Windows/macOS, breaks on Linux "
       "and in the hand-in)",
       "The image shows on your laptop but is broken on GitHub and in the graded page.",
       "`![w](figures/WandB.png)` for the file `figures/wandb.png`.",
       "Use the real name, `figures/wandb.png` (`reportls check --fix`)."),
    _r("figure-extension", "the image is not `.png`, `.jpg` or `.jpeg`",
       "The template asks for PNG or JPEG; other formats may not show in the hand-in.",
       "`![diagram](figures/overview.svg)`.",
       "Export the figure as `.png` and link that."),
    _r("figure-location", "the image resolves but lies outside the report's folder (or is a URL); "
       "information when it is in another folder under `reports/` (scraped with the report, but the "
       "template asks for `figures/`)",
       "Only `reports/` is handed in: an image elsewhere is missing from the graded page.",
       "`![arch](../docs/architecture.png)`.",
       "Move the file into `reports/figures/` and link `figures/architecture.png` (an editor quick fix does both)."),
    _r("figure-syntax", "an image destination with an unencoded space (`![x](figures/cloud bill.png)`): GitHub "
       "shows the text, the hand-in the image; fix: `<figures/cloud bill.png>`",
       "What you preview on GitHub is not what is graded.",
       "`![bill](figures/cloud bill.png)`.",
       "`![bill](<figures/cloud bill.png>)`, or rename the file without spaces."),
    _r("image-size", "an image wider than 1920 px: the hand-in has no stylesheet and shows it at its natural "
       "width (hover shows pixel and file size)",
       "The grader has to scroll sideways through a huge screenshot.",
       "A 3840 px wide screenshot.",
       "Crop or scale the screenshot to at most 1920 px wide."),
    _r("link-outside-reports", "a relative link (`../src/train.py`) that leaves `reports/`: fine on GitHub, "
       "broken in the hand-in; fix: the `https://github.com/OWNER/REPO/blob/BRANCH/path` URL from `origin`",
       "The grader's page has only `reports/`: the link leads nowhere.",
       "`[train script](../src/train.py)`.",
       "`[train script](https://github.com/OWNER/REPO/blob/main/src/train.py)`."),
    _r("link-missing", "a relative link to nothing (with \"did you mean\" where a close name exists)",
       "A dead link in the report the grader reads.",
       "`[config](configs/trian.yaml)`.",
       "Fix the path (the message names close existing files)."),
    _r("link-own-repo", "a link to your own GitHub repository naming a path that is not in that (known) "
       "branch or tag",
       "The grader clicks it and gets GitHub's 404 page.",
       "`https://github.com/OWNER/REPO/blob/main/src/old_name.py`.",
       "Link a path that exists on that branch (and push it)."),
    _r("link-private", "`console.cloud.google.com`, `storage.cloud.google.com`, `localhost`, `127.0.0.1`, "
       "`0.0.0.0`: only your group can open it",
       "The grader cannot open it; a screenshot shows what it shows.",
       "`http://localhost:8000/docs`.",
       "Add a screenshot, or link a public page."),
    _r("study-number", "Question 2 lists a 6-digit number without its `s`, or the contributions question "
       "names a study number Question 2 does not list",
       "The graders match study numbers to the group; a wrong one credits no one.",
       "`123456` in Question 2.",
       "`s123456`, the same numbers everywhere."),
    _r("reportpy-encoding", "on a computer whose locale is not UTF-8 (Windows): the character that makes "
       "`python report.py check` crash or miscount there (run `python -X utf8 report.py check`)",
       "report.py's verdict on your machine differs from the one on a UTF-8 machine.",
       "An emoji or a `→` in an answer, checked on Windows.",
       "Run `python -X utf8 report.py check` (or replace the character)."),
    _r("figure-untracked", "the linked figure is on disk but not in git's index (or only staged): the hand-in "
       "scrape will not have it (`git add reports/figures/x.png`)",
       "The scrape takes the default branch on GitHub: the figure will be missing.",
       "A new screenshot never `git add`ed.",
       "`git add reports/figures/x.png`, commit and push."),
    _r("figure-ignored", "the linked figure is ignored by a `.gitignore` rule (file, line and pattern named); "
       "information on the title when a rule would ignore your *next* screenshot; quick fix: an edit of the "
       "ignore file, verified with `git check-ignore`",
       "An ignored figure is never committed, so it is missing from the hand-in.",
       "`*.png` in `.gitignore` and `![x](figures/x.png)`.",
       "Add `!/reports/figures/**` after the rule (the editor's quick fix writes it), then `git add` the figure."),
    _r("figure-unpushed", "the figure is committed but not on the remote default branch as of your last fetch",
       "The scrape reads GitHub's default branch, not your laptop.",
       "A figure committed on a branch that is not merged, or not pushed.",
       "Push (and merge into the default branch)."),
    _r("report-location", "the report checked is not `<repository root>/reports/README.md`, the only file the "
       "scrape reads",
       "A report anywhere else is not handed in at all.",
       "The report kept in `docs/report.md`.",
       "Keep the report at `reports/README.md` in the repository root."),
    _r("image-not-counted", "an `<img>` tag or a `![x][ref]` image that report.py does not count",
       "report.py's image count, and so its verdict, leaves it out.",
       "`<img src=\"figures/a.png\" width=\"500\">`.",
       "`![caption](figures/a.png)`."),
    _r("image-in-code", "image syntax in a code block or comment: report.py counts it, nobody sees it",
       "The count passes on an image the grader never sees.",
       "`<!-- ![old](figures/old.png) -->`.",
       "Remove it, or show the image for real."),
    _r("constraints-source", "report.py is there but could not be understood (or its counting was changed): "
       "the built-in table is used",
       "The bounds shown may differ from the ones your report.py checks.",
       "A report.py whose constraint table was rewritten.",
       "Set `constraints:` in `.reportls.yaml`, or restore the course's report.py."),
    _r("secret", "a credential pasted into the report (W&B key, private key, AWS, GitHub, Hugging Face, "
       "OpenAI-style keys)",
       "The report is public on GitHub and handed in: anyone can use the key.",
       "`WANDB_API_KEY=0123...` in an answer.",
       "Revoke the key at its provider, then remove it from the report (and from git history)."),
    _r("handin-code", "a fenced code block: in the hand-in it becomes inline code, its lines run together",
       "The graded page shows your code as one garbled line.",
       "```` ```bash ```` ... ```` ``` ```` in an answer.",
       "Indent the code by 4 spaces after a blank line (`--fix --handin`; fences are words to report.py, "
       "so the count changes, as the fix says)."),
    _r("handin-list", "a list right after a paragraph or `>` line (merged into it), a change of list marker, "
       "a `1)` list",
       "The graded page shows the list as one run-on paragraph.",
       "`We used:` directly followed by `- Cloud Build`.",
       "A blank line before the list (`--fix --handin`)."),
    _r("handin-nested-list", "nested items indented by fewer than 4 spaces: flattened in the hand-in",
       "The list's structure is lost in the graded page.",
       "`  - sub item` under `- item`.",
       "Indent nested items by 4 spaces per level (`--fix --handin`)."),
    _r("handin-table", "a pipe table: raw pipes in the hand-in",
       "The graded page shows the table as lines of `|`.",
       "`| model | accuracy |`.",
       "The same table as an HTML `<table>` (`--fix --handin`)."),
    _r("handin-quote", "an answer that the hand-in shows inside the question's quote and GitHub does not: "
       "after an empty `>` line, or a list glued to `> Answer:`; two quotes with only a blank line between "
       "(merged)",
       "The answer looks like part of the question in the graded page.",
       "An answer directly under an empty `>` line.",
       "A blank line after the quote (`--fix --handin`)."),
    _r("handin-tag", "`<text>` that Python-Markdown takes for an HTML tag or mail link: it vanishes or changes",
       "Words vanish from the graded page.",
       "`<dockerfiles/backend.dockerfile>`.",
       "`&lt;dockerfiles/backend.dockerfile>` (`--fix --handin`)."),
    _r("handin-escape", "a trailing `\\`, `\\%`/`\\$`, `$math$`, an ordered list not starting at 1, a setext "
       "heading (text over a `---`/`===` line: a heading on GitHub, a paragraph and a rule in the hand-in)",
       "The graded page shows backslashes, raw math or other numbers than you wrote.",
       "`accuracy of 95\\%`.",
       "`accuracy of 95%`."),
    _r("handin-url", "a bare URL: plain text in the hand-in",
       "The grader cannot click it.",
       "`see https://wandb.ai/group/project`.",
       "`<https://wandb.ai/group/project>` (`--fix --handin`)."),
    _r("answer-in-quote", "an answer glued to `> Answer:` (no blank line): it sits inside the question's quote "
       "on GitHub and in the hand-in alike (so not a `handin-*` difference)",
       "The answer reads as part of the question.",
       "`> Answer:` with the answer on the next line, no blank line between.",
       "A blank line after `> Answer:` (`--fix --handin`)."),
    # announced codes (the checklist); their checks arrive separately
    _r("checklist-unbacked", "a ticked checklist item that nothing in the repository backs (no file, "
       "workflow or config for it)",
       "The graders check the checklist against the repository.",
       "`* [x] Use DVC` with no `.dvc` folder or `*.dvc` file.",
       "Untick it, or commit what it names.", severity="information"),
    _r("checklist-unticked", "an unticked checklist item that the repository seems to have done",
       "A done item left unticked is credit you do not claim.",
       "`* [ ] Write unit tests` with a `tests/` folder full of tests.",
       "Tick it: `* [x] Write unit tests`.", severity="hint"),
]
RULES: dict[str, Rule] = {r.code: r for r in RULES_LIST}

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def markdown_table() -> str:
    """The README's diagnostics table (without the markers)."""
    rows = ["| code | default | when |", "| --- | --- | --- |"]
    rows += [f"| `{r.code}` | {r.severity} | {r.when} |" for r in RULES_LIST]
    return "\n".join(rows) + "\n"


def readme_section(text: str) -> str | None:
    """What stands between the markers in ``text`` (None: no markers)."""
    i, j = text.find(START), text.find(END)
    if i < 0 or j < i:
        return None
    return text[i + len(START):j].strip("\n") + "\n"


def with_table(text: str) -> str:
    """``text`` with the section between the markers replaced by ``markdown_table()``."""
    i, j = text.index(START), text.index(END)
    return text[: i + len(START)] + "\n" + markdown_table() + text[j:]


def explain(code: str) -> str:
    """``reportls rule CODE``."""
    r = RULES[code]
    return (f"{r.code} [{r.severity}]\n\n"
            f"When: {r.when}\n\n"
            f"Why it matters: {r.why}\n\n"
            f"Example: {r.example}\n"
            f"Fix: {r.fix}\n\n"
            f"Change its severity in .reportls.yaml: `severity: {{{r.code}: information}}` "
            f"(error, warning, information, hint or off).\n")


def rule_list() -> str:
    """``reportls rule`` without a code: every code and its default severity."""
    width = max(len(c) for c in RULES)
    return "".join(f"{r.code:<{width}}  {r.severity}\n" for r in RULES_LIST) + \
        "\n`reportls rule CODE` explains one.\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m reportls.rules [--write README.md]``: print the table, or rewrite that file's section."""
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--write"] and len(args) == 2:
        path = Path(args[1])
        path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
