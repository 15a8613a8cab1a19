"""One full reading of one report version: the single entry point every feature and the CLI use.

``analyze`` ties the layers together: structural ``Report`` (parse), report.py's view (reportpy),
the constraint table (constraints), verdicts and findings (checks).  The result, an ``Analysis``,
is computed once per document version and shared by diagnostics, hover, hints, lenses and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportls import checks
from reportls.constraints import Resolution, choose_profile, resolve_table
from reportls.constraints.table import ConstraintTable
from reportls.figures import FigureFolder
from reportls.findings import Finding, apply_severities
from reportls.model import Report
from reportls.parse import Parser
from reportls.reportpy import ReportPyView, read_as_report_py


@dataclass
class Options:
    """What the user chose (CLI flags, settings, ``.reportls.yaml``)."""

    constraints: str | ConstraintTable | None = None  # None/"auto" = SPEC order
    severity: dict[str, str] = field(default_factory=dict)
    figures: str = "figures"


@dataclass
class Analysis:
    report: Report
    view: ReportPyView
    resolution: Resolution
    template: str  # the template version the document looks like ("2023", "2025", "2026")
    results: list[checks.QuestionResult]
    findings: list[Finding]
    handin: object = None  # the HtmlSpec the hand-in checks ran with (None: not run)

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

    def result(self, number: int) -> checks.QuestionResult | None:
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
    handin=None,
) -> Analysis:
    """Read and check one report text.  ``path`` locates report.py, the config and figures;
    ``report`` is the text's structural reading when the caller already has it.  ``handin`` (an
    ``HtmlSpec``: how the group's report.py renders the hand-in) adds the ``handin-*`` checks, which
    render answers with Python-Markdown; None leaves them out (and Python-Markdown unimported)."""
    options = options or Options()
    if report is None:
        report = (parser or Parser()).parse(text)
    if resolution is None:
        resolution = resolve_for(report, path, options, report_py_source)
    table = resolution.table
    view = read_as_report_py(text, table.answers, click=table.click, crash_message=table.crash_message)
    if folder is None and path is not None:
        folder = FigureFolder(path.parent, options.figures)
    results = checks.results(report, view, table)
    findings = checks.run(report, view, table, results, folder, list(resolution.notes))
    if handin is not None and report.is_report:
        from reportls.handin.findings import handin_findings

        findings = sorted([*findings, *handin_findings(report, handin)], key=lambda f: (f.span.start, f.code))
    findings = apply_severities(findings, options.severity)
    count, q3 = template_signature(report)
    return Analysis(report, view, resolution, choose_profile(count, q3), results, findings, handin)
