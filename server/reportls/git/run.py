"""Running the ``git`` binary: the one place a git process is started.

Owns ``run_git`` and ``git_output`` (one run, read-only, bounded in time), ``start_git`` and
``StartedGit`` (a run started now, its answer read later: several runs at once), ``Budget`` (an overall
deadline over a series of runs), ``git_env`` (the environment every run gets), ``path_bytes`` (a
path as git or the OS wants it), ``nul_fields`` (``-z`` output) and ``side_by_side`` (independent
runs at the same time).  Anything that goes wrong (git not installed, a timeout, the folder gone)
is ``None``, never an exception.

The rule for every run (issue 26): **git is only read, and nothing the repository configures ever
runs.**  A repository's configuration can name programs: clean and smudge filters, textconv and
external diff drivers, the file-system monitor, hooks, a pager, ssh commands, credential helpers,
``ext::`` remotes.  So:

- Only plumbing that reads the object store, refs, the index, config, ignore and attribute files is
  run.  Porcelain that compares the work tree through git (``status``, ``diff``, ``add``) applies
  clean filters to changed files and is never run; the work tree is compared with the index in
  ``worktree`` by hashing files as git's blob ids, without any filter.  The commands used, and why
  each is safe:

  - ``rev-parse`` (``repository.locate``, ``launch.REV_PARSE``; ``--verify HEAD``): reads ``.git``
    files and refs;
  - ``ls-files`` (``launch.ls_files_args``; the quick fix's probes): reads the index (and, with
    ``--others``, lists folders; no content is read, no filter applies);
  - ``ls-tree`` (``refs``): reads tree objects;
  - ``for-each-ref`` (``launch.FOR_EACH_REF``): reads refs;
  - ``config --get`` (``launch.ORIGIN_URL``, the quick fix's ``core.excludesFile``): reads config;
  - ``cat-file --batch-check`` (``refs.paths_in_ref``): object types only, no content, no textconv;
  - ``rev-list --count`` (``launch.count_args``): walks commits, prints numbers;
  - ``check-ignore`` (``ignore``): reads ignore files;
  - ``check-attr`` (``worktree``): reads attribute files (the names of filters, never runs them);
  - ``init`` (only in the quick fix's scratch folder, ``--template=``: no hooks copied in).

- Every run also turns off what could still start a program (``_READ_ONLY_CONFIG``; a ``-c`` on the
  command line wins over the repository's own config): the file-system monitor (asked whenever the
  index is read), hooks (``core.hooksPath`` points at a folder that does not exist), external diff,
  the pager, and every transport (a partial clone would fetch a missing object lazily through the
  remote: ssh, ``ext::``, credential helpers); ``GIT_NO_LAZY_FETCH=1`` too.
- Nothing writes: ``GIT_OPTIONAL_LOCKS=0`` (no index refresh), no prompts (``GIT_TERMINAL_PROMPT=0``,
  ``GCM_INTERACTIVE=never``), ``LC_ALL=C`` (messages parsed in English), stdin closed unless a list
  is given, NUL-separated output (paths with spaces, newlines and non-ASCII names), a per-call
  timeout and an overall deadline.  Variables that would point git at another repository (set
  inside git hooks, e.g. under pre-commit) are dropped (``_DROPPED_ENV``).

The same rule for users, with every command line: ``docs/hostile-repositories.md``.  This is the only
module of the package that starts a process (``tests/unit/test_layers.py`` holds it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterable
from reportls.text.records import record
from pathlib import Path

GIT_CALL_TIMEOUT = 2.0  # seconds, one git process
GIT_TOTAL_BUDGET = 3.0  # seconds, everything read_git_facts runs

# Variables that would point git somewhere else than the folder it runs in (set inside git hooks,
# e.g. when reportls runs from pre-commit), or change how it reads pathspecs or asks for passwords.
_DROPPED_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_ASKPASS", "SSH_ASKPASS",
    "GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS",
)
# The rule for every git run (see the module docstring): read-only plumbing, and nothing the
# repository's configuration names is ever started.  A ``-c`` on the command line wins over the
# repository's own config for the same key.
_NO_HOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "no-such-hooks-folder")
_READ_ONLY_CONFIG = (
    "-c", "core.quotepath=off",
    "-c", "core.fsmonitor=false",  # never start or ask a file-system monitor (read with the index)
    "-c", f"core.hooksPath={_NO_HOOKS}",  # a folder that does not exist: no hook can run
    "-c", "diff.external=",  # no external diff program (no command here diffs, this is a second lock)
    "-c", "core.pager=cat",
    "-c", "protocol.allow=never",  # no transport at all: a partial clone's lazy fetch cannot start
    *(arg for name in ("ext", "file", "ssh", "git", "http", "https")
      for arg in ("-c", f"protocol.{name}.allow=never")),  # a repository's own `allow=always` loses
    "-c", "color.ui=never",
)


class Budget:
    """An overall deadline for a series of git runs; each run gets at most ``per_call`` seconds."""

    def __init__(self, seconds: float, per_call: float = GIT_CALL_TIMEOUT,
                 clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.deadline = clock() + seconds
        self.per_call = per_call
        self.timed_out = False

    def remaining(self) -> float:
        return self.deadline - self.clock()

    def call_timeout(self) -> float:
        return max(0.0, min(self.per_call, self.remaining()))


@record(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: bytes


def git_env() -> dict[str, str]:
    """The environment of every git run: ``_DROPPED_ENV`` dropped, prompts, pagers and lazy fetches
    off.  Under pre-commit (``PRE_COMMIT=1``) the index git names in ``GIT_INDEX_FILE`` is kept (as an
    absolute path: git runs in the report's folder): ``git commit -a`` and ``git commit PATH`` stage
    into a temporary index, which is the commit being made."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    index = os.environ.get("GIT_INDEX_FILE")
    if index and os.environ.get("PRE_COMMIT") == "1":
        env["GIT_INDEX_FILE"] = os.path.abspath(index)
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GCM_INTERACTIVE="never",
               LC_ALL="C", LANGUAGE="C", GIT_PAGER="cat", GIT_NO_LAZY_FETCH="1")
    return env


