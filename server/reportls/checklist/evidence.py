"""The evidence table run over a repository snapshot, and each checklist item's assessment.

Pure: a ``RepoSnapshot`` is plain data (the root-relative paths of the repository's files and the
text of the small text files that were read; ``reportls.files.reposcan`` makes one), ``repo_evidence``
runs every rule of ``rules.RULES`` over it once (the result does not depend on the report, so the
server keeps it per repository and re-assesses the items on every keystroke for free), ``assess``
pairs the report's items with their rule's evidence, ``checklist_findings`` gives
``checklist-unbacked`` (a ticked, verifiable item with no strong evidence) and
``checklist-unticked`` (an unticked item with strong evidence; its quick fix ticks it).

What never counts: a commented-out line (``#`` in Python, YAML, TOML, shell, Dockerfiles and
requirements; ``//`` in JavaScript; ``<!-- -->`` in markdown and HTML), the course's own
``reports/report.py``, and the report itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from reportls.text.records import field, record

from reportls.checklist.items import ChecklistItem, checklist_items, section_span
from reportls.checklist.rules import RULES, STRONG, WEAK, Pattern, Rule, rule_for
from reportls.checklist.textmatch import FileText, FilesMatcher, Listing, anchor, needles
from reportls.edits import TextEdit
from reportls.findings import Finding, Rewrite

MAX_PER_PATTERN = 3  # files shown per pattern
MAX_PER_RULE = 5  # evidence entries kept per rule
NEVER_EVIDENCE = re.compile(r"(?:^|/)reports/(?:report\.py|[^/]*\.(?:md|html))$")


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


class _Compiled:
    """One pattern made ready to run: its files matcher now, its regular expression and needles
    when a file first needs them (most repositories never need most of them)."""

    __slots__ = ("files", "source", "_ready", "line", "needles", "anchors")

    def __init__(self, p: Pattern, files: FilesMatcher):
        self.files, self.source, self._ready = files, p.regex, False
        self.line: re.Pattern | None = None
        self.needles: tuple[str, ...] | None = None
        self.anchors: tuple[str, ...] | None = None  # one word per needle; None when one has no word of 3+

    def ready(self) -> _Compiled:
        if not self._ready and self.source:
            self.line = re.compile(self.source, re.MULTILINE)
            self.needles = needles(self.source)
            anchors = tuple(anchor(k) for k in self.needles) if self.needles else None
            self.anchors = anchors if anchors is not None and min(map(len, anchors)) >= 3 else None
        self._ready = True
        return self


def _compile(p: Pattern, matchers: dict) -> _Compiled:
    files = matchers.get(p.files) or matchers.setdefault(p.files, FilesMatcher(p.files))
    return _Compiled(p, files)


_TABLE: list = []  # [compiled patterns by id, the files some rule reads]: built on first use, from constants


def _table() -> tuple[dict, FilesMatcher]:
    """The table compiled (once per process, on first use: a ``reportls check`` with the checklist
    turned off never pays for it); patterns sharing a file group share its matcher."""
    if not _TABLE:
        matchers: dict = {}
        compiled = {id(p): _compile(p, matchers) for rule in RULES for p in rule.patterns}
        read = FilesMatcher(sorted({g for rule in RULES for p in rule.patterns if p.regex for g in p.files}))
        _TABLE[:] = [compiled, read]
    return _TABLE[0], _TABLE[1]


def wants_text(path: str) -> bool:
    """Whether some rule reads this file's lines (the scanner reads no other file)."""
    return _table()[1](path)


# --- running the table --------------------------------------------------------------------------


class _Corpus:
    """The distinct words of some files, one file after another, to find which of them hold a word
    with ``str.find`` over one string instead of a test per file."""

    def __init__(self, files: list[FileText]):
        self.files = files
        self.starts: list[int] = []
        parts, at = [], 0
        for f in files:
            self.starts.append(at)
            words = f.words + "\n\0\n"
            parts.append(words)
            at += len(words)
        self.text = "".join(parts)

    def holding(self, words: Sequence[str]) -> set[int]:
        """``id()`` of the files holding one of ``words`` (inside a whitespace-separated piece)."""
        found: set[int] = set()
        text, starts, files = self.text, self.starts, self.files
        for word in words:
            pos = text.find(word)
            while pos != -1:
                k = bisect_right(starts, pos) - 1
                found.add(id(files[k]))
                pos = text.find(word, starts[k + 1]) if k + 1 < len(starts) else -1
        return found


