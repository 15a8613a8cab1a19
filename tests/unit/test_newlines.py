"""The sparse newline map and the line index against the per-character readings they replaced.

The references below are the loops the core used before (one Python step per character): the fast
versions must give the same universal-newline text, the same document offsets and the same line
starts and positions on CRLF, lone-CR, LF and mixed texts.
"""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from reportls.text.document import UTF8, UTF16, LineIndex, NewlineMap, line_starts
from reportls.handin.findings import make_answer_text
from reportls.report.reportpy import read_as_report_py

EXAMPLES = int(os.environ.get("REPORTLS_FUZZ_EXAMPLES", "300"))


def reference_newline_map(text: str) -> tuple[str, list[int]]:
    """Universal newlines and, for every offset of the translated text, its document offset."""
    out: list[str] = []
    mapping: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        mapping.append(i)
        if ch == "\r":
            out.append("\n")
            i += 2 if i + 1 < n and text[i + 1] == "\n" else 1
            continue
        out.append(ch)
        i += 1
    mapping.append(n)
    return "".join(out), mapping


def reference_line_starts(text: str) -> list[int]:
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            starts.append(i + 1)
        elif ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


texts = st.lists(st.sampled_from(["a", " ", "\n", "\r", "\r\n", "😀", "é", "#", "###", "Answer:"]),
                 max_size=60).map("".join)


def test_examples():
    for text in ["", "a", "a\r\nb\r\n", "a\rb\nc\r\n\r\r\n", "\r\n\r\n", "x\n", "\r", "ab\r\ncd", "\n\r"]:
        seen, mapping = reference_newline_map(text)
        nl = NewlineMap(text)
        assert nl.seen == seen
        assert [nl.to_doc(o) for o in range(len(seen) + 1)] == mapping
        assert line_starts(text) == reference_line_starts(text)
    assert NewlineMap("a\r\nb\rc").identity is False and NewlineMap("a\rb\nc").identity is True


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts)
def test_newline_map_matches_the_character_loop(text):
    seen, mapping = reference_newline_map(text)
    nl = NewlineMap(text)
    assert nl.seen == seen
    assert [nl.to_doc(o) for o in range(len(seen) + 1)] == mapping


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts)
def test_line_index_matches_the_character_loop(text):
    index = LineIndex(text)
    assert index.starts == reference_line_starts(text)
    for offset in range(len(text) + 1):
        for encoding in (UTF16, UTF8):
            p = index.position(offset, encoding)
            assert p.line == max(k for k, s in enumerate(index.starts) if s <= offset)
            if not (text[offset - 1 : offset] == "\r" and text[offset : offset + 1] == "\n"):
                assert index.offset(p.line, p.character, encoding) == offset


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts)
def test_report_py_view_and_answer_text_map_back_like_the_loop(text):
    _, mapping = reference_newline_map(text)
    view = read_as_report_py(text, 2)
    seen = reference_newline_map(text)[0]
    for a in view.answers:
        # the counted text is the universal-newline reading of the document span it points at
        start, end = mapping.index(a.span.start), mapping.index(a.span.end)
        assert a.text == seen[start:end]
    at = make_answer_text("> Answer:", text, 10)
    assert at.body == seen
    assert [at.to_doc(len(at.context) + k) for k in range(len(seen) + 1)] == [10 + m for m in mapping]
