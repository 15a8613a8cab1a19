"""The performance table of ``docs/development.md``, from the JSON of a run (and of a ``--soak`` run).

    python bench/run.py > run.json && python bench/run.py --soak > soak.json
    python bench/run.py --table run.json soak.json      # or: python -m bench.table run.json soak.json

Prints markdown rows (``| what | report | result | target |``), each saying which report it was
measured on: for the seed cases the worst seed (the highest p95 of either line ending), with the
range over all seeds beside it.  Keys a run lacks are left out; a key that says "not measured"
prints as such.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.stats import by_line_ending

GENERATED = "generated 31-question report (40 KB)"
FIGURES = "generated 2025-shaped report, 500-file figures folder"
HEADER = ["| what | report | result | target |", "| --- | --- | --- | --- |"]


def _ms(value: float) -> str:
    """Milliseconds as the performance table writes them: one decimal, two below 1 ms."""
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def _p(summary: dict) -> str:
    return f"p50 {_ms(summary['p50_ms'])} ms, p95 {_ms(summary['p95_ms'])} ms"


def _row(what: str, report: str, result: str, target: str = "") -> str:
    return f"| {what} | {report} | {result} | {target} |"


def _seed_row(what: str, case: dict | str | None, target: str, extra=None) -> list[str]:
    """One row for a by-line-ending case: the worst seed's LF and CRLF figures, the range of p95
    over every seed, the highest CRLF/LF ratio, and ``extra(case)`` when given."""
    if case is None:
        return []
    if isinstance(case, str):
        return [_row(what, "", case, target)]
    worst = case.get("worst")
    if not worst:
        return [_row(what, "", "no report measured", target)]
    per = case["per_report"]
    lf95 = [e["lf"]["p95_ms"] for e in per.values()]
    crlf95 = [e["crlf"]["p95_ms"] for e in per.values() if e.get("crlf")]
    result = f"LF {_p(worst['lf'])}; CRLF {_p(worst['crlf'])} ({worst.get('crlf_lf_p95_ratio')}x LF at p95)"
    if len(per) > 1:
        result += (f"; p95 over the {len(per)} reports: LF {_ms(min(lf95))}-{_ms(max(lf95))} ms, "
                   f"CRLF {_ms(min(crlf95))}-{_ms(max(crlf95))} ms")
    top = case.get("max_crlf_lf_p95_ratio")
    if top and top["report"] != worst["report"]:
        result += f"; highest CRLF/LF: {top['ratio']}x (`{top['report']}`)"
    if extra is not None:
        result += extra(case)
    n = case.get("edits_per_report", worst["lf"]["n"])
    return [_row(f"{what}; {n} edits per report and line ending", f"`{worst['report']}` (worst of {len(per)})",
                 result, target)]


def _nested(case: dict | str | None, key: str) -> dict | str | None:
    """The by-line-ending case of the timing every entry of ``case`` holds under ``key``."""
    if not isinstance(case, dict):
        return case
    per = case["per_report"]
    lf = {n: e["lf"][key] for n, e in per.items() if key in e["lf"]}
    crlf = {n: e["crlf"][key] for n, e in per.items() if e.get("crlf") and key in e["crlf"]}
    return {"edits_per_report": case.get("edits_per_report"), **by_line_ending(lf, crlf)}


def _published(case: dict) -> str:
    """How many in-process completions published again, over every seed and line ending."""
    timings = [e[ending] for e in case["per_report"].values() for ending in ("lf", "crlf") if e.get(ending)]
    return (f"; {sum(t['published'] for t in timings)} of {sum(t['n'] for t in timings)} completions "
            "changed the diagnostics (published again)")


def _second_publishes(case: dict) -> str:
    timings = [e[ending] for e in case["per_report"].values() for ending in ("lf", "crlf") if e.get(ending)]
    return (f"; a second publish within {timings[0]['wait_ms']} ms after {sum(t['n'] for t in timings)} of "
            f"{sum(t['keystrokes'] for t in timings)} keystrokes") if timings else ""


def seed_rows(r: dict) -> list[str]:
    rows = []
    in_process = r.get("keystroke_in_process_seeds")
    rows += _seed_row("keystroke in process (the server's handlers, no pipe): one character at random places "
                      "inside answers, debounce 0 (the answer typed in left for the hand-in completion)",
                      in_process, "p95 <= 3 ms; CRLF <= 1.2x LF")
    rows += _seed_row("the hand-in completion after each of those keystrokes, in process (the timer's callback "
                      "after the pause: that answer rendered, diagnostics compared, published again if changed)",
                      _nested(in_process, "handin_completion"), "", _published)
    rows += _seed_row("didChange -> publishDiagnostics over stdio, the same keystrokes",
                      r.get("keystroke_stdio_seeds"), "p95 <= 8 ms; CRLF <= 1.2x LF")
    rows += _seed_row("the same, typing inside the answers with a fenced block, a list or a quote "
                      "(what the hand-in checks re-render)", r.get("keystroke_stdio_seeds_code_and_list"), "")
    rows += _seed_row("pause -> hand-in complete over stdio: one character inside a hand-in finding's text, "
                      "its first publish -> the second publish of that version (includes the server's 50 ms pause)",
                      r.get("pause_to_handin_complete_stdio_seeds"), "", _second_publishes)
    cold, where = r.get("cold_start_to_first_diagnostics_ms"), r.get("cold_start_report")
    if cold is not None:
        report = f"`{where['report']}` (the largest, {where['bytes'] // 1000} KB)" if isinstance(where, dict) else ""
        runs = f" (median of {len(where['runs_ms'])})" if isinstance(where, dict) and len(where["runs_ms"]) > 1 else ""
        rows.append(_row("cold start (spawn -> first diagnostics)", report,
                         f"{cold:.0f} ms{runs}" if isinstance(cold, (int, float)) else cold, "<= 1.0 s"))
    return rows


def generated_rows(r: dict) -> list[str]:
    """The rows of the generated reports' cases, as earlier tables had them."""
    rows = []

    def timed(key: str, what: str, report: str, target: str = "", extra=None) -> None:
        value = r.get(key)
        if value is None:
            return
        text = value if isinstance(value, str) else _p(value) + (extra(value) if extra else "")
        rows.append(_row(what, report, text, target))

    timed("recheck_one_char_edit", "re-check after a one-character edit, in process, `analyze` only", GENERATED)
    timed("didChange_to_publishDiagnostics_debounce0", "didChange -> publishDiagnostics over stdio, edits spread "
          "over the whole report", GENERATED)
    timed("worst_case_keystroke", "**worst-case keystroke**: 12 missing figure links, typing in a question with "
          "broken links, over stdio", FIGURES, "p95 <= 10 ms")
    timed("didChange_no_figures_baseline", "the same report with no figure links", FIGURES)
    timed("recheck_missing_figures_500_files", "the worst case in process (`analyze` only)", FIGURES)
    timed("didChange_in_answer_with_code_and_list", "typing in an answer with a fenced block and a list, over stdio",
          GENERATED, "p95 <= 10 ms", lambda v: f" ({v.get('handin_diagnostics')} `handin-*` diagnostics)")
    timed("completion_500_figures", "completion in a 500-file figures folder", GENERATED, "p95 <= 20 ms")
    timed("hover", "hover", GENERATED)
    cli = r.get("cli_vs_report_py")
    if isinstance(cli, dict):
        rp = cli["report_py_check_ms"]
        result = (f"{cli['reportls_check_ms']:.0f} ms vs {rp:.0f} ms ({cli['speedup']}x)" if isinstance(rp, (int, float))
                  else f"{cli['reportls_check_ms']:.0f} ms vs {rp}")
        verdict = {True: " (same verdict)", False: " (different verdicts)"}.get(cli.get("same_verdict"), "")
        rows.append(_row(f"`reportls check` vs `python report.py check`{verdict}", GENERATED, result, ">= 2x"))
    sizes = r.get("full_check_by_size_ms")
    if isinstance(sizes, dict):
        rows.append(_row("full check of 0.1 / 0.5 / 1 MB (core, no hand-in checks)", "generated, repeated",
                         f"{sizes['0.1MB']:.0f} / {sizes['0.5MB']:.0f} / {sizes['1MB']:.0f} ms",
                         "1 MB <= 300 ms, linear"))
    rss = r.get("rss_mb_20_reports_open")
    if rss is not None:
        rows.append(_row("server RSS with 20 reports open", GENERATED,
                         f"{rss:.0f} MB" if isinstance(rss, (int, float)) else rss, "<= 100 MB"))
    return rows


