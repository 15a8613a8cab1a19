"""``features.autofix``: the edits ``reportls check --fix`` applies, as a pure function of one
analysis (figure-link fixes with one right answer, the hand-in fix-all when it ran), and
``apply_edits`` keeping CRLF."""

from reportls.analysis import analyze
from reportls.edits import TextEdit
from reportls.features.autofix import apply_edits, plan_fixes
from reportls.files.figures import FigureFolder
from reportls.report.model import Span
from tests.reportgen import make_report, words


def _report(tmp_path, extra: str):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    for name in ("a.png", "train_loss.png", "train_lost.png"):
        (reports / "figures" / name).write_bytes(b"x")
    text = make_report({7: words(60) + " " + extra})
    path = reports / "README.md"
    path.write_text(text)
    return text, analyze(text, path=path, folder=FigureFolder(reports, "figures"))


def test_real_letter_case_is_fixed(tmp_path):
    text, a = _report(tmp_path, "![x](figures/A.png)")
    plan = plan_fixes(a)
    start = text.index("figures/A.png")
    assert plan.edits == [TextEdit(Span(start, start + len("figures/A.png")), "figures/a.png")]
    assert plan.figures == [("figure-case", "figures/A.png", "figures/a.png")] and not plan.handin


def test_link_from_the_repository_root_is_rewritten(tmp_path):
    text, a = _report(tmp_path, "![x](reports/figures/a.png)")
    plan = plan_fixes(a)
    assert [(e.new_text, text[e.span.start:e.span.end]) for e in plan.edits] == [("figures/a.png",
                                                                                 "reports/figures/a.png")]


def test_several_candidates_are_never_picked(tmp_path):
    _, a = _report(tmp_path, "![x](figures/train_los.png)")
    assert [f.code for f in a.findings if f.code == "missing-figure"] == ["missing-figure"]
    assert plan_fixes(a).edits == []


def test_apply_edits_keeps_crlf():
    text = "a\r\nb\r\nc\r\n"
    assert apply_edits(text, [TextEdit(Span(3, 4), "x\ny")]) == "a\r\nx\r\ny\r\nc\r\n"
    assert apply_edits("a\nb\n", [TextEdit(Span(2, 3), "x\ny")]) == "a\nx\ny\n"
    assert apply_edits("a\r\nb\n", [TextEdit(Span(3, 4), "x\ny")]) == "a\r\nx\ny\n"  # mixed: as written
