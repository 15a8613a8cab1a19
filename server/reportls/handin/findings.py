"""``handin-*`` findings: where the hand-in page shows an answer differently from GitHub.

Owns ``handin_findings``.  Per answer (``Question.answer_span``, rendered after a neutral copy of
its ``> Answer:`` line so that it sits in the same context as in the page): the answer is cut into
chunks (``chunks.py``); each chunk is rendered both ways (``render.py``); a chunk that renders the
same gives nothing; in one that differs, the suspicious constructs (``constructs.py``) are kept only
when rendering proves them: leaving out a block construct's repair from the all-repaired chunk
brings a difference back, or an inline construct's line renders differently until it is repaired.
An answer glued to the ``> Answer:`` line is always reported: as ``answer-in-quote`` when it renders
the same (inside the question's quote on GitHub too), as ``handin-quote`` when rendering proves that
GitHub shows it elsewhere.  No ``handin-*`` finding on an answer that renders the same.

Per keystroke only the edited answer is looked at again: results are kept in LRU caches keyed on
(answer text, render key) and (chunk text, render key), in answer-relative offsets, and shifted to
the answer's current place on the way out.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from reportls.text.records import record, replace

from reportls.checks import ReportCheck
from reportls.text.document import NewlineMap
from reportls.edits import TextEdit
from reportls.findings import DEFAULT_SEVERITY, WARNING, Finding, HandinPayload, Rewrite
from reportls.handin.chunks import cut_chunks
from reportls.handin.kinds import ANSWER_IN_QUOTE, KINDS, Said, construct_kind
from reportls.handin.constructs import Candidate, ChunkEdit, Lines, find_candidates, glued_candidates
from reportls.handin.render import compare, escaped_chars, parse_github
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec
from reportls.report.model import MARKER, Question, Report, Span

log = logging.getLogger(__name__)
# Cache sizes follow what is open, not how long the session runs: the answer cache holds every answer
# of 20 open reports (620) with room to spare; the caches behind it only serve the answers being edited.
ANSWER_CACHE_SIZE = 1024
RENDERED_CACHE_SIZE = 256
MAX_ANSWER_CHARS = 20_000  # real answers are a few KB; beyond this an answer is not examined
MAX_ANSWER_BRACKETS = 300  # Python-Markdown's link pattern is quadratic in unmatched "[" (2000: 1 s)
GLUED = ("glued", "glued-inline")
HANDIN_CODES = frozenset(c for c in DEFAULT_SEVERITY if c.startswith("handin-")) | {ANSWER_IN_QUOTE}


def is_handin_code(code: str) -> bool:
    """A code the hand-in checks give (``handin-*`` and ``answer-in-quote``)."""
    return code in HANDIN_CODES

# Where chunk cuts could be wrong: raw HTML blocks (the renderers end them differently) and link
# reference definitions (used across chunks).  Only such answers are re-rendered whole as a check.
_CUT_RISK = re.compile(r"^[ \t]*<|^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
CHUNK_CACHE_SIZE = 512


@record(frozen=True)
class LocalFinding:
    """A proven construct, in offsets of the answer's rendered text (see ``AnswerText``)."""

    code: str
    kind: str
    start: int
    end: int
    message: str
    fixes: tuple[tuple[str, tuple[ChunkEdit, ...]], ...]
    probe: str
    details: tuple[tuple[str, object], ...] = ()
    repair: tuple[ChunkEdit, ...] = ()  # the edit that removes the construct's difference (to neutralise it)
    parts: tuple[tuple[int, int], ...] = ()  # every place of a construct said once (math on one line)

    def __post_init__(self) -> None:
        construct_kind(self.kind, self.code)


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.hits = 0
        self.misses = 0

    def get_or(self, key, compute):
        try:
            value = self[key]
        except KeyError:
            self.misses += 1
            value = compute()
            self[key] = value
            if len(self) > self.size:
                self.popitem(last=False)
            return value
        self.hits += 1
        self.move_to_end(key)
        return value


_answers = _LRU(RENDERED_CACHE_SIZE)  # rendered answer text -> LocalFindings
_chunks = _LRU(CHUNK_CACHE_SIZE)
_placed_answers = _LRU(ANSWER_CACHE_SIZE)  # (context, raw answer text, render key) -> LocalFindings in raw-text offsets


def cache_stats() -> dict[str, int]:
    """Hits and misses of the answer and chunk caches (for benchmarks and tests)."""
    return {"answer_hits": _placed_answers.hits, "answer_misses": _placed_answers.misses,
            "chunk_hits": _chunks.hits, "chunk_misses": _chunks.misses}


