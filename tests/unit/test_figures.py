"""Resolving figure links against the real directory listing."""

import os

import pytest

from reportls.figures import FigureFolder


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
    from reportls.figures import closest_names

    shots = [f"figures/fig_{i:03d}.png" for i in range(500)]
    assert closest_names("figures/wnadb.png", ["figures/wandb.png", *shots]) == ["figures/wandb.png"]
    assert closest_names("figures/Loss_Curve.PNG", ["figures/loss_curve.png", "figures/arch.png"]) == \
        ["figures/loss_curve.png"]
    assert closest_names("figures/wandb_missing_3.png", shots) == []
    assert closest_names("figures/fig_01.png", shots)[:1] == ["figures/fig_001.png"]


def test_keystrokes_do_not_rescore_the_folder(tmp_path, monkeypatch):
    """Issue 11: each re-check used to score every missing link against every file.  Suggestions
    and resolutions are computed once per listing; only a watcher event (invalidate) recomputes."""
    from reportls import figures
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
