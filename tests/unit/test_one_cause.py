"""Issue 23, items 1-6: each cause said once, in the right words, at the right weight, in report.py's
own numbering.  Each case is shaped like the real report it came from; numbers worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.reportgen import make_report, words

from reportls.analysis import Options, analyze
from reportls.cli import main
from reportls.features.actions import code_actions
from reportls.figures import FigureFolder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 30


@pytest.fixture
def reports(tmp_path) -> Path:
    d = tmp_path / "reports"
    (d / "figures").mkdir(parents=True)
    for name in ("a.png", "b.png", "c.png"):
        (d / "figures" / name).write_bytes(PNG)
    return d


def check(reports: Path, answers: dict[int, str], **kw):
    text = make_report(answers, **kw)
    (reports / "README.md").write_text(text, encoding="utf-8")
    options = Options(git=False)
    return text, analyze(text, path=reports / "README.md", options=options, folder=FigureFolder(reports))


def shown(text, findings, *codes):
    return [(f.code, f.severity, text[f.span.start : f.span.end]) for f in findings if f.code in codes]


# ---- 1. a leading "/" --------------------------------------------------------------------------

def test_leading_slash_is_a_broken_link_with_the_fix_to_drop_it(reports):
    text, a = check(reports, {19: "The pipeline:\n\n![x](/figures/a.png)\n"})
    assert shown(text, a.findings, "missing-figure", "figure-location") == [
        ("missing-figure", "error", "/figures/a.png")]
    [f] = [f for f in a.findings if f.code == "missing-figure"]
    assert f.message == ("`/figures/a.png` starts with `/`, so GitHub looks for it at the repository root and the "
                         "hand-in cannot find it: the image is broken in both. Drop the leading `/`: write "
                         "`figures/a.png`.")
    [fix] = [x for x in code_actions(a, f.span, FigureFolder(reports), [f]) if x.kind == "quickfix"]
    assert fix.title == "Drop the leading `/`: link `figures/a.png`"
    assert [e.new_text for e in fix.edits] == ["figures/a.png"]


def test_repository_root_path_stays_a_hand_in_only_break(reports):
    text, a = check(reports, {19: "![x](/reports/figures/a.png)\n"})
    [f] = [f for f in a.findings if f.code in ("missing-figure", "figure-location")]
    assert (f.code, f.data["replacement"]) == ("missing-figure", "figures/a.png")
    assert "GitHub reads it from the repository root, so the image shows there" in f.message


def test_leading_slash_to_a_file_nowhere_stays_outside(reports):
    text, a = check(reports, {19: "![x](/figures/zzz.png)\n"})
    assert [f.code for f in a.findings if f.code in ("missing-figure", "figure-location")] == ["figure-location"]


# ---- 6. report.py's own numbering --------------------------------------------------------------

def test_zero_based_report_py_lines_use_its_numbering(reports, capsys):
    shutil.copy(FIXTURES / "click_nested_jan2023.py", reports / "report.py")
    (reports / "README.md").write_text(make_report({n: words(60) for n in range(3, 28)} | {7: words(3)},
                                                   count=27), encoding="utf-8")
    code = main(["check", "--no-git", str(reports / "README.md")])
    out = capsys.readouterr().out
    lines = [line.split(": ", 1)[1] for line in out.splitlines() if line.endswith("but got 3")]
    assert code == 1
    # the seventh question (### Question 7) is report.py's "Question 6"
    assert lines == ["Question 6 failed check. Expected number of words to be between 50 and 100 but got 3"]


def test_one_based_report_py_keeps_the_heading_numbers(reports, capsys):
    shutil.copy(FIXTURES / "click_2023.py", reports / "report.py")
    (reports / "README.md").write_text(make_report({n: words(60) for n in range(3, 28)} | {7: words(3)},
                                                   count=27), encoding="utf-8")
    main(["check", "--no-git", str(reports / "README.md")])
    out = capsys.readouterr().out
    assert [line.split(": ", 1)[1].split(".")[0] for line in out.splitlines() if line.endswith("but got 3")] == [
        "Question 7 failed check"]