def clear_caches() -> None:
    """Empty every cache (answers, chunks, renderings compared, GitHub token lists)."""
    _answers.clear()
    _chunks.clear()
    _placed_answers.clear()
    compare.cache_clear()
    parse_github.cache_clear()
    for c in (_answers, _chunks, _placed_answers):
        c.hits = c.misses = 0


@record(frozen=True)
class AnswerText:
    """An answer as it is rendered: ``context`` (a neutral copy of the lines ending in ``Answer:``)
    followed by the answer's text with universal newlines; maps offsets back to the document."""

    context: str
    body: str  # universal newlines
    doc_start: int  # document offset of body[0] (answer_span.start)
    newlines: NewlineMap  # the answer's raw text <-> body
    crlf: bool

    @property
    def rendered(self) -> str:
        return self.context + self.body

    def to_doc(self, offset: int) -> int:
        """Document offset of an offset in ``rendered`` (clamped to the body)."""
        k = min(max(0, offset - len(self.context)), len(self.body))
        return self.doc_start + self.newlines.to_doc(k)


def answer_context(text: str, q: Question) -> str:
    """The neutral copy of the lines that end in question ``q``'s ``Answer:`` (what the answer is
    rendered after, so that it sits in the same context as in the page)."""
    line_start = text.rfind("\n", 0, q.marker) + 1
    marker_line = text[line_start : q.marker + len(MARKER)].replace("\r", "")
    prev_end = line_start - 1
    prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1 if prev_end > 0 else 0
    prev = text[prev_start:prev_end].strip("\r") if prev_end > 0 else ""
    if not prev.strip():
        return marker_line
    stripped = prev.lstrip()
    if stripped.startswith(">"):
        neutral = "> Question." if stripped.lstrip(">").strip() else ">"
    else:
        neutral = "Question."
    return neutral + "\n" + marker_line


def make_answer_text(context: str, raw: str, doc_start: int) -> AnswerText:
    """An ``AnswerText`` from its context and the answer's text as the document holds it."""
    newlines = NewlineMap(raw)
    return AnswerText(context, newlines.seen, doc_start, newlines, not newlines.identity)


_HEADING_LINE = re.compile(r" {0,3}(#{1,6})(?=[ \t\r\n]|$)(.*)")
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUESTION_TITLE = re.compile(r"[ \t]*question\s*\d+\b", re.IGNORECASE)


def answer_end(text: str, q: Question) -> int:
    """Where the page stops showing question ``q``'s answer: at the next question heading or
    section (``#``/``##``) heading.  report.py stops counting at a ``###`` sub-heading inside the
    answer (``Question.answer_span`` ends there), the page does not: what follows is shown too."""
    end = q.answer_span.end
    while end < len(text):
        j = end
        while j < len(text) and text[j] in " \t\r\n":
            j += 1
        line_start = text.rfind("\n", 0, j) + 1
        line_end = text.find("\n", j)
        line_end = len(text) if line_end == -1 else line_end
        m = _HEADING_LINE.match(text, line_start, line_end) if line_start >= end else None
        if m is None or len(m.group(1)) != 3 or _QUESTION_TITLE.match(m.group(2)):
            return end
        # a "### Sub" heading inside the answer: the answer goes on to the next heading of level <= 3
        fence = None
        pos = line_end + 1
        nxt = len(text)
        while pos < len(text):
            stop = text.find("\n", pos)
            stop = len(text) if stop == -1 else stop
            f = _FENCE_LINE.match(text, pos, stop)
            if fence is None and f:
                fence = f.group(1)[0]
            elif fence is not None and f and f.group(1)[0] == fence:
                fence = None
            elif fence is None:
                h = _HEADING_LINE.match(text, pos, stop)
                if h and len(h.group(1)) <= 3:
                    nxt = pos
                    break
            pos = stop + 1
        end = nxt
    return end


def answer_text(text: str, q: Question, end: int | None = None) -> AnswerText | None:
    """The rendered form of question ``q``'s answer in document ``text`` (None: no answer), up to
    where the page stops showing it (``answer_end``); ``end`` overrides where the answer ends (for
    an edited copy of the text)."""
    if q.answer_span is None or q.marker is None:
        return None
    start = q.answer_span.start
    raw = text[start : answer_end(text, q) if end is None else end]
    return make_answer_text(answer_context(text, q), raw, start)


