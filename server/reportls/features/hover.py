"""Hover: on an image link, the file it resolves to (with a preview) or why it is broken; on a
question (heading, prompt or answer), its prompt, requirements, report.py's counts and verdict, and
why report.py counts something other than what the student sees; on a checklist item, what the
repository shows for it.

Every hover is written once, in Markdown, from a small set of constructs (a heading, a quoted
prompt, ``**label:**`` fields, bullet lists, an ``_italic_`` note, code spans, fenced code, a table,
an image preview); ``plain_text`` renders that same set for a client that takes plain text only
(``hover.contentFormat``: the protocol layer picks one).  Code spans keep their backticks, as in the
diagnostics' messages.
"""

from __future__ import annotations

import re
from reportls.text.records import record

from reportls.analysis import Analysis
from reportls.checks import reportpy_name_note
from reportls.constraints.table import plural
from reportls.checklist.evidence import item_at
from reportls.features.checklist import checklist, checklist_markdown, item_markdown
from reportls.features.locate import figure_at, line_bounds
from reportls.files.figures import FigureFolder
from reportls.checks.images import hover_line
from reportls.report.model import FigureLink, Question, Span

# Findings that explain a question's count (shown under "Why").
EXPLAINING = (
    "answer-count",
    "answer-truncated",
    "answer-marker",
    "placeholder",
    "image-in-code",
    "image-not-counted",
)
FIGURE_CODES = (
    "missing-figure",
    "figure-case",
    "figure-extension",
    "figure-location",
    "image-not-counted",
    "image-in-code",
    "image-size",
    "figure-syntax",
    "figure-untracked",
    "figure-ignored",
    "figure-unpushed",
)
_ICON = {"error": "❌ ", "warning": "⚠️ ", "information": "ℹ️ "}
_KIND = {"inline": "Image", "reference": "Reference-style image", "html": "`<img>` tag"}


@record(frozen=True)
class HoverResult:
    markdown: str
    span: Span

    @property
    def plaintext(self) -> str:
        """The same hover for a client that shows text as it is (no ``**``, ``###``, previews)."""
        return plain_text(self.markdown)


