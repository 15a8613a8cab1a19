"""Nothing from the repository runs (issue 26): the read-only way git is run (``git.run``), and the
work tree compared with the index by hashing, without git (``git.worktree``)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from reportls.git import run as git_run
from reportls.git.run import Budget, git_env, path_bytes
from reportls.git.worktree import blob_id, changed_paths, parse_index_listing, worktree_matches
from tests.gitrepo import git, write
from tests.unit import git_repos
from tests.unit.git_sequential import read_index

isolated_git, template_repo, repo = git_repos.isolated_git, git_repos.template_repo, git_repos.repo  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


def test_read_only_environment():
    env = git_env()
    assert (env["GIT_OPTIONAL_LOCKS"], env["GIT_TERMINAL_PROMPT"], env["LC_ALL"]) == ("0", "0", "C")
    assert "GIT_DIR" not in env and "GIT_ASKPASS" not in env


def test_blob_id_is_gits_own(repo):
    data = "naïve\r\nline\n".encode()
    path = write(repo / "blob.txt")
    path.write_bytes(data)
    assert blob_id(data) == git(repo, "hash-object", "--no-filters", "blob.txt").strip()
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_index_listing_with_stat_data(repo):
    write(repo / "reports" / "figures" / "we\nird name.png", "x")
    git(repo, "add", "-A")
    out = subprocess.run(["git", "ls-files", "-z", "-s", "-v", "--debug"], cwd=repo, capture_output=True,
                         check=True).stdout
    entries = parse_index_listing(out)
    assert sorted(entries) == ["reports/README.md", "reports/figures/we\nird name.png"]
    entry = entries["reports/figures/we\nird name.png"]
    st = os.stat(repo / "reports" / "figures" / "we\nird name.png")
    assert (entry.mode, entry.oid, entry.stage, entry.tag) == ("100644", blob_id(b"x"), 0, "H")
    assert (entry.mtime_ns, entry.size) == (st.st_mtime_ns, 1)
    # without the stat lines (``--debug`` not given) the entries are still read
    plain = subprocess.run(["git", "ls-files", "-z", "-s", "-v"], cwd=repo, capture_output=True, check=True).stdout
    assert {p: e.oid for p, e in parse_index_listing(plain).items()} == {p: e.oid for p, e in entries.items()}


def test_worktree_matches_by_stat_then_by_content(repo):
    path = repo / "reports" / "README.md"
    entry = read_index(repo, ["reports"], Budget(5))["reports/README.md"]
    index_mtime = os.stat(repo / ".git" / "index").st_mtime_ns
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    os.utime(path, (1, 1))  # stat data differ: the content decides
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    path.write_text("# Exam report\r\n", encoding="utf-8")  # CRLF of the LF blob: the same content
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    path.write_text("# Exam report, changed\n", encoding="utf-8")
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False
    path.unlink()
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)  # a FIFO where a file was: changed, and never opened
        assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False


def test_git_runs_with_nothing_of_the_repository_turned_on():
    assert set(git_run._READ_ONLY_CONFIG[0::2]) == {"-c"}
    keys = dict(item.split("=", 1) for item in git_run._READ_ONLY_CONFIG[1::2])
    assert keys["core.fsmonitor"] == "false" and keys["protocol.allow"] == "never"
    assert keys["protocol.ext.allow"] == keys["protocol.ssh.allow"] == keys["protocol.file.allow"] == "never"
    assert not os.path.exists(keys["core.hooksPath"])
    assert git_env()["GIT_NO_LAZY_FETCH"] == "1"


def test_path_bytes_never_fails_on_a_name():
    assert path_bytes("figures/café.png") in ("figures/café.png".encode(), os.fsencode("figures/café.png"))
    assert path_bytes("bad\ud800.png") == b"bad\xed\xa0\x80.png"


def test_hashing_the_work_tree_stops_at_the_deadline(repo):
    index = read_index(repo, ["reports"], Budget(5))
    head = {p: e.oid for p, e in index.items()}
    assert changed_paths(repo, repo / ".git", index, head, Budget(5)) == ()
    spent = Budget(0)
    assert changed_paths(repo, repo / ".git", index, head, spent) is None and spent.timed_out
