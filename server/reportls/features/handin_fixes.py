"""Quick fixes for ``handin-*`` findings, as pure data, each proven by rendering.

Owns ``Fix``, ``handin_fixes``, ``fixes_for_analysis`` and ``fix_all``.  A finding's ``data["fixes"]``
lists rewrites (document edits) found with it; a rewrite becomes a ``Fix`` only when, applied to a
copy of the text, the answer renders with fewer differences and the construct is gone (no finding
of that code left where the edit was, and no new one anywhere in the answer).  Fences and
``<!-- -->`` lines are words to report.py, so a fix that changes the question's word count says so in
its title, with report.py's numbers and whether the question would then fail
("Indent the code block ... (-2 words: 101 -> 99, below 100)").

Edits are ``reportls.edits.TextEdit`` and ``Fix.to_code_action`` gives a ``CodeAction``.  It sits
with the other features (above the analysis); ``features.actions`` imports it lazily, on the first
hand-in fix asked for.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportls.edits import FIX_ALL_KIND, CodeAction, TextEdit
from reportls.findings import Finding
from reportls.handin.findings import AnswerText, answer_text, findings_of, handin_findings
from reportls.handin.render import compare
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec
from reportls.model import Report, Span
from reportls.reportpy import count_words, read_as_report_py

if TYPE_CHECKING:
    from reportls.analysis import Analysis
    from reportls.constraints.table import ConstraintTable
    from reportls.reportpy import ReportPyView



@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    finding: Finding | None = None
    preferred: bool = False
    words: tuple[int, int] | None = None  # report.py's word count of the question before/after

    def to_code_action(self) -> CodeAction:
        return CodeAction(self.title, "quickfix", self.edits, finding=self.finding, preferred=self.preferred)


def _apply(text: str, edits) -> str:
    for s, e, t in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + t + text[e:]
    return text


def _answer_after(text: str, q, edits) -> tuple[str, AnswerText | None]:
    """The text with ``edits`` applied and question ``q``'s answer in it."""
    new_text = _apply(text, edits)
    return new_text, answer_text(new_text, q, end=_new_end(q, edits))


def _new_end(q, edits) -> int:
    return q.answer_span.end + sum(len(t) - (e - s) for s, e, t in edits)


def _doc_edits(raw) -> list[tuple[int, int, str]]:
    return [(int(s), int(e), str(t)) for s, e, t in raw]


def _inside_answer(q, edits) -> bool:
    return q.answer_span is not None and all(q.answer_span.start <= s <= e <= q.answer_span.end for s, e, _ in edits)


def verify(report: Report, finding: Finding, edits, spec: HtmlSpec = DEFAULT_SPEC) -> bool:
    """Does applying ``edits`` remove ``finding``'s construct from the hand-in differences?"""
    q = report.question(finding.question) if finding.question is not None else report.question_at(finding.span.start)
    if q is None or not _inside_answer(q, edits):
        return False
    before_at = answer_text(report.text, q)
    if before_at is None:
        return False
    before = findings_of(before_at, spec)
    _, after_at = _answer_after(report.text, q, edits)
    if after_at is None:
        return False
    after = findings_of(after_at, spec)
    if len(after) >= len(before):
        return False
    d_before = compare(before_at.rendered, spec.render_key)
    d_after = compare(after_at.rendered, spec.render_key)
    if d_after > d_before or (d_after == d_before and d_before > 0 and finding.data.get("kind") not in
                              ("glued", "glued-inline")):
        return False
    # where the edits landed (document offsets after the edit)
    landed = []
    shift = 0
    for s, e, t in sorted(edits):
        landed.append((s + shift, s + shift + len(t)))
        shift += len(t) - (e - s)
    for f in after:
        if f.code != finding.code:
            continue
        fs, fe = after_at.to_doc(f.start), after_at.to_doc(f.end)
        if any(fs <= b and a <= fe for a, b in landed):
            return False
    return True


def _question_words(text: str, number: int, table: ConstraintTable | None, view: ReportPyView | None,
                    answer: str | None) -> int | None:
    if table is not None:
        if view is None:
            view = read_as_report_py(text, table.answers, click=table.click, crash_message=table.crash_message)
        if not view.crashed:
            for a in view.answers:
                if a.index == number and not a.duplicate:
                    return a.words
    return count_words(answer) if answer is not None else None


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


