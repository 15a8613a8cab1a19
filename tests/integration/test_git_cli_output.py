"""`reportls check` and git, as a command in a subprocess, with the real `git` in temporary
repositories (exact texts; test_git_cli.py has the JSON-only cases): what the hand-in scrape will get (figure-untracked, figure-ignored, figure-unpushed,
report-location), the hand-in status line, the JSON "git" key, and every way of turning it off or
having no git at all.  git's own configuration is isolated (no global or system config)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.groups import passing_report, write_report
from tests.gitrepo import git, add_origin

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")]
ROOT = Path(__file__).resolve().parents[2]
NO_REMOTE = "Hand-in: no remote, nothing is pushed"
HANDIN = "Hand-in (origin/main as of last fetch): "
UNTRACKED = ("`figures/a.png` is not committed: the hand-in scrape will not have it "
             "(`git add reports/figures/a.png`)")
SCRAPE = "the scrape reads only reports/README.md at the repository root on the default branch"
GIT_CODES = ("figure-untracked", "figure-ignored", "figure-unpushed", "report-location")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"), GIT_CEILING_DIRECTORIES=str(tmp_path),
               GIT_AUTHOR_NAME="Student", GIT_AUTHOR_EMAIL="s123456@student.dtu.dk",
               GIT_COMMITTER_NAME="Student", GIT_COMMITTER_EMAIL="s123456@student.dtu.dk")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "server"), str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env




def check(cwd: Path, *args: str, ceiling: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """`reportls check ARGS` in ``cwd``; git searches no folder above ``ceiling`` (default: cwd's parent)."""
    return subprocess.run([sys.executable, "-m", "reportls", "check", *args], cwd=cwd,
                          env=environment(ceiling or cwd.parent, **env), capture_output=True, text=True, timeout=120)


def positions(text: str, needle: str = "figures/a.png") -> list[tuple[int, int]]:
    """1-based (line, column) of every shown link destination ``needle`` (not the template's
    `![my_image](figures/<image>.<extension>)` in inline code)."""
    out, i = [], text.find("](" + needle)
    while i >= 0:
        start = i + 2
        line = text.count("\n", 0, start) + 1
        out.append((line, start - (text.rfind("\n", 0, start) + 1) + 1))
        i = text.find("](" + needle, start)
    return out


@pytest.fixture
def repo(tmp_path) -> Path:
    """A group's repository: the passing report (linking `figures/a.png` five times) committed on
    `main`, the figure on disk but not added."""
    root = tmp_path / "group"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_report(root / "reports", passing_report())
    git(root, "add", "reports/README.md")
    git(root, "commit", "-q", "-m", "report")
    return root


def text_of(repo: Path) -> str:
    return (repo / "reports" / "README.md").read_text(encoding="utf-8")




def git_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if any(f"[{c}]" in line for c in GIT_CODES)]


# The checklist's unticked "Create a git repository" item, which every repository here shows (a hint).
HIDDEN_HINT = "1 hint (1 hidden: --show-hints or --format json shows it)"


# --- the findings and the status line -------------------------------------------------------------


def test_untracked_figure_and_the_status_line_at_the_end(repo):
    done = check(repo)  # no PATH: reports/README.md
    # the closing summary; the hint is the checklist's unticked "git repository" item (the repository shows it)
    assert done.returncode == 0 and done.stderr == f"reportls: 6 findings: 5 warnings, {HIDDEN_HINT}\n"
    assert git_lines(done.stdout) == [f"reports/README.md:{line}:{col}: warning [figure-untracked] {UNTRACKED}"
                                      for line, col in positions(text_of(repo))]
    assert done.stdout.splitlines()[-2:] == ["Total number of questions passed: 31/31", NO_REMOTE]
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "figure")
    done = check(repo)
    assert git_lines(done.stdout) == [] and done.stdout.splitlines()[-1] == NO_REMOTE


