"""The report's "Overall project checklist": how many ``* [x]`` items are ticked, per week, and
what the repository shows for each item (issue 25: ``reportls.checklist``).

Pure: reads the ``Report``'s headings and text, and the ``Analysis``'s ``checklist`` result.  The section runs from its ``##`` heading to the next
heading of level 1 or 2; its ``###`` headings ("Week 1", ..., "Extra") group the items; items in
code blocks are not items.  Feeds the code lens on the heading ("Checklist: 41/53 done") and its
hover (the count per week); the lens adds "N without evidence" when the repository was read.  The
hover on an item lists its evidence with links to the files, or what was looked for.
"""

from __future__ import annotations

import re
from reportls.text.records import field, record
from pathlib import PurePath

from reportls.report.model import Heading, Report

ITEM_RE = re.compile(r"^[ \t]*[*+-][ \t]+\[([ xX])\]", re.MULTILINE)


@record(frozen=True, slots=True)
class ChecklistGroup:
    name: str
    done: int
    total: int


@record(frozen=True, slots=True)
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


def without_evidence(result) -> int:
    """How many ticked, verifiable items the repository shows no strong evidence of."""
    return len(result.unbacked()) if result is not None else 0


def lens_title(cl: Checklist, result) -> str:
    n = without_evidence(result)
    return f"{cl.title} · {n} without evidence" if n else cl.title


def _link(root: str, e) -> str:
    where = f"{e.path}:{e.line + 1}" if e.line is not None else e.path
    try:
        uri = PurePath(root, e.path).as_uri() + (f"#L{e.line + 1}" if e.line is not None else "")
    except ValueError:  # a relative root: no link, the path alone
        return f"`{where}`"
    return f"[{where}]({uri})"


def item_markdown(r, result) -> str:
    """Hover on one item (a ``checklist.ItemResult``): its evidence, strongest first, with the
    paths as links; or "no evidence found in the repository" and what was looked for."""
    state = "ticked" if r.item.ticked else "not ticked"
    head = f"**Checklist item** ({state})"
    if r.rule is None or not r.rule.verifiable:
        return (f"{head}\n\nThe repository cannot show this one (reportls does not check it); "
                "the teachers check it their own way.")
    if not r.evidence:
        tail = "" if result.complete else "\n\n(The scan stopped at its time or file budget: the evidence may be elsewhere.)"
        return f"{head}\n\nNo evidence found in the repository: {r.rule.looked_for}.{tail}"
    lines = [f"- {_link(result.root, e)}: {e.what}" + (" (weak: listed, never used)" if e.strength == "weak" else "")
             for e in r.evidence]
    verdict = "Evidence in the repository:" if r.strong else "Only weak evidence in the repository:"
    note = "" if r.strong or not r.item.ticked else "\n\nThe teachers check the repository: a listed package is not a use."
    return f"{head}\n\n{verdict}\n\n" + "\n".join(lines) + note
