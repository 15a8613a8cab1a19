"""The real reports the keystroke cases type into, and where they type (deterministic).

``seed_reports``: the five filled-in reports of ``../shared/seeds`` (``$REPORTLS_SHARED/seeds``, or
the ``shared`` folder beside the repository, as the tests locate it); the generated full report
(``bench.reports.full_report``) when that folder is absent.

``twin``: a report's text with LF or CRLF line endings (the CRLF twin is what a Windows checkout
with ``core.autocrlf`` gives).  ``lay_out``: a report copied as ``<folder>/reports/README.md`` with
a ``reports/figures/`` folder holding the images it links to, so the server sees a real report.

``AnswerTypist``: one-character edits at random places inside the answers (from the report's own
structure, ``Parser().parse(text)``'s ``answer_span``), seeded, so every run types the same
characters at the same places.  Edits are planned on the LF text and given as LSP positions: a
position names the same place in the LF and the CRLF twin, so both are typed identically.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.lsp_client import position

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("REPORTLS_SHARED", ROOT.parent / "shared"))
ENDINGS = ("lf", "crlf")
CHARACTERS = "etaoinshrdlucmfwypgb    "  # letters by English frequency, and spaces between words
PNG = b"\x89PNG\r\n\x1a\n"
# an answer the hand-in checks re-examine: a fenced block, a list item or a quote line in it
CODE_OR_LIST = re.compile(r"^ {0,3}(```|~~~|[-*+] |\d{1,3}[.)] |>)", re.MULTILINE)
FENCE_LINE = re.compile(r" {0,3}(```|~~~)")


@dataclass(frozen=True)
class SeedReport:
    name: str  # the seed's file stem ("generated" for the fallback)
    text: str  # LF line endings

    @property
    def bytes(self) -> int:
        return len(self.text.encode())


@dataclass(frozen=True)
class Edit:
    """One keystroke: ``char`` inserted at ``offset`` of the LF text (``line``/``character``: the
    LSP position, UTF-16, the same in the CRLF twin)."""

    offset: int
    line: int
    character: int
    char: str

    def position(self) -> dict:
        return {"line": self.line, "character": self.character}


def seeds_folder() -> Path:
    return SHARED / "seeds"


def seed_reports() -> tuple[str, list[SeedReport]]:
    """(where the reports come from, the reports): the seeds when present, else the generated one."""
    folder = seeds_folder()
    paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if paths:
        return str(folder), [SeedReport(p.stem, twin(p.read_bytes().decode("utf-8"), "lf")) for p in paths]
    from bench.reports import full_report

    return f"generated: no reports in {folder}", [SeedReport("generated", full_report())]


def twin(text: str, ending: str) -> str:
    """``text`` with every line ending LF (``"lf"``) or CRLF (``"crlf"``)."""
    lf = text.replace("\r\n", "\n")
    return lf if ending == "lf" else lf.replace("\n", "\r\n")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def linked_figures(text: str) -> list[str]:
    """The file names under ``figures/`` that the report's image links name (shown ones only)."""
    from reportls.report.parse import Parser

    names = []
    for link in Parser().parse(text).figures:
        dest = link.dest.split("#", 1)[0].split("?", 1)[0]
        if link.hidden is None and dest.startswith("figures/") and re.fullmatch(r"[\w .-]+", dest[8:]):
            names.append(dest[8:])
    return sorted(set(names))


def lay_out(folder: Path, text: str, ending: str) -> Path:
    """``folder/reports/README.md`` holding ``text`` with ``ending`` line endings, beside a
    ``figures/`` folder with the images it links to; returns the report's path."""
    report = folder / "reports" / "README.md"
    figures = report.parent / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for name in linked_figures(text):
        (figures / name).write_bytes(PNG)
    report.write_bytes(twin(text, ending).encode())
    return report


def answer_spans(text: str) -> dict[int, tuple[int, int]]:
    """Question number -> (start, end) of its answer, from the report's structure."""
    from reportls.report.parse import Parser

    return {q.number: (q.answer_span.start, q.answer_span.end)
            for q in Parser().parse(text).questions if q.answer_span is not None}


def handin_findings(text: str) -> list:
    """The hand-in findings (``handin-*``) of ``text``, as the server's hand-in checks find them."""
    from reportls.handin.findings import HandinCheck
    from reportls.report.parse import Parser

    return [f for f in HandinCheck()(Parser().parse(text)) if f.code.startswith("handin-")]


