"""report.py on a computer whose locale encoding is not UTF-8 (Windows: cp1252 and friends).

report.py opens the report with ``open(path)``: the locale encoding, not UTF-8.  The file is UTF-8,
so on such a computer ``report.py check`` either crashes with ``UnicodeDecodeError`` (``”`` is
``E2 80 9D`` and cp1252 has no byte ``0x9D``) or reads other characters, which can change a word
count (``à`` is ``C3 A0``, and ``0xA0`` is a no-break space in cp1252, so one word becomes two).
The grader (Linux, UTF-8) sees neither.

Owns the ``reportpy-encoding`` diagnostic.  The encoding is injected (default:
``locale.getpreferredencoding(False)``, what ``open()`` uses), so this is testable everywhere.
"""

from __future__ import annotations

import codecs
import sys
from functools import lru_cache

from reportls.findings import INFORMATION, Finding
from reportls.report.model import Report, Span
from reportls.report.reportpy import ReportPyView, read_as_report_py

FIX = "Run `python -X utf8 report.py check`"


def locale_encoding() -> str:
    """The encoding ``open()`` uses here (what report.py reads the report with):
    ``locale.getpreferredencoding(False)``, read without importing ``locale``."""
    if sys.flags.utf8_mode:
        return "utf-8"
    try:
        from _locale import getencoding
    except ImportError:  # pragma: no cover - an interpreter without it
        import locale

        return locale.getpreferredencoding(False)
    return getencoding()


# the non-ASCII characters str.split() cuts at (test_encoding holds this to ``str.isspace``)
_WHITESPACE = ("\x85", "\xa0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
               "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000")


@lru_cache(maxsize=16)
def _single_byte(name: str) -> bool:
    """Does ``name`` read every byte as one character, ASCII as ASCII (cp1252, latin-1, ...)?"""
    try:
        ascii_same = bytes(range(128)).decode(name) == "".join(map(chr, range(128)))
        high = bytes(range(128, 256)).decode(name, errors="replace")
    except (UnicodeError, LookupError):
        return False
    return ascii_same and len(high) == 128 and all(not c.isascii() for c in high)


def _canonical(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _tokens(s: str) -> int:
    return len(f"a{s}a".split())


def encoding_findings(
    report: Report,
    expected: int,
    *,
    click: bool = False,
    encoding: str | None = None,
    crash_message: str | None = None,
) -> list[Finding]:
    """``reportpy-encoding``: where ``report.py check``, reading the UTF-8 report with ``encoding``
    (default: this computer's locale encoding), crashes or counts differently from the grader.

    ``expected``/``click``/``crash_message``: the constraint table's answer count, ``text[43:]``
    variant and crash wording (as for ``read_as_report_py``).  At most one finding: the first
    character that cannot be decoded, else the first one that changes a count."""
    enc = encoding or locale_encoding()
    name = _canonical(enc)
    text = report.text
    if name is None or name in ("utf-8", "utf-8-sig") or text.isascii():
        return []
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        seen = data.decode(name)
    except UnicodeDecodeError as err:
        at = len(data[: err.start].decode("utf-8", errors="ignore"))
        ch = text[at] if at < len(text) else ""
        return [Finding(
            "reportpy-encoding", Span(at, at + 1),
            f"report.py check crashes on this computer because it reads the file as {enc}; the grader (UTF-8) "
            f"does not. {FIX}. (`{ch}`, {_code(ch)}, is the first character {enc} cannot read; "
            f"report.py stops with UnicodeDecodeError.)",
            INFORMATION, report.number_at(at),
        )]
    except UnicodeError:
        return []
    if _single_byte(name) and not any(c in seen or c in text for c in _WHITESPACE):
        # each byte is one character and ASCII reads as ASCII: with no non-ASCII whitespace on either
        # side, report.py cuts and counts the same tokens (the usual case; no second reading needed)
        return []
    kw = {"click": click}
    if crash_message is not None:
        kw["crash_message"] = crash_message
    grader = read_as_report_py(text, expected, **kw)
    here = read_as_report_py(seen, expected, **kw)
    return _miscount(report, grader, here, enc, name)


def _miscount(report: Report, grader: ReportPyView, here: ReportPyView, enc: str, name: str) -> list[Finding]:
    text = report.text
    if bool(grader.crash) != bool(here.crash) or len(grader.answers) != len(here.answers):
        at, ch, dec = _culprit(text, 0, len(text), name)
        what = (f"it crashes there ({here.crash})" if here.crash else
                f"it finds {len(here.answers)} answers there, {len(grader.answers)} for the grader")
        return [Finding(
            "reportpy-encoding", Span(at, at + len(ch)),
            f"report.py check reads other text on this computer because it reads the file as {enc}: {what}. "
            f"{FIX}.{_reads_as(ch, dec)}", INFORMATION, report.number_at(at),
        )]
    for g, h in zip(grader.answers, here.answers, strict=True):
        if (g.words, g.images) == (h.words, h.images):
            continue
        at, ch, dec = _culprit(text, g.span.start, g.span.end, name)
        noun = "words" if g.words != h.words else "images"
        n_here, n_grader = (h.words, g.words) if noun == "words" else (h.images, g.images)
        return [Finding(
            "reportpy-encoding", Span(at, at + len(ch)),
            f"report.py check counts {n_here} {noun} for Question {g.index} on this computer because it reads the "
            f"file as {enc}; the grader (UTF-8) counts {n_grader}. {FIX}.{_reads_as(ch, dec)}",
            INFORMATION, g.index,
        )]
    return []


def _reads_as(ch: str, dec: str | None) -> str:
    if not ch:
        return ""
    if dec is None:
        return f" (The first non-ASCII character there is `{ch}`, {_code(ch)}.)"
    shown = dec.encode("unicode_escape").decode("ascii") if any(c.isspace() or not c.isprintable() for c in dec) \
        else dec
    return f" (`{ch}`, {_code(ch)}, reads as `{shown}` there.)"


def _culprit(text: str, start: int, end: int, name: str) -> tuple[int, str, str | None]:
    """(offset, character, what it decodes to) of the first non-ASCII character in ``text[start:end]``
    that changes how ``split()`` cuts words.  For an encoding that reads bytes across characters
    (cp932 and other multi-byte ones) that cannot be told character by character: the first
    non-ASCII character, decoding None."""
    first: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch.isascii():
            continue
        if first is None:
            first = i
        try:
            dec = ch.encode("utf-8", errors="surrogatepass").decode(name)
        except UnicodeError:
            continue
        if _tokens(dec) != _tokens(ch) or ("\n" in dec) != ("\n" in ch):
            return i, ch, dec
    if first is None:
        return start, "", None
    return first, text[first], None
