"""Image sizes as the grader meets them: the hand-in page has no stylesheet, so an image shows at
its natural width (GitHub scales it down; the grader scrolls sideways).

Owns the ``image-size`` diagnostic and the size line of the image hover.  Pixel sizes come from the
file headers, read with ``imagesize`` (pure Python), of regular files only (a FIFO named like a
figure is never opened); each file is read once per stamp
(``mtime_ns``, size), so a keystroke costs one ``stat`` per linked image.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from reportls.files.figures import FigureFolder
from reportls.findings import INFORMATION, Finding, ImageSize
from reportls.report.model import FigureLink, Report

MAX_WIDTH = 1920
_CACHE_LIMIT = 2000
_SIZED = re.compile(r"\b(?:width|height)\s*=|\bstyle\s*=\s*[\"'][^\"']*\b(?:width|height)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImageInfo:
    width: int  # pixels, as a browser shows it (EXIF orientation applied where imagesize does)
    height: int
    bytes: int  # file size


_cache: dict[str, tuple[tuple[int, int], ImageInfo | None]] = {}


def image_info(path: str | os.PathLike) -> ImageInfo | None:
    """Pixel width/height and file size of an image file; None when it is not a readable image.
    Cached per path and stamp (``mtime_ns``, size)."""
    key = os.fspath(path)
    try:
        st = os.stat(key)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a FIFO would block the read forever, a device would never end
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    info = _read(key, st.st_size)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = (stamp, info)
    return info


def _read(path: str, size: int) -> ImageInfo | None:
    import imagesize

    try:
        width, height = imagesize.get(path)
    except Exception:  # a damaged header is the user's file, never a crash
        return None
    if width <= 0 or height <= 0:
        return None
    return ImageInfo(int(width), int(height), size)


def file_size(n: int) -> str:
    """``812 B``, ``312 KB``, ``2.4 MB`` (1 KB = 1024 bytes)."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def describe(info: ImageInfo) -> str:
    """``2560 × 1440 px, 312 KB``."""
    return f"{info.width} × {info.height} px, {file_size(info.bytes)}"


def _file_of(folder: FigureFolder, dest: str) -> tuple[str, Path] | None:
    """(report-relative path, absolute path) of the existing file a link shows, else None."""
    r = folder.resolve(dest)
    if r.status != "ok" or r.absolute is None:
        return None
    return (r.actual or r.path), r.absolute


def hover_line(folder: FigureFolder | None, dest: str) -> str | None:
    """The hover's size line for an image link ("2560 × 1440 px, 312 KB", with "shown at 2560 px
    wide in the hand-in" when wider than ``MAX_WIDTH``), None when the file is not a readable image."""
    if folder is None or not dest:
        return None
    hit = _file_of(folder, dest)
    info = image_info(hit[1]) if hit else None
    if info is None:
        return None
    line = describe(info)
    if info.width > MAX_WIDTH:
        line += f" (shown at {info.width} px wide in the hand-in)"
    return line


def _sized_tag(report: Report, link: FigureLink) -> bool:
    """An ``<img>`` with a width/height of its own is scaled by the browser."""
    return link.kind == "html" and _SIZED.search(report.text, link.span.start, link.span.end) is not None


def image_size_findings(report: Report, folder: FigureFolder | None, max_width: int = MAX_WIDTH) -> list[Finding]:
    """``image-size``: a shown image (not in code or a comment) whose file is wider than ``max_width``."""
    if folder is None or not report.is_report:
        return []
    out: list[Finding] = []
    for link in report.figures:
        if link.hidden or not link.dest or _sized_tag(report, link):
            continue
        hit = _file_of(folder, link.dest)
        if hit is None:
            continue
        info = image_info(hit[1])
        if info is None or info.width <= max_width:
            continue
        qn = report.number_at(link.span.start)
        span = link.finding_span
        out.append(Finding(
            "image-size", span,
            f"`{hit[0]}` ({info.width} × {info.height} px) is shown at {info.width} px wide in the hand-in: scale it "
            f"down (to at most {max_width} px wide; GitHub scales images to the page, the hand-in does not).",
            INFORMATION, qn, ImageSize(hit[0], info.width, info.height, info.bytes),
        ))
    return out
