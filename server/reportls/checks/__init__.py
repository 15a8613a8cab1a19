"""Every diagnostic that needs no editor, as ``Finding``s, behind one registry.

A check is anything with a ``name``, a ``pending`` tuple (the questions it left for later: the
hand-in checks of an answer being typed in; ``()`` for the others) and ``findings(inputs)``.  The
built-in checks are listed once, in ``BUILTIN``, each with the ``CheckInputs`` it reads; the checks
a caller adds (the hand-in checks, the link and git checks) follow the same protocol and run after
them, on a report only (``reports_only``).  ``run`` runs them all, in that order, and sorts the
findings by place.

Inputs are plain data: the ``Report`` (structural reading), the ``ReportPyView`` (what report.py
counts), the ``ConstraintTable``, the verdicts and a ``FigureFolder``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from reportls.text.records import record

from reportls.checks.answers import (
    QuestionResult,
    answer_count_findings,
    count_findings,
    heading_findings,
    image_in_code_findings,
    marker_findings,
    placeholder_findings,
    reportpy_name_note,
    reportpy_number,
    results,
    source_findings,
    structural_answer,
    truncation_findings,
)
from reportls.checks.encoding import encoding_findings
from reportls.checks.figures import figure_findings
from reportls.checks.images import image_size_findings
from reportls.files.images import ImageSizes
from reportls.checks.people import study_number_findings
from reportls.checks.secrets import secret_findings
from reportls.constraints.table import ConstraintTable
from reportls.files.figures import FigureFolder
from reportls.findings import Finding
from reportls.report.model import Report
from reportls.report.reportpy import ReportPyView

__all__ = [
    "BUILTIN", "Check", "CheckInputs", "QuestionResult", "ReportCheck", "figure_findings", "reportpy_name_note",
    "reportpy_number", "results", "run", "structural_answer",
]


@record(frozen=True)
class CheckInputs:
    """Everything a check may read of one report version (plain data, read by the caller)."""

    report: Report
    view: ReportPyView
    table: ConstraintTable
    results: list[QuestionResult]
    folder: FigureFolder | None
    notes: tuple[str, ...] = ()
    images: ImageSizes | None = None  # absolute path -> ImageInfo of the linked images (read by the owner)


class Check:
    """What one check in the registry is (by its shape: ``BuiltinCheck`` and ``ReportCheck`` have
    these members; nothing subclasses this)."""

    name: str
    reports_only: bool  # run on a report only, not on other markdown
    pending: tuple[int, ...]  # after ``findings``: the questions left for later

    def findings(self, inputs: CheckInputs) -> Iterable[Finding]: ...


@record(frozen=True)
class BuiltinCheck:
    """A built-in check: a function of the ``CheckInputs`` fields named in ``needs``, in order."""

    name: str
    needs: tuple[str, ...]
    function: Callable[..., Iterable[Finding]]
    reports_only: bool = False
    pending: tuple[int, ...] = ()

    def findings(self, inputs: CheckInputs) -> Iterable[Finding]:
        return self.function(*(_INPUT[need](inputs) for need in self.needs))


_INPUT: dict[str, Callable[[CheckInputs], object]] = {
    "report": lambda i: i.report,
    "view": lambda i: i.view,
    "table": lambda i: i.table,
    "results": lambda i: i.results,
    "folder": lambda i: i.folder,
    "notes": lambda i: list(i.notes),
    "secrets": lambda i: i.report.secrets,
    "images": lambda i: i.images or {},
}


def _encoding(report: Report, table: ConstraintTable) -> Iterable[Finding]:
    return encoding_findings(report, table.answers, click=table.click, crash_message=table.crash_message)


BUILTIN: tuple[BuiltinCheck, ...] = (
    BuiltinCheck("constraints-source", ("report", "notes"), source_findings),
    BuiltinCheck("answer-count", ("report", "view", "table"), answer_count_findings),
    BuiltinCheck("counts", ("report", "results"), count_findings),
    BuiltinCheck("truncation", ("report", "view"), truncation_findings),
    BuiltinCheck("markers", ("report",), marker_findings),
    BuiltinCheck("placeholders", ("report",), placeholder_findings),
    BuiltinCheck("headings", ("report", "table"), heading_findings),
    BuiltinCheck("figures", ("report", "folder", "table"), figure_findings),
    BuiltinCheck("images-in-code", ("report", "view", "table"), image_in_code_findings),
    BuiltinCheck("secrets", ("secrets",), secret_findings),
    BuiltinCheck("image-size", ("report", "folder", "images"), image_size_findings),
    BuiltinCheck("study-number", ("report",), study_number_findings),
    BuiltinCheck("encoding", ("report", "table"), _encoding),
)
for _check in BUILTIN:
    assert all(need in _INPUT for need in _check.needs), _check


class ReportCheck:
    """The base of the checks a caller adds (hand-in, links, git): called on the report (and
    report.py's view) alone, on a report only; ``pending`` is () unless the check left questions
    for later."""

    name = "extra"
    reports_only = True
    pending: tuple[int, ...] = ()

    def __call__(self, report: Report, view: ReportPyView | None = None) -> list[Finding]:
        raise NotImplementedError

    def findings(self, inputs: CheckInputs) -> Iterable[Finding]:
        return self(inputs.report, inputs.view)


def run(
    report: Report,
    view: ReportPyView,
    table: ConstraintTable,
    res: list[QuestionResult],
    folder: FigureFolder | None,
    notes: Sequence[str],
    extra: Sequence[Check] = (),
    images: ImageSizes | None = None,
) -> list[Finding]:
    """The findings of every built-in check and then of ``extra`` (those marked ``reports_only``
    only when ``report`` is a report), sorted by place and code."""
    inputs = CheckInputs(report, view, table, res, folder, tuple(notes), images)
    findings: list[Finding] = []
    for check in (*BUILTIN, *extra):
        if check.reports_only and not report.is_report:
            continue
        findings.extend(check.findings(inputs))
    findings.sort(key=lambda f: (f.span.start, f.code))
    return findings