def findings_of(at: AnswerText, spec: HtmlSpec = DEFAULT_SPEC) -> tuple[LocalFinding, ...]:
    """Proven constructs of one answer (``AnswerText``), in offsets of ``at.rendered``."""
    ctx_lines = at.context.count("\n") + 1
    quoted = at.context.split("\n")[-1].lstrip().startswith(">")
    return answer_findings(at.rendered, len(at.context), ctx_lines, quoted, spec.render_key)


# ---- one chunk ---------------------------------------------------------------------------------

def _apply(text: str, edits) -> str:
    for s, e, t in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + t + text[e:]
    return text


def _overlaps(a: tuple[ChunkEdit, ...], b: tuple[ChunkEdit, ...]) -> bool:
    return any(s1 <= e2 and s2 <= e1 for s1, e1, _ in a for s2, e2, _ in b)


def proven(text: str, cands: list[Candidate], render_key: tuple) -> list[Candidate]:
    """The candidates rendering proves (see the module docstring).  An ``always`` candidate (the
    answer glued to its prompt) is kept whatever the rendering, with ``details["differs"]``: whether
    its repair removes a difference the other repairs leave (then it is a hand-in difference)."""
    d0 = compare(text, render_key)
    if d0 == 0:
        return [c for c in cands if c.always]
    blocks = [c for c in cands if not c.inline and not c.always]
    chosen: list[Candidate] = []
    for c in sorted(blocks, key=lambda c: c.start):
        if not any(_overlaps(c.repair, o.repair) for o in chosen):
            chosen.append(c)
    keep: list[Candidate] = []
    d_all = compare(_apply(text, [e for c in chosen for e in c.repair]), render_key) if chosen else d0
    for c in blocks:
        if any(c is o for o in chosen):
            rest = [e for o in chosen if o is not c for e in o.repair]
            ok = compare(_apply(text, rest), render_key) > d_all
        else:
            ok = compare(_apply(text, c.repair), render_key) < d0
        if ok:
            keep.append(c)
    for c in cands:
        if c.always:
            others = [e for o in chosen if not _overlaps(o.repair, c.repair) for e in o.repair]
            base = d_all if len(others) == sum(len(o.repair) for o in chosen) else compare(_apply(text, others),
                                                                                           render_key)
            c.details["differs"] = base > 0 and compare(_apply(text, others + list(c.repair)), render_key) < base
            keep.append(c)
    for c in cands:
        if not c.inline:
            continue
        p0, p1 = c.probe
        probe = text[p0:p1]
        repaired = _apply(probe, [(s - p0, e - p0, t) for s, e, t in c.repair])
        if compare(probe, render_key) > compare(repaired, render_key):
            keep.append(c)
    keep.sort(key=lambda c: (c.start, c.end))
    return keep


_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")


def _code_space_findings(chunk: str, ctx_lines: int, render_key: tuple) -> list[LocalFinding]:
    """Inline code with a space inside its backticks right next to a word (`` `{code} `and``):
    GitHub keeps the space, Python-Markdown strips it, so the hand-in runs the code into the word.
    Normalised rendering does not see a space; the words a reader sees do (``visible_words``), and
    that is the proof, on the line alone and with the space moved out of the backticks."""
    from reportls.handin.render import render_github, render_handin, visible_words

    out: list[LocalFinding] = []
    pos = 0
    fence = None
    for n, line in enumerate(chunk.split("\n")):
        start, pos = pos, pos + len(line) + 1
        f = _FENCE.match(line)
        if f:
            fence = None if fence == f.group(1)[0] else (fence or f.group(1)[0])
            continue
        if fence is not None or n < ctx_lines or "`" not in line:
            continue
        for m in _CODE_SPAN.finditer(line):
            ticks, content = m.group(1), m.group(2)
            if not content.strip():
                continue
            shown = content[1:-1] if content[0] == " " and content[-1] == " " else content
            before = line[m.start() - 1] if m.start() else " "
            after = line[m.end()] if m.end() < len(line) else " "
            lost_lead = shown[:1].isspace() and not before.isspace()
            lost_tail = shown[-1:].isspace() and not after.isspace()
            if not (lost_lead or lost_tail):
                continue
            new = (" " if lost_lead else "") + ticks + content.strip() + ticks + (" " if lost_tail else "")
            fixed = line[: m.start()] + new + line[m.end() :]
            hand, git = visible_words(render_handin(line, render_key)), visible_words(render_github(line))
            if hand == git or visible_words(render_handin(fixed, render_key)) != git \
                    or visible_words(render_github(fixed)) != git:
                continue
            edit = ((start + m.start(), start + m.end(), new),)
            out.append(LocalFinding("handin-escape", "code-space", start + m.start(), start + m.end(), "",
                                    ((KINDS["code-space"].fix, edit),), line,
                                    (("code", m.group(0)),), edit))
    return out


