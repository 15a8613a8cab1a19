"""The pre-commit hook, end to end with the real `pre-commit` from PyPI and real `git commit`s.

The hook repository is a snapshot of THIS working tree (tracked and untracked files, as git
would commit them, without ignored ones such as .venv and node_modules), committed to a
temporary git repository: pre-commit clones it at that commit, builds its own venv and
pip-installs it, so the test exercises the current code, not the last commit of main.  A group's
repository is then made in another temporary folder with `repo: <snapshot path>`,
`rev: <snapshot sha>`, `hooks: [{id: reportls}]`, and the hook is installed with
`pre-commit install`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.groups import answer_line, failing_report, passing_report, write_report

pytestmark = pytest.mark.integration
pytest.importorskip("pre_commit", reason="pre-commit is in the test extras: pip install -e '.[test]'")
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
HOOK_NAME = "reportls (report.py check, explained)"
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache",
                                 ".hypothesis", ".ruff_cache", "*.egg-info", "build", "dist", "*.vsix")


def git_env(home: Path) -> dict[str, str]:
    """A git and pre-commit environment that ignores the user's own git config and caches."""
    gitconfig = home / "gitconfig"
    if not gitconfig.exists():
        gitconfig.write_text("[user]\n\tname = Test Group\n\temail = group@example.invalid\n"
                             "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(home / "pre-commit"),
               PRE_COMMIT_COLOR="never", TERM="dumb", NO_COLOR="1")
    return env


def git(cwd: Path, env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=120)


def snapshot_files(root: Path) -> list[str] | None:
    """The working tree as git would commit it (tracked + untracked, minus ignored), or None."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                         capture_output=True, check=False)
    if out.returncode != 0:
        return None
    return [f for f in out.stdout.decode("utf-8", "surrogateescape").split("\0") if f and (root / f).is_file()]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("precommit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, home) -> tuple[Path, str]:
    """(path, sha) of a one-commit git repository holding a snapshot of this working tree."""
    env = git_env(home)
    dest = tmp_path_factory.mktemp("hook-repo") / "reportls"
    files = snapshot_files(ROOT)
    if files is None:  # not a git checkout: copy the tree minus what .gitignore lists
        shutil.copytree(ROOT, dest, ignore=IGNORED)
    else:
        for f in files:
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    git(dest, env, "init", "-q")
    git(dest, env, "add", "-A")
    git(dest, env, "commit", "-q", "-m", "snapshot of the working tree")
    sha = git(dest, env, "rev-parse", "HEAD").stdout.strip()
    return dest, sha


@pytest.fixture
def group(tmp_path, home, hook_repo) -> Path:
    """A group's repository using the hook (installed as the git pre-commit hook)."""
    env = git_env(home)
    repo = tmp_path / "group-repo"
    repo.mkdir()
    git(repo, env, "init", "-q")
    path, sha = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: reportls\n")
    (repo / "train.py").write_text("print('training')\n")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "--no-verify", "-m", "start")
    out = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return repo


def commit(repo: Path, home: Path, message: str) -> tuple[int, str]:
    """`git add -A && git commit` through the installed hook; (exit code, everything printed)."""
    env = git_env(home)
    git(repo, env, "add", "-A")
    out = subprocess.run(["git", "commit", "-m", message], cwd=repo, env=env, capture_output=True, text=True,
                         timeout=900)
    return out.returncode, out.stdout + out.stderr


def commits(repo: Path, home: Path) -> int:
    return int(git(repo, git_env(home), "rev-list", "--count", "HEAD").stdout)


def hook_status(output: str) -> str:
    """The status pre-commit prints after the hook's dotted name: Passed, Failed or Skipped."""
    line = next(line for line in output.splitlines() if line.startswith(HOOK_NAME))
    return line.rstrip().rsplit(".", 1)[-1].replace("(no files to check)", "")


def test_failing_report_fails_the_commit_with_the_failing_questions(group, home):
    text = failing_report(7, 20)
    write_report(group / "reports", text)
    code, output = commit(group, home, "report draft")
    assert code == 1, output
    assert hook_status(output) == "Failed"
    line = answer_line(text, 7)
    assert (f"reports/README.md:{line}: Question 7 failed check. Expected number of words to be between 50 and 100 "
            "but got 20") in output.splitlines()
    assert "Total number of questions passed: 30/31" in output.splitlines()
    assert "- exit code: 1" in output
    assert commits(group, home) == 1  # the commit was not made


def test_passing_report_commits(group, home):
    write_report(group / "reports", passing_report())
    code, output = commit(group, home, "report")
    assert code == 0, output
    assert hook_status(output) == "Passed"
    assert commits(group, home) == 2


