"""The index and the work tree compared with it, without letting git look at the work tree.

Owns ``IndexEntry`` and ``parse_index_listing`` (``git ls-files -s -v --debug``'s answer: mode, blob
id, stage and the stat data git recorded), ``worktree_matches`` (one file against its index entry: the stat shortcut
when it is safe, else the file's bytes hashed as git's blob id, ``blob_id``), ``changed_paths``
(what ``git status --untracked-files=no`` would list) and ``is_file_inside`` (a linked figure that
is a file inside the report's folder).

Why not ``git status``: it applies the repository's clean filters to changed files, i.e. runs
programs the repository names (see ``run``).  Here files are read as bytes, never blocking (a FIFO
is "changed", never opened: ``files.diskfile``), and bounded: a file over ``MAX_HASHED`` is judged
by its stat data only, and hashing stops at the caller's deadline.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from reportls.text.records import record
from reportls.files.diskfile import read_regular_file
from reportls.git.repository import is_under
from reportls.git.run import Budget, git_output, nul_fields, path_bytes

MAX_HASHED = 64 * 1024 * 1024  # bytes: a bigger changed file is compared by its stat data only


@record(frozen=True, slots=True)
class IndexEntry:
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




def blob_id(data: bytes, like: str = "") -> str:
    """git's object id of a blob with these bytes: SHA-1, or SHA-256 when ``like`` (an object id
    of the same repository) is 64 characters long."""
    import hashlib  # only when a file is hashed: most checks never do

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


def is_file_inside(root: Path, folder: str, path: str) -> bool:
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
