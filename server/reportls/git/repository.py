"""Where the repository is: the work tree holding a folder, and paths inside it.

Owns ``locate`` and ``parse_location`` (the repository git finds from a folder: a ``.git`` folder or file, a worktree, a
submodule; a bare repository or none is ``None``; a repository git refuses to read because another
user owns it, "dubious ownership", is a ``Refusal``), ``RepoLocation`` (its root, git folders,
the folder's prefix, whether it is shallow), ``head_ref`` (the branch HEAD names) and the path
helpers.

Paths: ``report-relative`` strings are what the report links ("figures/a.png"); ``root-relative``
strings are what git prints ("reports/figures/a.png"), posix, without a leading ``./``.
"""

from __future__ import annotations

import os
import posixpath
import re
from reportls.text.records import record
from pathlib import Path

from reportls.files.diskfile import MAX_SOURCE_BYTES, read_regular_file
from reportls.git.launch import REV_PARSE
from reportls.git.run import Budget, GitResult, run_git


@record(frozen=True)
class RepoLocation:
    """The work tree holding a folder: ``prefix`` is that folder relative to ``root`` ("" at the root)."""

    root: Path
    git_dir: Path  # this work tree's: index, HEAD (``.git/worktrees/x`` for a worktree)
    common_dir: Path  # shared by worktrees: refs, packed-refs, info/exclude, config
    prefix: str
    shallow: bool = False  # a shallow clone: history stops at a cut (CI checkouts at depth 1)


@record(frozen=True, slots=True)
class Refusal:
    """git will not read the repository at ``path``: it is owned by someone else ("dubious
    ownership") and not listed in ``safe.directory``.  (Its sentence: ``checks.git_status``.)"""

    path: str


_DUBIOUS = r"dubious ownership in repository at '(?P<path>[^\n]*)'"  # (compiled when git refuses)


def locate(directory: Path, budget: Budget) -> RepoLocation | Refusal | None:
    """The repository git finds from ``directory`` (a ``.git`` file, worktree or submodule too);
    a ``Refusal`` when git refuses it (dubious ownership); None outside a work tree (no
    repository, a bare one, or one git cannot read)."""
    return parse_location(run_git(REV_PARSE, directory, budget), directory)


def parse_location(result: GitResult | None, directory: Path) -> RepoLocation | Refusal | None:
    """``locate``'s reading of git's answer to ``launch.REV_PARSE`` run in ``directory``."""
    if result is None:
        return None
    if result.returncode != 0:
        m = re.search(_DUBIOUS, os.fsdecode(result.stderr))
        return Refusal(m.group("path")) if m else None
    lines = os.fsdecode(result.stdout).split("\n")
    if len(lines) < 4 or not lines[0] or not lines[1]:
        return None
    root, git_dir, common_dir, prefix = lines[:4]
    shallow = len(lines) > 4 and lines[4] == "true"
    return RepoLocation(Path(root), Path(git_dir), Path(os.path.normpath(directory / common_dir)),
                        prefix.strip("/"), shallow)


def locate_repository(directory: Path, budget: Budget) -> RepoLocation | None:
    """``locate`` with a refusal read as "no repository"."""
    found = locate(directory, budget)
    return found if isinstance(found, RepoLocation) else None


def head_ref(git_dir: Path) -> str | None:
    """The ref HEAD names ("refs/heads/main"), read from ``git_dir/HEAD``; None when HEAD is
    detached (names a commit) or cannot be read."""
    try:  # a regular file only, never blocking: a FIFO put in place of HEAD cannot hang the caller
        head = read_regular_file(git_dir / "HEAD", MAX_SOURCE_BYTES).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return head[5:].strip() if head.startswith("ref: refs/") else None


def join_path(*parts: str) -> str:
    """Join posix path parts, skipping empty ones (the root folder is "")."""
    return "/".join(p.strip("/") for p in parts if p.strip("/"))


def is_under(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def root_relative(folder: str, report_relative: str) -> str | None:
    """``figures/a.png`` in folder ``reports`` -> ``reports/figures/a.png``; None outside the work tree."""
    p = report_relative.replace("\\", "/") if os.sep == "\\" else report_relative
    if not p or p.startswith("/") or re.match(r"^[A-Za-z]:", p):
        return None
    joined = posixpath.normpath(join_path(folder, p) if folder else p)
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined
