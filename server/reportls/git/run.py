"""Running the ``git`` binary: the one place a git process is started.

Owns ``run_git`` and ``git_output`` (one run, read-only, bounded in time), ``start_git`` and
``StartedGit`` (a run started now, its answer read later: several runs at once), ``Budget`` (an overall
deadline over a series of runs, and their environment), ``git_env`` (the environment every run gets), ``path_bytes`` (a
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

How a run is started: on Linux with ``os.posix_spawnp`` as ``git -C FOLDER ...`` (the ``subprocess``
module is not imported; standard input from /dev/null or a pipe, output and errors through pipes
read with ``poll`` whenever the caller asks ``ready()`` or waits for ``result()``, signals at their
default action, no inherited file left open, the child reaped with ``waitpid``); elsewhere, and
when a pipe would land on a standard stream's number, with ``subprocess`` in the folder
(``USE_POSIX_SPAWN``).  Either way a run still going at its deadline is killed and reaped.

The same rule for users, with every command line: ``docs/hostile-repositories.md``.  This is the only
module of the package that starts a process (``tests/unit/test_layers.py`` holds it).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from reportls.text.records import record

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

    _env: dict[str, str] | None = None

    def env(self) -> dict[str, str]:
        """``git_env()`` as the series' first run found it: every run of the series gets it."""
        if self._env is None:
            self._env = git_env()
        return self._env

    _inherited: list[int] | None = None

    def inherited_fds(self) -> list[int]:
        """The open files a child would inherit, as the series' first spawned run found them (this
        process inherited them; it opens its own non-inheritable): closed for every run's git.  A
        file closed since is skipped by the spawn (a close of a file not open is no error there)."""
        if self._inherited is None:
            self._inherited = _inheritable_fds()
        return self._inherited


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


_READ_ONLY_ARGS = tuple(map(path_bytes, _READ_ONLY_CONFIG))  # (as every run gives them)


def start_git(args: Iterable[str], cwd: Path, budget: Budget, *, stdin: bytes | None = None,
              literal_paths: bool = False) -> StartedGit:
    """Start ``git ARGS`` in ``cwd`` now; its answer is read later (``StartedGit.result``), so several
    runs go on at once (on other cores) while the caller does something else.

    ``literal_paths``: pathspecs are file names, not globs (``fig[1].png``).  On Linux git is started
    with ``os.posix_spawnp`` (``-C cwd``: the same answers as a child started in ``cwd``; the
    ``subprocess`` module is never imported), elsewhere with ``subprocess`` (``USE_POSIX_SPAWN``).
    """
    timeout = budget.call_timeout()
    if timeout <= 0:
        budget.timed_out = True
        return StartedGit(budget, 0.0)
    options = [*_READ_ONLY_ARGS, *([b"--literal-pathspecs"] if literal_paths else []), *map(path_bytes, args)]
    if USE_POSIX_SPAWN:
        started = _SpawnedGit.start(options, cwd, budget, timeout, stdin)
        if started is not None:
            return started
    return _PopenGit.start(options, cwd, budget, timeout, stdin)


# posix_spawn where it is tested (Linux; glibc reports a failed exec as an error of the call);
# subprocess elsewhere (Windows, macOS) and whenever a pipe would land on 0, 1 or 2 (closed stdio).
USE_POSIX_SPAWN = sys.platform.startswith("linux") and hasattr(os, "posix_spawnp")

# Bytes a pipe always takes without a reader (POSIX guarantees at least one page): standard input
# this small is written at start; more is written while the answer is read (no deadlock either way).
_SAFE_PIPE_WRITE = 4096
_READ_CHUNK = 1 << 18
_GRACE = 0.5  # seconds: a run that has ended by its deadline still gets its output read


class StartedGit:
    """One git run started by ``start_git``: ``result()`` waits for its answer (once; later calls
    give the same), ``ready()`` says without waiting whether it is in, ``discard()`` drops it (ends
    the process if it still runs).  A run that does not finish by its deadline (the per-call
    timeout from its start, within the budget) is ended and marks the budget ``timed_out``.  This
    base class is a run that could not be started (git not on PATH, ...): its answer is None."""

    def __init__(self, budget: Budget, deadline: float):
        self.budget = budget
        self.deadline = deadline
        self._done = True
        self._result: GitResult | None = None

    def ready(self) -> bool:
        """Whether ``result()`` would answer without waiting; reads what git wrote so far (its
        pipes never stay full while the caller does something else)."""
        return True

    def result(self) -> GitResult | None:
        """git's answer; None when git could not be run or did not finish in time."""
        return self._result

    def discard(self) -> None:
        """Not needed after all: end the process if it still runs, and reap it."""
        if not self._done:
            self._done = True
            self._end()

    def _end(self) -> None:
        """End the process if it still runs, reap it and close its pipes (a run never started has none)."""

    def reaped(self) -> bool:
        """Whether no process of this run is left to wait for."""
        return True


