"""Offsets <-> positions in UTF-16 and UTF-8, and incremental edits."""

import pytest

from reportls.text.document import UTF8, UTF16, LineIndex, TextDocument


def test_positions_utf16_and_utf8():
    text = "ab\n😀x\r\nçy\rz"
    idx = LineIndex(text)
    assert idx.starts == [0, 3, 7, 10]
    x = text.index("x")
    assert idx.position(x, UTF16).character == 2
    assert idx.position(x, UTF8).character == 4
    y = text.index("y")
    assert idx.position(y, UTF8).character == 2 and idx.position(y, UTF16).character == 1
    for enc in (UTF16, UTF8):
        for off in range(len(text) + 1):
            if text[off - 1 : off] in ("\r",) and text[off : off + 1] == "\n":
                continue  # between \r and \n is not a position
            p = idx.position(off, enc)
            assert idx.offset(p.line, p.character, enc) == off


def test_offsets_clamp_past_line_and_text_end():
    idx = LineIndex("abc\ndef")
    assert idx.offset(0, 99) == 3
    assert idx.offset(9, 0) == 7
    assert idx.offset(1, 1) == 5


def test_position_inside_surrogate_pair_stays_before_it():
    idx = LineIndex("😀b")
    assert idx.offset(0, 1) == 0
    assert idx.offset(0, 2) == 1


def test_incremental_edits():
    doc = TextDocument("file:///r.md", "hello\nworld\n", 1)
    assert doc.apply_change("there", (1, 0, 1, 5)) == (6, 11, 11)
    assert doc.text == "hello\nthere\n"
    doc.apply_change("😀", (0, 0, 0, 0))
    doc.apply_change("!", (0, 2, 0, 2))  # after the emoji in UTF-16
    assert doc.text == "😀!hello\nthere\n"
    doc.apply_change("X", (0, 4, 0, 4), UTF8)
    assert doc.text == "😀X!hello\nthere\n"
    doc.apply_change("all new")
    assert doc.text == "all new"


def test_bad_range_raises():
    doc = TextDocument("file:///r.md", "abc")
    with pytest.raises(ValueError):
        doc.apply_change("x", (0, 2, 0, 1))
