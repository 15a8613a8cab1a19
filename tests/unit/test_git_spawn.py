"""How git processes are started and read (``git.run``): with ``os.posix_spawnp`` and ``git -C`` on
Linux, with subprocess in the folder elsewhere (the fallback, forced here through
``run.USE_POSIX_SPAWN``).  Either way git gives the same answers and inherits the same things (the
environment ``git_env`` makes, standard input from /dev/null, signals at their default action), a
run that hangs is killed at its deadline and reaped, an answer bigger than a pipe holds is drained
while the caller does something else, and the command line reads git without a thread
(``GitReading.pump``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportls.cli.inputs import GitReading
from reportls.git import run
from reportls.git.ignore import ignore_stdin
from reportls.git.launch import CHECK_IGNORE, FOR_EACH_REF, ORIGIN_URL, REV_PARSE, ls_files_args, ls_tree_args
from reportls.git.run import Budget, run_git, start_git
from reportls.report.parse import parse_report
from tests.gitrepo import git, write
from tests.unit import git_repos
from tests.unit.git_repos import by_subprocess, commit
from tests.unit.git_sequential import read_git_facts_one_at_a_time

isolated_git, template_repo, repo, starter = (git_repos.isolated_git, git_repos.template_repo, git_repos.repo,
                                             git_repos.starter)  # fixtures

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary"),
              pytest.mark.skipif(sys.platform == "win32", reason="shell-script gits, /proc")]

SPAWN = pytest.mark.skipif(not run.USE_POSIX_SPAWN, reason="posix_spawn is used on Linux only")


def _many_files(repo: Path, count: int, folder: str = "reports/data") -> None:
    """``count`` files committed in ``folder`` (one blob, written into the index at once: fast)."""
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=b"same\n",
                          capture_output=True, check=True).stdout.decode().strip()
    entries = "".join(f"100644 {blob}\t{folder}/file-{n:05d}-with-a-longer-name.txt\n" for n in range(count))
    subprocess.run(["git", "update-index", "--index-info"], cwd=repo, input=entries.encode(), check=True)
    git(repo, "commit", "-q", "-m", f"{count} files")
    git(repo, "reset", "-q", "--hard")  # (the files on disk too)


@SPAWN
def test_posix_spawn_with_dash_c_answers_as_subprocess_in_the_folder(repo, tmp_path):
    write(repo / "reports" / "figures" / "a b é.png", "a")
    write(repo / "reports" / ".gitignore", "*.pyc\n")
    commit(repo, "reports/figures/a b é.png", "reports/.gitignore")
    (tmp_path / "link").symlink_to(repo / "reports")  # a folder reached through a symlink
    folders = [repo / "reports", repo / "reports" / "figures", repo, tmp_path / "link", tmp_path,
               repo / "gone", repo / "reports" / "README.md"]  # (no repository; no folder; a file)
    reads = [(REV_PARSE, {}), (ORIGIN_URL, {}), (FOR_EACH_REF, {}), (("rev-parse", "--show-prefix"), {}),
             (ls_files_args(["."]), {"literal_paths": True}), (ls_tree_args("HEAD", ["."]), {"literal_paths": True}),
             (ls_files_args(["../reports/figures/a b é.png", "nope"]), {"literal_paths": True}),
             (("ls-files", "-z", "--", "*.png"), {}),  # a glob pathspec, relative to the folder
             (CHECK_IGNORE, {"stdin": ignore_stdin(["reports/x.pyc", "reports/README.md", "reports/figures/"])})]
    answered = 0
    for folder in folders:
        for args, options in reads:
            spawned = run_git(args, folder, Budget(10), **options)
            assert spawned == by_subprocess(run_git, args, folder, Budget(10), **options), (folder, args)
            answered += spawned is not None and spawned.returncode == 0
    assert answered > 30
    assert run_git(REV_PARSE, repo / "gone", Budget(10)) is None  # as subprocess: the folder is gone


def test_a_run_that_hangs_is_killed_at_its_deadline_and_reaped(repo, tmp_path, monkeypatch, starter):
    fake = tmp_path / "bin"
    write(fake / "git", f"#!/bin/sh\nexec {shutil.which('sleep')} 30\n").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    budget = Budget(5, per_call=0.3)
    began = time.monotonic()
    started = start_git(["rev-parse"], repo, budget)
    assert not started.ready()
    assert started.result() is None and budget.timed_out and started.reaped()
    assert 0.25 < time.monotonic() - began < 2.0
    assert started.result() is None  # (once)


def test_git_not_on_path_is_no_answer(repo, tmp_path, monkeypatch, starter):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    budget = Budget(5)
    started = start_git(["rev-parse"], repo, budget)
    assert started.ready() and started.result() is None and not budget.timed_out


@SPAWN
def test_an_answer_bigger_than_a_pipe_is_drained_by_ready(repo):
    _many_files(repo, 4000)
    started = start_git(ls_tree_args("HEAD", ["."]), repo / "reports", Budget(10), literal_paths=True)
    waited = 0
    while not started.ready():  # never reading the answer: git could not end with a full pipe
        time.sleep(0.002)
        waited += 1
        assert waited < 2500
    answer = started.result()
    assert answer.returncode == 0 and len(answer.stdout) > 4 * 65536 and started.reaped()
    assert answer == by_subprocess(run_git, ls_tree_args("HEAD", ["."]), repo / "reports", Budget(10),
                                   literal_paths=True)
    assert answer.stdout.count(b"\0") == 4001  # every file, and the report


def test_a_big_standard_input_and_a_big_answer_together(repo, starter):
    paths = [f"reports/data/file-{n:05d}-with-a-longer-name.txt" for n in range(2000)] + ["x.pyc"]
    write(repo / ".gitignore", "*.txt\n")  # every path is answered with its rule: no deadlock either way
    answer = run_git(CHECK_IGNORE, repo, Budget(10), stdin=ignore_stdin(paths))
    assert len(ignore_stdin(paths)) > 65536 and len(answer.stdout) > 65536
    assert answer.stdout.count(b".gitignore\x001\x00*.txt\x00") == 2000


def test_what_git_inherits(repo, tmp_path, monkeypatch, starter):
    """The environment ``git_env`` makes (pre-commit's index kept, absolute), /dev/null as standard
    input, SIGPIPE at its default action (Python ignores it), no other open file."""
    fake = tmp_path / "bin"
    write(fake / "git", "#!/bin/sh\n"
          "echo \"dir=${GIT_DIR-unset} index=${GIT_INDEX_FILE-unset} locks=$GIT_OPTIONAL_LOCKS lc=$LC_ALL\"\n"
          "echo \"stdin=$(readlink /proc/$$/fd/0)\"\n"
          "grep SigIgn /proc/$$/status\n"
          "ls /proc/$$/fd | tr '\\n' ' '; echo\n"
          "echo \"args=$*\"\n").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_INDEX_FILE", "index.tmp")
    monkeypatch.setenv("PRE_COMMIT", "1")
    lines = run_git(["rev-parse"], repo, Budget(10)).stdout.decode().splitlines()
    assert lines[0] == f"dir=unset index={os.path.abspath('index.tmp')} locks=0 lc=C"
    assert lines[1] == "stdin=/dev/null"
    assert int(lines[2].split()[1], 16) & (1 << 12) == 0  # SIGPIPE (13) is not ignored
    assert len(set(lines[3].split()) - {"0", "1", "2"}) <= 1  # (the script, as sh reads it)
    assert lines[4].endswith(" rev-parse") and "core.hooksPath=" in lines[4] and "core.fsmonitor=false" in lines[4]
    monkeypatch.delenv("PRE_COMMIT")
    assert run_git(["rev-parse"], repo, Budget(10)).stdout.decode().startswith("dir=unset index=unset ")


@SPAWN
def test_an_inherited_file_is_closed_for_every_run_of_a_series_even_once_it_is_gone(repo):
    """The files a child would inherit are listed once a series: one closed since is no error."""
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    budget = Budget(10)
    try:
        assert write_end in budget.inherited_fds()
        first = run_git(["rev-parse", "--show-prefix"], repo / "reports", budget)
    finally:
        os.close(write_end)
    os.close(read_end)
    again = run_git(["rev-parse", "--show-prefix"], repo / "reports", budget)
    assert first is not None and again is not None
    assert first.stdout == again.stdout == b"reports/\n"


@SPAWN
def test_closed_standard_streams_fall_back_to_subprocess(repo):
    """A pipe that would land on 0, 1 or 2 (a parent that closed them) is never dup2'ed onto itself."""
    code = ("import os, sys; from pathlib import Path; from reportls.git import run; os.close(0); "
            "r = run.run_git(['rev-parse', '--show-prefix'], Path(sys.argv[1]), run.Budget(10)); "
            "sys.stderr.write(repr(r.stdout))")
    done = subprocess.run([sys.executable, "-c", code, str(repo / "reports")], capture_output=True, timeout=60)
    assert done.stderr.decode() == "b'reports/\\n'"


def test_the_command_line_reads_git_without_a_thread(repo, tmp_path, monkeypatch, starter):
    """``pump`` starts the second round once the first answers are in, never waiting; ``facts``
    gives what the reading one run at a time gives."""
    import threading

    write(repo / "reports" / "figures" / "a.png", "a")
    path = repo / "reports" / "README.md"
    report = parse_report("# Exam report\n\n![a](figures/a.png)\n")
    before = threading.active_count()
    reading = GitReading(path, report, "figures")
    first = reading._launch.started()
    began = time.monotonic()
    while reading._launch.started() == first:  # the first answers come in while "the report is checked"
        reading.pump()
        assert time.monotonic() - began < 10
        time.sleep(0.001)
    assert threading.active_count() == before
    assert reading.facts() == read_git_facts_one_at_a_time(path, ["figures/a.png"])
    assert all(r.reaped() for r in reading._launch._runs.values())


def test_pump_never_waits_for_git(repo, tmp_path, monkeypatch, starter):
    """A git slow to answer: ``pump`` returns at once and starts nothing more; ``facts`` waits."""
    slow = tmp_path / "slow-bin"
    write(slow / "git", f"#!/bin/sh\n{shutil.which('sleep')} 0.5\nexec {shutil.which('git')} \"$@\"\n").chmod(0o755)
    monkeypatch.setenv("PATH", f"{slow}{os.pathsep}{os.environ['PATH']}")
    path = repo / "reports" / "README.md"
    reading = GitReading(path, parse_report("# Exam report\n"), "figures")
    began = time.monotonic()
    reading.pump()
    reading.pump()
    assert time.monotonic() - began < 0.3 and reading._launch.started() == 5  # the first round only
    assert reading.facts() == by_subprocess(read_git_facts_one_at_a_time, path, [])
    assert reading._launch.started() > 5


def test_a_failure_in_pump_is_raised_by_facts_and_ends_the_runs(repo, monkeypatch):
    from reportls.git import facts

    def fail(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(facts.FactsReading, "advance", fail)
    reading = GitReading(repo / "reports" / "README.md", parse_report("# Exam report\n"), "figures")
    reading.pump()  # (never raises)
    with pytest.raises(RuntimeError, match="boom"):
        reading.facts()
    assert all(r.reaped() for r in reading._launch._runs.values())


@SPAWN
def test_poll_bits_are_linux_s():
    import select

    assert (run._POLL_IN, run._POLL_OUT, run._POLL_ERR, run._POLL_HUP) == (
        select.POLLIN, select.POLLOUT, select.POLLERR, select.POLLHUP)


@SPAWN
def test_without_pidfds_the_end_of_a_run_is_awaited_by_sleeping(repo, tmp_path, monkeypatch):
    """Linux before 5.3 has no pidfd: the same answers, and a hang is still ended at its deadline."""
    def no_pidfd(pid, flags=0):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(os, "pidfd_open", no_pidfd)
    started = start_git(REV_PARSE, repo / "reports", Budget(10))
    assert started._pidfd is None
    assert started.result() == by_subprocess(run_git, REV_PARSE, repo / "reports", Budget(10))
    fake = tmp_path / "bin"  # output closed at once, then a hang: only the deadline ends it
    write(fake / "git", f"#!/bin/sh\nexec >&- 2>&-\nexec {shutil.which('sleep')} 30\n").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    budget = Budget(5, per_call=0.3)
    began = time.monotonic()
    hanging = start_git(["rev-parse"], repo, budget)
    assert hanging.result() is None and budget.timed_out and hanging.reaped()
    assert time.monotonic() - began < 2.0


@SPAWN
def test_a_run_that_closes_its_output_and_hangs_is_ended_at_its_deadline(repo, tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    write(fake / "git", f"#!/bin/sh\nexec >&- 2>&-\nexec {shutil.which('sleep')} 30\n").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    budget = Budget(5, per_call=0.3)
    began = time.monotonic()
    hanging = start_git(["rev-parse"], repo, budget)
    assert hanging._pidfd is not None
    assert hanging.result() is None and budget.timed_out and hanging.reaped()
    assert time.monotonic() - began < 2.0


@pytest.mark.parametrize("kind", ["refused", "no repository"])
def test_the_command_line_s_reading_of_a_refusal_or_no_repository(repo, tmp_path, monkeypatch, starter, kind):
    if kind == "refused":
        monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    else:
        shutil.rmtree(repo / ".git")
        (repo / ".git").write_text("gitdir: nowhere\n")  # a .git git cannot read
    path = repo / "reports" / "README.md"
    reading = GitReading(path, parse_report("# Exam report\n"), "figures")
    began = time.monotonic()
    while not reading._launch.pump():
        assert time.monotonic() - began < 10
        time.sleep(0.001)
    reading.pump()
    assert reading._launch.started() == 5  # nothing more is started
    facts = reading.facts()
    assert facts == by_subprocess(read_git_facts_one_at_a_time, path, [])
    assert (facts is not None and facts.refused is not None) == (kind == "refused")
    assert (facts is None) == (reading.trees is None) == (kind == "no repository")
    assert all(r.reaped() for r in reading._launch._runs.values())
