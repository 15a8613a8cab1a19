"""Inlay hints after each ``Answer:`` ("✓ 143 words · 100-200") and the code lenses: on the title
("25/31 questions pass", or why report.py check will crash) and on the checklist heading
("Checklist: 41/53 done")."""

from __future__ import annotations

from reportls.text.records import record

from reportls.analysis import Analysis
from reportls.features.checklist import checklist, lens_title
from reportls.features.labels import hint_label
from reportls.features.locate import line_bounds
from reportls.report.model import MARKER, Span


@record(frozen=True)
class InlayHint:
    offset: int
    label: str
    tooltip: str = ""


@record(frozen=True)
class CodeLens:
    span: Span
    title: str


def inlay_hints(analysis: Analysis) -> list[InlayHint]:
    """One hint right after each question's (last) ``Answer:`` marker, with report.py's counts for
    that question (the section's own counts when report.py would crash)."""
    report = analysis.report
    if not report.is_report:
        return []
    if analysis.crash:
        tip = "from this question's own section: report.py check would crash before counting"
    else:
        tip = "as report.py check counts it"
    hints = []
    results = {}
    for r in analysis.results:
        results.setdefault(r.number, r)
    for q in report.questions:
        if q.marker is None:
            continue
        r = results.get(q.number)
        if r is None:
            continue
        c = r.constraint
        needs = f" (needs {c.describe()})" if c.has_words or c.has_images else ""
        hints.append(InlayHint(q.marker + len(MARKER), hint_label(r), f"Question {q.number}: {tip}{needs}"))
    return hints


def summary(analysis: Analysis) -> str:
    """ "25/31 questions pass", or what makes report.py check crash."""
    crash = analysis.crash
    if crash:
        if crash.startswith("IndexError"):
            return "report.py check will crash: there is no `Answer:` marker"
        view = analysis.view
        return f"report.py check will crash: expected {view.expected} answers, found {len(view.answers)}"
    return f"{analysis.passed}/{analysis.total} questions pass"


def code_lenses(analysis: Analysis, hints_as_lenses: bool = False, handin_status: str | None = None) -> list[CodeLens]:
    """The title's lens (on the ``#`` title, else the first line) and, when git knows it, the
    hand-in status beside it ("Hand-in (origin/main as of last fetch): up to date"); with
    ``hints_as_lenses`` (for clients without inlay hints) also one lens per ``Answer:`` carrying
    the hint's label."""
    report = analysis.report
    if not report.is_report:
        return []
    span = report.title.span if report.title else Span(*line_bounds(report.text, 0))
    lenses = [CodeLens(span, summary(analysis))]
    if handin_status:
        lenses.append(CodeLens(span, handin_status))
    cl = checklist(report)
    if cl is not None:
        lenses.append(CodeLens(cl.heading.span, lens_title(cl, analysis.checklist)))
    if hints_as_lenses:
        lenses.extend(CodeLens(Span(h.offset, h.offset), h.label) for h in inlay_hints(analysis))
    return lenses
