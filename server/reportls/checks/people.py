"""Study numbers: DTU credits each member of the group by the numbers the report names.

Owns the ``study-number`` diagnostic:

- in Question 2 (found by its prompt, "Enter the study number for each member"; else the question
  numbered 2), a 6-digit number written without its ``s`` ("194245" for "s194245");
- in the contributions question (found by its prompt, "State the individual contributions of each
  team member": the last question of the 2025/2026 templates, Question 27 of the 2023 one), a
  study number ``s`` + 6 digits that Question 2 does not list, naming the closest listed one.

Nothing else is a study number: usernames (``ansol``, ``phigon``), years, numbers of other
lengths, numbers inside HTML comments or the template's prompt text.
"""

from __future__ import annotations

import bisect
import re

from reportls.files.figures import closest_names
from reportls.findings import WARNING, Finding, Replacement, did_you_mean
from reportls.report.model import Question, Report, Span

# s + 6 digits, as a token of its own ("s194245", "(s194245)", "s194245's"; not "xs1942451")
_STUDY = re.compile(r"(?<![A-Za-z0-9_])[sS](?P<digits>\d{6})(?![0-9])")
# a 6-digit number of its own (not part of 1.234567, 12,345678, 2025-194245, abc194245 or a URL)
_BARE = re.compile(r"(?<![\w.,/:#@%+-])(?P<digits>\d{6})(?![\w]|[.,]\d)")
_SPACED_S = r"[sS][ \t]$"  # "s 194245": the s is there, a space too many (rare: compiled when needed)


def study_question(report: Report) -> Question | None:
    """Question 2: the one asking for the study numbers (by prompt), else the one numbered 2."""
    for q in report.questions:
        if "study number" in q.prompt.lower():
            return q
    return report.question(2)


def contributions_question(report: Report) -> Question | None:
    """The question asking for each member's contribution (by its prompt; the last one that does)."""
    found = None
    for q in report.questions:
        if "contribution" in q.prompt.lower() and "study number" not in q.prompt.lower():
            found = q
    return found


def _answer(report: Report, q: Question | None) -> Span | None:
    return q.answer_span if q is not None else None


def _visible(report: Report):
    """``shown(offset)``: not inside an HTML comment or front matter (code is shown to the grader)."""
    spans = [(s.start, s.end) for s, kind in report.hidden if kind in ("comment", "front-matter")]
    starts = [s for s, _ in spans]

    def shown(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k < 0 or offset >= spans[k][1]

    return shown


def listed_numbers(report: Report) -> list[str]:
    """The study numbers Question 2 lists, as ``s`` + 6 digits, in order (a number written without
    its ``s`` counts as listed)."""
    span = _answer(report, study_question(report))
    if span is None:
        return []
    text, shown = report.text, _visible(report)
    found: dict[int, str] = {}
    for rx in (_STUDY, _BARE):
        for m in rx.finditer(text, span.start, span.end):
            if shown(m.start()):
                found.setdefault(m.start("digits"), "s" + m.group("digits"))
    return list(dict.fromkeys(found[k] for k in sorted(found)))


def study_number_findings(report: Report) -> list[Finding]:
    if not report.is_report:
        return []
    text, shown = report.text, _visible(report)
    out: list[Finding] = []
    q2 = study_question(report)
    span = _answer(report, q2)
    if span is not None:
        for m in _BARE.finditer(text, span.start, span.end):
            if not shown(m.start()):
                continue
            digits = m.group("digits")
            start = m.start()
            spaced = re.compile(_SPACED_S).search(text, max(span.start, start - 2), start)
            if spaced:
                start = spaced.start()
                message = (f"`{text[start:m.end()]}` has a space inside: write the study number as `s{digits}`, "
                           "as DTU credits each member by it.")
            else:
                message = (f"`{digits}` looks like a study number without its `s`: write `s{digits}`, as DTU "
                           "credits each member by it.")
            out.append(Finding("study-number", Span(start, m.end()), message, WARNING, q2.number,
                               Replacement(f"s{digits}", (f"s{digits}",))))
    contrib = contributions_question(report)
    listed = listed_numbers(report)
    cspan = _answer(report, contrib)
    if cspan is None or not listed or contrib is q2:
        return out
    known = {n[1:] for n in listed}
    q2_name = f"Question {q2.number}" if q2 is not None else "Question 2"
    for m in _STUDY.finditer(text, cspan.start, cspan.end):
        if m.group("digits") in known or not shown(m.start()):
            continue
        token = m.group()
        near = closest_names(token.lower(), listed)
        hint = did_you_mean(near[:1], start="did you mean ", code=False) or f"it lists {', '.join(listed)}."
        out.append(Finding(
            "study-number", Span(m.start(), m.end()), f"{token} is not in {q2_name}'s list; {hint}",
            WARNING, contrib.number, Replacement(near[0], tuple(near)) if near else None,
        ))
    return out
