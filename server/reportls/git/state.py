"""What git knows about a report's folder: the facts behind ``figure-untracked``, ``figure-ignored``,
``figure-unpushed``, the hand-in status line (issue 16) and the own-repository links (issue 18).

Owns every run of the ``git`` binary except the ignore-file quick fix (``reportls.git.ignorefix``).
git is only ever *read*: no fetch, no add, no index refresh.  Each run has ``GIT_OPTIONAL_LOCKS=0``
(nothing writes the index), no prompts, ``LC_ALL=C``, stdin closed, NUL-separated
output (paths with spaces and non-ASCII names), a per-call timeout and an overall deadline.  Anything
that goes wrong (no repository, git not installed, a bare or corrupt repository, a timeout, a
nonzero exit) means "no git facts": ``None`` or a field left ``None``, never an exception.

Paths: ``report-relative`` strings are what the report links ("figures/a.png"); ``root-relative``
strings are what git prints ("reports/figures/a.png"), posix, without a leading ``./``.

The hand-in (what the course scrapes at the deadline) is the report's folder on the remote default
branch *as of the last fetch*: ``refs/remotes/origin/HEAD``, else ``origin/main``, else
``origin/master``.  ``commits_ahead`` counts only local commits that change the report's folder
(commits elsewhere do not change the hand-in); uncommitted changes are changes to tracked files
in the folder plus linked figures that are not in the index.

Nothing from the repository runs (issue 26).  A repository's configuration can name programs:
clean and smudge filters, textconv and external diff drivers, the file-system monitor, hooks, a
pager, ssh commands, credential helpers, ``ext::`` remotes.  Porcelain that compares the work tree
through git (``status``, ``diff``, ``add``) applies clean filters to changed files, so it is never
run here.  The commands run are plumbing that reads only the object store, refs, the index, config,
ignore and attribute files: ``rev-parse``, ``ls-files``, ``ls-tree``, ``for-each-ref``,
``config --get``, ``cat-file --batch-check``, ``rev-list --count``, ``check-ignore`` and
``check-attr``.  The work tree is compared with the index here, by stat data and by hashing files
as git's blob ids without any filter (``worktree_matches``).  Every run also turns off what could
still start a program (``_READ_ONLY_CONFIG``): the file-system monitor (asked whenever the index is
read), hooks, external diff, the pager, and every transport (a partial clone would fetch a missing
object lazily through the remote: ssh, ``ext::``, credential helpers); ``GIT_NO_LAZY_FETCH=1`` too.

Checkouts of one commit (issue 26): CI checks out a pull request's merge commit detached, at depth
1.  In a shallow repository commit counts are unknown (the cut hides the parents), and in CI or a
detached shallow checkout the hand-in line says what the scrape will read instead of "push".  A
repository git refuses to read ("dubious ownership") gives facts with ``refused`` set: the status
line says why and how to allow it, and nothing else is claimed.  Under pre-commit (``PRE_COMMIT=1``)
the index is the commit being made: a staged figure is committed.

Nothing here imports the LSP libraries.  The server keeps a ``GitCache`` per workspace: ``get``
never runs git (the keystroke path), ``refresh`` does, at most once per time-to-live unless a cheap
stamp (mtimes of the index, HEAD, refs, ignore files, the report's folder) changed.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from reportls.files.diskfile import read_regular_file

GIT_CALL_TIMEOUT = 2.0  # seconds, one git process
GIT_TOTAL_BUDGET = 3.0  # seconds, everything read_git_facts runs
HANDIN_REPORT = "reports/README.md"  # the one file the scrape reads, root-relative
NEW_FIGURE_PROBE = "reportls-new-screenshot.png"  # a file that does not exist, to ask git about
REMOTE = "origin"

# Variables that would point git somewhere else than the folder it runs in (set inside git hooks,
# e.g. when reportls runs from pre-commit), or change how it reads pathspecs or asks for passwords.
_DROPPED_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_ASKPASS", "SSH_ASKPASS",
    "GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS",
)
# The rule for every git run of this module (see the module docstring): read-only plumbing, and
# nothing the repository's configuration names is ever started.  A ``-c`` on the command line wins
# over the repository's own config for the same key.
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
MAX_HASHED = 64 * 1024 * 1024  # bytes: a bigger changed file is compared by its stat data only


# ---------------------------------------------------------------------------------------------
# running git


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


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: bytes


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
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


def run_git(args: Iterable[str], cwd: Path, budget: Budget, *, stdin: bytes | None = None,
            literal_paths: bool = False) -> GitResult | None:
    """Run ``git ARGS`` in ``cwd``; None when git cannot be run or does not finish in time.

    ``literal_paths``: pathspecs are file names, not globs (``fig[1].png``).
    """
    timeout = budget.call_timeout()
    if timeout <= 0:
        budget.timed_out = True
        return None
    command = [path_bytes(a) for a in
               ["git", "--no-pager", *_READ_ONLY_CONFIG, *(["--literal-pathspecs"] if literal_paths else []), *args]]
    try:
        done = subprocess.run(
            command, cwd=path_bytes(cwd), input=stdin, stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True, env=git_env(), timeout=timeout,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except subprocess.TimeoutExpired:
        budget.timed_out = True
        return None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None  # git not on PATH, cwd gone, ...
    return GitResult(done.returncode, done.stdout, done.stderr)


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


# ---------------------------------------------------------------------------------------------
# where the repository is


@dataclass(frozen=True)
class RepoLocation:
    """The work tree holding a folder: ``prefix`` is that folder relative to ``root`` ("" at the root)."""

    root: Path
    git_dir: Path  # this work tree's: index, HEAD (``.git/worktrees/x`` for a worktree)
    common_dir: Path  # shared by worktrees: refs, packed-refs, info/exclude, config
    prefix: str
    shallow: bool = False  # a shallow clone: history stops at a cut (CI checkouts at depth 1)


class Refusal(NamedTuple):
    """git will not read the repository at ``path``: it is owned by someone else ("dubious
    ownership") and not listed in ``safe.directory``."""

    path: str

    @property
    def message(self) -> str:
        shown = self.path if re.fullmatch(r"[A-Za-z0-9_./@+=:,~-]+", self.path) else f'"{self.path}"'
        return (f"git refuses to read {self.path} (it belongs to another user), so nothing about git is "
                f"checked; to allow it: `git config --global --add safe.directory {shown}`")


_DUBIOUS = re.compile(r"dubious ownership in repository at '(?P<path>[^\n]*)'")


def locate(directory: Path, budget: Budget) -> RepoLocation | Refusal | None:
    """The repository git finds from ``directory`` (a ``.git`` file, worktree or submodule too);
    a ``Refusal`` when git refuses it (dubious ownership); None outside a work tree (no
    repository, a bare one, or one git cannot read)."""
    result = run_git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir",
                      "--show-prefix", "--is-shallow-repository"], directory, budget)
    if result is None:
        return None
    if result.returncode != 0:
        m = _DUBIOUS.search(os.fsdecode(result.stderr))
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


