"""Quick fixes for the hand-in findings (``handin-*``, ``answer-in-quote``), as pure data, each
proven by rendering the whole answer in its place.

Owns ``Fix``, ``handin_fixes``, ``fixes_for_analysis``, ``fix_all`` and ``fix_all_action``.  A
finding's ``HandinPayload.fixes`` lists rewrites (``Rewrite``: document edits) found with it; a rewrite becomes a
``Fix`` only when, applied to a copy of the text, the whole answer (after its ``> Answer:`` line,
not only the chunk the edit touched) passes ``_verified``:

- it renders the same in the hand-in and on GitHub, once the answer's other findings are
  neutralised by their own repairs (a fix of one fence is not blamed for the next fence);
- GitHub shows the same words as before the fix (``render.visible_words``; images by source);
- the construct is gone (one finding of its kind fewer, none of its code where the edit landed) and
  the answer has no more findings than before (a fix may uncover what the construct hid: the
  ``1)`` list of an answer glued to ``> Answer:``, flagged then in its turn);
- report.py's count changes exactly as the title says: the title's note is report.py's own count of
  that answer (``reportpy.read_as_report_py``) before and after, and a title that promises "count
  unchanged" is dropped if it is not.

Fences and ``<!-- -->`` lines are words to report.py, so a fix that changes the question's word count
says so in its title, with report.py's numbers and whether the question would then fail
("Indent the code block ... (-2 words: 101 -> 99, below 100)").  The fix-all applies, answer by
answer, every fix that keeps the answer verified (the same checks, against the answer as it was
before the fix-all), then looks again (a fix can reveal another construct).  It is computed when a
code action is asked for, never per keystroke.

Edits are ``reportls.edits.TextEdit`` and ``Fix.to_code_action`` gives a ``CodeAction``.  It sits
with the other features (above the analysis); ``features.actions`` imports it lazily, on the first
hand-in fix asked for.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from reportls.text.records import record
from typing import TYPE_CHECKING

from reportls.edits import FIX_ALL_KIND, CodeAction, TextEdit, apply_edits
from reportls.findings import Finding, HandinPayload
from reportls.handin.findings import (
    AnswerText,
    LocalFinding,
    answer_end,
    answer_findings,
    answer_text,
    findings_of,
    handin_findings,
    is_handin_code,
)
from reportls.handin.render import compare, render_github, visible_words
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec
from reportls.report.model import Question, Report, Span
from reportls.report.reportpy import read_as_report_py

if TYPE_CHECKING:
    from reportls.analysis import Analysis
    from reportls.constraints.table import ConstraintTable
    from reportls.report.reportpy import ReportPyView

__all__ = ["FIX_ALL_KIND", "Fix", "fix_all", "fix_all_action", "fixes_for_analysis", "handin_fixes"]
SAME_COUNT = "(report.py's count unchanged)"  # a title's promise, checked


@record(frozen=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    finding: Finding | None = None
    preferred: bool = False
    words: tuple[int, int] | None = None  # report.py's word count of the answer before/after

    def to_code_action(self) -> CodeAction:
        return CodeAction(self.title, "quickfix", self.edits, finding=self.finding, preferred=self.preferred)


def _apply_repairs(text: str, edits) -> str:
    """A rendered answer with repairs (``(start, end, new text)`` in its own offsets) applied."""
    for s, e, t in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + t + text[e:]
    return text


def _new_end(text: str, q: Question, edits: list[TextEdit]) -> int:
    """Where the answer the page shows ends after ``edits`` (``answer_end`` moved by them)."""
    return answer_end(text, q) + sum(len(e.new_text) - (e.span.end - e.span.start) for e in edits)


def _inside_answer(text: str, q: Question, edits: list[TextEdit]) -> bool:
    if q.answer_span is None:
        return False
    end = answer_end(text, q)
    return all(q.answer_span.start <= e.span.start <= e.span.end <= end for e in edits)


def _clash(s1: int, e1: int, s2: int, e2: int) -> bool:
    """Two edits that cannot both be applied: overlapping ranges, an insertion inside the other's
    range, or two insertions at one place (their order would be a guess).  Touching is fine."""
    return (s1 < e2 and s2 < e1) or (s1 == e1 == s2 == e2)


def _overlapping(a, b) -> bool:
    """Repairs (``(start, end, new text)``) that clash."""
    return any(_clash(s1, e1, s2, e2) for s1, e1, _ in a for s2, e2, _ in b)


def _clashing(a: list[TextEdit], b: list[TextEdit]) -> bool:
    return any(_clash(x.span.start, x.span.end, y.span.start, y.span.end) for x in a for y in b)


def _landed(edits: list[TextEdit]) -> list[tuple[int, int]]:
    """Where the edits' new text lies in the edited text."""
    out = []
    shift = 0
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        out.append((e.span.start + shift, e.span.start + shift + len(e.new_text)))
        shift += len(e.new_text) - (e.span.end - e.span.start)
    return out


