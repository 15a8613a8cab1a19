"""The real repositories the git unit tests share: an isolated git environment for every test
(``isolated_git``, autouse where imported), a project with ``reports/README.md`` committed on
``main`` (``repo``, copied from one made per module), and the steps the tests repeat."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reportls.git import run
from reportls.git.facts import GitFacts, figure_git_states, read_git_facts
from tests.gitrepo import git, isolate, write
from tests.unit.git_sequential import read_git_facts_one_at_a_time


@pytest.fixture(autouse=True)
def isolated_git(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)


@pytest.fixture(params=["posix_spawn", "subprocess"])
def starter(request, monkeypatch) -> str:
    """How git is started (``git.run.USE_POSIX_SPAWN``): a test using this runs once each way
    (posix_spawn where it is used: Linux; subprocess is the fallback everywhere)."""
    if request.param == "posix_spawn" and not run.USE_POSIX_SPAWN:
        pytest.skip("posix_spawn is used on Linux only")
    monkeypatch.setattr(run, "USE_POSIX_SPAWN", request.param == "posix_spawn")
    return request.param


def by_subprocess(read, *args, **kwargs):
    """``read(*args, **kwargs)`` with every git run started by subprocess in its folder (the way
    the reading began: the reference the posix_spawn runs, ``git -C``, are compared with)."""
    used, run.USE_POSIX_SPAWN = run.USE_POSIX_SPAWN, False
    try:
        return read(*args, **kwargs)
    finally:
        run.USE_POSIX_SPAWN = used


def commit(repo: Path, *paths: str, message: str = "work") -> None:
    git(repo, "add", "-f", "--", *paths)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    """Made once per module (git runs are the slow part of these tests); ``repo`` copies it."""
    root = tmp_path_factory.mktemp("template") / "project"
    root.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Student", "GIT_AUTHOR_EMAIL": "s123456@student.dtu.dk",
           "GIT_COMMITTER_NAME": "Student", "GIT_COMMITTER_EMAIL": "s123456@student.dtu.dk"}
    write(root / "reports" / "README.md", "# Exam report\n")
    for args in (["init", "-q", "-b", "main"], ["add", "reports/README.md"], ["commit", "-q", "-m", "report"]):
        subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return root


@pytest.fixture
def repo(tmp_path, template_repo) -> Path:
    """A project with ``reports/README.md`` committed on ``main``."""
    return Path(shutil.copytree(template_repo, tmp_path / "project", symlinks=True))


def facts_for(repo: Path, *figures: str, report: str = "reports/README.md") -> GitFacts:
    """The facts of the report (runs started together), checked against the reading one run at a
    time (``git_sequential``): the same facts, field by field."""
    facts = read_git_facts(repo / report, figures)
    assert facts is not None
    assert facts == read_git_facts_one_at_a_time(repo / report, figures)
    return facts


def _no_git(*args, **kwargs):
    raise AssertionError("git was run")


def state(facts: GitFacts, figure: str) -> str:
    return figure_git_states(facts)[figure].state
