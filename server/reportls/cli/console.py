"""The command line's streams: never a ``UnicodeEncodeError``, colour only on a terminal.

Owns ``safe_streams`` (stdout and stderr write what their encoding can hold and escape the rest
with ``backslashreplace``: a cp1252 console on Windows, an ASCII one under a POSIX locale without
UTF-8 mode), ``holds_unicode`` (whether a stream's encoding holds every character, so that JSON can
keep them; otherwise the JSON is written with ``\\u`` escapes, valid in any encoding) and
``Palette`` (ANSI colour when the stream is a terminal, or ``FORCE_COLOR`` is set; never when
``NO_COLOR`` is set; never into a pipe or a file otherwise).
"""

from __future__ import annotations

import codecs
import os
import sys

UNICODE_ENCODINGS = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be",
                               "utf-32-le", "utf-32-be", "gb18030"})


def safe_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` escape what their encoding cannot hold."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream
                pass


def holds_unicode(stream) -> bool:
    """Whether ``stream`` can write any character (a text stream without an encoding, such as
    ``io.StringIO``, can)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name in UNICODE_ENCODINGS
    except LookupError:
        return False


def wants_colour(stream, environ=None) -> bool:
    """Colour for ``stream``: never with ``NO_COLOR`` set (any value but empty), always with
    ``FORCE_COLOR`` set, else only when the stream is a terminal."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    if sys.platform == "win32" and not any(env.get(k) for k in ("WT_SESSION", "TERM", "ANSICON", "ConEmuANSI")):
        return False  # the classic Windows console shows escape codes as text
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


_STYLES = {"error": "1;31", "warning": "1;33", "information": "1;34", "hint": "2", "bold": "1",
           "path": "1", "ok": "32", "fail": "1;31", "dim": "2"}


class Palette:
    """Wraps text in ANSI colour codes when ``on``; returns it unchanged otherwise."""

    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        code = _STYLES.get(style)
        if not self.on or not code or not text:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


PLAIN = Palette(False)
