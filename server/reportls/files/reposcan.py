"""Reading a group's repository for the checklist's evidence (issue 25): the one owner of that I/O.

``scan_root`` says which folder is the repository (the nearest folder above the report holding
``.git``, else the folder above ``reports/``; else none).  ``scan_repository``
lists its regular files and reads the small text ones some rule looks into (``collect.text_paths``) into a
``checklist.RepoSnapshot``, within a time budget, a file cap and a cap on the text read.  It skips ``.git`` (it only notes ``.git/HEAD`` and reads
``.git/config``), virtual environments, ``node_modules``, caches, run outputs at the root (``wandb/``, ``outputs/``, ...), hidden folders
other than ``.github`` and ``.dvc`` (of which only ``.dvc/config``), the contents of the data folders
at the root (only their ``.dvc`` files are listed; ``src/proj/data/`` is code), files over ``MAX_TEXT_BYTES`` and binary files.  Symlinks
are never followed, nothing is run and nothing is written.

``EvidenceCache`` keeps one ``checklist.RepoEvidence`` per repository root for the server:
``get`` never touches the disk (the keystroke path), ``refresh`` scans (call it in a worker
thread), ``invalidate`` marks roots stale (watched-file events, saves).
"""

from __future__ import annotations

import os
import time
from operator import attrgetter
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:  # the records are imported when a repository is scanned: ``scan_root`` alone needs none
    from reportls.checklist.evidence import RepoEvidence, RepoSnapshot

SCAN_BUDGET_S = 1.5  # seconds for one scan
MAX_FILES = 5000  # paths listed
MAX_READ = 2000  # text files read
MAX_TEXT_BYTES = 256 * 1024  # a larger file is listed, not read
MAX_TOTAL_TEXT = 8 * 1024 * 1024  # characters read in all; past it the scan is incomplete
SKIPPED_DIRS = frozenset({
    "node_modules", ".venv", "venv", "env", ".env", "site-packages", "__pycache__", "htmlcov", ".eggs",
    "bower_components",
})
RUN_OUTPUT_DIRS = frozenset({"wandb", "outputs", "multirun", "mlruns", "lightning_logs", "dist", "build"})  # at the root
DATA_DIRS = frozenset({"data", "datasets", "dataset"})  # at the root: only their .dvc files are listed
HIDDEN_KEPT = frozenset({".github", ".dvc"})
TEXT_SUFFIXES = frozenset({
    ".py", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".txt", ".in", ".sh", ".bash", ".mk", ".json", ".dvc",
    ".lock", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".html", ".vue", ".svelte", ".md", ".rst", ".tf", ".env",
    ".dockerfile", ".conf",
})
TEXT_NAMES = frozenset({"dockerfile", "makefile", "justfile", "pipfile", "procfile", ".coveragerc", ".flake8",
                        ".pylintrc", "pylintrc", ".python-version", "config"})


def scan_root(report_path: Path) -> Path | None:
    """The folder the checklist's evidence is looked for in: the repository holding the report,
    else the folder above ``reports/`` when it holds anything besides ``reports/``; None for a report
    elsewhere, or alone in its folder (a downloaded report: no repository to look at, so no box is
    called unbacked)."""
    folder = Path(os.path.abspath(report_path)).parent
    for d in [folder, *folder.parents][:64]:
        if (d / ".git").exists():
            return d
    if folder.name != "reports":
        return None
    return folder.parent if _holds_more_than(folder.parent, folder.name) else None


def _holds_more_than(root: Path, only: str) -> bool:
    """Whether ``root`` holds a visible entry other than ``only`` (one ``scandir``, stopped early)."""
    try:
        with os.scandir(root) as entries:
            return any(e.name != only and not e.name.startswith(".") for e in entries)
    except OSError:
        return False


def _is_text_name(name: str) -> bool:
    lower = name.lower()
    if lower in TEXT_NAMES or lower.startswith("dockerfile") or lower.endswith("dockerfile"):
        return True
    if lower.endswith(".ipynb"):
        return False
    dot = lower.rfind(".")  # ``os.path.splitext``'s extension: none for a name of dots and then one
    return (dot > 0 and lower[dot:] in TEXT_SUFFIXES and lower[:dot].lstrip(".") != "") or lower.startswith(".pre-commit")


def _read_text(path: str, size: int | None) -> str | None:
    """A small text file's text (CRLF read as LF), None when it was listed larger than
    ``MAX_TEXT_BYTES`` (``size``; None: a config, read whatever its size), binary, or unreadable;
    at most ``MAX_TEXT_BYTES + 1`` bytes are read.  One ``os.read`` of the
    listed size plus one byte (more only when the file grew since), no buffered file object: the
    buffered one cost more than the read."""
    if size is not None and size > MAX_TEXT_BYTES:
        return None
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        if size is None:
            size = os.fstat(fd).st_size
        want = min(size + 1, MAX_TEXT_BYTES + 1)  # one byte more than listed: a file that grew is read on
        data = os.read(fd, want)
        if len(data) == want:  # it grew since it was listed: read on, up to the cap
            while len(data) <= MAX_TEXT_BYTES and (more := os.read(fd, MAX_TEXT_BYTES + 1 - len(data))):
                data += more
    except OSError:
        return None
    finally:
        os.close(fd)
    if data.find(b"\0", 0, 4096) != -1:
        return None
    text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n") if "\r" in text else text  # CRLF files: `$` ends a line as in LF ones


