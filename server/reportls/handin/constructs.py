"""The constructs that render differently in the hand-in, found by structure, with their repairs.

Owns ``Candidate`` and ``find_candidates``: from one chunk's markdown-it tokens (GitHub's reading
of its structure) and its text, every construct the README's "What the grader sees" names -- a fenced code block, a list
right after a paragraph or a ``>`` line, a change of list marker, a ``1)`` list, a numbered list not
starting at 1, nested items or item content indented fewer than 4 spaces, a pipe table, two quotes
separated by a blank line, a block right after an empty ``>`` line (Python-Markdown keeps it in the
quote), an answer glued to the ``> Answer:`` line, a setext heading (text over ``---``/``===``) and a
``===`` under a quote or item line, a ``<text>`` Python-Markdown takes for a tag or a mail link, a
bare URL, a line ending in ``\\``, a ``\\%``-style escape, ``$math$``.

A candidate is only a suspicion: ``findings.py`` keeps it when rendering proves it (applying its
``repair`` removes a difference between the two renderings).  ``repair`` is a list of edits in the
chunk's coordinates; for most kinds it is also the quick fix (``fixes`` lists the fix variants,
first preferred); where no rewrite renders the same in both, the repair just removes the construct
(to measure it) and ``fixes`` is empty.
"""

from __future__ import annotations

import re
from reportls.text.records import field, record

from reportls.handin.autolink import find_autolinks
from reportls.handin.kinds import KINDS, construct_kind
from reportls.report.model import MARKER

ChunkEdit = tuple[int, int, str]  # (start, end, new text) in the chunk's coordinates

_QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
_ITEM_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[*+-]|\d{1,9}[.)])(?P<space>[ \t]+|$)")
_INLINE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?")
_BACKTICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CM_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")
_CM_EMAIL = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_CM_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>"
)
_LINK = re.compile(r"!?\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_BACKSLASH = re.compile(r"\\(.)")
_STRIKE = re.compile(r"(?<!~)~~(?=[^\s~])(.+?)(?<=[^\s~])~~(?!~)")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@record
class Candidate:
    code: str
    kind: str
    start: int  # span of the construct in the chunk
    end: int
    repair: tuple[ChunkEdit, ...]
    fixes: tuple[tuple[str, tuple[ChunkEdit, ...]], ...] = ()  # (title, edits), first preferred
    inline: bool = False  # proven on its own line (probe) rather than on the whole chunk
    probe: tuple[int, int] = (0, 0)  # text range shown in the before/after hover
    always: bool = False  # reported whatever the rendering (an answer glued to the prompt)
    details: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        construct_kind(self.kind, self.code)  # every kind is declared, with its code, message and fix


class Lines:
    """Line offsets of a chunk."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def __len__(self) -> int:
        return len(self.lines)

    def start(self, i: int) -> int:
        return self.starts[i] if i < len(self.starts) else len(self.text)

    def end(self, i: int) -> int:
        """End of line ``i`` (without its newline)."""
        return self.starts[i] + len(self.lines[i])

    def span(self, l0: int, l1: int) -> tuple[int, int]:
        """Offsets of lines ``[l0, l1)`` without the first line's indentation, trailing blank lines
        or the last newline."""
        l1 = min(l1, len(self.lines))
        while l1 > l0 + 1 and not self.lines[l1 - 1].strip():
            l1 -= 1
        first = self.lines[l0] if l0 < len(self.lines) else ""
        return self.start(l0) + len(first) - len(first.lstrip(" \t")), self.end(max(l0, l1 - 1))

    def blank(self, i: int) -> bool:
        if i < 0 or i >= len(self.lines):
            return True
        return not _QUOTE_PREFIX.sub("", self.lines[i]).strip()

    def replace_lines(self, l0: int, l1: int, new_lines: list[str]) -> ChunkEdit:
        """Replace lines ``[l0, l1)`` (with their newlines) by ``new_lines``."""
        l1 = min(l1, len(self.lines))
        start = self.start(l0)
        if l1 < len(self.lines):
            return (start, self.start(l1), "".join(line + "\n" for line in new_lines))
        return (start, len(self.text), "\n".join(new_lines))


def _indent_width(s: str) -> int:
    return len(s.expandtabs(4))


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _closing(tokens, i: int) -> int:
    """Index of the token closing the block opened at ``tokens[i]``."""
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].level == level and tokens[j].nesting == -1:
            return j
    return len(tokens) - 1


def find_candidates(text: str, tokens, ctx_lines: int, ctx_quoted: bool, escaped: tuple[str, ...]) -> list[Candidate]:
    """Every suspicious construct of one chunk.  ``ctx_lines`` > 0 when the chunk starts with the
    prompt context (its last line holds ``Answer:``); ``escaped`` are the characters a backslash
    escapes in the hand-in."""
    lines = Lines(text)
    out: list[Candidate] = []
    if ctx_lines:
        out.extend(glued_candidates(lines, ctx_lines, ctx_quoted))
    stack: list = []  # open container tokens
    prev: list = [None]  # per open container: the last block closed inside it
    inlines = []  # inline tokens outside table cells (a table is reported as a whole)
    for i, tok in enumerate(tokens):
        if tok.type == "inline":
            if tok.map and not _in(stack, "table_open"):
                inlines.append(tok)
            continue
        if tok.map and prev[-1] is not None and prev[-1].type == "blockquote_open":
            _after_empty_quote_line(tok, prev[-1], lines, out)
        if tok.nesting == 1:
            _check_open(tokens, i, tok, stack, prev[-1], lines, ctx_lines, out)
            stack.append(tok)
            prev.append(None)
        elif tok.nesting == -1:
            opened = stack.pop()
            prev.pop()
            prev[-1] = opened
        else:
            if tok.type == "fence":
                out.append(_fence(tok, stack, lines, prev[-1]))
            elif (tok.type == "hr" and tok.map and prev[-1] is not None and prev[-1].map
                  and prev[-1].map[1] == tok.map[0]
                  and prev[-1].type in ("blockquote_open", "bullet_list_open", "ordered_list_open")):
                # "> text" or "- item" right above "---": Python-Markdown makes the line a heading
                l0 = tok.map[0]
                s, e = lines.span(l0, tok.map[1])
                at = lines.start(l0)
                edit = ((at, at, "\n"),)
                quote = prev[-1].type == "blockquote_open"
                out.append(Candidate("handin-quote" if quote else "handin-list", "setext", s, e, edit,
                                     fixes=(("Add a blank line before the `---` line", edit),),
                                     probe=(lines.start(prev[-1].map[0]), e)))
            elif tok.type == "math_block":
                l0, l1 = tok.map
                s, e = lines.span(l0, l1)
                out.append(Candidate("handin-escape", "math-block", s, e, (lines.replace_lines(l0, l1, []),),
                                     probe=(s, e)))
            prev[-1] = tok
    out.extend(_lazy_underlines(lines, ctx_lines))
    out.extend(_inline_candidates(text, inlines, lines, ctx_lines, escaped))
    return out


def _quote_blank(line: str) -> bool:
    """A ``>`` line with nothing in it (``>``, ``> ``, ``> >``)."""
    return _QUOTE_PREFIX.match(line) is not None and not _QUOTE_PREFIX.sub("", line).strip()


def _answer_on_marker_line(lines: Lines, ctx_lines: int) -> bool:
    line = lines.lines[ctx_lines - 1]
    k = line.find(MARKER)
    return k != -1 and bool(line[k + len(MARKER) :].strip())


def _quote_depth(line: str) -> int:
    m = _QUOTE_PREFIX.match(line)
    return m.group().count(">") if m else 0


def _after_empty_quote_line(tok, quote, lines: Lines, out: list[Candidate]) -> None:
    """A block right below a quote whose last line is an empty ``>`` line: GitHub ends the quote at
    that line (nothing is open for a lazy continuation), Python-Markdown keeps the block inside it."""
    if not quote.map or quote.map[1] != tok.map[0] or not _quote_blank(lines.lines[quote.map[1] - 1]):
        return
    l0 = tok.map[0]
    line = lines.lines[l0]
    if lines.blank(l0) or _quote_depth(line) >= _quote_depth(lines.lines[quote.map[1] - 1]):
        return
    at = lines.start(l0)
    s, e = lines.span(l0, tok.map[1])
    prefix = _QUOTE_PREFIX.match(line)
    edit = ((at, at, (prefix.group().rstrip() if prefix else "") + "\n"),)
    out.append(Candidate("handin-quote", "empty-quote-line", s, e, edit,
                         fixes=((KINDS["empty-quote-line"].fix, edit),),
                         probe=(lines.start(max(quote.map[0], quote.map[1] - 2)), e),
                         details={"joins_prompt": quote.map[0] == 0}))


_UNDERLINE_EQ = re.compile(r"^=+[ \t]*$")


def _lazy_underlines(lines: Lines, ctx_lines: int) -> list[Candidate]:
    """``===`` right below a ``>`` or list item line: GitHub continues the quote's or item's text
    (``q ===``), Python-Markdown makes the line above a heading, ``>`` or marker included."""
    out: list[Candidate] = []
    for i in range(max(1, ctx_lines), len(lines)):
        if not _UNDERLINE_EQ.match(lines.lines[i]):
            continue
        above = lines.lines[i - 1]
        quote = _QUOTE_PREFIX.match(above) is not None
        if not (quote or _ITEM_LINE.match(above)) or lines.blank(i - 1):
            continue
        # one line: "> q ===" reads the same in both
        at = lines.end(i - 1)
        edit = ((at, lines.start(i), " "),)
        s, e = lines.span(i, i + 1)
        out.append(Candidate("handin-quote" if quote else "handin-list", "setext", s, e, edit,
                             fixes=(("Move the `===` onto the line above", edit),),
                             probe=(lines.start(i - 1), e), details={"underline": "="}))
    return out


def _in(stack, kind: str) -> bool:
    return any(t.type == kind for t in stack)


def _check_open(tokens, i, tok, stack, before, lines: Lines, ctx_lines: int, out: list[Candidate]) -> None:
    parent = stack[-1].type if stack else None
    if tok.type in ("bullet_list_open", "ordered_list_open") and tok.map:
        l0, l1 = tok.map
        s, e = lines.span(l0, l1)
        first_line = lines.lines[l0]
        prefix = _QUOTE_PREFIX.match(first_line)
        quote_prefix = prefix.group().rstrip() if prefix else ""
        nested = parent == "list_item_open"
        if before is not None and before.map and not nested:
            adjacent = before.map[1] == l0
            if before.type == "paragraph_open" and adjacent:
                out.append(Candidate(
                    "handin-list", "list-after-paragraph", s, e,
                    (( lines.start(l0), lines.start(l0), quote_prefix + "\n"),),
                    fixes=((KINDS["list-after-paragraph"].fix, ((lines.start(l0), lines.start(l0), quote_prefix + "\n"),)),),
                    probe=(lines.start(before.map[1] - 1), e),
                ))
            elif (before.type == "blockquote_open" and adjacent
                  and not (ctx_lines and before.map[0] == 0 and before.map[1] <= ctx_lines
                           and not _answer_on_marker_line(lines, ctx_lines))
                  and not _quote_blank(lines.lines[before.map[1] - 1])):
                out.append(Candidate(
                    "handin-list", "list-after-quote", s, e,
                    ((lines.start(l0), lines.start(l0), "\n"),),
                    fixes=((KINDS["list-after-quote"].fix, ((lines.start(l0), lines.start(l0), "\n"),)),),
                    probe=(lines.start(before.map[1] - 1), e),
                ))
            elif before.type in ("bullet_list_open", "ordered_list_open") and (
                before.type != tok.type or before.markup != tok.markup
            ):
                indent = _leading(_QUOTE_PREFIX.sub("", first_line))
                gap_blank = lines.blank(l0 - 1)
                comment = (quote_prefix + " " if quote_prefix else "") + indent + "<!-- -->"
                insert = comment + "\n" + (quote_prefix + "\n" if gap_blank else "")
                at = lines.start(l0)
                edit = ((at, at, insert),)
                # blank lines around an unindented comment: it ends the list above even when the
                # line before it continues an item lazily (Python-Markdown reads an indented one as text)
                gap = quote_prefix + "\n"
                robust = ((at, at, ("" if gap_blank else gap) + (quote_prefix + " " if quote_prefix else "")
                           + "<!-- -->\n" + gap),)
                variants = [("Separate the lists with a `<!-- -->` line", edit)]
                if robust != edit:
                    variants.append(("Separate the lists with a `<!-- -->` line between blank lines", robust))
                out.append(Candidate(
                    "handin-list", "marker-change", s, lines.end(l0), robust,
                    fixes=tuple(variants),
                    probe=(lines.start(before.map[0]), e),
                    details={"from": _marker_name(before), "to": _marker_name(tok)},
                ))
        if tok.type == "ordered_list_open":
            items = _items(tokens, i)
            if tok.markup == ")":
                edits = []
                for item in items:
                    m = _ITEM_LINE.match(_QUOTE_PREFIX.sub("", lines.lines[item.map[0]]))
                    if m:
                        qlen = len(lines.lines[item.map[0]]) - len(_QUOTE_PREFIX.sub("", lines.lines[item.map[0]]))
                        at = lines.start(item.map[0]) + qlen + m.end("marker") - 1
                        edits.append((at, at + 1, "."))
                out.append(Candidate("handin-list", "paren-list", s, e, tuple(edits),
                                     fixes=((KINDS["paren-list"].fix, tuple(edits)),),
                                     probe=(s, e)))
            start_attr = tok.attrs.get("start") if tok.attrs else None
            if start_attr is not None and int(start_attr) != 1 and items:
                line = lines.lines[items[0].map[0]]
                body = _QUOTE_PREFIX.sub("", line)
                m = _ITEM_LINE.match(body)
                if m:
                    at = lines.start(items[0].map[0]) + (len(line) - len(body)) + m.start("marker")
                    num_end = at + len(m.group("marker")) - 1
                    out.append(Candidate("handin-escape", "list-start", s, lines.end(items[0].map[0]),
                                         ((at, num_end, "1"),), probe=(s, e), details={"start": int(start_attr)}))
        if not nested and not _in(stack, "blockquote_open"):
            cand = _nesting(tokens, i, lines)
            if cand is not None:
                out.append(cand)
    elif (tok.type == "list_item_open" and tok.map and before is not None and before.type == "list_item_open"
          and before.map and before.map[1] == tok.map[0] and tok.map[0] > 0 and not lines.blank(tok.map[0] - 1)
          and any(lines.blank(j) for j in range(before.map[0], before.map[1]))):
        # an item right below a later paragraph of the item above: Python-Markdown continues that paragraph
        l0 = tok.map[0]
        prefix = _QUOTE_PREFIX.match(lines.lines[l0])
        at = lines.start(l0)
        edit = ((at, at, (prefix.group().rstrip() if prefix else "") + "\n"),)
        s, e = lines.span(l0, l0 + 1)
        out.append(Candidate("handin-list", "item-after-paragraph", s, e, edit,
                             fixes=((KINDS["item-after-paragraph"].fix, edit),),
                             probe=(lines.start(before.map[0]), lines.end(min(tok.map[1], len(lines)) - 1))))
    elif tok.type == "table_open" and tok.map:
        out.append(_table(tok, stack, lines))
    elif tok.type == "heading_open" and tok.markup in ("-", "=") and tok.map and tok.map[1] - tok.map[0] >= 2:
        cand = _setext_heading(tok, stack, lines, ctx_lines)
        if cand is not None:
            out.append(cand)
    elif (tok.type == "blockquote_open" and tok.map and not stack and before is not None and before.map
          and before.type in ("bullet_list_open", "ordered_list_open") and before.map[1] == tok.map[0]):
        # a quote right below a list item: Python-Markdown keeps it in the item's text
        l0 = tok.map[0]
        s, e = lines.span(l0, tok.map[1])
        at = lines.start(l0)
        edit = ((at, at, "\n"),)
        out.append(Candidate("handin-quote", "quote-after-list", s, e, edit,
                             fixes=((KINDS["quote-after-list"].fix, edit),),
                             probe=(lines.start(before.map[1] - 1), e)))
    elif (tok.type == "blockquote_open" and tok.map and not stack and before is not None
          and before.type == "blockquote_open"):
        l0 = tok.map[0]
        s, e = lines.span(l0, tok.map[1])
        at = lines.start(l0)
        edit = ((at, at, "<!-- -->\n\n"),)
        joins_prompt = bool(ctx_lines) and before.map[0] == 0
        out.append(Candidate("handin-quote", "quote-merge", s, e, edit,
                             fixes=((KINDS["quote-merge"].fix, edit),),
                             probe=(lines.start(before.map[1] - 1) if joins_prompt else lines.start(before.map[0]), e),
                             details={"joins_prompt": joins_prompt}))


_CONTENT_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?[ \t]*")


def _setext_heading(tok, stack, lines: Lines, ctx_lines: int) -> Candidate | None:
    """A setext heading on GitHub (text lines, then a ``---`` or ``===`` line): Python-Markdown only
    knows one unindented line over an unindented underline at the start of a block, so it often
    shows a paragraph and a rule (``---``) or the underline as text (``===``).

    Fixes, none of them an ATX heading (a ``##`` cuts report.py's answer): at the top level, bold
    text over a rule (report.py's count unchanged: the underline stays a word, as ``---``) or the
    paragraph and a rule; anywhere, bold text (the underline goes: one word less)."""
    l0, l1 = tok.map
    under = l1 - 1
    if l0 < ctx_lines or under >= len(lines):
        return None
    first = lines.lines[l0]
    c0 = lines.start(l0) + _CONTENT_PREFIX.match(first).end()
    last = lines.lines[under - 1]
    c1 = lines.start(under - 1) + len(last.rstrip(" \t"))
    if c1 <= c0:
        return None
    underline = lines.lines[under]
    marker = underline.strip()[:1]
    prefix_m = _QUOTE_PREFIX.match(underline)
    qprefix = prefix_m.group().rstrip() if prefix_m else ""
    blank = qprefix + "\n"
    rule_line = (qprefix + " " if qprefix else "") + "---"
    # from the end of the heading's text (trailing spaces dropped) to the end of the underline
    tail_end = lines.start(under + 1) if under + 1 < len(lines) else lines.end(under)
    # a line right below the heading would run into the bold text's paragraph: keep them apart
    apart = not lines.blank(under + 1) and not _in(stack, "list_item_open")
    tail_nl = ("\n" + (blank if apart else "")) if under + 1 < len(lines) else ""
    bold = ((c0, c0, "**"), (c1, tail_end, "**" + tail_nl))
    s, e = lines.span(l0, l1)
    fixes: list[tuple[str, tuple[ChunkEdit, ...]]] = []
    if not _in(stack, "list_item_open"):  # in a list item Python-Markdown ends the item at a blank line
        over_rule = ((c0, c0, "**"), (c1, lines.end(under), "**\n" + blank + rule_line))
        fixes.append(("Write the heading as bold text over a rule (report.py's count unchanged)", over_rule))
        rule = ((lines.start(under), lines.end(under), blank + rule_line),)
        what = "a blank line before `---`" if marker == "-" else "`---` after a blank line instead of `===`"
        fixes.append((f"Make it a paragraph and a rule: {what} (report.py's count unchanged)", rule))
        if under - l0 > 1:  # several lines over the underline: rather text than a heading (say, a pasted table)
            fixes.reverse()
    fixes.insert(1 if fixes else 0, ("Write the heading as bold text", bold))
    return Candidate("handin-escape", "setext-heading", s, e, bold, fixes=tuple(fixes), probe=(lines.start(l0), e),
                     details={"underline": marker, "level": 1 if marker == "=" else 2})


def _marker_name(tok) -> str:
    if tok.type == "ordered_list_open":
        return "1" + tok.markup
    return tok.markup


def _items(tokens, i: int) -> list:
    level = tokens[i].level + 1
    end = _closing(tokens, i)
    return [t for t in tokens[i + 1 : end] if t.type == "list_item_open" and t.level == level and t.map]


def _fence(tok, stack, lines: Lines, before=None) -> Candidate:
    l0, l1 = tok.map
    s, e = lines.span(l0, l1)
    # shown in the hover with the lines it runs into
    p0 = lines.start(l0 - 1) if l0 > 0 and not lines.blank(l0 - 1) else s
    p1 = lines.end(l1) if l1 < len(lines) and not lines.blank(l1) else e
    if _in(stack, "blockquote_open") or _in(stack, "table_open"):
        return Candidate("handin-code", "fence", s, e, (lines.replace_lines(l0, l1, []),), probe=(p0, p1),
                         details={"indent": None})
    depth = sum(1 for t in stack if t.type == "list_item_open")
    # right after a list (the fence ended it on GitHub): the code belongs to the list's last item
    after_list = before is not None and before.type in ("bullet_list_open", "ordered_list_open")
    if after_list:
        depth += 1
    indent = 4 * (depth + 1)
    open_line = lines.lines[l0]
    fence_indent = _indent_width(_leading(open_line))
    marker = open_line.strip()[:3]
    closed = l1 - 1 > l0 and lines.lines[l1 - 1].strip().startswith(marker) and not lines.lines[l1 - 1].strip().strip(marker[0])
    body_end = l1 - 1 if closed else l1
    new_lines = []
    for line in lines.lines[l0 + 1 : body_end]:
        if not line.strip():
            new_lines.append("")
            continue
        lead = _indent_width(_leading(line))
        body = line.lstrip(" \t")
        extra = max(0, lead - fence_indent)
        new_lines.append(" " * (indent + extra) + body)
    while new_lines and not new_lines[-1]:
        new_lines.pop()
    if new_lines:
        if not lines.blank(l0 - 1):
            new_lines.insert(0, "")
        if l1 < len(lines) and not lines.blank(l1):
            new_lines.append("")
    edit = lines.replace_lines(l0, l1, new_lines)
    where = " (inside the list item above)" if after_list else ""
    title = f"Indent the code block by {indent} spaces instead of fencing it{where}"
    return Candidate("handin-code", "fence", s, e, (edit,), fixes=((title, (edit,)),), probe=(p0, p1),
                     details={"indent": indent, "info": tok.info.strip()})


def _table(tok, stack, lines: Lines) -> Candidate:
    l0, l1 = tok.map
    s, e = lines.span(l0, l1)
    if stack:
        return Candidate("handin-table", "table", s, e, (lines.replace_lines(l0, l1, []),), probe=(s, e))
    from reportls.handin.render import render_github

    source = "\n".join(lines.lines[l0:l1])
    html = render_github(source).strip("\n").split("\n")
    new_lines = list(html)
    if not lines.blank(l0 - 1):
        new_lines.insert(0, "")
    if l1 < len(lines) and not lines.blank(l1):
        new_lines.append("")
    edit = lines.replace_lines(l0, l1, new_lines)
    return Candidate("handin-table", "table", s, e, (edit,),
                     fixes=((KINDS["table"].fix, (edit,)),), probe=(s, e))


def glued_candidates(lines: Lines, ctx_lines: int, quoted: bool) -> list[Candidate]:
    """The answer starts on the ``Answer:`` line or right below it (after nothing but empty ``>``
    lines, if the answer is itself quoted): it continues the prompt's quote.  Whether that is also so
    on GitHub is for rendering to tell (``findings.py``: ``answer-in-quote`` when it is)."""
    if not quoted:
        return []
    marker_line = ctx_lines - 1
    line = lines.lines[marker_line]
    k = line.find(MARKER)
    rest = line[k + len(MARKER) :] if k != -1 else ""
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        at = lines.start(marker_line) + k + len(MARKER)
        s = at + lead
        e = lines.end(marker_line)
        edit = ((at, s, "\n\n"),)
        return [Candidate("handin-quote", "glued-inline", s, e, edit,
                          fixes=((KINDS["glued-inline"].fix, edit),),
                          probe=(0, e), always=True)]
    nxt = marker_line + 1
    # empty ">" lines, then quoted text: the answer is inside the quote (an unquoted line after an
    # empty ">" line is another matter: "empty-quote-line")
    first = nxt
    while first < len(lines) and _quote_blank(lines.lines[first]):
        first += 1
    if first >= len(lines) or lines.blank(first) or (first > nxt and not _QUOTE_PREFIX.match(lines.lines[first])):
        return []
    end = first
    while end < len(lines) and not lines.blank(end):
        end += 1
    s, e = lines.span(first, end)
    # a blank line; an answer written inside the quote also loses its "> " prefixes (and the
    # empty ">" lines become blank lines)
    edits: list[ChunkEdit] = []
    for j in range(nxt, first):
        edits.append((lines.start(j), lines.end(j), ""))
    for j in range(first, end):
        m = _QUOTE_PREFIX.match(lines.lines[j])
        if not m:
            break
        edits.append((lines.start(j), lines.start(j) + m.end(), "\n" if j == nxt else ""))
    if not edits:
        edits.append((lines.start(nxt), lines.start(nxt), "\n"))
    edits_t = tuple(edits)
    title = ("Add a blank line after the `> Answer:` line" if first == nxt and edits[0][2] == "\n" and
             edits[0][0] == edits[0][1] else "Take the answer out of the quote, after a blank line")
    quoted_answer = _QUOTE_PREFIX.match(lines.lines[first]) is not None
    return [Candidate("handin-quote", "glued", s, e, edits_t, fixes=((title, edits_t),),
                      probe=(0, e), always=True, details={"quoted": quoted_answer} if quoted_answer else {})]


def _nesting(tokens, i: int, lines: Lines) -> Candidate | None:
    """Re-indent a top-level list to 4 spaces per level (Python-Markdown's rule)."""
    end = _closing(tokens, i)
    l0, l1 = tokens[i].map
    items = []  # (map0, map1, depth, marker indent, content offset)
    skip: set[int] = set()
    depth = -1
    base = None
    for tok in tokens[i : end + 1]:
        if tok.type == "list_item_open":
            depth += 1
            line = lines.lines[tok.map[0]]
            m = _ITEM_LINE.match(line)
            if m is None:
                return None
            mind = _indent_width(m.group("indent"))
            space = _indent_width(m.group("space")) if m.group("space") else 1
            if space > 4:
                space = 1
            if base is None:
                base = mind
            items.append((tok.map[0], tok.map[1], depth, mind, mind + len(m.group("marker")) + space))
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type in ("fence", "html_block", "math_block") and tok.map:
            skip.update(range(tok.map[0], tok.map[1]))
        elif tok.type == "heading_open" and tok.markup in ("-", "=") and tok.map:
            skip.add(tok.map[1] - 1)  # a setext underline: "setext-heading", not content to re-indent
    if base is None:
        return None
    edits: list[ChunkEdit] = []
    nested_marker = False
    for ln in range(l0, min(l1, len(lines))):
        line = lines.lines[ln]
        if ln in skip or not line.strip():
            continue
        owner = None
        for it in items:
            if it[0] <= ln < it[1] and (owner is None or it[2] >= owner[2]):
                owner = it
        if owner is None:
            continue
        m0, _, d, mind, content = owner
        lead = _leading(line)
        old = _indent_width(lead)
        if ln == m0:
            if d == 0:
                continue
            target = base + 4 * d
            if target != old:
                nested_marker = True
        else:
            if old < content:
                continue  # a lazy continuation line: part of the paragraph in both
            target = base + 4 * (d + 1) + (old - content)
        if target != old:
            edits.append((lines.start(ln), lines.start(ln) + len(lead), " " * target))
    if not edits:
        return None
    s = edits[0][0]
    last_line = max(j for j in range(len(lines)) if lines.start(j) <= edits[-1][0])
    e = lines.end(last_line)
    kind = "nested-items" if nested_marker else "item-content"
    et = tuple(edits)
    title = "Indent nested items by 4 spaces per level" if nested_marker else "Indent the item's content by 4 spaces"
    return Candidate("handin-nested-list", kind, s, e, et, fixes=((title, et),),
                     probe=lines.span(l0, l1))


# ---- inline constructs -------------------------------------------------------------------------

def _masked(block: str) -> list[tuple[int, int]]:
    """Ranges of an inline block that are not plain text: code spans, comments, autolinks, tags, links."""
    ranges: list[tuple[int, int]] = []
    runs = list(_BACKTICKS.finditer(block))
    k = 0
    while k < len(runs):
        n = len(runs[k].group())
        for j in range(k + 1, len(runs)):
            if len(runs[j].group()) == n:
                ranges.append((runs[k].start(), runs[j].end()))
                k = j
                break
        k += 1
    for rx in (_COMMENT, _CM_AUTOLINK, _CM_EMAIL, _CM_TAG, _LINK):
        ranges.extend((m.start(), m.end()) for m in rx.finditer(block))
    ranges.sort()
    return ranges


def _free(ranges: list[tuple[int, int]], s: int, e: int) -> bool:
    return not any(a < e and s < b for a, b in ranges)


class _InlineSink:
    """Collects inline candidates of one line (offsets given relative to the line's body)."""

    def __init__(self, out: list[Candidate], body_start: int, line_end: int, next_end: int) -> None:
        self.out = out
        self.base = body_start
        self.probe = (body_start, line_end)
        self.probe_next = (body_start, next_end)  # with the next line (a line break needs it)

    def shift(self, edits) -> tuple[ChunkEdit, ...]:
        return tuple((self.base + a, self.base + b, t) for a, b, t in edits)

    def add(self, code, kind, s, e, repair, fixes, details=None, with_next=False) -> None:
        self.out.append(Candidate(
            code, kind, self.base + s, self.base + e, self.shift(repair),
            tuple((title, self.shift(ed)) for title, ed in fixes),
            inline=True, probe=self.probe_next if with_next else self.probe, details=details or {},
        ))


def _line_candidates(body: str, sink: _InlineSink, html_re, mail_re, escaped, last_line: bool) -> None:
    masked = _masked(body)
    tags: list[tuple[int, int]] = []
    # <text> Python-Markdown takes for a tag or a mail link
    for m in re.finditer(r"<", body):
        s = m.start()
        if not _free(masked, s, s + 1) or body.startswith("<!--", s):
            continue
        hm = html_re.match(body, s)
        mail = False
        if hm is None:
            hm = mail_re.match(body, s)
            mail = hm is not None
        if hm is None:
            continue
        shown = hm.group(0)
        escape = ("Write `&lt;` so the text shows", ((s, s + 1, "&lt;"),))
        code = ("Write it as inline code", ((s, hm.end(), f"`{shown}`"),)) if "`" not in shown else None
        fixes = [f for f in ((code, escape) if mail else (escape, code)) if f is not None]
        sink.add("handin-tag", "mail" if mail else "tag", s, hm.end(), fixes[0][1], fixes, {"text": shown})
        tags.append((s, hm.end()))
    # bare URLs and e-mail addresses GitHub links
    pos = 0
    for a, b in [*sorted(masked + tags), (len(body), len(body))]:
        if a > pos:
            for link in find_autolinks(body[pos:a]):
                s, e = pos + link.start, pos + link.end
                dashes = re.search(r"-{2,}$", link.text) if link.kind != "email" else None
                if dashes:
                    # the template's "---" glued to the URL: GitHub links it dashes and all (a dead link)
                    clean, tail = link.text[: dashes.start()], dashes.group(0)
                    href = link.href[: len(link.href) - len(tail)]
                    new = (f"[{clean}]({href})" if link.kind == "www" else f"<{clean}>") + tail
                    sink.add("handin-url", "url-dashes", s, e, ((s, e, new),),
                             ((f"Separate the dashes from the link: `{new}`", ((s, e, new),)),),
                             {"url": link.text, "href": link.href, "dashes": tail})
                    continue
                if link.end == a - pos and a < len(body) and body[a] != "<" and link.kind != "email":
                    # glued to a link or code after it: GitHub (cmark-gfm) runs the URL on over it, one
                    # link of the whole string; no rewrite keeps what GitHub shows and renders the same
                    sink.add("handin-url", "url-glued", s, b, ((s, e, f"<{link.text}>"),), (),
                             {"url": link.text, "href": link.href, "glued": body[e:b]})
                    continue
                new = f"[{link.text}]({link.href})" if link.kind == "www" else f"<{link.text}>"
                sink.add("handin-url", link.kind, s, e, ((s, e, new),), ((f"Make it a link: `{new}`", ((s, e, new),)),),
                         {"url": link.text, "href": link.href})
        pos = max(pos, b)
    # backslash escapes Python-Markdown doesn't know
    for m in _BACKSLASH.finditer(body):
        s = m.start()
        ch = m.group(1)
        if ch not in _ASCII_PUNCT or ch in escaped or not _free(masked, s, s + 2):
            continue
        if s > 0 and body[s - 1] == "\\":
            continue
        new = {"<": "&lt;", "&": "&amp;", "$": "&#36;"}.get(ch, ch)
        fixes = [(f"Write `{new}` instead of `\\{ch}`", ((s, s + 2, new),))]
        if new != ch:
            fixes.append((f"Drop the backslash: `{ch}`", ((s, s + 2, ch),)))
        sink.add("handin-escape", "backslash", s, s + 2, ((s, s + 2, new),), fixes, {"char": ch})
    # ~~struck~~: GitHub strikes it through, Python-Markdown shows the tildes
    for m in _STRIKE.finditer(body):
        s, e = m.start(), m.end()
        if not _free(masked, s, e):
            continue
        new = f"<del>{m.group(1)}</del>"
        sink.add("handin-escape", "strikethrough", s, e, ((s, e, new),), ((f"Write `{new}`", ((s, e, new),)),))
    # a line ending in a backslash: a line break on GitHub
    stripped = body.rstrip(" \t")
    if (not last_line and stripped.endswith("\\") and not stripped.endswith("\\\\")
            and _free(masked, len(stripped) - 1, len(stripped))):
        s = len(stripped) - 1
        edit = ((s, len(body), "  "),)
        sink.add("handin-escape", "line-break", s, s + 1, edit, ((KINDS["line-break"].fix, edit),),
                 with_next=True)


def _inline_candidates(text: str, inlines, lines: Lines, ctx_lines: int, escaped: tuple[str, ...]) -> list[Candidate]:
    from markdown.inlinepatterns import AUTOMAIL_RE, HTML_RE

    html_re = re.compile(HTML_RE)
    mail_re = re.compile(AUTOMAIL_RE)
    out: list[Candidate] = []
    for tok in inlines:
        l0, l1 = tok.map
        l1 = min(l1, len(lines))
        if l1 < ctx_lines:
            continue
        for ln in range(max(l0, ctx_lines - 1 if ctx_lines else 0), l1):
            line = lines.lines[ln]
            if ctx_lines and ln == ctx_lines - 1:
                k = line.find(MARKER)
                pfx = k + len(MARKER) if k != -1 else len(line)
            else:
                pfx = _INLINE_PREFIX.match(line).end()
            body = line[pfx:]
            if body.strip():
                sink = _InlineSink(out, lines.start(ln) + pfx, lines.end(ln), lines.end(min(ln + 1, l1 - 1)))
                _line_candidates(body, sink, html_re, mail_re, escaped, ln == l1 - 1)
        # math: the GitHub side's math tokens, found again in the text
        region_s, region_e = lines.start(l0), lines.end(l1 - 1)
        for child in tok.children or ():
            if child.type in ("math_inline", "math_inline_double"):
                fence = "$$" if child.type == "math_inline_double" else "$"
                needle = fence + child.content + fence
                at = text.find(needle, region_s, region_e)
                if at != -1:
                    out.append(Candidate("handin-escape", "math", at, at + len(needle), ((at, at + len(needle), ""),),
                                         inline=True, probe=(at, at + len(needle)), details={"math": child.content}))
                    region_s = at + len(needle)
    return out
