"""The git findings (``reportls.checks.git``): figure-untracked, figure-ignored, figure-unpushed and
report-location, from facts read with the real ``git`` in temporary repositories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportls.analysis import Options, analyze
from reportls.findings import DEFAULT_SEVERITY, Finding, GitFigure
from reportls.checks.git import (
    SCRAPE_READS,
    GitCheck,
    checked_links,
    git_findings,
    linked_figure_paths,
    report_location_finding,
    shell_path,
    title_span,
)
from reportls.git.facts import read_git_facts
from reportls.report.parse import Parser
from tests.gitrepo import isolate, git, add_origin, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

TITLE = "# Exam template for 02476 Machine Learning Operations"


def report_text(*links: str, before: str = "") -> str:
    """A minimal report: a title, ``### Question 1`` with its ``Answer:`` and the image links."""
    body = " ".join(f"![x]({d})" for d in links)
    return f"{TITLE}\n\n{before}### Question 1\n\n> **Prompt?**\n>\n> Answer:\n\nWe made it. {body}\n"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)





@pytest.fixture
def repo(tmp_path) -> Path:
    """A project with ``reports/README.md`` (linking ``figures/a.png``) committed on ``main``."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "reports" / "README.md", report_text("figures/a.png"))
    git(root, "add", "reports/README.md")
    git(root, "commit", "-q", "-m", "report")
    return root


def findings_for(report_path: Path, text: str | None = None) -> tuple[list[Finding], str]:
    text = report_path.read_text(encoding="utf-8") if text is None else text
    report = Parser().parse(text)
    facts = read_git_facts(report_path, linked_figure_paths(report))
    return git_findings(report, facts, report_path), text


def at(text: str, needle: str, nth: int = 0) -> int:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i


# --- figure-untracked ---------------------------------------------------------------------------


def test_untracked_figure_on_its_destination(repo):
    write(repo / "reports" / "figures" / "a.png", "png")
    [f], text = findings_for(repo / "reports" / "README.md")
    assert f.code == "figure-untracked" and f.severity == "warning" and f.question == 1
    assert f.message == ("`figures/a.png` is not committed: the hand-in scrape will not have it "
                         "(`git add reports/figures/a.png`)")
    assert text[f.span.start:f.span.end] == "figures/a.png"
    assert f.payload == GitFigure("reports/figures/a.png", command="git add reports/figures/a.png")


def test_staged_figure_is_not_committed_yet(repo):
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "reports/figures/a.png")
    [f], _ = findings_for(repo / "reports" / "README.md")
    assert (f.code, f.severity) == ("figure-untracked", "warning")
    assert f.message == "`figures/a.png` is staged but not committed: the hand-in scrape will not have it (`git commit`)"


def test_committed_missing_hidden_and_url_links_say_nothing(repo):
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "a")
    write(repo / "reports" / "figures" / "c.png", "png")
    text = report_text("figures/a.png", "./figures/a.png", "figures/gone.png", "https://x.org/c.png",
                       "../figures/c.png", before="`![x](figures/c.png)`\n\n<!-- ![x](figures/c.png) -->\n\n")
    path = write(repo / "reports" / "README.md", text)
    assert findings_for(path) == ([], text)
    assert linked_figure_paths(Parser().parse(text)) == ["figures/a.png", "figures/gone.png"]


def test_name_with_spaces_and_non_ascii_is_decoded_and_quoted(repo):
    write(repo / "reports" / "figures" / "min graf ø.png", "png")
    path = write(repo / "reports" / "README.md", report_text("figures/min%20graf%20%C3%B8.png"))
    [f], _ = findings_for(path)
    assert f.message == ("`figures/min graf ø.png` is not committed: the hand-in scrape will not have it "
                         '(`git add "reports/figures/min graf ø.png"`)')
    assert shell_path("reports/figures/a-1_b.png") == "reports/figures/a-1_b.png"


def test_other_letter_case_in_the_index(repo):
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "a")
    if (repo / "reports" / "figures" / "A.png").exists():  # pragma: no cover - case-insensitive file system
        pytest.skip("needs a case-sensitive file system")
    write(repo / "reports" / "figures" / "A.png", "png")
    path = write(repo / "reports" / "README.md", report_text("figures/A.png"))
    [f], _ = findings_for(path)
    assert f.code == "figure-untracked"
    assert f.message == ("`figures/A.png` is not committed with this letter case: git has `reports/figures/a.png`, "
                         "and the hand-in scrape is case-sensitive, so it will not have `reports/figures/A.png` "
                         "(rename it in git: `git mv -f reports/figures/a.png reports/figures/A.png`)")


# --- figure-ignored -----------------------------------------------------------------------------


@pytest.mark.parametrize("rules, label", [
    ("__pycache__/\n*.png\n", ".gitignore:2 *.png"),
    ("reports/\n", ".gitignore:1 reports/"),
    ("reports/figures/**\n", ".gitignore:1 reports/figures/**"),
    ("reports\n!reports/README.md\n", ".gitignore:1 reports"),  # the negation cannot re-include it
])
def test_ignored_figure_names_the_rule(repo, rules, label):
    write(repo / ".gitignore", rules)
    write(repo / "reports" / "figures" / "a.png", "png")
    [f], text = findings_for(repo / "reports" / "README.md")  # no title-line finding besides the error
    assert (f.code, f.severity, f.question) == ("figure-ignored", "error", 1)
    assert f.message == (f"`figures/a.png` is ignored by `{label}`: it is not committed, so the hand-in scrape "
                         "will not have it (change that rule, or `git add -f reports/figures/a.png`)")
    assert text[f.span.start:f.span.end] == "figures/a.png"
    source, line_pattern = label.split(":", 1)
    line, pattern = line_pattern.split(" ", 1)
    assert f.payload == GitFigure("reports/figures/a.png", rule_source=source, rule_line=int(line),
                                  pattern=pattern, rule_kind="gitignore", figures_folder="reports/figures")


def test_rule_in_info_exclude(repo):
    write(repo / ".git" / "info" / "exclude", "*.png\n")
    write(repo / "reports" / "figures" / "a.png", "png")
    [f], _ = findings_for(repo / "reports" / "README.md")
    assert f.code == "figure-ignored" and "`.git/info/exclude:1 *.png`" in f.message
    assert f.payload.rule_kind == "info-exclude"


def test_rule_ignoring_new_figures_when_the_linked_ones_are_committed(repo):
    write(repo / ".gitignore", "data/\n*.png\n")
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "-f", "reports/figures/a.png", ".gitignore")  # force-added, as 3 of 71 groups did
    git(repo, "commit", "-q", "-m", "figure")
    [f], text = findings_for(repo / "reports" / "README.md")
    assert (f.code, f.severity, f.question) == ("figure-ignored", "information", None)
    assert f.message == ("`.gitignore:2 *.png` ignores new files in reports/figures/: your next screenshot will "
                         "not be committed")
    assert text[f.span.start:f.span.end] == TITLE
    assert f.payload == GitFigure(None, rule_source=".gitignore", rule_line=2, pattern="*.png",
                                  rule_kind="gitignore", figures_folder="reports/figures")


def test_title_line_without_a_title_heading():
    report = Parser().parse("Some text\r\n\n### Question 1\n\n> Answer:\n")
    assert title_span(report).start == 0 and title_span(report).end == len("Some text")


# --- figure-unpushed ----------------------------------------------------------------------------




def test_committed_but_not_pushed(repo):
    add_origin(repo)
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "figure")
    [f], text = findings_for(repo / "reports" / "README.md")
    assert (f.code, f.severity) == ("figure-unpushed", "warning")
    assert f.message == ("`figures/a.png` is committed but not on origin/main as of your last fetch: the hand-in "
                         "scrape will not have it until you push (`git push`)")
    assert f.payload == GitFigure("reports/figures/a.png", remote_ref="origin/main")
    git(repo, "push", "-q")
    assert findings_for(repo / "reports" / "README.md")[0] == []


# --- report-location ----------------------------------------------------------------------------


def test_report_at_the_repository_root(repo):
    path = write(repo / "README.md", report_text())
    [f], text = findings_for(path)
    assert (f.code, f.severity) == ("report-location", "warning")
    assert f.message == (f"`README.md` is not handed in: {SCRAPE_READS} (move the report there)")
    assert SCRAPE_READS == "the scrape reads only reports/README.md at the repository root on the default branch"
    assert text[f.span.start:f.span.end] == TITLE
    assert f.payload == GitFigure("README.md", expected="reports/README.md")


@pytest.mark.parametrize("where", ["proj/reports/README.md", "reports/reports.md", "report/README.md"])
def test_report_elsewhere_in_the_repository(repo, where):
    path = write(repo / where, report_text())
    [f], _ = findings_for(path)
    assert f.code == "report-location"
    assert f.message == f"`{where}` is not handed in: {SCRAPE_READS} (move the report there)"


def test_report_location_from_the_root_and_path_alone(tmp_path):
    report = Parser().parse(report_text())
    root = tmp_path / "repo"
    assert report_location_finding(report, root, root / "reports" / "README.md") is None
    f = report_location_finding(report, root, root / "proj" / "reports" / "README.md")
    assert f is not None and f.payload.path == "proj/reports/README.md"
    assert report_location_finding(report, root, tmp_path / "elsewhere.md") is None  # not in the repository


# --- no facts, worktrees, analyze -----------------------------------------------------------------


def test_no_repository_no_findings(tmp_path):
    path = write(tmp_path / "plain" / "reports" / "README.md", report_text("figures/a.png"))
    write(path.parent / "figures" / "a.png", "png")
    assert read_git_facts(path, ["figures/a.png"]) is None
    assert git_findings(Parser().parse(path.read_text()), None, path) == []
    assert GitCheck(None, path)(Parser().parse(path.read_text())) == []
    assert GitCheck(None, path).status is None


def test_worktree_with_a_git_file(repo):
    wt = repo.parent / "wt"
    git(repo, "worktree", "add", "-q", "-b", "draft", str(wt))
    assert (wt / ".git").is_file()
    write(wt / "reports" / "figures" / "a.png", "png")
    [f], _ = findings_for(wt / "reports" / "README.md")
    assert f.code == "figure-untracked" and "`git add reports/figures/a.png`" in f.message


def test_git_check_in_analyze_with_severity_overrides(repo):
    write(repo / "reports" / "figures" / "a.png", "png")
    path = repo / "reports" / "README.md"
    text = path.read_text()
    report = Parser().parse(text)
    facts = read_git_facts(path, linked_figure_paths(report))
    check = GitCheck(facts, path)
    assert check.status == "Hand-in: no remote, nothing is pushed"
    analysis = analyze(text, path=path, report=report, checks=[check])
    assert [f.code for f in analysis.findings if f.code.startswith(("figure-", "report-"))] == ["figure-untracked"]
    quiet = analyze(text, path=path, options=Options(severity={"figure-untracked": "off"}), checks=[check])
    assert not [f for f in quiet.findings if f.code == "figure-untracked"]


def test_default_severities():
    assert {c: DEFAULT_SEVERITY[c] for c in ("figure-untracked", "figure-ignored", "figure-unpushed",
                                             "report-location")} == {
        "figure-untracked": "warning", "figure-ignored": "error", "figure-unpushed": "warning",
        "report-location": "warning"}


def test_checked_links_skip_undefined_references():
    report = Parser().parse(report_text() + "\n![a][nothing] ![b][ref]\n\n[ref]: figures/r.png\n")
    assert [p for _, p in checked_links(report)] == ["figures/r.png"]
