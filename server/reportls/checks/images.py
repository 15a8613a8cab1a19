"""Image sizes as the grader meets them: the hand-in page has no stylesheet, so an image shows at
its natural width (GitHub scales it down; the grader scrolls sideways).

Owns the ``image-size`` diagnostic and the size line of the image hover.  Pure: the pixel sizes
are handed in as plain data (``{absolute path: ImageInfo}``), read from the file headers by the
owner of I/O (``files/images.py``; in the server in a worker thread, never on a keystroke).
"""

from __future__ import annotations

import re
from pathlib import Path

from reportls.files.figures import FigureFolder
from reportls.files.images import ImageInfo, ImageSizes
from reportls.findings import INFORMATION, Finding, ImageSize
from reportls.report.model import FigureLink, Report

__all__ = ["MAX_WIDTH", "ImageInfo", "describe", "file_size", "hover_line", "image_size_findings"]

MAX_WIDTH = 1920
# an <img> tag's own size (HTML images only: compiled when needed)
_SIZED = r"\b(?:width|height)\s*=|\bstyle\s*=\s*[\"'][^\"']*\b(?:width|height)\b"


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


def hover_line(folder: FigureFolder | None, dest: str, sizes: ImageSizes) -> str | None:
    """The hover's size line for an image link ("2560 × 1440 px, 312 KB", with "shown at 2560 px
    wide in the hand-in" when wider than ``MAX_WIDTH``), None when the file is not a readable image."""
    if folder is None or not dest:
        return None
    hit = _file_of(folder, dest)
    info = sizes.get(hit[1]) if hit else None
    if info is None:
        return None
    line = describe(info)
    if info.width > MAX_WIDTH:
        line += f" (shown at {info.width} px wide in the hand-in)"
    return line


def _sized_tag(report: Report, link: FigureLink) -> bool:
    """An ``<img>`` with a width/height of its own is scaled by the browser."""
    return link.kind == "html" and re.compile(_SIZED, re.IGNORECASE).search(report.text, link.span.start, link.span.end) is not None


def image_size_findings(report: Report, folder: FigureFolder | None, sizes: ImageSizes,
                        max_width: int = MAX_WIDTH) -> list[Finding]:
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
        info = sizes.get(hit[1])
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
