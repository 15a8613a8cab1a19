"""report.py's reading of the report: which text each answer is, exactly as ``report.py check`` cuts it.

Owns report.py's algorithm (docs/reportpy.md): the split on ``Answer:``, the ``###``/``##`` cuts, the dropped
parts, the duplicated last part, ``strip("\\n")``, ``split()`` words, the image regex, the crash on
a wrong answer count, the click variant's ``text[43:]``, with every counted answer mapped back to
its span in the document so that verdicts can be placed on the right text and explained.

report.py opens the file in text mode, so ``\\r\\n`` and lone ``\\r`` reach it as ``\\n``
(universal newlines); the view is computed on that text and mapped back to document offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportls.text.document import NewlineMap
from reportls.text.records import field, record
from reportls.report.model import MARKER, Span

IMAGE_RE = re.compile(r"\!\[.*?\]\(.*?\)")
CLICK_SKIP = 43  # the click variant drops text[:43] (the Jekyll front matter block)


@record(frozen=True, slots=True)
class Cut:
    """Where report.py cut a part: ``marker`` is "###" or "##"; ``offset`` in the document."""

    marker: str
    offset: int


@record(frozen=True, slots=True)
class CountedAnswer:
    """One entry of report.py's ``answers`` list."""

    index: int  # 1-based position in report.py's list (the question it is checked as)
    part: int  # index of the part after splitting on "Answer:" (part 0 = before the first marker)
    marker: int | None  # document offset of the "Answer:" that opens this part (None: part 0)
    span: Span  # the counted text after strip("\n"), in document offsets
    part_span: Span  # the whole part, uncut
    text: str  # the counted text, as report.py sees it
    words: int
    images: int
    cut: Cut | None  # None when the part was kept uncut (the appended last part)
    duplicate: bool = False  # the appended last part that step 3 had already kept


@record(slots=True)
class ReportPyView:
    answers: list[CountedAnswer]
    expected: int
    crash: str | None  # the exception report.py raises, or None
    markers: list[int]  # document offsets of every "Answer:" report.py splits on
    dropped: list[tuple[int, Span]] = field(default_factory=list)  # (part index, span) not kept
    click: bool = False

    @property
    def crashed(self) -> bool:
        return self.crash is not None


def count_words(answer: str) -> int:
    return len(answer.split())


def count_images(answer: str) -> int:
    return len(IMAGE_RE.findall(answer))


@lru_cache(maxsize=1024)
def _counts(answer: str) -> tuple[int, int]:
    """(words, images) of one answer; an edit changes one answer, the others are looked up."""
    return count_words(answer), count_images(answer)


def read_as_report_py(
    text: str,
    expected: int,
    *,
    click: bool = False,
    crash_message: str = "Number of answers are different from the expected {n}. Have you changed the template?",
    newlines: NewlineMap | None = None,
) -> ReportPyView:
    """Compute report.py's ``answers`` list for ``text`` (the document as the editor holds it);
    ``newlines`` is the text's universal-newline reading when the caller already has it."""
    newlines = newlines or NewlineMap(text)
    seen, doc = newlines.seen, newlines.to_doc

    base = CLICK_SKIP if click else 0
    body = seen[base:]
    # offsets (in `seen`) where each part starts; part k runs to the next marker
    part_starts = [base]
    markers: list[int] = []
    i = body.find(MARKER)
    while i != -1:
        markers.append(base + i)
        part_starts.append(base + i + len(MARKER))
        i = body.find(MARKER, i + len(MARKER))
    part_ends = [m for m in markers] + [len(seen)]

    # (part index, start, end, cut) of every kept answer, before dropping
    kept: list[tuple[int, int, int, Cut | None]] = []
    dropped: list[tuple[int, Span]] = []
    first = 0 if click else 1
    for k in range(first, len(part_starts)):
        start, end = part_starts[k], part_ends[k]
        cut3 = seen.find("###", start, end)
        if cut3 == -1:
            if 0 < k < len(part_starts) - 1:
                dropped.append((k, Span(doc(start), doc(end))))
            continue
        cut = Cut("###", cut3)
        cut2 = seen.find("##", start, cut3)
        if cut2 != -1:
            cut = Cut("##", cut2)
        kept.append((k, start, cut.offset, cut))

    crash = None
    if not click and len(part_starts) == 1:
        # typer version: per_question.pop(0) leaves [], per_question[-1] raises
        return ReportPyView([], expected, "IndexError: list index out of range", [], dropped, click)
    last = len(part_starts) - 1
    kept.append((last, part_starts[last], part_ends[last], None))
    if click:
        kept = kept[1:]

    answers: list[CountedAnswer] = []
    kept_parts = set()
    for idx, (k, start, end, cut) in enumerate(kept, 1):
        raw = seen[start:end]
        stripped = raw.strip("\n")
        lead = len(raw) - len(raw.lstrip("\n"))
        s = start + lead
        e = s + len(stripped)
        words, images = _counts(stripped)
        duplicate = cut is None and k in kept_parts
        kept_parts.add(k)
        answers.append(
            CountedAnswer(
                index=idx,
                part=k,
                marker=doc(markers[k - 1]) if k >= 1 else None,
                span=Span(doc(s), doc(e)),
                part_span=Span(doc(part_starts[k]), doc(part_ends[k])),
                text=stripped,
                words=words,
                images=images,
                cut=Cut(cut.marker, doc(cut.offset)) if cut else None,
                duplicate=duplicate,
            )
        )
    if len(answers) != expected:
        crash = "ValueError: " + crash_message.format(n=expected)
    return ReportPyView(answers, expected, crash, [doc(m) for m in markers], dropped, click)
