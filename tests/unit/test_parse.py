"""The structural reading: questions, prompts, markers, figures, hidden regions, segments."""

from tests.reportgen import make_report, words

from reportls.text.document import LineIndex
from reportls.report.parse import Parser, parse_report, split_segments


def test_questions_prompts_and_answers():
    text = make_report({n: words(n) for n in range(1, 32)})
    r = parse_report(text)
    assert r.is_report
    assert [q.number for q in r.questions] == list(range(1, 32))
    q = r.question(7)
    assert q.prompt == "Explain question 7 of the project in your own words."
    assert q.recommended == "100-200 words"
    assert q.example == "We used ... for ..."
    assert len(q.markers) == 1
    assert text[q.answer_span.start : q.answer_span.end].strip() == words(7)
    assert [s.title for s in r.sections][:2] == ["Overall project checklist", "Group information"]


def test_front_matter_is_not_a_heading_or_rule():
    text = make_report(count=27, front_matter=True)
    r = parse_report(text)
    assert r.front_matter is not None and r.front_matter.start == 0
    assert text[r.front_matter.start : r.front_matter.end].startswith("---\nlayout: default")
    assert r.title.title == "Exam template for 02476 Machine Learning Operations"


def test_figure_links_all_kinds_with_exact_spans():
    answer = (
        "🚀 ![a](figures/a.png) and ![b](<figures/my plot.png> \"t\")\n"
        "<img src=\"figures/c.png\" width=100>\n![d][ref]\n\n[ref]: figures/d.png\n"
        "`![e](figures/e.png)`\n\n```\n![f](figures/f.png)\n```\n<!-- ![g](figures/g.png) -->\n"
    )
    text = make_report({14: answer})
    r = parse_report(text)
    figs = {f.alt or f.dest: f for f in r.question(14).figures}
    assert figs["a"].dest == "figures/a.png" and text[figs["a"].dest_span.start : figs["a"].dest_span.end] == "figures/a.png"
    assert figs["b"].angle and figs["b"].dest == "figures/my plot.png"
    html = [f for f in r.question(14).figures if f.kind == "html"][0]
    assert html.dest == "figures/c.png"
    assert figs["d"].kind == "reference" and figs["d"].dest == "figures/d.png"
    assert figs["e"].hidden == "code"
    assert figs["f"].hidden == "code"
    assert figs["g"].hidden == "comment"
    assert figs["a"].hidden is None
    # utf-16 position of the first link: the rocket is 2 code units
    idx = LineIndex(text)
    pos = idx.position(figs["a"].span.start)
    assert pos.character == 3
    assert idx.position(figs["a"].span.start, "utf-8").character == 5


def test_template_example_in_preamble_is_inline_code():
    r = parse_report(make_report())
    pre = [f for f in r.figures if f.dest.startswith("figures/<image>")]
    assert pre and pre[0].hidden == "code"


def test_heading_inside_fence_does_not_split():
    text = "# T\n\n```\n### Question 9\n```\n### Question 1\n> Answer:\nx\n"
    starts = split_segments(text)
    assert [text[s : s + 5] for s in starts] == ["# T\n\n", "### Q"]
    r = parse_report(text)
    assert [q.number for q in r.questions] == [1]


def test_incremental_parse_equals_fresh_and_rereads_only_the_edited_segment():
    text = make_report({n: words(20) for n in range(1, 32)})
    p = Parser()
    p.parse(text)
    i = text.index("### Question 12")
    j = text.index("word", i)
    edited = text[:j] + "new " + text[j:]
    incremental = p.parse(edited)
    assert p.reads == 1
    fresh = parse_report(edited)
    assert incremental == fresh


def test_two_hash_question_heading_is_still_a_question():
    text = make_report().replace("### Question 24", "## Question 24")
    r = parse_report(text)
    assert r.question(24).heading.level == 2


def test_placeholders_found():
    text = make_report({5: "--- question 5 fill here ---"})
    assert parse_report(text).question(5).placeholders[0].text == "--- question 5 fill here ---"
