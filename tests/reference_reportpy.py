"""A deliberately naive transcription of SPEC section 1 (report.py's check), for comparison.

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
