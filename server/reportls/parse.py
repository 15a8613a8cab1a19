"""Reading report text into a ``Report`` (the structural model).

The text is cut into *segments* at top-level ATX heading lines (outside fenced code).  Each segment
is read on its own with markdown-it-py (block level only: code blocks, HTML blocks, front matter)
plus small scanners for inline code, comments, image links and placeholders, giving offsets
relative to the segment.  A fresh read and an incremental one are the same computation: the
``Parser`` keeps the previous version's segment readings keyed by their text, so after an edit only
the segments whose text changed are read again.  Questions, prompts and answers are then assembled
from the segments' headings in one linear pass.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from reportls.document import line_starts
from reportls.model import FigureLink, Heading, Placeholder, Question, Report, Span
from reportls.secrets import scan as scan_secrets

# A line that may start a segment (ATX heading) or open/close a fence, anchored at line start.
_BOUNDARY = re.compile(r"^ {0,3}(#{1,6}(?=[ \t\r]|$)|`{3,}|~{3,})", re.MULTILINE)
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$")
_QUESTION_TITLE = re.compile(r"question\s*(\d+)\b(.*)$", re.IGNORECASE)
_IMAGE_INLINE = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<dest>(?:[^\s()]|\([^\s()]*\))*))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_IMAGE_REF = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\[(?P<ref>[^\]\n]*)\]")
_LINK_DEF = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?:<(?P<angle>[^>\n]*)>|(?P<dest>\S+))", re.MULTILINE)
_IMG_TAG = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))[^>]*>", re.IGNORECASE
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_PLACEHOLDER = re.compile(r"-{2,}\s*question\s+\d+\s+fill\s+here\s*-{2,}", re.IGNORECASE)
_RECOMMENDED = re.compile(r"Recommended answer length:\s*(.*?)[ \t.]*$", re.MULTILINE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")

MARKER = "Answer:"


@lru_cache(maxsize=1)
def _markdown():
    """A block-only markdown-it parser (inline parsing is not needed and is the slow part)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


@dataclass(frozen=True, slots=True)
class SegmentReading:
    """What one segment contains; every offset is relative to the segment start."""

    headings: tuple[tuple[int, str, int, int], ...]  # (level, title, start, end)
    hidden: tuple[tuple[int, int, str], ...]  # (start, end, kind), sorted
    figures: tuple[FigureLink, ...]
    link_defs: tuple[tuple[str, str, int, int], ...]  # (label, dest, dest start, dest end)
    placeholders: tuple[tuple[int, int, str], ...]
    markers: tuple[int, ...]
    front_matter: tuple[int, int] | None
    secrets: tuple[tuple[int, int, str], ...] = ()


def split_segments(text: str) -> list[int]:
    """Start offsets of the segments: 0 and every top-level ATX heading line outside fences."""
    starts = [0]
    fence: str | None = None
    for m in _BOUNDARY.finditer(text):
        tok = m.group(1)
        ch = tok[0]
        if ch == "#":
            if fence is None and m.start() > 0:
                starts.append(m.start())
        elif fence is None:
            fence = tok
        elif ch == fence[0] and len(tok) >= len(fence):
            # a closing fence may carry nothing but whitespace after it
            rest_end = text.find("\n", m.end())
            rest = text[m.end() : rest_end if rest_end != -1 else len(text)]
            if not rest.strip():
                fence = None
    return starts


def _in_any(pos: int, spans: list[tuple[int, int, str]]) -> str | None:
    for s, e, kind in spans:
        if s <= pos < e:
            return kind
    return None


