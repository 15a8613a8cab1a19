"""Editor tests in real Vim 9 with ALE (Debian's vim + vim-ale 3.3), silent Ex mode.

Vim loads ALE (``packadd ale``) and ``editors/vim/reportls.vim`` (the ``ale#linter#Define`` entry)
as a vimrc would, opens a report in a temp ``reports/`` folder, and ``vim_probe.vim`` reports what
came back through ALE: its loclist, ``:ALEHover`` in the preview window (ALE asks for plain text
only), a code action applied by ``ale#codefix#Execute`` and the completion items that survive ALE's
own prefix filter.  Ex mode has no Insert mode, so a second test types in Vim in tmux: ALE's
automatic completion pops up, the item is accepted, and the line reads as expected.  Skips cleanly
when Vim, ALE or tmux is missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.editors.editor_env import make_tree, missing

from reportls.analysis import analyze

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("vim_probe.vim")
CONFIG = ROOT / "editors" / "vim" / "reportls.vim"
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.editor
VIM = ["-N", "-u", "NONE", "-i", "NONE", "-n", "-es"]  # no vimrc, no viminfo, no swap file, silent Ex mode


@pytest.fixture(scope="module")
def vim() -> str:
    found = shutil.which("vim")
    if found is None:
        missing("vim not installed (Debian: apt-get install vim vim-ale)")
    ready = subprocess.run([found, *VIM, "-c", "packadd ale",
                            "-c", "if exists('g:loaded_ale') && has('job') && has('timers') | qall! | else | cquit | endif"],
                           capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    if ready.returncode != 0:
        missing("ALE not installed for this vim, or vim without +job/+timers (Debian: apt-get install vim vim-ale)")
    return found


@pytest.fixture(scope="module")
def probe(vim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vim")
    report = make_tree(tmp)
    out = tmp / "probe.json"
    env = dict(os.environ, HOME=str(tmp), PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
               REPORTLS_PROBE_OUT=str(out), REPORTLS_PROBE_REPORT=str(report), REPORTLS_PROBE_CONFIG=str(CONFIG))
    proc = subprocess.run([vim, *VIM, "-S", str(PROBE)], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=180, check=False, stdin=subprocess.DEVNULL)
    assert out.exists(), f"vim wrote no result: rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}"
    data = json.loads(out.read_text())
    data["report"] = report
    data["expected"] = analyze(report.read_text(), path=report)
    return data


def test_no_errors_and_the_root_is_the_repository(probe):
    assert probe["errors"] == [] and probe["filetype"] == "markdown"
    assert probe["root"] == str(probe["report"].parent.parent)  # no report.py: .git marks it


def test_diagnostics_in_ales_loclist(probe):
    lines = probe["report"].read_text().split("\n")
    got = probe["diagnostics"]
    assert {d["linter"] for d in got} == {"reportls"}
    assert len(got) == len(probe["expected"].findings)
    [q7] = [d for d in got if d["code"] == "word-count"]
    assert q7["text"] == "Question 7: 20 words, needs 50-100 (report.py check will fail)" and q7["type"] == "W"
    [case] = [d for d in got if d["code"] == "figure-case"]
    # ALE's lines and columns count from 1
    assert (case["lnum"], case["col"], case["type"]) == (lines.index("![w](figures/WANDB.png)") + 1, len("![w](") + 1, "E")


def test_hover_is_plain_text(probe):
    assert probe["hover"] == ["Question 7", "", "Explain question 7 of the project in your own words.", "",
                              "Required: 50-100 words", "", "report.py counts: 20 words, 0 images: ❌ fails", "",
                              "Example: We used ... for ..."]


def test_code_action_applied(probe):
    assert probe["action_prompt"].startswith("Code Fixes:\n1) Use the real file name `figures/wandb.png`\n")
    assert probe["fixed_line"] == "![w](figures/wandb.png)"


def test_completion_survives_ales_prefix_filter(probe):
    # ALE's word before the cursor in "![new](figures/wa" is "wa"; it keeps an item whose edit text starts with it
    assert probe["prefix"] == "wa"
    assert probe["completion"] == ["wandb.png"]


# Insert mode, as typed: Vim in tmux with ALE's automatic completion ---------------------------------
def _poll(check, seconds: float = 30.0, every: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (got := check()) is not None:
            return got
        time.sleep(every)
    return None


class Tmux:
    def __init__(self, tmux: str, name: str, socket: Path):
        self.tmux, self.name, self.socket = tmux, name, socket

    def run(self, *args: str) -> str:
        """A tmux command on a server of this test's own (``-S``, its socket in the test's folder)."""
        return subprocess.run([self.tmux, "-S", str(self.socket), *args], capture_output=True, text=True,
                              timeout=30, check=False).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-t", self.name, "-p")


@pytest.fixture
def tmux_vim(vim, tmp_path):
    tmux = shutil.which("tmux")
    if tmux is None:
        missing("tmux not installed (Debian: apt-get install tmux)")
    report = make_tree(tmp_path)
    vimrc = tmp_path / "vimrc"
    vimrc.write_text("set nocompatible\nlet g:ale_completion_enabled = 1\npackadd ale\n"
                     "let g:ale_linters = {'markdown': ['reportls']}\n"
                     f"execute 'source' fnameescape('{CONFIG}')\nfiletype plugin on\n"
                     "set completeopt=menu,menuone,noinsert\n")
    env = f"PATH={BIN}{os.pathsep}{os.environ.get('PATH', '')} HOME={tmp_path}"
    session = Tmux(tmux, "reportls-vim", tmp_path / "tmux.sock")
    session.run("new-session", "-d", "-s", session.name, "-x", "120", "-y", "40",
                f"cd {tmp_path} && env {env} {vim} -N -u {vimrc} -i NONE -n {report}")
    yield session, tmp_path
    session.run("kill-server")


def test_completion_typed_in_insert_mode(tmux_vim):
    session, tmp = tmux_vim
    count = tmp / "count.txt"

    def diagnostics_shown():
        session.keys(f":call writefile([len(ale#engine#GetLoclist(bufnr('')))], '{count}')", "Enter")
        time.sleep(0.2)
        return True if count.exists() and count.read_text().strip() not in ("", "0") else None

    assert _poll(diagnostics_shown, every=0.3), session.screen()
    session.keys("/### Question 20", "Enter")
    session.keys("O![new](figures/")
    for ch in "wa":  # typed: ALE's automatic completion asks after each character
        time.sleep(0.2)
        session.keys(ch)
    assert _poll(lambda: True if "wandb.png" in session.screen().split("![new](figures/wa", 1)[-1] else None, 20), \
        session.screen()
    session.keys("C-n")
    time.sleep(0.2)
    session.keys("C-y")
    time.sleep(0.3)
    session.keys("Escape")
    out = tmp / "line.txt"
    session.keys(f":call writefile([getline('.')], '{out}')", "Enter")
    assert _poll(lambda: out.read_text().strip() if out.exists() else None, 10) == "![new](figures/wandb.png"
