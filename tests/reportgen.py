"""Builds synthetic reports from the template's structure (no real report needed).

``make_report(answers={3: "text"}, ...)`` gives a 31-question (or 27-question) report whose
question N answer is ``answers.get(N, default)``; every piece of the layout can be varied.
"""

from __future__ import annotations

PROMPT_2026_Q3 = "Did you end up using any open-source frameworks/packages not covered in the course during your project?"
PROMPT_2025_Q3 = "A requirement to the project is that you include a third-party package not covered in the course."
SECTIONS = {1: "Group information", 4: "Coding environment", 7: "Version control", 12: "Running code",
            17: "Working in the cloud", 23: "Deployment", 27: "Overall discussion of project"}


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def question_block(number: int, answer: str, prompt: str | None = None, recommended: str | None = "100-200 words",
                   newline: str = "\n") -> str:
    prompt = prompt or f"Explain question {number} of the project in your own words."
    lines = [f"### Question {number}", "", f"> **{prompt}**", ">"]
    if recommended:
        lines += [f"> Recommended answer length: {recommended}.", ">"]
    lines += ["> Example:", "> *We used ... for ...*", ">", "> Answer:", "", answer, ""]
    return newline.join(lines) + newline


def make_report(answers: dict[int, str] | None = None, *, count: int = 31, q3: str = PROMPT_2026_Q3,
                default: str = "", front_matter: bool = False, newline: str = "\n", sections: bool = True,
                tail: str = "") -> str:
    answers = answers or {}
    out = []
    if front_matter:
        out.append("---\nlayout: default\nnav_exclude: true\n---\n\n")
    out.append("# Exam template for 02476 Machine Learning Operations\n\nPreamble text with `![my_image](figures/<image>.<extension>)`.\n\n")
    out.append("## Overall project checklist\n\n### Week 1\n\n* [ ] Create a git repository (M5)\n\n")
    for n in range(1, count + 1):
        if sections and n in SECTIONS:
            out.append(f"## {SECTIONS[n]}\n\n")
        out.append(question_block(n, answers.get(n, default), q3 if n == 3 else None))
        out.append("\n")
    text = "".join(out) + tail
    if newline != "\n":
        text = text.replace("\n", newline)
    return text
