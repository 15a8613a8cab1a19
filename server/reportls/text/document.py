"""The text of one report and everything about positions in it.

Owns: the line index, conversion between character offsets (Python string indices, what the whole
core uses) and LSP-style positions (line + UTF-16 or UTF-8 code units), and applying incremental
edits.  This is the one place where positions are converted; every other module speaks offsets.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from reportls.text.records import record

UTF16 = "utf-16"
UTF8 = "utf-8"
UTF32 = "utf-32"


@record(frozen=True, slots=True)
class Position:
    line: int
    character: int


@record(frozen=True, slots=True)
class Range:
    start: Position
    end: Position


def _units(s: str, encoding: str) -> int:
    """Length of ``s`` in code units of ``encoding``."""
    if encoding == UTF16:
        if s.isascii():
            return len(s)
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)
    if encoding == UTF8:
        if s.isascii():
            return len(s)
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s)


def _index_for_units(line: str, units: int, encoding: str) -> int:
    """Character index in ``line`` reached after ``units`` code units (clamped to the line)."""
    if units <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(units, len(line))
    count = 0
    for i, ch in enumerate(line):
        if encoding == UTF16:
            count += 2 if ord(ch) > 0xFFFF else 1
        else:
            count += len(ch.encode("utf-8", "surrogatepass"))
        if count > units:
            return i  # inside a surrogate pair / multi-byte char: stay before it
        if count == units:
            return i + 1
    return len(line)


_LINE_BREAK = r"\r\n?|\n"  # mixed or lone CR only: compiled when needed


def _ends_after(parts: list[str], sep: int) -> list[int]:
    """Offsets just after each separator of ``sep.join(parts)`` (a separator of length ``sep``),
    computed in C (``accumulate``/``map``), not by a Python loop over the lines."""
    return list(accumulate(map(sep.__add__, map(len, parts[:-1]))))


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (as LSP)."""
    if "\r" not in text:
        return [0, *_ends_after(text.split("\n"), 1)]
    if text.count("\r") == text.count("\r\n") and text.count("\n") == text.count("\r\n"):
        return [0, *_ends_after(text.split("\r\n"), 2)]  # CRLF throughout: Windows checkouts
    return [0, *(m.end() for m in re.finditer(_LINE_BREAK, text))]  # mixed or lone CR: rare


class NewlineMap:
    """Universal-newline reading of a text (what Python's ``open()`` in text mode gives: ``\\r\\n``
    and lone ``\\r`` become ``\\n``) and the way back to document offsets.

    Sparse: only the offsets (in ``seen``) of the newlines that replaced a two-character ``\\r\\n``
    are kept; a lone ``\\r`` is one character either way.  ``to_doc`` is a binary search."""

    __slots__ = ("_crlf", "seen")

    def __init__(self, text: str):
        if "\r" not in text:
            self.seen, self._crlf = text, []
            return
        parts = text.split("\r\n")
        self.seen = "\n".join(parts).replace("\r", "\n")
        # the k-th "\r\n" becomes the "\n" at (length of the parts before it) + k: one character
        # before where the next part starts in ``seen``
        self._crlf = list(map((-1).__add__, _ends_after(parts, 1)))

    @property
    def identity(self) -> bool:
        """True when the document has no ``\\r\\n``: offsets are the same on both sides."""
        return not self._crlf

    def to_doc(self, offset: int) -> int:
        """Document offset of an offset in ``seen`` (a translated newline maps to its ``\\r``)."""
        crlf = self._crlf
        return offset + bisect.bisect_left(crlf, offset) if crlf else offset


class LineIndex:
    """Line starts of a text, for offset <-> position conversion."""

    __slots__ = ("_newlines", "starts", "text")

    def __init__(self, text: str):
        self.text = text
        self.starts = line_starts(text)
        self._newlines: NewlineMap | None = None

    @property
    def newlines(self) -> NewlineMap:
        """The text's universal-newline reading (built once, on first use)."""
        if self._newlines is None:
            self._newlines = NewlineMap(self.text)
        return self._newlines

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line_text(self, line: int) -> str:
        """The line's text without its line ending."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int, encoding: str = UTF16) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.starts[line]
        return Position(line, _units(self.text[start:offset], encoding))

    def range(self, start: int, end: int, encoding: str = UTF16) -> Range:
        return Range(self.position(start, encoding), self.position(end, encoding))

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """Offset of a position; positions past a line's end clamp to it, past the text to its end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        return start + _index_for_units(self.line_text(line), character, encoding)


class TextDocument:
    """A versioned text buffer that applies LSP-style incremental edits."""

    __slots__ = ("_index", "_text", "uri", "version")

    def __init__(self, uri: str, text: str, version: int | None = None):
        self.uri = uri
        self.version = version
        self._text = text
        self._index: LineIndex | None = None

    @property
    def text(self) -> str:
        return self._text

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self._text)
        return self._index

    def apply_change(
        self,
        new_text: str,
        range_: tuple[int, int, int, int] | None = None,
        encoding: str = UTF16,
    ) -> tuple[int, int, int]:
        """Apply one change; ``range_`` is (start line, start char, end line, end char) or None for
        a full replacement.  Returns (start offset, old end offset, new end offset).

        Raises ``ValueError`` when the range is malformed (end before start)."""
        if range_ is None:
            old_len = len(self._text)
            self._text = new_text
            self._index = None
            return 0, old_len, len(new_text)
        sl, sc, el, ec = range_
        index = self.index
        start = index.offset(sl, sc, encoding)
        end = index.offset(el, ec, encoding)
        if end < start:
            raise ValueError(f"change range ends before it starts: {range_}")
        self._text = self._text[:start] + new_text + self._text[end:]
        self._index = None
        return start, end, start + len(new_text)
