"""A group's repository as the integration tests need it: a report that passes every question of the
2026 table (with its figure), and small edits that make one question fail."""

from __future__ import annotations

from pathlib import Path

from tests.reportgen import make_report, words

# 2026 table: every question inside its bounds; Q3 has 60 words (passes 2026's 0-200, fails 2025's 100-200)
PASSING_ANSWERS = {n: words(60) for n in range(3, 32)} | {
    4: words(150), 5: words(150), 6: words(150), 8: words(150), 9: words(150), 10: words(150), 11: words(250),
    13: words(150), 14: words(250) + " ![a](figures/a.png)", 15: words(150), 16: words(150), 18: words(150),
    19: "![a](figures/a.png)", 20: "![a](figures/a.png)", 21: "![a](figures/a.png)", 22: words(150),
    23: words(150), 24: words(150), 25: words(150), 26: words(150), 27: words(150),
    29: words(250) + " ![a](figures/a.png)", 30: words(250),
}


def passing_report() -> str:
    return make_report(PASSING_ANSWERS)


def failing_report(question: int = 7, count: int = 20) -> str:
    """The passing report with ``question``'s answer replaced by ``count`` words."""
    return make_report(PASSING_ANSWERS | {question: words(count)})


def write_report(reports: Path, text: str) -> Path:
    """``reports/README.md`` with ``text`` and the figure it links."""
    (reports / "figures").mkdir(parents=True, exist_ok=True)
    (reports / "figures" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = reports / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def answer_line(text: str, question: int) -> int:
    """1-based line of the first answer line of ``question`` (what text output points at)."""
    start = text.index(f"### Question {question}\n")
    marker = text.index("> Answer:", start)
    after = text.index("\n", marker) + 1
    while text[after] == "\n":
        after += 1
    return text.count("\n", 0, after) + 1
