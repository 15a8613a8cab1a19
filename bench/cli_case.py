"""``reportls check`` against ``python report.py check`` on the same report, in the same run.

The report.py is one in the course's typer/pydantic shape (our own code, the same algorithm,
imports (markdown, pydantic, typer, loguru at the top) and constraint dict as the 2026 course's), written next to the report and run as its own
process; reportls reads it statically (``ast``), as it would a group's real report.py.  Measuring
it needs ``typer`` and ``pydantic`` (and ``loguru``) installed, as the course's does.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPORT_PY = """
import re
from pathlib import Path

import markdown  # the course's report.py imports it at the top, for its html command
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


def cli_vs_report_py(folder: Path, runs: int, env: dict) -> dict:
    """Median wall time of ``reportls check README.md`` and ``python report.py check`` in ``folder``
    (one warm-up each), and whether both end with the same "passed k/n" verdict."""
    (folder / "report.py").write_text(_report_py())

    def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
        first = subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env, text=True)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=folder, capture_output=True, check=False, env=env)
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), first

    cli, cli_run = timed([sys.executable, "-m", "reportls", "check", "README.md"])
    out: dict = {"reportls_check_ms": round(cli, 1), "report_py_check_ms": None, "speedup": None, "same_verdict": None}
    have_deps = subprocess.run([sys.executable, "-c", "import typer, pydantic"], capture_output=True,
                               env=env).returncode == 0
    if not have_deps:
        out["report_py_check_ms"] = "not measured: typer and pydantic are not installed (pip install typer pydantic loguru)"
        return out
    rp, rp_run = timed([sys.executable, "report.py", "check"])
    lines = cli_run.stdout.strip().splitlines()
    out.update({"report_py_check_ms": round(rp, 1), "speedup": round(rp / cli, 2),
                "same_verdict": bool(lines) and lines[-1] in rp_run.stderr})
    return out


# --- `python bench/cli_case.py`: a seed report in a git repository, side by side -----------------

COURSE_REPORT_PY = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reportpy" / "typer_2025.py"


def seed_repository(folder: Path, report: bytes, crlf: bool, report_py: bytes) -> Path:
    """A git repository in ``folder`` with ``report`` as ``reports/README.md`` (its line endings
    made CRLF or LF) and ``report_py`` beside it as ``report.py``, committed; its ``reports``."""
    reports = folder / "reports"
    reports.mkdir(parents=True)
    lf = report.replace(b"\r\n", b"\n")
    (reports / "README.md").write_bytes(lf.replace(b"\n", b"\r\n") if crlf else lf)
    (reports / "report.py").write_bytes(report_py)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "report"]):
        subprocess.run([*git, *args], cwd=folder, check=True, capture_output=True)
    return reports


def reportls_command() -> list[str]:
    """``reportls`` as a student runs it: the console script beside this Python, else ``-m``."""
    script = Path(sys.executable).with_name("reportls")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "reportls"]


def side_by_side(reports: Path, runs: int, env: dict) -> dict:
    """``reportls check README.md`` and ``python report.py check`` in ``reports``, one warm-up
    each, then ``runs`` rounds alternating the two: median wall and CPU (user + system, git's
    processes included) times in ms, and report.py's over reportls's."""
    import resource

    commands = {"reportls": [*reportls_command(), "check", "README.md"],
                "report.py": [sys.executable, "report.py", "check"]}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        subprocess.run(command, cwd=reports, capture_output=True, check=False, env=env)
    for _ in range(runs):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(command, cwd=reports, capture_output=True, check=False, env=env)
            wall[name].append((time.perf_counter() - t0) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    med = {name: statistics.median(v) for name, v in wall.items()}
    med_cpu = {name: statistics.median(v) for name, v in cpu.items()}
    return {"reportls_ms": round(med["reportls"], 1), "report_py_ms": round(med["report.py"], 1),
            "ratio": round(med["report.py"] / med["reportls"], 2),
            "reportls_cpu_ms": round(med_cpu["reportls"], 1), "report_py_cpu_ms": round(med_cpu["report.py"], 1),
            "cpu_ratio": round(med_cpu["report.py"] / med_cpu["reportls"], 2)}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.run import checkout_environment, load_average

    ap = argparse.ArgumentParser(prog="python bench/cli_case.py", description=(
        "reportls check against the course's `python report.py check` on one real report, in a git "
        "repository with the course's typer report.py beside it, LF and CRLF: medians and their ratio."))
    seeds = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "seeds"
    ap.add_argument("seed", nargs="?", default=str(seeds / "001_dc0557ca9d4f87f1.md"), help="the report (default: "
                    "seed 001 of ../shared/seeds)")
    ap.add_argument("--runs", type=int, default=15, help="rounds of the two commands (default 15)")
    ap.add_argument("--report-py", metavar="FILE", default=str(COURSE_REPORT_PY), help="the report.py to run "
                    "(default: the course's typer shape, tests/fixtures/reportpy/typer_2025.py); `bench`: the "
                    "benchmark's own, which also imports markdown and loguru at the top")
    ap.add_argument("--in", dest="folder", metavar="REPORTS", help="measure in this existing `reports/` folder of a "
                    "real repository instead (its README.md and its own report.py), as it is")
    args = ap.parse_args(argv)
    env = checkout_environment()
    if subprocess.run([sys.executable, "-c", "import typer, pydantic"], capture_output=True, env=env).returncode:
        print("typer and pydantic are not installed: pip install typer pydantic (for measuring only)", file=sys.stderr)
        return 2
    if args.folder:
        reports = Path(args.folder).resolve()
        result = {"folder": str(reports), "runs": args.runs, "load_average_1min": load_average(),
                  "as is": side_by_side(reports, args.runs, env), "load_average_1min_end": load_average()}
        print(json.dumps(result, indent=2))
        return 0
    report = Path(args.seed).read_bytes()
    report_py = _report_py().encode() if args.report_py == "bench" else Path(args.report_py).read_bytes()
    result: dict = {"seed": Path(args.seed).name, "report_py": args.report_py, "runs": args.runs,
                    "load_average_1min": load_average()}
    for ending in ("LF", "CRLF"):
        with tempfile.TemporaryDirectory(prefix="reportls-cli-") as tmp:
            reports = seed_repository(Path(tmp), report, ending == "CRLF", report_py)
            result[ending] = side_by_side(reports, args.runs, env)
    result["load_average_1min_end"] = load_average()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
