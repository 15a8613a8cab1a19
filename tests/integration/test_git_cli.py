"""`reportls check` in real git repositories (issue 16): what the hand-in scrape will get.

Each case builds a repository with the real `git` (no global config), runs the real command
line in a subprocess and reads its JSON or text output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reportgen import make_report, words

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    *args], cwd=root, env=ENV, check=True, capture_output=True)


def report_in(folder: Path) -> Path:
    """A report linking figures/a.png (on disk) in question 19."""
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "figures" / "a.png").write_bytes(b"\x89PNG")
    answers = {n: words(150) for n in range(1, 32)}
    answers[19] = "![a](figures/a.png)"
    path = folder / "README.md"
    path.write_text(make_report(answers))
    return path


def check(cwd: Path, *args: str, env: dict | None = None) -> tuple[int, dict | str, str]:
    run = subprocess.run([sys.executable, "-m", "reportls", "check", *args], cwd=cwd, env=env or ENV,
                         capture_output=True, text=True)
    out = json.loads(run.stdout) if "--format" in args else run.stdout
    return run.returncode, out, run.stderr


def codes(out: dict) -> list[str]:
    return [d["code"] for d in out["files"][0]["diagnostics"] if d["code"].startswith(("figure-", "report-"))]


def committed_repo(tmp_path: Path, ignore: str | None = None, add_figure: bool = False) -> Path:
    root = tmp_path / "repo"
    report_in(root / "reports")
    if ignore is not None:
        (root / ".gitignore").write_text(ignore)
    git(root, "init", "-q")
    git(root, "add", "reports/README.md", *([".gitignore"] if ignore else []))
    if add_figure:
        git(root, "add", "reports/figures/a.png")
    git(root, "commit", "-qm", "report")
    return root


@pytest.mark.parametrize("ignore, rule", [
    ("*.png\n", ".gitignore:1 *.png"),
    ("reports/figures/**\n", ".gitignore:1 reports/figures/**"),
    ("reports/\n!reports/README.md\n", ".gitignore:1 reports/"),  # the negation cannot re-include
])
def test_ignored_figure(tmp_path, ignore, rule):
    root = tmp_path / "repo"
    report_in(root / "reports")
    (root / ".gitignore").write_text(ignore)
    git(root, "init", "-q")
    git(root, "add", "-f", "reports/README.md", ".gitignore")
    git(root, "commit", "-qm", "report")
    rc, out, _ = check(root, "--format", "json")
    (d,) = [d for d in out["files"][0]["diagnostics"] if d["code"] == "figure-ignored"]
    assert d["severity"] == "error" and f"`{rule}`" in d["message"]
    assert rc == 1


def test_untracked_then_unpushed_then_up_to_date(tmp_path):
    root = committed_repo(tmp_path)
    rc, out, _ = check(root, "--format", "json")
    assert codes(out) == ["figure-untracked"]
    assert any("(`git add reports/figures/a.png`)" in d["message"] for d in out["files"][0]["diagnostics"])
    assert out["files"][0]["git"]["status"] == "Hand-in: no remote, nothing is pushed"
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(root, "push", "-q", "origin", "main")
    git(root, "fetch", "-q", "origin")
    git(root, "add", "reports/figures/a.png")
    git(root, "commit", "-qm", "figure")
    rc, out, _ = check(root, "--format", "json")
    assert codes(out) == ["figure-unpushed"]
    assert out["files"][0]["git"]["status"] == "Hand-in (origin/main as of last fetch): 1 local commit not on origin/main"
    git(root, "push", "-q", "origin", "main")
    rc, text, _ = check(root)
    assert text.rstrip().splitlines()[-1] == "Hand-in (origin/main as of last fetch): up to date"
    assert "figure-" not in text


def test_no_git_and_the_config_key_turn_it_off(tmp_path):
    root = committed_repo(tmp_path)
    _, out, _ = check(root, "--format", "json", "--no-git")
    assert codes(out) == [] and out["files"][0]["git"] is None
    (root / ".reportls.yaml").write_text("git: false\n")
    _, out, _ = check(root, "--format", "json")
    assert codes(out) == [] and out["files"][0]["git"] is None


def test_report_at_the_root_and_in_a_nested_project(tmp_path):
    root = tmp_path / "repo"
    report_in(root)
    report_in(root / "proj" / "reports")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "x")
    rc, out, err = check(root, "--format", "json")
    assert codes(out) == ["report-location"]
    assert "no reports/README.md here; checking README.md" in err
    _, out, _ = check(root, "--format", "json", "proj/reports/README.md")
    (d,) = [d for d in out["files"][0]["diagnostics"] if d["code"] == "report-location"]
    assert "proj/reports/README.md" in d["message"] and "reads only reports/README.md" in d["message"]


def test_no_repository_no_git_and_a_worktree(tmp_path):
    plain = tmp_path / "plain"
    report_in(plain / "reports")
    _, out, _ = check(plain, "--format", "json")
    assert codes(out) == [] and out["files"][0]["git"] is None
    root = committed_repo(tmp_path, add_figure=True)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    _, out, _ = check(root, "--format", "json", env={**ENV, "PATH": str(empty)})
    assert out["files"][0]["git"] is None  # git not installed: nothing, no error
    git(root, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt" / ".git").is_file()
    _, out, _ = check(tmp_path / "wt", "--format", "json")
    assert out["files"][0]["git"] is not None and codes(out) == []
