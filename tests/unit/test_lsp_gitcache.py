"""The server's cache of git facts (``lsp.gitcache``): ``get`` never runs git, ``refresh`` reads
again only when a stamp changed, the time-to-live passed or other figures are asked about."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading

import pytest

from reportls.git.facts import read_git_facts
from reportls.lsp.gitcache import GitCache
from tests.gitrepo import git, write
from tests.unit import git_repos
from tests.unit.git_repos import _no_git, state

isolated_git, template_repo, repo = git_repos.isolated_git, git_repos.template_repo, git_repos.repo  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingReader:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return read_git_facts(*args, **kwargs)


def test_cache_get_never_runs_git(repo, monkeypatch):
    cache = GitCache()
    report = repo / "reports" / "README.md"
    assert cache.get(report) is None
    facts = cache.refresh(report, ["figures/a.png"])
    assert facts is not None
    monkeypatch.setattr(subprocess, "run", _no_git)
    monkeypatch.setattr(subprocess, "Popen", _no_git)
    assert cache.get(report) is facts
    assert cache.is_fresh(report, ["figures/a.png"]) is True
    assert cache.refresh(report, ["figures/a.png"]) is facts  # same stamp, within the TTL


def test_cache_refreshes_when_the_stamp_changes_the_ttl_passes_or_figures_change(repo):
    clock, reader = Clock(), CountingReader()
    cache = GitCache(ttl=5.0, clock=clock, reader=reader)
    report = repo / "reports" / "README.md"
    write(repo / "reports" / "figures" / "a.png")
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "untracked"
    cache.refresh(report, ["figures/a.png"])
    assert reader.calls == 1
    git(repo, "add", "reports/figures/a.png")  # the index changes
    assert cache.is_fresh(report, ["figures/a.png"]) is False
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "staged"
    assert reader.calls == 2
    git(repo, "commit", "-q", "-m", "figure")  # HEAD's branch moves
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "ok"
    assert reader.calls == 3
    cache.refresh(report, ["figures/a.png", "figures/b.png"])  # a new link
    assert reader.calls == 4
    clock.now += 6.0
    cache.refresh(report, ["figures/a.png"])
    assert reader.calls == 5
    cache.invalidate(repo / "reports" / "figures" / "a.png")  # a watched-file event in the repo
    assert cache.get(report) is None
    cache.refresh(report, ["figures/a.png"])
    cache.invalidate()
    assert cache.get(report) is None
    assert reader.calls == 6


def test_cache_stamp_sees_a_new_gitignore(repo):
    reader = CountingReader()
    cache = GitCache(reader=reader)
    report = repo / "reports" / "README.md"
    cache.refresh(report)
    write(repo / "reports" / ".gitignore", "*.png\n")
    assert cache.refresh(report).new_figure_rule.label == "reports/.gitignore:1 *.png"
    assert reader.calls == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_cache_stamp_with_a_fifo_for_head_does_not_block(repo):
    """The stamp reads HEAD (the branch it names); a FIFO put there is not opened for reading."""
    cache = GitCache()
    report = repo / "reports" / "README.md"
    assert cache.refresh(report) is not None
    head = repo / ".git" / "HEAD"
    head.unlink()
    os.mkfifo(head)
    answers = []
    worker = threading.Thread(target=lambda: answers.append(cache.is_fresh(report)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # release the blocked reader before failing
        os.close(os.open(head, os.O_WRONLY | os.O_NONBLOCK))
    assert answers == [False]


def test_cache_without_repository_sees_git_init(tmp_path):
    report = write(tmp_path / "later" / "reports" / "README.md", "# r\n")
    reader = CountingReader()
    cache = GitCache(reader=reader)
    assert cache.refresh(report) is None
    assert cache.refresh(report) is None
    assert reader.calls == 1
    git(tmp_path / "later", "init", "-q", "-b", "main")
    assert cache.refresh(report) is not None
    assert reader.calls == 2