def _chunk_findings(chunk: str, ctx_lines: int, ctx_quoted: bool, spec_key: tuple) -> tuple[LocalFinding, ...]:
    spaced = tuple(_code_space_findings(chunk, ctx_lines, spec_key)) if "`" in chunk else ()
    found = _rendered_findings(chunk, ctx_lines, ctx_quoted, spec_key)
    return tuple(sorted(found + spaced, key=lambda f: (f.start, f.end))) if spaced else found


def _rendered_findings(chunk: str, ctx_lines: int, ctx_quoted: bool, spec_key: tuple) -> tuple[LocalFinding, ...]:
    render_key = spec_key
    if compare(chunk, render_key) == 0:
        if not ctx_lines:
            return ()
        cands = glued_candidates(Lines(chunk), ctx_lines, ctx_quoted)
        return tuple(LocalFinding(ANSWER_IN_QUOTE, c.kind, c.start, c.end, "", c.fixes, chunk[c.probe[0] : c.probe[1]],
                                  tuple(sorted(c.details.items())), c.repair)
                     for c in cands)
    tokens = parse_github(chunk)
    cands = find_candidates(chunk, tokens, ctx_lines, ctx_quoted, escaped_chars(render_key))
    if not cands:
        return ()
    out = []
    for c in proven(chunk, cands, render_key):
        p0, p1 = c.probe
        if not c.inline:
            p0 = chunk.rfind("\n", 0, p0) + 1  # whole lines: indentation is part of a block
        code = c.code
        if c.kind in GLUED and not c.details.pop("differs", False):
            code = ANSWER_IN_QUOTE  # the rest of the chunk differs, not where the answer starts
        out.append(LocalFinding(code, c.kind, c.start, c.end, "", c.fixes, chunk[p0:p1],
                                tuple(sorted(c.details.items())), c.repair))
    return tuple(out)


# ---- one answer --------------------------------------------------------------------------------

def _shift_edits(edits: tuple[ChunkEdit, ...], delta: int) -> tuple[ChunkEdit, ...]:
    return tuple((s + delta, e + delta, x) for s, e, x in edits)


def _shift(f: LocalFinding, delta: int) -> LocalFinding:
    return replace(f, start=f.start + delta, end=f.end + delta,
                   fixes=tuple((t, _shift_edits(ed, delta)) for t, ed in f.fixes),
                   repair=_shift_edits(f.repair, delta), parts=tuple((a + delta, b + delta) for a, b in f.parts))


def answer_findings(rendered: str, context_len: int, context_lines: int, quoted: bool,
                    render_key: tuple) -> tuple[LocalFinding, ...]:
    """Proven constructs of one rendered answer (cached on its text), in ``rendered`` offsets.
    An answer longer than ``MAX_ANSWER_CHARS`` or with more than ``MAX_ANSWER_BRACKETS`` "[" is
    not examined; one the renderers choke on (nesting
    deeper than Python's recursion limit) gives nothing, and the error is logged."""
    if len(rendered) > MAX_ANSWER_CHARS or rendered.count("[") > MAX_ANSWER_BRACKETS:
        return ()
    return _answers.get_or((rendered, context_len, context_lines, quoted, render_key),
                           lambda: _guarded(rendered, context_lines, quoted, render_key))


def _guarded(rendered: str, context_lines: int, quoted: bool, render_key: tuple) -> tuple[LocalFinding, ...]:
    try:
        return _compute_answer(rendered, context_lines, quoted, render_key)
    except (RecursionError, MemoryError, ValueError, IndexError, KeyError, TypeError) as exc:
        log.warning("hand-in check skipped an answer: %s", f"{type(exc).__name__}: {exc}"[:300])
        return ()


