"""Hostile and unusual repositories, and the checkouts CI makes (issue 26), with the real ``git`` and
the ``reportls`` command in a subprocess: nothing from the repository runs, nothing hangs, nothing
grows without bound, and a CI checkout gets the right answer.

Each run of the command is bounded (a timeout, and a 2 GB address-space limit where the platform
has ``resource``): a hang or an unbounded read fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import add_origin, git, isolate, write
from tests.integration.groups import passing_report, write_report

pytestmark = pytest.mark.integration
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is not installed", allow_module_level=True)

MEMORY_LIMIT = 2 * 1024 ** 3


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def check(cwd: Path, *args: str, timeout: float = 15, env: dict | None = None) -> subprocess.CompletedProcess:
    """``reportls check ARGS`` in ``cwd``, under the memory limit; fails the test on a timeout."""
    run_env = {**os.environ, **(env or {})}
    for name in ("CI", "GITHUB_ACTIONS", "PRE_COMMIT"):
        if env is None or name not in env:
            run_env.pop(name, None)
    try:
        return subprocess.run([sys.executable, "-m", "reportls", "check", *args], cwd=cwd, env=run_env,
                              capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                              preexec_fn=_limit_memory if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reportls check {' '.join(args)} did not end within {timeout} s")


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "MemoryError" not in done.stderr, done.stderr


def codes(done: subprocess.CompletedProcess) -> list[str]:
    data = json.loads(done.stdout)
    return [d["code"] for f in data["files"] for d in f.get("diagnostics", [])]


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A group's repository: a passing report and its figure, committed on ``main``."""
    isolate(monkeypatch, tmp_path)
    root = tmp_path / "group"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_report(root / "reports", passing_report())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "report")
    return root


# --- 1. nothing the repository configures runs ------------------------------------------------------