# ---- one answer, rendered whole --------------------------------------------------------------

@record(frozen=True)
class _Answer:
    """One answer as rendered in its place (its ``> Answer:`` context and all of its text), with
    its findings."""

    at: AnswerText
    local: tuple[LocalFinding, ...]


def _state(text: str, q: Question, spec: HtmlSpec, end: int | None = None) -> _Answer | None:
    at = answer_text(text, q, end=end)
    if at is None:
        return None
    return _Answer(at, findings_of(at, spec))


NEUTRALISE_PASSES = 3


def _neutralised(a: _Answer, spec: HtmlSpec = DEFAULT_SPEC) -> str:
    """The answer's rendered text with its findings' repairs applied: every repair that does not
    clash with another at once, then those of the findings left (looked for again), a few passes."""
    text = a.at.rendered
    local = a.local
    context = a.at.context
    quoted = context.split("\n")[-1].lstrip().startswith(">")
    for _ in range(NEUTRALISE_PASSES):
        edits: list = []
        for f in local:
            if f.repair and not _overlapping(f.repair, edits):
                edits.extend(f.repair)
        if not edits:
            break
        text = _apply_repairs(text, edits)
        if compare(text, spec.render_key) == 0:
            break
        local = answer_findings(text, len(context), context.count("\n") + 1, quoted, spec.render_key)
    return text


def renders_same(a: _Answer, spec: HtmlSpec) -> bool:
    """The whole answer renders the same both ways, but for what its remaining findings explain."""
    return compare(_neutralised(a, spec), spec.render_key) == 0


def github_words(at: AnswerText) -> tuple[str, ...]:
    """The words GitHub shows for the whole answer (its context included)."""
    return visible_words(render_github(at.rendered))


def _verified(words_before: tuple[str, ...], before: tuple[LocalFinding, ...], after: _Answer,
              fixed: list[tuple[str, str]], landed: list[tuple[int, int]], spec: HtmlSpec) -> bool:
    """Is the answer ``after`` (``fixed``: the (code, kind) of each finding its edits fix, ``landed``:
    where they landed) a verified fix of the answer whose findings were ``before``?"""
    if len(after.local) > len(before):
        return False  # a fix may reveal what the construct hid (a "1)" list in the quote), no more
    had = Counter((f.code, f.kind) for f in before)
    has = Counter((f.code, f.kind) for f in after.local)
    if any(has[k] > had[k] - n for k, n in Counter(fixed).items()):
        return False  # the construct is still there
    codes = {code for code, _ in fixed}
    for f in after.local:
        if f.code in codes:
            fs, fe = after.at.to_doc(f.start), after.at.to_doc(f.end)
            if any(fs <= b and a <= fe for a, b in landed):
                return False
    return github_words(after.at) == words_before and renders_same(after, spec)


# ---- report.py's count -----------------------------------------------------------------------

def _counted_words(text: str, q: Question, table: ConstraintTable | None,
                   view: ReportPyView | None = None) -> int | None:
    """report.py's word count of the answer after ``q``'s marker (None: report.py does not count it)."""
    if view is None:
        view = read_as_report_py(text, table.answers if table is not None else 0,
                                 click=table.click if table is not None else False)
    for a in view.answers:
        if a.marker == q.marker and not a.duplicate:
            return a.words
    for a in view.answers:
        if a.marker == q.marker:
            return a.words
    return None