def code_or_list_answers(text: str, spans: dict[int, tuple[int, int]]) -> list[int]:
    """The questions whose answer holds a fenced block, a list or a quote line."""
    return [n for n, (start, end) in spans.items() if CODE_OR_LIST.search(text, start, end)]


def _place(regions: list[tuple[int, int, int]], pick: int) -> tuple[int, int]:
    """The ``pick``-th offset of ``regions`` (question, start, end), counting (start, end] of each
    in turn: (its question, the offset)."""
    for number, start, end in regions:
        if pick < end - start:
            return number, start + 1 + pick
        pick -= end - start
    raise ValueError(f"{pick} is past the regions")


class AnswerTypist:
    """Types one character at a time at random places inside answers, keeping the answer spans
    in step with the text.  A place is an offset inside an answer that does not start a line (so a
    keystroke never glues onto ``Answer:`` or starts a new block) and is not on a code fence's
    ```` ``` ```` line (a letter there would unclose the fence and turn the rest of the report into
    code); every such place is as likely."""

    def __init__(self, text: str, seed: str):
        self.text = text
        self.spans = answer_spans(text)
        self.rng = random.Random(seed)

    def next(self, among: list[int] | None = None) -> Edit:
        """One keystroke in the answers of ``among`` (default: all answers); updates ``text``."""
        numbers = [n for n in (among or self.spans) if self.spans[n][1] > self.spans[n][0]]
        if not numbers:
            raise ValueError("no answer to type in")
        return self._type_in([(n, *self.spans[n]) for n in numbers])

    def next_in_handin_finding(self) -> Edit:
        """One keystroke inside the text a hand-in finding (``handin-*``: a fenced block, a list,
        a quote, a URL the hand-in shows differently) covers, so the edit changes that finding: the
        server's first publish drops it (its text changed), the completion renders it again."""
        regions = [(f.question, f.span.start, f.span.end) for f in handin_findings(self.text)
                   if f.question in self.spans and f.span.end > f.span.start]
        if not regions:
            raise ValueError("no hand-in finding to type in")
        return self._type_in(regions)

    def _type_in(self, regions: list[tuple[int, int, int]]) -> Edit:
        """A character at a random place in (start, end] of one of ``regions`` (question, start,
        end): every allowed offset as likely."""
        total = sum(end - start for _, start, end in regions)
        for _ in range(100_000):
            number, offset = _place(regions, self.rng.randrange(total))
            if self.text[offset - 1] not in "\r\n" and not self._on_fence_line(offset):
                return self._insert(number, offset, self.rng.choice(CHARACTERS))
        raise ValueError("no place to type in")

    def _on_fence_line(self, offset: int) -> bool:
        start = self.text.rfind("\n", 0, offset) + 1
        return FENCE_LINE.match(self.text, start) is not None

    def _insert(self, number: int, offset: int, char: str) -> Edit:
        pos = position(self.text, offset)
        self.text = self.text[:offset] + char + self.text[offset:]
        for n, (start, end) in self.spans.items():
            if n == number:
                self.spans[n] = (start, end + 1)
            elif start >= offset:
                self.spans[n] = (start + 1, end + 1)
        return Edit(offset, pos["line"], pos["character"], char)


@dataclass(frozen=True)
class SeedPlan:
    """What is typed into one seed: ``answers`` (anywhere in any answer), then ``code_and_list``
    (inside the answers holding a fenced block, a list or a quote), then ``in_handin_findings``
    (inside the text of a hand-in finding, each keystroke followed by a pause), and the LF text
    after each."""

    report: SeedReport
    answers: list[Edit]
    after_answers: str
    code_and_list_questions: list[int]
    code_and_list: list[Edit]
    after_code_and_list: str
    in_handin_findings: list[Edit] = field(default_factory=list)
    after_handin_findings: str = ""


def plan(report: SeedReport, answers: int, code_and_list: int, in_handin_findings: int = 0) -> SeedPlan:
    """The same keystrokes on every run: the RNG is seeded with the report's name."""
    typist = AnswerTypist(report.text, f"reportls-bench:{report.name}")
    first = [typist.next() for _ in range(answers)]
    after = typist.text
    questions = code_or_list_answers(typist.text, typist.spans)
    second = [typist.next(questions) for _ in range(code_and_list)] if questions else []
    after_second = typist.text
    third = []
    for _ in range(in_handin_findings):
        try:
            third.append(typist.next_in_handin_finding())
        except ValueError:  # no hand-in finding (left) to type in
            break
    return SeedPlan(report, first, after, questions, second, after_second, third, typist.text)
