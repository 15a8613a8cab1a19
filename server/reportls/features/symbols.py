"""Outline (document symbols: title, ``##`` sections holding their questions), folding ranges, and
navigation from image links to their files (document links, go-to-definition)."""

from __future__ import annotations

import bisect
from reportls.text.records import field, record
from pathlib import Path

from reportls.analysis import Analysis
from reportls.features.hints import summary
from reportls.features.labels import verdict_label
from reportls.features.locate import figure_at
from reportls.files.figures import FigureFolder
from reportls.report.model import FigureLink, Span


@record
class Symbol:
    name: str
    detail: str
    kind: str  # "title" | "section" | "question"
    span: Span
    selection: Span
    children: list[Symbol] = field(default_factory=list)


@record(frozen=True)
class DocumentLink:
    span: Span
    target: Path


def document_symbols(analysis: Analysis) -> list[Symbol]:
    """The title, then each ``##`` section with the questions under it (questions before any
    section stand at the top); a question's detail is its verdict and counts."""
    report = analysis.report
    if not report.is_report:
        return []
    questions = {q.heading.span.start: q for q in report.questions}
    # headings that end a section: level 1-2 headings that are not questions ("## Question 24" is one)
    breaks = [h.span.start for h in report.headings if h.level <= 2 and h.span.start not in questions]

    def end_of(start: int) -> int:
        k = bisect.bisect_right(breaks, start)
        return breaks[k] if k < len(breaks) else len(report.text)

    results = {}
    for r in analysis.results:
        results.setdefault(r.number, r)
    top: list[Symbol] = []
    section: Symbol | None = None
    for h in report.headings:
        q = questions.get(h.span.start)
        if q is not None:
            r = results.get(q.number)
            sym = Symbol(f"Question {q.number}", verdict_label(r) if r else "", "question", q.span, h.span)
            (section.children if section is not None else top).append(sym)
        elif h.level == 1:
            section = None
            if h is report.title:  # the title and its preamble, up to the first section or question
                end = min([end_of(h.span.start), *(s for s in questions if s > h.span.start)])
                top.append(
                    Symbol(h.title or "(title)", summary(analysis), "title", Span(h.span.start, end), h.span)
                )
        elif h.level == 2:
            section = Symbol(
                h.title or "(section)", "", "section", Span(h.span.start, end_of(h.span.start)), h.span
            )
            top.append(section)
    return top


def folding_ranges(analysis: Analysis) -> list[Span]:
    """One range per question section and per ``##`` section (sorted by start)."""
    spans: list[Span] = []
    for s in document_symbols(analysis):
        if s.kind == "section":
            spans.append(_trim(analysis.report.text, s.span))
        spans.extend(c.span for c in s.children)
        if s.kind == "question":
            spans.append(s.span)
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _trim(text: str, span: Span) -> Span:
    end = span.end
    while end > span.start and text[end - 1] in "\r\n":
        end -= 1
    return Span(span.start, end)


def _file(link: FigureLink, folder: FigureFolder) -> Path | None:
    """The existing file a link points at (also when only the letter case differs)."""
    if not link.dest:
        return None
    r = folder.resolve(link.dest)
    if r.status in ("ok", "case") and r.absolute is not None:
        return Path(r.absolute)
    return None


def document_links(analysis: Analysis, folder: FigureFolder | None) -> list[DocumentLink]:
    """Image destinations that resolve to an existing file (links in code or comments left out)."""
    if folder is None or not analysis.report.is_report:
        return []
    out = []
    for f in analysis.report.figures:
        if f.hidden or f.dest_span.end <= f.dest_span.start:
            continue
        target = _file(f, folder)
        if target is not None:
            out.append(DocumentLink(f.dest_span, target))
    return out


def definition(analysis: Analysis, offset: int, folder: FigureFolder | None) -> Path | None:
    """The file of the image link under the cursor."""
    if folder is None or not analysis.report.is_report:
        return None
    link = figure_at(analysis.report, offset)
    return _file(link, folder) if link is not None else None
