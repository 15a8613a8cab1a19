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