class _SpawnedGit(StartedGit):
    """A run started with ``os.posix_spawnp``: its pipes are read with ``poll`` while the answer
    is awaited or whenever ``ready()`` is asked, the child reaped with ``os.waitpid``."""

    @classmethod
    def start(cls, options: list[bytes], cwd: Path, budget: Budget, timeout: float,
              stdin: bytes | None) -> StartedGit | None:
        """None: use subprocess instead (a pipe landed on a standard stream's number)."""
        fds: list[int] = []
        try:
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            fds += (out_r, out_w, err_r, err_w)
            if stdin is None:
                in_r = in_w = None
                actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0)]
            else:
                in_r, in_w = os.pipe()
                fds += (in_r, in_w)
                actions = [(os.POSIX_SPAWN_DUP2, in_r, 0)]
            if min(fds) < 3:  # dup2 onto itself would keep close-on-exec: subprocess handles this
                _close(fds)
                return None
            actions += [(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
            actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in budget.inherited_fds()]  # as subprocess's close_fds
            argv = [b"git", b"-C", path_bytes(cwd), b"--no-pager", *options]
            pid = os.posix_spawnp("git", argv, budget.env(), file_actions=actions, setsigdef=_DEFAULT_SIGNALS)
        except (OSError, ValueError, TypeError):
            _close(fds)
            return StartedGit(budget, 0.0)  # git not on PATH, out of file descriptors, ...
        _close([out_w, err_w] if in_r is None else [out_w, err_w, in_r])
        return cls(pid, out_r, err_r, in_w, stdin, budget, budget.clock() + timeout)

    def __init__(self, pid: int, out_fd: int, err_fd: int, in_fd: int | None, stdin: bytes | None,
                 budget: Budget, deadline: float):
        super().__init__(budget, deadline)
        self._done = False
        self.pid = pid
        self.returncode: int | None = None
        self._out, self._err = out_fd, err_fd
        self._stdout: list[bytes] = []
        self._stderr: list[bytes] = []
        self._chunks = {out_fd: self._stdout, err_fd: self._stderr}
        self._poller = _select().poll()
        self._poller.register(out_fd, _POLL_IN)
        self._poller.register(err_fd, _POLL_IN)
        self._open = 2  # output pipes not at their end yet
        try:  # readable once the child has ended (Linux 5.3+): its end is awaited with poll too
            self._pidfd: int | None = os.pidfd_open(pid)
            self._poller.register(self._pidfd, _POLL_IN)
        except (AttributeError, OSError):
            self._pidfd = None
        self._in_fd = in_fd
        self._pending = memoryview(stdin) if stdin is not None else None
        if in_fd is not None:
            os.set_blocking(in_fd, False)
            self._write()  # what the pipe takes now; the rest while the answer is read
            if self._in_fd is not None:
                self._poller.register(in_fd, _POLL_OUT)

    def ready(self) -> bool:
        if self._done:
            return True
        try:  # what is in the pipes, not past the deadline (an endless answer is result()'s to end)
            while self._open and self._step(0) and self.budget.clock() < self.deadline:
                pass
        except (OSError, ValueError):
            return True  # result() ends it
        return not self._open

    def result(self) -> GitResult | None:
        if self._done:
            return self._result
        self._done = True
        clock = self.budget.clock
        deadline = self.deadline
        if self._exited():
            deadline = max(deadline, clock() + _GRACE)  # it is done: its output waits in the pipes
        try:
            while self._open:
                remaining = deadline - clock()
                if remaining <= 0:
                    return self._time_out()
                self._step(remaining)
            delay = 0.0002
            while not self._exited():  # its pipes are closed: it is ending
                remaining = deadline - clock()
                if remaining <= 0:
                    return self._time_out()
                if self._pidfd is not None:
                    self._step(remaining)
                else:
                    time.sleep(min(delay, remaining))
                    delay = min(delay * 2, 0.01)
        except (OSError, ValueError):
            self._end()
            return None
        self._close_pipes()
        stderr = b"".join(self._stderr)
        if self.returncode == 128 and stderr.startswith(b"fatal: cannot change to '"):
            return None  # ``-C`` found no folder there: as a child started in a gone folder, no answer
        self._result = GitResult(self.returncode, b"".join(self._stdout), stderr)
        return self._result

    def reaped(self) -> bool:
        return self.returncode is not None

    def __del__(self):  # dropped unread (the caller failed): no process or pipe is left behind
        if not self._done:
            try:
                self.discard()
            except Exception:  # noqa: BLE001 - at collection: nothing is left to tell
                pass

    def _step(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a pipe, then read (or write) what is ready; whether
        anything was."""
        events = self._poller.poll(timeout * 1000)
        for fd, event in events:
            if fd == self._in_fd:
                self._write() if event & _POLL_OUT else self._close_stdin()
                continue
            if fd == self._pidfd:  # it has ended (reaped by _exited)
                self._close_pidfd()
                continue
            data = os.read(fd, _READ_CHUNK) if event & (_POLL_IN | _POLL_HUP | _POLL_ERR) else b""
            if data:
                self._chunks[fd].append(data)
            else:  # the end of the pipe: every writer (git, any child it left) closed it
                self._poller.unregister(fd)
                self._open -= 1
        return bool(events)

    def _write(self) -> None:
        try:
            written = os.write(self._in_fd, self._pending)
        except BlockingIOError:
            return
        except OSError:  # git ended already (a broken pipe): its answer says why
            written = len(self._pending)
        self._pending = self._pending[written:]
        if not self._pending:
            self._close_stdin()

    def _close_stdin(self) -> None:
        fd, self._in_fd = self._in_fd, None
        self._unwatch(fd)

    def _close_pidfd(self) -> None:
        fd, self._pidfd = self._pidfd, None
        self._unwatch(fd)

    def _unwatch(self, fd: int | None) -> None:
        """Stop polling ``fd`` and close it (None: already done)."""
        if fd is not None:
            try:
                self._poller.unregister(fd)
            except (KeyError, ValueError):
                pass
            _close([fd])

    def _exited(self) -> bool:
        """Reap the child if it has ended (never waits)."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): as subprocess, exit code 0
                pid, status = self.pid, 0
            if pid == self.pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode is not None

    def _time_out(self) -> None:
        self.budget.timed_out = True
        self._end()
        return None

    def _end(self) -> None:
        """Killed and reaped, never read: a child it left may hold the pipes."""
        try:
            if not self._exited():
                os.kill(self.pid, _SIGKILL)
                self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        except (OSError, ValueError):
            self.returncode = -_SIGKILL if self.returncode is None else self.returncode
        self._close_pipes()

    def _close_pipes(self) -> None:
        self._close_stdin()
        self._close_pidfd()
        fds, self._out, self._err = [self._out, self._err], -1, -1
        _close([fd for fd in fds if fd >= 0])
        self._open = 0


class _PopenGit(StartedGit):
    """A run started with ``subprocess.Popen`` (where posix_spawn is not used)."""

    @classmethod
    def start(cls, options: list[bytes], cwd: Path, budget: Budget, timeout: float,
              stdin: bytes | None) -> StartedGit:
        import subprocess

        command = [b"git", b"--no-pager", *options]
        try:
            process = subprocess.Popen(
                command, cwd=path_bytes(cwd), stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=budget.env(),
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except (OSError, ValueError, subprocess.SubprocessError):
            return StartedGit(budget, 0.0)  # git not on PATH, cwd gone, ...
        started = cls(process, budget, budget.clock() + timeout, stdin)
        if stdin is not None and os.name == "posix" and len(stdin) <= _SAFE_PIPE_WRITE:
            started.hand_over_stdin()  # fits the pipe: written now, git reads it while we wait elsewhere
        return started

    def __init__(self, process, budget: Budget, deadline: float, stdin: bytes | None = None):
        super().__init__(budget, deadline)
        self._done = False
        self.process = process
        self._stdin = stdin

    def hand_over_stdin(self) -> None:
        stdin, self._stdin = self._stdin, None
        pipe, self.process.stdin = self.process.stdin, None
        try:
            pipe.write(stdin)
            pipe.close()
        except OSError:  # git ended already (a broken pipe): its answer says why
            pass

    def ready(self) -> bool:
        """Whether git has ended (its output, if it fit the pipes, waits there)."""
        return self._done or self.process.poll() is not None

    def result(self) -> GitResult | None:
        if self._done:
            return self._result
        import subprocess

        self._done = True
        process = self.process
        timeout = self.deadline - self.budget.clock()
        if process.poll() is not None:
            timeout = max(timeout, _GRACE)  # it is done: its output waits in the pipes
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

    def reaped(self) -> bool:
        return self.process.returncode is not None

    def _end(self) -> None:
        import subprocess

        process = self.process  # killed and reaped, never read: a child it left may hold the pipes
        try:
            if process.poll() is None:
                process.kill()
            process.wait()
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass


def _close(fds: Iterable[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _inheritable_fds() -> list[int]:
    """This process's open files above 2 that a child would inherit (this process inherited them:
    Python opens its own files non-inheritable); git gets none of them."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    found = []
    for name in names:
        fd = int(name)
        if fd > 2:
            try:
                if os.get_inheritable(fd):
                    found.append(fd)
            except OSError:  # (the listing's own file, closed by now)
                pass
    return found


def _select():
    """The ``select`` module (imported when the first run is started with posix_spawn)."""
    import select

    return select


# Signals a child gets back at their default action (Python ignores SIGPIPE; subprocess restores
# these too), SIGKILL to end a run, and poll's event bits: from the built-in modules behind
# ``signal`` and ``select`` (``signal`` itself builds enums at import, about 1 ms).
if USE_POSIX_SPAWN:
    from _signal import SIGKILL as _SIGKILL
    from _signal import SIGPIPE, SIGXFSZ

    _DEFAULT_SIGNALS = (SIGPIPE, SIGXFSZ)
    _POLL_IN, _POLL_OUT, _POLL_ERR, _POLL_HUP = 0x001, 0x004, 0x008, 0x010  # Linux's poll.h


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
