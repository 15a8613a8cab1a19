"""The block structure report parsing needs from one segment, as line ranges: code (fenced and
indented), HTML blocks, front matter and top-level ATX headings.

markdown-it-py (CommonMark) is the reference.  Most of a real report is prose, lists and fences
written at the left margin or in list items (numbered steps with a fence in each), and for those
a line scan names the blocks with certainty: ``plain_blocks`` does that.  It follows the open list
items as CommonMark does (each item's content column, the lines that belong to it, lazy paragraph
lines, the line that ends it), so a fence in an item is read exactly, and it gives up (``None``)
at the first line whose meaning depends on what it does not model: an HTML block or indented code
inside a list item, a fence or heading in a quote, a list in a quote or a quote in a list, an
empty item, an indented line once the open items are not known, a tab in an indent, a lone CR.
``segment_blocks`` then asks markdown-it.  Importing markdown-it costs about 40 ms and reading a whole report with it
about as much again, so a typical ``reportls check`` never pays either, and a keystroke in a plain
answer is read without it.  ``tests/unit/test_blocks.py`` holds the two readers to the same answer,
on the seeds, the templates and generated segments.

A block is ``(kind, first line, end line (exclusive), detail)``: the detail of a heading is its
level, of an HTML block whether it opens with a comment, else ``None``.
"""

from __future__ import annotations

import re

CODE = "code"
HTML = "html"
FRONT_MATTER = "front-matter"
HEADING = "heading"

Block = tuple  # (kind, first line, end line, detail)

_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
# one container marker (block quote or list item) with up to three spaces before it
_CONTAINER = re.compile(r" {0,3}(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ ]?")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_RULE_LIKE = re.compile(r"[-=*_ \t]+")  # a thematic break or a setext underline (or neither)
_UNDERLINE = re.compile(r"(=+|-+)[ \t]*")  # a setext heading's underline
_THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_ITEM_STARTS = frozenset("-*+0123456789")  # what a list marker starts with
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")
# list items nested deeper than this are left to markdown-it (whose nesting limit drops a tail)
_MAX_ITEMS = 4

# The seven kinds of HTML block start (CommonMark 0.31, section 4.6), in the spec's order, each with
# what ends it: a string or pattern found in a line (the line is part of the block), or None for a
# blank line (not part of it).  Kind 7, a lone complete tag, cannot interrupt a paragraph.  The
# patterns are compiled by ``re`` (and kept in its cache) only when a line starts with ``<``.
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
    "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|"
    "html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|"
    "summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = r"""(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)"""
_HTML_STARTS = (
    (r"(?i)<(?a:script|pre|style|textarea)(?=\s|>|$)", r"(?i)</(?a:script|pre|style|textarea)>"),
    ("<!--", "-->"),
    ("<?", "?>"),
    (r"<![A-Za-z]", ">"),
    ("<![CDATA[", "]]>"),
    (rf"(?i)</?(?a:{_BLOCK_TAGS})(?=\s|/?>|$)", None),
    (rf"(?:<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$", None),
)
_LONE_TAG = len(_HTML_STARTS)  # kind 7

# what the previous line leaves open, for an indented line that follows it
_BLANK, _TEXT, _CLOSED, _UNSURE = range(4)
# what ``_list_line`` tells the scan besides a next line: read this line at the top level (no list
# item is open), or read it without knowing the open list items from now on
_AT_TOP, _LOST = -1, -2


def segment_blocks(seg: str, first: bool, markdown) -> list[Block]:
    """The blocks of ``seg`` (``first``: the segment starts the document, so it may open with front
    matter); ``markdown()`` gives the markdown-it parser for what the line scan cannot decide."""
    if not seg.strip():
        return []
    blocks = plain_blocks(seg, first)
    return blocks if blocks is not None else markdown_blocks(markdown().parse(seg), first)


def markdown_blocks(tokens, first: bool) -> list[Block]:
    """The blocks in markdown-it's token stream."""
    blocks: list[Block] = []
    for tok in tokens:
        if tok.map is None:
            continue
        start, end = tok.map
        if tok.type in ("fence", "code_block"):
            blocks.append((CODE, start, end, None))
        elif tok.type == "front_matter":
            if first and start == 0:
                blocks.append((FRONT_MATTER, start, end, None))
        elif tok.type == "html_block":
            blocks.append((HTML, start, end, tok.content.lstrip().startswith("<!--")))
        elif tok.type == "heading_open" and tok.level == 0 and tok.markup.startswith("#"):
            blocks.append((HEADING, start, end, len(tok.markup)))
    return blocks