# ---------------------------------------------------------------------------------------------
# ignore rules


@dataclass(frozen=True)
class IgnoreRule:
    """One line of an ignore file, as ``git check-ignore -v`` names it.

    ``source`` as git prints it (".gitignore", "reports/.gitignore", ".git/info/exclude", or the
    absolute path of ``core.excludesFile``); ``line`` 1-based.  ``kind``: "gitignore" (a
    ``.gitignore`` in the work tree), "info-exclude" (``.git/info/exclude``) or "global"
    (``core.excludesFile``, outside the repository: no fix is offered there).  ``path``: the file.
    """

    source: str
    line: int
    pattern: str
    kind: str = "gitignore"
    path: Path | None = None

    @property
    def label(self) -> str:
        """``.gitignore:5 *.png``"""
        return f"{self.source}:{self.line} {self.pattern}"

    def to_json(self) -> dict:
        return {"source": self.source, "line": self.line, "pattern": self.pattern, "kind": self.kind}


def parse_check_ignore(output: bytes) -> dict[str, tuple[str, int, str] | None]:
    """``git check-ignore -v -z --non-matching`` output: path -> (source, line, pattern) of the rule
    that ignores it, or None when nothing ignores it (no match, or a ``!`` negation decides)."""
    fields = nul_fields(output)
    decisions: dict[str, tuple[str, int, str] | None] = {}
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[i:i + 4]
        if not source or pattern.startswith("!"):
            decisions[path] = None
        else:
            decisions[path] = (source, int(line) if line.isdigit() else 0, pattern)
    return decisions


