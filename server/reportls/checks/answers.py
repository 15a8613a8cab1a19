"""The checks of the answers as report.py counts them: verdicts (``results``), word and image
counts, report.py's crash, cut-off answers, several ``Answer:`` markers, headings, placeholders,
images counted but not shown, and where the constraints come from.

Plain data in (the ``Report``, the ``ReportPyView``, the ``ConstraintTable``), ``Finding``s out.
Messages name the numbers report.py uses.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from reportls.text.records import record

from reportls.constraints.table import Constraint, ConstraintTable, plural
from reportls.edits import TextEdit
from reportls.findings import ERROR, HINT, INFORMATION, WARNING, Finding, Rewrite
from reportls.report.model import MARKER, Question, Report, Span
from reportls.report.reportpy import IMAGE_RE, CountedAnswer, ReportPyView, count_images, count_words


@record(frozen=True, slots=True)
class QuestionResult:
    """The verdict for one question, as report.py reaches it (or, on a crash, as the structure gives)."""

    number: int
    anchor: int  # offset the question is reported at (its heading, else its answer)
    words: int
    images: int
    constraint: Constraint
    passed: bool
    answer: CountedAnswer | None  # report.py's answer (None when report.py would crash)
    question: Question | None  # the structural section, when there is one
    span: Span  # the counted text (or the structural answer on a crash)


def reportpy_number(table: ConstraintTable, number: int) -> int:
    """The number report.py's own messages give question ``number``: the report.py of 29 December
    2022 / 6 January 2023 numbers from 0 (``enumerate`` without ``start``), read from it with ``ast``."""
    return number - 1 if table.zero_based_messages else number


def reportpy_name_note(table: ConstraintTable, number: int) -> str:
    """The sentence saying how report.py names question ``number`` ("" when it names it so too)."""
    if not table.zero_based_messages:
        return ""
    return (f"report.py calls this Question {reportpy_number(table, number)} "
            "(its `enumerate` counts from 0).")


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    return end - 1 if end > offset and text[end - 1] == "\r" else end


def _line_no(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def structural_answer(text: str, q: Question) -> tuple[Span, str]:
    """What report.py would count for this section alone: after its last marker, cut at ###/##,
    newlines stripped (``\\r\\n`` read as ``\\n``, as report.py's ``open()`` does)."""
    if q.answer_span is None:
        return Span(q.heading.span.end, q.heading.span.end), ""
    s, e = q.answer_span.start, q.answer_span.end
    cut = text.find("###", s, e)
    if cut != -1:
        e = cut
    cut = text.find("##", s, e)
    if cut != -1:
        e = cut
    raw = text[s:e]
    start = s + len(raw) - len(raw.lstrip("\r\n"))
    end = s + len(raw.rstrip("\r\n"))
    return Span(start, max(start, end)), raw.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def results(report: Report, view: ReportPyView, table: ConstraintTable) -> list[QuestionResult]:
    """Per-question verdicts: report.py's when it would not crash, the structural reading otherwise."""
    text = report.text
    out: list[QuestionResult] = []
    if not view.crashed:
        for a in view.answers:
            c = table.constraint(a.index)
            q = report.question(a.index)
            owner = report.question_at(a.marker) if a.marker is not None else None
            anchor = q.heading.span.start if q else (a.marker if a.marker is not None else a.span.start)
            out.append(
                QuestionResult(a.index, anchor, a.words, a.images, c, c.passes(a.words, a.images), a, owner or q, a.span)
            )
        return out
    for q in sorted(report.questions, key=lambda q: q.number):
        span, counted = structural_answer(text, q)
        words, images = count_words(counted), count_images(counted)
        c = table.constraint(q.number)
        out.append(QuestionResult(q.number, q.heading.span.start, words, images, c, c.passes(words, images), None, q, span))
    return out


def _answer_range(text: str, r: QuestionResult) -> Span:
    """Where a count diagnostic goes: the counted text, or the marker when the answer is empty."""
    if r.span.end > r.span.start:
        return r.span
    if r.answer is not None and r.answer.marker is not None:
        return Span(r.answer.marker, r.answer.marker + len(MARKER))
    if r.question is not None:
        return r.question.heading.span
    return Span(r.anchor, _line_end(text, r.anchor))


def count_findings(report: Report, res: list[QuestionResult]) -> Iterable[Finding]:
    """``word-count`` / ``image-count``: a count outside its bounds, in report.py's numbers."""
    for r in res:
        c = r.constraint
        why = "report.py check will fail" if r.answer is not None else "once report.py runs, it will fail"
        for code, ok, count, noun, bounds in (
            ("word-count", c.words_ok(r.words), r.words, "word", c.words_range),
            ("image-count", c.images_ok(r.images), r.images, "image", c.images_range),
        ):
            if not ok:
                yield Finding(code, _answer_range(report.text, r),
                              f"Question {r.number}: {plural(count, noun)}, needs {bounds} ({why})", WARNING, r.number)


def answer_count_findings(report: Report, view: ReportPyView, table: ConstraintTable) -> Iterable[Finding]:
    """Why report.py would crash, pointing at the question whose marker is missing or extra."""
    if not view.crashed:
        return
    text = report.text
    n, m = view.expected, len(view.answers)
    head = f"report.py check will crash: expected {n} answers, found {m}"
    if view.crash and view.crash.startswith("IndexError"):
        head = "report.py check will crash (IndexError): there is no `Answer:` marker"
    found = False
    for q in report.questions:
        if not q.markers:
            found = True
            yield Finding(
                "answer-count", q.heading.span,
                f"{head}. Question {q.number} has no `Answer:` marker.", ERROR, q.number,
            )
    for k, span in view.dropped:
        marker = view.markers[k - 1]
        q = report.question_at(marker)
        if q is not None and len(q.markers) == 1:
            nxt = text.find("##", span.start, span.end)
            what = f" (the next heading, line {_line_no(text, nxt)}, has fewer than 3 `#`)" if nxt != -1 else ""
            found = True
            yield Finding(
                "answer-count", Span(marker, marker + len(MARKER)),
                f"{head}. report.py drops Question {q.number}'s answer: no `###` follows it before the "
                f"next `Answer:`{what}.", ERROR, q.number,
            )
        elif q is None and k < len(view.markers):
            found = True
            yield Finding(
                "answer-count", Span(marker, marker + len(MARKER)),
                f"{head}. This `Answer:` is outside any `### Question` section.", ERROR,
            )
    seen: dict[int, int] = {}
    for a in view.answers:
        if a.duplicate and a.cut is None:
            extra = text.find("###", a.part_span.start, a.part_span.end)
            if extra != -1:
                found = True
                yield Finding(
                    "answer-count", Span(extra, _line_end(text, extra)),
                    f"{head}. The text after the last `Answer:` contains `###` (line {_line_no(text, extra)}), "
                    "so report.py counts the last answer twice; remove this heading or make it `##`.",
                    ERROR,
                )
            continue
        if a.marker is None:
            continue
        q = report.question_at(a.marker)
        key = q.number if q else -1
        if key in seen:
            found = True
            yield Finding(
                "answer-count", Span(a.marker, a.marker + len(MARKER)),
                f"{head}. Question {key} yields a second answer here (an extra `Answer:` followed by `###`).",
                ERROR, q.number if q else None,
            )
        seen[key] = a.index
    if not found:
        span = Span(view.markers[0], view.markers[0] + len(MARKER)) if view.markers else Span(0, _line_end(text, 0))
        yield Finding("answer-count", span, f"{head}.", ERROR)


def _prose_words(text: str) -> int:
    """Words outside heading and quote lines (a template section is a heading and a quote)."""
    return sum(len(line.split()) for line in text.splitlines() if not line.lstrip().startswith(("#", ">")))


def truncation_findings(report: Report, view: ReportPyView) -> Iterable[Finding]:
    """A ``##``/``###`` inside an answer silently ends report.py's count there.

    Two cases: the cut falls inside the question's own section (``#### Sub``, ``C##``, a code
    comment), or the cut is a heading of its own (``## Details``) followed by prose before the next
    question, which no question's count includes.  A template section (heading + quote) is neither.
    """
    if view.crashed:
        return
    text = report.text
    starts = [q.span.start for q in report.questions]  # where the next question begins
    for a in view.answers:
        if a.cut is None or a.marker is None:
            continue
        q = report.question_at(a.marker)
        if q is None:
            continue
        if a.cut.offset < q.span.end:
            lost_end = q.span.end
            lost = count_words(text[a.cut.offset : lost_end])
        else:
            k = bisect.bisect_right(starts, a.cut.offset)
            lost_end = min(starts[k] if k < len(starts) else len(text), a.part_span.end)
            rest = text[a.cut.offset : lost_end]
            if _prose_words(rest) == 0:
                continue
            lost = _prose_words(rest) + count_words(text[a.cut.offset : _line_end(text, a.cut.offset)])
        end = _line_end(text, a.cut.offset)
        line_no = _line_no(text, a.cut.offset)
        line_text = text[text.rfind("\n", 0, a.cut.offset) + 1 : end].strip()
        yield Finding(
            "answer-truncated",
            Span(a.cut.offset, end),
            f"Question {a.index}: report.py stops counting at `{a.cut.marker}` on line {line_no} "
            f"(`{line_text[:40]}`); the {lost} words after it are not counted (it counts {a.words}).",
            WARNING,
            a.index,
        )
        yield _not_counted(text, Span(a.cut.offset, lost_end), a.index,
                           f"it stops counting at `{a.cut.marker}` on line {line_no}", lost)


def _not_counted(text: str, span: Span, number: int, why: str, lost: int) -> Finding:
    """The text report.py drops, as a faded hint (``not-counted``, tagged unnecessary)."""
    trimmed = text[span.start : span.end].rstrip()
    noun = "word" if lost == 1 else "words"
    return Finding(
        "not-counted", Span(span.start, span.start + len(trimmed)),
        f"Question {number}: report.py does not count these {lost} {noun} ({why}).", HINT, number,
    )


def marker_findings(report: Report) -> Iterable[Finding]:
    text = report.text
    for q in report.questions:
        if len(q.markers) < 2:
            continue
        first, last = q.markers[0], q.markers[-1]
        lost = count_words(text[first + len(MARKER) : last])
        yield Finding(
            "answer-marker",
            Span(last, last + len(MARKER)),
            f"Question {q.number} has {len(q.markers)} `Answer:` markers; report.py counts only the text after "
            f"the last one (line {_line_no(text, last)}), so the {lost} words before it are not counted.",
            WARNING,
            q.number,
        )
        if lost:
            yield _not_counted(text, Span(first, last), q.number,
                               f"only the text after the last `Answer:`, on line {_line_no(text, last)}, counts", lost)


def placeholder_findings(report: Report) -> Iterable[Finding]:
    for q in report.questions:
        for p in q.placeholders:
            if q.marker is None or p.span.start < q.marker:
                continue
            yield Finding(
                "placeholder",
                p.span,
                f"Question {q.number}: the placeholder `{p.text}` is still here; report.py counts its "
                f"{count_words(p.text)} words. Replace it with your answer.",
                WARNING,
                q.number,
            )


def heading_findings(report: Report, table: ConstraintTable) -> Iterable[Finding]:
    seen: dict[int, Question] = {}
    previous = 0
    for q in report.questions:
        h = q.heading
        if h.level != 3:
            yield Finding(
                "heading", h.span,
                f"`{'#' * h.level} Question {q.number}` has {h.level} `#`; the template uses `###`, and report.py "
                "relies on `###` to end the previous answer.", WARNING, q.number,
            )
        if q.heading_suffix:
            yield Finding(
                "heading", h.span,
                f"Question {q.number}: the heading has extra text `{q.heading_suffix}`; keep it `### Question {q.number}` "
                "as in the template (the hand-in is generated from it).", WARNING, q.number,
            )
        if q.number in seen:
            yield Finding("heading", h.span, f"Question {q.number} appears twice (first on line "
                          f"{_line_no(report.text, seen[q.number].heading.span.start)}).", WARNING, q.number)
        elif q.number < previous:
            yield Finding("heading", h.span, f"Question {q.number} comes after Question {previous}: out of order.",
                          WARNING, q.number)
        seen.setdefault(q.number, q)
        previous = max(previous, q.number)
    missing = [n for n in range(1, table.answers + 1) if n not in seen]
    if missing and report.questions:
        for n in missing:
            # place it where the question should be: after the previous present question
            before = [q for q in report.questions if q.number < n]
            anchor = before[-1].heading.span if before else report.questions[0].heading.span
            yield Finding("heading", anchor, f"`### Question {n}` is missing (expected questions 1-{table.answers}).",
                          WARNING, n)


def image_in_code_findings(report: Report, view: ReportPyView,
                           table: ConstraintTable | None = None) -> Iterable[Finding]:
    """Images that report.py's regex counts but that are not shown (code blocks, comments).

    Information, unless the question requires images (``table``) and it has fewer shown than it
    requires: then its grade rests on text nobody sees, a warning on each such image, with a fix
    taking the backticks away when that keeps report.py's count (checked by counting again)."""
    if view.crashed:
        return
    text = report.text
    for a in view.answers:
        if a.duplicate or a.images == 0:
            continue
        hidden = [(m, kind) for m in IMAGE_RE.finditer(text, a.span.start, a.span.end)
                  if (kind := report.hidden_kind(m.start())) in ("code", "comment")]
        if not hidden:
            continue
        c = table.constraint(a.index) if table is not None else None
        # shown: the counted images outside code and comments, and the <img> / ![][ref] images
        # report.py does not count but the page shows
        shown = a.images - len(hidden) + sum(
            1 for f in report.figures
            if f.kind != "inline" and not f.hidden and a.span.start <= f.span.start < a.span.end)
        at_stake = c is not None and c.has_images and shown < (c.min_images or 0)
        for m, kind in hidden:
            where = "a code block or inline code" if kind == "code" else "an HTML comment"
            if not at_stake:
                yield Finding(
                    "image-in-code", Span(m.start(), m.end()),
                    f"Question {a.index}: report.py counts this image, but it is inside {where} and is not shown.",
                    INFORMATION, a.index,
                )
                continue
            what = "none" if shown <= 0 else f"only {shown}"
            counted = len(hidden)
            rewrite = _unwrap_code(report, view, table, a, m.start()) if kind == "code" else None
            how = " Take the backticks away so that they show." if rewrite else ""
            these = f"these {counted}" if counted > 1 else "this one"
            yield Finding(
                "image-in-code", Span(m.start(), m.end()),
                f"Question {a.index} requires {c.images_range} images; report.py counts {these}, but the hand-in "
                f"shows {what} (inside {_hidden_where(report, m.start(), kind)}, and GitHub does not show "
                f"{'them' if counted > 1 else 'it'} either).{how}", WARNING, a.index, rewrite,
            )


def _hidden_where(report: Report, offset: int, kind: str) -> str:
    if kind != "code":
        return "an HTML comment"
    for span, k in report.hidden:
        if k == "code" and span.start <= offset < span.end:
            code = report.text[span.start : span.end]
            return "inline code" if code.startswith("`") and "\n" not in code else "a code block"
    return "code"


def _unwrap_code(report: Report, view: ReportPyView, table: ConstraintTable, a: CountedAnswer,
                 offset: int) -> Rewrite | None:
    """The fix taking the backticks from around the inline code holding ``offset``: its edit, only
    when report.py then counts the answer's words and images as before (they are counted again)."""
    from reportls.report.reportpy import read_as_report_py

    text = report.text
    for span, kind in report.hidden:
        if kind != "code" or not span.start <= offset < span.end:
            continue
        code = text[span.start : span.end]
        ticks = len(code) - len(code.lstrip("`"))
        if not ticks or "\n" in code or len(code) - len(code.rstrip("`")) != ticks:
            return None
        inner = code[ticks:-ticks]
        for new in dict.fromkeys((inner, inner.strip())):
            changed = text[: span.start] + new + text[span.end :]
            again = read_as_report_py(changed, table.answers, click=table.click, crash_message=table.crash_message)
            same = [b for b in again.answers if b.index == a.index and not b.duplicate]
            if same and (same[0].words, same[0].images) == (a.words, a.images) and not again.crashed:
                return Rewrite("Take the backticks away (report.py's count unchanged)", (TextEdit(span, new),))
        return None
    return None


def source_findings(report: Report, notes: list[str]) -> Iterable[Finding]:
    if not notes:
        return
    span = report.title.span if report.title else Span(0, _line_end(report.text, 0))
    for note in notes:
        yield Finding("constraints-source", span, note, INFORMATION)