def _strip_containers(line: str) -> tuple[str, bool, bool]:
    """``line`` after its block-quote and list-item markers; whether it had any, and a list item's."""
    rest, had, listed = line, False, False
    while True:
        m = _CONTAINER.match(rest)
        if m is None:
            return rest, had, listed
        listed = listed or m.group().lstrip(" ")[0] != ">"
        rest, had = rest[m.end():], True


def _opens_block(body: str) -> bool:
    """Whether ``body`` (a line's text after its indent) could open a block that is read here."""
    body = _strip_containers(body)[0].lstrip(" \t")
    return body.startswith(("```", "~~~", "<")) or _ATX.match(body) is not None


def _may_define_link(body: str) -> bool:
    """Whether ``body`` may open a link reference definition (``[label]: destination``)."""
    if not body.startswith("["):
        return False
    close = body.find("]")
    return close == -1 or body[close + 1 : close + 2] == ":" or "\\" in body[:close] or "[" in body[1:close]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _front_matter_end(lines: list[str]) -> int | None | bool:
    """The end line of the front matter that opens ``lines`` (the first starts with ``-``), None
    when there is none, False when a tab makes it uncertain (as mdit-py-plugins' rule reads it)."""
    dashes = len(lines[0]) - len(lines[0].lstrip("-"))
    if dashes < 3:
        return None
    for j in range(1, len(lines)):
        line = lines[j]
        text = line.lstrip(" \t")
        if "\t" in line[: len(line) - len(text)]:
            return False
        if line.startswith("...") and not line[3:].strip(" \t"):
            return j + 1
        if not text.startswith("-") or len(line) - len(text) >= 4:
            continue
        run = len(text) - len(text.lstrip("-"))
        if run >= dashes and not text[run:].strip(" \t"):
            return j + 1
    return None


def _fence_end(lines: list[str], j: int, marker: str) -> int:
    """The line after the fence opened by ``marker`` and closed at or after line ``j`` (the end of
    the segment when nothing closes it)."""
    char, n = marker[0], len(marker)
    while j < len(lines):
        line = lines[j]
        text = line.lstrip(" ")
        if len(line) - len(text) <= 3 and text.startswith(marker):
            run = len(text) - len(text.lstrip(char))
            if run >= n and not text[run:].strip(" \t"):
                return j + 1
        j += 1
    return j


def _html_start(body: str) -> int:
    """The kind (1-7) of HTML block ``body`` (a line's text after its indent, starting with ``<``)
    opens, 0 for none."""
    for kind, (start, _) in enumerate(_HTML_STARTS, 1):
        if body.startswith(start) if kind in (2, 3, 5) else re.match(start, body):
            return kind
    return 0


def _html_end(lines: list[str], i: int, kind: int) -> int:
    """The line after the HTML block of ``kind`` that opens at line ``i``: a blank line ends kinds 6
    and 7 (and is not part of the block); the others end at the line holding their end marker (the
    end of the segment when none does), the opening line included."""
    end = _HTML_STARTS[kind - 1][1]
    j = i if end is not None else i + 1
    while j < len(lines):
        text = lines[j].lstrip(" \t")
        if end is None:
            if not text:
                return j
        elif end in text if kind in (2, 3, 4, 5) else re.search(end, text):
            return j + 1
        j += 1
    return j


def _interrupts(body: str, from_parent: int) -> bool:
    """Whether ``body`` (a line's text after its indent, which is less than the open list item's
    content column) ends the paragraph in that item rather than going on lazily; ``from_parent``:
    its indent past the column the item's list sits at."""
    c = body[0]
    if c in "`~":
        fence = _FENCE.match(body)
        return fence is not None and not (c == "`" and "`" in fence.group(2))
    if c == ">":
        return True
    if c == "<":
        return 0 < _html_start(body) < _LONE_TAG
    if c == "#":
        return _ATX.match(body) is not None
    # a list marker four or more columns past its list's column goes on the paragraph
    if from_parent < 4 and c in _ITEM_STARTS and _LIST_MARKER.match(body):
        return True
    return c in "-*_" and _THEMATIC_BREAK.fullmatch(body) is not None


def _plain_start(rest: str) -> bool:
    """Whether ``rest``, the text on a list item's first line, opens a paragraph for certain."""
    c = rest[0]
    if c in "`~":
        return _FENCE.match(rest) is None
    if c in "#<>":
        return False
    if c == "[":
        return not _may_define_link(rest)
    if c in "-*+_=" or c.isdigit():
        return _LIST_MARKER.match(rest) is None and _RULE_LIKE.fullmatch(rest) is None
    return True