def _inline_code_spans(seg: str, blocked: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Inline code spans: a backtick run closed by the next run of the same length (same paragraph)."""
    spans: list[tuple[int, int, str]] = []
    runs = [m for m in _BACKTICKS.finditer(seg) if _in_any(m.start(), blocked) is None]
    i = 0
    while i < len(runs):
        opening = runs[i]
        n = len(opening.group())
        for j in range(i + 1, len(runs)):
            closing = runs[j]
            if "\n\n" in seg[opening.end() : closing.start()]:
                break
            if len(closing.group()) == n:
                spans.append((opening.start(), closing.end(), "code"))
                i = j
                break
        i += 1
    return spans


def read_segment(seg: str, first: bool) -> SegmentReading:
    """Read one segment (pure; cached by the Parser on its text)."""
    starts = line_starts(seg)
    nlines = len(starts)

    def line_offset(line: int) -> int:
        return starts[line] if line < nlines else len(seg)

    hidden: list[tuple[int, int, str]] = []
    headings: list[tuple[int, str, int, int]] = []
    front_matter = None
    html_blocks: list[tuple[int, int]] = []
    tokens = _markdown().parse(seg) if seg.strip() else []
    for tok in tokens:
        if tok.map is None:
            continue
        start, end = line_offset(tok.map[0]), line_offset(tok.map[1])
        if tok.type in ("fence", "code_block"):
            hidden.append((start, end, "code"))
        elif tok.type == "front_matter":
            if first and tok.map[0] == 0:
                front_matter = (start, end)
        elif tok.type == "html_block":
            if tok.content.lstrip().startswith("<!--"):
                hidden.append((start, end, "comment"))
            html_blocks.append((start, end))
        elif tok.type == "heading_open" and tok.level == 0 and tok.markup.startswith("#"):
            line_end = seg.find("\n", start)
            line_end = len(seg) if line_end == -1 else line_end
            raw = seg[start:line_end]
            m = _ATX.match(raw)
            title = (m.group(2) or "").strip() if m else raw.lstrip(" #").strip()
            headings.append((len(tok.markup), title, start, start + len(raw.rstrip("\r"))))
    if front_matter:
        hidden.append((front_matter[0], front_matter[1], "front-matter"))
    hidden.sort()
    # inline HTML comments outside code blocks
    for m in _COMMENT.finditer(seg):
        if _in_any(m.start(), hidden) is None:
            hidden.append((m.start(), m.end(), "comment"))
    hidden.sort()
    hidden.extend(_inline_code_spans(seg, hidden))
    hidden.sort()

    figures: list[FigureLink] = []
    for m in _IMAGE_INLINE.finditer(seg):
        angle = m.group("angle") is not None
        group = "angle" if angle else "dest"
        figures.append(
            FigureLink(
                span=Span(m.start(), m.end()),
                dest=m.group(group),
                dest_span=Span(m.start(group), m.end(group)),
                kind="inline",
                alt=m.group("alt"),
                hidden=_in_any(m.start(), hidden),
                angle=angle,
            )
        )
    for m in _IMAGE_REF.finditer(seg):
        figures.append(
            FigureLink(
                span=Span(m.start(), m.end()),
                dest=m.group("ref") or m.group("alt"),
                dest_span=Span(m.start("ref"), m.end("ref")),
                kind="reference",
                alt=m.group("alt"),
                hidden=_in_any(m.start(), hidden),
            )
        )
    for m in _IMG_TAG.finditer(seg):
        group = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "bare"
        figures.append(
            FigureLink(
                span=Span(m.start(), m.end()),
                dest=m.group(group),
                dest_span=Span(m.start(group), m.end(group)),
                kind="html",
                hidden=_in_any(m.start(), hidden),
            )
        )
    figures.sort(key=lambda f: f.span.start)
    link_defs = tuple(
        (
            m.group("label").strip().lower(),
            m.group("angle") if m.group("angle") is not None else m.group("dest"),
            m.start("angle") if m.group("angle") is not None else m.start("dest"),
            m.end("angle") if m.group("angle") is not None else m.end("dest"),
        )
        for m in _LINK_DEF.finditer(seg)
        if _in_any(m.start(), hidden) is None
    )
    placeholders = tuple((m.start(), m.end(), m.group()) for m in _PLACEHOLDER.finditer(seg))
    markers = []
    i = seg.find(MARKER)
    while i != -1:
        markers.append(i)
        i = seg.find(MARKER, i + len(MARKER))
    return SegmentReading(
        headings=tuple(headings),
        hidden=tuple(hidden),
        figures=tuple(figures),
        link_defs=link_defs,
        placeholders=placeholders,
        markers=tuple(markers),
        front_matter=front_matter,
        secrets=tuple(scan_secrets(seg)),
    )


class Parser:
    """Builds ``Report``s, reusing the segment readings of the previous version."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], SegmentReading] = {}
        self.reads = 0  # segments read by markdown-it in the last parse (for tests/benchmarks)

    def parse(self, text: str) -> Report:
        bounds = split_segments(text)
        bounds.append(len(text))
        cache = self._cache
        fresh: dict[tuple[str, bool], SegmentReading] = {}
        self.reads = 0
        readings: list[tuple[int, SegmentReading]] = []
        for k in range(len(bounds) - 1):
            seg = text[bounds[k] : bounds[k + 1]]
            key = (seg, k == 0)
            reading = cache.get(key) or fresh.get(key)
            if reading is None:
                reading = read_segment(seg, k == 0)
                self.reads += 1
            fresh[key] = reading
            readings.append((bounds[k], reading))
        self._cache = fresh
        return assemble(text, readings)


def parse_report(text: str) -> Report:
    """Read a report from scratch."""
    return Parser().parse(text)


def _strip_quote(line: str) -> str:
    line = line.strip()
    while line.startswith(">"):
        line = line[1:].strip()
    return line


def assemble(text: str, readings: list[tuple[int, SegmentReading]]) -> Report:
    """Combine segment readings (with their absolute start offsets) into a Report."""
    headings: list[Heading] = []
    hidden: list[tuple[Span, str]] = []
    figures: list[FigureLink] = []
    placeholders: list[Placeholder] = []
    markers: list[int] = []
    secrets: list[tuple[Span, str]] = []
    link_defs: dict[str, tuple[str, int, int]] = {}
    front_matter = None
    for base, r in readings:
        for level, title, s, e in r.headings:
            headings.append(Heading(level, title, Span(base + s, base + e)))
        for s, e, kind in r.hidden:
            hidden.append((Span(base + s, base + e), kind))
        for f in r.figures:
            figures.append(
                FigureLink(
                    span=f.span.shifted(base),
                    dest=f.dest,
                    dest_span=f.dest_span.shifted(base),
                    kind=f.kind,
                    alt=f.alt,
                    hidden=f.hidden,
                    angle=f.angle,
                )
                if base
                else f
            )
        for label, dest, s, e in r.link_defs:
            link_defs.setdefault(label, (dest, base + s, base + e))
        for s, e, t in r.placeholders:
            placeholders.append(Placeholder(Span(base + s, base + e), t))
        markers.extend(base + m for m in r.markers)
        secrets.extend((Span(base + s, base + e), what) for s, e, what in r.secrets)
        if r.front_matter and base == 0:
            front_matter = Span(*r.front_matter)

    # Reference-style images take their destination from the link definition, when there is one.
    if link_defs:
        resolved = []
        for f in figures:
            if f.kind == "reference":
                d = link_defs.get((f.dest or f.alt).strip().lower())
                if d:
                    f = FigureLink(f.span, d[0], Span(d[1], d[2]), "reference", f.alt, f.hidden)
            resolved.append(f)
        figures = resolved

    title = next((h for h in headings if h.level == 1), None)
    sections = [h for h in headings if h.level == 2]
    questions: list[Question] = []
    structural = [h for h in headings if h.level <= 3]
    for i, h in enumerate(structural):
        m = _QUESTION_TITLE.match(h.title)
        if not m:
            continue
        end = structural[i + 1].span.start if i + 1 < len(structural) else len(text)
        # strip the trailing blank lines of the section
        while end > h.span.end and text[end - 1] in "\r\n":
            end -= 1
        questions.append(Question(number=int(m.group(1)), heading=h, span=Span(h.span.start, end),
                                  heading_suffix=m.group(2).strip()))

    if questions:
        _distribute(text, questions, markers, figures, placeholders)
    return Report(
        text=text,
        front_matter=front_matter,
        title=title,
        headings=headings,
        sections=sections,
        questions=questions,
        figures=figures,
        hidden=hidden,
        secrets=secrets,
    )


def _distribute(text: str, questions: list[Question], markers, figures, placeholders) -> None:
    """Hand markers, figures and placeholders to the question whose section holds them."""
    starts = [q.span.start for q in questions]

    def owner(offset: int) -> Question | None:
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < questions[k].span.end:
            return questions[k]
        return None

    for m in markers:
        q = owner(m)
        if q is not None:
            q.markers.append(m)
    for f in figures:
        q = owner(f.span.start)
        if q is not None:
            q.figures.append(f)
    for p in placeholders:
        q = owner(p.span.start)
        if q is not None:
            q.placeholders.append(p)
    for q in questions:
        _fill_prompt(text, q)


def _fill_prompt(text: str, q: Question) -> None:
    """Prompt, recommended length, example and answer span of one question."""
    body_start = q.heading.span.end
    body_end = q.marker if q.marker is not None else q.span.end
    if q.marker is not None:
        # the prompt ends at the start of the marker's line
        line_start = text.rfind("\n", body_start, q.marker) + 1
        body_end = max(body_start, line_start)
        q.answer_span = Span(q.marker + len(MARKER), q.span.end)
    body = text[body_start:body_end]
    quoted = [ln for ln in body.splitlines() if ln.lstrip().startswith(">")]
    first_quote = body.find(">")
    if first_quote != -1:
        q.prompt_span = Span(body_start + first_quote, body_start + len(body.rstrip()))
    lines = [_strip_quote(ln) for ln in quoted]
    bold = []
    for ln in lines:
        if ln.startswith("Recommended answer length") or ln.startswith("Example"):
            break
        bold.extend(m.group(1).strip() for m in _BOLD.finditer(ln))
    q.prompt = " ".join(bold) if bold else " ".join(ln for ln in lines if ln).strip()
    m = _RECOMMENDED.search(body)
    if m:
        q.recommended = m.group(1).strip()
    if "Example:" in body:
        after = body.split("Example:", 1)[1]
        ex = [_strip_quote(ln).strip("*").strip() for ln in after.splitlines()]
        q.example = " ".join(e for e in ex if e) or None
