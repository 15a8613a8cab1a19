"""What ``reportls check --fix`` changes in a report: a pure function from one ``Analysis`` to edits.

Owns ``plan_fixes`` (the edits of one round, each fix named) and ``apply_edits``.  The fixes are the
editor's fix-all (every verified hand-in fix, ``handin_fixes.fix_all``, when the hand-in checks ran)
plus the figure-link fixes that have exactly one answer: the file's real letter case
(``figure-case``) and a link written from the repository root, or with an encoded backslash,
rewritten from the report's folder (``missing-figure`` / ``figure-location`` with a
``replacement``).  A finding with several candidate names is never fixed here, and nothing but the
report's own text is ever edited (the ignore-file fix stays an editor action).  Reading the file,
re-checking and writing is the command line's job (``reportls.cli.fixing``).
"""

from __future__ import annotations

import re
from reportls.text.records import field, record

from reportls.edits import TextEdit
from reportls.findings import Replacement
from reportls.features.locate import encode_dest, link_with_dest
from reportls.handin.findings import is_handin_code
from reportls.report.model import Span

# the figure-link findings whose ``replacement`` is the one right destination
FIGURE_FIX_CODES = ("figure-case", "missing-figure", "figure-location")
FIXABLE_CODES = FIGURE_FIX_CODES  # plus every hand-in code (``is_handin_code``) when the hand-in checks ran


@record
class FixPlan:
    """One round's edits (non-overlapping, on the analysed text) and what each figure fix does
    (``(code, old destination, new destination)``); ``handin`` says the hand-in fix-all is in."""

    edits: list[TextEdit] = field(default_factory=list)
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    handin: bool = False


def _figure_edits(analysis) -> tuple[list[TextEdit], list[tuple[str, str, str]]]:
    report = analysis.report
    edits: list[TextEdit] = []
    named: list[tuple[str, str, str]] = []
    seen: set[tuple[int, int]] = set()
    for f in analysis.findings:
        new = f.payload.replacement if isinstance(f.payload, Replacement) else None
        if f.code not in FIGURE_FIX_CODES or not isinstance(new, str) or not new:
            continue
        link = link_with_dest(report, f.span)
        if link is None or (f.span.start, f.span.end) in seen:
            continue
        seen.add((f.span.start, f.span.end))
        written = encode_dest(new, link.angle)
        old = report.text[f.span.start:f.span.end]
        if written == old:
            continue
        edits.append(TextEdit(f.span, written))
        named.append((f.code, old, written))
    return edits, named


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    return a.span.start < b.span.end and b.span.start < a.span.end or a.span.start == b.span.start


def plan_fixes(analysis) -> FixPlan:
    """The fixes ``--fix`` applies to this version of the report, in one round.  The hand-in
    fix-all runs only when the analysis ran the hand-in checks (``analysis.handin``); a hand-in
    edit that overlaps a figure edit waits for the next round (the caller re-checks and asks again
    until the plan is empty)."""
    if not analysis.report.is_report:
        return FixPlan()
    edits, named = _figure_edits(analysis)
    plan = FixPlan(list(edits), named)
    handin = [f for f in analysis.findings if is_handin_code(f.code)]
    if handin and analysis.handin is not None:
        from reportls.features.handin_fixes import fix_all

        more = [e for e in fix_all(analysis.report, handin, analysis.handin)
                if not any(_overlaps(e, other) for other in edits)]
        if more:
            plan.edits.extend(more)
            plan.handin = True
    plan.edits.sort(key=lambda e: (e.span.start, e.span.end))
    return plan


_LONE_LF = re.compile(r"(?<!\r)\n")


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """``text`` with non-overlapping ``edits`` applied.  In a text whose every line ends with CRLF,
    the new text's line endings are written as CRLF too."""
    crlf = "\r\n" in text and _LONE_LF.search(text) is None
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        new = _LONE_LF.sub("\r\n", e.new_text) if crlf else e.new_text
        text = text[: e.span.start] + new + text[e.span.end:]
    return text


def fixable(code: str) -> bool:
    """Whether ``--fix`` may fix a finding of this code (when its fix is unambiguous and verified)."""
    return code in FIXABLE_CODES or is_handin_code(code)


__all__ = ["FIXABLE_CODES", "FixPlan", "Span", "apply_edits", "fixable", "plan_fixes"]