@pytest.mark.parametrize("rules, label", [
    ("*.png\n", ".gitignore:1 *.png"),
    ("data/\nreports/\n", ".gitignore:2 reports/"),
    ("reports/figures/**\n", ".gitignore:1 reports/figures/**"),
    ("reports\n!reports/README.md\n", ".gitignore:1 reports"),  # the negation does not re-include it
])
def test_ignored_figure_is_an_error(repo, rules, label):
    (repo / ".gitignore").write_text(rules)
    done = check(repo, "reports/README.md")
    assert done.returncode == 1
    message = (f"`figures/a.png` is ignored by `{label}`: it is not committed, so the hand-in scrape will not have "
               "it (change that rule, or `git add -f reports/figures/a.png`)")
    assert git_lines(done.stdout) == [f"reports/README.md:{line}:{col}: error [figure-ignored] {message}"
                                      for line, col in positions(text_of(repo))]
    assert done.stdout.splitlines()[-1] == NO_REMOTE


def test_rule_that_would_ignore_the_next_screenshot(repo):
    (repo / ".gitignore").write_text("*.png\n")
    git(repo, "add", "-f", "reports/figures/a.png", ".gitignore")
    git(repo, "commit", "-q", "-m", "figure, force-added")
    done = check(repo)
    assert done.returncode == 0
    assert git_lines(done.stdout) == [
        "reports/README.md:1:1: information [figure-ignored] `.gitignore:1 *.png` ignores new files in "
        "reports/figures/: your next screenshot will not be committed"]


def test_committed_but_not_pushed_then_pushed(repo):
    add_origin(repo)
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "figure")
    done = check(repo)
    assert done.returncode == 0
    message = ("`figures/a.png` is committed but not on origin/main as of your last fetch: the hand-in scrape will "
               "not have it until you push (`git push`)")
    assert git_lines(done.stdout) == [f"reports/README.md:{line}:{col}: warning [figure-unpushed] {message}"
                                      for line, col in positions(text_of(repo))]
    assert done.stdout.splitlines()[-1] == HANDIN + "1 local commit not on origin/main"
    git(repo, "push", "-q")
    done = check(repo)
    assert git_lines(done.stdout) == [] and done.stdout.splitlines()[-1] == HANDIN + "up to date"
    (repo / "reports" / "README.md").write_text(text_of(repo) + "\nMore text.\n")
    assert check(repo).stdout.splitlines()[-1] == HANDIN + "uncommitted changes not on origin/main"


def test_json_git_key(repo):
    add_origin(repo)
    git(repo, "add", "reports/figures/a.png")
    git(repo, "commit", "-q", "-m", "figure")
    done = check(repo, "--format", "json")
    data = json.loads(done.stdout)
    assert data["schema"] == 1
    [f] = data["files"]
    assert f["git"] == {
        "root": str(repo.resolve()),
        "report": "reports/README.md",
        "remote_ref": "origin/main",
        "report_tracked": True,
        "report_ignored_by": None,
        "report_on_remote": True,
        "commits_ahead": 1,
        "commits_behind": 0,
        "uncommitted": [],
        "status": HANDIN + "1 local commit not on origin/main",
        "new_figures_ignored_by": None,
        "figures": {"figures/a.png": {"state": "unpushed", "path": "reports/figures/a.png"}},
        "github": None,
        "complete": True,
        "shallow": False,
        "ci_checkout": False,
        "refused": None,
    }
    assert {d["code"] for d in f["diagnostics"]} >= {"figure-unpushed"}


def test_github_format_annotations(repo):
    done = check(repo, "--format", "github")
    lines = [line for line in done.stdout.splitlines() if "figure-untracked" in line]
    (line, col), *_ = positions(text_of(repo))
    assert lines[0] == (f"::warning file=reports/README.md,line={line},col={col},endLine={line},"
                        f"endColumn={col + len('figures/a.png')},title=reportls figure-untracked::"
                        + UNTRACKED.replace("%", "%25"))
    assert len(lines) == 5 and not any(NO_REMOTE in line for line in done.stdout.splitlines())


