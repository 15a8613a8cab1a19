"""The wide hand-in check (issue 23): over every real answer of the seeds and over answers shaped
like the real cases of issue 23, hand-in findings against what GitHub (cmark-gfm) and the hand-in
(Python-Markdown) really show, with every fix verified.

- recall and precision of "this answer has a ``handin-*`` finding" against "the two renderings
  differ" (normalised HTML, or the words a reader sees) are each at least 98%;
- every fix offered keeps the words GitHub shows, changes report.py's count exactly as its title
  says, and leaves the answer rendering the same (but for its other, flagged findings); the fix-all's
  title names every count it changes.

cmark-gfm (a test extra) has no math: answers with a math finding are left out of the comparison.
The seeds are skipped without ``../shared``; the shaped cases always run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.reportgen import make_report

from reportls.analysis import analyze
from reportls.features.handin_fixes import fix_all_action, fixes_for_analysis, title_delta
from reportls.handin.findings import answer_text, handin_findings, is_handin_code
from reportls.handin.render import render_handin, visible_words
from reportls.handin.spec import DEFAULT_SPEC
from reportls.report.parse import parse_report

cmarkgfm = pytest.importorskip("cmarkgfm")
from tests.unit.test_handin_github import apply, counts, differs, github, same_but_flagged, words  # noqa: E402

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.md")) if SHARED.is_dir() else []
MATH = ("math", "math-block")
KEY = DEFAULT_SPEC.render_key

# answers shaped like the real cases of issue 23 (question number, answer)
SHAPED = {
    5: "We use FastAPI; the API runs at http://localhost:8000/docs when started locally.\n",
    6: "We followed these steps:\n1) write the code\n2) run the tests\n3) open a pull request\n",
    7: "Our coverage is $95%$ and our accuracy $( 0.87, $)$ on the test set.\n",
    8: "The pipeline:\n\n2. build the image\n3. push it\n4. deploy it\n",
    9: "We call `{code} `whenever a sweep starts, and `make data` before it.\n",
    10: "Our CI: https://github.com/group7/mlops/actions---\n",
    11: "We used Hydra.\n\n### Configuration\n\nThe configs are:\n- model.yaml\n- train.yaml\n\nand:\n"
        "* data\n  * raw\n  * processed\n",
    12: "Tools we used: <img src=\"https://img.shields.io/badge/a-blue.svg\"> "
        "<img src=\"https://img.shields.io/badge/b-blue.svg\">\n",
    13: "We keep the code on GitHub.\n",
    15: "We use https://github[Link](.com/group7/mlops) for the repository.\n",
}


def shaped_report() -> str:
    text = make_report(SHAPED)
    glued = "> We store the data in a GCP bucket.\n> The model is versioned with DVC.\n"
    return text.replace("> Answer:\n\n" + SHAPED[13], "> Answer:\n" + glued + "\n" + SHAPED[13])


def _shown_differently(rendered: str) -> bool:
    hand, git = render_handin(rendered, KEY), github(rendered)
    return differs(rendered) > 0 or visible_words(hand) != visible_words(git)


def _documents():
    docs = [("shaped", shaped_report())]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in SEEDS]
    return docs


def test_recall_and_precision_of_handin_findings_over_every_answer():
    tp = fp = fn = 0
    misses = []
    for name, text in _documents():
        report = parse_report(text)
        by_q: dict[int, list] = {}
        for f in handin_findings(report):
            by_q.setdefault(f.question, []).append(f)
        for q in report.questions:
            at = answer_text(text, q)
            if at is None or not at.body.strip() or any(f.payload.kind in MATH for f in by_q.get(q.number, [])):
                continue
            flagged = any(f.code.startswith("handin-") for f in by_q.get(q.number, []))
            real = _shown_differently(at.rendered)
            tp += flagged and real
            fp += flagged and not real
            fn += real and not flagged
            if flagged != real:
                misses.append((name, q.number, flagged, real))
    assert tp > 0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.98 and recall >= 0.98, (precision, recall, misses)


@pytest.mark.parametrize("name,text", _documents(), ids=lambda x: x if len(x) < 40 else "text")
def test_every_fix_is_verified(name, text):
    analysis = analyze(text)
    findings = [f for f in handin_findings(analysis.report) if is_handin_code(f.code)]
    math = {f.question for f in findings if f.payload.kind in MATH}
    before = counts(text, analysis.table)
    for f in findings:
        at = answer_text(text, analysis.report.question(f.question))
        for fix in fixes_for_analysis(analysis, f):
            new = apply(text, fix.edits)
            new_at = answer_text(new, parse_report(new).question(f.question))
            where = (name, f.question, f.payload.kind, fix.title)
            assert words(new_at.rendered) == words(at.rendered), where
            assert counts(new, analysis.table)[f.question] - before[f.question] == title_delta(fix.title), where
            if f.question not in math:
                assert same_but_flagged(new, f.question), where
    action = fix_all_action(analysis.report, findings)
    if action is not None:
        import re

        new = apply(text, action.edits)
        after = counts(new, analysis.table)
        changed = {n for n in before if before[n] != after.get(n)}
        assert {int(n) for n in re.findall(r"Q(\d+) [+-]\d+ words", action.title)} == changed, action.title


def test_shaped_answers_give_the_findings_of_issue_23():
    text = shaped_report()
    report = parse_report(text)
    found = {(f.question, f.code, f.payload.kind) for f in handin_findings(report)}
    assert found == {
        (5, "handin-url", "url"),  # the link checks drop it beside link-private (test_one_cause)
        (6, "handin-list", "list-after-paragraph"),
        (7, "handin-escape", "math"),
        (8, "handin-escape", "list-start"),
        (9, "handin-escape", "code-space"),
        (10, "handin-url", "url-dashes"),
        (11, "handin-list", "list-after-paragraph"),
        (11, "handin-nested-list", "nested-items"),
        (13, "answer-in-quote", "glued"),
        (15, "handin-url", "url-glued"),  # GitHub links the whole glued string: no fix keeps its words
    }
    analysis = analyze(text)
    by_kind = {(f.question, f.payload.kind): f for f in handin_findings(report)}
    # no fix where no rewrite renders the same: the list starting at 2, the math
    assert fixes_for_analysis(analysis, by_kind[(8, "list-start")]) == []
    assert fixes_for_analysis(analysis, by_kind[(7, "math")]) == []
