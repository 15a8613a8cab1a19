"""Every feature on the real seed reports and blank templates in ../shared: no errors, sane output.
Skips when ../shared is absent."""

import os
import re
import shutil
from pathlib import Path

import pytest

from reportls import features
from reportls.analysis import analyze
from reportls.files.figures import FigureFolder
from reportls.report.model import Span

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
REPORTS = (
    sorted((SHARED / "seeds").glob("*.md")) + sorted((SHARED / "templates").glob("*.md"))
    if SHARED.is_dir()
    else []
)


@pytest.mark.skipif(not REPORTS, reason="../shared/seeds not available")
@pytest.mark.parametrize("seed", REPORTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_features_on_real_reports(seed, tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    path = reports / "README.md"
    shutil.copy(seed, path)
    text = path.read_text(encoding="utf-8")
    a = analyze(text, path=path)
    folder = FigureFolder(reports)
    assert a.report.is_report

    for q in a.report.questions:
        for off in [q.heading.span.start] + [
            s.start for s in (q.prompt_span, q.answer_span) if s is not None
        ]:
            h = features.hover(a, off, folder)
            assert h is not None and h.markdown.startswith(f"### Question {q.number}")
            assert h.span.start <= off <= h.span.end
    for f in a.report.figures:
        h = features.hover(a, f.span.start, folder)
        assert h.span == f.span
        features.definition(a, f.span.start, folder)
        features.complete(a, f.dest_span.end, folder)

    hints = features.inlay_hints(a)
    assert len(hints) == sum(1 for q in a.report.questions if q.markers)
    assert all(text[h.offset - len("Answer:") : h.offset] == "Answer:" for h in hints)
    lens, checklist_lens = features.code_lenses(a)
    assert lens.title.endswith("questions pass") or lens.title.startswith("report.py check will crash")
    assert re.fullmatch(r"Checklist: \d+/\d+ done", checklist_lens.title)

    symbols = features.document_symbols(a)
    names = [c.name for s in symbols for c in s.children] + [s.name for s in symbols if s.kind == "question"]
    assert sorted(names) == sorted(f"Question {q.number}" for q in a.report.questions)
    assert len(features.folding_ranges(a)) >= len(a.report.questions)
    assert features.document_links(a, folder) == []  # the figures folder is empty here

    for f in a.findings:
        for action in features.code_actions(a, f.span, folder):
            for e in action.edits:
                assert 0 <= e.span.start <= e.span.end <= len(text)
    for off in range(0, len(text), 997):
        features.hover(a, off, folder)
        features.complete(a, off, folder)
        features.code_actions(a, Span(off, off), folder)
