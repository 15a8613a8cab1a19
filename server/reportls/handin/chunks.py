"""Cutting an answer into chunks that render on their own exactly as they render in the page.

Owns ``cut_chunks``.  A cut is made only at a run of blank lines (or around an ATX heading line)
where neither renderer continues a block across it: not inside a fenced code block (CommonMark),
an HTML comment or a raw HTML block (``<div>`` ... ``</div>``: Python-Markdown keeps it whole),
and not before a line that would continue what came before: an indented line (list item content,
indented code), a ``>`` line (Python-Markdown merges quotes separated by blank lines) or a list
item while a list is open (a loose list; a marker change merges lists in Python-Markdown).
So a chunk is never cut mid-block, and each chunk can be compared (and cached) on its own.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_HTML_OPEN = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9]*)(?=[\s>/]|$)")
# block-level tags Python-Markdown keeps as one raw block until their closing tag
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center del details dialog dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe ins li main math menu nav noscript "
    "ol p pre section summary table tbody td tfoot th thead tr ul video".split()
)


def is_blank(line: str) -> bool:
    return not line.strip()


def cut_chunks(lines: list[str], first_body_line: int = 0) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` of the chunks of ``lines``; lines before ``first_body_line``
    (the prompt context) always belong to the first chunk."""
    chunks: list[tuple[int, int]] = []
    start = 0
    fence: tuple[str, int] | None = None
    comment = False
    html: tuple[str, int] | None = None  # (tag, depth)
    in_list = False
    pending = False  # blank lines seen since the last non-blank line
    after_heading = False
    n = len(lines)
    for i in range(n):
        line = lines[i]
        if fence is not None:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not m.group(2).strip():
                fence = None
            continue
        if comment:
            if "-->" in line:
                comment = False
            continue
        if html is not None:
            tag, depth = html
            depth += len(re.findall(rf"<{tag}(?=[\s>/])", line, re.IGNORECASE))
            depth -= len(re.findall(rf"</{tag}\s*>", line, re.IGNORECASE))
            html = (tag, depth) if depth > 0 else None
            continue
        if is_blank(line):
            pending = True
            continue
        if i >= first_body_line and i > start:
            heading = _HEADING.match(line) is not None
            item = _LIST_ITEM.match(line) is not None
            if heading or after_heading:
                cut = True
            elif pending:
                cut = line[0] not in " \t>" and not (in_list and item)
            else:
                cut = False
            if cut:
                chunks.append((start, i))
                start = i
                in_list = False
        pending = False
        after_heading = _HEADING.match(line) is not None
        if _LIST_ITEM.match(line):
            in_list = True
        m = _FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            continue
        stripped = line.lstrip()
        if stripped.startswith("<!--"):
            if "-->" not in stripped[4:]:
                comment = True
            continue
        m = _HTML_OPEN.match(line)
        if m and m.group(1).lower() in _BLOCK_TAGS:
            tag = m.group(1).lower()
            depth = len(re.findall(rf"<{tag}(?=[\s>/])", line, re.IGNORECASE)) - len(
                re.findall(rf"</{tag}\s*>", line, re.IGNORECASE)
            )
            if depth > 0:
                html = (tag, depth)
    chunks.append((start, n))
    return chunks