def _file_text(path: str, texts: Mapping[str, str], listed: dict) -> FileText:
    file = listed.get(("text", path))
    if file is None:
        file = listed[("text", path)] = FileText(path, texts[path])
    return file


def _pattern_evidence(p: Pattern, paths: Sequence[str], texts: Mapping[str, str],
                      listed: dict) -> list[Evidence]:
    c = _table()[0][id(p)]
    candidates = listed.get(p.files)
    if candidates is None:
        listing = listed.get("listing")
        if listing is None:
            listing = listed["listing"] = Listing([q for q in paths if not NEVER_EVIDENCE.search(q)])
        candidates = listed[p.files] = c.files.select(listing)
    found: list[Evidence] = []
    anchored = False
    if p.regex is not None:
        files = listed.get(("files", p.files))
        if files is None:
            files = listed[("files", p.files)] = [_file_text(q, texts, listed) for q in candidates if q in texts]
        if not files:  # no file to read: the pattern's regular expression is never compiled
            return found
        c.ready()
        if c.anchors is not None:  # the files whose words hold an anchor: a few C-level finds, no loop per file
            vocabulary = listed.get("vocabulary")
            if vocabulary is None:  # every distinct piece of every file read, once: most anchors are in none
                every = [_file_text(q, texts, listed) for q in texts if not NEVER_EVIDENCE.search(q)]
                vocabulary = listed["vocabulary"] = "\n".join(set().union(*(f.pieces for f in every)))
            present = [a for a in c.anchors if a in vocabulary]
            if not present:
                return found
            corpus = listed.get(("corpus", p.files))
            if corpus is None:
                corpus = listed[("corpus", p.files)] = _Corpus(files)
            holding = corpus.holding(present)
            files = [f for f in files if id(f) in holding]
            anchored = True
        candidates = files
    for path in candidates:
        if p.regex is None:
            found.append(Evidence(path, None, p.what, p.strength))
        else:
            file = path
            path = file.path
            line = file.first_use(c, anchored)
            if line is not None:
                found.append(Evidence(path, line, p.what, p.strength))
        if len(found) >= MAX_PER_PATTERN:
            break
    return found


def rule_evidence(rule: Rule, paths: Sequence[str], texts: Mapping[str, str],
                  listed: dict | None = None) -> tuple[Evidence, ...]:
    """One rule's evidence: strong patterns first; weak ones only when nothing strong was found."""
    listed = {} if listed is None else listed
    out: list[Evidence] = []
    for strength in (STRONG, WEAK):
        if strength == WEAK and out:
            break
        for p in rule.patterns:
            if p.strength == strength and len(out) < MAX_PER_RULE:
                seen = {e.path for e in out}
                fresh = [e for e in _pattern_evidence(p, paths, texts, listed) if e.path not in seen]
                out.extend(fresh[: MAX_PER_RULE - len(out)])
    return tuple(out)


def repo_evidence(snapshot: RepoSnapshot) -> RepoEvidence:
    """Every verifiable rule's evidence in the snapshot."""
    paths = sorted(snapshot.paths, key=lambda p: (p.count("/"), p))  # shallow files first
    listed: dict = {}
    by_rule = {rule.key: rule_evidence(rule, paths, snapshot.texts, listed) for rule in RULES if rule.verifiable}
    return RepoEvidence(snapshot.root, by_rule, snapshot.complete, len(snapshot.paths))


# --- the report's items -------------------------------------------------------------------------


def assess(items: Sequence[ChecklistItem], evidence: RepoEvidence) -> ChecklistResult | None:
    """Each item with its rule and the repository's evidence for it; None without items."""
    if not items:
        return None
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

