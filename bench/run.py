"""``python bench/run.py`` (or ``python -m bench``): the performance numbers of docs/development.md's table, issue
11's worst keystroke case and issue 17's keystrokes in real reports (``../shared/seeds``, LF and
CRLF), printed as one JSON object.  ``--quick`` is a smoke run; ``--soak`` runs only the long
session of issue 19 (``bench/soak.py``); ``--table RESULT.json ...`` prints the performance table rows of docs/development.md.

Measures the reportls of this checkout (``server/`` goes first on the path of this process and of
every process it starts), on this machine, in one run.  What each key means: ``bench/README.md``.
Timings are benchmarks, never test asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "server"
if __package__ in (None, ""):  # run as a script: import `bench` as a package, not bench/'s files one by one
    sys.path[0] = str(ROOT)

FIGURE_FILES = 500
EDITOR_KEYS = ("didChange_to_publishDiagnostics_debounce0", "completion_500_figures", "hover", "rss_mb_20_reports_open")
KEYSTROKE_KEYS = ("worst_case_keystroke", "didChange_no_figures_baseline", "didChange_in_answer_with_code_and_list",
                  "lsp_client")
SEED_KEYS = ("keystroke_in_process_seeds", "keystroke_stdio_seeds", "keystroke_stdio_seeds_code_and_list",
             "pause_to_handin_complete_stdio_seeds", "cold_start_to_first_diagnostics_ms", "cold_start_report")


def checkout_environment() -> dict:
    """This checkout's ``server/`` first on the import path, here and in child processes; byte-code
    caches allowed (as installed packages have them, even where PYTHONDONTWRITEBYTECODE is set)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if (SERVER / "reportls" / "__init__.py").is_file():
        sys.path.insert(0, str(SERVER))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SERVER), env.get("PYTHONPATH")) if p)
    return env


def not_measured(keys: tuple[str, ...], reason: str) -> dict:
    return {key: f"not measured: {reason}" for key in keys}


def machine() -> dict:
    import reportls

    return {"python": sys.version.split()[0], "cpus": os.cpu_count(),
            "reportls": str(Path(reportls.__file__).resolve().parent), "load_average_1min": {"start": load_average()}}