def _compute_answer(rendered: str, context_lines: int, quoted: bool, render_key: tuple) -> tuple[LocalFinding, ...]:
    lines = rendered.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found: list[LocalFinding] = []
    chunks = cut_chunks(lines, context_lines)
    for l0, l1 in chunks:
        chunk = "\n".join(lines[l0:l1])
        ctx = context_lines if l0 == 0 else 0
        local = _chunks.get_or((chunk, ctx, quoted, render_key),
                               lambda chunk=chunk, ctx=ctx: _chunk_findings(chunk, ctx, quoted, render_key))
        found.extend(_shift(f, starts[l0]) for f in local)
    risky = len(chunks) > 1 and _CUT_RISK.search(rendered, len(lines[0])) is not None
    if risky and any(f.code != ANSWER_IN_QUOTE for f in found) and compare(rendered, render_key) == 0:
        # the answer as a whole renders the same: a chunk cut made a difference that isn't there
        found = [f if f.kind not in GLUED else replace(f, code=ANSWER_IN_QUOTE) for f in found if f.kind in GLUED]
    return tuple(replace(f, message=message(f)) for f in one_per_construct(found, rendered))


# ---- one cause, one finding --------------------------------------------------------------------

def _clashing(a, b) -> bool:
    return any((s1 < e2 and s2 < e1) or (s1 == e1 == s2 == e2) for s1, e1, _ in a for s2, e2, _ in b)


def one_per_construct(found: list[LocalFinding], text: str) -> list[LocalFinding]:
    """Each construct said once: findings of one code on one span (a ``1)`` list glued to a
    paragraph is both a list after a paragraph and a ``1)`` list) become one, whose first fix does
    both repairs; the math of one line is one finding, its other formulas as ``parts``."""
    out: list[LocalFinding] = []
    by_span: dict[tuple[str, int, int], int] = {}
    math_line: dict[int, int] = {}  # line start -> index in out
    for f in found:
        key = (f.code, f.start, f.end)
        if key in by_span:
            k = by_span[key]
            out[k] = _joined(out[k], f)
            continue
        if f.kind in REPEATED:
            line = (text.rfind("\n", 0, f.start) + 1, f.code, f.kind, _kind_message(f))
            if line in math_line:
                k = math_line[line]
                g = out[k]
                fixes = g.fixes
                if g.fixes and f.fixes and not _clashing(g.fixes[0][1], f.fixes[0][1]):
                    fixes = ((_all_places(g.fixes[0][0]), g.fixes[0][1] + f.fixes[0][1]),)
                out[k] = replace(g, parts=(g.parts or ((g.start, g.end),)) + ((f.start, f.end),),
                                 repair=g.repair + f.repair, fixes=fixes if f.fixes else ())
                continue
            math_line[line] = len(out)
        by_span[key] = len(out)
        out.append(f)
    return out


REPEATED = ("math", "backslash", "strikethrough")  # inline kinds said once per line (one message each)


def _all_places(title: str) -> str:
    return title if title.endswith(" (every place on this line)") else title + " (every place on this line)"


def _joined(a: LocalFinding, b: LocalFinding) -> LocalFinding:
    """``a`` standing for ``a`` and ``b`` (one code, one span): both kinds in its details, a first fix
    doing both repairs (when they do not clash), then each one's own fixes."""
    details = dict(a.details)
    details["also"] = tuple(details.get("also", ())) + (b.kind,)
    fixes = list(a.fixes)
    if a.fixes and b.fixes and not _clashing(a.fixes[0][1], b.fixes[0][1]):
        fixes.insert(0, (f"{a.fixes[0][0]}, and {b.fixes[0][0][0].lower()}{b.fixes[0][0][1:]}",
                         a.fixes[0][1] + b.fixes[0][1]))
    fixes += [x for x in b.fixes if x not in fixes]
    repair = a.repair + (b.repair if not _clashing(a.repair, b.repair) else ())
    return replace(a, details=tuple(sorted(details.items())), fixes=tuple(fixes), repair=repair)


# ---- messages ----------------------------------------------------------------------------------

def message(f: LocalFinding) -> str:
    """What the grader will see, and how to fix it (one message for a construct of several kinds)."""
    details = dict(f.details)
    also = details.get("also", ())
    if not also:
        said = _kind_message(f)
        if len(f.parts) > 1 and f.kind != "math":
            said += f" ({len(f.parts)} places on this line.)"
        return said
    if {f.kind, *also} == {"list-after-paragraph", "paren-list"}:
        return ("`1)` numbered list right after a paragraph: the hand-in (Python-Markdown only knows `1.`, and "
                "only after a blank line) shows the items as text run into the paragraph. Put a blank line "
                "before the list and number it `1.`, `2.`, ...")
    return " ".join(_kind_message(replace(f, kind=k)) for k in (f.kind, *also))


def _kind_message(f: LocalFinding) -> str:
    """The message of ``f``'s kind (``kinds.KINDS``), with its details."""
    return KINDS[f.kind].message(Said(dict(f.details), f.code, len(f.parts)))


