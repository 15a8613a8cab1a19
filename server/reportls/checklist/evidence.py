"""The evidence table run over a repository snapshot, and each checklist item's assessment.

Pure: a ``RepoSnapshot`` is plain data (the root-relative paths of the repository's files and the
text of the small text files that were read; ``reportls.reposcan`` makes one), ``repo_evidence``
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportls.checklist.items import ChecklistItem, checklist_items, section_span
from reportls.checklist.rules import RULES, STRONG, WEAK, Pattern, Rule, rule_for
from reportls.findings import Finding

MAX_PER_PATTERN = 3  # files shown per pattern
MAX_PER_RULE = 5  # evidence entries kept per rule
NEVER_EVIDENCE = re.compile(r"(?:^|/)reports/(?:report\.py|[^/]*\.(?:md|html))$")


@dataclass(frozen=True, slots=True)
class RepoSnapshot:
    """What was read of a repository: ``paths`` (root-relative, posix, regular files only) and
    ``texts`` (path -> text) of the small text files.  ``complete`` is False when the scan stopped
    at its time or file budget (then a missing piece of evidence proves nothing)."""

    root: str  # the folder scanned, absolute (for links in the hover)
    paths: tuple[str, ...]
    texts: Mapping[str, str] = field(default_factory=dict)
    complete: bool = True


@dataclass(frozen=True, slots=True)
class Evidence:
    path: str  # relative to the repository root, posix
    line: int | None  # 0-based; None: the file itself is the evidence
    what: str
    strength: str  # "strong" | "weak"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "what": self.what, "strength": self.strength}


@dataclass(frozen=True, slots=True)
class RepoEvidence:
    """Every rule's evidence in one repository (rule key -> strongest first)."""

    root: str
    by_rule: Mapping[str, tuple[Evidence, ...]]
    complete: bool = True
    files: int = 0
    # item text -> its rule, filled by ``assess``; the last report assessed: the server asks on every keystroke
    rules_of: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    last: list = field(default_factory=list, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


# --- globs --------------------------------------------------------------------------------------


def glob_regex(glob: str) -> str:
    """A glob as a regular expression over posix paths: ``**/`` any folders (or none), ``*`` and
    ``?`` within one name, ``{a,b}`` either."""
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:[^/\n]+/)*")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append("[^\n]*")
            i += 2
            continue
        if c == "*":
            out.append("[^/\n]*")
        elif c == "?":
            out.append("[^/\n]")
        elif c == "{":
            close = glob.index("}", i)
            out.append("(?:" + "|".join(re.escape(a) for a in glob[i + 1 : close].split(",")) + ")")
            i = close + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _braces(glob: str) -> list[str]:
    """``*.{yml,yaml}`` -> ``["*.yml", "*.yaml"]`` (one level, as the table uses them)."""
    i = glob.find("{")
    if i == -1:
        return [glob]
    j = glob.index("}", i)
    return [out for alt in glob[i + 1 : j].split(",") for out in _braces(glob[:i] + alt + glob[j + 1 :])]


class _Listing:
    """The snapshot's paths (without those that are never evidence) as the matchers read them."""

    def __init__(self, paths: Sequence[str]):
        self.pairs = [(q, q[q.rfind("/") + 1 :].lower()) for q in paths if not NEVER_EVIDENCE.search(q)]
        self.names_blob = "\n".join(name for _, name in self.pairs)
        self.paths_blob = "\n".join(q for q, _ in self.pairs)


