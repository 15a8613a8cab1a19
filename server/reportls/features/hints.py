"""Inlay hints after each ``Answer:`` ("143 words · 100-200") and the title's code lens ("25/31 questions pass")."""

from __future__ import annotations

from dataclasses import dataclass

from reportls.analysis import Analysis
from reportls.model import Span


@dataclass(frozen=True)
class InlayHint:
    offset: int
    label: str
    tooltip: str = ""


@dataclass(frozen=True)
class CodeLens:
    span: Span
    title: str


def hint_label(analysis: Analysis, number: int) -> str | None:
    r = analysis.result(number)
    if r is None:
        return None
    c = r.constraint
    label = f"{r.words} words" + (f" · {c.min_words}-{c.max_words}" if c.has_words else "")
    if c.has_images:
        label += f" · {r.images}/{c.min_images}-{c.max_images} images"
    return ("✓ " if r.passed else "✗ ") + label


def inlay_hints(analysis: Analysis) -> list[InlayHint]:
    report = analysis.report
    if not report.is_report:
        return []
    hints = []
    for q in report.questions:
        if q.marker is None:
            continue
        label = hint_label(analysis, q.number)
        if label:
            tip = "as report.py check counts it" + (" (from this section: report.py would crash)" if analysis.crash else "")
            hints.append(InlayHint(q.marker + len("Answer:"), label, tip))
    return hints


def code_lenses(analysis: Analysis, hints_as_lenses: bool = False) -> list[CodeLens]:
    """The title's lens; with ``hints_as_lenses`` (clients without inlay hints) also one lens per
    ``Answer:`` line carrying the hint's label."""
    report = analysis.report
    if not report.is_report:
        return []
    span = report.title.span if report.title else Span(0, 0)
    if analysis.crash:
        answers = len(analysis.view.answers)
        lenses = [CodeLens(span, f"report.py check will crash: expected {analysis.view.expected} answers, found {answers}")]
    else:
        lenses = [CodeLens(span, f"{analysis.passed}/{analysis.total} questions pass")]
    if hints_as_lenses:
        lenses.extend(CodeLens(Span(h.offset, h.offset), h.label) for h in inlay_hints(analysis))
    return lenses