def soak_rows(r: dict) -> list[str]:
    soak = r.get("soak")
    if soak is None:
        return []
    what = ("long session: reports open, one-character edits in bursts into one report, a pause and a request "
            "after each burst, debounce 0")
    if isinstance(soak, str):
        return [_row(what, "", soak)]
    blocks = soak["blocks"]
    report = f"{soak['reports_open']} open: {len(soak['reports'])} reports, LF and CRLF"
    rss = " / ".join(f"{b['rss_mb']:.1f}" for b in blocks)
    p95 = " / ".join(_ms(b["p95_ms"]) for b in blocks)
    return [
        _row(f"{what}: RSS after the opens, then after each {soak['block_edits']} of {soak['edits']} edits",
             report, f"{soak['rss_mb_after_open']:.1f} MB, then {rss} MB (+{soak['rss_growth_after_first_block_pct']}% "
             f"after the first {soak['block_edits']}; flat: {soak['rss_flat_within_10pct_after_500']})",
             "within 10% after the first 500 edits"),
        _row(f"the same session: keystroke p95 per {soak['block_edits']} edits", report,
             f"{p95} ms (max/first {soak['latency_p95_ratio_max_to_first_block']}x; flat: "
             f"{soak['latency_flat_within_1_2x']})", "within 1.2x"),
    ]


def rows(result: dict) -> list[str]:
    """Every row ``result`` (one run's JSON, or several merged) has data for, with the header."""
    return [*HEADER, *seed_rows(result), *generated_rows(result), *soak_rows(result)]


def main(paths: list[str]) -> int:
    merged: dict = {}
    for path in paths:
        merged.update(json.loads(Path(path).read_text()))
    print("\n".join(rows(merged)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