_BY_NAME = attrgetter("name")
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)  # never waits on a FIFO


def scan_repository(root: Path, *, budget_s: float = SCAN_BUDGET_S, max_files: int = MAX_FILES,
                    clock=time.monotonic) -> RepoSnapshot:
    """List and read ``root`` as described in the module docstring (never raises).  The folders are
    listed first; then the text files some rule reads (``collect.text_paths``, asked once for the
    whole listing) are read, in the order they were listed."""
    root = Path(os.path.abspath(root))
    deadline = clock() + budget_s
    paths: list[str] = []
    complete = True
    reads: list[tuple[str, str, int | None]] = []  # (path, file, size: None until asked) to read, in order
    git = root / ".git"
    if git.is_file() and not git.is_symlink():  # a worktree's or submodule's pointer to its repository
        paths.append(".git")
    elif (git / "HEAD").is_file():
        paths.append(".git/HEAD")
        config = _read_text(str(git / "config"), None)
        if config is not None:
            paths.append(".git/config")
            reads.append((".git/config", config, 0))
    texts_named: list[tuple[str, object]] = []  # text files some rule may read: (path, its DirEntry)
    stack: list[tuple[str, str, bool]] = [(str(root), "", False)]  # (folder, its relative path, data folder)
    while stack:
        folder, rel, in_data = stack.pop()
        if clock() > deadline or len(paths) >= max_files:
            complete = False
            break
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=_BY_NAME)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            rel_path = f"{rel}{name}"
            try:
                if entry.is_symlink():
                    continue
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if in_data or name == ".git" or name.lower() in SKIPPED_DIRS or name.endswith(".egg-info") or (
                        rel == "" and name.lower() in RUN_OUTPUT_DIRS):
                    continue
                if name.startswith(".") and name not in HIDDEN_KEPT:
                    continue
                if rel == "" and name == ".dvc":  # only its config: the cache is data
                    dvc_config = os.path.join(entry.path, "config")
                    if os.path.isfile(dvc_config) and not os.path.islink(dvc_config):
                        paths.append(".dvc/config")
                        reads.append((".dvc/config", dvc_config, 0))
                    continue
                subfolders.append((entry.path, rel_path + "/", rel == "" and name.lower() in DATA_DIRS))
                continue
            if not is_file or name == ".git" or (in_data and not name.endswith(".dvc")):
                continue
            paths.append(rel_path)
            if _is_text_name(name):
                texts_named.append((rel_path, entry))
                reads.append((rel_path, "", None))
            if len(paths) >= max_files:
                complete = False
                break
        stack.extend(reversed(subfolders))
    texts, read_complete = _read_texts(reads, dict(texts_named))
    from reportls.checklist.evidence import RepoSnapshot

    return RepoSnapshot(str(root), tuple(paths), texts, complete and read_complete)


def _read_texts(reads: list, named: dict) -> tuple[dict[str, str], bool]:
    """Read the configs and the listed text files some rule reads, in order, within ``MAX_READ``
    files and ``MAX_TOTAL_TEXT`` characters; also whether nothing was left unread for those caps."""
    from reportls.checklist.collect import text_paths

    wanted = text_paths(list(named)) if named else set()
    texts: dict[str, str] = {}
    total = 0
    complete = True
    for path, file, size in reads:
        if size is not None:  # .git/config (its text, read first), .dvc/config: always read, outside the caps
            text = file if path == ".git/config" else _read_text(file, None)
            if text is not None:
                texts[path] = text
            continue
        if path not in wanted:
            continue
        if len(texts) >= MAX_READ:
            complete = False
            continue
        entry = named[path]
        try:
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        if total + size > MAX_TOTAL_TEXT:
            complete = False
            continue
        text = _read_text(entry.path, size)
        if text is not None:
            texts[path] = text
            total += len(text)
    return texts, complete


def read_evidence(root: Path) -> RepoEvidence:
    """Scan ``root`` and run the evidence table over it."""
    from reportls.checklist.collect import repo_evidence

    return repo_evidence(scan_repository(root))


class EvidenceCache:
    """One ``RepoEvidence`` per repository root, for the server (thread-safe)."""

    def __init__(self, reader=read_evidence) -> None:
        self._reader = reader
        import threading  # the server's: a command line run never imports it for the scan

        self._lock = threading.Lock()
        self._evidence: dict[Path, RepoEvidence] = {}
        self._stale: set[Path] = set()

    def get(self, root: Path) -> RepoEvidence | None:
        """The evidence last read for ``root`` (never reads the disk)."""
        with self._lock:
            return self._evidence.get(root)

    def needs_refresh(self, root: Path) -> bool:
        with self._lock:
            return root not in self._evidence or root in self._stale

    def refresh(self, root: Path) -> bool:
        """Scan ``root`` again if it was never scanned or is stale; returns whether the evidence
        changed.  Runs I/O: call it in a worker thread."""
        if not self.needs_refresh(root):
            return False
        with self._lock:
            self._stale.discard(root)
        evidence = self._reader(root)
        with self._lock:
            before = self._evidence.get(root)
            self._evidence[root] = evidence
        return before is None or before.by_rule != evidence.by_rule or before.complete != evidence.complete

    def invalidate(self, path: Path | None = None) -> None:
        """Mark the roots holding ``path`` (every root when None) to be scanned again."""
        with self._lock:
            for root in self._evidence:
                if path is None or path == root or path.is_relative_to(root):
                    self._stale.add(root)
