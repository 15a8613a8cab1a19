"""The evidence table run over a repository snapshot: every verifiable rule's evidence.

Pure: a ``RepoSnapshot`` is plain data (``reportls.files.reposcan`` makes one).  ``repo_evidence``
runs every rule of ``rules.RULES`` over it once; ``text_paths`` says which of a listing's files some
rule reads (the scanner reads no other).  What never counts: the course's own ``reports/report.py``,
the report itself, and a commented-out line (``textmatch.CommentTest``).

Cheap by construction: a pattern's needles and anchors come from ``prefilters.py`` (worked out ahead
of time), its files from ``FilesMatcher.select`` (string tests, shared by the groups through one
``Listing``), and its regular expression is compiled only when a file it may match holds one of its
needles (``FileText.may_use``): most patterns never compile in most repositories.  A needle's word
is looked for first in a longer text's distinct words (``textmatch.text_words``: a few times shorter
than the text; absent there, absent from the text).  Before any of that, a pattern with whole words
(``textmatch.word_tests``, in ``prefilters.WORDS``) passes over a longer text that holds none of
them with one set test (``FileText.present``: which of the table's whole words the text holds,
worked out with its words), and its expression comes compiled ahead of time (``regexcodes.py``,
``textmatch.compile_regex``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from reportls.checklist.evidence import Evidence, RepoEvidence, RepoSnapshot
from reportls.checklist.rules import RULES, STRONG, WEAK, Pattern, Rule
from reportls.checklist.textmatch import FilesMatcher, FileText, Listing, compile_regex, needle_probe, word_tests

MAX_PER_PATTERN = 3  # files shown per pattern
MAX_PER_RULE = 5  # evidence entries kept per rule
MULTILINE = 8  # re.MULTILINE: how a pattern's expression is compiled
NEVER_EVIDENCE = r"(?:^|/)reports/(?:report\.py|[^/]*\.(?:md|html))$"  # a path the evidence never names


def never_evidence(path: str) -> bool:
    """``NEVER_EVIDENCE`` with string tests: the report and report.py in a ``reports`` folder."""
    if "\n" in path:  # ``$`` also matches before a final line break: the expression itself
        return re.search(NEVER_EVIDENCE, path) is not None
    folder, _, name = path.rpartition("/")
    return (folder == "reports" or folder.endswith("/reports")) and (
        name == "report.py" or name.endswith((".md", ".html")))


class _Compiled:
    """One pattern made ready to run: its files matcher, needles and anchors now (from the
    prefilters' table), its regular expression when a file first needs it."""

    __slots__ = ("files", "source", "needles", "anchors", "single_line", "whole", "residual", "_line", "_probes")  # needles: ``fewest`` of them

    def __init__(self, p: Pattern, files: FilesMatcher, prefilters: Mapping, words: Mapping):
        self.files, self.source = files, p.regex
        self._line: re.Pattern | None = None
        self._probes: tuple | None = None
        self.needles: tuple[str, ...] | None = None
        self.anchors: tuple[str, ...] | None = None  # one word per needle; None when one has no word of 3+
        self.single_line = False  # its matches stay on one line (``textmatch.single_line``)
        self.whole: frozenset[bytes] | None = None  # ``textmatch.word_tests``: its words as bytes,
        self.residual: tuple = ()  # the ``needle_probe`` of its needles
        if p.regex:
            known = prefilters.get(p.regex)
            tests = words.get(p.regex)  # None in the file: the pattern has none
            if known is None:  # prefilters.py is behind the table: worked out here, the same answers
                from reportls.checklist.makeprefilters import pattern_prefilter

                known, tests = pattern_prefilter(p.regex), word_tests(p.regex)
            _, self.anchors, self.needles, self.single_line = known  # the fewest needles: same files, same lines
            if tests is not None:  # a text whose words hold none of the words, nor a needle, has no match
                self.whole = frozenset(w.encode() for w in tests[0])
                self.residual = tuple(map(needle_probe, tests[1]))

    @property
    def probes(self) -> tuple:
        """``textmatch.needle_probe`` of each needle (worked out on first use)."""
        if self._probes is None:
            self._probes = tuple(map(needle_probe, self.needles or ()))
        return self._probes

    @property
    def line(self) -> re.Pattern:
        if self._line is None:
            self._line = compile_regex(self.source, MULTILINE)
        return self._line


class _Table:
    """The table made ready to run (once per process, on first use): patterns sharing a file group
    share its matcher; ``read`` matches the files some pattern reads the lines of."""

    def __init__(self):
        from reportls.checklist.prefilters import GROUPS, PATTERNS, WORDS

        self.matchers: dict[tuple[str, ...], FilesMatcher] = {}
        self.compiled: dict[int, _Compiled] = {}
        for rule in RULES:
            for p in rule.patterns:
                files = self.matchers.get(p.files)
                if files is None:
                    files = self.matchers[p.files] = FilesMatcher(p.files, GROUPS.get(p.files))
                self.compiled[id(p)] = _Compiled(p, files, PATTERNS, WORDS)
        read = read_globs()
        self.read = FilesMatcher(read, GROUPS.get(read))
        self.whole_words = frozenset().union(*(c.whole for c in self.compiled.values() if c.whole))


def read_globs() -> tuple[str, ...]:
    """Every glob of a pattern that reads lines: the files the scanner reads."""
    return tuple(sorted({g for rule in RULES for p in rule.patterns if p.regex for g in p.files}))


_TABLE: list[_Table] = []  # built on first use, from constants: a check without a repository never pays for it


def _table() -> _Table:
    if not _TABLE:
        _TABLE.append(_Table())
    return _TABLE[0]


def text_paths(paths: Sequence[str]) -> set[str]:
    """The paths whose lines some rule reads (the scanner reads no other file)."""
    return set(_table().read.select(Listing(paths)))


def wants_text(path: str) -> bool:
    """Whether some rule reads this file's lines."""
    return _table().read(path)


class _Run:
    """What one run over a snapshot works out once: the listing, each group's files, each file's text."""

    def __init__(self, paths: Sequence[str], texts: Mapping[str, str]):
        self.listing = Listing([q for q in paths if not never_evidence(q)])
        self.texts = texts
        self.selected: dict[tuple[str, ...], list[str]] = {}
        self.readable: dict[tuple[str, ...], list[FileText]] = {}
        self.files: dict[str, FileText] = {}

    def select(self, globs: tuple[str, ...]) -> list[str]:
        found = self.selected.get(globs)
        if found is None:
            found = self.selected[globs] = _table().matchers[globs].select(self.listing)
        return found

    def read(self, globs: tuple[str, ...]) -> list[FileText]:
        """The group's files that were read, in the listing's order."""
        found = self.readable.get(globs)
        if found is None:
            found = self.readable[globs] = [self.file(q) for q in self.select(globs) if q in self.texts]
        return found

    def file(self, path: str) -> FileText:
        found = self.files.get(path)
        if found is None:
            found = self.files[path] = FileText(path, self.texts[path], _table().whole_words)
        return found


_NO_WORDS: frozenset[bytes] = frozenset()


def _pattern_evidence(p: Pattern, run: _Run) -> list[Evidence]:
    """A pattern's files (at most ``MAX_PER_PATTERN``), in the listing's order.  A file is searched
    only if it may hold a match (``FileText.may_use``): the regular expression is compiled only then."""
    found: list[Evidence] = []
    if p.regex is None:
        return [Evidence(path, None, p.what, p.strength) for path in run.select(p.files)[:MAX_PER_PATTERN]]
    files = run.read(p.files)
    if not files:
        return found
    c = _table().compiled[id(p)]
    needles, anchors = c.needles, c.anchors
    probes = c.probes
    words_needed, residual = c.whole, c.residual
    for file in files:
        # the needle probes to try on this text (None: it passed without them), with its words and
        # which of the table's whole words it holds; ``may_use`` written out: the hottest loop of a run
        tests = None
        if words_needed is not None and (present := file.present) is not None:  # set tests first
            if present.isdisjoint(words_needed):  # no whole word: one of the other needles, or no match
                if not residual:
                    continue
                tests = residual
            elif needles is not None:  # one of the needles (none to probe: the expression decides)
                tests = probes or None
            words = file.words  # worked out with ``present``; lower case keeps the length of such a text
        elif not file.even:  # lower case changed the text's length: the slow test
            if not file.may_use(needles, anchors):
                continue
        elif needles is not None:
            words = file.words
            if words is None:
                lower = file.lower
                for needle in needles:
                    if needle in lower:
                        break
                else:
                    continue
            else:  # the text's words first: a few times shorter than it
                tests, present = probes, _NO_WORDS
        if tests is not None:
            lower = file.lower
            for needle, word, whole in tests:
                if word is not None:  # a needle whose word is not among the text's is not in it
                    if word not in present and word not in words:
                        continue
                    if whole:
                        break
                if needle in lower:
                    break
            else:
                continue
        here = needles
        if needles is not None and len(needles) > 1 and file.even and (words := file.words) is not None:
            # the needles whose word is among the text's: the others are not in it, their lines not looked for
            present = file.present or frozenset()
            here = tuple(needle for needle, word, _ in probes if word is None or word in present or word in words)
        line = file.first_use(c.line, here, c.single_line)
        if line is not None:
            found.append(Evidence(file.path, line, p.what, p.strength))
            if len(found) >= MAX_PER_PATTERN:
                break
    return found


def rule_evidence(rule: Rule, paths: Sequence[str], texts: Mapping[str, str],
                  run: _Run | None = None) -> tuple[Evidence, ...]:
    """One rule's evidence: strong patterns first; weak ones only when nothing strong was found."""
    run = _Run(paths, texts) if run is None else run
    out: list[Evidence] = []
    for strength in (STRONG, WEAK):
        if strength == WEAK and out:
            break
        for p in rule.patterns:
            if p.strength == strength and len(out) < MAX_PER_RULE:
                seen = {e.path for e in out}
                fresh = [e for e in _pattern_evidence(p, run) if e.path not in seen]
                out.extend(fresh[: MAX_PER_RULE - len(out)])
    return tuple(out)


def repo_evidence(snapshot: RepoSnapshot) -> RepoEvidence:
    """Every verifiable rule's evidence in the snapshot."""
    paths = sorted(snapshot.paths, key=lambda p: (p.count("/"), p))  # shallow files first
    run = _Run(paths, snapshot.texts)
    by_rule = {rule.key: rule_evidence(rule, paths, snapshot.texts, run) for rule in RULES if rule.verifiable}
    return RepoEvidence(snapshot.root, by_rule, snapshot.complete, len(snapshot.paths))