def test_commit_touching_only_other_files_skips_the_hook(group, home):
    write_report(group / "reports", failing_report(7, 20))
    env = git_env(home)
    git(group, env, "add", "-A")
    git(group, env, "commit", "-q", "--no-verify", "-m", "a failing report, committed without the hook")
    (group / "train.py").write_text("print('training, longer')\n")
    (group / "reports" / "figures" / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # beside the report, not the report
    code, output = commit(group, home, "code only")
    assert code == 0, output
    assert f"{HOOK_NAME}" in output and "(no files to check)Skipped" in output
    assert hook_status(output) == "Skipped"
    assert commits(group, home) == 3


def test_hook_uses_the_cli_constraint_discovery(group, home):
    # pyproject.toml [tool.reportls] at the repository root: the 2025 table needs Q3 100-200 words (it has 60)
    (group / "pyproject.toml").write_text('[project]\nname = "group"\n\n[tool.reportls]\nconstraints = "2025"\n')
    text = passing_report()
    write_report(group / "reports", text)
    code, output = commit(group, home, "report, 2025 table")
    assert code == 1, output
    assert (f"reports/README.md:{answer_line(text, 3)}: Question 3 failed check. Expected number of words to be "
            "between 100 and 200 but got 60") in output.splitlines()
    # a .reportls.yaml in the report's folder is nearer, and wins
    (group / "reports" / ".reportls.yaml").write_text("constraints: 2026\n")
    code, output = commit(group, home, "report, 2026 table")
    assert code == 0, output
    assert hook_status(output) == "Passed"


def test_hook_passes_every_changed_report(group, home):
    # a repository holding two reports (e.g. a course repo with one folder per group)
    first, second = failing_report(7, 20), failing_report(16, 30)
    write_report(group / "reports", first)
    write_report(group / "team2" / "reports", second)
    (group / "notes.md").write_text("# Notes\n\n### Question 1\n")  # markdown, but not matched by the hook
    code, output = commit(group, home, "two reports")
    assert code == 1, output
    lines = output.splitlines()
    assert "==> reports/README.md <==" in lines and "==> team2/reports/README.md <==" in lines
    assert f"reports/README.md:{answer_line(first, 7)}: Question 7 failed check. Expected number of words to be " \
           "between 50 and 100 but got 20" in lines
    assert f"team2/reports/README.md:{answer_line(second, 16)}: Question 16 failed check. Expected number of words " \
           "to be between 100 and 200 but got 30" in lines
    assert "Checked 2 reports: 0 passing, 2 failing." in lines
    assert "notes.md" not in output


def test_figure_staged_in_this_commit_is_in_the_commit(group, home, hook_repo):
    """Under pre-commit (``PRE_COMMIT=1``) the index is the commit being made: a figure staged with
    the report is committed by it, not "staged but not committed" (issue 22).  ``verbose: true``
    shows the output of a passing hook."""
    path, sha = hook_repo
    (group / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: reportls\n        verbose: true\n")
    text = passing_report().replace("![a](figures/a.png)", "![a](figures/a.png) ![b](figures/b.png)", 1)
    write_report(group / "reports", text)
    (group / "reports" / "figures" / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    env = git_env(home)
    git(group, env, "add", "-A")
    # outside pre-commit the same index is "staged but not committed"
    outside = subprocess.run([sys.executable, "-m", "reportls", "check", "reports/README.md"], cwd=group,
                             env={k: v for k, v in env.items() if k != "PRE_COMMIT"}, capture_output=True,
                             text=True, timeout=120)
    assert "`figures/b.png` is staged but not committed" in outside.stdout
    code, output = commit(group, home, "report with a new figure")
    assert code == 0, output
    assert hook_status(output) == "Passed"
    assert "Total number of questions passed: 31/31" in output  # the hook's own output is shown
    assert "staged but not committed" not in output and "figure-untracked" not in output
    assert commits(group, home) == 2


@pytest.mark.parametrize("how", [["-a"], ["reports/README.md"]], ids=["commit -a", "commit PATH"])
def test_commit_staging_into_a_temporary_index_is_read_from_it(group, home, hook_repo, how, tmp_path):
    """``git commit -a`` and ``git commit PATH`` stage into a temporary index (``GIT_INDEX_FILE`` in
    the hook): the report changed only there is in the commit being made, not "uncommitted"."""
    path, sha = hook_repo
    (group / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: reportls\n        verbose: true\n")
    env = git_env(home)
    remote = tmp_path / "origin.git"
    git(tmp_path, env, "init", "-q", "--bare", str(remote))
    git(group, env, "remote", "add", "origin", str(remote))
    write_report(group / "reports", passing_report())
    git(group, env, "add", "-A")
    git(group, env, "commit", "-q", "--no-verify", "-m", "report")
    git(group, env, "push", "-q", "origin", "HEAD:main")
    git(group, env, "fetch", "-q", "origin")
    report = group / "reports" / "README.md"
    report.write_text(report.read_text(encoding="utf-8").replace("Answer:\n", "Answer:\n\nAlso this. ", 1),
                      encoding="utf-8")  # changed in the work tree, not staged
    out = subprocess.run(["git", "commit", "-m", "more", *how], cwd=group, env=env, capture_output=True, text=True,
                         timeout=900)
    output = out.stdout + out.stderr
    assert out.returncode == 0, output
    assert "Hand-in (origin/main as of last fetch): up to date" in output
    assert "uncommitted changes" not in output
