"""Editor tests in real Emacs (Debian's emacs-nox 28 + elpa-eglot 1.9 + elpa-markdown-mode), batch mode.

Emacs loads ``editors/emacs/reportls.el`` as a user's init would (the ``eglot-server-programs``
entry and ``eglot-ensure`` on ``markdown-mode-hook``), opens a report in a temp ``reports/`` folder,
and ``emacs_probe.el`` reports what reportls sent: flymake's diagnostics, a hover, the code action
on a miscased link applied through ``eglot-code-actions``, and a figure path completed by
``completion-at-point``.  Two runs: eglot asks for Markdown hovers when markdown-mode has
``gfm-view-mode``, else for plain text only.  Skips cleanly when Emacs, eglot or markdown-mode is
missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.editors.editor_env import make_tree, missing

from reportls.analysis import analyze

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("emacs_probe.el")
CONFIG = ROOT / "editors" / "emacs" / "reportls.el"
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.editor


@pytest.fixture(scope="module")
def emacs() -> str:
    found = shutil.which("emacs")
    if found is None:
        missing("emacs not installed (Debian: apt-get install emacs-nox elpa-eglot elpa-markdown-mode)")
    ready = subprocess.run([found, "--batch", "--eval", "(progn (require 'eglot) (require 'markdown-mode))"],
                           capture_output=True, text=True, timeout=60, check=False, env=dict(os.environ, HOME="/nonexistent"))
    if ready.returncode != 0:
        missing(f"eglot or markdown-mode missing: {ready.stderr.strip()[-200:]}")
    return found


@pytest.fixture(scope="module", params=["markdown", "plaintext"])
def probe(request, emacs, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"emacs-{request.param}")
    report = make_tree(tmp)
    out = tmp / "probe.json"
    env = dict(os.environ, HOME=str(tmp), PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
               REPORTLS_PROBE_OUT=str(out), REPORTLS_PROBE_REPORT=str(report), REPORTLS_PROBE_CONFIG=str(CONFIG))
    if request.param == "plaintext":
        env["REPORTLS_PROBE_PLAIN"] = "1"
    # --batch loads no init file, but Debian's site-start (which puts the elpa-* packages on the load path)
    proc = subprocess.run([emacs, "--batch", "-l", str(PROBE)], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert out.exists(), f"emacs wrote no result: rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}"
    data = json.loads(out.read_text())
    data["format"], data["report"], data["stderr"] = request.param, report, proc.stderr
    data["expected"] = analyze(report.read_text(), path=report)
    return data


def test_connected_through_the_shipped_config(probe):
    assert probe["errors"] == [], probe["stderr"]
    assert probe["major_mode"] == "markdown-mode" and probe["server_name"] == "reportls"
    assert "Server `reportls' now managing `(markdown-mode gfm-mode)' buffers" in probe["stderr"]


def test_diagnostics_as_flymake_shows_them(probe):
    lines = probe["report"].read_text().split("\n")
    expected = probe["expected"]
    failing = {r.number for r in expected.results if not r.constraint.words_ok(r.words)}
    assert failing == {7}
    word_count = [d for d in probe["diagnostics"] if "[word-count]" in d["text"]]
    assert [d["text"] for d in word_count] == [
        "reportls [word-count]: Question 7: 20 words, needs 50-100 (report.py check will fail)"]
    assert len(probe["diagnostics"]) == len(expected.findings)  # one flymake diagnostic per finding
    [case] = [d for d in probe["diagnostics"] if "[figure-case]" in d["text"]]
    link_line = lines.index("![w](figures/WANDB.png)")
    assert (case["line"], case["col"], case["type"]) == (link_line + 1, len("![w]("), "eglot-error")


def test_hover_in_the_format_eglot_asks_for(probe):
    if probe["format"] == "markdown":
        assert probe["hover_kind"] == "markdown"
        assert probe["hover_value"].startswith("### Question 7\n\n> Explain question 7")
        assert "**Required:** 50-100 words" in probe["hover_value"]
    else:
        assert probe["hover_kind"] == "plaintext"
        assert probe["hover_shown"] == probe["hover_value"] == (
            "Question 7\n\nExplain question 7 of the project in your own words.\n\nRequired: 50-100 words\n\n"
            "report.py counts: 20 words, 0 images: ❌ fails\n\nExample: We used ... for ...")


def test_code_action_applied_through_eglot(probe):
    assert probe["actions"] == ["Use the real file name `figures/wandb.png`"]
    assert probe["fixed_line"] == "![w](figures/wandb.png)"


def test_completion_at_point_completes_a_figure_path(probe):
    # eglot matches the symbol at point, "figures/wa", against the label; the edit writes "wandb.png"
    assert probe["completion"] == [{"label": "figures/wandb.png", "newText": "wandb.png",
                                    "start": len("![new](figures/"), "end": len("![new](figures/wa")}]
    assert probe["completed_line"] == "![new](figures/wandb.png"
