"""The server's cache of git facts, one entry per report, and the stamps that keep it honest.

Owns ``GitCache`` and ``facts_stamp``.  ``get`` never runs git (the keystroke path); ``refresh``
does (``git.facts.read_git_facts``, in a worker), at most once per time-to-live unless a cheap
stamp changed: the mtimes of the index, HEAD and the branch it names, refs, packed-refs, config,
info/exclude, the ``.gitignore`` files down to the figures folder, the report's folder and the
asked figures.  Watched-file events drop entries (``invalidate``).  The command line reads git once
per report and keeps no cache.
"""

from __future__ import annotations

import os
import posixpath
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportls.git.facts import GitFacts, read_git_facts
from reportls.git.refs import REMOTE
from reportls.git.repository import head_ref, join_path
from reportls.git.run import GIT_TOTAL_BUDGET

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
    named = head_ref(facts.git_dir)
    if named:
        paths.append(facts.common_dir / named)
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
