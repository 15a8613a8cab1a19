"""The question under the cursor, in report.py's numbers (``reportls/questionStatus``).

Drives the VS Code status bar item and the Neovim statusline function: whichever question's
section holds the offset (heading to the next heading, blank lines after the answer included), its counts and bounds as report.py reaches
them, or, when report.py would crash, the section's own counts with the crash message.
"""

from __future__ import annotations

import bisect
from reportls.text.records import record

from reportls.analysis import Analysis
from reportls.report.model import Question, Report


@record(frozen=True, slots=True)
class QuestionStatus:
    number: int
    words: int
    images: int
    min_words: int | None
    max_words: int | None
    min_images: int | None
    max_images: int | None
    passed: bool
    crash: str | None
    anchor: int  # the question heading's offset (where a client shows the question's hover)


def _question_before(report: Report, offset: int) -> Question | None:
    """The question whose section ends before ``offset`` with nothing but blank lines between:
    the blank lines after an answer, where the next paragraph is about to be typed."""
    qs = report.questions
    k = bisect.bisect_right(qs, offset, key=lambda q: q.span.start) - 1
    if k < 0 or report.text[qs[k].span.end : offset].strip():
        return None
    return qs[k]


def question_status(analysis: Analysis, offset: int) -> QuestionStatus | None:
    """report.py's verdict for the question holding ``offset``; None outside every question."""
    q = analysis.report.question_at(offset) or _question_before(analysis.report, offset)
    if q is None:
        return None
    r = analysis.result(q.number)
    if r is None:
        return None
    c = r.constraint
    return QuestionStatus(
        number=r.number, words=r.words, images=r.images,
        min_words=c.min_words, max_words=c.max_words, min_images=c.min_images, max_images=c.max_images,
        passed=r.passed, crash=analysis.crash, anchor=q.heading.span.start,
    )