# ---- the report --------------------------------------------------------------------------------

def _placed(context: str, raw: str, spec: HtmlSpec) -> tuple[LocalFinding, ...]:
    """The findings of one answer, given as its context and raw text (cached on both), moved to
    offsets of the raw text (document offsets minus the answer's start), fix edits included, ready
    to be shifted to the answer's place."""
    at = make_answer_text(context, raw, 0)

    def edits_in_raw(edits: tuple[ChunkEdit, ...]) -> tuple[ChunkEdit, ...]:
        return tuple((at.to_doc(s), at.to_doc(e), t.replace("\n", "\r\n") if at.crlf else t) for s, e, t in edits)

    return tuple(LocalFinding(f.code, f.kind, at.to_doc(f.start), at.to_doc(f.end), f.message,
                               tuple((title, edits_in_raw(edits)) for title, edits in f.fixes), f.probe, f.details,
                               parts=tuple((at.to_doc(a), at.to_doc(b)) for a, b in f.parts))
                 for f in findings_of(at, spec))



def handin_findings(report: Report, spec: HtmlSpec = DEFAULT_SPEC, *,
                    pending: list[int] | None = None, memo: dict | None = None,
                    fresh: dict | None = None) -> list[Finding]:
    """Every ``handin-*`` (and ``answer-in-quote``) finding of the report, in document order,
    default severities.

    Each answer is looked up by its raw text and context first: an answer the edit did not touch
    costs a slice and a dictionary lookup, with no newline translation or rendering.  With a
    ``pending`` list, answers not in the cache are not rendered: their question numbers are
    appended to it instead.  ``memo`` is the document's previous version's answers (looked up
    before the shared cache, so that an answer of an open report is never evicted by typing
    elsewhere); ``fresh`` collects this version's, to be the next ``memo``."""
    out: list[Finding] = []
    text = report.text
    key = spec.render_key
    for q in report.questions:
        if q.answer_span is None or q.marker is None or q.answer_span.start < spec.start:
            continue
        start = q.answer_span.start
        raw = text[start : answer_end(text, q)]
        if not raw or raw.isspace():
            continue
        context = answer_context(text, q)
        cache_key = (context, raw, key)
        placed = memo.get(cache_key) if memo is not None else None
        if placed is None:
            if pending is not None and cache_key not in _placed_answers:
                pending.append(q.number)
                continue
            placed = _placed_answers.get_or(cache_key, lambda context=context, raw=raw: _placed(context, raw, spec))
        if fresh is not None:
            fresh[cache_key] = placed
        for f in placed:
            span = Span(start + f.start, start + f.end)
            payload = HandinPayload(
                f.kind, text[span.start : span.end], f.probe, key,
                tuple(Rewrite(title, tuple(TextEdit.of(start + s, start + e, t) for s, e, t in edits))
                      for title, edits in f.fixes),
                f.details)
            related = tuple((Span(start + a, start + b), f"also here: `{text[start + a : start + b]}`")
                            for a, b in f.parts)
            severity = WARNING if f.kind == "url-dashes" else DEFAULT_SEVERITY[f.code]  # a dead link on GitHub
            out.append(Finding(f.code, span, f"Question {q.number}: {f.message}",
                               severity, q.number, payload, related))
    return out


@record
class HandinCheck(ReportCheck):
    """The hand-in checks as one of ``analyze``'s extra checks.

    ``defer``: render no answer now; an answer not in the cache (the one being typed in) is left
    for later, its number listed in ``pending``, and meanwhile shows ``carry``'s findings for it
    (the previous version's, moved through the edit with ``findings.carried_over``)."""

    spec: HtmlSpec = DEFAULT_SPEC
    defer: bool = False
    carry: tuple[Finding, ...] = ()
    pending: tuple[int, ...] = ()
    memo: dict | None = None  # the document's answers of its previous version (``handin_findings``)
    fresh: dict | None = None  # filled with this version's, for the next check of the document
    name = "handin"

    def __call__(self, report: Report, view=None) -> list[Finding]:
        if not self.defer:
            return handin_findings(report, self.spec, memo=self.memo, fresh=self.fresh)
        pending: list[int] = []
        found = handin_findings(report, self.spec, pending=pending, memo=self.memo, fresh=self.fresh)
        self.pending = tuple(pending)
        if pending and self.carry:
            waiting = set(pending)
            found.extend(f for f in self.carry if f.question in waiting and is_handin_code(f.code))
        return found