def classify_rule(source: str, line: int, pattern: str, location: RepoLocation) -> IgnoreRule:
    path = Path(source) if os.path.isabs(source) else location.root / source
    if _same_file(path, location.common_dir / "info" / "exclude"):
        kind = "info-exclude"
    elif path.name == ".gitignore" and _inside(path, location.root):
        kind = "gitignore"
    else:
        kind = "global"
    return IgnoreRule(source, line, pattern, kind, path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except (OSError, ValueError):
        return False


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (OSError, ValueError):
        return False


def check_ignore(location: RepoLocation, paths: Iterable[str],
                 budget: Budget) -> dict[str, IgnoreRule | None] | None:
    """Root-relative path -> the rule that ignores it (a parent folder's rule included), or None.
    A path ending in ``/`` is asked about as a folder (it need not exist)."""
    paths = list(dict.fromkeys(paths))
    if not paths:
        return {}
    stdin = b"".join(path_bytes(p) + b"\0" for p in paths)
    out = git_output(["check-ignore", "-v", "-z", "--stdin", "--non-matching"], location.root, budget,
                     ok=(0, 1), stdin=stdin)
    if out is None:
        return None
    decided = parse_check_ignore(out)
    return {p: (classify_rule(*decided[p], location) if decided.get(p) else None) for p in paths}


# ---------------------------------------------------------------------------------------------
# refs and the origin remote


class GitHubRepo(NamedTuple):
    """``origin`` on GitHub; a tuple ``(owner, name)``."""

    owner: str
    name: str

    def blob_url(self, branch: str, path: str) -> str:
        """``https://github.com/OWNER/REPO/blob/BRANCH/path`` (``path`` root-relative)."""
        return f"https://github.com/{self.owner}/{self.name}/blob/{quote(branch)}/{quote(path.strip('/'))}"


_GITHUB_REMOTE = re.compile(
    r"""^(?:
        https?://(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?/
      | ssh://(?:[^@/]+@)?(?:ssh\.)?github\.com(?::\d+)?/
      | (?:[^@/:]+@)?github\.com:/?
    )
    (?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)
    /(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_github_remote(url: str | None) -> GitHubRepo | None:
    """``https://github.com/O/R(.git)``, ``git@github.com:O/R.git``, ``ssh://git@github.com/O/R.git``
    -> ``GitHubRepo("O", "R")``; any other URL (another host, a local path) -> None."""
    m = _GITHUB_REMOTE.match((url or "").strip())
    if m is None or m.group("name") in (".", ".."):
        return None
    return GitHubRepo(m.group("owner"), m.group("name"))


@dataclass(frozen=True)
class RefNames:
    """Branch and tag names git knows locally (as of the last fetch for remote-tracking ones)."""

    local_branches: frozenset[str] = frozenset()  # "main"
    remote_branches: frozenset[str] = frozenset()  # "origin/main", "upstream/dev" (no "*/HEAD")
    tags: frozenset[str] = frozenset()
    remote_heads: Mapping[str, str] = field(default_factory=dict)  # "origin" -> "origin/main" (X/HEAD)

    @property
    def origin_branches(self) -> frozenset[str]:
        """``origin``'s branches without the ``origin/`` prefix."""
        prefix = REMOTE + "/"
        return frozenset(b[len(prefix):] for b in self.remote_branches if b.startswith(prefix))

    def names(self) -> frozenset[str]:
        """Every name a link may use as REF: local branches, origin's branches with and without
        ``origin/``, other remotes' ``remote/branch`` and tags."""
        return self.local_branches | self.remote_branches | self.origin_branches | self.tags

    def default_remote_branch(self) -> str | None:
        """``origin/HEAD``'s target, else ``origin/main``, else ``origin/master`` (None: none exists)."""
        head = self.remote_heads.get(REMOTE)
        for candidate in (head, f"{REMOTE}/main", f"{REMOTE}/master"):
            if candidate and candidate in self.remote_branches:
                return candidate
        return None

    def github_ref(self, name: str) -> str | None:
        """The full ref to read for REF in a ``github.com/OWNER/REPO/blob/REF/...`` link: origin's
        branch first (that is what GitHub has), then a tag, then a local branch; None if unknown."""
        if name in self.origin_branches:
            return f"refs/remotes/{REMOTE}/{name}"
        if name in self.tags:
            return f"refs/tags/{name}"
        if name in self.local_branches:
            return f"refs/heads/{name}"
        if name in self.remote_branches:
            return f"refs/remotes/{name}"
        return None


def parse_refs(output: bytes) -> RefNames:
    """``git for-each-ref --format=%(refname)%00%(symref)`` output."""
    local, remote, tags, heads = set(), set(), set(), {}
    for line in os.fsdecode(output).split("\n"):
        name, _, symref = line.partition("\0")
        if name.startswith("refs/heads/"):
            local.add(name[len("refs/heads/"):])
        elif name.startswith("refs/tags/"):
            tags.add(name[len("refs/tags/"):])
        elif name.startswith("refs/remotes/"):
            short = name[len("refs/remotes/"):]
            remote_name, _, branch = short.partition("/")
            if branch == "HEAD":
                if symref.startswith("refs/remotes/"):
                    heads[remote_name] = symref[len("refs/remotes/"):]
            elif branch:
                remote.add(short)
    return RefNames(frozenset(local), frozenset(remote), frozenset(tags), heads)


def read_refs(root: Path, budget: Budget) -> RefNames | None:
    out = git_output(["for-each-ref", "--format=%(refname)%00%(symref)", "refs/heads", "refs/remotes",
                      "refs/tags"], root, budget)
    return None if out is None else parse_refs(out)


def read_origin_url(root: Path, budget: Budget) -> str | None:
    out = git_output(["config", "--get", f"remote.{REMOTE}.url"], root, budget)
    url = os.fsdecode(out).strip() if out else ""
    return url or None


def path_in_ref(root: Path, ref: str, path: str, *, timeout: float = GIT_CALL_TIMEOUT) -> bool | None:
    """Whether ``path`` (root-relative; a file or folder; "" is the root) is in ``ref``'s tree.
    None when ``ref`` names no commit git has (it cannot be checked offline) or git does not answer.
    ``ref`` is any revision git understands; for the REF of a GitHub link pass
    ``RefNames.github_ref(REF)`` (origin's branch, not a local one of the same name)."""
    answers = paths_in_ref(root, ref, [path], timeout=timeout)
    return None if answers is None else answers[path]


def paths_in_ref(root: Path, ref: str, paths: Iterable[str], *, timeout: float = GIT_CALL_TIMEOUT
                 ) -> dict[str, bool] | None:
    """``path_in_ref`` for many paths with one ``git cat-file --batch-check``."""
    paths = list(dict.fromkeys(paths))
    if "\n" in ref or any("\n" in p for p in paths):
        return None
    names = [f"{ref}^{{commit}}"]  # the commit first: "missing" there means an unknown ref
    names += [f"{ref}:{p.strip('/')}" if p.strip("/") else f"{ref}^{{tree}}" for p in paths]
    stdin = b"".join(path_bytes(n) + b"\n" for n in names)
    out = git_output(["cat-file", "--batch-check=%(objecttype)"], Path(root), Budget(timeout, timeout),
                     stdin=stdin)
    if out is None:
        return None
    answers = os.fsdecode(out).split("\n")
    if len(answers) < len(names) or answers[0] != "commit":
        return None
    return {p: answers[i + 1] in ("blob", "tree", "commit") for i, p in enumerate(paths)}


class RefTreeIndex:
    """Answers ``path_in_ref(ref, path)`` from one ``git ls-tree`` listing per ref, for callers that
    must not run git per question (link diagnostics).  ``load`` runs git; calling the index
    does not (an unloaded or unknown ref answers None), unless it was made with ``lazy=True``."""

    def __init__(self, root: Path, refs: RefNames, *, timeout: float = GIT_TOTAL_BUDGET, lazy: bool = False):
        self.root = Path(root)
        self.refs = refs
        self.timeout = timeout
        self.lazy = lazy
        self._trees: dict[str, frozenset[str] | None] = {}
        self._lock = threading.Lock()

    def load(self, names: Iterable[str]) -> None:
        """List the trees of these refs (GitHub-style names: "main", "v1.0", a commit id)."""
        budget = Budget(self.timeout)
        for name in names:
            if name not in self._trees:
                tree = self._list(name, budget)
                with self._lock:
                    self._trees[name] = tree

    def _list(self, name: str, budget: Budget) -> frozenset[str] | None:
        ref = self.refs.github_ref(name) or (name if re.fullmatch(r"[0-9a-fA-F]{7,40}", name) else None)
        if ref is None:
            return None
        out = git_output(["ls-tree", "-r", "-t", "-z", "--name-only", "--full-tree", ref], self.root, budget)
        return None if out is None else frozenset(nul_fields(out))

    def __call__(self, ref: str, path: str) -> bool | None:
        if ref not in self._trees and self.lazy:
            self.load([ref])
        tree = self._trees.get(ref)
        if tree is None:
            return None
        path = posixpath.normpath(path.strip("/")) if path.strip("/") else ""
        return path == "" or path in tree


# ---------------------------------------------------------------------------------------------
# the facts for one report


@dataclass(frozen=True)
class GitFacts:
    """What git says about one report and the figures it links (see the module docstring).

    Fields left ``None`` are unknown (git did not answer in time, or there is no remote branch).
    """

    root: Path  # the work tree's root
    git_dir: Path
    common_dir: Path
    report: str  # root-relative: "reports/README.md"
    folder: str  # the report's folder, root-relative: "reports" ("" at the root)
    figures_dir: str  # report-relative: "figures"
    figure_paths: tuple[str, ...]  # report-relative figure paths asked about
    figure_files: Mapping[str, str | None]  # report-relative -> root-relative (None: outside the work tree)
    existing: frozenset[str]  # root-relative asked paths that are files on disk
    tracked: frozenset[str] | None  # root-relative paths in the index (the folder and the asked paths)
    committed: frozenset[str] | None  # ... in HEAD's tree (empty before the first commit)
    ignored: Mapping[str, IgnoreRule] | None  # root-relative untracked asked path -> the rule ignoring it
    new_figure_rule: IgnoreRule | None  # the rule that would ignore a new file in the figures folder
    report_ignored_by: IgnoreRule | None  # the rule ignoring the report itself (when it is not tracked)
    origin_url: str | None
    github: GitHubRepo | None
    refs: RefNames
    remote_ref: str | None  # "origin/main": the remote default branch as of the last fetch
    remote_tree: frozenset[str] | None  # root-relative paths (folder and asked paths) on remote_ref
    commits_ahead: int | None  # local commits changing the report's folder, not on remote_ref
    commits_behind: int | None  # commits on remote_ref changing the folder, not in HEAD
    changed: tuple[str, ...] | None  # root-relative tracked paths under the folder with uncommitted changes
    complete: bool = True  # False when the deadline cut the reading short
    shallow: bool = False  # a shallow clone: commit counts cannot be known
    detached: bool = False  # HEAD names a commit, not a branch
    ci: bool = False  # running in CI (``CI`` or ``GITHUB_ACTIONS`` set)
    pre_commit: bool = False  # running as a pre-commit hook: the index is the commit being made
    refused: Refusal | None = None  # git refused the repository: every other field says nothing

    @classmethod
    def refused_by_git(cls, refusal: Refusal, report_path: Path) -> GitFacts:
        """The facts of a repository git refuses to read: none, and why."""
        root = Path(refusal.path)
        try:
            report = Path(os.path.relpath(report_path, root)).as_posix()
        except ValueError:  # another drive
            report = report_path.name
        return cls(root=root, git_dir=root / ".git", common_dir=root / ".git", report=report, folder="",
                   figures_dir="figures", figure_paths=(), figure_files={}, existing=frozenset(), tracked=None,
                   committed=None, ignored=None, new_figure_rule=None, report_ignored_by=None, origin_url=None,
                   github=None, refs=RefNames(), remote_ref=None, remote_tree=None, commits_ahead=None,
                   commits_behind=None, changed=None, refused=refusal)

    @property
    def one_commit_checkout(self) -> bool:
        """A checkout of one commit as CI makes it for a pull request: HEAD detached (on the merge
        commit), in a shallow clone or in CI.  What is on the remote branch is not this checkout's
        to push.  (CI on a branch checks the branch out: the usual reading holds there.)"""
        return self.detached and (self.shallow or self.ci)

    @property
    def default_branch(self) -> str | None:
        """origin's default branch name without ``origin/`` ("main"), for GitHub URLs."""
        return self.remote_ref.split("/", 1)[1] if self.remote_ref else None

    @property
    def report_tracked(self) -> bool | None:
        return None if self.tracked is None else self.report in self.tracked

    @property
    def report_on_remote(self) -> bool | None:
        return None if self.remote_tree is None else self.report in self.remote_tree

    @property
    def untracked_figures(self) -> tuple[str, ...]:
        """Root-relative linked figures on disk that are not in the index."""
        if self.tracked is None:
            return ()
        return tuple(sorted(p for p in self.existing if p not in self.tracked))

    @property
    def uncommitted(self) -> tuple[str, ...]:
        """Root-relative paths whose current state is not committed: changed tracked files under
        the report's folder and linked figures that are not in the index."""
        return tuple(sorted(set(self.changed or ()) | set(self.untracked_figures)))

    def to_json(self) -> dict:
        """The CLI's ``"git"`` key: plain JSON types only."""
        return {
            "root": str(self.root),
            "report": self.report,
            "remote_ref": self.remote_ref,
            "report_tracked": self.report_tracked,
            "report_ignored_by": self.report_ignored_by.to_json() if self.report_ignored_by else None,
            "report_on_remote": self.report_on_remote,
            "commits_ahead": self.commits_ahead,
            "commits_behind": self.commits_behind,
            "uncommitted": list(self.uncommitted),
            "status": handin_status(self),
            "new_figures_ignored_by": self.new_figure_rule.to_json() if self.new_figure_rule else None,
            "figures": {p: s.to_json() for p, s in figure_git_states(self).items()},
            "github": f"{self.github.owner}/{self.github.name}" if self.github else None,
            "complete": self.complete,
            "shallow": self.shallow,
            "ci_checkout": self.one_commit_checkout,
            "refused": self.refused.message if self.refused else None,
        }


def read_git_facts(report_path: Path, figure_paths: Iterable[str] = (), figures_dir: str = "figures",
                   timeout: float = GIT_TOTAL_BUDGET) -> GitFacts | None:
    """Read everything ``GitFacts`` holds for the report at ``report_path`` and the figures it links
    (report-relative paths, as decoded from the links).  None when git gives no facts at all."""
    budget = Budget(timeout)
    report_path = Path(report_path).absolute()
    location = locate(report_path.parent, budget)
    if isinstance(location, Refusal):
        return GitFacts.refused_by_git(location, report_path)
    if location is None:
        return None
    root, folder = location.root, location.prefix
    report = join_path(folder, report_path.name)
    figure_paths = tuple(dict.fromkeys(figure_paths))
    figure_files = {p: root_relative(folder, p) for p in figure_paths}
    asked = sorted({p for p in figure_files.values() if p})
    scope = _scope(folder, [report, *asked])
    pre_commit = os.environ.get("PRE_COMMIT") == "1"

    origin_url, refs, index, head = side_by_side(  # independent reads
        lambda: read_origin_url(root, budget),
        lambda: read_refs(root, budget) or RefNames(),
        lambda: read_index(root, scope, budget),
        lambda: _list_head(root, scope, budget),
    )
    tracked = None if index is None else frozenset(index)
    committed = None if head is None else frozenset(head)
    remote_ref = refs.default_remote_branch()
    existing = frozenset(p for p in asked if _is_file_inside(root, folder, p))
    untracked = [p for p in [report, *asked] if tracked is None or p not in tracked]
    figures_folder = join_path(folder, figures_dir)
    probe_file = join_path(figures_folder, NEW_FIGURE_PROBE)
    probe_dir = figures_folder + "/" if figures_folder else probe_file  # "/": asked about as a folder
    count = remote_ref and not location.shallow  # a shallow history cannot count commits
    remote_tree, (behind, ahead), decisions, changed = side_by_side(
        lambda: _list_tree(root, f"refs/remotes/{remote_ref}", scope, budget) if remote_ref else None,
        lambda: _count_commits(root, remote_ref, folder, budget) if count else (None, None),
        lambda: check_ignore(location, [*untracked, probe_file, probe_dir], budget),
        lambda: changed_paths(root, location.git_dir, index, head, budget, staged=not pre_commit),
    )
    if pre_commit and committed is not None and tracked is not None:
        committed = committed | tracked  # the index is the commit being made
    ignored = None if decisions is None else {p: r for p in asked if (r := decisions.get(p))}
    new_rule = None if decisions is None else (decisions.get(probe_dir) or decisions.get(probe_file))
    report_rule = None if decisions is None or report not in untracked else decisions.get(report)

    return GitFacts(
        root=root, git_dir=location.git_dir, common_dir=location.common_dir, report=report, folder=folder,
        figures_dir=figures_dir, figure_paths=figure_paths, figure_files=figure_files, existing=existing,
        tracked=tracked, committed=committed, ignored=ignored, new_figure_rule=new_rule,
        report_ignored_by=report_rule,
        origin_url=origin_url, github=parse_github_remote(origin_url), refs=refs, remote_ref=remote_ref,
        remote_tree=remote_tree, commits_ahead=ahead, commits_behind=behind, changed=changed,
        complete=not budget.timed_out, shallow=location.shallow, detached=_head_ref(location.git_dir) is None,
        ci=in_ci(os.environ), pre_commit=pre_commit,
    )


def in_ci(env: Mapping[str, str]) -> bool:
    """Whether these environment variables are a CI run's (GitHub Actions sets both)."""
    if env.get("GITHUB_ACTIONS", "").lower() == "true":
        return True
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _is_file_inside(root: Path, folder: str, path: str) -> bool:
    """A file at the root-relative ``path`` that stays inside the report's ``folder`` when the path
    is in it (else inside the work tree): a symlink to a file elsewhere (``/etc/passwd``, another
    folder) is not one, as the figure checks (which list only the report's folder) do not follow
    it either: it is "missing", never also "untracked"."""
    full = os.path.join(path_bytes(root), path_bytes(path))
    inner = folder and is_under(path, folder)
    top = os.path.join(path_bytes(root), path_bytes(folder)) if inner else path_bytes(root)
    try:
        if not os.path.isfile(full):
            return False
        real, top = os.path.realpath(full), os.path.realpath(top)
    except (OSError, ValueError):
        return False
    return real.startswith(top.rstrip(os.sep.encode()) + os.sep.encode())


def side_by_side(*reads: Callable[[], object]) -> list:
    """Run independent reads (each one git process) at the same time; their results in order."""
    from concurrent.futures import ThreadPoolExecutor  # not imported by the CLI unless git is read

    with ThreadPoolExecutor(max_workers=len(reads), thread_name_prefix="reportls-git") as pool:
        return [f.result() for f in [pool.submit(read) for read in reads]]


def _scope(folder: str, paths: Iterable[str]) -> list[str]:
    """Pathspecs covering the report's folder and the asked paths outside it (at the repository
    root only the asked paths: never the whole tree)."""
    outside = [p for p in dict.fromkeys(paths) if not folder or not is_under(p, folder)]
    return ([folder] if folder else []) + outside


class IndexEntry(NamedTuple):
    """One path of the index (``git ls-files -s -v --debug``): its mode and blob id, its stage
    (0 unless a merge conflict), the tag ``-v`` gives ("H" cached, "S" skip-worktree, lower case
    for assume-unchanged) and the stat data git recorded (mtime ns, size), if it could be read."""

    mode: str
    oid: str
    stage: int = 0
    tag: str = "H"
    mtime_ns: int | None = None
    size: int | None = None


_INDEX_ENTRY = re.compile(
    rb"(?P<tag>[^ \0\n]+) (?P<mode>[0-7]+) (?P<oid>[0-9a-f]+) (?P<stage>[0-3])\t(?P<path>[^\0]*)\0"
    rb"(?:  ctime: [0-9]+:[0-9]+\n  mtime: (?P<sec>[0-9]+):(?P<nsec>[0-9]+)\n  dev: [0-9]+\tino: [0-9]+\n"
    rb"  uid: [0-9]+\tgid: [0-9]+\n  size: (?P<size>[0-9]+)\tflags: [0-9a-f]+\n)?")


def parse_index_listing(output: bytes) -> dict[str, IndexEntry]:
    """``git ls-files -z -s -v --debug`` output -> root-relative path -> ``IndexEntry``.

    Each entry is ``TAG MODE OID STAGE\tPATH\0`` followed by five lines of stat data (each ending
    in a newline): ``ctime``, ``mtime``, ``dev``/``ino``, ``uid``/``gid``, ``size``/``flags``.
    Without the stat lines (``--debug`` not understood) the entries have no stat data."""
    entries: dict[str, IndexEntry] = {}
    for m in _INDEX_ENTRY.finditer(output):
        sec = m.group("sec")
        mtime_ns = int(sec) * 1_000_000_000 + int(m.group("nsec")) if sec is not None else None
        size = int(m.group("size")) if sec is not None else None
        entries[os.fsdecode(m.group("path"))] = IndexEntry(
            m.group("mode").decode(), m.group("oid").decode(), int(m.group("stage")), m.group("tag").decode(),
            mtime_ns, size)
    return entries


def read_index(root: Path, scope: list[str], budget: Budget) -> dict[str, IndexEntry] | None:
    """The index's entries within the scope (one per path: a conflicted path keeps its last stage)."""
    out = git_output(["ls-files", "-z", "-s", "-v", "--debug", "--", *scope], root, budget, literal_paths=True)
    return None if out is None else parse_index_listing(out)


def parse_tree_listing(output: bytes) -> dict[str, str]:
    """``git ls-tree -r -z`` output (``MODE TYPE OID\tPATH``) -> root-relative path -> object id."""
    entries: dict[str, str] = {}
    for record in output.split(b"\0"):
        meta, sep, path = record.partition(b"\t")
        fields = meta.split(b" ")
        if sep and len(fields) == 3:
            entries[os.fsdecode(path)] = fields[2].decode("ascii", "replace")
    return entries


def _read_tree(root: Path, ref: str, scope: list[str], budget: Budget) -> dict[str, str] | None:
    out = git_output(["ls-tree", "-r", "-z", "--full-name", ref, "--", *scope], root, budget, literal_paths=True)
    return None if out is None else parse_tree_listing(out)


def _list_tree(root: Path, ref: str, scope: list[str], budget: Budget) -> frozenset[str] | None:
    tree = _read_tree(root, ref, scope, budget)
    return None if tree is None else frozenset(tree)


def _list_head(root: Path, scope: list[str], budget: Budget) -> dict[str, str] | None:
    """HEAD's tree within the scope (path -> blob id); empty before the first commit (an unborn branch)."""
    tree = _read_tree(root, "HEAD", scope, budget)
    if tree is None and not budget.timed_out:
        result = run_git(["rev-parse", "-q", "--verify", "HEAD"], root, budget)
        if result is not None and result.returncode == 1:
            return {}
    return tree


# --- the work tree against the index, without git (no filter can run) --------------------------


def blob_id(data: bytes, like: str = "") -> str:
    """git's object id of a blob with these bytes: SHA-1, or SHA-256 when ``like`` (an object id
    of the same repository) is 64 characters long."""
    algorithm = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()


def read_regular(path: bytes, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else (missing, a
    FIFO, a device, too big), never blocking (``diskfile.read_regular_file``)."""
    try:
        return read_regular_file(path, limit)
    except OSError:
        return None


def worktree_matches(root: Path, path: str, entry: IndexEntry, index_mtime_ns: int | None) -> bool | None:
    """Whether the work tree's file at ``path`` has the content the index records, as git would
    decide without filters: the recorded stat data when it matches and is not racy (as old as the
    index itself), else the blob id of the file's bytes (also with CRLF read as LF: a checkout
    with ``core.autocrlf``).  False: changed or deleted; None: cannot tell (too big to hash)."""
    if entry.tag[:1] in ("S", "s") or entry.tag[:1].islower() or entry.mode == "160000":
        return True  # skip-worktree, assume-unchanged, a submodule: git status does not look either
    full = os.path.join(path_bytes(root), path_bytes(path))
    try:
        st = os.lstat(full)
    except (OSError, ValueError):
        return False
    if entry.mode == "120000":
        if not stat.S_ISLNK(st.st_mode):
            return False
        try:
            return blob_id(os.readlink(full), entry.oid) == entry.oid
        except OSError:
            return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if (entry.mtime_ns is not None and entry.size == st.st_size & 0xFFFFFFFF
            and _same_mtime(entry.mtime_ns, st.st_mtime_ns)
            and index_mtime_ns is not None and st.st_mtime_ns < index_mtime_ns):
        return True
    if st.st_size > MAX_HASHED:
        return None
    data = read_regular(full, MAX_HASHED)
    if data is None:
        return None
    if blob_id(data, entry.oid) == entry.oid:
        return True
    return b"\r\n" in data and blob_id(data.replace(b"\r\n", b"\n"), entry.oid) == entry.oid


def _same_mtime(recorded_ns: int, actual_ns: int) -> bool:
    """git records nanoseconds only where it was built to (else 0)."""
    if recorded_ns % 1_000_000_000 == 0:
        return recorded_ns // 1_000_000_000 == actual_ns // 1_000_000_000
    return recorded_ns == actual_ns


def changed_paths(root: Path, git_dir: Path, index: Mapping[str, IndexEntry] | None,
                  head: Mapping[str, str] | None, budget: Budget, *, staged: bool = True) -> tuple[str, ...] | None:
    """Tracked paths whose work-tree or index state differs from HEAD, what ``git status
    --untracked-files=no`` would list, found without running git on the work tree: staged
    changes (index against HEAD; left out when ``staged`` is false) and work-tree changes (the
    work tree against the index, ``worktree_matches``).  A path with a ``filter`` attribute whose
    bytes differ from its blob is not claimed (only its filter could tell, and it is never run)."""
    if index is None or head is None:
        return None
    changed: set[str] = set()
    if staged:
        changed |= {p for p, e in index.items() if e.stage != 0 or head.get(p) != e.oid}
        changed |= {p for p in head if p not in index}
    try:
        index_mtime = os.stat(path_bytes(git_dir / "index")).st_mtime_ns
    except (OSError, ValueError):
        index_mtime = None
    differ = []
    for n, (p, e) in enumerate(index.items()):
        if n % 256 == 0 and budget.remaining() <= 0:  # hashing is bounded by the same deadline
            budget.timed_out = True
            return None
        if p not in changed and e.stage == 0 and worktree_matches(root, p, e, index_mtime) is False:
            differ.append(p)
    if differ:
        filtered = _filtered(root, differ, budget)
        differ = [p for p in differ if filtered is not None and p not in filtered]
    return tuple(sorted(changed | set(differ)))


def _filtered(root: Path, paths: list[str], budget: Budget) -> frozenset[str] | None:
    """The paths that have a ``filter`` attribute (``git check-attr`` reads the attribute files only)."""
    stdin = b"".join(path_bytes(p) + b"\0" for p in paths)
    out = git_output(["check-attr", "-z", "--stdin", "filter"], root, budget, stdin=stdin)
    if out is None:
        return None
    fields = nul_fields(out)
    return frozenset(fields[i] for i in range(0, len(fields) - 2, 3)
                     if fields[i + 2] not in ("unspecified", "unset"))


def _count_commits(root: Path, remote_ref: str, folder: str, budget: Budget) -> tuple[int | None, int | None]:
    """(behind, ahead): commits changing the folder on the remote branch only / on HEAD only."""
    pathspec = ["--", folder] if folder else []
    out = git_output(["rev-list", "--left-right", "--count", f"refs/remotes/{remote_ref}...HEAD", *pathspec],
                     root, budget, literal_paths=True)
    counts = os.fsdecode(out).split() if out else []
    if len(counts) != 2 or not all(c.isdigit() for c in counts):
        return None, None
    return int(counts[0]), int(counts[1])


# ---------------------------------------------------------------------------------------------
# what the facts mean


@dataclass(frozen=True)
class FigureGitState:
    """The git state of one linked figure.

    ``state``:
    - "ok": in the index, committed, and on the remote default branch (or there is no remote);
    - "untracked": on disk, not in the index, not ignored (``git add`` it);
    - "ignored": on disk, not in the index, and ``rule`` ignores it (or a folder holding it);
    - "staged": in the index but not in any commit yet;
    - "unpushed": committed but not on ``remote_ref`` as of the last fetch;
    - "unmerged": the same in a checkout of one commit (CI): nothing to push, it is handed in once
      this commit reaches the default branch;
    - "case": not in the index with this spelling, but ``tracked_as`` is (another letter case);
    - "missing": not a file on disk (``missing-figure`` covers it);
    - "unknown": outside the work tree, or git did not answer.
    ``path``: the root-relative path (for messages such as ``git add reports/figures/x.png``).
    """

    state: str
    path: str | None
    rule: IgnoreRule | None = None
    tracked_as: str | None = None

    def to_json(self) -> dict:
        data: dict = {"state": self.state, "path": self.path}
        if self.rule is not None:
            data["rule"] = self.rule.to_json()
        if self.tracked_as is not None:
            data["tracked_as"] = self.tracked_as
        return data


def figure_git_states(facts: GitFacts,
                      figure_paths: Iterable[str] | None = None) -> dict[str, FigureGitState]:
    """Report-relative figure path -> its ``FigureGitState`` (paths not asked about when the facts
    were read are "unknown")."""
    paths = facts.figure_paths if figure_paths is None else tuple(dict.fromkeys(figure_paths))
    return {p: _figure_state(facts, facts.figure_files.get(p)) for p in paths}


def _figure_state(facts: GitFacts, path: str | None) -> FigureGitState:
    if path is None or facts.tracked is None:
        return FigureGitState("unknown", path)
    if path not in facts.existing:
        return FigureGitState("missing", path)
    if path in facts.tracked:
        if facts.committed is not None and path not in facts.committed:
            return FigureGitState("staged", path)
        if facts.remote_tree is not None and path not in facts.remote_tree:
            return FigureGitState("unmerged" if facts.one_commit_checkout else "unpushed", path)
        return FigureGitState("ok", path)
    other_case = next((t for t in facts.tracked if t.lower() == path.lower()), None)
    if other_case is not None:
        return FigureGitState("case", path, tracked_as=other_case)
    if facts.ignored is None:
        return FigureGitState("unknown", path)
    rule = facts.ignored.get(path)
    return FigureGitState("ignored", path, rule=rule) if rule else FigureGitState("untracked", path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def handin_status(facts: GitFacts) -> str:
    """The hand-in status line of the report.

    - "Hand-in (origin/main as of last fetch): up to date"
    - "Hand-in (origin/main as of last fetch): 2 local commits and uncommitted changes not on origin/main"
      (either part alone: "1 local commit not on origin/main", "uncommitted changes not on origin/main")
    - "Hand-in (origin/main as of last fetch): reports/README.md is not on origin/main"
    - "...: origin/main has 1 commit not in your branch" (appended with "; " to the above when the
      remote branch changed the folder since your branch left it)
    - "Hand-in: no remote, nothing is pushed" (no ``origin``)
    - "Hand-in: origin has no main or master branch as of last fetch, nothing is pushed"
    - "Hand-in (origin/main as of last fetch): unknown, git did not answer in time" (or "..., git
      could not read origin/main here": a partial clone without its trees, never fetched from here)
    """
    if facts.refused is not None:
        return f"Hand-in: unknown: {facts.refused.message}"
    if facts.one_commit_checkout or (facts.ci and facts.remote_ref is None and facts.origin_url is not None):
        return _checkout_status(facts)  # CI fetched only the commit it checks: nothing to push from here
    ref = facts.remote_ref
    if ref is None:
        if facts.origin_url is None:
            return "Hand-in: no remote, nothing is pushed"
        return f"Hand-in: {REMOTE} has no main or master branch as of last fetch, nothing is pushed"
    head = f"Hand-in ({ref} as of last fetch): "
    if facts.remote_tree is None:
        if not facts.complete:
            return head + "unknown, git did not answer in time"
        return head + f"unknown, git could not read {ref} here (a partial clone missing it?)"
    if not facts.report_on_remote:
        return head + f"{facts.report} is not on {ref}"
    local = []
    if facts.commits_ahead:
        local.append(_plural(facts.commits_ahead, "local commit"))
    if facts.uncommitted:
        local.append("uncommitted changes")
    clauses = [" and ".join(local) + f" not on {ref}"] if local else []
    if facts.commits_behind:
        clauses.append(f"{ref} has {_plural(facts.commits_behind, 'commit')} not in your branch")
    if facts.shallow and not clauses:
        return head + "no uncommitted changes; commits not counted (a shallow clone)"
    return head + ("; ".join(clauses) if clauses else "up to date")


def _checkout_status(facts: GitFacts) -> str:
    """The hand-in line of a checkout of one commit (CI): what the scrape will read, not "push"."""
    target = facts.remote_ref or f"{REMOTE}'s default branch"
    reads = f"the scrape reads {HANDIN_REPORT} on {target} at the deadline"
    if facts.remote_tree is None:
        return f"Hand-in (CI checkout): {reads}; this check covers this checkout's commit"
    missing = [p for p in (facts.report, *sorted(facts.existing)) if facts.tracked and p in facts.tracked
               and p not in facts.remote_tree]
    if not missing:
        return f"Hand-in (CI checkout): {reads}; it has the report and its figures as checked here"
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return f"Hand-in (CI checkout): {reads}; {shown} reach it when this commit is merged there"


# ---------------------------------------------------------------------------------------------
# the cache the server keeps


Stamp = tuple


def facts_stamp(facts: GitFacts | None, report_path: Path) -> Stamp:
    """A cheap fingerprint (stat calls only) of everything the facts depend on: the index, HEAD and
    the branch it names, refs, packed-refs, config, info/exclude, the ``.gitignore`` files from the
    root down to the figures folder, the report's folder and figures folder (new files), the report
    and the asked figures.  Without facts: the ``.git`` of every folder above the report."""
    report_path = Path(report_path).absolute()
    if facts is None or facts.refused is not None:
        return tuple(_stat(d / ".git") for d in report_path.parents)
    paths = [facts.git_dir / "index", facts.git_dir / "HEAD", facts.common_dir / "packed-refs",
             facts.common_dir / "config", facts.common_dir / "info" / "exclude",
             facts.common_dir / "refs" / "heads", facts.common_dir / "refs" / "tags",
             facts.common_dir / "refs" / "remotes" / REMOTE, report_path, report_path.parent]
    head_ref = _head_ref(facts.git_dir)
    if head_ref:
        paths.append(facts.common_dir / head_ref)
    if facts.remote_ref:
        paths.append(facts.common_dir / "refs" / "remotes" / facts.remote_ref)
    figures_folder = join_path(facts.folder, facts.figures_dir)
    folders = {""} | {posixpath.dirname(p) for p in facts.existing} | {figures_folder}
    for folder in sorted(folders):
        parts = folder.split("/") if folder else []
        for depth in range(len(parts) + 1):
            paths.append(facts.root.joinpath(*parts[:depth], ".gitignore"))
        paths.append(facts.root.joinpath(*parts))
    paths.extend(facts.root / p for p in facts.figure_files.values() if p)
    return tuple(_stat(p) for p in dict.fromkeys(paths))


def _head_ref(git_dir: Path) -> str | None:
    try:
        head = (git_dir / "HEAD").read_text("utf-8", "replace").strip()
    except OSError:
        return None
    return head[5:].strip() if head.startswith("ref: refs/") else None


def _stat(path: Path) -> tuple:
    try:
        s = os.stat(path)
    except (OSError, ValueError):
        return (str(path), None)
    return (str(path), s.st_mtime_ns, s.st_size, s.st_ino)


@dataclass
class _Entry:
    facts: GitFacts | None
    figure_paths: frozenset[str]
    figures_dir: str
    stamp: Stamp
    read_at: float


class GitCache:
    """Git facts per report, keyed on the report's path (the facts name the repository root).

    ``get`` returns the last facts and never runs git: use it on the keystroke path.
    ``refresh`` runs git (``read_git_facts``) only when there is nothing cached, the figures asked
    about changed, the stamp changed, or ``ttl`` seconds passed; call it on open, save, watched-file
    events and at most every few seconds while typing.  Safe to use from several threads.
    """

    def __init__(self, ttl: float = 5.0, *, timeout: float = GIT_TOTAL_BUDGET,
                 clock: Callable[[], float] = time.monotonic,
                 reader: Callable[..., GitFacts | None] = read_git_facts):
        self.ttl = ttl
        self.timeout = timeout
        self.clock = clock
        self.reader = reader
        self._entries: dict[Path, _Entry] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(report_path: Path) -> Path:
        return Path(os.path.abspath(report_path))

    def get(self, report_path: Path) -> GitFacts | None:
        """The last facts read for this report (None: none yet, or no git facts).  Never runs git."""
        with self._lock:
            entry = self._entries.get(self._key(report_path))
        return entry.facts if entry else None

    def is_fresh(self, report_path: Path, figure_paths: Iterable[str] = (),
                 figures_dir: str = "figures") -> bool:
        """Whether ``refresh`` would return the cached facts without running git (stat calls only)."""
        with self._lock:
            entry = self._entries.get(self._key(report_path))
        return entry is not None and self._still_valid(entry, report_path, figure_paths, figures_dir)

    def refresh(self, report_path: Path, figure_paths: Iterable[str] = (), figures_dir: str = "figures",
                *, force: bool = False) -> GitFacts | None:
        """Up-to-date facts: the cached ones while still valid, else read again (runs git)."""
        key = self._key(report_path)
        figure_paths = tuple(dict.fromkeys(figure_paths))
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and not force and self._still_valid(entry, key, figure_paths, figures_dir):
            return entry.facts
        read_at = self.clock()
        facts = self.reader(key, figure_paths, figures_dir=figures_dir, timeout=self.timeout)
        new = _Entry(facts, frozenset(figure_paths), figures_dir, facts_stamp(facts, key), read_at)
        with self._lock:
            self._entries[key] = new
        return facts

    def _still_valid(self, entry: _Entry, report_path: Path, figure_paths: Iterable[str],
                     figures_dir: str) -> bool:
        return (self.clock() - entry.read_at < self.ttl
                and entry.figures_dir == figures_dir
                and set(figure_paths) <= entry.figure_paths
                and facts_stamp(entry.facts, self._key(report_path)) == entry.stamp)

    def invalidate(self, path: Path | None = None) -> None:
        """Forget facts: all of them (``path`` None), or those of the report at ``path`` and of every
        report in the repository or folder holding ``path`` (a watched-file event's path)."""
        with self._lock:
            if path is None:
                self._entries.clear()
                return
            target = self._key(path)
            for key, entry in list(self._entries.items()):
                root = entry.facts.root if entry.facts else key.parent
                if key == target or _contains(root, target) or _contains(target, key):
                    del self._entries[key]


def _contains(folder: Path, path: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
        return True
    except ValueError:
        return False
