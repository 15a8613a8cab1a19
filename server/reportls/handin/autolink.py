"""GitHub's extended autolinks (GFM spec section 6.9) as a markdown-it core rule, and a scanner.

GitHub turns bare ``www.x.y``, ``http(s)://...``, ``ftp://...`` and ``name@host.tld`` into links;
Python-Markdown does not.  ``find_autolinks`` finds them in a piece of plain text (used both by the
markdown-it rule that makes the GitHub side of the comparison and by the ``handin-url`` detector);
``gfm_autolink_plugin`` adds the rule to a ``MarkdownIt`` instance.  Written from the GFM spec:
a link starts at a line start, after whitespace or after ``*``, ``_``, ``~``, ``(``; trailing
``?!.,:*_~`` are not part of it, nor an unbalanced trailing ``)``, nor a trailing entity-like
``&name;``; the last two domain labels carry no ``_``; an e-mail's last character is not ``-``/``_``.
"""

from __future__ import annotations

import re
from reportls.text.records import record

_START = re.compile(r"(?:https?://|ftp://|www\.)|[A-Za-z0-9._+-]+@", re.IGNORECASE)
_DOMAIN = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_PATH = re.compile(r"[^\s<]*")
_ENTITY_TAIL = re.compile(r"&[A-Za-z0-9]+;$")
_TRAILING = "?!.,:*_~"
_BEFORE = " \t\n*_~("


@record(frozen=True, slots=True)
class Autolink:
    start: int
    end: int
    text: str  # as written
    href: str  # what GitHub links to (http:// added to www., mailto: to e-mails)
    kind: str  # "url" | "www" | "email"


def _valid_domain(domain: str, need_dot: bool) -> bool:
    labels = domain.split(".")
    if need_dot and len(labels) < 2:
        return False
    if any(not label for label in labels):
        return False
    return not any("_" in label for label in labels[-2:])


def _trim(link: str) -> str:
    while link:
        last = link[-1]
        if last in _TRAILING or (last == ")" and link.count(")") > link.count("(")):
            link = link[:-1]
        elif last == ";":
            m = _ENTITY_TAIL.search(link)
            if not m:
                break
            link = link[: m.start()]
        else:
            break
    return link


def find_autolinks(text: str) -> list[Autolink]:
    """Every extended autolink GitHub makes in ``text`` (plain text, no markdown syntax in it)."""
    out: list[Autolink] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _START.search(text, pos)
        if m is None:
            break
        s = m.start()
        token = m.group()
        if token.endswith("@"):
            link = _email_at(text, s, m.end())
            if link is None:
                pos = m.end()
                continue
            out.append(link)
            pos = link.end
            continue
        if s > 0 and text[s - 1] not in _BEFORE:
            pos = s + 1
            continue
        d = _DOMAIN.match(text, m.end())
        if d is None or not _valid_domain(d.group(), need_dot=token.lower() == "www."):
            pos = m.end()
            continue
        p = _PATH.match(text, d.end())
        raw = text[s : p.end()]
        link = _trim(raw)
        if len(link) <= len(token):
            pos = m.end()
            continue
        kind = "www" if token.lower() == "www." else "url"
        href = "http://" + link if kind == "www" else link
        out.append(Autolink(s, s + len(link), link, href, kind))
        pos = s + len(link)
    return out


def _email_at(text: str, s: int, at_end: int) -> Autolink | None:
    # the local part may not continue a word to its left that the pattern skipped
    local_start = s
    d = _EMAIL_DOMAIN.match(text, at_end)
    if d is None:
        return None
    domain = d.group()
    while domain and domain[-1] == ".":
        domain = domain[:-1]
    if not domain or domain[-1] in "-_":
        return None
    if local_start > 0 and text[local_start - 1] in "/:":  # part of a URL such as https://user@host
        return None
    end = at_end + len(domain)
    written = text[local_start:end]
    return Autolink(local_start, end, written, "mailto:" + written, "email")


def _split_text_tokens(state) -> None:
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        out = []
        in_link = 0
        for tok in children:
            if tok.type == "link_open":
                in_link += 1
            elif tok.type == "link_close":
                in_link -= 1
            elif tok.type == "html_inline":
                low = tok.content.lower()
                if low.startswith("<a ") or low == "<a>":
                    in_link += 1
                elif low.startswith("</a"):
                    in_link = max(0, in_link - 1)
            if tok.type != "text" or in_link > 0 or not tok.content:
                out.append(tok)
                continue
            links = find_autolinks(tok.content)
            if not links:
                out.append(tok)
                continue
            last = 0
            level = tok.level
            for link in links:
                if link.start > last:
                    t = Token("text", "", 0)
                    t.content = tok.content[last : link.start]
                    t.level = level
                    out.append(t)
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": state.md.normalizeLink(link.href)}
                opening.level = level
                opening.markup = "autolink-extension"
                opening.info = "auto"
                out.append(opening)
                t = Token("text", "", 0)
                t.content = link.text
                t.level = level + 1
                out.append(t)
                closing = Token("link_close", "a", -1)
                closing.level = level
                closing.markup = "autolink-extension"
                closing.info = "auto"
                out.append(closing)
                last = link.end
            if last < len(tok.content):
                t = Token("text", "", 0)
                t.content = tok.content[last:]
                t.level = level
                out.append(t)
        block.children = out


def gfm_autolink_plugin(md) -> None:
    """Add GitHub's extended autolinks to a ``MarkdownIt`` instance (after text_join)."""
    md.core.ruler.push("gfm_autolink", _split_text_tokens)
