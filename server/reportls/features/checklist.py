"""The report's "Overall project checklist": how many ``* [x]`` items are ticked, per week.

Pure: reads the ``Report``'s headings and text.  The section runs from its ``##`` heading to the next
heading of level 1 or 2; its ``###`` headings ("Week 1", ..., "Extra") group the items; items in
code blocks are not items.  Feeds the code lens on the heading ("Checklist: 41/53 done") and its
hover (the count per week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportls.report.model import Heading, Report

ITEM_RE = re.compile(r"^[ \t]*[*+-][ \t]+\[([ xX])\]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ChecklistGroup:
    name: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Checklist:
    heading: Heading
    groups: tuple[ChecklistGroup, ...] = field(default=())

    @property
    def done(self) -> int:
        return sum(g.done for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def title(self) -> str:
        return f"Checklist: {self.done}/{self.total} done"


def checklist(report: Report) -> Checklist | None:
    """The checklist section, or None when the report has none (or it holds no items)."""
    headings = report.headings
    start = next((i for i, h in enumerate(headings)
                  if h.level == 2 and h.title.lower().startswith("overall project checklist")), None)
    if start is None:
        return None
    heading = headings[start]
    end_k = next((k for k in range(start + 1, len(headings)) if headings[k].level <= 2), len(headings))
    section_end = headings[end_k].span.start if end_k < len(headings) else len(report.text)
    subs = [h for h in headings[start + 1 : end_k] if h.level >= 3]
    # (name, start, stop) of each group: before the first sub-heading, then one per sub-heading
    starts = [("(before the first week)", heading.span.end)] + [(h.title, h.span.end) for h in subs]
    stops = [h.span.start for h in subs] + [section_end]
    groups = []
    for (name, begin), stop in zip(starts, stops, strict=True):
        done = total = 0
        for m in ITEM_RE.finditer(report.text, begin, stop):
            if report.hidden_kind(m.start(1)) is None:
                total += 1
                done += m.group(1) != " "
        if total:
            groups.append(ChecklistGroup(name, done, total))
    return Checklist(heading, tuple(groups)) if groups else None


def checklist_markdown(cl: Checklist) -> str:
    """Hover on the checklist heading: the count per week."""
    rows = "\n".join(f"| {g.name} | {g.done}/{g.total} |" for g in cl.groups)
    return f"**{cl.title}**\n\n| | done |\n| --- | --- |\n{rows}"
