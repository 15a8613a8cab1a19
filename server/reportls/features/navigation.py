"""Across the workspace: the questions of every report as workspace symbols ("Q7 ..." with its
verdict), and the link edits that keep figures linked when image files or folders are renamed.

Pure: each function reads one ``Analysis`` (and, for renames, the report's folder path); the
protocol layer gathers the workspace's reports and converts the results.
"""

from __future__ import annotations

import posixpath
from reportls.text.records import record
from pathlib import Path

from reportls.analysis import Analysis
from reportls.edits import TextEdit
from reportls.features.labels import verdict_label
from reportls.features.locate import encode_dest
from reportls.files.figures import normalize_dest
from reportls.report.model import Span

SHORT_PROMPT = 60


@record(frozen=True, slots=True)
class QuestionSymbol:
    name: str  # "Q7 How many unit tests did you implement and what are…"
    detail: str  # "fails: 43/50-100 words"
    span: Span  # the question's section
    selection: Span  # its heading
    section: str  # the ``##`` section it sits in


def short_prompt(prompt: str) -> str:
    """The prompt's first line of words, cut at a word boundary (the symbol's title)."""
    text = " ".join(prompt.replace("*", "").split())
    if len(text) <= SHORT_PROMPT:
        return text
    return text[:SHORT_PROMPT].rsplit(" ", 1)[0] + "…"


def question_symbols(analysis: Analysis, query: str = "") -> list[QuestionSymbol]:
    """The report's questions whose name contains ``query`` (case-insensitive; "" = all)."""
    report = analysis.report
    if not report.is_report:
        return []
    sections = [h for h in report.headings if h.level == 2]
    out = []
    needle = query.lower()
    for q in report.questions:
        name = f"Q{q.number} {short_prompt(q.prompt)}".rstrip()
        if needle and needle not in name.lower() and needle not in f"question {q.number}":
            continue
        r = analysis.result(q.number)
        section = next((h.title for h in reversed(sections) if h.span.start < q.span.start), "")
        out.append(QuestionSymbol(name, verdict_label(r) if r else "", q.span, q.heading.span, section))
    return out


def rename_edits(analysis: Analysis, report_dir: Path, renames: list[tuple[Path, Path]]) -> list[TextEdit]:
    """Edits to the report's image links so they follow ``renames`` (old path -> new path, files or
    folders).  A shown link (not one in code or a comment) is rewritten when the file it resolves to is the renamed file or lies inside
    the renamed folder, and the new place is still inside the report's folder; ``<...>`` links stay
    ``<...>``, and a ``./`` in front is kept."""
    report = analysis.report
    if not report.is_report:
        return []
    moves = []
    for old, new in renames:
        try:
            moves.append((old.relative_to(report_dir).as_posix(), new.relative_to(report_dir).as_posix()))
        except ValueError:
            continue  # outside the report's folder: no link of this report can follow it
    edits = []
    for link in report.figures:
        if link.hidden or link.dest_span.end <= link.dest_span.start or "://" in link.dest:
            continue
        path = normalize_dest(link.dest)
        for old, new in moves:
            if path == old:
                target = new
            elif path.startswith(old + "/"):
                target = new + path[len(old) :]
            else:
                continue
            lead = "./" if link.dest.startswith("./") else ""
            edits.append(TextEdit(link.dest_span, lead + encode_dest(posixpath.normpath(target), link.angle)))
            break
    return edits