def path_bytes(path: str | os.PathLike) -> bytes:
    """A path as bytes for git or the OS, for any name: the file system's encoding when it can
    hold the name, else UTF-8 (what git stores; a name with a lone surrogate names no file)."""
    if isinstance(path, bytes):
        return path
    path = os.fspath(path)
    try:
        return os.fsencode(path)
    except UnicodeError:
        return path.encode("utf-8", "surrogatepass")


def start_git(args: Iterable[str], cwd: Path, budget: Budget, *, stdin: bytes | None = None,
              literal_paths: bool = False) -> StartedGit:
    """Start ``git ARGS`` in ``cwd`` now; its answer is read later (``StartedGit.result``), so several
    runs go on at once (on other cores) while the caller does something else.

    ``literal_paths``: pathspecs are file names, not globs (``fig[1].png``).
    """
    timeout = budget.call_timeout()
    if timeout <= 0:
        budget.timed_out = True
        return StartedGit(None, budget, 0.0)
    command = [path_bytes(a) for a in
               ["git", "--no-pager", *_READ_ONLY_CONFIG, *(["--literal-pathspecs"] if literal_paths else []), *args]]
    try:
        process = subprocess.Popen(
            command, cwd=path_bytes(cwd), stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return StartedGit(None, budget, 0.0)  # git not on PATH, cwd gone, ...
    started = StartedGit(process, budget, budget.clock() + timeout, stdin)
    if stdin is not None and os.name == "posix" and len(stdin) <= _SAFE_PIPE_WRITE:
        started.hand_over_stdin()  # fits the pipe: written now, git reads it while we wait elsewhere
    return started


# Bytes a pipe always takes without a reader (POSIX guarantees at least one page): standard input
# this small is written at start; more is written while the answer is read (no deadlock either way).
_SAFE_PIPE_WRITE = 4096


class StartedGit:
    """One git run started by ``start_git``: ``result()`` waits for its answer (once; later calls
    give the same), ``discard()`` drops it (ends the process if it still runs).  A run that does
    not finish by its deadline (the per-call timeout from its start, within the budget) is ended
    and marks the budget ``timed_out``."""

    def __init__(self, process: subprocess.Popen | None, budget: Budget, deadline: float,
                 stdin: bytes | None = None):
        self.process = process
        self.budget = budget
        self.deadline = deadline
        self._stdin = stdin
        self._done = process is None
        self._result: GitResult | None = None

    def hand_over_stdin(self) -> None:
        stdin, self._stdin = self._stdin, None
        pipe, self.process.stdin = self.process.stdin, None
        try:
            pipe.write(stdin)
            pipe.close()
        except OSError:  # git ended already (a broken pipe): its answer says why
            pass

    def result(self) -> GitResult | None:
        """git's answer; None when git could not be run or did not finish in time."""
        if self._done:
            return self._result
        self._done = True
        process = self.process
        timeout = self.deadline - self.budget.clock()
        if process.poll() is not None:
            timeout = max(timeout, 0.5)  # it is done: its output waits in the pipes
        try:
            if timeout <= 0:
                raise subprocess.TimeoutExpired(process.args, 0)
            out, err = process.communicate(self._stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.budget.timed_out = True
            self._end()
            return None
        except (OSError, ValueError, subprocess.SubprocessError):
            self._end()
            return None
        self._result = GitResult(process.returncode, out, err)
        return self._result

    def discard(self) -> None:
        """Not needed after all: end the process if it still runs, and reap it."""
        if not self._done:
            self._done = True
            self._end()

    def _end(self) -> None:
        process = self.process  # killed and reaped, never read: a child it left may hold the pipes
        try:
            if process.poll() is None:
                process.kill()
            process.wait()
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def run_git(args: Iterable[str], cwd: Path, budget: Budget, *, stdin: bytes | None = None,
            literal_paths: bool = False) -> GitResult | None:
    """Run ``git ARGS`` in ``cwd``; None when git cannot be run or does not finish in time.

    ``literal_paths``: pathspecs are file names, not globs (``fig[1].png``).
    """
    return start_git(args, cwd, budget, stdin=stdin, literal_paths=literal_paths).result()


def git_output(args: Iterable[str], cwd: Path, budget: Budget, *, ok: tuple[int, ...] = (0,),
               stdin: bytes | None = None, literal_paths: bool = False) -> bytes | None:
    """stdout of ``git ARGS`` when its exit code is in ``ok``, else None."""
    result = run_git(args, cwd, budget, stdin=stdin, literal_paths=literal_paths)
    if result is None or result.returncode not in ok:
        return None
    return result.stdout


def nul_fields(output: bytes) -> list[str]:
    """NUL-terminated fields of ``-z`` output, decoded as file names."""
    parts = output.split(b"\0")
    if parts and parts[-1] == b"":
        parts.pop()
    return [os.fsdecode(p) for p in parts]


def side_by_side(*reads: Callable[[], object]) -> list:
    """Run independent reads (each one git process) at the same time; their results in order."""
    from concurrent.futures import ThreadPoolExecutor  # not imported by the CLI unless git is read

    with ThreadPoolExecutor(max_workers=len(reads), thread_name_prefix="reportls-git") as pool:
        return [f.result() for f in [pool.submit(read) for read in reads]]
