"""image-size and the image hover's size line, on small real PNG/JPEG files written here."""

import os
import struct
import zlib

import pytest
from tests.reportgen import make_report

from reportls.checks.images import describe, file_size, hover_line, image_size_findings
from reportls.files import images
from reportls.files.figures import FigureFolder
from reportls.findings import ImageSize
from reportls.files.images import ImageHeaders, ImageInfo, linked_images, read_image_info
from reportls.report.parse import parse_report


def png(width: int, height: int, pad: int = 0) -> bytes:
    """A valid 1-bit greyscale PNG of that size (``pad`` extra bytes in a private chunk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    if pad:
        body += chunk(b"teXt", b"c\x00" + b"x" * pad)
    body += chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def jpeg(width: int, height: int) -> bytes:
    """SOI, a JFIF APP0 segment, a baseline SOF0 frame header with the size, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


@pytest.fixture
def folder(tmp_path):
    figures = tmp_path / "reports" / "figures"
    figures.mkdir(parents=True)
    (figures / "wide.png").write_bytes(png(8979, 10, pad=300_000))
    (figures / "ok.png").write_bytes(png(1920, 1080))
    (figures / "photo.jpg").write_bytes(jpeg(2560, 1440))
    (figures / "broken.png").write_bytes(b"not an image")
    return FigureFolder(tmp_path / "reports")


@pytest.fixture
def sizes(folder):
    """What the owner of I/O hands the checks: the headers of every file in the figures folder."""
    return ImageHeaders().read(sorted((folder.root / "figures").iterdir()))


image_info = read_image_info


def test_image_info_reads_png_and_jpeg_headers(folder):
    root = folder.root / "figures"
    assert image_info(root / "ok.png") == ImageInfo(1920, 1080, len(png(1920, 1080)))
    assert image_info(root / "photo.jpg") == ImageInfo(2560, 1440, len(jpeg(2560, 1440)))
    assert image_info(root / "broken.png") is None
    assert image_info(root / "nope.png") is None


def test_image_info_is_cached_per_stamp(folder, monkeypatch):
    path = folder.root / "figures" / "ok.png"
    reads = []
    monkeypatch.setattr(images, "read_image_info", lambda p: reads.append(p) or read_image_info(p))
    headers = ImageHeaders()  # the owner's cache (the session's, the CLI's inputs')
    headers.get(path)
    reads.clear()
    for _ in range(5):
        assert headers.get(path).width == 1920
    assert reads == []
    path.write_bytes(png(3000, 20))  # a new file: new size and mtime
    os.utime(path, ns=(1, 1))
    assert headers.sizes([path]) == {path: ImageInfo(1920, 1080, len(png(1920, 1080)))}  # no I/O: as last read
    assert headers.get(path) == ImageInfo(3000, 20, len(png(3000, 20)))
    assert len(reads) == 1


def test_linked_images_are_the_existing_files_links_show(folder):
    root = folder.root / "figures"
    assert linked_images(folder, ["figures/ok.png", "figures/Ok.png", "figures/missing.png", "", "figures/ok.png",
                                  "https://x.org/a.png", "figures/photo.jpg"]) == [root / "ok.png", root / "photo.jpg"]
    assert linked_images(None, ["figures/ok.png"]) == []


def test_sizes_are_written_for_people():
    assert [file_size(n) for n in (812, 1024, 319_488, 2_516_582)] == ["812 B", "1 KB", "312 KB", "2.4 MB"]
    assert describe(ImageInfo(2560, 1440, 319_488)) == "2560 × 1440 px, 312 KB"


def test_hover_line(folder, sizes):
    assert len(jpeg(2560, 1440)) == 35
    assert hover_line(folder, "figures/photo.jpg", sizes) == "2560 × 1440 px, 35 B (shown at 2560 px wide in the hand-in)"
    assert hover_line(folder, "figures/wide.png", sizes) == "8979 × 10 px, 293 KB (shown at 8979 px wide in the hand-in)"
    assert hover_line(folder, "figures/ok.png", sizes) == f"1920 × 1080 px, {len(png(1920, 1080))} B"
    assert hover_line(folder, "figures/Ok.png", sizes) is None  # other letter case: broken, not measured
    assert hover_line(folder, "figures/broken.png", sizes) is None
    assert hover_line(folder, "figures/missing.png", sizes) is None
    assert hover_line(None, "figures/ok.png", sizes) is None


def test_image_size_finding(folder, sizes):
    text = make_report({19: "![w](figures/wide.png) ![o](figures/ok.png)", 20: "![p](<figures/photo.jpg>)"})
    found = image_size_findings(parse_report(text), folder, sizes)
    assert [(f.code, f.severity, f.question, text[f.span.start : f.span.end]) for f in found] == [
        ("image-size", "information", 19, "figures/wide.png"),
        ("image-size", "information", 20, "figures/photo.jpg"),
    ]
    assert found[0].message == (
        "`figures/wide.png` (8979 × 10 px) is shown at 8979 px wide in the hand-in: scale it down (to at most "
        "1920 px wide; GitHub scales images to the page, the hand-in does not)."
    )
    assert found[0].payload == ImageSize("figures/wide.png", 8979, 10, len(png(8979, 10, pad=300_000)))


def test_no_image_size_finding(folder, sizes):
    answer = ("`![w](figures/wide.png)` <!-- ![w](figures/wide.png) --> "
              '<img src="figures/wide.png" width="800"> <img src="figures/wide.png" style="width: 50%"> '
              "![m](figures/missing.png) ![b](figures/broken.png) ![c](Figures/Wide.png) ![o](figures/ok.png)")
    text = make_report({19: answer})
    assert image_size_findings(parse_report(text), folder, sizes) == []
    assert image_size_findings(parse_report(text), None, sizes) == []
    # an <img> without a size of its own shows at its natural width
    text = make_report({19: '<img src="figures/wide.png">'})
    assert [f.code for f in image_size_findings(parse_report(text), folder, sizes)] == ["image-size"]
