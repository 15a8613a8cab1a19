"""``python bench/run.py`` (or ``python -m bench``): the performance numbers of SPEC section 5 and
issue 11's worst keystroke case, printed as one JSON object.  ``--quick`` is a smoke run.

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
EDITOR_KEYS = ("cold_start_to_first_diagnostics_ms", "didChange_to_publishDiagnostics_debounce0",
               "completion_500_figures", "hover", "rss_mb_20_reports_open")
KEYSTROKE_KEYS = ("worst_case_keystroke", "didChange_no_figures_baseline", "didChange_in_answer_with_code_and_list",
                  "lsp_client")


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few iterations: a smoke run (seconds), not numbers to quote")
    ap.add_argument("--edits", type=int, default=600, help="in-process one-character edits (default 600; 60 with --quick)")
    args = ap.parse_args(argv)
    env = checkout_environment()
    try:
        import reportls
        from bench import cli_case, core_cases, reports, stdio_cases
        from bench.lsp_client import LspError
    except ImportError as e:
        print(f"bench: cannot import reportls ({e}); run it from the repository with the package's dependencies "
              "installed (pip install -e .)", file=sys.stderr)
        return 2

    edits = 60 if args.quick else max(1, args.edits)
    figure_edits = 15 if args.quick else 200
    failed = False
    text = reports.full_report()
    result: dict = {"machine": {"python": sys.version.split()[0], "cpus": os.cpu_count(),
                                "reportls": str(Path(reportls.__file__).resolve().parent)}}
    with tempfile.TemporaryDirectory(prefix="reportls-bench-") as tmp:
        root = Path(tmp)
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
        result["cli_vs_report_py"] = cli_case.cli_vs_report_py(folder, 3 if args.quick else 7, env)
        try:
            result.update(stdio_cases.editor_session(folder, text, env, args.quick))
        except LspError as e:
            result.update(not_measured(EDITOR_KEYS, str(e)))
            failed = True
        result["recheck_missing_figures_500_files"] = core_cases.recheck_missing_figures(
            worst, worst_path, FIGURE_FILES, figure_edits)
        code_and_list = reports.BenchReport(text, reports.code_and_list_anchors(text))
        cases = {"worst_case_keystroke": (worst_path, worst), "didChange_no_figures_baseline": (baseline_path, baseline),
                 "didChange_in_answer_with_code_and_list": (folder / "README.md", code_and_list)}
        try:
            measured = stdio_cases.keystroke_session(root, cases, env, args.quick)
            for key, report in (("worst_case_keystroke", worst), ("didChange_no_figures_baseline", baseline)):
                measured[key].update({"figure_files": FIGURE_FILES, "missing_links": report.missing_links})
            result.update(measured)
        except LspError as e:
            result.update(not_measured(KEYSTROKE_KEYS, str(e)))
            failed = True
    print(json.dumps(result, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