def _item_fence_end(lines: list[str], j: int, marker: str, column: int) -> int | None:
    """The line after the fence opened by ``marker`` in a list item whose content starts at
    ``column`` and closed at or after line ``j``: a closing fence indented at most three columns
    past ``column``, or else the first non-blank line indented less than ``column`` (not part of
    it), or else the end of the segment; None when a tab in an indent makes that uncertain."""
    char, n = marker[0], len(marker)
    while j < len(lines):
        line = lines[j]
        text = line.lstrip(" \t")
        if text:
            indent = len(line) - len(text)
            if "\t" in line[:indent]:
                return None
            if indent < column:
                return j
            if indent - column <= 3 and text.startswith(marker):
                run = len(text) - len(text.lstrip(char))
                if run >= n and not text[run:].strip(" \t"):
                    return j + 1
        j += 1
    return j


def _list_line(lines: list[str], i: int, items: list[int], before: int, blocks: list[Block]):
    """Read line ``i`` (not blank, not in a quote) against the open list items ``items`` (their
    content columns, outermost first; updated here), after a line that left ``before``: returns
    the next line and what this one leaves, ``(_AT_TOP, before)`` when no item is open for it and
    the top-level reading takes it, ``(_LOST, before)`` when the open items are no longer known,
    or None when the segment needs markdown-it."""
    line = lines[i]
    body = line.lstrip(" ")
    n = len(line) - len(body)
    if body[0] == "\t":
        return None
    depth = len(items)
    k = depth
    while k and items[k - 1] > n:
        k -= 1
    if k < depth:  # less indented than the innermost item's content
        if before == _TEXT and not _interrupts(body, n - (items[-2] if depth > 1 else 0)):
            return i + 1, _TEXT  # a lazy line goes on the item's paragraph
        if before == _UNSURE:
            return _LOST, before
        del items[k:]
        before = _CLOSED if before == _TEXT else before
    column = items[-1] if items else 0
    if n - column > 3:
        if not items:
            return _AT_TOP, before
        return (i + 1, _TEXT) if before == _TEXT else None  # a paragraph goes on, or indented code
    if _RULE_LIKE.fullmatch(body):  # a thematic break, setext underline, empty item or paragraph
        if not items:
            return _AT_TOP, before
        if before == _TEXT and _UNDERLINE.fullmatch(body):
            return i + 1, _CLOSED  # a setext heading in an item: not a top-level ATX one
        if before != _UNSURE and _THEMATIC_BREAK.fullmatch(body):
            return i + 1, _CLOSED
        if before != _TEXT and before != _UNSURE and body[0] == "=":
            return i + 1, _TEXT
        return _LOST, before
    marker = _LIST_MARKER.match(body)
    if marker is not None:
        after = body[marker.end():]
        rest = after.lstrip(" ")
        spaces = len(after) - len(rest)
        # an item interrupts a paragraph only with content, and numbered 1 when ordered
        value = marker.group()[:-1]
        if before == _TEXT and (not rest.strip(" \t") or (value.isdigit() and int(value) != 1)):
            return i + 1, _TEXT
        if before == _UNSURE or not rest or rest[0] == "\t" or spaces > 4 or len(items) >= _MAX_ITEMS:
            return _LOST, before
        if not _plain_start(rest):
            return _LOST, before
        items.append(n + marker.end() + spaces)
        return i + 1, _TEXT
    if not items:
        return _AT_TOP, before
    fence = _FENCE.match(body)
    if fence is not None:
        mark, info = fence.groups()
        if mark[0] == "`" and "`" in info:  # a paragraph opening with inline code
            return i + 1, _UNSURE if before == _UNSURE else _TEXT
        end = _item_fence_end(lines, i + 1, mark, column)
        if end is None:
            return None
        blocks.append((CODE, i, end, None))
        return end, _CLOSED
    if body[0] == ">":
        return _LOST, before
    if body[0] == "<":
        kind = _html_start(body)
        if kind == _LONE_TAG and before == _TEXT:
            return i + 1, _TEXT
        if kind:
            return None
    if _ATX.match(body):  # a heading in an item: not a top-level one
        return i + 1, _UNSURE if before == _UNSURE else _CLOSED
    unsure = before == _UNSURE or _may_define_link(body)
    return i + 1, _UNSURE if unsure else _TEXT


