"""One full reading of one report version: the single entry point every feature and the CLI use.

``analyze`` ties the layers together: structural ``Report`` (parse), report.py's view (reportpy),
the constraint table (constraints), verdicts and findings (checks), plus the extra checks its
caller hands it (``checks.Check``: the hand-in, link and git checks), so that nothing here imports
the layers above.  The result, an ``Analysis``, is computed once per document version and shared
by diagnostics, hover, hints, lenses and the CLI.  ``options_from`` turns a config file and the
command line's or editor's choices into ``Options``, for the CLI and the server alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportls import checks as checks_mod
from reportls.checks import Check
from reportls.constraints import Resolution, choose_profile, resolve_table
from reportls.constraints.options import Options, options_from  # noqa: F401 - re-exported
from reportls.constraints.table import ConstraintTable
from reportls.files.figures import FigureFolder
from reportls.files.images import ImageSizes
from reportls.findings import Finding, apply_severities, one_per_cause
from reportls.report.model import Report, at_template_place
from reportls.report.parse import Parser
from reportls.report.reportpy import ReportPyView, read_as_report_py
from reportls.text.records import field, record


@record(slots=True)
class Analysis:
    """One report version read and checked: the structural reading, report.py's view, the table
    and its source, the template it looks like, the verdicts and the findings."""

    report: Report
    view: ReportPyView
    resolution: Resolution
    template: str  # the template version the document looks like ("2023", "2025", "2026")
    results: list[checks_mod.QuestionResult]
    findings: list[Finding]
    handin: object = None  # the HtmlSpec the hand-in checks ran with (None: not run)
    deferred: tuple[int, ...] = ()  # questions whose extra checks were left for later (``Check``)
    checklist: object = None  # checklist.ChecklistResult: each item with the repository's evidence (None: not read)
    images: dict = field(default_factory=dict)  # absolute path -> ImageInfo of the linked images (read by the owner)

    @property
    def table(self) -> ConstraintTable:
        return self.resolution.table

    @property
    def crash(self) -> str | None:
        return self.view.crash

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def total(self) -> int:
        return self.table.answers if not self.view.crashed else max(len(self.results), self.table.answers)

    def result(self, number: int) -> checks_mod.QuestionResult | None:
        for r in self.results:
            if r.number == number:
                return r
        return None


def template_signature(report: Report) -> tuple[int, str]:
    """(question count, Q3 prompt): what picks a built-in profile."""
    numbers = [q.number for q in report.questions]
    count = max(numbers) if numbers else 0
    if count not in (27, 31):
        count = len(set(numbers)) or count
    q3 = report.question(3)
    return count, (q3.prompt if q3 else "")


def resolve_for(report: Report, path: Path | None, options: Options, report_py_source: str | None = None) -> Resolution:
    count, q3 = template_signature(report)
    return resolve_table(
        report_path=path,
        question_count=count,
        q3_prompt=q3,
        override=options.constraints,
        report_py_source=report_py_source,
    )


def analyze(
    text: str,
    *,
    path: Path | None = None,
    options: Options | None = None,
    parser: Parser | None = None,
    folder: FigureFolder | None = None,
    resolution: Resolution | None = None,
    report_py_source: str | None = None,
    report: Report | None = None,
    checks: Sequence[Check] = (),
    handin=None,
    evidence=None,
    images: ImageSizes | None = None,
) -> Analysis:
    """Read and check one report text.  ``path`` locates report.py, the config and figures (and a
    file at ``reports/README.md`` is a report whatever it holds: ``Report.is_report``);
    ``report`` is the text's structural reading when the caller already has it.  ``checks`` run
    after the built-in checks, on a report (not on other markdown); ``handin`` is the ``HtmlSpec``
    the hand-in checks among them use (kept for the features: fixes, hover, preview); ``evidence``
    (a ``checklist.RepoEvidence``, or a function giving it, called only for a report) is what the
    repository shows for the checklist's items;
    ``images`` the pixel sizes of the linked image files, read by the caller (``files/images.py``)."""
    options = options or Options()
    if report is None:
        report = (parser or Parser()).parse(text)
    report.template_place = at_template_place(path)
    if resolution is None:
        resolution = resolve_for(report, path, options, report_py_source)
    table = resolution.table
    view = read_as_report_py(text, table.answers, click=table.click, crash_message=table.crash_message,
                             newlines=report.index.newlines)
    if folder is None and path is not None:
        folder = FigureFolder(path.parent, options.figures)
    results = checks_mod.results(report, view, table)
    findings = checks_mod.run(report, view, table, results, folder, resolution.notes, checks, images)
    deferred = [n for check in checks if report.is_report or not check.reports_only for n in check.pending]
    checklist = None
    if callable(evidence) and report.is_report:
        evidence = evidence()  # the command line's scan, computed beside the checks: taken when needed
    if evidence is not None and report.is_report:
        from reportls.checklist.evidence import assess_report, checklist_findings  # only with a repository

        checklist = assess_report(report, evidence)
        findings.extend(checklist_findings(checklist))
        findings.sort(key=lambda f: (f.span.start, f.code))
    findings = apply_severities(one_per_cause(findings), options.severity)
    count, q3 = template_signature(report)
    return Analysis(report, view, resolution, choose_profile(count, q3), results, findings, handin,
                    tuple(sorted(set(deferred))), checklist, dict(images or {}))
