"""The benchmark runs: ``python bench/run.py --quick`` prints one JSON object with every key the
README's performance table is built from, each measured on the case it names (no timing asserts);
its seed cases type into ``../shared/seeds`` when present and into the generated report when not;
``--table`` turns a run into the table's rows; ``--soak --quick`` runs the long session, short."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import seeds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(seeds.seeds_folder().glob("*.md")) if seeds.seeds_folder().is_dir() else []
needs_seeds = pytest.mark.skipif(not SEEDS, reason=f"no seed reports in {seeds.seeds_folder()}")
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
    # issue 17: real reports, LF and CRLF
    "seed_reports", "keystroke_in_process_seeds", "keystroke_stdio_seeds", "keystroke_stdio_seeds_code_and_list",
    "cold_start_report",
    # the hand-in checks of the answer typed in, completed after a pause
    "pause_to_handin_complete_stdio_seeds",
}
SEED_CASES = ("keystroke_in_process_seeds", "keystroke_stdio_seeds", "keystroke_stdio_seeds_code_and_list")
BY_LINE_ENDING = {"edits_per_report", "per_report", "worst", "max_crlf_lf_p95_ratio"}


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
    assert set(quick_run["machine"]) == {"python", "cpus", "reportls", "load_average_1min"}
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


def test_seed_cases_type_into_every_report_in_both_line_endings(quick_run):
    names = set(quick_run["seed_reports"]["reports"])
    assert names == ({p.stem for p in SEEDS} or {"generated"})
    for key in SEED_CASES:
        case = quick_run[key]
        assert set(case) == BY_LINE_ENDING
        assert set(case["per_report"]) <= names
        for entry in case["per_report"].values():
            assert set(entry) == {"lf", "crlf", "crlf_lf_p50_ratio", "crlf_lf_p95_ratio"}
            for ending in ("lf", "crlf"):
                timing = entry[ending]
                assert timing["n"] == case["edits_per_report"] and timing["in_sync"] is True  # the server saw the edits
                assert all(_number(timing[k]) for k in SUMMARY) and timing["p50_ms"] <= timing["p95_ms"]
            # the twins differ only in line endings: the server finds the same things in both
            assert entry["lf"]["diagnostics"] == entry["crlf"]["diagnostics"]
        worst = case["worst"]
        assert worst["report"] in case["per_report"]
        assert max(worst["lf"]["p95_ms"], worst["crlf"]["p95_ms"]) == max(
            max(e["lf"]["p95_ms"], e["crlf"]["p95_ms"]) for e in case["per_report"].values())
    assert set(quick_run["keystroke_stdio_seeds"]["per_report"]) == names
    stages = next(iter(quick_run["keystroke_in_process_seeds"]["per_report"].values()))["lf"].get("stages_p95_ms")
    assert stages is None or set(stages) == {"analysis", "to_lsp", "edit_and_protocol"}
    for key in ("keystroke_stdio_seeds", "keystroke_stdio_seeds_code_and_list"):
        for entry in quick_run[key]["per_report"].values():
            assert all(isinstance(entry[e]["completions_while_typing"], int) for e in ("lf", "crlf"))


def test_in_process_keystrokes_and_their_handin_completion_are_timed_apart(quick_run):
    """Each in-process keystroke is followed by the completion its timer runs after the pause,
    timed on its own; the server logs no error while it runs in the event loop."""
    case = quick_run["keystroke_in_process_seeds"]
    for entry in case["per_report"].values():
        for ending in ("lf", "crlf"):
            timing = entry[ending]
            assert timing["server_errors"] == 0
            completion = timing["handin_completion"]
            assert set(completion) - {"stages_p95_ms"} == SUMMARY | {"published"}
            assert 0 <= completion["published"] <= completion["n"] <= timing["n"]
            if completion["n"]:
                assert all(_number(completion[k]) for k in SUMMARY) and completion["p50_ms"] <= completion["p95_ms"]
                assert set(completion.get("stages_p95_ms", {})) <= {"analysis", "to_lsp", "protocol"}
    assert sum(e[x]["handin_completion"]["n"] for e in case["per_report"].values() for x in ("lf", "crlf")) > 0


def test_pause_to_handin_complete(quick_run):
    """Typing inside a hand-in finding's text, then pausing: the first publish, then (mostly) a
    second publish of the same version once the server has rendered that answer."""
    case = quick_run["pause_to_handin_complete_stdio_seeds"]
    assert set(case) == BY_LINE_ENDING and case["edits_per_report"] == 3
    assert set(case["per_report"]) == set(quick_run["seed_reports"]["reports"])  # every seed has hand-in findings
    second = 0
    for entry in case["per_report"].values():
        for ending in ("lf", "crlf"):
            timing = entry[ending]
            assert timing["keystrokes"] == 3 and timing["in_sync"] is True and timing["wait_ms"] == 500
            assert timing["n"] + timing["without_second_publish"] == timing["keystrokes"]
            assert timing["keystroke"]["n"] == 3 and _number(timing["keystroke"]["p95_ms"])
            second += timing["n"]
        assert entry["lf"]["diagnostics"] == entry["crlf"]["diagnostics"]
    assert second > 0  # the edits change a hand-in finding: the completion publishes again


def test_cold_start_on_the_largest_report(quick_run):
    assert _number(quick_run["cold_start_to_first_diagnostics_ms"])
    where = quick_run["cold_start_report"]
    reports = quick_run["seed_reports"]["reports"]
    assert where["report"] == max(reports, key=lambda n: reports[n]["bytes"]) and where["line_ending"] == "lf"


@needs_seeds
def test_seeds_are_the_shared_reports(quick_run):
    assert quick_run["seed_reports"]["source"] == str(seeds.seeds_folder())
    assert all(r["answers"] == 31 for r in quick_run["seed_reports"]["reports"].values())


def test_fallback_without_shared_is_the_generated_report(tmp_path, monkeypatch):
    monkeypatch.setattr(seeds, "SHARED", tmp_path / "no-shared")
    source, reports = seeds.seed_reports()
    assert source.startswith("generated") and [r.name for r in reports] == ["generated"]
    plan = seeds.plan(reports[0], 20, 5)
    assert len(plan.answers) == 20 and len(plan.code_and_list) == 5 and 5 in plan.code_and_list_questions
    report = seeds.lay_out(tmp_path / "r", reports[0].text, "crlf")
    assert report.read_bytes() == seeds.twin(reports[0].text, "crlf").encode() and (report.parent / "figures").is_dir()


def _offset(text: str, line: int, character: int) -> int:
    """The offset an LSP position (UTF-16) names in ``text`` (lines end at LF or CRLF)."""
    start = 0
    for _ in range(line):
        start = text.index("\n", start) + 1
    units, i = 0, start
    while units < character:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def test_keystrokes_land_inside_answers_at_the_same_place_in_both_twins():
    text = seeds.seed_reports()[1][0].text
    typist = seeds.AnswerTypist(text, "test")
    for _ in range(200):
        before, spans = typist.text, dict(typist.spans)
        edit = typist.next()
        assert any(start < edit.offset <= end for start, end in spans.values())  # inside an answer
        assert before[edit.offset - 1] != "\n" and typist.text == before[:edit.offset] + edit.char + before[edit.offset:]
        line = before[before.rfind("\n", 0, edit.offset) + 1:].split("\n", 1)[0]
        assert not line.lstrip(" ").startswith(("```", "~~~"))  # never inside a fence's delimiter line
        crlf = seeds.twin(before, "crlf")
        assert _offset(before, edit.line, edit.character) == edit.offset
        assert _offset(crlf, edit.line, edit.character) == edit.offset + edit.line  # one "\r" more per line above
    first, again = (seeds.plan(seeds.SeedReport("x", text), 10, 3) for _ in range(2))
    assert first == again  # deterministic


def test_table_rows_name_their_report(quick_run, tmp_path):
    result = tmp_path / "run.json"
    result.write_text(json.dumps(quick_run))
    proc = subprocess.run([sys.executable, "bench/run.py", "--table", str(result)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.strip().splitlines()
    assert rows[0] == "| what | report | result | target |"
    worst = quick_run["keystroke_stdio_seeds"]["worst"]["report"]
    assert any(f"`{worst}`" in row and "over stdio" in row for row in rows)
    assert len(rows) >= 2 + 4 + 11  # header, seed cases and cold start, the generated reports' cases


def test_soak_quick():
    proc = subprocess.run([sys.executable, "bench/run.py", "--soak", "--quick"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-2000:]
    soak = json.loads(proc.stdout)["soak"]
    assert (soak["reports_open"], soak["edits"], soak["block_edits"]) == (4, 120, 20)
    assert soak["line_endings"] == {"lf": 2, "crlf": 2} and soak["all_in_sync"] is True
    assert [b["edits"] for b in soak["blocks"]] == [20, 40, 60, 80, 100, 120]
    assert all(_number(b["rss_mb"]) and _number(b["p95_ms"]) and b["n"] == 20 for b in soak["blocks"])
    assert isinstance(soak["rss_flat_within_10pct_after_500"], bool)
    assert isinstance(soak["latency_flat_within_1_2x"], bool)
    assert soak["request_turns"] == soak["pauses"] == 120 // 5  # a pause and a request after every 5 edits
    assert 0 <= soak["handin_completions_published"] <= soak["pauses"]
    assert isinstance(soak["completions_while_typing"], int)
    answered = sum(v["n"] for v in soak["requests"].values()) + sum(e["count"] for e in soak["request_errors"].values())
    assert answered == soak["requests_sent"] <= soak["request_turns"]
