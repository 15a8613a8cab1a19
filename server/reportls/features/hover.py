"""Hover text: a question's prompt, requirements and report.py's counts; an image link's file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportls.analysis import Analysis
from reportls.figures import FigureFolder
from reportls.model import FigureLink, Span

EXPLAINING = ("answer-truncated", "answer-marker", "placeholder", "image-in-code", "image-not-counted", "answer-count")


@dataclass(frozen=True)
class HoverResult:
    markdown: str
    span: Span


def figure_at(analysis: Analysis, offset: int) -> FigureLink | None:
    for f in analysis.report.figures:
        if f.span.start <= offset <= f.span.end:
            return f
        if f.span.start > offset:
            break
    return None


def _figure_hover(analysis: Analysis, link: FigureLink, folder: FigureFolder | None) -> HoverResult:
    lines = [f"**Image** `{link.dest}`"]
    if link.hidden:
        lines.append(f"Inside {'a code block' if link.hidden == 'code' else 'an HTML comment'}: not shown in the report.")
    if folder is not None:
        r = folder.resolve(link.dest)
        if r.status in ("ok", "case") and r.absolute is not None:
            path = Path(r.absolute)
            lines.append(f"Resolves to `{path}`")
            lines.append(f"\n![{link.alt or path.name}]({path.resolve().as_uri()})")
    problems = [f.message for f in analysis.findings if f.span.overlaps(link.span) or f.span == link.dest_span]
    if problems:
        lines.append("")
        lines.extend(f"- {m}" for m in problems)
    return HoverResult("\n\n".join(lines[:2]) + ("\n" + "\n".join(lines[2:]) if len(lines) > 2 else ""), link.span)


def _question_hover(analysis: Analysis, number: int, span: Span) -> HoverResult:
    q = analysis.report.question(number)
    r = analysis.result(number)
    c = analysis.table.constraint(number)
    lines = [f"### Question {number}"]
    if q is not None and q.prompt:
        lines.append(f"> {q.prompt}")
    req = []
    if c.has_words:
        req.append(f"{c.min_words}-{c.max_words} words")
    if c.has_images:
        req.append(f"{c.min_images}-{c.max_images} images")
    lines.append("**Required:** " + (", ".join(req) if req else "no constraint (report.py checks nothing here)"))
    if r is not None:
        verdict = "✓ passes" if r.passed else "✗ fails"
        lines.append(f"**report.py counts:** {r.words} words, {r.images} images: {verdict}")
    if analysis.crash:
        lines.append(
            f"⚠ report.py check will crash (`{analysis.crash}`), so it checks nothing; these counts are from this "
            "question's own section."
        )
    why = [f.message for f in analysis.findings if f.question == number and f.code in EXPLAINING]
    if why:
        lines.append("**Why report.py sees this:**\n" + "\n".join(f"- {m}" for m in why))
    if analysis.table.zero_based_messages:
        lines.append(f"_report.py's own messages call this question {number - 1} (it counts from 0)._")
    if q is not None and q.example:
        lines.append(f"**Example:** _{q.example}_")
    return HoverResult("\n\n".join(lines), span)


def hover(analysis: Analysis, offset: int, folder: FigureFolder | None) -> HoverResult | None:
    if not analysis.report.is_report:
        return None
    link = figure_at(analysis, offset)
    if link is not None:
        return _figure_hover(analysis, link, folder)
    q = analysis.report.question_at(offset)
    if q is None:
        return None
    on_heading = q.heading.span.start <= offset <= q.heading.span.end
    return _question_hover(analysis, q.number, q.heading.span if on_heading else Span(offset, offset))