def _words_note(before: int, after: int, number: int, table: ConstraintTable | None) -> str:
    delta = after - before
    if delta == 0:
        return ""
    sign = f"{delta:+d}"
    c = table.constraint(number) if table is not None else None
    if c is None or not c.has_words:
        return f" ({sign} words)"
    status = ""
    if after < c.min_words:
        status = f", below {c.min_words}" if before >= c.min_words else f", still below {c.min_words}"
    elif after > c.max_words:
        status = f", above {c.max_words}" if before <= c.max_words else f", still above {c.max_words}"
    elif not c.words_ok(before):
        status = f", now within {c.min_words}-{c.max_words}"
    return f" ({sign} words: {before} -> {after}{status})"


def title_delta(title: str) -> int:
    """The change in report.py's count a fix's title promises (0 when it names none)."""
    m = re.search(r"\(([+-]\d+) words", title)
    return int(m.group(1)) if m else 0


# ---- single fixes ----------------------------------------------------------------------------

def _question_of(report: Report, finding: Finding) -> Question | None:
    if finding.question is not None:
        return report.question(finding.question)
    return report.question_at(finding.span.start)


def handin_fixes(report: Report, finding: Finding, spec: HtmlSpec = DEFAULT_SPEC, *,
                 table: ConstraintTable | None = None, view: ReportPyView | None = None) -> list[Fix]:
    """The verified quick fixes of one hand-in finding, the first preferred.

    ``table`` (and ``view``, report.py's reading of ``report.text`` under that table, if at hand)
    give the question's bounds for the titles; the counts are report.py's in any case.
    """
    payload = finding.payload
    if not is_handin_code(finding.code) or not isinstance(payload, HandinPayload) or not payload.fixes:
        return []
    text = report.text
    if text[finding.span.start : finding.span.end] != payload.source:
        return []  # the text changed since the finding was made
    q = _question_of(report, finding)
    if q is None or q.answer_span is None:
        return []
    before = _state(text, q, spec)
    if before is None:
        return []
    words_before = github_words(before.at)
    out: list[Fix] = []
    count_before: int | None = None
    counted = False
    for variant in payload.fixes:
        edits = list(variant.edits)
        if not _inside_answer(text, q, edits):
            continue
        new_text = apply_edits(text, edits)
        after = _state(new_text, q, spec, end=_new_end(text, q, edits))
        fixed = [(finding.code, payload.kind)]
        if after is None or not _verified(words_before, before.local, after, fixed, _landed(edits), spec):
            continue
        if not counted:
            count_before, counted = _counted_words(text, q, table, view), True
        count_after = _counted_words(new_text, q, table)
        title = _titled(variant.title, count_before, count_after, q.number, table)
        if title is None:
            continue
        words = (count_before, count_after) if count_before is not None and count_after is not None else None
        out.append(Fix(title, variant.edits, finding,
                       preferred=not out, words=words))
    return out


def _titled(title: str, before: int | None, after: int | None, number: int,
            table: ConstraintTable | None) -> str | None:
    """The title with report.py's count change; None when the title promises what is not so."""
    delta = (after or 0) - (before or 0)
    if SAME_COUNT in title and delta != 0:
        return None
    if before is None or after is None:
        return title if delta == 0 else None
    return title + _words_note(before, after, number, table)


def fixes_for_analysis(analysis: Analysis, finding: Finding, spec: HtmlSpec = DEFAULT_SPEC) -> list[Fix]:
    """``handin_fixes`` with the analysis's constraint table and report.py view (for the code-action feature)."""
    return handin_fixes(analysis.report, finding, spec, table=analysis.table, view=analysis.view)


# ---- fix all ---------------------------------------------------------------------------------

def _fix_answer(text: str, q: Question, findings: list[Finding], words_before: tuple[str, ...],
                spec: HtmlSpec) -> list[TextEdit]:
    """Edits applying as many of one answer's fixes as keep it verified (each fix tried on top of
    those already taken, until none more can be taken)."""
    current = _state(text, q, spec)
    if current is None:
        return []
    taken: list[TextEdit] = []
    fixed: list[tuple[str, str]] = []
    left = [f for f in findings if isinstance(f.payload, HandinPayload) and f.payload.fixes
            and text[f.span.start : f.span.end] == f.payload.source]
    progress = True
    while progress and left:
        progress = False
        for f in list(left):
            for variant in f.payload.fixes:
                edits = list(variant.edits)
                if not _inside_answer(text, q, edits) or _clashing(edits, taken):
                    continue
                if SAME_COUNT in variant.title and not _same_count(text, q, edits):
                    continue
                trial = taken + edits
                after = _state(apply_edits(text, trial), q, spec, end=_new_end(text, q, trial))
                ck = (f.code, f.payload.kind)
                if after is not None and _verified(words_before, current.local, after, [*fixed, ck],
                                                   _landed(trial), spec):
                    taken = trial
                    fixed.append(ck)
                    left.remove(f)
                    progress = True
                    break
    return taken


