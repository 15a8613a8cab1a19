"""Reading report text into a ``Report`` (the structural model).

The text is cut into *segments* at top-level ATX heading lines (outside fenced code).  Each segment
is read on its own: its blocks (code, HTML blocks, front matter, headings) by ``blocks``, which
asks markdown-it-py only when a line scan cannot be sure, plus small scanners for inline code, comments, image links and placeholders, giving offsets
relative to the segment.  A fresh read and an incremental one are the same computation: the
``Parser`` keeps the previous version's segment readings keyed by their text, so after an edit only
the segments whose text changed are read again.  Questions, prompts and answers are then assembled
from the segments' headings in one linear pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportls.text.document import LineIndex, line_starts
from reportls.text.records import record
from reportls.report.blocks import CODE, FRONT_MATTER, HTML, segment_blocks
from reportls.report.model import MARKER, FigureLink, Heading, Placeholder, Question, Report, Span, covering
from reportls.report.secrets import scan as scan_secrets

# A line that may start a segment (ATX heading) or open/close a fence, anchored at line start.
_BOUNDARY = re.compile(r"\n( {0,3})(#{1,6}(?=[ \t\r\n]|\Z)|`{3,}|~{3,})")  # "\n" first: a fast search
_BOUNDARY_AT_START = re.compile(r"( {0,3})(#{1,6}(?=[ \t\r\n]|\Z)|`{3,}|~{3,})")
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

@lru_cache(maxsize=1)
def _markdown():
    """A block-only markdown-it parser (inline parsing is not needed and is the slow part), for the
    segments the line scan of ``blocks`` leaves to it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


@record(frozen=True, slots=True)
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


def _boundary_lines(text: str):
    """(line start, token, token end) of every line that is a heading or fence candidate."""
    m = _BOUNDARY_AT_START.match(text)
    if m:
        yield 0, m.group(2), m.end()
    for m in _BOUNDARY.finditer(text):
        yield m.start() + 1, m.group(2), m.end()


def split_segments(text: str) -> list[int]:
    """Start offsets of the segments: 0 and every top-level ATX heading line outside fences."""
    starts = [0]
    fence: str | None = None
    for line_start, tok, tok_end in _boundary_lines(text):
        ch = tok[0]
        if ch == "#":
            if fence is None and line_start > 0:
                starts.append(line_start)
        elif fence is None:
            fence = tok
        elif ch == fence[0] and len(tok) >= len(fence):
            # a closing fence may carry nothing but whitespace after it
            rest_end = text.find("\n", tok_end)
            rest = text[tok_end : rest_end if rest_end != -1 else len(text)]
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
    for kind, first_line, end_line, detail in segment_blocks(seg, first, _markdown):
        start, end = line_offset(first_line), line_offset(end_line)
        if kind == CODE:
            hidden.append((start, end, "code"))
        elif kind == FRONT_MATTER:
            front_matter = (start, end)
        elif kind == HTML:
            if detail:
                hidden.append((start, end, "comment"))
        else:
            line_end = seg.find("\n", start)
            line_end = len(seg) if line_end == -1 else line_end
            raw = seg[start:line_end]
            m = _ATX.match(raw)
            title = (m.group(2) or "").strip() if m else raw.lstrip(" #").strip()
            headings.append((detail, title, start, start + len(raw.rstrip("\r"))))
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


@record(frozen=True, slots=True)
class PlacedSegment:
    """One segment's reading moved to its place in the document (absolute offsets)."""

    headings: tuple[Heading, ...]
    hidden: tuple[tuple[Span, str], ...]
    figures: tuple[FigureLink, ...]
    link_defs: tuple[tuple[str, str, int, int], ...]
    placeholders: tuple[Placeholder, ...]
    markers: tuple[int, ...]
    secrets: tuple[tuple[Span, str], ...]


def place(r: SegmentReading, base: int) -> PlacedSegment:
    """``r``'s items at absolute offsets (``base`` is the segment's start in the document)."""
    def figure(f: FigureLink) -> FigureLink:
        return FigureLink(f.span.shifted(base), f.dest, f.dest_span.shifted(base), f.kind, f.alt, f.hidden, f.angle)

    return PlacedSegment(
        headings=tuple(Heading(level, title, Span(base + s, base + e)) for level, title, s, e in r.headings),
        hidden=tuple((Span(base + s, base + e), kind) for s, e, kind in r.hidden),
        figures=tuple(figure(f) for f in r.figures) if base else r.figures,
        link_defs=tuple((label, dest, base + s, base + e) for label, dest, s, e in r.link_defs),
        placeholders=tuple(Placeholder(Span(base + s, base + e), t) for s, e, t in r.placeholders),
        markers=tuple(base + m for m in r.markers),
        secrets=tuple((Span(base + s, base + e), what) for s, e, what in r.secrets),
    )


