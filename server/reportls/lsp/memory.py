"""Keeping the server's resident memory following what is open, not how long it has run.

CPython hands the text of every version (45 KB a keystroke) and its slices to the C allocator;
glibc keeps freed blocks in per-thread arenas and returns little to the system, so RSS creeps up
over a long session although the live heap stays flat.  On glibc this module limits the arenas
(the worker threads that read git would each get one) and, when typing pauses, gives the freed
memory back (``malloc_trim``), at most every ``TRIM_EVERY_S`` seconds.  Elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import time

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
TRIM_EVERY_S = 5.0

_libc = None
_last_trim = 0.0


def _glibc():
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc = libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else False
        except OSError:
            _libc = False
    return _libc or None


def limit_arenas(count: int = 2) -> None:
    """At start-up: at most ``count`` malloc arenas (glibc's default is 8 per core)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, count)


def trim_when_idle(now: float | None = None) -> bool:
    """Give freed memory back to the system (rate-limited); True when it did."""
    global _last_trim
    libc = _glibc()
    now = time.monotonic() if now is None else now
    if libc is None or now - _last_trim < TRIM_EVERY_S:
        return False
    _last_trim = now
    libc.malloc_trim(0)
    return True
