"""The table's regular expressions compiled ahead of time: ``regexcodes.py`` is what ``makeprefilters
--codes`` writes today, and ``textmatch.compile_regex`` gives what ``re.compile`` gives (the same
flags, groups and matches), or is ``re.compile`` itself on another engine or for an expression the
file does not hold."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from reportls.checklist import regexcodes, textmatch
from reportls.checklist.makeprefilters import codes_source, compiled_regexes, regex_code
from reportls.checklist.rules import RULES
from reportls.checklist.textmatch import COMMENT_REGEXES, anchor, compile_regex, needles, regex_engine

same_engine = pytest.mark.skipif(regex_engine() != regexcodes.ENGINE,
                                 reason=f"regexcodes.py holds codes for {regexcodes.ENGINE}, not this Python")


def test_regexcodes_holds_every_expression_of_the_table_and_the_comment_tests():
    expected = [(p.regex, 8) for r in RULES for p in r.patterns if p.regex]
    assert list(regexcodes.CODES) == compiled_regexes() == [*dict.fromkeys(expected), *COMMENT_REGEXES]
    assert len(regexcodes.CODES) > 80


@same_engine
def test_regexcodes_file_is_what_makeprefilters_writes_today():
    written = Path(regexcodes.__file__).read_text(encoding="utf-8")
    assert written == codes_source(), \
        "run: python -m reportls.checklist.makeprefilters --codes > server/reportls/checklist/regexcodes.py"


@same_engine
def test_the_codes_are_what_re_compiles_here():
    for (regex, flags), known in regexcodes.CODES.items():
        assert known == regex_code(regex, flags), regex


def _texts(regex: str, rng: random.Random) -> list[str]:
    pieces = [*(needles(regex) or ()), "import ", "from ", "  ", "\t", "\n", "# ", "'", '"', "-", "=", ":", "x",
              "(", ")", "Wandb", "gs://b", "İ", "é", "[", "run", "deploy", "--", ".py", "<!--", "-->", "\r\n"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40))) for _ in range(60)]


def test_compile_regex_matches_as_re_compile():
    rng = random.Random(13)
    for regex, flags in regexcodes.CODES:
        ours, theirs = compile_regex(regex, flags), re.compile(regex, flags)
        assert ours is not theirs
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == \
            (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex), regex
        for text in _texts(regex, rng):
            assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], (regex, text)
            assert [m.groups() for m in ours.finditer(text)] == [m.groups() for m in theirs.finditer(text)]


def test_compile_regex_is_re_compile_for_an_unknown_expression_or_another_engine(monkeypatch):
    assert compile_regex(r"a(?P<x>b)+", 8) is re.compile(r"a(?P<x>b)+", 8)  # re's own, from its cache
    regex = next(iter(regexcodes.CODES))
    assert compile_regex(*regex) is not re.compile(*regex)
    monkeypatch.setattr(regexcodes, "ENGINE", ("cpython-0", 0, 4, "little"))
    assert compile_regex(*regex) is re.compile(*regex)


def test_compile_regex_is_re_compile_when_the_engine_refuses_a_stored_code(monkeypatch):
    regex = next(iter(regexcodes.CODES))
    all_flags, code, groups, groupindex, indexgroup = regexcodes.CODES[regex]
    broken = b"\xff" * len(code)  # no valid program: the engine's own checks refuse it
    monkeypatch.setitem(regexcodes.CODES, regex, (all_flags, broken, groups, groupindex, indexgroup))
    assert compile_regex(*regex) is re.compile(*regex)


def test_anchor_is_the_first_longest_word_as_re_finds_them():
    rng = random.Random(17)
    cases = [n for r in RULES for p in r.patterns if p.regex for n in (needles(p.regex) or ())]
    cases += ["", "--", "a-bb-cc", "ab_c9 xyz1", "İstanbul", "café torch", "ｗａｎｄｂ run", "x\ny"]
    cases += ["".join(rng.choice("ab_9.- İéZ\t") for _ in range(rng.randrange(12))) for _ in range(500)]
    for needle in cases:
        assert anchor(needle) == max(re.findall(textmatch._WORD, needle) or [""], key=len), needle