def test_clean_filter_never_runs(repo, tmp_path):
    marker = tmp_path / "filter-ran"
    write(repo / ".gitattributes", "*.md filter=x\n*.png filter=x\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "attributes")
    git(repo, "config", "filter.x.clean", f"touch {marker}; cat")
    git(repo, "config", "filter.x.smudge", f"touch {marker}; cat")
    git(repo, "config", "core.fsmonitor", f"touch {marker}; echo")  # a hook-style monitor command
    git(repo, "config", "core.hooksPath", str(repo / "hooks"))
    for hook in ("post-index-change", "reference-transaction"):
        write(repo / "hooks" / hook, f"#!/bin/sh\ntouch {marker}\n").chmod(0o755)
    # stat data changed, content not; then content changed: git status would run the filter for both
    os.utime(repo / "reports" / "README.md", (1, 1))
    os.utime(repo / "reports" / "figures" / "a.png", (1, 1))
    done = check(repo, "--format", "json")
    no_traceback(done)
    assert not marker.exists()
    assert json.loads(done.stdout)["files"][0]["git"]["uncommitted"] == []
    (repo / "reports" / "README.md").write_text(passing_report() + "\nMore.\n", encoding="utf-8")
    done = check(repo, "--format", "json")
    assert not marker.exists()
    # the bytes differ from the blob, but only the filter could say whether they are a change: not claimed
    assert json.loads(done.stdout)["files"][0]["git"]["uncommitted"] == []


def test_work_tree_changes_are_found_without_git_status(repo):
    (repo / "reports" / "README.md").write_text(passing_report() + "\nMore.\n", encoding="utf-8")
    write(repo / "reports" / "notes.txt", "new, untracked: not a change to a tracked file")
    done = check(repo, "--format", "json")
    assert json.loads(done.stdout)["files"][0]["git"]["uncommitted"] == ["reports/README.md"]
    git(repo, "add", "reports/README.md")  # staged, not committed: still a change
    assert json.loads(check(repo, "--format", "json").stdout)["files"][0]["git"]["uncommitted"] == [
        "reports/README.md"]
    git(repo, "commit", "-q", "-m", "more")
    # CRLF in the work tree of an LF blob (a checkout with core.autocrlf) is no change
    text = (repo / "reports" / "README.md").read_bytes()
    (repo / "reports" / "README.md").write_bytes(text.replace(b"\n", b"\r\n"))
    assert json.loads(check(repo, "--format", "json").stdout)["files"][0]["git"]["uncommitted"] == []


# --- 2. nothing hangs, nothing grows without bound --------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_figure_fifo_report_py_and_dev_zero(repo):
    (repo / "reports" / "figures" / "a.png").unlink()
    os.mkfifo(repo / "reports" / "figures" / "a.png")
    os.mkfifo(repo / "reports" / "report.py")
    done = check(repo, "--format", "json")
    no_traceback(done)
    data = json.loads(done.stdout)
    notes = [d["message"] for d in data["files"][0]["diagnostics"] if d["code"] == "constraints-source"]
    assert notes == ["report.py is a FIFO (named pipe), not a regular file; using the built-in `2026` table."]
    (repo / "reports" / "report.py").unlink()
    os.symlink("/dev/zero", repo / "reports" / "report.py")
    done = check(repo)
    no_traceback(done)
    assert "report.py is a device, not a regular file" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_markdown(repo, tmp_path):
    os.mkfifo(repo / "reports" / "fifo.md")
    os.symlink("/dev/urandom", repo / "reports" / "random.md")
    done = check(repo, "reports")  # the folder walk skips them, and checks the real report
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    done = check(repo, "reports/fifo.md")
    assert done.returncode == 2 and done.stderr == "reportls: reports/fifo.md: is a FIFO (named pipe), not a regular file\n"
    done = check(repo, "reports/random.md")
    assert done.returncode == 2 and done.stderr == "reportls: reports/random.md: is a device, not a regular file\n"
    other = tmp_path / "batch" / "reports"
    other.mkdir(parents=True)
    os.mkfifo(other / "README.md")
    done = check(tmp_path / "batch", ".")
    no_traceback(done)
    assert "reports/README.md: is a FIFO (named pipe), not a regular file" in done.stderr


def alias_bomb(depth: int) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghijklmnop"
    for i in range(1, depth + 1):
        lines.append(f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]")
    lines.append(f"severity: *{names[depth]}")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_and_format_width(repo):
    write(repo / "reports" / ".reportls.yaml", alias_bomb(9))
    done = check(repo, timeout=10)
    no_traceback(done)
    assert done.returncode == 2
    assert "YAML aliases expand to more than 10000 values: not read" in done.stderr
    write(repo / "reports" / ".reportls.yaml",
          'constraints:\n  answers: 31\n  crash_message: "{n:>999999999999}"\n')
    done = check(repo, timeout=10)
    no_traceback(done)
    assert ("crash_message: the field `{n:>999999999999}` asks for a width or precision over 200; write `{n}`"
            in done.stderr)
    write(repo / "reports" / ".reportls.yaml", 'figures: "fig\\0ures"\n')
    done = check(repo, timeout=10)
    assert "figures: a folder name cannot hold a control character (such as NUL), got 'fig\\x00ures'" in done.stderr


# --- 3. the checkouts CI makes ----------------------------------------------------------------------


def pull_request_checkout(repo: Path, tmp_path: Path, *, with_main: bool) -> Path:
    """What ``actions/checkout`` makes for a pull request: GitHub's merge ref fetched at depth 1
    (``origin/main`` at depth 1 too when ``with_main``), detached."""
    bare = add_origin(repo)
    git(repo, "commit", "-q", "--allow-empty", "-m", "on main after the branch")
    git(repo, "push", "-q", "origin", "main")
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    write(repo / "reports" / "figures" / "b.png", "new figure")
    (repo / "reports" / "README.md").write_text(passing_report().replace(
        "![a](figures/a.png)", "![a](figures/a.png) ![b](figures/b.png)", 1), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "figure b")
    git(repo, "checkout", "-q", "-b", "merge", "main")
    git(repo, "merge", "-q", "--no-edit", "feature")
    git(repo, "push", "-q", "origin", "HEAD:refs/pull/1/merge")
    ci = tmp_path / "ci"
    ci.mkdir()
    git(ci, "init", "-q", "-b", "main")
    git(ci, "remote", "add", "origin", bare.as_uri())
    refspecs = ["+refs/pull/1/merge:refs/remotes/pull/1/merge"]
    if with_main:
        refspecs.append("+refs/heads/main:refs/remotes/origin/main")
    git(ci, "-c", "protocol.file.allow=always", "fetch", "-q", "--no-tags", "--depth=1", "origin", *refspecs)
    git(ci, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
    assert git(ci, "rev-parse", "--is-shallow-repository").strip() == "true"
    return ci


@pytest.mark.parametrize("with_main", [True, False])
@pytest.mark.parametrize("ci_env", [{}, {"CI": "true", "GITHUB_ACTIONS": "true"}])
def test_pull_request_merge_checkout_at_depth_1(repo, tmp_path, with_main, ci_env):
    ci = pull_request_checkout(repo, tmp_path, with_main=with_main)
    done = check(ci, "--format", "json", env=ci_env)
    no_traceback(done)
    found = codes(done)
    assert not {"figure-unpushed", "figure-untracked", "figure-ignored"} & set(found), found
    status = json.loads(done.stdout)["files"][0]["git"]["status"]
    assert "commit" not in status.replace("this commit", "").replace("checkout's commit", ""), status
    assert "push" not in status, status
    target = "origin/main" if with_main else "origin's default branch"
    assert status.startswith(f"Hand-in (CI checkout): the scrape reads reports/README.md on {target} at the deadline")
    if with_main:
        assert status.endswith("reports/figures/b.png reach it when this commit is merged there")


def test_shallow_clone_counts_no_commits(repo, tmp_path):
    bare = add_origin(repo)
    for n in range(3):
        git(repo, "commit", "-q", "--allow-empty", "-m", f"more {n}")
    git(repo, "push", "-q", "origin", "main")
    clone = tmp_path / "shallow"
    git(tmp_path, "-c", "protocol.file.allow=always", "clone", "-q", "--depth=1", bare.as_uri(), str(clone))
    (clone / "reports" / "README.md").write_text(passing_report() + "\nMore.\n", encoding="utf-8")
    git(clone, "commit", "-q", "-am", "local")
    data = json.loads(check(clone, "--format", "json").stdout)["files"][0]["git"]
    assert data["shallow"] is True and data["commits_ahead"] is None and data["commits_behind"] is None
    assert data["status"] == "Hand-in (origin/main as of last fetch): no uncommitted changes; commits not counted " \
                             "(a shallow clone)"


# --- 4. contradictions and silence --------------------------------------------------------------------


def test_figure_symlinked_out_of_the_repository_is_only_missing(repo, tmp_path):
    outside = write(tmp_path / "outside.png", "secret")
    os.symlink(outside, repo / "reports" / "figures" / "out.png")
    (repo / "reports" / "README.md").write_text(passing_report().replace(
        "![a](figures/a.png)", "![a](figures/out.png)", 1), encoding="utf-8")
    found = codes(check(repo, "--format", "json"))
    assert "missing-figure" in found and "figure-untracked" not in found


def test_dubious_ownership_says_why_once(repo):
    done = check(repo, env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"})
    no_traceback(done)
    root = str(repo)
    lines = [line for line in done.stdout.splitlines() if "safe.directory" in line]
    assert lines == [f"Hand-in: unknown: git refuses to read {root} (it belongs to another user), so nothing about "
                     f"git is checked; to allow it: `git config --global --add safe.directory {root}`"]
    data = json.loads(check(repo, "--format", "json", env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}).stdout)
    assert data["files"][0]["git"]["refused"].startswith(f"git refuses to read {root}")
    assert not [c for c in codes(check(repo, "--format", "json", env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}))
                if c.startswith(("figure-untracked", "figure-unpushed", "report-location"))]


def test_figures_path_that_is_a_file(repo):
    shutil.rmtree(repo / "reports" / "figures")
    write(repo / "reports" / "figures", "not a folder")
    done = check(repo)
    assert "Image file `figures/a.png` does not exist: `figures/` next to the report is not a folder." in done.stdout


def test_non_ascii_missing_figure_under_an_ascii_file_system_encoding(repo):
    (repo / "reports" / "README.md").write_text(passing_report().replace(
        "![a](figures/a.png)", "![a](figures/café☃.png)", 1), encoding="utf-8")
    # file names in ASCII (a POSIX locale without UTF-8 mode); the output stream stays UTF-8 here
    done = check(repo, "--format", "json", env={"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                                                "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "utf-8"})
    no_traceback(done)
    data = json.loads(done.stdout)["files"][0]
    assert data["git"]["figures"]["figures/café☃.png"]["state"] == "missing"
    assert "missing-figure" in [d["code"] for d in data["diagnostics"]]


def test_figure_symlinked_to_another_folder_of_the_repository_is_only_missing(repo):
    write(repo / "assets" / "plot.png", "png")
    os.symlink(repo / "assets" / "plot.png", repo / "reports" / "figures" / "plot.png")
    (repo / "reports" / "README.md").write_text(passing_report().replace(
        "![a](figures/a.png)", "![a](figures/plot.png)", 1), encoding="utf-8")
    found = codes(check(repo, "--format", "json"))
    assert "missing-figure" in found and "figure-untracked" not in found


def test_ci_branch_checkout_without_the_default_branch(repo, tmp_path):
    """CI on a push to another branch fetches that branch alone at depth 1: no "nothing is pushed"."""
    bare = add_origin(repo)
    git(repo, "push", "-q", "origin", "main:feature")
    ci = tmp_path / "ci-branch"
    ci.mkdir()
    git(ci, "init", "-q", "-b", "feature")
    git(ci, "remote", "add", "origin", bare.as_uri())
    git(ci, "-c", "protocol.file.allow=always", "fetch", "-q", "--depth=1", "origin",
        "+refs/heads/feature:refs/remotes/origin/feature")
    git(ci, "checkout", "-q", "-B", "feature", "refs/remotes/origin/feature")
    status = json.loads(check(ci, "--format", "json", env={"CI": "true"}).stdout)["files"][0]["git"]["status"]
    assert status == ("Hand-in (CI checkout): the scrape reads reports/README.md on origin's default branch at the "
                      "deadline; this check covers this checkout's commit")


def test_partial_clone_never_fetches_through_the_remotes_command(repo, tmp_path):
    """A partial clone fetches a missing object lazily through ``origin``: an ``ext::`` URL would
    run a command.  Transports are off for every git run of reportls."""
    marker = tmp_path / "remote-ran"
    bare = add_origin(repo)
    git(bare, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    git(tmp_path, "-c", "protocol.file.allow=always", "clone", "-q", "--filter=tree:0", bare.as_uri(), str(clone))
    write(repo / "reports" / "figures" / "b.png", "new")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "b")
    git(repo, "push", "-q", "origin", "main")
    git(clone, "-c", "protocol.file.allow=always", "fetch", "-q", "origin")  # origin/main's trees stay missing
    git(clone, "config", "remote.origin.url", f"ext::sh -c touch% {marker}")
    git(clone, "config", "protocol.ext.allow", "always")
    done = check(clone, "--format", "json")
    no_traceback(done)
    assert not marker.exists()
    assert json.loads(done.stdout)["files"][0]["git"]["status"] == (
        "Hand-in (origin/main as of last fetch): unknown, git could not read origin/main here (a partial clone "
        "missing it?)")
