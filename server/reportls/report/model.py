"""Plain data describing a report: spans, figure links, questions, sections.

Spans are character offsets into the document text (Python string indices).  Nothing here parses
or checks; ``report.parse`` builds these, ``report.reportpy`` and ``checks`` read them.
"""

from __future__ import annotations

import bisect

from reportls.text.document import LineIndex
from reportls.text.records import field, record

MARKER = "Answer:"  # what report.py splits the report on; every module spells it through this name


def at_template_place(path) -> bool:
    """Whether ``path`` (a ``Path`` or None) is where the template keeps the report,
    ``reports/README.md``: report.py checks that file whatever it holds (and crashes on an empty
    one), so a file there is a report even without ``### Question`` headings or ``Answer:``."""
    return path is not None and path.name == "README.md" and path.parent.name == "reports"


def covering(items, offset: int, starts: list[int] | None = None):
    """The last of ``items`` (sorted by ``span.start``) starting at or before ``offset``, if its
    span reaches ``offset`` (end inclusive): which question, link or section holds an offset.
    ``starts``: the items' start offsets, when a caller looks up many offsets at once."""
    if starts is not None:
        k = bisect.bisect_right(starts, offset) - 1
    else:
        k = bisect.bisect_right(items, offset, key=lambda x: x.span.start) - 1
    if k >= 0 and offset <= items[k].span.end:
        return items[k]
    return None


@record(frozen=True, slots=True)
class Span:
    """[start, end) offsets in the text."""

    start: int
    end: int

    def shifted(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta)

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@record(frozen=True, slots=True)
class FigureLink:
    """An image reference written in the report.

    ``kind``: "inline" (``![alt](dest)``), "reference" (``![alt][ref]``) or "html" (``<img src>``).
    ``dest`` is the destination as written (without ``<>``), ``dest_span`` its span in the text
    (for completion, document links and edits).  ``hidden`` says where it sits when it is not shown
    as an image: "code" (fenced/indented block or inline code), "comment" (HTML comment) or None.
    """


    span: Span
    dest: str
    dest_span: Span
    kind: str = "inline"
    alt: str = ""
    hidden: str | None = None
    angle: bool = False

    @property
    def finding_span(self) -> Span:
        """Where a finding about this link goes: its destination, or the whole link without one."""
        return self.dest_span if self.dest_span.end > self.dest_span.start else self.span


@record(frozen=True, slots=True)
class Heading:
    level: int
    title: str  # text after the #'s, stripped
    span: Span  # the whole heading line (without line ending)


@record(frozen=True, slots=True)
class Placeholder:
    span: Span
    text: str


@record(slots=True)
class Question:
    """A ``### Question N`` section as written in the document (the structural reading)."""

    number: int
    heading: Heading
    span: Span  # heading line start .. next heading of level <= 3 (or end of text)
    prompt: str = ""  # the bold question text, markers stripped
    prompt_span: Span | None = None  # the quoted block before the Answer: marker
    recommended: str | None = None  # "100-200 words" as written after "Recommended answer length:"
    example: str | None = None
    markers: list[int] = field(default_factory=list)  # offsets of every "Answer:" in the section
    answer_span: Span | None = None  # text after the last marker's line .. section end
    figures: list[FigureLink] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    heading_suffix: str = ""  # extra text after "Question N" in the heading

    @property
    def marker(self) -> int | None:
        return self.markers[-1] if self.markers else None


@record(slots=True)
class Report:
    """The whole document, read once per version and shared by every feature."""

    text: str
    front_matter: Span | None
    title: Heading | None
    headings: list[Heading]
    sections: list[Heading]  # level-2 headings
    questions: list[Question]
    figures: list[FigureLink]  # every image reference in the document
    hidden: list[tuple[Span, str]]  # code blocks, inline code, HTML comments: (span, kind)
    secrets: list[tuple[Span, str]] = field(default_factory=list)  # (span, what it looks like)
    lines: LineIndex | None = None  # the text's line index and newline map, shared by every reader
    question_starts: list[int] | None = field(default=None, repr=False)  # built on first lookup
    template_place: bool = False  # the file is reports/README.md (``at_template_place``; set by ``analyze``)
    links: list | None = field(default=None, repr=False, compare=False)  # checks.links.extract_links, on first use (not compared)

    @property
    def is_report(self) -> bool:
        """A report has a ``### Question 1`` heading (or, if that one was damaged, several other
        ``### Question N`` headings) and an ``Answer:`` marker; a file at ``reports/README.md`` is
        one whatever it holds."""
        if self.template_place:
            return True
        level3 = [q for q in self.questions if q.heading.level == 3]
        return (any(q.number == 1 for q in level3) or len(level3) >= 5) and MARKER in self.text

    def question(self, number: int) -> Question | None:
        for q in self.questions:
            if q.number == number:
                return q
        return None

    def question_at(self, offset: int) -> Question | None:
        """The ``### Question N`` section holding ``offset`` (heading line to its end, inclusive)."""
        if self.question_starts is None:
            self.question_starts = [q.span.start for q in self.questions]
        return covering(self.questions, offset, self.question_starts)

    def number_at(self, offset: int) -> int | None:
        """The number of the question section holding ``offset`` (None: outside every one): the
        question a finding there belongs to."""
        q = self.question_at(offset)
        return q.number if q is not None else None

    def written_at(self, offset: int) -> Question | None:
        """The question whose group-written text (anything after its last ``Answer:``, to the end of
        its section) holds ``offset``: where a finding belongs to a question's answer."""
        q = self.question_at(offset)
        return q if q is not None and q.marker is not None and offset > q.marker else None

    def answer_question(self, offset: int) -> Question | None:
        """The question whose answer (after its last ``Answer:``) holds ``offset``."""
        q = self.question_at(offset)
        if q is not None and q.answer_span is not None and q.answer_span.start <= offset <= q.answer_span.end:
            return q
        return None

    @property
    def index(self) -> LineIndex:
        """The line index of ``text`` (built on first use when the parser was not given one)."""
        if self.lines is None:
            self.lines = LineIndex(self.text)
        return self.lines

    def hidden_kind(self, offset: int) -> str | None:
        for span, kind in self.hidden:
            if span.start <= offset < span.end:
                return kind
            if span.start > offset:
                break
        return None