class FilesMatcher:
    """Whether a root-relative path matches any of some globs (case-insensitive).  ``**/name``
    globs are tested on the file name with plain string tests where their shape allows (exact,
    ``*suffix``, ``prefix*``, ``*infix*``, ``prefix*suffix``); the rest with one regular expression,
    compiled when first needed."""

    def __init__(self, globs: Sequence[str]):
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        self.prefixes: list[str] = []
        self.infixes: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        name_rest: list[str] = []
        self.full_globs = [g for g in globs if not (g.startswith("**/") and "/" not in g[3:])]
        for g in globs:
            if g in self.full_globs:
                continue
            for name in _braces(g[3:].lower()):
                stars = name.count("*")
                if "?" in name or "[" in name or stars > 2:
                    name_rest.append(name)
                elif stars == 0:
                    self.exact.add(name)
                elif stars == 1 and name.startswith("*"):
                    self.suffixes.append(name[1:])
                elif stars == 1 and name.endswith("*"):
                    self.prefixes.append(name[:-1])
                elif stars == 1:
                    self.pairs.append(tuple(name.split("*")))
                elif name.startswith("*") and name.endswith("*"):
                    self.infixes.append(name[1:-1])
                else:
                    name_rest.append(name)
        self.suffix_tuple, self.prefix_tuple = tuple(self.suffixes), tuple(self.prefixes)
        self.name_globs = name_rest
        self._names: re.Pattern | None = None
        self._full: re.Pattern | None = None
        self._select: tuple | None = None


    def select(self, listing: _Listing) -> list[str]:
        """The listed paths that match, with a few regular-expression calls over the whole
        listing instead of one test per path."""
        if self._select is None:
            names = [re.escape(n) for n in self.exact] + [glob_regex("*" + x) for x in self.suffixes] + \
                [glob_regex(x + "*") for x in self.prefixes] + [glob_regex("*" + x + "*") for x in self.infixes] + \
                [glob_regex(a + "*" + b) for a, b in self.pairs] + [glob_regex(g) for g in self.name_globs]
            name_re = re.compile(r"^(?:" + "|".join(names) + r")$", re.MULTILINE) if names else None
            full_re = (re.compile(r"^(?:" + "|".join(map(glob_regex, self.full_globs)) + r")$", re.MULTILINE | re.I)
                       if self.full_globs else None)
            self._select = (name_re, full_re)
        name_re, full_re = self._select
        hits_names = set(name_re.findall(listing.names_blob)) if name_re is not None else set()
        hits_paths = set(full_re.findall(listing.paths_blob)) if full_re is not None else set()
        return [q for q, name in listing.pairs if name in hits_names or q in hits_paths]

    def __call__(self, path: str, base: int | None = None) -> bool:
        name = path[path.rfind("/") + 1 if base is None else base :].lower()
        if (name in self.exact or name.endswith(self.suffix_tuple) or name.startswith(self.prefix_tuple)
                or any(i in name for i in self.infixes)
                or any(len(name) >= len(a) + len(b) and name.startswith(a) and name.endswith(b) for a, b in self.pairs)):
            return True
        if self.name_globs:
            if self._names is None:
                self._names = re.compile("(?:" + "|".join(map(glob_regex, self.name_globs)) + r")\Z")
            if self._names.match(name):
                return True
        if self.full_globs:
            if self._full is None:
                self._full = re.compile("(?:" + "|".join(map(glob_regex, self.full_globs)) + r")\Z", re.I)
            return self._full.match(path) is not None
        return False


COMMON_WORDS = frozenset({"import", "from", "def", "class", "name = \"", "run", "with"})


def needles(regex: str) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of ``regex`` holds at least one (a cheap ``in``
    test before the regular expression runs); None when there is no such set."""
    from re import _constants as c, _parser as parser  # the standard library's own regex parser

    def of(seq) -> set[str] | None:
        best: set[str] | None = None
        run: list[str] = []

        def score(cand: set[str]) -> int:
            return min(0 if s.strip() in COMMON_WORDS else len(s) for s in cand)

        def consider(cand: set[str] | None) -> None:
            nonlocal best
            if cand and (best is None or score(cand) > score(best)):
                best = cand

        for op, arg in list(seq) + [(None, None)]:
            if op is c.LITERAL:
                run.append(chr(arg))
                continue
            if run:
                consider({"".join(run).lower()})
                run = []
            if op is c.SUBPATTERN:
                consider(of(arg[-1]))
            elif op is c.BRANCH:
                parts = [of(branch) for branch in arg[1]]
                if all(parts):
                    consider(set().union(*parts))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
                consider(of(arg[2]))
        return best if best and score(best) >= 3 else None

    try:
        found = of(parser.parse(regex))
    except Exception:  # noqa: BLE001 - an unusual pattern simply runs without the prefilter
        return None
    return tuple(sorted(found)) if found else None


_WORD = re.compile(r"[a-z0-9_]+")


def _anchor(needle: str) -> str:
    """The longest word in a needle: what the file's word list must contain (as a part of a word)."""
    return max(_WORD.findall(needle) or [""], key=len)


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
            anchors = tuple(_anchor(k) for k in self.needles) if self.needles else None
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


# --- comments -----------------------------------------------------------------------------------
_HASH = re.compile(r"(?:\.(?:py|ya?ml|toml|cfg|ini|txt|in|sh|bash|mk|dvc|r|tf|conf)|(?:^|/)(?:[^/]*dockerfile[^/]*|"
                   r"makefile|justfile|config|pipfile|\.gitignore|\.dockerignore)|/\.dvc/config)$", re.IGNORECASE)
