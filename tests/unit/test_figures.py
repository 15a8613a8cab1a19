"""Resolving figure links against the real directory listing."""

import os

import pytest

from reportls.files.figures import FigureFolder
from reportls.findings import MisplacedFigure, Replacement


@pytest.fixture
def folder(tmp_path):
    reports = tmp_path / "repo" / "reports"
    (reports / "figures" / "sub").mkdir(parents=True)
    for name in ("a.png", "my plot.png", "WanDB.png", "sub/deep.jpg", "notes.txt"):
        (reports / "figures" / name).write_bytes(b"x")
    (reports / "image.png").write_bytes(b"x")
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "s.png").write_bytes(b"x")
    os.symlink(outside, reports / "figures" / "link")
    return FigureFolder(reports)


def test_ok_and_case_and_missing(folder):
    assert folder.resolve("figures/a.png").status == "ok"
    r = folder.resolve("Figures/A.PNG")
    assert (r.status, r.actual) == ("case", "figures/a.png")
    r = folder.resolve("figures/wandb.png")
    assert (r.status, r.actual) == ("case", "figures/WanDB.png")
    assert folder.resolve("figures/nope.png").status == "missing"
    assert folder.resolve("figures/sub").status == "missing"  # a folder is not a figure


def test_encoded_and_angle_names(folder):
    assert folder.resolve("figures/my%20plot.png").status == "ok"
    assert folder.resolve("figures/my plot.png").status == "ok"
    assert folder.resolve("./figures/sub/deep.jpg").status == "ok"


def test_repo_relative_and_outside(folder):
    r = folder.resolve("reports/figures/a.png")
    assert (r.status, r.actual) == ("repo-relative", "figures/a.png")
    r = folder.resolve("/reports/figures/a.png")
    assert (r.status, r.actual) == ("repo-relative", "figures/a.png")
    assert folder.resolve("../../secret/s.png").status == "outside"
    assert folder.resolve("/etc/passwd").status == "outside"
    assert folder.resolve("https://x.org/a.png").status == "url"


def test_symlink_outside_not_followed(folder):
    assert folder.resolve("figures/link/s.png").status == "missing"
    assert "figures/link/s.png" not in folder.figure_files()


def test_figure_files_recursive_sorted(folder):
    assert folder.figure_files() == [
        "figures/WanDB.png", "figures/a.png", "figures/my plot.png", "figures/notes.txt", "figures/sub/deep.jpg",
    ]
    assert folder.entries("..") is None


def test_did_you_mean_typos_and_noise():
    from reportls.files.figures import closest_names

    shots = [f"figures/fig_{i:03d}.png" for i in range(500)]
    assert closest_names("figures/wnadb.png", ["figures/wandb.png", *shots]) == ["figures/wandb.png"]
    assert closest_names("figures/Loss_Curve.PNG", ["figures/loss_curve.png", "figures/arch.png"]) == \
        ["figures/loss_curve.png"]
    assert closest_names("figures/wandb_missing_3.png", shots) == []
    assert closest_names("figures/fig_01.png", shots)[:1] == ["figures/fig_001.png"]


def test_keystrokes_do_not_rescore_the_folder(tmp_path, monkeypatch):
    """Issue 11: each re-check used to score every missing link against every file.  Suggestions
    and resolutions are computed once per listing; only a watcher event (invalidate) recomputes."""
    from reportls.files import figures
    from reportls.analysis import analyze
    from tests.reportgen import make_report

    (tmp_path / "figures").mkdir()
    for i in range(50):
        (tmp_path / "figures" / f"shot_{i:02d}.png").write_bytes(b"x")
    calls = []
    real = figures.NameIndex.closest
    monkeypatch.setattr(figures.NameIndex, "closest", lambda self, t, limit=3: calls.append(t) or real(self, t, limit))
    folder = figures.FigureFolder(tmp_path)
    text = make_report({19: "![a](figures/missing_a.png)", 20: "![b](figures/missing_b.png)"})
    for k in range(5):  # five keystrokes
        analyze(text + "x" * k, path=tmp_path / "README.md", folder=folder)
    assert sorted(calls) == ["figures/missing_a.png", "figures/missing_b.png"]
    folder.invalidate()
    analyze(text, path=tmp_path / "README.md", folder=folder)
    assert len(calls) == 4


# Issue 18, item 7: defects of the figure checks, each seen in real reports.


@pytest.fixture
def reports(tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "images").mkdir()
    for name in ("x.png", "cloud bill.png"):
        (reports / "figures" / name).write_bytes(b"x")
    (reports / "images" / "x.png").write_bytes(b"x")
    return reports


