"""A deliberately naive transcription of docs/reportpy.md (report.py's check), for comparison.

Shares no code with the engine: plain ``str.split`` as report.py does it.  Returns
(answers, crash) where answers are the stripped strings report.py checks.
"""

import re


def reference_answers(text: str, expected: int, click: bool = False):
    # open() in text mode: universal newlines
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if click:
        text = text[43:]
        answers = []
        per_question = text.split("Answer:")
        for q in per_question:
            if "###" in q:
                q = q.split("###")[0]
                if "##" in q:
                    q = q.split("##")[0]
                answers.append(q)
        answers.append(per_question[-1])
        answers = answers[1:]
    else:
        answers = []
        per_question = text.split("Answer:")
        per_question.pop(0)
        for q in per_question:
            if "###" in q:
                q = q.split("###")[0]
                if "##" in q:
                    q = q.split("##")[0]
                answers.append(q)
        if not per_question:
            return [], "IndexError: list index out of range"
        answers.append(per_question[-1])
    answers = [a.strip("\n") for a in answers]
    if len(answers) != expected:
        return answers, "ValueError"
    return answers, None


def reference_counts(text: str, expected: int, click: bool = False):
    answers, crash = reference_answers(text, expected, click)
    return [(len(a.split()), len(re.findall(r"\!\[.*?\]\(.*?\)", a))) for a in answers], crash


# docs/reportpy.md's tables, transcribed by hand: {question: (min_words, max_words, min_images, max_images)}
_W = lambda a, b: (a, b, None, None)
_I = lambda a, b: (None, None, a, b)
TABLE_2023 = {3: _W(100, 200), 4: _W(100, 200), 5: _W(100, 200), 6: _W(50, 100), 7: _W(50, 100), 8: _W(100, 200),
              9: _W(100, 200), 10: _W(100, 200), 11: _W(200, 300), 12: _W(50, 100), 13: _W(100, 200),
              14: (200, 300, 1, 3), 15: _W(100, 200), 16: _W(100, 200), 17: _W(50, 200), 18: _W(100, 200),
              19: _I(1, 2), 20: _I(1, 1), 21: _I(1, 1), 22: _W(100, 200), 23: _W(100, 200), 24: _W(25, 100),
              25: (200, 400, 1, 1), 26: _W(200, 400), 27: _W(50, 200)}
TABLE_2025 = {3: _W(100, 200), 4: _W(100, 200), 5: _W(100, 200), 6: _W(100, 200), 7: _W(50, 100), 8: _W(100, 200),
              9: _W(100, 200), 10: _W(100, 200), 11: _W(200, 300), 12: _W(50, 100), 13: _W(100, 200),
              14: (200, 300, 1, 3), 15: _W(100, 200), 16: _W(100, 200), 17: _W(50, 200), 18: _W(100, 200),
              19: _I(1, 2), 20: _I(1, 2), 21: _I(1, 2), 22: _W(100, 200), 23: _W(100, 200), 24: _W(100, 200),
              25: _W(100, 200), 26: _W(100, 200), 27: _W(100, 200), 28: _W(0, 200), 29: (200, 400, 1, 1),
              30: _W(200, 400), 31: _W(50, 300)}
TABLE_2026 = dict(TABLE_2025)
TABLE_2026[3] = _W(0, 200)
TABLES = {"2023": (27, True, TABLE_2023), "2025": (31, False, TABLE_2025), "2026": (31, False, TABLE_2026)}


def reference_verdicts(text: str, profile: str):
    """[(number, words, images, passed)] and crash, the way report.py check computes them."""
    expected, click, table = TABLES[profile]
    counts, crash = reference_counts(text, expected, click)
    if crash:
        return None, crash
    out = []
    for i, (w, im) in enumerate(counts, 1):
        lo_w, hi_w, lo_i, hi_i = table.get(i, (None, None, None, None))
        ok = (lo_w is None or lo_w <= w <= hi_w) and (lo_i is None or lo_i <= im <= hi_i)
        out.append((i, w, im, ok))
    return out, None
