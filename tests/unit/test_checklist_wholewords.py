"""A pattern's whole words (``textmatch.whole_words``): every match of its expression holds one of
them as a whole word of the text, so a text whose words (``textmatch.text_words``) hold none of them
is never searched; ``prefilters.WORDS`` holds them for the table."""

from __future__ import annotations

import random
import re

from reportls.checklist import prefilters
from reportls.checklist.rules import RULES
from reportls.checklist.textmatch import needles, text_words, whole_words, word_tests, words_of

PATTERN_REGEXES = [p.regex for r in RULES for p in r.patterns if p.regex]


def test_whole_words_of_typical_expressions():
    assert whole_words(r"^[ \t]*(?:import|from)[ \t]+(?:wandb|mlflow)\b") == ("mlflow", "wandb")
    assert whole_words(r"\bTestClient\b|\bhttpx\.(?:AsyncClient|Client)\(") == ("asyncclient", "client", "testclient")
    assert whole_words(r"\b(?:Counter|Gauge)\(") == ("counter", "gauge")  # a group ends at a literal "("
    assert whole_words(r"\b(?:wandb)x") is None  # ... not at a letter
    assert whole_words(r"\btorch\.compile\(") == ("compile",)  # a word inside the literal text
    assert whole_words(r"--multirun\b") == ("multirun",)
    assert whole_words(r"kaniko") is None  # "mykanikos" matches: no whole word
    assert whole_words(r"\bwandb") is None and whole_words(r"wandb\b") is None
    assert whole_words(r"(?i)\bwandb\b") is None and whole_words(r"(?i:\bwandb\b)") is None
    assert whole_words(r"\bwandb\w*\(") is None
    assert whole_words(r"\bdocker\b|kaniko") is None  # one alternative without one: none at all
    assert whole_words(r"[ \t]+wandb[ \t]+") == ("wandb",)
    assert whole_words(r"[ \t]*wandb[ \t]*") is None  # the spaces may be absent
    assert whole_words(r"^[ \t]*matrix[ \t]*:") == ("matrix",)  # ... where "^" or ":" ends the word
    assert whole_words(r"x[ \t]*wandb") is None
    assert whole_words(r"[^a]wandb\b") is None  # a negated class may be a letter
    assert whole_words(r"^(?:x\b|y\b)") == ("x", "y")


def test_word_tests_add_needles_for_the_alternatives_without_a_whole_word():
    assert word_tests(r"\bdocker\b|kaniko") == (("docker",), ("kaniko",))
    assert word_tests(r"^[ \t]*(?:import|from)[ \t]+(?:wandb)\b") == (("wandb",), ())
    assert word_tests(r"kaniko|gcloud") is None  # no whole word: the needles alone, as before
    assert word_tests(r"\bdocker\b|ab") is None  # an alternative with neither
    assert word_tests(r"(?i)\bdocker\b|kaniko") is None


def test_the_table_file_holds_them():
    expected = {regex: found for regex in dict.fromkeys(PATTERN_REGEXES) if (found := word_tests(regex)) is not None}
    assert expected == prefilters.WORDS
    assert len(expected) >= 40
    assert all(whole_words(regex) in (None, found[0]) for regex, found in expected.items())


BEFORE = ["", " ", "\t", "x", "import ", "from ", "  from ", "@", ".", "-", "'", '"', "é", "—", "gcloud ", "docker ",
          "- run: ", "\n", "A", "9", "_", "[", "#"]
AFTER = ["", " ", "(", ": [", " : [", ".", "x", "_", " import x", "\n", "é", "—", ":", "=", "'", '"', "(\"", "]", " -m a=b,", " run"]


def _line(rng: random.Random, parts: list[str]) -> str:
    return rng.choice(BEFORE) + rng.choice(parts) + rng.choice(AFTER) + rng.choice(parts) + rng.choice(AFTER)


def test_every_match_holds_a_whole_word():
    rng = random.Random(21)
    for regex in dict.fromkeys(PATTERN_REGEXES):
        tests = word_tests(regex)
        if tests is None:
            continue
        words, residual = tests
        literal = re.findall(r"[A-Za-z_]{2,}", re.sub(r"\\.", " ", regex))  # the expression's words as written
        parts = [*(needles(regex) or ()), *("[" + n for n in needles(regex) or ()), *words, *residual, *(w.upper() for w in words), *(w + "x" for w in words),
                 *("x" + w for w in words), *literal, "build", "get", "post", "pl.", "L."]
        compiled, wanted = re.compile(regex, re.MULTILINE), frozenset(w.encode() for w in words)
        matched = 0
        for _ in range(400):
            text = "\n".join(_line(rng, parts) for _ in range(rng.randrange(1, 4)))
            found = text_words(text)
            if found is None:
                continue
            if compiled.search(text):
                matched += 1
                assert wanted & set(found.split()) or any(n in text.lower() for n in residual), (regex, text)
            assert words_of(text, wanted) == (found, wanted & set(found.split()))
        assert matched > 0, regex


def test_lower_case_lengthens_only_one_character():
    from reportls.checklist.textmatch import LONGER_LOWER, FileText

    assert [c for c in map(chr, range(0x110000)) if len(c.lower()) != 1] == [LONGER_LOWER]
    for text in ("abc", "é x", "İx", "a\u212ab", ""):
        assert FileText("a.py", text).even == (len(text.lower()) == len(text))
