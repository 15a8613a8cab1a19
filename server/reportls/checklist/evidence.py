"""A repository's evidence for the checklist and each item's assessment: the records and findings.

Pure: a ``RepoSnapshot`` is plain data (the root-relative paths of the repository's files and the
text of the small text files that were read; ``reportls.files.reposcan`` makes one),
``collect.repo_evidence`` runs every rule of ``rules.RULES`` over it once (the result does not
depend on the report, so the server keeps it per repository and re-assesses the items on every
keystroke for free), ``assess`` pairs the report's items with their rule's evidence,
``checklist_findings`` gives ``checklist-unbacked`` (a ticked, verifiable item with no strong
evidence) and ``checklist-unticked`` (an unticked item with strong evidence; its quick fix ticks it).

Importing this module imports none of the table: ``assess`` imports the items' reader and the rules
when it first runs (a check without a repository's evidence never does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from reportls.text.records import field, record

from reportls.edits import TextEdit
from reportls.findings import Finding, Rewrite

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:
    from reportls.checklist.items import ChecklistItem
    from reportls.checklist.rules import Rule

STRONG, WEAK = "strong", "weak"  # how strongly an ``Evidence`` backs its item (``rules`` names them too)


@record(frozen=True, slots=True)
class RepoSnapshot:
    """What was read of a repository: ``paths`` (root-relative, posix, regular files only) and
    ``texts`` (path -> text) of the small text files.  ``complete`` is False when the scan stopped
    at its time or file budget (then a missing piece of evidence proves nothing)."""

    root: str  # the folder scanned, absolute (for links in the hover)
    paths: tuple[str, ...]
    texts: Mapping[str, str] = field(default_factory=dict)
    complete: bool = True


@record(frozen=True, slots=True)
class Evidence:
    path: str  # relative to the repository root, posix
    line: int | None  # 0-based; None: the file itself is the evidence
    what: str
    strength: str  # "strong" | "weak"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "what": self.what, "strength": self.strength}


@record(frozen=True, slots=True)
class RepoEvidence:
    """Every rule's evidence in one repository (rule key -> strongest first)."""

    root: str
    by_rule: Mapping[str, tuple[Evidence, ...]]
    complete: bool = True
    files: int = 0
    # item text -> its rule, filled by ``assess``; the last report assessed: the server asks on every keystroke
    rules_of: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    last: list = field(default_factory=list, compare=False, hash=False, repr=False)


def evidence_to_plain(evidence: RepoEvidence) -> tuple:
    """``evidence`` as tuples of strings, numbers and None (for ``marshal``: the command line
    computes it in a forked child); ``evidence_from_plain`` is its inverse."""
    by_rule = {key: tuple((e.path, e.line, e.what, e.strength) for e in found) for key, found in evidence.by_rule.items()}
    return evidence.root, by_rule, evidence.complete, evidence.files


def evidence_from_plain(plain: tuple) -> RepoEvidence:
    root, by_rule, complete, files = plain
    return RepoEvidence(root, {key: tuple(Evidence(*e) for e in found) for key, found in by_rule.items()},
                        complete, files)


@record(frozen=True, slots=True)
class ItemResult:
    item: ChecklistItem
    rule: Rule | None  # None: no rule knows this item (not verifiable)
    evidence: tuple[Evidence, ...] = ()

    @property
    def verifiable(self) -> bool:
        return self.rule is not None and self.rule.verifiable

    @property
    def strong(self) -> bool:
        return any(e.strength == STRONG for e in self.evidence)

    def to_json(self) -> dict:
        return {"line": self.item.line, "text": self.item.text, "ticked": self.item.ticked,
                "verifiable": self.verifiable, "evidence": [e.to_json() for e in self.evidence]}


@record(frozen=True, slots=True)
class ChecklistResult:
    root: str
    items: tuple[ItemResult, ...]
    complete: bool = True

    def unbacked(self) -> list[ItemResult]:
        """Ticked, verifiable items with no strong evidence (none when the scan was cut short)."""
        if not self.complete:
            return []
        return [r for r in self.items if r.item.ticked and r.verifiable and not r.strong]

    def unticked(self) -> list[ItemResult]:
        return [r for r in self.items if not r.item.ticked and r.verifiable and r.strong]


# --- the report's items -------------------------------------------------------------------------


def assess(items: Sequence[ChecklistItem], evidence: RepoEvidence) -> ChecklistResult | None:
    """Each item with its rule and the repository's evidence for it; None without items."""
    if not items:
        return None
    from reportls.checklist.rules import rule_for

    out = []
    memo = evidence.rules_of
    for item in items:
        rule = memo.get(item.text, False)
        if rule is False:
            if len(memo) > 1000:
                memo.clear()
            rule = memo[item.text] = rule_for(item.text)
        found = evidence.by_rule.get(rule.key, ()) if rule is not None and rule.verifiable else ()
        out.append(ItemResult(item, rule, found))
    return ChecklistResult(evidence.root, tuple(out), evidence.complete)


def assess_report(report, evidence: RepoEvidence) -> ChecklistResult | None:
    """``assess`` of the report's checklist, reusing the previous answer while the checklist
    section (its text and where it starts) is unchanged: an edit elsewhere costs one comparison."""
    from reportls.checklist.items import checklist_items, section_span

    bounds = section_span(report)
    key = (bounds, report.text[bounds[0] : bounds[1]]) if bounds is not None else None
    if evidence.last and evidence.last[0] == key:
        return evidence.last[1]
    result = assess(checklist_items(report), evidence) if bounds is not None else None
    evidence.last[:] = [key, result]
    return result


def _where(e: Evidence) -> str:
    return f"{e.path}:{e.line + 1}" if e.line is not None else e.path


def unbacked_message(r: ItemResult) -> str:
    weak = [e for e in r.evidence if e.strength == WEAK]
    rule = r.rule
    assert rule is not None
    if weak:
        return (f"ticked, but {rule.looked_for}: only {weak[0].what} ({_where(weak[0])}); "
                "the teachers check the repository")
    return f"ticked, but {rule.looked_for}; the teachers check the repository"


def unticked_message(r: ItemResult) -> str:
    e = next(e for e in r.evidence if e.strength == STRONG)
    return f"not ticked, but the repository shows it: {e.what} ({_where(e)}); tick it if the group did it"


def checklist_findings(result: ChecklistResult | None) -> list[Finding]:
    """``checklist-unbacked`` and ``checklist-unticked``, on each item's first line."""
    if result is None:
        return []
    out = []
    for r in result.unbacked():
        out.append(Finding("checklist-unbacked", r.item.span, unbacked_message(r)))
    for r in result.unticked():
        tick = Rewrite("Tick this item: `[x]`", (TextEdit(r.item.marker, "[x]"),))
        out.append(Finding("checklist-unticked", r.item.span, unticked_message(r), payload=tick))
    out.sort(key=lambda f: f.span.start)
    return out


def item_at(result: ChecklistResult | None, offset: int) -> ItemResult | None:
    if result is None:
        return None
    for r in result.items:
        if r.item.span.start <= offset <= r.item.span.end:
            return r
    return None

