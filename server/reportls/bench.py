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

# A report.py in the course's typer/pydantic shape (our own code, same algorithm, imports and
# constraint dict as the 2026 course's), written next to the report and run as its own process.
# reportls reads it statically (ast), as it would a group's real report.py.
REPORT_PY = """
import re
from pathlib import Path

import pydantic
import typer
try:
    from loguru import logger
except ImportError:
    import logging
    logger = logging.getLogger("report")


class Constraints(pydantic.BaseModel):
    def __call__(self, answer, index):
        raise NotImplementedError


class NoConstraints(Constraints):
    def __call__(self, answer, index):
        return True


class LengthConstraints(Constraints):
    min_length: int = pydantic.Field(ge=0)
    max_length: int = pydantic.Field(ge=0)

    def __call__(self, answer, index):
        n = len(answer.split())
        ok = self.min_length <= n <= self.max_length
        if not ok:
            logger.warning(f"Question {index} failed check. Expected number of words to be between "
                           f"{self.min_length} and {self.max_length} but got {n}")
        return ok


class ImageConstraints(Constraints):
    min_images: int = pydantic.Field(ge=0)
    max_images: int = pydantic.Field(ge=0)

    def __call__(self, answer, index):
        n = len(re.findall(r"\\!\\[.*?\\]\\(.*?\\)", answer))
        ok = self.min_images <= n <= self.max_images
        if not ok:
            logger.warning(f"Question {index} failed check. Expected number of screenshots to be between "
                           f"{self.min_images} and {self.max_images} but got {n}")
        return ok


class MultiConstraints(Constraints):
    constrains: list[Constraints]

    def __call__(self, answer, index):
        value = True
        for fn in self.constrains:
            value = fn(answer, index) and value
        return value


app = typer.Typer()


@app.command()
def html() -> None:
    pass


@app.command()
def check() -> None:
    path = "reports/README.md" if Path("reports/README.md").exists() else "README.md"
    text = Path(path).read_text()
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
    answers = [answer.strip("\\n") for answer in answers]
    question_constraints = {
        "question_1": NoConstraints(),
        "question_2": NoConstraints(),
        "question_3": LengthConstraints(min_length=0, max_length=200),
QUESTIONS    }
    if len(answers) != 31:
        msg = "Number of answers are different from the expected 31. Have you changed the template?"
        raise ValueError(msg)
    counter = 0
    for index, (answer, (_, constraints)) in enumerate(zip(answers, question_constraints.items()), 1):
        counter += int(constraints(answer, index))
    logger.info(f"Total number of questions passed: {counter}/{len(answers)}")


if __name__ == "__main__":
    app()
"""


def _report_py() -> str:
    """REPORT_PY with the 2026 constraint dict filled in from the built-in profile."""
    from reportls.constraints import load_profile

    lines = []
    for n, c in enumerate(load_profile("2026").questions, 1):
        if n <= 3:
            continue
        parts = []
        if c.has_words:
            parts.append(f"LengthConstraints(min_length={c.min_words}, max_length={c.max_words})")
        if c.has_images:
            parts.append(f"ImageConstraints(min_images={c.min_images}, max_images={c.max_images})")
        expr = parts[0] if len(parts) == 1 else f"MultiConstraints(constrains=[{', '.join(parts)}])" if parts else "NoConstraints()"
        lines.append(f'        "question_{n}": {expr},\n')
    return REPORT_PY.replace("QUESTIONS", "".join(lines))


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
    """``reportls check`` against ``python report.py check`` on the same report, same run."""
    (folder / "report.py").write_text(_report_py())
    # as installed packages are: with byte-code caches (this machine sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def timed(cmd):
        first = subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env, text=True)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env)
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), first

    have_deps = subprocess.run([sys.executable, "-c", "import typer, pydantic"], capture_output=True).returncode == 0
    cli, cli_run = timed([sys.executable, "-m", "reportls", "check", "README.md"])
    out = {"reportls_check_ms": round(cli, 1)}
    if not have_deps:
        out["report_py_check_ms"] = "not measured: typer and pydantic are not installed (pip install typer pydantic loguru)"
        return out
    rp, rp_run = timed([sys.executable, "report.py", "check"])
    out.update({"report_py_check_ms": round(rp, 1), "speedup": round(rp / cli, 2),
                "same_verdict": cli_run.stdout.strip().splitlines()[-1] in rp_run.stderr})
    return out


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
