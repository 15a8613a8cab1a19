"""The report's "Overall project checklist": how many ``* [x]`` items are ticked, per week, and
what the repository shows for each item (issue 25: ``reportls.checklist``).

Pure: reads the ``Report``'s headings and text, and the ``Analysis``'s ``checklist`` result.  The section runs from its ``##`` heading to the next
heading of level 1 or 2; its ``###`` headings ("Week 1", ..., "Extra") group the items; items in
code blocks are not items.  Feeds the code lens on the heading ("Checklist: 41/53 done") and its
hover (the count per week); the lens adds "N without evidence" when the repository was read.  The
hover on an item lists its evidence with links to the files, or what was looked for.
"""

from __future__ import annotations

from reportls.text.records import field, record
from pathlib import PurePath

from reportls.checklist.items import checklist_items, section_heading
from reportls.report.model import Heading, Report

BEFORE_WEEKS = "(before the first week)"  # the group of items above the first ### heading


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
    """The checklist section, or None when the report has none (or it holds no items).  The items
    are ``checklist.items``'s, every tick marker groups write counted (``[(X)]`` and ``❌`` are items
    left unticked)."""
    items = checklist_items(report)
    if not items:
        return None
    heading = section_heading(report)
    groups: list[list] = []  # [name, done, total], in order: one per run of items under one heading
    for item in items:
        name = item.group or BEFORE_WEEKS
        if not groups or groups[-1][0] != name:
            groups.append([name, 0, 0])
        groups[-1][1] += item.ticked
        groups[-1][2] += 1
    return Checklist(heading, tuple(ChecklistGroup(name, done, total) for name, done, total in groups))


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
