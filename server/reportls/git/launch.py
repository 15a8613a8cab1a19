"""The command lines of one report's git reading, and the first of them started at once.

Owns the argument lists of every read ``facts.read_git_facts`` makes (``repository``, ``refs``,
``worktree`` and ``ignore`` run the same lists one at a time) and ``Launch``: runs started together,
each kept under its command line and folder, so that the reading takes the answer of a run that was
started for it and starts only what is still missing.  ``first_round`` starts, before anything else
is known or imported, every read that needs no answer from git, all of them in the report's folder
(git finds the repository from there, pathspecs are relative to it and ``--full-name`` prints
root-relative names): where the repository is, origin's URL, the refs and, when the folder is not
the repository's root (no ``.git`` in it), the index and HEAD's tree under the folder (``.``).  The
rest waits for their answers: check-ignore wants the root, origin's branch the refs.  Whatever git
then says (a refusal, no repository, another root than the guess) only decides which answers are
used: a run started for nothing is ended (``discard``), never read as something else.

Imports only ``run``: the command line starts these runs before the checks are imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reportls.git.run import GIT_TOTAL_BUDGET, Budget, StartedGit, start_git

REMOTE = "origin"

REV_PARSE = ("rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir", "--show-prefix",
             "--is-shallow-repository")
ORIGIN_URL = ("config", "--get", f"remote.{REMOTE}.url")
FOR_EACH_REF = ("for-each-ref", "--format=%(refname)%00%(symref)", "refs/heads", "refs/remotes", "refs/tags")
CHECK_IGNORE = ("check-ignore", "-v", "-z", "--stdin", "--non-matching")
VERIFY_HEAD = ("rev-parse", "-q", "--verify", "HEAD")  # exit 1: HEAD names no commit yet (an unborn branch)


def ls_files_args(scope: Iterable[str]) -> tuple[str, ...]:
    """The index within pathspecs (literal), with stat data; names root-relative."""
    return ("ls-files", "-z", "-s", "-v", "--debug", "--full-name", "--", *scope)


def ls_tree_args(ref: str, scope: Iterable[str]) -> tuple[str, ...]:
    """``ref``'s tree within pathspecs (literal); names root-relative."""
    return ("ls-tree", "-r", "-z", "--full-name", ref, "--", *scope)


def whole_tree_args(ref: str) -> tuple[str, ...]:
    """Every path of ``ref``'s tree, folders too, whatever folder git runs in."""
    return ("ls-tree", "-r", "-t", "-z", "--name-only", "--full-tree", ref)


def count_args(ref: str, pathspec: Iterable[str]) -> tuple[str, ...]:
    """(behind, ahead) commits of HEAD against ``ref``, those changing the pathspecs (literal) only."""
    pathspec = list(pathspec)
    return ("rev-list", "--left-right", "--count", f"{ref}...HEAD", *(["--", *pathspec] if pathspec else []))


class Launch:
    """git runs started together within one budget, each kept under its command line, folder,
    standard input and pathspec mode: ``start`` starts a run unless the same one was started,
    ``result`` waits for its answer, ``ready`` and ``pump`` read what is in without waiting,
    ``discard`` ends every run whose answer was never asked for."""

    whole_tree = False  # whether origin's default branch is listed whole (for the link checks)
    default_branch_tree: bytes | None = None  # ``whole_tree_args`` of origin's default branch, once read

    def __init__(self, budget: Budget):
        self.budget = budget
        self._runs: dict[tuple, StartedGit] = {}

    def start(self, args: Iterable[str], cwd: Path, *, stdin: bytes | None = None,
              literal_paths: bool = False) -> StartedGit:
        key = (tuple(args), os.fspath(cwd), stdin, literal_paths)
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = start_git(key[0], cwd, self.budget, stdin=stdin, literal_paths=literal_paths)
        return run

    def result(self, args: Iterable[str], cwd: Path, *, stdin: bytes | None = None, literal_paths: bool = False):
        """The answer (``run.GitResult``) of that run, started now unless it was."""
        return self.start(args, cwd, stdin=stdin, literal_paths=literal_paths).result()

    def output(self, args: Iterable[str], cwd: Path, *, ok: tuple[int, ...] = (0,), literal_paths: bool = False,
               stdin: bytes | None = None) -> bytes | None:
        """stdout of that run when its exit code is in ``ok``, else None."""
        result = self.result(args, cwd, stdin=stdin, literal_paths=literal_paths)
        return None if result is None or result.returncode not in ok else result.stdout

    def ready(self, args: Iterable[str], cwd: Path, *, stdin: bytes | None = None,
              literal_paths: bool = False) -> bool:
        """Whether that run's answer is in (``result`` would not wait), started now unless it was;
        never waits."""
        return self.start(args, cwd, stdin=stdin, literal_paths=literal_paths).ready()

    def pump(self) -> bool:
        """Read what every run has written so far, never waiting (git never waits long on a full
        pipe while the caller does something else); whether every answer is in."""
        return all([run.ready() for run in self._runs.values()])

    def started(self) -> int:
        """How many runs were started."""
        return len(self._runs)

    def discard(self) -> None:
        """End the runs nobody asked the answer of (a refusal, no repository, a wrong guess of the root)."""
        for run in self._runs.values():
            run.discard()


def first_round(report_path: Path, timeout: float = GIT_TOTAL_BUDGET, *, whole_tree: bool = False) -> Launch:
    """Start every read of the report at ``report_path`` that needs no answer from git (see the
    module docstring); ``whole_tree``: the reading is to list origin's default branch whole too
    (``facts.finish_git_facts``), for the link checks."""
    launch = Launch(Budget(timeout))
    launch.whole_tree = whole_tree
    directory = Path(report_path).absolute().parent
    launch.start(REV_PARSE, directory)
    launch.start(ORIGIN_URL, directory)
    launch.start(FOR_EACH_REF, directory)
    dot_git = _nearest_dot_git(directory)
    if dot_git is not None and dot_git.parent != directory:  # below the root: the folder is "."
        launch.start(ls_files_args(["."]), directory, literal_paths=True)
        launch.start(ls_tree_args("HEAD", ["."]), directory, literal_paths=True)
    return launch


def _nearest_dot_git(directory: Path) -> Path | None:
    """The ``.git`` of the folder or of the nearest folder above it (only a guess of what git finds)."""
    for folder in (directory, *directory.parents):
        candidate = folder / ".git"
        try:
            if os.path.lexists(candidate):
                return candidate
        except (OSError, ValueError):
            return None
    return None
