"""The reports and figure folders the benchmark runs on (deterministic, no real report needed).

``full_report``: the 31-question report of the headline numbers (~40 KB, 2026 template shape); its
question 5 answer holds a fenced code block and a list (what the hand-in checks re-examine), and
``code_and_list_anchors`` says where to type inside that answer.

``figures_report``: the worst keystroke case of issue 11, a report in the 2025 template shape whose
12 image links name files that do not exist, next to a folder of 500 real-looking image files
(``make_figure_folder``); ``with_links=False`` gives the same report with no figures at all (the
baseline it must match).  Each returns the offsets inside the answers of questions with broken links
where the benchmark types.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

VOCAB = ("model data training docker cloud pipeline we used the a to of and for our with in run test API "
         "deployment monitoring experiment config hydra wandb loss accuracy GPU bucket").split()
SECTIONS_2026 = (1, 4, 7, 12, 17, 23, 27)
Q3_2025 = ("A requirement to the project is that you include a third-party package not covered in the course. "
           "What framework did you choose to work with and did it help you complete the project?")

# Question 5 of the full report: prose, a list right after a paragraph line and a fenced code block,
# the constructs report.py html renders differently from GitHub (README, "What the grader sees").
CODE_AND_LIST_ANSWER = (
    "We managed our dependencies with a requirements file and a pyproject file that pins every "
    "package we import, so that the training image and the API image are built from the same list. "
    "The list is kept up to date with pipreqs and checked in continuous integration on every pull request.\n"
    "To get an exact copy of our environment a new team member would:\n"
    "- clone the repository and enter the project folder\n"
    "- create a fresh virtual environment with Python 3.11\n"
    "- install the pinned requirements and the project itself in editable mode\n"
    "- pull the data with dvc and run the unit tests to confirm that everything works\n"
    "\n"
    "```bash\n"
    "git clone https://github.com/our-group/mlops-project.git\n"
    "cd mlops-project\n"
    "python -m venv .venv && source .venv/bin/activate\n"
    "pip install -r requirements.txt -e .\n"
    "dvc pull && pytest tests\n"
    "```\n"
    "\n"
    "After these steps the environment matches the one used in our docker images and in the cloud."
)

# The 12 figure links of the worst case (question -> destinations), none of which exists; 10 are in
# the questions that require images, 2 in answers that only illustrate.
MISSING_LINKS: dict[int, tuple[str, ...]] = {
    14: ("figures/wandb_sweep.png", "figures/wandb_loss_curves.png", "figures/wandb_table.png"),
    16: ("figures/profiler_trace.png",),
    19: ("figures/gcp_bucket.png", "figures/gcp_bucket_contents.png"),
    20: ("figures/artifact_registry.png", "figures/artifact_registry_images.png"),
    21: ("figures/cloud_build_history.png", "figures/cloud_build_logs.png"),
    26: ("figures/grafana_dashboard.png",),
    29: ("figures/architecture_overview.png",),
}
WORDS_2025 = {3: (100, 200), 4: (100, 200), 5: (100, 200), 6: (100, 200), 7: (50, 100), 8: (100, 200),
              9: (100, 200), 10: (100, 200), 11: (200, 300), 12: (50, 100), 13: (100, 200), 14: (200, 300),
              15: (100, 200), 16: (100, 200), 17: (50, 200), 18: (100, 200), 22: (100, 200), 23: (100, 200),
              24: (100, 200), 25: (100, 200), 26: (100, 200), 27: (100, 200), 28: (0, 200), 29: (200, 400),
              30: (200, 400), 31: (50, 300)}


@dataclass(frozen=True)
class BenchReport:
    text: str
    anchors: tuple[int, ...]  # offsets (in ``text``) where the benchmark types, in increasing order
    missing_links: int = 0


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def _prompt(n: int, text: str | None = None) -> str:
    prompt = text or f"Explain question {n} in detail, please, with all that it needs."
    return (f"### Question {n}\n\n> **{prompt}**\n>\n> Recommended answer length: 100-200 words.\n>\n"
            "> Example:\n> *We used ... for ...*\n>\n> Answer:\n\n")


def full_report(seed: int = 0) -> str:
    """A realistic 31-question report (~40 KB) built from the template structure."""
    rng = random.Random(seed)
    out = ["# Exam template for 02476 Machine Learning Operations\n\n",
           "Preamble `![my_image](figures/<image>.<extension>)`\n\n",
           "## Overall project checklist\n\n", "".join(f"* [x] Checklist item {i} (M{i})\n" for i in range(60)), "\n"]
    for n in range(1, 32):
        if n in SECTIONS_2026:
            out.append(f"## Section before question {n}\n\n> Section intro text.\n\n")
        out.append(_prompt(n))
        body = _prose(rng, rng.randint(120, 230))  # drawn for every question: the other answers stay the same
        if n == 5:
            body = CODE_AND_LIST_ANSWER
        out.append(body + ("\n\n![fig](figures/f1.png)\n" if n in (14, 19, 20, 21, 29) else "\n") + "\n")
    return "".join(out)


def code_and_list_anchors(text: str) -> tuple[int, ...]:
    """Where to type in question 5's answer: its first paragraph, a list item, a line of the code
    block and the closing sentence (each just after a space, as a user types between words)."""
    start = text.index(CODE_AND_LIST_ANSWER)
    out = []
    for needle in ("so that the training image", "create a fresh virtual", "pip install -r", "matches the one used"):
        i = text.index(needle, start)
        out.append(text.index(" ", i) + 1)
    return tuple(sorted(out))


def figures_report(seed: int = 7, *, with_links: bool = True) -> BenchReport:
    """The 2025-shaped report of the worst keystroke case (see the module docstring)."""
    rng = random.Random(seed)
    out = ["# Exam template for 02476 Machine Learning Operations\n\n",
           "This is the report template for the exam. Please only remove the text formatted as with three "
           "dashes in front and behind like: ```--- question 1 fill here ---```\n\n"
           "Where you instead should add your answers. Any other changes may have unwanted consequences when "
           "your report is auto-generated at the end of the course.\n\n"
           "`![my_image](figures/<image>.<extension>)`\n\n",
           "## Overall project checklist\n\n"]
    for week in (1, 2, 3):
        out.append(f"### Week {week}\n\n")
        out.extend(f"* [x] {_prose(rng, 9).capitalize()} (M{week * 10 + i})\n" for i in range(16))
        out.append("\n")
    anchors: list[int] = []
    missing = 0
    for n in range(1, 32):
        if n in SECTIONS_2026:
            out.append(f"## Section before question {n}\n\n> Section intro text.\n\n")
        out.append(_prompt(n, Q3_2025 if n == 3 else None))
        lo, hi = WORDS_2025.get(n, (5, 60))
        count = rng.randint(lo + (hi - lo) // 4, hi - (hi - lo) // 4)
        first, second = _prose(rng, count // 2), _prose(rng, count - count // 2)
        links = MISSING_LINKS.get(n, ())
        if links:
            # type in the middle of the first paragraph of every question with broken links
            done = sum(len(part) for part in out)
            anchors.append(done + first.index(" ", len(first) // 2) + 1)
        body = first + "\n\n"
        if with_links:
            for k, dest in enumerate(links):
                body += f"![{Path(dest).stem}]({dest})\n" if k == 0 else f"\n![{Path(dest).stem}]({dest})\n"
                missing += 1
            if links:
                body += "\n"
        out.append(body + second + "\n\n")
    return BenchReport("".join(out), tuple(anchors), missing)


def make_figure_folder(folder: Path, count: int = 500) -> list[str]:
    """``count`` image files with the names real figures folders have (screenshots, numbered
    plots, per-question names), none of them a name ``MISSING_LINKS`` uses."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    topics = ("wandb", "gcp", "bucket", "docker", "api", "loss", "accuracy", "confusion_matrix", "sweep",
              "cloud_run", "vertex", "monitoring", "drift", "coverage", "github_actions", "dvc")
    names: set[str] = set()
    while len(names) < count:
        kind = len(names) % 4
        if kind == 0:
            name = (f"Screenshot 2025-01-{rng.randint(2, 24):02d} at {rng.randint(8, 23):02d}."
                    f"{rng.randint(0, 59):02d}.{rng.randint(0, 59):02d}.png")
        elif kind == 1:
            name = f"{rng.choice(topics)}_{rng.choice(topics)}_{rng.randint(1, 40)}.png"
        elif kind == 2:
            name = f"q{rng.randint(1, 31)}_{rng.choice(topics)}_{rng.randint(1, 9)}.{rng.choice(('png', 'jpg'))}"
        else:
            name = f"image{rng.randint(1, 900)}.png"
        names.add(name)
    taken = {Path(d).name for links in MISSING_LINKS.values() for d in links}
    assert not names & taken, "a figure folder name collides with a missing link"
    for name in sorted(names):
        (folder / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    return sorted(names)


class Typist:
    """Types into ``text`` as a user does: runs of characters of a phrase at each anchor in turn
    (``run`` keystrokes at one place, then the next anchor), the anchors moving with the text."""

    PHRASE = "we then retrained the model "

    def __init__(self, text: str, anchors: tuple[int, ...], run: int = 10):
        if not anchors:
            raise ValueError("no place to type")
        self.text = text
        self.anchors = list(anchors)
        self.run = run
        self.typed = 0

    def next(self) -> tuple[int, str]:
        """One keystroke: (offset in the text before it, character inserted); updates ``text``."""
        which = (self.typed // self.run) % len(self.anchors)
        offset = self.anchors[which]
        char = self.PHRASE[self.typed % len(self.PHRASE)]
        self.text = self.text[:offset] + char + self.text[offset:]
        self.anchors = [a + 1 if a >= offset else a for a in self.anchors]
        self.typed += 1
        return offset, char
