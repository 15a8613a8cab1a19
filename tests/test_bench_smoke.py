"""The benchmark runs: ``python bench/run.py --quick`` prints one JSON object with every key the
README's performance table is built from, each measured on the case it names (no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = {"p50_ms", "p95_ms", "n"}
KEYSTROKE = SUMMARY | {"missing_figure_diagnostics", "handin_diagnostics", "diagnostics"}
EXPECTED_KEYS = {
    # the keys of the earlier benchmark (stable)
    "machine", "recheck_one_char_edit", "full_check_by_size_ms", "cli_vs_report_py",
    "cold_start_to_first_diagnostics_ms", "didChange_to_publishDiagnostics_debounce0", "completion_500_figures",
    "hover", "rss_mb_20_reports_open",
    # issue 11
    "recheck_missing_figures_500_files", "worst_case_keystroke", "didChange_no_figures_baseline",
    "didChange_in_answer_with_code_and_list", "lsp_client",
}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


@pytest.fixture(scope="module")
def quick_run() -> dict:
    proc = subprocess.run([sys.executable, "bench/run.py", "--quick"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-2000:]
    return json.loads(proc.stdout)


def test_keys_are_the_stable_set(quick_run):
    assert set(quick_run) == EXPECTED_KEYS
    assert set(quick_run["machine"]) == {"python", "cpus", "reportls"}
    assert Path(quick_run["machine"]["reportls"]) == ROOT / "server" / "reportls"  # this checkout is measured


def test_in_process_cases(quick_run):
    recheck = quick_run["recheck_one_char_edit"]
    assert set(recheck) == SUMMARY | {"full_parse_ms", "bytes"} and recheck["n"] == 60
    assert 35_000 < recheck["bytes"] < 50_000  # a full 31-question report
    sizes = quick_run["full_check_by_size_ms"]
    assert set(sizes) == {"0.1MB", "0.5MB", "1MB", "ms_per_100KB_at_1MB", "ms_per_100KB_at_0.1MB"}
    assert all(_number(v) for v in sizes.values())
    figures = quick_run["recheck_missing_figures_500_files"]
    assert figures.keys() == SUMMARY | {"figure_files", "missing_links", "missing_figure_findings", "template"}
    assert {k: figures[k] for k in ("n", "figure_files", "missing_links", "missing_figure_findings", "template")} == {
        "n": 15, "figure_files": 500, "missing_links": 12, "missing_figure_findings": 12, "template": "2025"}
    assert all(_number(figures[k]) for k in SUMMARY)


def test_cli_case(quick_run):
    cli = quick_run["cli_vs_report_py"]
    assert set(cli) == {"reportls_check_ms", "report_py_check_ms", "speedup", "same_verdict"}
    assert _number(cli["reportls_check_ms"])
    if isinstance(cli["report_py_check_ms"], str):  # typer/pydantic not installed here
        assert cli["report_py_check_ms"].startswith("not measured: ") and cli["speedup"] is None
    else:
        assert _number(cli["speedup"]) and cli["same_verdict"] is True


def test_editor_session(quick_run):
    assert _number(quick_run["cold_start_to_first_diagnostics_ms"])
    assert _number(quick_run["rss_mb_20_reports_open"])
    assert quick_run["didChange_to_publishDiagnostics_debounce0"].keys() == SUMMARY
    assert quick_run["didChange_to_publishDiagnostics_debounce0"]["n"] == 30
    completion = quick_run["completion_500_figures"]
    assert completion.keys() == SUMMARY | {"items"} and completion["n"] == 40
    assert completion["items"] == 501  # every file of the figures folder
    assert quick_run["hover"].keys() == SUMMARY and quick_run["hover"]["n"] == 40


def test_keystroke_cases_measure_what_they_name(quick_run):
    worst = quick_run["worst_case_keystroke"]
    assert worst.keys() == KEYSTROKE | {"figure_files", "missing_links"} and worst["n"] == 15
    assert (worst["figure_files"], worst["missing_links"], worst["missing_figure_diagnostics"]) == (500, 12, 12)
    baseline = quick_run["didChange_no_figures_baseline"]
    assert baseline.keys() == KEYSTROKE | {"figure_files", "missing_links"} and baseline["n"] == 15
    assert (baseline["figure_files"], baseline["missing_links"], baseline["missing_figure_diagnostics"]) == (500, 0, 0)
    code = quick_run["didChange_in_answer_with_code_and_list"]
    assert code.keys() == KEYSTROKE and code["n"] == 15 and code["missing_figure_diagnostics"] == 0
    for case in (worst, baseline, code):
        assert all(_number(case[k]) for k in SUMMARY) and case["p50_ms"] <= case["p95_ms"]


def test_client_is_an_editor_without_settings(quick_run):
    conditions = dict(quick_run["lsp_client"])
    assert conditions.pop("workspace_configuration_requests") >= 1  # the server asked, and was answered {}
    assert conditions == {
        "initializationOptions": {"reportls": {"debounceMs": 0}},
        "workspace_configuration_answer": {},
        "position_encoding": "utf-16",
    }


def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "--quick" in proc.stdout
