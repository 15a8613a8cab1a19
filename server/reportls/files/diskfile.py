"""Reading a file the user's repository holds, safely: regular files only, bounded in size, never
blocking (issue 26).

Owns ``read_regular_file``: a FIFO named like a report, report.py or a figure would block a plain
``open().read()`` forever, and ``/dev/zero`` or ``/dev/urandom`` (or a symlink to them) would be
read without end.  The file is opened without blocking (``O_NONBLOCK``: opening a FIFO returns at
once), checked with ``fstat`` on the open descriptor (no race with a rename), refused unless it is
a regular file, and read up to ``limit`` bytes.  ``FileRefused`` (an ``OSError``, so every caller
that already handles unreadable files handles it) carries one clear line.
"""

from __future__ import annotations

import os
import stat

MB = 1024 * 1024
MAX_REPORT_BYTES = 64 * MB  # a markdown report (the real ones are well under 1 MB)
MAX_SOURCE_BYTES = 4 * MB  # report.py, .reportls.yaml, pyproject.toml


class FileRefused(OSError):
    """A path that is not read: not a regular file, or larger than the limit.  ``str()`` is the
    reason, without the path ("is a FIFO, not a regular file")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def size_words(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n} bytes"


def read_regular_file(path: str | bytes | os.PathLike, limit: int = MAX_REPORT_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``limit`` of them.
    Raises ``FileRefused`` for anything else and ``OSError`` when it cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except ValueError as e:  # an embedded NUL, a name the file system encoding cannot hold
        raise FileRefused(f"cannot be opened ({e})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = kind_of(st.st_mode)
            raise FileRefused(f"is {what}, not a regular file" if what.startswith("a ") else f"is {what}")
        if st.st_size > limit:
            raise FileRefused(f"is larger than {size_words(limit)} ({size_words(st.st_size)}): not read")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileRefused(f"is larger than {size_words(limit)}: not read")
        return data
    finally:
        os.close(fd)
