"""Outline (document symbols), folding ranges, document links and go-to-definition for images."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportls.analysis import Analysis
from reportls.features.hover import figure_at
from reportls.figures import FigureFolder
from reportls.model import Span


@dataclass
class Symbol:
    name: str
    detail: str
    kind: str  # "title" | "section" | "question"
    span: Span
    selection: Span
    children: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentLink:
    span: Span
    target: Path


def question_detail(analysis: Analysis, number: int) -> str:
    r = analysis.result(number)
    if r is None:
        return ""
    c = r.constraint
    parts = [f"{r.words} words" + (f" · {c.min_words}-{c.max_words}" if c.has_words else "")]
    if c.has_images:
        parts.append(f"{r.images} images · {c.min_images}-{c.max_images}")
    return ("✓ " if r.passed else "✗ ") + ", ".join(parts)


def document_symbols(analysis: Analysis) -> list[Symbol]:
    report = analysis.report
    if not report.is_report:
        return []
    text_end = len(report.text)
    questions = {q.heading.span.start: q for q in report.questions}
    top: list[Symbol] = []
    section: Symbol | None = None
    heads = [h for h in report.headings if h.level <= 3]
    for i, h in enumerate(heads):
        if h.level == 1:
            continue
        q = questions.get(h.span.start)
        if q is not None:
            sym = Symbol(f"Question {q.number}", question_detail(analysis, q.number), "question", q.span, h.span)
            (section.children if section else top).append(sym)
        elif h.level == 2:
            end = next((x.span.start for x in heads[i + 1 :] if x.level <= 2), text_end)
            section = Symbol(h.title or "(section)", "", "section", Span(h.span.start, end), h.span)
            top.append(section)
    return top


def folding_ranges(analysis: Analysis) -> list[Span]:
    if not analysis.report.is_report:
        return []
    spans = [q.span for q in analysis.report.questions]
    for s in document_symbols(analysis):
        if s.kind == "section":
            spans.append(s.span)
    return sorted(spans, key=lambda s: s.start)


def document_links(analysis: Analysis, folder: FigureFolder | None) -> list[DocumentLink]:
    if folder is None:
        return []
    links = []
    for f in analysis.report.figures:
        if f.hidden or f.dest_span.end <= f.dest_span.start:
            continue
        r = folder.resolve(f.dest)
        if r.status in ("ok", "case") and r.absolute is not None:
            links.append(DocumentLink(f.dest_span, Path(r.absolute)))
    return links


def definition(analysis: Analysis, offset: int, folder: FigureFolder | None) -> Path | None:
    link = figure_at(analysis, offset)
    if link is None or folder is None:
        return None
    r = folder.resolve(link.dest)
    return Path(r.absolute) if r.status in ("ok", "case") and r.absolute is not None else None
