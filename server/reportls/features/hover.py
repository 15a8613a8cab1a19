"""Hover: on an image link, the file it resolves to (with a preview) or why it is broken; on a
question (heading, prompt or answer), its prompt, requirements, report.py's counts and verdict, and
why report.py counts something other than what the student sees; on a checklist item, what the
repository shows for it."""

from __future__ import annotations

from dataclasses import dataclass

from reportls.analysis import Analysis
from reportls.constraints.table import plural
from reportls.checklist.evidence import item_at
from reportls.features.checklist import checklist, checklist_markdown, item_markdown
from reportls.features.locate import figure_at, line_bounds, question_at
from reportls.figures import FigureFolder
from reportls.images import hover_line
from reportls.model import FigureLink, Question, Span

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


@dataclass(frozen=True)
class HoverResult:
    markdown: str
    span: Span


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
    q = question_at(report, offset)
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
    if analysis.table.zero_based_messages:
        out.append(f"_report.py's own messages call this question {n - 1} (it counts from 0)._")
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
        if target is not None and target.is_file():
            path = target.resolve()
            size = hover_line(folder, link.dest)
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
