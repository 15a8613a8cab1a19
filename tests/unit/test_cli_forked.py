"""The command line's forked computation: the child's answer, or the same answer computed here when
there is no child or it fails."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from reportls.cli.forked import Forked, can_fork

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked only on Linux")


def plain(x):
    return x


@linux_only
def test_the_answer_is_computed_in_a_child_and_comes_back():
    parent = os.getpid()
    job = Forked(lambda: {"pid": os.getpid(), "rows": [(1, "a", None)] * 3}, plain, plain)
    assert job.forked
    answer = job.result()
    assert answer["pid"] != parent and answer["rows"] == [(1, "a", None)] * 3
    assert job.result() is answer  # asked twice, computed once


@linux_only
def test_a_child_that_fails_means_computing_here():
    parent = os.getpid()

    def compute():
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return "computed here"

    job = Forked(compute, plain, plain)
    assert job.forked and job.result() == "computed here"


@linux_only
def test_an_answer_that_does_not_decode_means_computing_here():
    parent = os.getpid()

    def decode(data):
        raise ValueError("damaged")

    job = Forked(lambda: os.getpid(), plain, decode)
    assert job.result() == parent


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        job = Forked(lambda: os.getpid(), plain, plain)
        assert not job.forked and job.result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("REPORTLS_NO_FORK", "1")
    job = Forked(lambda: os.getpid(), plain, plain)
    assert not job.forked and job.result() == os.getpid()


@linux_only
def test_the_check_says_the_same_with_and_without_the_child(tmp_path):
    """A repository with checklist evidence: ``reportls check --format json`` prints the same with
    the scan in a child and without."""
    from tests.reportgen import make_report

    repo = tmp_path / "repo"
    (repo / "reports").mkdir(parents=True)
    text = make_report({})
    start = text.index("## Overall project checklist")
    end = text.index("## ", start + 3)
    checklist = ("## Overall project checklist\n\n### Week 1\n\n* [x] Construct one or multiple docker files for your "
                 "code (M10)\n* [ ] Write unit tests related to the data part of your code (M16)\n"
                 "* [x] Use profiling to optimize your code (M12)\n\n")
    (repo / "reports" / "README.md").write_text(text[:start] + checklist + text[end:], encoding="utf-8")
    (repo / "Dockerfile").write_text("FROM python:3.11\n")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_data.py").write_text("from project.data import load\n\ndef test_load():\n    assert load()\n")
    (repo / "src").mkdir()
    (repo / "src" / "train.py").write_text("import wandb\nwandb.init()\n")
    (repo / ".git").mkdir()  # a repository root for the scan (git itself is not read: --no-git)
    command = [sys.executable, "-m", "reportls", "check", "--no-git", "--format", "json", "reports/README.md"]
    env = {k: v for k, v in os.environ.items() if k != "REPORTLS_NO_FORK"}
    forked = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=120)
    here = subprocess.run(command, cwd=repo, capture_output=True, text=True, env={**env, "REPORTLS_NO_FORK": "1"},
                          timeout=120)
    assert forked.stdout == here.stdout and '"checklist": [' in forked.stdout
    assert '"path": "Dockerfile"' in forked.stdout and "checklist-unbacked" in forked.stdout
