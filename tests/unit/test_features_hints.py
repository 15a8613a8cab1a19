"""Inlay hints after ``Answer:`` and the title's code lens."""

from reportls import features
from reportls.report.model import Span
from tests.reportgen import make_report, words
from tests.unit.features_env import make_env, setup


def hint_map(a):
    return {h.offset: h for h in features.inlay_hints(a)}


def test_hint_labels(tmp_path):
    answers = {1: words(12), 7: words(43), 8: words(143), 14: words(250), 19: "![x](figures/wandb.png)"}
    text, a, _ = setup(make_env(tmp_path), answers)
    hints = hint_map(a)
    assert len(hints) == 31

    def label(n):
        q = a.report.question(n)
        assert text[q.marker : q.marker + len("Answer:")] == "Answer:"
        return hints[q.marker + len("Answer:")].label

    assert label(1) == "12 words"
    assert label(7) == "✗ 43 words · 50-100"
    assert label(8) == "✓ 143 words · 100-200"
    assert label(14) == "✗ 250 words · 200-300 · 0/1-3 images"
    assert label(19) == "✓ 1 word · 1/1-2 images"
    tip = hints[a.report.question(7).marker + 7].tooltip
    assert tip == "Question 7: as report.py check counts it (needs 50-100 words)"


def test_hints_on_a_crash_come_from_the_sections(tmp_path):
    text = make_report({7: words(43)}).replace("> Answer:", ">", 1)
    text, a, _ = setup(make_env(tmp_path), text=text)
    assert a.crash
    hints = hint_map(a)
    assert len(hints) == 30  # Question 1 has no marker
    h = hints[a.report.question(7).marker + 7]
    assert h.label == "✗ 43 words · 50-100" and "would crash" in h.tooltip


def test_hint_uses_the_last_marker(tmp_path):
    text, a, _ = setup(make_env(tmp_path), {7: "Answer: " + words(60)})
    q = a.report.question(7)
    assert len(q.markers) == 2
    hints = hint_map(a)
    assert q.markers[0] + 7 not in hints and hints[q.markers[1] + 7].label == "✓ 60 words · 50-100"


def test_code_lens_on_the_title(tmp_path):
    text, a, _ = setup(make_env(tmp_path), {7: words(60)})
    lens, checklist_lens = features.code_lenses(a)
    assert checklist_lens.title == "Checklist: 0/1 done"  # the generated report's one unticked item
    assert (
        lens.span
        == a.report.title.span
        == Span(0, len("# Exam template for 02476 Machine Learning Operations"))
    )
    assert lens.title == "5/31 questions pass"  # Q1, Q2 (no constraint), Q3 and Q28 (0-200), Q7
    lenses = features.code_lenses(a, hints_as_lenses=True)
    assert len(lenses) == 33 and "✓ 60 words · 50-100" in [x.title for x in lenses]


def test_code_lens_explains_the_crash(tmp_path):
    text = make_report({}).replace("> Answer:", ">", 1)
    text, a, _ = setup(make_env(tmp_path), text=text)
    assert [x.title for x in features.code_lenses(a)] == [
        "report.py check will crash: expected 31 answers, found 30",
        "Checklist: 0/1 done",
    ]


def test_code_lens_without_a_title_sits_on_the_first_line(tmp_path):
    text = make_report({}).replace("# Exam template", "Exam template", 1)
    text, a, _ = setup(make_env(tmp_path), text=text)
    assert a.report.title is None
    lens, _ = features.code_lenses(a)
    assert lens.span == Span(0, text.index("\n"))


def test_other_markdown_gets_no_hints_lenses_or_outline(tmp_path):
    from reportls.analysis import analyze

    a = analyze("# Notes\n\n## Part\n\nAnswer: x\n", path=make_env(tmp_path) / "notes.md")
    assert features.inlay_hints(a) == [] and features.code_lenses(a) == []
    assert features.document_symbols(a) == [] and features.folding_ranges(a) == []


def test_wording_exactly_one_image_and_singular_word(tmp_path):
    """The 2023 table: Q20 and Q21 need exactly one image."""
    from reportls.analysis import Options

    answers = {1: "7", 20: "![x](figures/wandb.png)", 21: words(3)}
    text, a, _ = setup(make_env(tmp_path), answers, options=Options(constraints="2023"), count=27)
    hints = hint_map(a)

    def label(n):
        return hints[a.report.question(n).marker + len("Answer:")].label

    assert label(1) == "1 word"  # no constraint: no ✓ or ✗, nothing to pass
    assert label(20) == "✓ 1 word · 1/1 image"
    assert label(21) == "✗ 3 words · 0/1 image"
    [f] = [f for f in a.findings if f.code == "image-count" and f.question == 21]
    assert f.message == "Question 21: 0 images, needs exactly 1 image (report.py check will fail)"
    hover = features.hover(a, a.report.question(21).heading.span.start, None).markdown
    assert "**Required:** exactly 1 image" in hover and "3 words, 0 images" in hover
