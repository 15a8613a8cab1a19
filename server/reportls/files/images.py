"""Image headers: the pixel size of the figure files a report links, read for the owner of I/O.

Headers are read with ``imagesize`` (pure Python), of regular files only (a FIFO named like a
figure is never opened, a device never read).  The checks and the hover receive the result as
plain data (``{absolute path: ImageInfo}``); in the server they are read in a worker thread, never
on the keystroke path (``lsp/session.py``), on the command line once per report
(``cli/inputs.py``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from reportls.text.records import record
from pathlib import Path

from reportls.files.figures import FigureFolder
from reportls.files.stamp import StampedCache


@record(frozen=True, slots=True)
class ImageInfo:
    width: int  # pixels, as a browser shows it (EXIF orientation applied where imagesize does)
    height: int
    bytes: int  # file size


ImageSizes = Mapping[Path, ImageInfo]  # what the checks and the hover are handed


def read_image_info(path: str | os.PathLike) -> ImageInfo | None:
    """Pixel width/height and file size of an image file; None when it is not a readable image."""
    key = os.fspath(path)
    try:
        st = os.stat(key)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a FIFO would block the read forever, a device would never end
    import imagesize

    try:
        width, height = imagesize.get(key)
    except Exception:  # a damaged header is the user's file, never a crash
        return None
    if width <= 0 or height <= 0:
        return None
    return ImageInfo(int(width), int(height), st.st_size)


def linked_images(folder: FigureFolder | None, dests: Iterable[str]) -> list[Path]:
    """The existing files the image links ``dests`` show (through the folder's listing)."""
    if folder is None:
        return []
    out: list[Path] = []
    for dest in dests:
        if not dest:
            continue
        r = folder.resolve(dest)
        if r.status == "ok" and r.absolute is not None and r.absolute not in out:
            out.append(r.absolute)
    return out


class ImageHeaders(StampedCache):  # of ImageInfo | None
    """Image headers read once per file stamp."""

    def __init__(self, limit: int = 2000) -> None:
        super().__init__(read_image_info, limit)

    def read(self, paths: Iterable[Path]) -> dict[Path, ImageInfo]:
        """The sizes of ``paths`` (stat each, read the changed ones): I/O, for a worker."""
        return {p: info for p in paths if (info := self.get(p)) is not None}

    def sizes(self, paths: Iterable[Path]) -> dict[Path, ImageInfo]:
        """What was last read of ``paths``, without touching the disk."""
        return {p: info for p in paths if (info := self.known(p)) is not None}

    def unread(self, paths: Iterable[Path]) -> list[Path]:
        return [p for p in paths if not self.has(p)]
