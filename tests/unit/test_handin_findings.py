"""handin-* findings: each construct of the README's "What the grader sees", proven by rendering both sides, nothing on
answers that render the same, per-answer caching, and the five seeds."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from reportls.findings import DEFAULT_SEVERITY
from reportls.handin.chunks import cut_chunks
from reportls.handin.findings import answer_text, cache_stats, clear_caches, handin_findings
from reportls.handin.render import (
    compare,
    difference,
    normalise,
    plain_prose,
    render_github,
    render_handin,
)
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec
from reportls.report.parse import Parser, parse_report
from tests.reportgen import make_report

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEEDS = SHARED / "seeds"
TEMPLATES = sorted((SHARED / "templates").glob("*.md"))
SHARED_DOCS = sorted(SEEDS.glob("*.md")) + TEMPLATES
needs_shared = pytest.mark.skipif(not SHARED_DOCS, reason="no /work/shared seeds or templates")


def report_with(answer: str, *, glued: str | None = None, number: int = 5, newline: str = "\n") -> str:
    """A full 31-question report whose question ``number`` answers ``answer``; ``glued`` = "line"
    drops the blank line after ``> Answer:``, "inline" puts the answer on that line."""
    text = make_report({number: answer})
    if glued == "line":
        text = text.replace("> Answer:\n\n" + answer, "> Answer:\n" + answer)
    elif glued == "inline":
        text = text.replace("> Answer:\n\n" + answer, "> Answer: " + answer)
    return text.replace("\n", newline) if newline != "\n" else text


def found(text: str, spec: HtmlSpec = DEFAULT_SPEC):
    report = parse_report(text)
    return report, handin_findings(report, spec)


def summary(text: str, findings) -> list[tuple[str, str, str]]:
    return [(f.code, f.payload.kind, text[f.span.start : f.span.end]) for f in findings]


def rendered(text: str, number: int = 5) -> str:
    report = parse_report(text)
    return answer_text(text, report.question(number)).rendered


# (answer, glued, expected findings, in the hand-in's HTML, in GitHub's HTML): the last two prove the
# claim by rendering the answer (after its "> Answer:" line) with Python-Markdown and markdown-it.
CASES = {
    "fence": ("We ran:\n```bash\nls -la\ncd x\n```\nand it worked.", None,
              [("handin-code", "fence", "```bash\nls -la\ncd x\n```")],
              "<p>We ran:\n<code>bash\nls -la\ncd x</code>\nand it worked.</p>",
              '<p>We ran:</p>\n<pre><code class="language-bash">ls -la\ncd x\n</code></pre>'),
    "fence in a list item": ("Steps:\n\n1. Build it:\n   ```bash\n   docker build .\n   ```\n2. Run it.", None,
                             [("handin-code", "fence", "```bash\n   docker build .\n   ```")],
                             "<li>Build it:\n   <code>bash\n   docker build .</code></li>",
                             '<li>Build it:<pre><code class="language-bash">docker build .\n</code></pre>'),
    "list after a paragraph": ("We used:\n- uv\n- ruff", None,
                               [("handin-list", "list-after-paragraph", "- uv\n- ruff")],
                               "<p>We used:\n- uv\n- ruff</p>", "<p>We used:</p>\n<ul>\n<li>uv</li>"),
    "list after a quote line": ("Intro.\n\n> a quote\n- item", None,
                                [("handin-list", "list-after-quote", "- item")],
                                "<blockquote>\n<p>a quote\n- item</p>\n</blockquote>",
                                "<blockquote>\n<p>a quote</p>\n</blockquote>\n<ul>\n<li>item</li>"),
    "marker change": ("- uv\n- ruff\n* mypy", None, [("handin-list", "marker-change", "* mypy")],
                      "<ul>\n<li>uv</li>\n<li>ruff</li>\n<li>mypy</li>\n</ul>",
                      "<li>ruff</li>\n</ul>\n<ul>\n<li>mypy</li>"),
    "numbers then bullets": ("1. first\n2. second\n- extra", None, [("handin-list", "marker-change", "- extra")],
                             "<ol>\n<li>first</li>\n<li>second</li>\n<li>extra</li>\n</ol>",
                             "</ol>\n<ul>\n<li>extra</li>"),
    "1) list": ("1) clone\n2) install", None, [("handin-list", "paren-list", "1) clone\n2) install")],
                "<p>1) clone\n2) install</p>", "<ol>\n<li>clone</li>\n<li>install</li>\n</ol>"),
    "nested items at 2 spaces": ("- data\n  - dvc\n  - gcs\n- code", None,
                                 [("handin-nested-list", "nested-items", "  - dvc\n  - gcs")],
                                 "<ul>\n<li>data</li>\n<li>dvc</li>\n<li>gcs</li>\n<li>code</li>\n</ul>",
                                 "<li>data\n<ul>\n<li>dvc</li>"),
    "nested under a number at 3 spaces": ("1. data\n   - dvc\n2. code", None,
                                          [("handin-nested-list", "nested-items", "   - dvc")],
                                          "<ol>\n<li>data</li>\n<li>dvc</li>\n<li>code</li>\n</ol>",
                                          "<li>data\n<ul>\n<li>dvc</li>"),
    "item content at 2 spaces": ("- data\n\n  kept in a bucket\n- code", None,
                                 [("handin-nested-list", "item-content", "  kept in a bucket"),
                                  # indented alone, "- code" would still run into that paragraph
                                  ("handin-list", "item-after-paragraph", "- code")],
                                 "</ul>\n<p>kept in a bucket\n- code</p>", "<p>data</p>\n<p>kept in a bucket</p>"),
    "pipe table": ("| tool | use |\n|---|---|\n| uv | deps |", None,
                   [("handin-table", "table", "| tool | use |\n|---|---|\n| uv | deps |")],
                   "<p>| tool | use |\n|---|---|\n| uv | deps |</p>", "<table>\n<thead>\n<tr>\n<th>tool</th>"),
    "two quotes": ("Intro.\n\n> first quote\n\n> second quote", None,
                   [("handin-quote", "quote-merge", "> second quote")],
                   "<blockquote>\n<p>first quote</p>\n<p>second quote</p>\n</blockquote>",
                   "<p>first quote</p>\n</blockquote>\n<blockquote>\n<p>second quote</p>"),
    "a quote right after the prompt": ("> quoted answer\n\nmore", None,
                                       [("handin-quote", "quote-merge", "> quoted answer")],
                                       "<p>Answer:</p>\n<p>quoted answer</p>\n</blockquote>",
                                       "<p>Answer:</p>\n</blockquote>\n<blockquote>\n<p>quoted answer</p>"),
    "glued list": ("- uv\n- ruff", "line", [("handin-quote", "glued", "- uv\n- ruff")],
                   "<p>Answer:\n- uv\n- ruff</p>\n</blockquote>",
                   "<p>Answer:</p>\n</blockquote>\n<ul>\n<li>uv</li>"),
    "tag": ("Log in to <learn.inside.dtu.dk> first.", None, [("handin-tag", "tag", "<learn.inside.dtu.dk>")],
            "<p>Log in to <learn.inside.dtu.dk> first.</p>", "<p>Log in to &lt;learn.inside.dtu.dk&gt; first.</p>"),
    "mail link": ("Clone <git@github.com:org/repo.git> then.", None,
                  [("handin-tag", "mail", "<git@github.com:org/repo.git>")],
                  '<p>Clone <a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;',
                  '<p>Clone &lt;<a href="mailto:git@github.com">git@github.com</a>:org/repo.git&gt; then.</p>'),
    "bare URL": ("See https://github.com/org/repo.", None, [("handin-url", "url", "https://github.com/org/repo")],
                 "<p>See https://github.com/org/repo.</p>",
                 '<p>See <a href="https://github.com/org/repo">https://github.com/org/repo</a>.</p>'),
    "bare www": ("See www.example.com, it helps.", None, [("handin-url", "www", "www.example.com")],
                 "<p>See www.example.com, it helps.</p>", '<a href="http://www.example.com">www.example.com</a>,'),
    "bare e-mail": ("Mail s123456@dtu.dk today.", None, [("handin-url", "email", "s123456@dtu.dk")],
                    "<p>Mail s123456@dtu.dk today.</p>", '<a href="mailto:s123456@dtu.dk">s123456@dtu.dk</a>'),
    "line ending in a backslash": ("first line\\\nsecond line", None, [("handin-escape", "line-break", "\\")],
                                   "<p>first line\\\nsecond line</p>", "<p>first line<br />\nsecond line</p>"),
    "backslash percent": ("We reached 95\\% accuracy.", None, [("handin-escape", "backslash", "\\%")],
                          "<p>We reached 95\\% accuracy.</p>", "<p>We reached 95% accuracy.</p>"),
    "math": ("The loss $L_2$ fell.", None, [("handin-escape", "math", "$L_2$")],
             "<p>The loss $L_2$ fell.</p>", '<p>The loss <span class="math inline">L_2</span> fell.</p>'),
    "list not starting at 1": ("Then:\n\n3. deploy\n4. monitor", None, [("handin-escape", "list-start", "3. deploy")],
                               "<p>Then:</p>\n<ol>\n<li>deploy</li>", '<p>Then:</p>\n<ol start="3">\n<li>deploy</li>'),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_construct_is_found_and_proven(name):
    answer, glued, expected, in_handin, in_github = CASES[name]
    text = report_with(answer, glued=glued)
    page = rendered(text)
    handin, github = render_handin(page), render_github(page)
    assert in_handin in handin and in_handin not in github
    assert in_github in github and in_github not in handin
    assert compare(page) > 0
    report, findings = found(text)
    assert summary(text, findings) == expected
    for f in findings:
        assert f.question == 5 and f.severity == DEFAULT_SEVERITY[f.code]
        assert f.message.startswith("Question 5: ")
        assert f.payload.probe and f.payload.source == text[f.span.start : f.span.end]


def test_messages_say_what_the_grader_sees_and_the_fix():
    text = report_with("We ran:\n```bash\nls\n```")
    (f,) = found(text)[1]
    assert "inline code run into the surrounding paragraph" in f.message
    assert "Indent the code by 4 spaces" in f.message
    text = report_with("- a\n  - b")
    (f,) = found(text)[1]
    assert "flattens them" in f.message and "4 spaces per level" in f.message


@pytest.mark.parametrize(("glued", "kind"), [("line", "glued"), ("inline", "glued-inline")])
def test_answer_glued_to_the_prompt_is_answer_in_quote(glued, kind):
    text = report_with("We used uv.", glued=glued)
    page = rendered(text)
    # renders the same (inside the quote) on both sides: reported, but not as a hand-in difference
    assert compare(page) == 0
    assert "<blockquote>" in render_handin(page) and "We used uv.</p>\n</blockquote>" in render_handin(page)
    assert "We used uv.</p>\n</blockquote>" in render_github(page)
    _, findings = found(text)
    assert summary(text, findings) == [("answer-in-quote", kind, "We used uv.")]
    assert DEFAULT_SEVERITY["answer-in-quote"] == "warning" == findings[0].severity
    assert "inside the question's quote everywhere, on GitHub and in the hand-in" in findings[0].message
    assert "blank line after `> Answer:`" in findings[0].message


@pytest.mark.parametrize("answer", ["> We used uv.", ">\n> We used uv.", "We used uv.\nand pip."])
def test_answer_inside_the_quote_in_both_is_answer_in_quote(answer):
    text = report_with(answer, glued="line")
    assert compare(rendered(text)) == 0
    (f,) = found(text)[1]
    assert f.code == "answer-in-quote"
    assert ("written inside the question's quote" in f.message) == answer.startswith(">")


def test_glued_list_is_a_hand_in_difference():
    text = report_with("- uv\n- ruff", glued="line")
    (f,) = found(text)[1]
    assert (f.code, f.payload.kind) == ("handin-quote", "glued")
    assert "GitHub shows it (or part of it) outside the quote" in f.message


def test_glued_text_then_a_list_gives_both_codes():
    # "text" continues the quote on GitHub too; the list does not (GitHub ends the quote there)
    text = report_with("We used:\n- uv\n- ruff", glued="line")
    page = rendered(text)
    assert "<p>Answer:\nWe used:\n- uv\n- ruff</p>" in render_handin(page)
    assert "<p>Answer:\nWe used:</p>\n</blockquote>\n<ul>" in render_github(page)
    assert [(f.code, f.payload.kind) for f in found(text)[1]] == [("answer-in-quote", "glued"),
                                                                   ("handin-list", "list-after-quote")]


@pytest.mark.parametrize("answer", [">\nWe used uv.", ">\n- uv\n- ruff", "> \nWe used uv.", ">\n>\nWe used uv."])
def test_answer_after_an_empty_quote_line(answer):
    text = report_with(answer, glued="line")
    page = rendered(text)
    assert "</blockquote>" in render_handin(page).split("uv")[-1]  # inside the quote in the hand-in
    assert "</blockquote>" not in render_github(page).split("Answer:")[-1].split("uv")[-1]
    (f,) = found(text)[1]
    assert (f.code, f.payload.kind) == ("handin-quote", "empty-quote-line")
    assert "empty `>` line" in f.message and "question's quote" in f.message


SETEXT = [
    # (answer, GitHub, hand-in)
    ("Our results\nin short\n---\n\nText.", "<h2>Our results\nin short</h2>", "<p>Our results\nin short</p>\n<hr />"),
    ("Our results\nin short\n===", "<h1>Our results\nin short</h1>", "<p>Our results\nin short\n===</p>"),
    ("Results\n ---", "<h2>Results</h2>", "<p>Results</p>\n<hr />"),
    ("- item\n  ---", "<li>\n<h2>item</h2>\n</li>", "<li>item</li>\n</ul>\n<hr />"),
]


@pytest.mark.parametrize(("answer", "github", "handin"), SETEXT)
def test_setext_heading(answer, github, handin):
    text = report_with(answer)
    page = rendered(text)
    assert github in render_github(page) and handin in render_handin(page)
    (f,) = found(text)[1]
    assert (f.code, f.payload.kind) == ("handin-escape", "setext-heading")
    assert "GitHub shows a heading" in f.message and "`##` ends the answer for report.py" in f.message


@pytest.mark.parametrize("answer", ["> q\n===", "- item\n==="])
def test_equals_under_a_quote_or_item_line(answer):
    text = report_with("Intro.\n\n" + answer)
    page = rendered(text)
    assert "<h1>" in render_handin(page) and "<h1>" not in render_github(page)
    (f,) = found(text)[1]
    assert f.payload.kind == "setext" and f.code == ("handin-quote" if answer[0] == ">" else "handin-list")


SAME = [
    "Plain prose with *emphasis*, **bold**, `code <x>` and a [link](https://x.org).",
    "Intro:\n\n- a\n- b\n\nOutro.",
    "Intro:\n\n    indented code\n    more\n\nOutro.",
    "- a\n    - nested four\n        - deeper\n- b",
    "- a\n\n    more of a\n\n- b",
    "- a\n  lazy continuation\n- b",
    "Autolinks <https://github.com/org/repo> and <s1@dtu.dk>.",
    '<img src="figures/a.png" width="400">',
    "![fig](figures/a.png)\n![fig](figures/b%20c.png)",
    "#### A sub heading\n\nText under it.",
    "<!-- a comment -->\n\nText.",
    "It costs $5 and $10.",
    "Replace <data-bucket-key> with yours.",
    "URL in code `https://x.org` and in a link [site](https://x.org).",
    "1. one\n2. two\n\nText\n\n1. again",
    "Line with two spaces  \nnext line.",
    "Escapes \\* and \\_ and \\# known to both.",
    "--- question 5 fill here ---",
    "snake_case_name and __init__.py",
    "Intro.\n\n---\n\nAfter a rule.",
    "A heading\n---\n\nText under it.",
    "A heading\n===\n\nText under it.",
    "Intro.\n\n> q\n> ===",
    "Text\n***",
    "Intro.\n\n> a quote\n>\n\nafter it.",
    "A & B < C > D \"quoted\" 'single'",
]


@pytest.mark.parametrize("answer", SAME)
def test_nothing_on_an_answer_that_renders_the_same(answer):
    text = report_with(answer)
    assert compare(rendered(text)) == 0
    assert found(text)[1] == []


def test_whole_report_with_nothing_different():
    text = make_report({n: f"Answer {n} with *some* text and `code`." for n in range(1, 32)})
    assert found(text)[1] == []


# ---- extensions ----------------------------------------------------------------------------------

TABLES = HtmlSpec(extensions=("tables",))
FENCED = HtmlSpec(extensions=("fenced_code",))


def test_tables_extension_makes_pipe_tables_fine():
    answer = "Intro.\n\n| tool | use |\n|---|---|\n| uv | deps |"
    text = report_with(answer)
    page = rendered(text)
    assert "<table>" in render_handin(page, TABLES.render_key)
    assert compare(page, TABLES.render_key) == 0
    assert found(text, TABLES)[1] == []
    assert [f.code for f in found(text)[1]] == ["handin-table"]


def test_fenced_code_extension_handles_top_level_fences_only():
    top = report_with("Intro.\n\n```bash\nls -la\n```\n\nAfter.")
    assert found(top, FENCED)[1] == []
    assert [f.code for f in found(top)[1]] == ["handin-code"]
    # Python-Markdown's fenced_code does not see an indented fence (inside a list item)
    item = report_with("Steps:\n\n1. Build it:\n\n    ```bash\n    docker build .\n    ```\n\n2. Run it.")
    page = rendered(item)
    assert "<code>bash" in render_handin(page, FENCED.render_key)
    assert [f.code for f in found(item, FENCED)[1]] == ["handin-code"]


# ---- offsets, newlines, caching ------------------------------------------------------------------

def test_crlf_document_spans_cover_the_construct():
    text = report_with("We ran:\n```bash\nls -la\n```\nSee https://x.org/a now.", newline="\r\n")
    _, findings = found(text)
    assert summary(text, findings) == [("handin-code", "fence", "```bash\r\nls -la\r\n```"),
                                       ("handin-url", "url", "https://x.org/a")]
    edits = findings[0].payload.fixes[0].edits
    assert all("\n" not in e.new_text.replace("\r\n", "") for e in edits)


def test_one_keystroke_re_examines_only_the_edited_answer():
    answers = {n: f"Answer {n}: see https://example.com/{n} for *details*." for n in range(1, 32)}
    answers[9] = "We ran:\n```bash\nls -la\n```"
    text = make_report(answers)
    parser = Parser()
    clear_caches()
    first = handin_findings(parser.parse(text))
    stats = cache_stats()
    assert stats["answer_misses"] == 31 and stats["answer_hits"] == 0
    assert len(first) == 31  # 30 bare URLs and the fence
    again = handin_findings(parser.parse(text))
    assert summary(text, again) == summary(text, first)
    assert cache_stats()["answer_hits"] == 31 and cache_stats()["answer_misses"] == 31
    # type a word into question 3's answer: only that answer (and its one chunk) is looked at again
    at = text.index("Answer 3:") + len("Answer 3:")
    edited = text[:at] + " really" + text[at:]
    before = cache_stats()
    after = handin_findings(parser.parse(edited))
    stats = cache_stats()
    assert stats["answer_misses"] - before["answer_misses"] == 1
    assert stats["chunk_misses"] - before["chunk_misses"] == 1
    # later findings moved with the text and still cover the same constructs
    assert summary(edited, after) == summary(text, first)
    assert [f.span.start for f in after if f.question > 3] == [f.span.start + 7 for f in first if f.question > 3]


def test_chunks_never_cut_inside_a_block():
    # a fence with a blank line, a loose list with indented content, quotes (Python-Markdown merges
    # them across blank lines), a raw HTML block with blank lines, an HTML comment
    lines = ["> Answer:", "", "Intro:", "```", "a", "", "b", "```", "", "- x", "", "- y", "", "    code", "",
             "Para.", "", "> q", "", "> r", "", "<div>", "", "t", "", "</div>", "", "<!--", "", "-->", "",
             "#### Head", "End."]
    assert cut_chunks(lines, 1) == [(0, 2), (2, 9), (9, 15), (15, 21), (21, 27), (27, 31), (31, 32), (32, 33)]


# ---- the seeds and templates ---------------------------------------------------------------------

SEED_COUNTS = {
    "000_3a5101736d40b865": {"handin-code": 5, "handin-url": 2, "answer-in-quote": 2},
    "001_dc0557ca9d4f87f1": {"handin-code": 4},
    # Q8: a pasted coverage table whose "-----" lines make a setext heading on GitHub; Q18: a "-" list
    # then a "1." list, the line between them lazily in the last "-" item
    "002_570431c207318496": {"answer-in-quote": 6, "handin-tag": 2, "handin-url": 3, "handin-escape": 1,
                             "handin-list": 4},
    # Q6: the answer quoted after an empty ">" line (inside the quote in both)
    "003_c44f5ba19b85e7ed": {"handin-code": 3, "handin-escape": 1, "answer-in-quote": 4},
    "004_2f0b6ac39a5d2a2f": {"handin-url": 2, "handin-code": 1},
}


@needs_shared
@pytest.mark.parametrize("name", list(SEED_COUNTS))
def test_seed_counts(name):
    path = SEEDS / f"{name}.md"
    if not path.exists():
        pytest.skip(f"{path} absent")
    text = path.read_text(encoding="utf-8")
    report, findings = found(text)
    assert dict(Counter(f.code for f in findings)) == SEED_COUNTS[name]
    for f in findings:
        at = answer_text(text, report.question(f.question))
        assert compare(at.rendered) > 0 and f.code.startswith("handin-") or f.code == "answer-in-quote"


@needs_shared
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_blank_templates_have_nothing(path):
    assert found(path.read_text(encoding="utf-8"))[1] == []


@needs_shared
@pytest.mark.parametrize("path", SHARED_DOCS, ids=lambda p: p.name)
def test_chunks_render_like_their_answer(path):
    """Per answer of the real reports: the chunks differ exactly when the whole answer does, and
    every chunk the plain-prose shortcut skips really renders the same."""
    text = path.read_text(encoding="utf-8")
    report = parse_report(text)
    for q in report.questions:
        at = answer_text(text, q)
        if at is None:
            continue
        lines = at.rendered.split("\n")
        ctx = at.context.count("\n") + 1
        chunks = ["\n".join(lines[a:b]) for a, b in cut_chunks(lines, ctx)]
        assert (compare(at.rendered) == 0) == all(compare(c) == 0 for c in chunks), q.number
        for c in chunks:
            if plain_prose(c):
                assert difference(normalise(render_handin(c)), normalise(render_github(c))) == 0


# ---- hostile input -----------------------------------------------------------------------------

def test_renderer_recovers_after_python_markdown_fails():
    deep = "\n".join("    " * i + "- x" for i in range(300))
    with pytest.raises(RecursionError):
        render_handin(deep)
    assert render_handin("See *this*.") == "<p>See <em>this</em>.</p>"


@pytest.mark.parametrize(
    "answer",
    ["\n".join("    " * i + "- x" for i in range(300)),  # deeper than Python-Markdown's recursion limit
     "> " * 1000 + "x", "[" * 2000 + "]" * 2000, "*a " * 3000, "a" + "`" * 3000, "<" * 3000, "$" * 3000,
     "We 🚀 used https://x.org/🚀\ttabs\tand ~~😀~~ <😀>", "word " * 5000],
    ids=["deep-list", "deep-quote", "brackets", "stars", "backticks", "angles", "dollars", "emoji", "long"],
)
def test_hostile_answers_never_raise(answer):
    text = report_with(answer)
    findings = found(text)[1]
    assert all(f.span.start <= f.span.end <= len(text) for f in findings)
    # the rest of the report is still examined
    text = make_report({5: answer, 6: "See https://example.com/x now."})
    assert [(f.question, f.code) for f in found(text)[1] if f.question == 6] == [(6, "handin-url")]


def test_emoji_offsets_are_python_string_offsets():
    text = report_with("We 🚀 used https://x.org/🚀 and ~~😀~~ done.")
    assert summary(text, found(text)[1]) == [("handin-url", "url", "https://x.org/🚀"),
                                             ("handin-escape", "strikethrough", "~~😀~~")]


def test_page_error_on_nesting_python_markdown_cannot_render():
    from reportls.handin.page import PageError, render_page

    with pytest.raises(PageError, match="deeper than Python's recursion limit"):
        render_page(make_report({5: "\n".join("    " * i + "- x" for i in range(300))}))


def test_deferred_check_renders_nothing_and_carries_the_edited_answers_findings():
    from reportls.findings import carried_over
    from reportls.handin.findings import HandinCheck

    answers = {n: f"Answer {n} words here." for n in range(1, 32)}
    answers[4] = "Intro.\n\nWe ran:\n```bash\nls -la\n```"
    text = make_report(answers)
    parser = Parser()
    clear_caches()
    full = HandinCheck()(parser.parse(text))
    assert [f.question for f in full] == [4]
    at = text.index("Intro.")
    edited = text[:at] + "New. " + text[at:]
    carry = tuple(carried_over(full, (at, at, at + 5), edited))
    assert [f.span.start for f in carry] == [full[0].span.start + 5]
    before = cache_stats()
    check = HandinCheck(defer=True, carry=carry)
    found = check(parser.parse(edited))
    assert check.pending == (4,)
    assert cache_stats()["answer_misses"] == before["answer_misses"]  # nothing rendered
    assert summary(edited, found) == summary(edited, HandinCheck()(parser.parse(edited)))
    # an edit inside the construct drops it from the carry: it is shown again once rendered
    inside = edited.index("ls -la")
    assert carried_over(full, (inside - 5, inside - 5, inside - 4), edited[:inside] + "x" + edited[inside:]) == []
