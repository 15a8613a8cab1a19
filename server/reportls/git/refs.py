"""Refs, the ``origin`` remote and the trees of refs.

Owns ``RefNames`` (the branch and tag names git knows locally, and origin's default branch as of
the last fetch), ``GitHubRepo`` and ``parse_github_remote`` (``origin`` on GitHub), the answers of
``launch``'s reads of refs, of origin's URL, of a ref's tree and of the commit counts
(``parse_refs``, ``parse_origin_url``, ``parse_tree_listing``, ``parse_counts``: how far HEAD and the
remote branch are apart, for a folder), and the questions about a ref's tree (``path_in_ref``,
``paths_in_ref``, ``RefTreeIndex`` for callers that must not run git per question).

The hand-in is the report's folder on the remote default branch *as of the last fetch*:
``refs/remotes/origin/HEAD``, else ``origin/main``, else ``origin/master``.  Nothing here fetches.
"""

from __future__ import annotations

import os
import posixpath
import re
from _thread import allocate_lock
from collections.abc import Iterable, Mapping
from reportls.text.records import field, record
from pathlib import Path
from urllib.parse import quote

from reportls.git.launch import (
    REMOTE,
    whole_tree_args,
)
from reportls.git.run import GIT_CALL_TIMEOUT, GIT_TOTAL_BUDGET, Budget, git_output, nul_fields, path_bytes


@record(frozen=True, slots=True)
class GitHubRepo:
    """``origin`` on GitHub; unpacks as ``(owner, name)``."""

    owner: str
    name: str

    def __iter__(self):
        return iter((self.owner, self.name))

    def blob_url(self, branch: str, path: str) -> str:
        """``https://github.com/OWNER/REPO/blob/BRANCH/path`` (``path`` root-relative)."""
        return f"https://github.com/{self.owner}/{self.name}/blob/{quote(branch)}/{quote(path.strip('/'))}"


# origin's URL on GitHub, as a regular expression: ``parse_github_remote`` reads an ASCII URL by
# hand (the same answer: ``tests/unit/test_git_refs.py`` compares them; compiling this takes about
# 1 ms) and any other with it
_GITHUB_REMOTE = r"""^(?:
        https?://(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?/
      | ssh://(?:[^@/]+@)?(?:ssh\.)?github\.com(?::\d+)?/
      | (?:[^@/:]+@)?github\.com:/?
    )
    (?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)
    /(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$"""

_OWNER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_NAME_CHARS = _OWNER_CHARS | frozenset("._")


def parse_github_remote(url: str | None) -> GitHubRepo | None:
    """``https://github.com/O/R(.git)``, ``git@github.com:O/R.git``, ``ssh://git@github.com/O/R.git``
    -> ``GitHubRepo("O", "R")``; any other URL (another host, a local path) -> None."""
    url = (url or "").strip()
    if url.isascii():
        found = _github_owner_name(url)
    else:
        m = re.match(_GITHUB_REMOTE, url, re.VERBOSE | re.IGNORECASE)
        found = (m.group("owner"), m.group("name")) if m else None
    if found is None or found[1] in (".", ".."):
        return None
    return GitHubRepo(*found)


def _github_owner_name(url: str) -> tuple[str, str] | None:
    """``_GITHUB_REMOTE``'s (owner, name) in an ASCII URL, read without compiling it."""
    lower = url.lower()
    scheme = next((s for s in ("https://", "http://", "ssh://") if lower.startswith(s)), None)
    if scheme is not None:  # [user@]host[:port]/ with the host github.com (www. or ssh. before it)
        end = url.find("/", len(scheme))
        if end < 0:
            return None
        host = lower[len(scheme):end]
        at = host.find("@")
        if at == 0:
            return None
        host, colon, port = host[at + 1:].partition(":")
        if colon and not (port and port.isdigit()):
            return None
        if host not in ("github.com", "ssh.github.com" if scheme == "ssh://" else "www.github.com"):
            return None
        rest = url[end + 1:]
    else:  # [user@]github.com:[/]
        at = url.find("@")
        start = at + 1 if at > 0 and "/" not in url[:at] and ":" not in url[:at] else 0
        if not lower.startswith("github.com:", start):
            return None
        rest = url[start + len("github.com:"):]
        if rest.startswith("/"):
            rest = rest[1:]
    owner, slash, name = rest.partition("/")
    if not (slash and owner and owner[0] != "-" and owner[-1] != "-" and _OWNER_CHARS.issuperset(owner)):
        return None
    if name.endswith("/"):
        name = name[:-1]
    if len(name) > 4 and name[-4:].lower() == ".git":
        name = name[:-4]
    if not name or not _NAME_CHARS.issuperset(name):
        return None
    return owner, name


@record(frozen=True)
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






def parse_origin_url(output: bytes | None) -> str | None:
    """``launch.ORIGIN_URL``'s answer: the URL, None when unset."""
    url = os.fsdecode(output).strip() if output else ""
    return url or None


# --- trees of refs ---------------------------------------------------------------------------------


def parse_tree_listing(output: bytes) -> dict[str, str]:
    """``git ls-tree -r -z`` output (``MODE TYPE OID\tPATH``) -> root-relative path -> object id."""
    entries: dict[str, str] = {}
    for line in output.split(b"\0"):
        meta, sep, path = line.partition(b"\t")
        fields = meta.split(b" ")
        if sep and len(fields) == 3:
            entries[os.fsdecode(path)] = fields[2].decode("ascii", "replace")
    return entries








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
        self._lock = allocate_lock()

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
        out = git_output(whole_tree_args(ref), self.root, budget)
        return None if out is None else frozenset(nul_fields(out))

    def add(self, name: str, listing: bytes) -> None:
        """A tree listed elsewhere (``launch.whole_tree_args`` of the ref ``name`` stands for)."""
        with self._lock:
            self._trees[name] = frozenset(nul_fields(listing))

    def __call__(self, ref: str, path: str) -> bool | None:
        if ref not in self._trees and self.lazy:
            self.load([ref])
        tree = self._trees.get(ref)
        if tree is None:
            return None
        path = posixpath.normpath(path.strip("/")) if path.strip("/") else ""
        return path == "" or path in tree


# --- history -----------------------------------------------------------------------------------------




def parse_counts(output: bytes | None) -> tuple[int | None, int | None]:
    """``launch.count_args``'s answer: (behind, ahead), or (None, None)."""
    counts = os.fsdecode(output).split() if output else []
    if len(counts) != 2 or not all(c.isdigit() for c in counts):
        return None, None
    return int(counts[0]), int(counts[1])
