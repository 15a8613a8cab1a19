"""The hand-in promises (README, "What the grader sees") on the real reports, checked with GitHub's own renderer.

The product's GitHub side is markdown-it-py (pure Python, bundled into the VS Code extension); here
the GitHub side is ``cmarkgfm`` (cmark-gfm, the C library GitHub renders with: the GFM extensions,
raw HTML as GitHub passes it), a test-only dependency.  Over ``../shared/seeds`` (skipped when it
is absent), every answer rendered whole, after its ``> Answer:`` line:

- no false alarms: every answer with a ``handin-*`` finding renders differently, and every answer
  that renders differently has one;
- no failed fixes: after each fix alone and after the fix-all, the answer renders the same in the
  hand-in and on GitHub (but for what its remaining, flagged findings explain, each neutralised by
  its own repair), GitHub shows the same words as before, and report.py's count changes exactly as
  the title says;
- the fix-all leaves no flagged answer alone that a single fix could fix, and leaves nothing for a
  second run;
- markdown-it and cmark-gfm read every answer, and every fixed answer, the same (normalised).

cmark-gfm has no math (GitHub adds ``$...$`` after cmark): an answer with a math finding is not
compared here (the seeds have none).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportls.analysis import analyze
from reportls.features.handin_fixes import (
    _neutralised,
    _state,
    fix_all,
    fix_all_action,
    fixes_for_analysis,
    title_delta,
)
from reportls.handin.findings import answer_text, handin_findings, is_handin_code
from reportls.handin.render import difference, normalise, render_github, render_handin, visible_words
from reportls.handin.spec import DEFAULT_SPEC
from reportls.report.parse import parse_report
from reportls.report.reportpy import read_as_report_py

cmarkgfm = pytest.importorskip("cmarkgfm")
from cmarkgfm.cmark import Options  # noqa: E402

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.md")) if SHARED.is_dir() else []
TEMPLATES = sorted((SHARED / "templates").glob("*.md")) if SHARED.is_dir() else []
needs_seeds = pytest.mark.skipif(not SEEDS, reason="../shared/seeds not available")
GFM = ["table", "autolink", "tagfilter", "strikethrough", "tasklist"]
MATH = ("math", "math-block")
KEY = DEFAULT_SPEC.render_key


def github(text: str) -> str:
    """GitHub's HTML (cmark-gfm with GitHub's extensions; raw HTML kept, as GitHub keeps it)."""
    return cmarkgfm.markdown_to_html_with_extensions(text, options=Options.CMARK_OPT_UNSAFE, extensions=GFM)


def differs(text: str) -> int:
    return difference(normalise(render_handin(text, KEY)), normalise(github(text)))


def words(text: str) -> tuple[str, ...]:
    return visible_words(github(text))


def apply(text: str, edits) -> str:
    spans = sorted((e.span.start, e.span.end) for e in edits)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), "overlapping edits"
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text


def counts(text: str, table) -> dict[int, int]:
    """report.py's word count of each question's answer (by its marker)."""
    view = read_as_report_py(text, table.answers, click=table.click)
    by_marker = {a.marker: a.words for a in reversed(view.answers) if not a.duplicate}
    return {q.number: by_marker[q.marker] for q in parse_report(text).questions if q.marker in by_marker}


def same_but_flagged(text: str, number: int) -> bool:
    """The answer renders the same with cmark-gfm once its remaining findings are neutralised."""
    state = _state(text, parse_report(text).question(number), DEFAULT_SPEC)
    return differs(_neutralised(state, DEFAULT_SPEC)) == 0


def seed_case(path: Path):
    text = path.read_text(encoding="utf-8")
    analysis = analyze(text)
    findings = [f for f in handin_findings(analysis.report) if is_handin_code(f.code)]
    by_q: dict[int, list] = {}
    for f in findings:
        by_q.setdefault(f.question, []).append(f)
    return text, analysis, findings, by_q


def compared(by_q, number: int) -> bool:
    return not any(f.payload.kind in MATH for f in by_q.get(number, []))


@needs_seeds
@pytest.mark.parametrize("path", SEEDS + TEMPLATES, ids=lambda p: p.parent.name + "/" + p.name)
def test_markdown_it_reads_every_answer_as_cmark_gfm_does(path):
    text = path.read_text(encoding="utf-8")
    report = parse_report(text)
    for q in report.questions:
        at = answer_text(text, q)
        if at is not None:
            assert normalise(render_github(at.rendered)) == normalise(github(at.rendered)), q.number


@needs_seeds
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_no_false_alarms_and_nothing_missed(path):
    text, analysis, _, by_q = seed_case(path)
    for q in analysis.report.questions:
        at = answer_text(text, q)
        if at is None or not at.body.strip() or not compared(by_q, q.number):
            continue
        flagged = [f for f in by_q.get(q.number, []) if f.code.startswith("handin-")]
        assert bool(flagged) == (differs(at.rendered) > 0), (q.number, [f.payload.kind for f in flagged])


@needs_seeds
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_fix_alone_renders_the_same_and_keeps_githubs_words(path):
    text, analysis, findings, by_q = seed_case(path)
    before = counts(text, analysis.table)
    for f in findings:
        fixes = fixes_for_analysis(analysis, f)
        # on the seeds every finding that has a rewrite has one that passes
        assert bool(fixes) == bool(f.payload.fixes), (f.question, f.payload.kind)
        if not compared(by_q, f.question):
            continue
        at = answer_text(text, analysis.report.question(f.question))
        for fix in fixes:
            new = apply(text, fix.edits)
            new_at = answer_text(new, parse_report(new).question(f.question))
            where = (f.question, f.payload.kind, fix.title)
            assert words(new_at.rendered) == words(at.rendered), where
            assert counts(new, analysis.table)[f.question] - before[f.question] == title_delta(fix.title), where
            assert same_but_flagged(new, f.question), where
            assert normalise(render_github(new_at.rendered)) == normalise(github(new_at.rendered)), where


@needs_seeds
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_fix_all_renders_the_same_and_leaves_nothing_fixable(path):
    text, analysis, findings, by_q = seed_case(path)
    report = analysis.report
    action = fix_all_action(report, findings)
    assert action is not None and list(action.edits) == fix_all(report, findings)
    new = apply(text, action.edits)
    new_report = parse_report(new)
    before, after = counts(text, analysis.table), counts(new, analysis.table)
    changed = {n for n in before if before[n] != after.get(n)}
    # the title names every count it changes
    assert {int(n) for n in _title_questions(action.title)} == changed
    for number in by_q:
        old_at = answer_text(text, report.question(number))
        new_at = answer_text(new, new_report.question(number))
        if new_at.body == old_at.body:
            # left alone only when no single fix was offered
            assert not any(fixes_for_analysis(analysis, f) for f in by_q[number]), number
            continue
        if not compared(by_q, number):
            continue
        assert words(new_at.rendered) == words(old_at.rendered), number
        assert same_but_flagged(new, number), number
        assert normalise(render_github(new_at.rendered)) == normalise(github(new_at.rendered)), number
    left = [f for f in handin_findings(new_report) if is_handin_code(f.code)]
    assert fix_all(new_report, left) == []


def _title_questions(title: str) -> list[str]:
    import re

    return re.findall(r"Q(\d+) [+-]\d+ words", title)