def figure_findings_of(answer, reports):
    from reportls.checks import figure_findings
    from reportls.report.parse import parse_report
    from tests.reportgen import make_report

    text = make_report({19: answer})
    return text, list(figure_findings(parse_report(text), FigureFolder(reports)))


def test_leading_slash_works_on_github_and_breaks_only_in_the_hand_in(reports):
    text, [f] = figure_findings_of("![x](/reports/figures/x.png)", reports)
    assert (f.code, f.severity, f.payload) == ("missing-figure", "error", Replacement("figures/x.png"))
    assert text[f.span.start : f.span.end] == "/reports/figures/x.png"
    assert f.message == (
        "`/reports/figures/x.png` starts with `/`: GitHub reads it from the repository root, so the image shows "
        "there, but the hand-in has only the report's folder and the image is broken: write `figures/x.png`."
    )


def test_encoded_backslash_is_not_a_folder_separator(reports):
    assert FigureFolder(reports).resolve("figures%5Cx.png").status == "missing"
    assert FigureFolder(reports).resolve("figures\\x.png").status == "ok"  # a typed \ is read as / by browsers
    text, [f] = figure_findings_of("![x](figures%5Cx.png)", reports)
    assert (f.code, f.severity, f.payload) == ("missing-figure", "error", Replacement("figures/x.png"))
    assert text[f.span.start : f.span.end] == "figures%5Cx.png"
    assert f.message == (
        "`figures%5Cx.png` has an encoded backslash (`%5C`), which GitHub and browsers keep as part of the "
        "file name, not as a folder separator: the image is broken on GitHub and in the hand-in. "
        "Write `figures/x.png`."
    )


def test_unencoded_space_is_flagged_with_an_angle_bracket_fix(reports):
    text, [f] = figure_findings_of("Our bill: ![x](figures/cloud bill.png) and ![y](<figures/cloud bill.png>)", reports)
    assert (f.code, f.severity, f.payload) == ("figure-syntax", "warning", Replacement("<figures/cloud bill.png>"))
    assert text[f.span.start : f.span.end] == "figures/cloud bill.png"
    assert f.question == 19
    assert f.message == (
        "`figures/cloud bill.png` has a space: GitHub does not read this as an image and shows the text "
        "instead (the hand-in shows the image). Write `<figures/cloud bill.png>` (or `%20` for the space)."
    )


def test_unencoded_space_in_code_or_missing_file(reports):
    assert figure_findings_of("`![x](figures/cloud bill.png)`", reports)[1] == []
    _, found = figure_findings_of("![x](figures/no such.png)", reports)
    assert [f.code for f in found] == ["figure-syntax", "missing-figure"]


def test_figure_in_another_folder_under_reports_is_information(reports):
    text, [f] = figure_findings_of("![x](images/x.png)", reports)
    assert (f.code, f.severity) == ("figure-location", "information")
    assert f.payload == MisplacedFigure("images/x.png", "figures/x.png")
    assert f.message == (
        "`images/x.png` is not in the report's `figures/` folder, where the template asks for figures; it is "
        "handed in with the report, so it is shown: move it to `figures/x.png` to follow the template."
    )
    # outside the report's folder is still a warning: it breaks in the hand-in
    _, [g] = figure_findings_of("![x](../x.png)", reports)
    assert (g.code, g.severity) == ("figure-location", "warning")


def test_find_answers_for_files_and_folders_and_never_leaves_the_root(folder):
    from reportls.files.figures import Found

    assert folder.find("figures/a.png") == Found("ok", "figures/a.png", False)
    assert folder.find("figures/sub") == Found("ok", "figures/sub", True)
    assert folder.find("Figures/SUB") == Found("case", "figures/sub", True)
    assert folder.find("") == Found("ok", "", True)
    assert folder.find("figures/nope") == Found("missing")
    assert folder.find("../secret/s.png") == Found("missing") and folder.find("/etc") == Found("missing")
    assert folder.find("figures/link/s.png") == Found("missing")  # symlink outside: not followed


def test_closest_in_folder_fixes_each_component(folder):
    assert folder.closest_in_folder("figure/sub/dep.jpg") == ["figures/sub/deep.jpg"]
    assert folder.closest_in_folder("figures/my plott.png") == ["figures/my plot.png"]
    assert folder.closest_in_folder("nothing/like/this.png") == []
    assert folder.closest_in_folder("../secret/s.png") == []
