"""Shared set-up for the editor-feature tests: a real ``reports/`` folder with figure files
(spaces, parentheses, a subfolder, a non-image, a dotfile) and a generated report beside it."""

from __future__ import annotations

from pathlib import Path

from reportls.analysis import Analysis, Options, analyze
from reportls.files.figures import FigureFolder
from tests.reportgen import make_report

FIGURES = ("wandb.png", "my plot (1).png", "loss.jpg", "notes.txt", "sub/deep.png", ".DS_Store")


def make_env(tmp_path: Path) -> Path:
    """``tmp_path/reports`` with ``figures/`` filled, an ``other/`` folder, and a file outside."""
    reports = tmp_path / "reports"
    (reports / "figures" / "sub").mkdir(parents=True)
    (reports / "other").mkdir()
    for name in FIGURES:
        (reports / "figures" / name).write_bytes(b"x")
    (tmp_path / "outside.png").write_bytes(b"x")
    return reports


def setup(
    env: Path,
    answers: dict[int, str] | None = None,
    *,
    text: str | None = None,
    options: Options | None = None,
    **kw,
) -> tuple[str, Analysis, FigureFolder]:
    """Write the report (generated from ``answers`` unless ``text`` is given) and analyse it."""
    text = make_report(answers or {}, **kw) if text is None else text
    path = env / "README.md"
    path.write_text(text)
    return text, analyze(text, path=path, options=options), FigureFolder(env)


def after(text: str, needle: str, start: str | None = None) -> int:
    """Offset just after the first ``needle`` (after ``start`` when given)."""
    base = text.index(start) if start else 0
    return text.index(needle, base) + len(needle)


def apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text
