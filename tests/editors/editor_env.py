"""Shared by the Emacs and Vim tests: the report tree each editor opens, and what a missing editor means."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.reportgen import make_report, words


def answers() -> dict[int, str]:
    """Question 7 fails on words; question 21 links ``figures/WANDB.png`` (the file is ``wandb.png``)."""
    out = {n: words(150) for n in range(1, 32)}
    out.update({1: "7", 2: "s1", 7: words(20), 11: words(250), 12: words(60), 14: words(250) + " ![w](figures/wandb.png)",
                19: "![l](figures/loss.jpg)", 20: "no image", 21: "![w](figures/WANDB.png)",
                29: words(250) + " ![l](figures/loss.jpg)", 30: words(250), 31: words(100)})
    return out


def make_tree(tmp: Path) -> Path:
    """``tmp/reports/README.md`` with ``figures/wandb.png`` and ``figures/loss.jpg``; ``tmp/.git`` marks the root."""
    reports = tmp / "reports"
    (reports / "figures").mkdir(parents=True)
    for name in ("wandb.png", "loss.jpg"):
        (reports / "figures" / name).write_bytes(b"\x89PNG")
    report = reports / "README.md"
    report.write_text(make_report(answers()))
    (tmp / ".git").mkdir()
    return report


def missing(why: str) -> None:
    """Skip; in CI (``.ci/run`` installed the editors: REPORTLS_EDITORS_INSTALLED) a missing editor fails."""
    if os.environ.get("REPORTLS_EDITORS_INSTALLED"):
        pytest.fail(why)
    pytest.skip(why)