# --- where the report is ------------------------------------------------------------------------


def test_root_readme_fallback_says_so_and_warns(tmp_path):
    root = tmp_path / "group"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text(passing_report())
    done = check(root)  # no reports/README.md: the fallback
    assert done.stderr.startswith("reportls: no reports/README.md here; checking README.md, which the ")
    assert done.stderr.count("\n") == 2
    assert done.stderr.endswith(f"\nreportls: 7 findings: 5 errors, 1 warning, {HIDDEN_HINT}\n")
    assert git_lines(done.stdout) == [
        f"README.md:1:1: warning [report-location] `README.md` is not handed in: {SCRAPE} (move the report there)"]


def test_nested_project_report(repo):
    nested = repo / "proj" / "reports"
    write_report(nested, passing_report())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "nested")
    done = check(repo, "proj/reports/README.md")
    assert git_lines(done.stdout) == [
        f"proj/reports/README.md:1:1: warning [report-location] `proj/reports/README.md` is not handed in: {SCRAPE} "
        "(move the report there)"]
    assert done.stdout.splitlines()[-1] == NO_REMOTE
    assert check(nested, "README.md", ceiling=repo.parent).stdout == done.stdout.replace("proj/reports/README.md:1:1", "README.md:1:1")


def test_worktree_with_a_git_file(repo):
    wt = repo.parent / "draft"
    git(repo, "worktree", "add", "-q", "-b", "draft", str(wt))
    assert (wt / ".git").is_file()
    write_report(wt / "reports", passing_report())  # the figure, untracked in the worktree
    done = check(wt)
    assert git_lines(done.stdout) == [f"reports/README.md:{line}:{col}: warning [figure-untracked] {UNTRACKED}"
                                      for line, col in positions(text_of(wt))]
    assert done.stdout.splitlines()[-1] == NO_REMOTE


# --- no git: no repository, git not installed, turned off -----------------------------------------


def _no_git_output(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert git_lines(done.stdout) == []
    assert done.stdout.splitlines()[-1] == "Total number of questions passed: 31/31"


def test_no_repository(tmp_path):
    folder = tmp_path / "downloaded"
    write_report(folder / "reports", passing_report())
    _no_git_output(check(folder))
    [f] = json.loads(check(folder, "--format", "json").stdout)["files"]
    assert f["git"] is None and not [d for d in f["diagnostics"] if d["code"] in GIT_CODES]


def test_git_not_on_path(repo, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    _no_git_output(check(repo, PATH=str(empty)))
    [f] = json.loads(check(repo, "--format", "json", PATH=str(empty)).stdout)["files"]
    assert f["git"] is None


@pytest.mark.parametrize("how", ["--no-git", ".reportls.yaml", "pyproject.toml"])
def test_turned_off(repo, how):
    args = []
    if how == "--no-git":
        args = ["--no-git"]
    elif how == ".reportls.yaml":
        (repo / "reports" / ".reportls.yaml").write_text("git: false\n")
    else:
        (repo / "pyproject.toml").write_text('[project]\nname = "group"\n\n[tool.reportls]\ngit = false\n')
    (repo / ".gitignore").write_text("*.png\n")  # would be an error with git
    done = check(repo, *args)
    assert done.stderr == f"reportls: 1 finding: {HIDDEN_HINT}\n"  # the checklist's hint alone, nothing of git
    _no_git_output(done)
    [f] = json.loads(check(repo, "--format", "json", *args).stdout)["files"]
    assert f["git"] is None


def test_git_key_must_be_true_or_false(repo):
    (repo / "reports" / ".reportls.yaml").write_text("git: sometimes\n")
    done = check(repo)
    config = repo / "reports" / ".reportls.yaml"
    # a bad value is a malformed config: exit 2, one line naming the file and line, nothing checked
    assert done.stderr == f"reportls: {config}:1: git: expected true or false, got 'sometimes'\n"
    assert done.returncode == 2 and done.stdout == ""
