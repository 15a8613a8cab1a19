"""One registry of checks: the built-in checks listed once in ``checks.BUILTIN``, each with the inputs
it reads, and the checks a caller adds (hand-in, links, git) run through the same protocol, with an
explicit ``pending``."""

from reportls.text.records import fields

from tests.reportgen import make_report

from reportls import checks
from reportls.analysis import analyze
from reportls.checks import BUILTIN, CheckInputs, ReportCheck
from reportls.checks.git import GitCheck
from reportls.checks.links import LinkCheck
from reportls.constraints.table import Constraint, ConstraintTable
from reportls.findings import Finding
from reportls.handin.findings import HandinCheck
from reportls.report.model import Span
from reportls.report.parse import parse_report
from reportls.report.reportpy import read_as_report_py


def test_each_builtin_check_is_listed_once_with_the_inputs_it_reads():
    names = [c.name for c in BUILTIN]
    assert len(names) == len(set(names)) == 13
    names_in = {f.name for f in fields(CheckInputs)}
    for check in BUILTIN:
        assert check.needs and set(check.needs) <= names_in | {"secrets"}, check.name
        assert check.pending == () and not check.reports_only


def test_the_added_checks_follow_the_same_protocol():
    for check in (HandinCheck(), LinkCheck(None), GitCheck(None)):
        assert isinstance(check, ReportCheck) and check.reports_only and check.pending == ()
        assert check.name in ("handin", "links", "git")


class Waiting(ReportCheck):
    """A check that finds one thing at the start and leaves question 3 for later."""

    name = "waiting"

    def __call__(self, report, view=None):
        self.pending = (3,)
        return [Finding("heading", Span(0, 1), "a test finding", question=3)]


def test_pending_questions_and_findings_of_an_added_check_reach_the_analysis():
    text = make_report({})
    a = analyze(text, checks=[Waiting()])
    assert a.deferred == (3,)
    assert [f.message for f in a.findings if f.message == "a test finding"] == ["a test finding"]


def test_an_added_check_runs_on_a_report_only():
    a = analyze("# Notes\n\nNothing here.\n", checks=[Waiting()])
    assert a.deferred == () and not any(f.message == "a test finding" for f in a.findings)


def test_run_sorts_builtin_and_added_findings_by_place():
    text = make_report({})

    table = ConstraintTable(name="test", answers=31, questions=tuple(Constraint(0, 1000) for _ in range(31)))
    report = parse_report(text)
    view = read_as_report_py(text, 31)
    res = checks.results(report, view, table)
    found = checks.run(report, view, table, res, None, [], [Waiting()])
    assert [(f.span.start, f.code) for f in found] == sorted((f.span.start, f.code) for f in found)
    assert found[0].message == "a test finding"
