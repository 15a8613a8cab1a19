"""``files.images.image_size`` against ``imagesize.get``: the same (width, height) for the formats
read here (PNG, JPEG with its EXIF orientation, GIF, BMP, WebP), for damaged and random files too,
and the rarer formats handed to ``imagesize`` itself."""

from __future__ import annotations

import struct
import zlib

import imagesize
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportls.files.images import image_size, read_image_info


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 4)) + chunk(b"IEND", b"")


def exif(orientation: int, order: str = "II") -> bytes:
    e = "<" if order == "II" else ">"
    value = struct.pack(e + "HHL", 0x0112, 3, 1) + struct.pack(e + "HH", orientation, 0)
    tiff = order.encode() + struct.pack(e + "HL", 42, 8) + struct.pack(e + "H", 1) + value + b"\0\0\0\0"
    return b"Exif\0\0" + tiff


def jpeg(width: int, height: int, orientation: int | None = None, order: str = "II", padding: int = 0) -> bytes:
    out = b"\xff\xd8"
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    if orientation is not None:
        payload = exif(orientation, order) + b"\0" * padding
        out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    out += b"\xff\xc4" + struct.pack(">H", 5) + b"\0\0\0"  # a DHT before the frame: not a frame
    out += b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 3) + b"\x01\x11\x00"
    return out + b"\xff\xda" + struct.pack(">H", 2) + b"\xff\xd9"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<hh", width, height) + b"\x80\0\0" + b"\0" * 20


def bmp(width: int, height: int) -> bytes:
    return b"BM" + b"\0" * 16 + struct.pack("<ll", width, height) + b"\x01\0\x18\0" + b"\0" * 24


def webp(kind: bytes, tail: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 100) + b"WEBP" + kind + tail.ljust(48, b"\0")


def same(tmp_path, data: bytes, name: str = "f.bin") -> tuple[int, int]:
    path = tmp_path / name
    path.write_bytes(data)
    ours = image_size(str(path))
    assert ours == imagesize.get(str(path)), data[:80]
    return ours


@pytest.mark.parametrize(("data", "size"), [
    (png(2560, 1440), (2560, 1440)),
    (jpeg(4000, 3000), (4000, 3000)),
    (jpeg(4000, 3000, orientation=6), (3000, 4000)),  # a phone photo taken upright
    (jpeg(4000, 3000, orientation=6, order="MM"), (3000, 4000)),
    (jpeg(4000, 3000, orientation=1, padding=60000), (4000, 3000)),  # an EXIF block past the first read
    (jpeg(4000, 3000, orientation=8, padding=5), (3000, 4000)),
    (gif(640, 480), (640, 480)),
    (gif(-5, 10), (-5, 10)),
    (bmp(800, -600), (800, 600)),
    (webp(b"VP8 ", b"\0" * 10 + struct.pack("<HH", 320, 240)), (320, 240)),
    (webp(b"VP8X", b"\0" * 8 + (1919).to_bytes(3, "little") + (1079).to_bytes(3, "little")), (1920, 1080)),
    (webp(b"VP8L", b"\0" * 5 + bytes([0xFF, 0x3F, 0xFC, 0x07])), (16384, 8177)),
    (b"", (-1, -1)),
    (b"\x89PNG\r\n\x1a\n", (-1, -1)),  # cut short
    (b"\xff\xd8\xff\xe0\x00", (-1, -1)),
    (b"hello", (-1, -1)),
])
def test_the_formats_read_here_agree_with_imagesize(tmp_path, data, size):
    assert same(tmp_path, data) == size


def test_the_rarer_formats_are_imagesizes_own(tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"></svg>'
    assert same(tmp_path, svg, "logo.svg") == (120, 80)
    assert same(tmp_path, b"P1\n3 2\n0 1 0\n1 0 1\n", "x.pbm") == (3, 2)


def test_read_image_info_keeps_the_file_size(tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg(4000, 3000, orientation=6))
    info = read_image_info(path)
    assert (info.width, info.height, info.bytes) == (3000, 4000, path.stat().st_size)


SIGNATURES = [b"GIF89a", b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"RIFF\0\0\0\0WEBPVP8 ", b"RIFF\0\0\0\0WEBPVP8X",
              b"RIFF\0\0\0\0WEBPVP8L", b"BM", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", b"\xff\xd8\xff\xe1", b""]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SIGNATURES), st.binary(max_size=120))
@example(b"\xff\xd8", b"\xff\xff\xff\xc0\x00\x11\x08\x01\x00\x02\x00\x03")
@example(b"\xff\xd8\xff\xe1", b"\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\x08")
def test_damaged_and_random_files_agree_with_imagesize(tmp_path, signature, tail):
    same(tmp_path, signature + tail)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 65535), st.integers(1, 65535), st.one_of(st.none(), st.integers(0, 9)),
       st.sampled_from(["II", "MM"]), st.integers(0, 300))
def test_jpegs_with_any_orientation_agree_with_imagesize(tmp_path, width, height, orientation, order, padding):
    same(tmp_path, jpeg(width, height, orientation, order, padding))