def _same_count(text: str, q: Question, edits) -> bool:
    new_text = apply_edits(text, edits)
    return _counted_words(text, q, None) == _counted_words(new_text, q, None)


def fix_all(report: Report, findings: list[Finding], spec: HtmlSpec = DEFAULT_SPEC, *,
            rounds: int = 4) -> list[TextEdit]:
    """Non-overlapping edits applying every verified hand-in fix in one go
    (``source.fixAll.reportls``).  Fixing one construct can reveal another (a fence that split two
    lists): up to ``rounds`` passes, each re-rendered and re-checked, every answer always against
    GitHub's words before the first pass; then one line diff against the original text."""
    from reportls.report.parse import parse_report

    text = report.text
    current = report
    pending = [f for f in findings if is_handin_code(f.code) and not _private_url(f)]
    original_words: dict[int, tuple[str, ...]] = {}
    for _ in range(rounds):
        by_question: dict[int, list[Finding]] = {}
        for f in sorted(pending, key=lambda f: f.span.start):
            if f.question is not None and isinstance(f.payload, HandinPayload) and f.payload.fixes:
                by_question.setdefault(f.question, []).append(f)
        edits: list[TextEdit] = []
        for number, fs in by_question.items():
            q = current.question(number)
            if q is None or q.answer_span is None:
                continue
            if number not in original_words:
                at = answer_text(text, q)
                if at is None:
                    continue
                original_words[number] = github_words(at)
            edits.extend(_fix_answer(text, q, fs, original_words[number], spec))
        if not edits:
            break
        text = apply_edits(text, edits)
        current = parse_report(text)
        pending = [f for f in handin_findings(current, spec) if not _private_url(f)]
    if text == report.text:
        return []
    return _line_diff(report.text, text)


def _private_url(f: Finding) -> bool:
    """A bare URL only the group can open (``link-private`` says so): not made a link by a fix."""
    from reportls.checks.links import private_host

    p = f.payload
    return (f.code == "handin-url" and isinstance(p, HandinPayload)
            and bool(private_host(str(p.detail("href") or p.detail("url") or ""))))


def _line_diff(old: str, new: str) -> list[TextEdit]:
    """Edits turning ``old`` into ``new``, one per changed run of lines."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [TextEdit(Span(starts[i1], starts[i2]), "".join(b[j1:j2]))
            for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def count_changes(old: Report, new_text: str) -> list[tuple[int, int, int]]:
    """(question, report.py's count before, after) of every answer whose count the edit changes."""
    from reportls.report.parse import parse_report

    new = parse_report(new_text)
    old_view = read_as_report_py(old.text, 0)
    new_view = read_as_report_py(new_text, 0)
    out = []
    for q in old.questions:
        nq = new.question(q.number)
        if q.marker is None or nq is None or nq.marker is None:
            continue
        a, b = _counted_words(old.text, q, None, old_view), _counted_words(new_text, nq, None, new_view)
        if a is not None and b is not None and a != b:
            out.append((q.number, a, b))
    return out


def fix_all_action(report: Report, findings: list[Finding], spec: HtmlSpec = DEFAULT_SPEC) -> CodeAction | None:
    """``fix_all`` as one ``CodeAction`` of kind ``source.fixAll.reportls`` (None: nothing to fix);
    the title names every question whose report.py count it changes."""
    edits = fix_all(report, findings, spec)
    if not edits:
        return None
    title = "Fix what renders differently in the hand-in"
    new_text = apply_edits(report.text, edits)
    changes = count_changes(report, new_text)
    if changes:
        title += " (" + ", ".join(f"Q{n} {b - a:+d} words" for n, a, b in changes) + ")"
    return CodeAction(title, FIX_ALL_KIND, tuple(edits))
