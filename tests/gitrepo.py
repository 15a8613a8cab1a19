"""Real git repositories for tests: an isolated environment (no global or system config, a fixed
identity, nothing above the test's folder searched) and the few steps every git test repeats."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def isolate(monkeypatch, tmp_path: Path) -> None:
    """Make every git run of the test (ours and the code's) independent of the machine's config."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Student")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "s123456@student.dtu.dk")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "CI", "GITHUB_ACTIONS", "PRE_COMMIT"):
        monkeypatch.delenv(name, raising=False)  # CI and pre-commit change what is said (issue 26)


def write(path: Path, text: str = "") -> Path:
    """Write ``text`` to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(cwd: Path, *args: str) -> str:
    """Run git (it must succeed) and return its standard output."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def add_origin(repo: Path) -> Path:
    """A local bare repository as ``origin``, ``main`` pushed, ``origin/HEAD`` set."""
    bare = repo.parent / "origin.git"
    git(repo.parent, "init", "-q", "--bare", "-b", "main", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "-u", "origin", "main")
    git(repo, "remote", "set-head", "origin", "-a")
    return bare