def plain_blocks(seg: str, first: bool) -> list[Block] | None:
    """The blocks of ``seg`` read line by line, or None when a line needs markdown-it."""
    if "\r" in seg and seg.count("\r") != seg.count("\r\n"):
        return None  # a lone CR is a line break to markdown-it
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in seg.split("\n")]
    if seg.endswith("\n"):
        lines.pop()  # markdown-it's lines: a final newline ends the last one
    count = len(lines)
    if not count:
        return []
    blocks: list[Block] = []
    # a list may hold any later line (its items go on past blank lines): sure of nothing indented
    # after one; a quote ends at a blank line (or a fence at the margin)
    # ``items``: the content columns of the open list items, None once they are not known
    i, before, items, quote = 0, _CLOSED, [], False
    if first and seg.startswith("-"):
        end = _front_matter_end(lines)
        if end is False:
            return None
        if end:
            blocks.append((FRONT_MATTER, 0, end, None))
            i = end
    if i == 0:
        m = _ATX.match(lines[0])
        if m:
            blocks.append((HEADING, 0, 1, len(m.group(1))))
            i = 1
    while i < count:
        line = lines[i]
        if line[:1].isalpha() or (line[:2] == "> " and line[2:3].isalpha()):
            # prose at the margin or in a quote (most lines): no block or definition opens here
            if line[0] == ">":
                quote = True
                if items:
                    items = []  # a quote ends a paragraph and the list items
            elif items and before != _TEXT:  # not a lazy line: it ends the list
                items = [] if before != _UNSURE else None
            if before != _UNSURE:
                before = _TEXT
            i += 1
            continue
        if not line.strip(" \t"):
            before, quote, i = _BLANK, False, i + 1
            continue
        if items or (
            items is not None
            and not quote
            and (line[0] in _ITEM_STARTS or (line[0] == " " and line.lstrip(" ")[0] in _ITEM_STARTS))
        ):
            read = _list_line(lines, i, items, before, blocks)
            if read is None:
                return None
            at, before = read
            if at >= 0:
                i = at
                continue
            if at == _LOST:
                items = None
        lists = items is None
        rest, contained, listed = _strip_containers(line)
        body = rest.lstrip(" \t")
        if "\t" in line[: len(line) - len(body)]:
            return None
        if listed:
            items, lists = None, True
        quote = quote or (contained and not listed)
        if not body:  # an empty list item or quote line
            before, i = _UNSURE, i + 1
            continue
        if len(rest) - len(body) >= 4:
            if before == _TEXT and not listed:  # a paragraph goes on: indented code cannot interrupt one
                if _opens_block(body):
                    return None
                if lists or quote:  # the indent may count from a list item's column
                    if _interrupts(line.lstrip(" "), 0):
                        return None
                    if _RULE_LIKE.fullmatch(body):
                        before = _UNSURE  # it may be a setext underline
                i += 1
                continue
            if before == _UNSURE or lists or quote:
                return None
            end = j = i + 1  # an indented code block: indented and blank lines, to the last indented
            while j < count:
                nxt = lines[j]
                if not nxt.strip(" \t"):
                    j += 1
                    continue
                if "\t" in nxt[: len(nxt) - len(nxt.lstrip(" \t"))]:
                    return None
                if _indent(nxt) < 4:
                    break
                j = end = j + 1
            blocks.append((CODE, i, end, None))
            before, i = _CLOSED, end
            continue
        fence = _FENCE.match(body)
        if fence is not None:
            marker, info = fence.groups()
            if marker[0] == "`" and "`" in info:  # not a fence: a paragraph opening with inline code
                before, i = _TEXT, i + 1
                continue
            if contained or ((lists or quote) and line[0] == " "):
                return None  # a fence that may sit in a list item or a quote
            start, i = i, _fence_end(lines, i + 1, marker)
            blocks.append((CODE, start, i, None))
            before, quote = _CLOSED, False
            continue
        if _ATX.match(body):
            return None
        kind = _html_start(body) if body[0] == "<" else 0
        if kind:
            if contained or ((lists or quote) and line[0] == " ") or before == _UNSURE:
                return None  # an HTML block that may sit in a list item or a quote, or follow a definition
            if kind == _LONE_TAG and before == _TEXT:  # a lone tag goes on a paragraph
                i += 1
                continue
            start, i = i, _html_end(lines, i, kind)
            blocks.append((HTML, start, i, body.startswith("<!--")))
            before, quote = _CLOSED, False
            continue
        # after a link definition, a thematic break or a setext underline, an indented line may be
        # code; that stays unsure up to the next blank line
        unsure = before == _UNSURE or _may_define_link(body) or _RULE_LIKE.fullmatch(body) is not None
        before = _UNSURE if unsure else _TEXT
        i += 1
    return blocks
