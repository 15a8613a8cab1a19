"""``python -m reportls.bench``: the performance numbers of SPEC section 5, as one JSON object.

Measures, on this machine and in one run: the in-process re-check after one-character edits spread
over a full 31-question report; didChange -> publishDiagnostics over stdio (debounceMs 0);
completion in a 500-file figures folder; hover; cold start (spawn -> first diagnostics); ``reportls
check`` against a report.py-style check script on the same report; full checks of 0.1/0.5/1 MB
reports; and the server's RSS with 20 reports open.  Timings are benchmarks, never test asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A report.py-equivalent check (SPEC section 1's algorithm, typer-era shape, stdlib only) that the
# CLI is timed against; it is written out to a temp folder and run as its own Python process.
REPORT_PY = '''
import re, sys
from pathlib import Path
def check():
    text = Path("README.md").read_text()
    answers = []
    per_question = text.split("Answer:")
    per_question.pop(0)
    for q in per_question:
        if "###" in q:
            q = q.split("###")[0]
            if "##" in q:
                q = q.split("##")[0]
            answers.append(q)
    answers.append(per_question[-1])
    answers = [a.strip("\\n") for a in answers]
    if len(answers) != 31:
        raise ValueError("Number of answers are different from the expected 31.")
    for i, a in enumerate(answers, 1):
        len(a.split()); len(re.findall(r"\\!\\[.*?\\]\\(.*?\\)", a))
import typer, markdown, pydantic  # the real report.py imports these
check()
'''


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def _summary(values: list[float]) -> dict:
    return {"p50_ms": _pct(values, 0.5), "p95_ms": _pct(values, 0.95), "n": len(values)}


def full_report(seed: int = 0) -> str:
    """A realistic 31-question report (~45 KB) built from the template structure."""
    rng = random.Random(seed)
    vocab = ("model data training docker cloud pipeline we used the a to of and for our with in run "
             "test API deployment monitoring experiment config hydra wandb loss accuracy GPU bucket").split()
    out = ["# Exam template for 02476 Machine Learning Operations\n\n", "Preamble `![my_image](figures/<image>.<extension>)`\n\n",
           "## Overall project checklist\n\n", "".join(f"* [x] Checklist item {i} (M{i})\n" for i in range(60)), "\n"]
    for n in range(1, 32):
        if n in (1, 4, 7, 12, 17, 23, 27):
            out.append(f"## Section before question {n}\n\n> Section intro text.\n\n")
        out.append(f"### Question {n}\n\n> **Explain question {n} in detail, please, with all that it needs.**\n>\n"
                   "> Recommended answer length: 100-200 words.\n>\n> Example:\n> *We used ... for ...*\n>\n> Answer:\n\n")
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(120, 230)))
        out.append(body + ("\n\n![fig](figures/f1.png)\n" if n in (14, 19, 20, 21, 29) else "\n") + "\n")
    return "".join(out)


def bench_recheck(text: str, edits: int) -> dict:
    from reportls.analysis import analyze
    from reportls.parse import Parser

    parser = Parser()
    base = analyze(text, parser=parser)
    res = base.resolution
    rng = random.Random(1)
    times = []
    current = text
    for k in range(edits):
        i = (len(current) * k) // edits + rng.randint(0, 20)
        i = min(i, len(current))
        current = current[:i] + rng.choice("abc ") + current[i:]
        t0 = time.perf_counter()
        analyze(current, parser=parser, resolution=res)
        times.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    analyze(text, parser=Parser(), resolution=res)
    full = (time.perf_counter() - t0) * 1000
    return {**_summary(times), "full_parse_ms": round(full, 3), "bytes": len(text.encode())}


def bench_sizes() -> dict:
    from reportls.analysis import analyze
    from reportls.parse import Parser

    out = {}
    unit = full_report(3)
    for label, size in (("0.1MB", 100_000), ("0.5MB", 500_000), ("1MB", 1_000_000)):
        text = unit
        while len(text.encode()) < size:
            text += "\n" + unit.split("## Overall project checklist", 1)[1]
        text = text.encode()[:size].decode("utf-8", "ignore")
        analyze(text, parser=Parser())  # warm
        t0 = time.perf_counter()
        analyze(text, parser=Parser())
        out[label] = round((time.perf_counter() - t0) * 1000, 1)
    out["ms_per_100KB_at_1MB"] = round(out["1MB"] / 10, 2)
    out["ms_per_100KB_at_0.1MB"] = out["0.1MB"]
    return out


def bench_cli(folder: Path, runs: int) -> dict:
    (folder / "report_equiv.py").write_text(REPORT_PY)

    # as installed packages are: with byte-code caches (this machine sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def timed(cmd):
        subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env)
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    cli = timed([sys.executable, "-m", "reportls", "check", "README.md"])
    have_deps = subprocess.run([sys.executable, "-c", "import typer, markdown, pydantic"], capture_output=True).returncode == 0
    script = REPORT_PY if have_deps else REPORT_PY.replace("import typer, markdown, pydantic  # the real report.py imports these\n", "")
    (folder / "report_equiv.py").write_text(script)
    rp = timed([sys.executable, "report_equiv.py"])
    return {"reportls_check_ms": round(cli, 1), "report_py_check_ms": round(rp, 1),
            "speedup": round(rp / cli, 2), "report_py_imports_typer_markdown_pydantic": have_deps}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reportls.bench")
    ap.add_argument("--edits", type=int, default=600)
    ap.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    args = ap.parse_args(argv)
    edits = 60 if args.quick else args.edits
    text = full_report()
    result: dict = {"machine": {"python": sys.version.split()[0], "cpus": os.cpu_count()}}
    result["recheck_one_char_edit"] = bench_recheck(text, edits)
    result["full_check_by_size_ms"] = bench_sizes()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        (folder / "figures").mkdir(parents=True)
        for i in range(500):
            (folder / "figures" / f"fig_{i:03d}.png").write_bytes(b"\x89PNG")
        (folder / "figures" / "f1.png").write_bytes(b"\x89PNG")
        (folder / "README.md").write_text(text)
        result["cli_vs_report_py"] = bench_cli(folder, 3 if args.quick else 7)
        try:
            from reportls.benchlsp import bench_server

            result.update(bench_server(folder, text, quick=args.quick))
        except ImportError as e:  # the server is optional in a core-only install
            result["server"] = f"not measured: {e}"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
