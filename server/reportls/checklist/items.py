"""The checklist's items as groups write them: where each is, its text, and whether it is ticked.

Pure: reads a ``Report``'s headings and text.  The section runs from its ``## Overall project
checklist`` heading to the next heading of level 1 or 2; items in code blocks or HTML comments are
not items.  Ticked is ``[x]`` or ``[X]`` (what the course's grader counts); every other marker
groups use (``[ ]``, ``[]``, ``[(X)]``, ``[%]``, ``[-]``, ``❌``, ``✅``, ``☐``) is unticked.  An
item's text runs on over its continuation lines (the templates wrap long items).
"""

from __future__ import annotations

import re
from reportls.text.records import record

from reportls.report.model import Heading, Report, Span

SECTION_TITLE = "overall project checklist"
_MARKERS = r"\[[^\]\n]{0,5}\]|❌|✅|✔️|✔|☑️|☑|☐|⬜|✖️|✖"
ITEM_RE = re.compile(rf"^[ \t]*[*+-][ \t]+({_MARKERS})[ \t]*(\S.*)?$", re.MULTILINE)
_STARTS_BLOCK = re.compile(r"[ \t]*(?:[*+-][ \t]|\d+[.)][ \t]|#|>|```|~~~|<!--)")


@record(frozen=True, slots=True)
class ChecklistItem:
    line: int  # 0-based line of the item's marker
    marker: Span  # "[ ]", "[x]", "❌", ...
    span: Span  # the item's first line, from the marker to the end of the line
    text: str  # the item's text, continuation lines joined with single spaces
    ticked: bool
    group: str  # the ### heading above it ("Week 1"), "" before the first


def section_heading(report: Report) -> Heading | None:
    """The ``## Overall project checklist`` heading, None without one."""
    return next((h for h in report.headings if h.level == 2 and h.title.lower().startswith(SECTION_TITLE)), None)


def section_span(report: Report) -> tuple[int, int] | None:
    """(start, end) offsets of the checklist section, after its heading; None without one."""
    heading = section_heading(report)
    if heading is None:
        return None
    headings = report.headings
    start = headings.index(heading)
    end_k = next((k for k in range(start + 1, len(headings)) if headings[k].level <= 2), len(headings))
    end = headings[end_k].span.start if end_k < len(headings) else len(report.text)
    return heading.span.end, end


def checklist_items(report: Report) -> list[ChecklistItem]:
    """Every item of the checklist section, in order (empty without a checklist)."""
    bounds = section_span(report)
    if bounds is None:
        return []
    begin, stop = bounds
    text = report.text
    groups = [(h.span.start, h.title) for h in report.headings if begin <= h.span.start < stop and h.level >= 3]
    items = []
    group, next_group = "", 0
    for m in ITEM_RE.finditer(text, begin, stop):
        at = m.start(1)
        while next_group < len(groups) and groups[next_group][0] < at:
            group = groups[next_group][1]
            next_group += 1
        if report.hidden_kind(at) is not None:
            continue
        marker = m.group(1)
        parts = [(m.group(2) or "").strip()]
        pos = m.end()
        while pos < stop:
            newline = 2 if text.startswith("\r\n", pos) else 1 if text.startswith("\n", pos) else 0
            if not newline:
                break
            pos += newline
            end = text.find("\n", pos, stop)
            end = stop if end == -1 else end
            line = text[pos:end].rstrip("\r")
            if not line.strip() or _STARTS_BLOCK.match(line) or report.hidden_kind(pos) is not None:
                break
            parts.append(line.strip())
            pos = end
        items.append(ChecklistItem(
            line=report.index.line_of(at),
            marker=Span(at, m.end(1)),
            span=Span(at, at + len(m.group(0)[at - m.start():].rstrip())),
            text=" ".join(p for p in parts if p),
            ticked=marker in ("[x]", "[X]"),
            group=group,
        ))
    return items