def handin_fixes(report: Report, finding: Finding, spec: HtmlSpec = DEFAULT_SPEC, *,
                 table: ConstraintTable | None = None, view: ReportPyView | None = None) -> list[Fix]:
    """The verified quick fixes of one ``handin-*`` finding, the first preferred.

    ``table`` (and ``view``, report.py's reading of ``report.text`` under that table, if at hand)
    give the question's word count as report.py computes it, for the titles; without them the
    change in ``split()`` words of the answer is shown.
    """
    data = finding.data or {}
    if not finding.code.startswith("handin-") or not data.get("fixes"):
        return []
    text = report.text
    if text[finding.span.start : finding.span.end] != data.get("source"):
        return []  # the text changed since the finding was made
    q = report.question(finding.question) if finding.question is not None else report.question_at(finding.span.start)
    if q is None or q.answer_span is None:
        return []
    out: list[Fix] = []
    words_before = None
    for variant in data["fixes"]:
        edits = _doc_edits(variant["edits"])
        if not verify(report, finding, edits, spec):
            continue
        new_text = _apply(text, edits)
        if words_before is None:
            words_before = _question_words(text, q.number, table, view, text[q.answer_span.start : q.answer_span.end])
        words_after = _question_words(new_text, q.number, table, None,
                                      new_text[q.answer_span.start : _new_end(q, edits)])
        note = ""
        words = None
        if words_before is not None and words_after is not None:
            note = _words_note(words_before, words_after, q.number, table)
            words = (words_before, words_after)
        out.append(Fix(variant["title"] + note, tuple(TextEdit(Span(s, e), t) for s, e, t in edits),
                       finding, preferred=not out, words=words))
    return out


def fixes_for_analysis(analysis: Analysis, finding: Finding, spec: HtmlSpec = DEFAULT_SPEC) -> list[Fix]:
    """``handin_fixes`` with the analysis's constraint table and report.py view (for the code-action feature)."""
    return handin_fixes(analysis.report, finding, spec, table=analysis.table, view=analysis.view)


def _overlap(a: tuple[TextEdit, ...], b: list[TextEdit]) -> bool:
    return any(x.span.start <= y.span.end and y.span.start <= x.span.end for x in a for y in b)


def _one_round(report: Report, findings: list[Finding], spec: HtmlSpec) -> list[tuple[int, int, str]]:
    """The preferred verified fix of every finding, combined per answer while the answer's
    differences keep going down; non-overlapping document edits."""
    by_question: dict[int, list[Fix]] = {}
    for f in sorted(findings, key=lambda f: f.span.start):
        if f.question is None:
            continue
        fixes = handin_fixes(report, f, spec)
        if fixes:
            by_question.setdefault(f.question, []).append(fixes[0])
    chosen: list[tuple[int, int, str]] = []
    for number, fixes in by_question.items():
        q = report.question(number)
        at = answer_text(report.text, q) if q is not None else None
        if at is None:
            continue
        best = len(findings_of(at, spec))
        kept: list[TextEdit] = []
        for fix in fixes:
            if _overlap(fix.edits, kept):
                continue
            trial = kept + list(fix.edits)
            _, after = _answer_after(report.text, q, [(e.span.start, e.span.end, e.new_text) for e in trial])
            n = len(findings_of(after, spec)) if after else best
            if n < best:
                kept, best = trial, n
        chosen.extend((e.span.start, e.span.end, e.new_text) for e in kept)
    return chosen


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


def fix_all(report: Report, findings: list[Finding], spec: HtmlSpec = DEFAULT_SPEC, *,
            rounds: int = 4) -> list[TextEdit]:
    """Non-overlapping edits applying every verified ``handin-*`` fix in one go
    (``source.fixAll.reportls``).  Fixing one construct can reveal another (a fence that split two
    lists): up to ``rounds`` passes, each re-rendered and re-checked, then one line diff against the
    original text."""
    from reportls.parse import parse_report

    text = report.text
    current, current_findings = report, [f for f in findings if f.code.startswith("handin-")]
    for _ in range(rounds):
        edits = _one_round(current, current_findings, spec)
        if not edits:
            break
        text = _apply(text, edits)
        current = parse_report(text)
        current_findings = handin_findings(current, spec)
    if text == report.text:
        return []
    return _line_diff(report.text, text)


def fix_all_action(report: Report, findings: list[Finding], spec: HtmlSpec = DEFAULT_SPEC) -> CodeAction | None:
    """``fix_all`` as one ``CodeAction`` of kind ``source.fixAll.reportls`` (None: nothing to fix)."""
    edits = fix_all(report, findings, spec)
    if not edits:
        return None
    return CodeAction("Fix what renders differently in the hand-in", FIX_ALL_KIND, tuple(edits))