_HEADING = re.compile(r"#{1,6} +(.*?)\s*#*\s*$")
_IMAGE_LINE = re.compile(r"!\[[^\]]*\]\([^)\s]*\)")
_FENCE = re.compile(r"(`{3,})[\w-]*\s*$")
_TABLE_RULE = re.compile(r"\|(\s*:?-{3,}:?\s*\|)+\s*$")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_ITALIC_LINE = re.compile(r"_(.+)_$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def plain_text(markdown: str) -> str:
    """A hover's Markdown as plain text: headings, quote markers, bold and italic markers, the
    image preview and table rules dropped, fenced code indented by four spaces, a table row as
    ``cell: cell``.  Code spans are kept with their backticks (their text is never re-read)."""
    out: list[str] = []
    fence: str | None = None
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if fence is not None:
            if line.strip() == fence:
                fence = None
            else:
                out.append("    " + line if line else "")
            continue
        if m := _FENCE.match(line):
            fence = m.group(1)
            continue
        if _IMAGE_LINE.fullmatch(line.strip()):
            if out and out[-1] == "":
                out.pop()  # the preview's paragraph goes with it
            continue
        if line.startswith("|"):
            if _TABLE_RULE.match(line):
                continue
            if i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
                continue  # the header row
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = ": ".join(c for c in cells if c)
        elif m := _HEADING.match(line):
            line = m.group(1)
        elif line.startswith(">"):
            line = line[1:].lstrip()
        out.append(_plain_inline(line))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _plain_inline(line: str) -> str:
    """Bold and whole-line italic markers off, outside code spans."""
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(line):
        parts.append((line[last : m.start()], False))
        parts.append((m.group(0), True))
        last = m.end()
    parts.append((line[last:], False))
    text = "".join(p if code else _STRONG.sub(r"\1", p) for p, code in parts)
    m = _ITALIC_LINE.fullmatch(text)
    return m.group(1) if m and not text.startswith("__") else text


def hover(analysis: Analysis, offset: int, folder: FigureFolder | None) -> HoverResult | None:
    report = analysis.report
    if not report.is_report:
        return None
    link = figure_at(report, offset)
    if link is not None:
        return HoverResult(figure_markdown(analysis, link, folder), link.span)
    handin = next((f for f in analysis.findings if f.code.startswith("handin-") and f.span.contains(offset)), None)
    if handin is not None:
        return HoverResult(handin_markdown(handin), handin.span)
    q = report.question_at(offset)
    if q is None:
        item = item_at(analysis.checklist, offset)
        if item is not None:
            return HoverResult(item_markdown(item, analysis.checklist), item.item.span)
        cl = checklist(report)
        if cl is not None and cl.heading.span.contains(offset):
            return HoverResult(checklist_markdown(cl), cl.heading.span)
        return None
    return HoverResult(question_markdown(analysis, q), _part_span(report.text, q, offset))


def handin_markdown(f) -> str:
    """A ``handin-*`` construct: what is wrong, then GitHub's rendering beside the hand-in's."""
    from reportls.features.handin_hover import before_after

    return "\n\n".join(part for part in (f"**{f.code}:** {f.message}", before_after(f)) if part)


def _part_span(text: str, q: Question, offset: int) -> Span:
    """The part of the question under the cursor: heading, prompt, answer, else the line."""
    for span in (q.heading.span, q.prompt_span, q.answer_span):
        if span is not None and span.start <= offset <= span.end and span.end > span.start:
            return span
    return Span(*line_bounds(text, offset))


def _strip_question(message: str, number: int) -> str:
    prefix = f"Question {number}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def question_markdown(analysis: Analysis, q: Question) -> str:
    n = q.number
    r = analysis.result(n)
    c = r.constraint if r is not None else analysis.table.constraint(n)
    out = [f"### Question {n}"]
    if q.prompt:
        out.append("> " + q.prompt.replace("\n", " "))
    out.append(f"**Required:** {_required(c)}")
    if r is not None:
        counts = f"{plural(r.words, 'word')}, {plural(r.images, 'image')}"
        if c.has_words or c.has_images:
            verdict = "✅ passes" if r.passed else "❌ fails"
            out.append(f"**report.py counts:** {counts}: {verdict}")
        else:
            out.append(f"**report.py counts:** {counts} (nothing to pass or fail)")
    if analysis.crash:
        out.append(
            f"⚠️ report.py check will crash (`{analysis.crash}`) and checks nothing: these counts are "
            "from this question's own section, as report.py would count them once the crash is fixed."
        )
    why = [f for f in analysis.findings if f.question == n and f.code in EXPLAINING]
    if why:
        out.append(
            "**Why report.py sees something else:**\n"
            + "\n".join(f"- {_strip_question(f.message, n)}" for f in why)
        )
    if note := reportpy_name_note(analysis.table, n):
        out.append(f"_{note}_")
    if q.recommended and not (c.has_words or c.has_images):
        out.append(f"The template recommends {q.recommended}.")
    if q.example:
        out.append(f"**Example:** {q.example}")
    return "\n\n".join(out)


def _required(c) -> str:
    if not (c.has_words or c.has_images):
        return "nothing (report.py checks no constraint here)"
    return c.describe().replace(" + ", ", ")


def figure_markdown(analysis: Analysis, link: FigureLink, folder: FigureFolder | None) -> str:
    out = [f"**{_KIND.get(link.kind, 'Image')}** `{link.dest or '(no file)'}`"]
    if link.hidden:
        where = {"code": "code", "comment": "an HTML comment"}.get(link.hidden, link.hidden)
        out.append(f"Inside {where}: not shown in the report.")
    if folder is not None and link.dest:
        r = folder.resolve(link.dest)
        target = r.absolute
        if r.status == "repo-relative" and r.actual:
            target = folder.root / r.actual
            out.append(f"Written from the repository root; the file is `{r.actual}` in the report's folder.")
        elif r.status == "url":
            out.append("A URL: it is not part of the hand-in.")
        elif r.status == "case" and r.actual:
            out.append(f"The file on disk is `{r.actual}` (other letter case).")
        path = folder.existing_file(target) if target is not None else None
        if path is not None:
            size = hover_line(folder, link.dest, analysis.images)
            out.append(f"`{path}`" + (f" · {size}" if size else ""))
            out.append(f"![{path.name}]({path.as_uri()})")
    problems = [
        f
        for f in analysis.findings
        if f.code in FIGURE_CODES and (f.span == link.dest_span or f.span.overlaps(link.span))
    ]
    if problems:
        out.append("\n".join(f"- {_ICON.get(f.severity, '')}{f.message}" for f in problems))
    return "\n\n".join(out)
