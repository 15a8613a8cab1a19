"""The acceptance check: on the real seeds and blank templates in ../shared, reportls's JSON equals
what the matching report.py computes (via the naive reference).  Skips when ../shared is absent."""

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.reference_reportpy import reference_verdicts

from reportls.cli.main import main

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))  # seeds, templates
SEEDS = sorted((SHARED / "seeds").glob("*.md")) if SHARED.is_dir() else []
TEMPLATES = sorted((SHARED / "templates").glob("*.md")) if SHARED.is_dir() else []
Q3_2025 = "A requirement to the project is that you include a third-party package"


def profile_of(text: str) -> str:
    if text.count("### Question") == 27 or "### Question 28" not in text:
        return "2023"
    q3 = text[text.index("### Question 3") : text.index("### Question 4")]
    return "2025" if Q3_2025 in q3 else "2026"


def run_json(path: Path, capsys) -> dict:
    code = main(["check", "--format", "json", str(path)])
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    return out["files"][0]


@pytest.mark.skipif(not SEEDS, reason="../shared/seeds not available")
@pytest.mark.parametrize("seed", SEEDS + TEMPLATES, ids=lambda p: p.parent.name + "/" + p.name)
def test_verdicts_equal_report_py(seed, tmp_path, capsys):
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    shutil.copy(seed, report)
    text = seed.read_text(encoding="utf-8")
    profile = profile_of(text)
    expected, crash = reference_verdicts(text, profile)
    f = run_json(report, capsys)
    assert f["template"] == profile
    assert f["crash"] is None and crash is None
    got = [(q["number"], q["words"], q["images"], q["passed"]) for q in f["questions"]]
    assert got == expected
    assert f["passed"] == sum(1 for e in expected if e[3])


@pytest.mark.skipif(not SEEDS, reason="../shared/seeds not available")
def test_seed_with_wandb_key_is_flagged(tmp_path, capsys):
    hits = []
    for seed in SEEDS:
        f = run_json(seed, capsys)
        hits.append(sum(1 for d in f["diagnostics"] if d["code"] == "secret"))
    assert sorted(hits) == [0, 0, 0, 0, 2]
