"""The maintainer's command that writes ``checklist/prefilters.py``: what ``textmatch`` works out
from each regular expression of the evidence table (its needles and anchors, an item's plain texts),
so that no check pays for it at start-up.

``python -m reportls.checklist.makeprefilters > server/reportls/checklist/prefilters.py`` after
changing ``rules.RULES`` (``tests/unit/test_checklist_prefilters.py`` fails until then; a pattern the
file does not know is worked out at run time meanwhile, with the same answers).

``python -m reportls.checklist.makeprefilters --codes > server/reportls/checklist/regexcodes.py``
writes the other file: the table's regular expressions compiled ahead of time by this Python's
``re`` (``textmatch.compile_regex`` hands them to the regex engine as they are, without ``re``'s
parser: the same compiled expression, for a fraction of its cost), also after upgrading Python.
"""

from __future__ import annotations

from reportls.checklist.collect import MULTILINE
from reportls.checklist.rules import RULES
from reportls.checklist.textmatch import (
    anchor,
    fewest,
    glob_atoms,
    literal_alternatives,
    needles,
    single_line,
    word_tests,
)

MIN_ANCHOR = 3  # an anchor shorter than this would hold in too many files to be worth a test


def pattern_prefilter(regex: str) -> tuple:
    """(needles, anchors, fewest needles, single line) of one pattern's regular expression: anchors
    None when there are no needles or one has no word of ``MIN_ANCHOR`` characters; the needles that
    hold no other needle (``textmatch.fewest``: what is looked for, with the same answers); whether
    its matches stay on one line (``textmatch.single_line``)."""
    found = needles(regex)
    anchors = tuple(anchor(k) for k in found) if found else None
    anchors = anchors if anchors is not None and min(map(len, anchors)) >= MIN_ANCHOR else None
    return found, anchors, fewest(found) if found else None, single_line(regex)


def item_prefilter(regex: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(plain texts, needles) of one item regular expression (see ``textmatch.literal_alternatives``)."""
    return literal_alternatives(regex), needles(regex)


def prefilters() -> tuple[dict, dict, dict, dict]:
    """Every pattern's and every item's prefilter, and every file group's globs as
    ``textmatch.glob_atoms`` reads them (the scanner's ``collect.read_globs`` too), in the table's
    order; and the patterns' ``textmatch.word_tests`` (those that have them)."""
    from reportls.checklist.collect import read_globs

    patterns = {p.regex: pattern_prefilter(p.regex) for rule in RULES for p in rule.patterns if p.regex}
    items = {regex: item_prefilter(regex) for rule in RULES for regex in rule.items}
    groups = {p.files: glob_atoms(p.files) for rule in RULES for p in rule.patterns}
    groups[read_globs()] = glob_atoms(read_globs())
    words = {regex: found for regex in patterns if (found := word_tests(regex)) is not None}
    return patterns, items, groups, words


HEADER = '''"""The evidence table's prefilters, worked out ahead of time from ``rules.RULES`` by
``python -m reportls.checklist.makeprefilters > server/reportls/checklist/prefilters.py`` (do not edit
by hand; ``tests/unit/test_checklist_prefilters.py`` fails when this file is behind the table).

``PATTERNS``: a pattern's regular expression -> (its needles, their anchors, the fewest needles,
single line): ``textmatch.needles``, the longest word of each needle (None when there are no needles
or a word is under 3 letters), the needles that hold no other one (``textmatch.fewest``), and
whether its matches stay on one line (``textmatch.single_line``).
``ITEMS``: an item's regular expression -> (the plain texts it stands for, or None; its needles).
``GROUPS``: a file group's globs -> ``textmatch.glob_atoms`` of them.
``WORDS``: a pattern's regular expression -> ``textmatch.word_tests`` of it, (whole words, needles
for the other alternatives), when it has them.
"""
'''


def source() -> str:
    """The text of ``prefilters.py``."""
    patterns, items, groups, words = prefilters()
    lines = [HEADER, "PATTERNS = {"]
    lines += [f"    {regex!r}: {value!r}," for regex, value in patterns.items()]
    lines += ["}", "", "ITEMS = {"]
    lines += [f"    {regex!r}: {value!r}," for regex, value in items.items()]
    lines += ["}", "", "GROUPS = {"]
    lines += [f"    {globs!r}: {value!r}," for globs, value in groups.items()]
    lines += ["}", "", "WORDS = {"]
    lines += [f"    {regex!r}: {value!r}," for regex, value in words.items()]
    lines += ["}", ""]
    return "\n".join(lines)


def regex_code(regex: str, flags: int) -> tuple:
    """What ``re.compile(regex, flags)`` hands the regex engine (``_sre.compile``), worked out as
    ``re._compiler.compile`` does: (all its flags, its code as native ``CODESIZE``-byte words, its
    groups, its group names -> numbers, its numbers -> names)."""
    import array
    from re import _compiler, _parser

    from reportls.checklist.textmatch import ENGINE_CODESIZE

    parsed = _parser.parse(regex, flags)
    code = array.array(ENGINE_CODESIZE, [int(op) for op in _compiler._code(parsed, flags)])
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return flags | parsed.state.flags, code.tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup)


def compiled_regexes() -> list[tuple[str, int]]:
    """The expressions ``regexcodes.py`` holds: every pattern's (``re.MULTILINE``), then the
    comment tests' of ``textmatch``, in that order."""
    from reportls.checklist.textmatch import COMMENT_REGEXES

    table = dict.fromkeys((p.regex, MULTILINE) for rule in RULES for p in rule.patterns if p.regex)
    return [*table, *COMMENT_REGEXES]


CODES_HEADER = '''"""The evidence table's regular expressions compiled ahead of time, written by
``python -m reportls.checklist.makeprefilters --codes > server/reportls/checklist/regexcodes.py``
(do not edit by hand; ``tests/unit/test_checklist_regexcodes.py`` fails when this file is behind
the table or this Python's ``re``).

``ENGINE``: the regex engine the codes are for (``textmatch.regex_engine``); on any other one
``textmatch.compile_regex`` compiles with ``re`` instead.
``CODES``: (expression, flags) -> what ``re.compile`` hands ``_sre.compile`` for it
(``makeprefilters.regex_code``).
"""
'''


def codes_source() -> str:
    """The text of ``regexcodes.py``, for the Python running this."""
    from reportls.checklist.textmatch import regex_engine

    lines = [CODES_HEADER, f"ENGINE = {regex_engine()!r}", "", "CODES = {"]
    lines += [f"    {key!r}: {regex_code(*key)!r}," for key in compiled_regexes()]
    lines += ["}", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - the maintainer's command
    import sys

    print(codes_source() if sys.argv[1:] == ["--codes"] else source(), end="")
