"""Image headers: the pixel size of the figure files a report links, read for the owner of I/O.

Headers are read of regular files only (a FIFO named like a figure is never opened, a device
never read): PNG, JPEG (with its EXIF orientation), GIF, BMP and WebP here, exactly as
``imagesize.get`` reads them (a differential test holds the two to the same answer); the rarer
formats (SVG, TIFF, HEIF, JPEG 2000, netpbm) by ``imagesize`` itself, imported only then (its import
costs about 40 ms: it imports ``urllib.request`` for images on the web).  The checks and the hover receive the result as
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
    try:
        width, height = image_size(key)
    except Exception:  # a damaged header is the user's file, never a crash
        return None
    if width <= 0 or height <= 0:
        return None
    return ImageInfo(int(width), int(height), st.st_size)


_JPEG_NO_SOF = (0xC4, 0xC8, 0xCC)  # DHT, JPG, DAC: markers in the SOF range that are not frames


def _kind(head: bytes) -> str:
    """The format of a file from its first 64 bytes, tested in ``imagesize``'s order."""
    if len(head) >= 10 and head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if len(head) >= 8 and head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 2 and head.startswith(b"\xff\xd8"):
        return "jpeg"
    if ((len(head) >= 12 and head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"))
            or (len(head) >= 8 and head[4:8] == b"ftyp")
            or (len(head) >= 8 and head[:4] in (b"MM\x00*", b"II*\x00", b"II+\x00"))
            or (len(head) >= 5 and head.startswith((b"<?xml", b"<svg")))
            or (head[:1] == b"P" and head[1:2] in b"123456")):
        return "other"
    if len(head) >= 16 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM"):
        return "bmp"
    return "unknown"


def _exif_orientation(exif: bytes) -> int:
    """The orientation tag of an EXIF block (after ``Exif\\0\\0``), -1 without one."""
    if len(exif) < 8 or exif[:2] not in (b"II", b"MM"):
        return -1
    order = "little" if exif[:2] == b"II" else "big"
    first = int.from_bytes(exif[4:8], order)
    if first + 2 > len(exif):
        return -1
    count = int.from_bytes(exif[first : first + 2], order)
    cursor = first + 2
    for _ in range(count):
        if cursor + 12 > len(exif):
            return -1
        entry = exif[cursor : cursor + 12]
        tag, kind, n = int.from_bytes(entry[0:2], order), int.from_bytes(entry[2:4], order), int.from_bytes(entry[4:8], order)
        if tag == 0x0112 and kind == 3 and n == 1:
            value = int.from_bytes(entry[8:12], order)
            return value // 65536 if order == "big" else value & 0xFFFF
        cursor += 12
    return -1


def _jpeg_size(f) -> tuple[int, int]:
    """A JPEG's frame size and EXIF orientation, walking its markers from the start."""
    f.seek(2)
    width = height = orientation = -1
    found_frame = found_orientation = False
    while not (found_frame and found_orientation):
        byte = f.read(1)
        while byte and byte != b"\xff":
            byte = f.read(1)
        if not byte:
            break
        marker = f.read(1)
        while marker == b"\xff":
            marker = f.read(1)
        if not marker:
            break
        code = marker[0]
        if code in (0xD9, 0xDA):  # end of image, start of scan
            break
        if code == 0x01 or 0xD0 <= code <= 0xD7:
            continue
        length = f.read(2)
        if len(length) < 2:
            raise ValueError("Invalid JPEG file")
        size = int.from_bytes(length, "big") - 2
        if size < 0:
            raise ValueError("Invalid JPEG segment size")
        start = f.tell()
        if code == 0xE1:
            payload = f.read(size)
            if payload.startswith(b"Exif\x00\x00"):
                orientation = _exif_orientation(payload[6:])
                found_orientation = orientation != -1
        elif 0xC0 <= code <= 0xCF and code not in _JPEG_NO_SOF:
            payload = f.read(min(size, 6))
            if len(payload) < 6:
                raise ValueError("Invalid JPEG file")
            height, width = int.from_bytes(payload[1:3], "big"), int.from_bytes(payload[3:5], "big")
            found_frame = True
        f.seek(start + size)
    if not found_frame:
        raise ValueError("Invalid JPEG file")
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def image_size(path: str) -> tuple[int, int]:
    """(width, height) of the image file at ``path`` as ``imagesize.get`` gives it: EXIF rotation
    applied, (-1, -1) when it cannot be read."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            kind = _kind(head)
            if kind == "png":
                if len(head) < 26 or head[12:16] != b"IHDR":
                    return -1, -1
                return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            if kind == "gif":
                return (int.from_bytes(head[6:8], "little", signed=True),
                        int.from_bytes(head[8:10], "little", signed=True))
            if kind == "jpeg":
                return _jpeg_size(f)
            if kind == "bmp":
                if len(head) < 26:
                    return -1, -1
                return (int.from_bytes(head[18:22], "little", signed=True),
                        abs(int.from_bytes(head[22:26], "little", signed=True)))
            if kind == "webp":
                return _webp_size(head)
            if kind == "unknown":
                return -1, -1
    except Exception:  # noqa: BLE001 - as imagesize: a file it cannot read has no size
        return -1, -1
    import imagesize  # the rarer formats: SVG, TIFF, HEIF, JPEG 2000, netpbm

    return imagesize.get(path)


def _webp_size(head: bytes) -> tuple[int, int]:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30:
        return int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    if chunk == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    if chunk == b"VP8L" and len(head) >= 25:
        b = head[21:25]
        return ((b[1] & 63) << 8 | b[0]) + 1, ((b[3] & 15) << 10 | b[2] << 2 | (b[1] & 192) >> 6) + 1
    return -1, -1


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