class Parser:
    """Builds ``Report``s, reusing what the previous version had: segment readings keyed by their
    text, their placement keyed by (text, start) (the segments before an edit keep their start),
    and prompt readings keyed by the text between a heading and its ``Answer:`` line.  Only the
    previous version's entries are kept, so memory follows the document, not the edit count."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], SegmentReading] = {}
        self._placed: dict[tuple[tuple[str, bool], int], PlacedSegment] = {}
        self._prompts: dict[str, PromptReading] = {}
        self.reads = 0  # segments read afresh (not reused) in the last parse (for tests/benchmarks)

    def parse(self, text: str, lines: LineIndex | None = None) -> Report:
        """The ``Report`` of ``text``; ``lines`` is its line index when the caller has one."""
        bounds = split_segments(text)
        bounds.append(len(text))
        cache, placed_cache = self._cache, self._placed
        fresh: dict[tuple[str, bool], SegmentReading] = {}
        fresh_placed: dict[tuple[tuple[str, bool], int], PlacedSegment] = {}
        self.reads = 0
        placed: list[PlacedSegment] = []
        front_matter = None
        for k in range(len(bounds) - 1):
            base = bounds[k]
            key = (text[base : bounds[k + 1]], k == 0)
            reading = cache.get(key) or fresh.get(key)
            if reading is None:
                reading = read_segment(*key)
                self.reads += 1
            fresh[key] = reading
            pkey = (key, base)
            p = placed_cache.get(pkey) or fresh_placed.get(pkey) or place(reading, base)
            fresh_placed[pkey] = p
            placed.append(p)
            if k == 0 and reading.front_matter:
                front_matter = Span(*reading.front_matter)
        self._cache, self._placed = fresh, fresh_placed
        prompts: dict[str, PromptReading] = {}
        report = assemble(text, placed, front_matter, self._prompts, prompts)
        self._prompts = prompts
        report.lines = lines if lines is not None and lines.text is text else None
        return report


def parse_report(text: str) -> Report:
    """Read a report from scratch."""
    return Parser().parse(text)


def _strip_quote(line: str) -> str:
    line = line.strip()
    while line.startswith(">"):
        line = line[1:].strip()
    return line


def assemble(text: str, placed: list[PlacedSegment], front_matter: Span | None,
             prompts: dict[str, PromptReading] | None = None,
             fresh_prompts: dict[str, PromptReading] | None = None) -> Report:
    """Combine placed segments into a Report (``prompts``: readings of the previous version, by
    prompt text; ``fresh_prompts`` collects this version's)."""
    headings: list[Heading] = []
    hidden: list[tuple[Span, str]] = []
    figures: list[FigureLink] = []
    placeholders: list[Placeholder] = []
    markers: list[int] = []
    secrets: list[tuple[Span, str]] = []
    link_defs: dict[str, tuple[str, int, int]] = {}
    for p in placed:
        headings.extend(p.headings)
        hidden.extend(p.hidden)
        figures.extend(p.figures)
        for label, dest, s, e in p.link_defs:
            link_defs.setdefault(label, (dest, s, e))
        placeholders.extend(p.placeholders)
        markers.extend(p.markers)
        secrets.extend(p.secrets)

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
        for q in questions:
            _fill_prompt(text, q, prompts or {}, fresh_prompts if fresh_prompts is not None else {})
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
    for m in markers:
        q = covering(questions, m, starts)
        if q is not None:
            q.markers.append(m)
    for f in figures:
        q = covering(questions, f.span.start, starts)
        if q is not None:
            q.figures.append(f)
    for p in placeholders:
        q = covering(questions, p.span.start, starts)
        if q is not None:
            q.placeholders.append(p)


@record(frozen=True, slots=True)
class PromptReading:
    """What the text between a question's heading and its ``Answer:`` line says (offsets relative
    to that text)."""

    prompt: str
    prompt_span: tuple[int, int] | None
    recommended: str | None
    example: str | None


def read_prompt(body: str) -> PromptReading:
    """Prompt (the bold question text), recommended length and example of one question's body."""
    quoted = [ln for ln in body.splitlines() if ln.lstrip().startswith(">")]
    first_quote = body.find(">")
    prompt_span = (first_quote, len(body.rstrip())) if first_quote != -1 else None
    lines = [_strip_quote(ln) for ln in quoted]
    bold = []
    for ln in lines:
        if ln.startswith("Recommended answer length") or ln.startswith("Example"):
            break
        bold.extend(m.group(1).strip() for m in _BOLD.finditer(ln))
    prompt = " ".join(bold) if bold else " ".join(ln for ln in lines if ln).strip()
    m = _RECOMMENDED.search(body)
    recommended = m.group(1).strip() if m else None
    example = None
    if "Example:" in body:
        after = body.split("Example:", 1)[1]
        ex = [_strip_quote(ln).strip("*").strip() for ln in after.splitlines()]
        example = " ".join(e for e in ex if e) or None
    return PromptReading(prompt, prompt_span, recommended, example)


def _fill_prompt(text: str, q: Question, previous: dict[str, PromptReading],
                 fresh: dict[str, PromptReading]) -> None:
    """Prompt, recommended length, example and answer span of one question (the prompt reading is
    looked up by the prompt's text: typing in an answer leaves every prompt as it was)."""
    body_start = q.heading.span.end
    body_end = q.marker if q.marker is not None else q.span.end
    if q.marker is not None:
        # the prompt ends at the start of the marker's line
        line_start = text.rfind("\n", body_start, q.marker) + 1
        body_end = max(body_start, line_start)
        q.answer_span = Span(q.marker + len(MARKER), q.span.end)
    body = text[body_start:body_end]
    reading = fresh.get(body) or previous.get(body)
    if reading is None:
        reading = read_prompt(body)
    fresh[body] = reading
    if reading.prompt_span is not None:
        q.prompt_span = Span(body_start + reading.prompt_span[0], body_start + reading.prompt_span[1])
    q.prompt, q.recommended, q.example = reading.prompt, reading.recommended, reading.example