_SLASH = re.compile(r"\.(?:js|jsx|ts|tsx|mjs|cjs|go|java|c|cc|cpp|h|rs|swift|kt|scss|tf)$", re.IGNORECASE)
_MARKUP = re.compile(r"\.(?:md|markdown|html?|vue|svelte|xml|rst)$", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _in_line_comment(line: str, col: int, marker: str) -> bool:
    """Whether column ``col`` of ``line`` is inside a ``marker`` comment (not inside quotes)."""
    quote = None
    i = 0
    while i < col:
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif line.startswith(marker, i) and (i == 0 or not line[i - 1].isalnum() and line[i - 1] not in ":/"):
            return True
        i += 1
    return False


class _CommentTest:
    """Is this match inside a comment, for one file."""

    def __init__(self, path: str, text: str):
        self.text = text
        self.marker = "#" if _HASH.search(path) else "//" if _SLASH.search(path) else None
        if path.endswith(".dvc/config") or path.endswith(".git/config"):
            self.marker = "#"
        self.markup = bool(_MARKUP.search(path))
        self._spans: list[tuple[int, int]] | None = None

    def __call__(self, pos: int) -> bool:
        if self.markup:
            if self._spans is None:
                self._spans = [m.span() for m in _HTML_COMMENT.finditer(self.text)]
            return any(s <= pos < e for s, e in self._spans)
        if self.marker is None:
            return False
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        line = self.text[start : end if end != -1 else len(self.text)]
        if self.marker == "#" and line.lstrip().startswith(";"):
            return True
        return _in_line_comment(line, pos - start, self.marker)


# --- running the table --------------------------------------------------------------------------


class _FileText:
    """One file's text with what the matcher derives from it, computed once per scan."""

    __slots__ = ("path", "text", "_lower", "_pieces", "_words", "_comment")

    def __init__(self, path: str, text: str):
        self.path, self.text = path, text
        self._lower: str | None = None
        self._pieces: set[str] | None = None
        self._words: str | None = None
        self._comment: _CommentTest | None = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def words(self) -> str:
        """Every distinct whitespace-separated piece of the text, one per line: a small haystack
        for the anchors (an anchor has no space, so it lies inside one piece)."""
        if self._words is None:
            self._words = "\n".join(self.pieces)
        return self._words

    @property
    def pieces(self) -> set[str]:
        if self._pieces is None:
            self._pieces = set(self.lower.split())
        return self._pieces

    def in_comment(self, pos: int) -> bool:
        if self._comment is None:
            self._comment = _CommentTest(self.path, self.text)
        return self._comment(pos)

    def first_use(self, c: _Compiled) -> int | None:
        """0-based line of the first match of the pattern's regex that is not in a comment."""
        c = c.ready()
        regex = c.line
        assert regex is not None
        text = self.text
        lower = self.lower
        if c.needles is not None and c.anchors is not None:
            words = self.words
            for a in c.anchors:
                if a in words:
                    break
            else:
                return None
        if c.needles is None or len(lower) != len(text) or sum(lower.count(n) for n in c.needles) > 12:
            for m in regex.finditer(text):  # the whole text: no needle, or a needle on many lines
                if not self.in_comment(m.start()):
                    return text.count("\n", 0, m.start())
            return None
        starts: set[int] = set()
        for needle in c.needles:  # the few lines holding a needle: the only ones the regex can match
            pos = lower.find(needle)
            while pos != -1:
                starts.add(text.rfind("\n", 0, pos) + 1)
                pos = lower.find(needle, pos + 1)
        for start in sorted(starts):
            end = text.find("\n", start)
            end = len(text) if end == -1 else end
            for m in regex.finditer(text, start, end):
                if not self.in_comment(m.start()):
                    return text.count("\n", 0, start)
        return None


def _file_text(path: str, texts: Mapping[str, str], listed: dict) -> _FileText:
    file = listed.get(("text", path))
    if file is None:
        file = listed[("text", path)] = _FileText(path, texts[path])
    return file


def _pattern_evidence(p: Pattern, paths: Sequence[str], texts: Mapping[str, str],
                      listed: dict) -> list[Evidence]:
    c = _table()[0][id(p)]
    candidates = listed.get(p.files)
    if candidates is None:
        listing = listed.get("listing")
        if listing is None:
            listing = listed["listing"] = _Listing(paths)
        candidates = listed[p.files] = c.files.select(listing)
    found: list[Evidence] = []
    if p.regex is not None:
        files = listed.get(("files", p.files))
        if files is None:
            files = listed[("files", p.files)] = [_file_text(q, texts, listed) for q in candidates if q in texts]
        c.ready()
        if c.anchors is not None:  # one look at the words of every file read rules most patterns out
            vocabulary = listed.get("words")
            if vocabulary is None:
                every = [_file_text(q, texts, listed) for q in texts if not NEVER_EVIDENCE.search(q)]
                vocabulary = listed["words"] = "\n".join(set().union(*(f.pieces for f in every)))
            if not any(a in vocabulary for a in c.anchors):
                return found
        candidates = files
    for path in candidates:
        if p.regex is None:
            found.append(Evidence(path, None, p.what, p.strength))
        else:
            file = path
            path = file.path
            line = file.first_use(c)
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
        out.append(Finding("checklist-unbacked", r.item.span, unbacked_message(r),
                           data={"rule": r.rule.key if r.rule else None}))
    for r in result.unticked():
        out.append(Finding("checklist-unticked", r.item.span, unticked_message(r),
                           data={"marker_start": r.item.marker.start, "marker_end": r.item.marker.end}))
    out.sort(key=lambda f: f.span.start)
    return out


def item_at(result: ChecklistResult | None, offset: int) -> ItemResult | None:
    if result is None:
        return None
    for r in result.items:
        if r.item.span.start <= offset <= r.item.span.end:
            return r
    return None