def load_average() -> float | None:
    """The machine's 1-minute load average (other work running beside the benchmark moves its numbers)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few iterations: a smoke run (seconds), not numbers to quote")
    ap.add_argument("--edits", type=int, default=600, help="in-process one-character edits in the generated report "
                    "(default 600; 60 with --quick)")
    ap.add_argument("--seed-edits", type=int, default=200, help="keystrokes per seed report and line ending "
                    "(default 200; 10 with --quick)")
    ap.add_argument("--soak", action="store_true", help="only the long session: 20 reports open, 3,000 edits "
                    "(with --quick: 4 reports, 120 edits)")
    ap.add_argument("--table", nargs="+", metavar="RESULT.json", help="print the performance table rows of docs/development.md "
                    "from the JSON of a run (and of a --soak run), measure nothing")
    return ap.parse_args(argv)


def generated_cases(root: Path, env: dict, quick: bool, edits: int) -> tuple[dict, bool]:
    """The cases on generated reports (comparable with earlier runs): (their keys, whether one failed)."""
    from bench import cli_case, core_cases, reports, stdio_cases
    from bench.lsp_client import LspError

    failed = False
    figure_edits = 15 if quick else 200
    text = reports.full_report()
    result: dict = {}
    folder = root / "full" / "reports"
    (folder / "figures").mkdir(parents=True)
    for i in range(FIGURE_FILES):
        (folder / "figures" / f"fig_{i:03d}.png").write_bytes(b"\x89PNG")
    (folder / "figures" / "f1.png").write_bytes(b"\x89PNG")
    (folder / "README.md").write_text(text)
    worst, baseline = reports.figures_report(), reports.figures_report(with_links=False)
    worst_path, baseline_path = root / "missing" / "reports" / "README.md", root / "nofigures" / "reports" / "README.md"
    for path, report in ((worst_path, worst), (baseline_path, baseline)):
        reports.make_figure_folder(path.parent / "figures", FIGURE_FILES)
        path.write_text(report.text)

    result["recheck_one_char_edit"] = core_cases.recheck_one_char_edit(text, edits)
    result["full_check_by_size_ms"] = core_cases.full_check_by_size()
    result["cli_vs_report_py"] = cli_case.cli_vs_report_py(folder, 3 if quick else 7, env)
    try:
        result.update(stdio_cases.editor_session(folder, text, env, quick))
    except LspError as e:
        result.update(not_measured(EDITOR_KEYS, str(e)))
        failed = True
    result["recheck_missing_figures_500_files"] = core_cases.recheck_missing_figures(
        worst, worst_path, FIGURE_FILES, figure_edits)
    code_and_list = reports.BenchReport(text, reports.code_and_list_anchors(text))
    cases = {"worst_case_keystroke": (worst_path, worst), "didChange_no_figures_baseline": (baseline_path, baseline),
             "didChange_in_answer_with_code_and_list": (folder / "README.md", code_and_list)}
    try:
        measured = stdio_cases.keystroke_session(root, cases, env, quick)
        for key, report in (("worst_case_keystroke", worst), ("didChange_no_figures_baseline", baseline)):
            measured[key].update({"figure_files": FIGURE_FILES, "missing_links": report.missing_links})
        result.update(measured)
    except LspError as e:
        result.update(not_measured(KEYSTROKE_KEYS, str(e)))
        failed = True
    return result, failed


def seed_cases(root: Path, env: dict, quick: bool, edits: int) -> tuple[dict, bool]:
    """The cases on the seed reports (``bench.seeds``), LF and CRLF: (their keys, whether one failed)."""
    from bench import in_process, seeds, stdio_cases
    from bench.lsp_client import LspError
    from bench.stats import by_line_ending

    source, reports = seeds.seed_reports()
    pauses = max(3, edits // 10)
    plans = [seeds.plan(r, edits, max(1, edits // 2), pauses) for r in reports]
    result: dict = {"seed_reports": {"source": source, "reports": {
        p.report.name: {"bytes": p.report.bytes, "lines": p.report.text.count("\n") + 1,
                        "answers": len(seeds.answer_spans(p.report.text)),
                        "code_and_list_questions": p.code_and_list_questions} for p in plans}}}
    try:
        timed = in_process.keystrokes(root, plans, env)
        result["keystroke_in_process_seeds"] = {"edits_per_report": edits, **by_line_ending(timed["lf"], timed["crlf"])}
        stdio = stdio_cases.seed_keystrokes(root, plans, env)
        for key, case, n in (("keystroke_stdio_seeds", "answers", edits),
                             ("keystroke_stdio_seeds_code_and_list", "code_and_list", max(1, edits // 2)),
                             ("pause_to_handin_complete_stdio_seeds", "pause", pauses)):
            result[key] = {"edits_per_report": n, **by_line_ending(stdio[case]["lf"], stdio[case]["crlf"])}
        largest = max(reports, key=lambda r: r.bytes)
        cold = stdio_cases.cold_start(seeds.lay_out(root / "cold" / largest.name, largest.text, "lf"), env,
                                      1 if quick else 3)
        result["cold_start_to_first_diagnostics_ms"] = cold["median_ms"]
        result["cold_start_report"] = {"report": largest.name, "bytes": largest.bytes, "line_ending": "lf",
                                       "runs_ms": cold["runs_ms"]}
    except (LspError, RuntimeError) as e:
        result.update({k: v for k, v in not_measured(SEED_KEYS, str(e)).items() if k not in result})
        return result, True
    return result, False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table:
        from bench.table import main as table

        return table(args.table)
    env = checkout_environment()
    try:
        import reportls  # noqa: F401
        from bench import seeds, soak
    except ImportError as e:
        print(f"bench: cannot import reportls ({e}); run it from the repository with the package's dependencies "
              "installed (pip install -e .)", file=sys.stderr)
        return 2

    result: dict = {"machine": machine()}
    failed = False
    with tempfile.TemporaryDirectory(prefix="reportls-bench-") as tmp:
        root = Path(tmp)
        if args.soak:
            from bench.lsp_client import LspError

            source, reports = seeds.seed_reports()
            try:
                result["soak"] = {"source": source, **soak.soak(root / "soak", reports, env,
                                                                  soak.QUICK if args.quick else soak.FULL)}
            except LspError as e:
                result["soak"], failed = f"not measured: {e}", True
        else:
            measured, failed = generated_cases(root, env, args.quick, 60 if args.quick else max(1, args.edits))
            result.update(measured)
            measured, seed_failed = seed_cases(root, env, args.quick, 10 if args.quick else max(1, args.seed_edits))
            result.update(measured)
            failed = failed or seed_failed
    result["machine"]["load_average_1min"]["end"] = load_average()
    print(json.dumps(result, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
