"""The two renderings compared: the hand-in (Python-Markdown) and GitHub (CommonMark + GFM).

Owns the renderer instances (built lazily, one per ``HtmlSpec.render_key``), ``normalise`` (HTML ->
a canonical token list, so that differences a reader can't see are not differences) and
``difference`` (how many tokens differ).  The GitHub side is markdown-it-py's CommonMark with raw
HTML, GFM tables and strikethrough, GitHub's extended autolinks (``autolink.py``) and GitHub's
``$...$`` / ``$$...$$`` math (mdit-py-plugins' dollarmath).

Normalising: tags with sorted attributes (``class`` dropped, ``href``/``src`` URL-decoded),
entities decoded, whitespace-separated words, comments dropped, ``<p>`` directly inside ``<li>``
unwrapped (tight vs loose lists), ``<strong>`` directly inside ``<strong>`` unwrapped (cmark-gfm, GitHub's
renderer, leaves that one out; bold in bold looks the same), a ``<p>`` holding only images unwrapped (an ``<img>`` line is an
HTML block on GitHub, a paragraph in Python-Markdown), empty ``<p>`` dropped, and ``<pre>`` content
dedented line by line.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

MAX_DIFF_WORK = 250_000  # token pairs SequenceMatcher may look at
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@lru_cache(maxsize=16)
def _handin_md(render_key: tuple):
    import markdown

    extensions, output_format, tab_length = render_key
    kw: dict = {"extensions": list(extensions), "tab_length": tab_length}
    if output_format is not None:
        kw["output_format"] = output_format
    return markdown.Markdown(**kw)


def render_handin(text: str, render_key: tuple = ((), None, 4)) -> str:
    """Python-Markdown's HTML for ``text`` (a reused instance, reset first: same output as
    ``markdown.markdown``)."""
    md = _handin_md(render_key)
    md.reset()
    try:
        return md.convert(text)
    except BaseException:
        _handin_md.cache_clear()  # an interrupted convert leaves the instance's state broken
        raise


def escaped_chars(render_key: tuple = ((), None, 4)) -> tuple[str, ...]:
    """The characters a backslash escapes in the hand-in (Python-Markdown's ``ESCAPED_CHARS``)."""
    return tuple(_handin_md(render_key).ESCAPED_CHARS)


@lru_cache(maxsize=1)
def github_md():
    """The GitHub side: CommonMark + raw HTML + tables + strikethrough + autolinks + math."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from reportls.handin.autolink import gfm_autolink_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(gfm_autolink_plugin)
    return md


@lru_cache(maxsize=8)  # one compare-then-inspect sequence; token lists are large
def parse_github(text: str):
    """markdown-it tokens of ``text`` on the GitHub side (block structure with line maps); cached
    for the compare-then-inspect sequence on one chunk, so never mutate them."""
    return tuple(github_md().parse(text))


def render_github(text: str) -> str:
    md = github_md()
    return md.renderer.render(list(parse_github(text)), md.options, {})


class _Canon(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool, int]] = []  # (tag, unwrapped, index in out of its start)
        self.pre = 0
        self.pre_text: list[str] = []
        self.glue_at = -1  # len(out) right after a word that ended the last text without a space

    def _attrs(self, attrs) -> str:
        parts = []
        for name, value in sorted(attrs):
            if name == "class":
                continue
            value = value or ""
            if name in ("href", "src"):
                value = unquote(value)
            parts.append(f" {name}={value}")
        return "".join(parts)

    # tags are marked with \x01 so that a tag never equals a word that looks like one ("<repo_url>")

    def handle_starttag(self, tag, attrs):
        if self.pre:  # markup inside a code block (highlighting spans): only the text counts
            return
        if self.stack and (tag, self.stack[-1][0]) in (("p", "li"), ("strong", "strong")):
            self.stack.append((tag, True, len(self.out)))
            return
        self.out.append(f"\x01<{tag}{self._attrs(attrs)}>")
        if tag == "pre":
            self.pre += 1
            self.pre_text = []
        if tag not in _VOID:
            self.stack.append((tag, False, len(self.out) - 1))

    def handle_startendtag(self, tag, attrs):
        if self.pre:
            return
        self.out.append(f"\x01<{tag}{self._attrs(attrs)}>")

    def handle_endtag(self, tag):
        if self.pre and tag != "pre":
            return
        if not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            t, unwrapped, at = self.stack.pop()
            if t == "pre" and self.pre:
                self.pre -= 1
                code = textwrap.dedent("".join(self.pre_text).expandtabs(4)).strip("\n")
                self.out.extend("l:" + line.rstrip() for line in code.split("\n"))
            if t == "p" and not unwrapped:
                inner = self.out[at + 1 :]
                if not inner or all(x.startswith("\x01<img") for x in inner):
                    del self.out[at]
                    if t == tag:
                        return
                    continue
            if not unwrapped:
                self.out.append(f"\x01</{t}>")
            if t == tag:
                return

    def handle_data(self, data):
        if self.pre:
            self.pre_text.append(data)
            return
        words = data.split()
        if words and self.glue_at == len(self.out) and not data[0].isspace():
            # text that runs on from the last word across an unwrapped tag ("src/<strong>init</strong>.py")
            self.out[-1] += words.pop(0)
        self.out.extend(words)
        if data:
            self.glue_at = len(self.out) if not data[-1].isspace() and self.out else -1

    def handle_comment(self, data):
        pass


def normalise(html: str) -> tuple[str, ...]:
    """Canonical token list of an HTML fragment (see the module docstring)."""
    p = _Canon()
    p.feed(html)
    p.close()
    while p.stack:  # unclosed elements at the end
        p.handle_endtag(p.stack[-1][0])
    return tuple(p.out)


def difference(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many tokens differ between two normalised renderings (0: the reader sees the same)."""
    if a == b:
        return 0
    # trim the common ends; a huge differing middle is measured by its size (SequenceMatcher is quadratic)
    lo = 0
    while lo < len(a) and lo < len(b) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < len(a) - lo and hi < len(b) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    a, b = a[lo : len(a) - hi], b[lo : len(b) - hi]
    if len(a) * len(b) > MAX_DIFF_WORK:
        return len(a) + len(b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum((i2 - i1) + (j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


# Tags that do not separate words (the text on both sides of them runs on).
_INLINE_TAGS = frozenset("a abbr b code del em i ins kbd mark q s samp small span strike strong sub sup u".split())


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            src = dict(attrs).get("src") or ""
            self.parts.append(f" \x01img:{unquote(src)} ")
        elif tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def visible_words(html: str) -> tuple[str, ...]:
    """The words a reader sees in an HTML fragment, in order (markup between letters does not split
    a word, block boundaries do; an image counts as one word, its source): what a rewrite must keep
    of GitHub's rendering."""
    p = _Words()
    p.feed(html)
    p.close()
    return tuple("".join(p.parts).split())


# Anything that could be markdown syntax in either renderer.  Text without any of it is paragraphs
# of plain words in both (tests check this on every chunk of the seeds and templates).
_SYNTAX = re.compile(r"[\\`*_\[\]<>&#|$~=+\t]|://|www\.|@|^ *(?:-|\d+[.)])|^ {4}", re.MULTILINE)


def plain_prose(text: str) -> bool:
    """True when ``text`` holds no markdown syntax at all (so both renderings are the same)."""
    return _SYNTAX.search(text) is None


@lru_cache(maxsize=1024)
def compare(text: str, render_key: tuple = ((), None, 4)) -> int:
    """Token difference between the hand-in and GitHub renderings of ``text`` (0: the same)."""
    if plain_prose(text):
        return 0
    return difference(normalise(render_handin(text, render_key)), normalise(render_github(text)))
