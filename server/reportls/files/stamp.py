"""File stamps and the one cache keyed by them: what says "read this file again".

A stamp is (modification time in ns, size), None for a file that does not exist (or cannot be
stat'ed).  ``StampedCache`` remembers what a reader made of a file and reads it again only when
its stamp changed.  The owners of I/O (``lsp/session.py`` in the server, ``cli/inputs.py`` on the
command line) hold these caches; nothing below them keeps one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

Stamp = tuple[int, int]


def stamp(path: str | os.PathLike) -> Stamp | None:
    """(modification time, size) of a file, None when it does not exist: what says "re-read it"."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_mtime_ns, st.st_size


class StampedCache:
    """``path -> read(path)``, read again only when the file's stamp changed; bounded (emptied
    when full).  ``get`` costs one ``stat``; ``known`` costs nothing (what was last read, or
    ``None`` when never read) and is what the keystroke path uses."""

    def __init__(self, read: Callable[[Path], object], limit: int = 256) -> None:
        self._read = read
        self._limit = limit
        self._entries: dict[Path, tuple[Stamp | None, object]] = {}

    def get(self, path: Path) -> object:
        current = stamp(path)
        hit = self._entries.get(path)
        if hit is not None and hit[0] == current:
            return hit[1]
        value = self._read(path)
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[path] = (current, value)
        return value

    def has(self, path: Path) -> bool:
        return path in self._entries

    def known(self, path: Path) -> object | None:
        hit = self._entries.get(path)
        return None if hit is None else hit[1]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
