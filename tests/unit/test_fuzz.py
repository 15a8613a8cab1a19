"""Hypothesis: random reports and random edit sequences.  The incremental path (a Parser reusing
segments, TextDocument applying LSP edits) must always equal a fresh reading of the same text, and
report.py's view must equal the naive reference.  More examples with REPORTLS_FUZZ_EXAMPLES=N."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportls.analysis import analyze
from reportls.constraints import load_profile, resolve_table
from reportls.text.document import LineIndex, TextDocument
from reportls.report.parse import Parser, parse_report
from reportls.report.reportpy import read_as_report_py
from tests.reference_reportpy import reference_counts
from tests.reportgen import make_report

EXAMPLES = int(os.environ.get("REPORTLS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from([
    "word ", "two words ", "\n", "\r\n", "\n\n", "## heading\n", "### Question 9\n", "#### sub\n", "C## ", "Answer:",
    "> Answer:\n", "```\n", "```python\n![x](figures/a.png)\n```\n", "![a](figures/a.png)", "![b](<figures/b c.png>)",
    "<img src=\"figures/c.png\">", "![r][ref]\n\n[ref]: figures/r.png\n", "`code ![i](x.png)`", "<!-- ![h](h.png) -->",
    "😀", "é", "\t", "--- question 3 fill here ---", "- item\n", "> quote\n", "---\n", "WANDB_API_KEY=" + "a" * 40, "\x00",
    "\ufeff", "[link](figures/a.png) ", "    indented code\n",
])
TEXT = st.lists(PIECES, max_size=12).map("".join)


@st.composite
def reports(draw):
    answers = {n: draw(TEXT) for n in draw(st.sets(st.integers(1, 31), max_size=8))}
    text = make_report(answers, newline=draw(st.sampled_from(["\n", "\r\n"])), front_matter=draw(st.booleans()))
    return text


@st.composite
def edits(draw, text_len_hint=20000):
    return [(draw(st.floats(0, 1)), draw(st.floats(0, 1)), draw(TEXT)) for _ in range(draw(st.integers(1, 8)))]


@FUZZ
@given(reports(), edits())
def test_incremental_parse_equals_fresh(text, steps):
    parser = Parser()
    parser.parse(text)
    for a, b, insert in steps:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        j = min(j, i + 200)
        text = text[:i] + insert + text[j:]
        assert parser.parse(text) == parse_report(text)


@FUZZ
@given(reports(), edits())
def test_incremental_analysis_equals_fresh(text, steps):
    parser = Parser()
    table = load_profile("2026")
    res = resolve_table(report_path=None, question_count=31, q3_prompt="", override="2026")
    for a, b, insert in steps:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        text = text[:i] + insert + text[min(j, i + 300):]
        inc = analyze(text, parser=parser, resolution=res)
        fresh = analyze(text, resolution=res)
        assert inc.findings == fresh.findings
        assert inc.results == fresh.results
        view = read_as_report_py(text, 31)
        ref, crash = reference_counts(text, 31)
        assert [(x.words, x.images) for x in view.answers] == ref
        assert (view.crash is None) == (crash is None)
    assert table.answers == 31


@FUZZ
@given(TEXT, st.lists(st.tuples(st.integers(0, 50), st.integers(0, 80), st.integers(0, 50), st.integers(0, 80), TEXT),
                      max_size=10), st.sampled_from(["utf-16", "utf-8"]))
def test_text_document_edits_match_string_edits(text, changes, encoding):
    doc = TextDocument("file:///x.md", text)
    expected = text
    for sl, sc, el, ec, new in changes:
        index = LineIndex(expected)
        start, end = index.offset(sl, sc, encoding), index.offset(el, ec, encoding)
        if end < start:
            continue
        doc.apply_change(new, (sl, sc, el, ec), encoding)
        expected = expected[:start] + new + expected[end:]
        assert doc.text == expected


@FUZZ
@given(reports())
def test_every_finding_range_is_inside_the_text_and_positions_roundtrip(text):
    a = analyze(text)
    index = LineIndex(text)
    for f in a.findings:
        assert 0 <= f.span.start <= f.span.end <= len(text)
        for enc in ("utf-16", "utf-8"):
            p = index.position(f.span.start, enc)
            back = index.offset(p.line, p.character, enc)
            assert back == f.span.start or text[back : f.span.start] in ("\r", "\n")
