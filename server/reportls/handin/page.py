"""The hand-in page itself: exactly the text ``report.py html`` writes for a README.

Owns ``render_page`` (and ``universal_newlines``, the translation ``open()`` applies when report.py
reads the README in text mode).  Python-Markdown is imported here, lazily, and nowhere at import
time.  The page is written by report.py with ``open(name, "w")``: UTF-8 with ``\\n`` line endings
on Linux and macOS; ``page_bytes`` gives those bytes.
"""

from __future__ import annotations

from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec


def universal_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``, as text-mode ``open()`` reads them."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PageError(Exception):
    """Python-Markdown could not render the README (report.py html would fail the same way)."""


def render_page(text: str, spec: HtmlSpec = DEFAULT_SPEC) -> str:
    """The page ``report.py html`` writes for README text ``text``:
    ``markdown.markdown(text[spec.start:], extensions=spec.extensions)``, after universal newlines.
    Raises ``PageError`` (a one-line message) where Python-Markdown itself fails."""
    import markdown

    seen = universal_newlines(text)
    try:
        return markdown.markdown(seen[spec.start :], **spec.markdown_kwargs())
    except RecursionError as exc:
        raise PageError("Python-Markdown can't render this README: it nests lists or quotes deeper than "
                        "Python's recursion limit (report.py html fails the same way)") from exc


def page_bytes(text: str, spec: HtmlSpec = DEFAULT_SPEC) -> bytes:
    """The bytes of the written file (``open(name, "w")`` on Linux: UTF-8, no newline translation)."""
    return render_page(text, spec).encode("utf-8")
