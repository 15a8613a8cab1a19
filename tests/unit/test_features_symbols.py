"""Outline, folding ranges, document links and go-to-definition."""

from reportls import features
from reportls.report.model import Span
from tests.reportgen import SECTIONS, make_report, words
from tests.unit.features_env import make_env, setup


def walk(symbols):
    for s in symbols:
        yield s
        yield from walk(s.children)


def test_outline_sections_hold_their_questions(tmp_path):
    text, a, _ = setup(
        make_env(tmp_path), {7: words(43), 8: words(150), 14: words(250), 19: "![x](figures/wandb.png)"}
    )
    symbols = features.document_symbols(a)
    assert [(s.kind, s.name) for s in symbols] == [
        ("title", "Exam template for 02476 Machine Learning Operations"),
        ("section", "Overall project checklist"),
        *[("section", name) for name in SECTIONS.values()],
    ]
    assert symbols[0].detail == f"{a.passed}/31 questions pass"
    by_section = {s.name: [c.name for c in s.children] for s in symbols}
    assert by_section["Group information"] == ["Question 1", "Question 2", "Question 3"]
    assert by_section["Overall discussion of project"] == [f"Question {n}" for n in range(27, 32)]
    assert [c.name for s in symbols for c in s.children] == [f"Question {n}" for n in range(1, 32)]
    detail = {s.name: s.detail for s in walk(symbols) if s.kind == "question"}
    assert detail["Question 7"] == "fails: 43/50-100 words"
    assert detail["Question 8"] == "passes: 150/100-200 words"
    assert detail["Question 14"] == "fails: 250/200-300 words, 0/1-3 images"
    assert detail["Question 19"] == "passes: 1/1-2 images"
    assert detail["Question 1"] == "0 words"
    for s in symbols:  # children inside parents, selections inside ranges
        assert s.span.start <= s.selection.start <= s.selection.end <= s.span.end
        for c in s.children:
            assert s.span.start <= c.span.start <= c.span.end <= s.span.end
            assert c.selection == a.report.question(int(c.name.split()[1])).heading.span


def test_level_two_question_heading_stays_in_its_section(tmp_path):
    text = make_report({24: words(120)}).replace("### Question 24", "## Question 24")
    text, a, _ = setup(make_env(tmp_path), text=text)
    deployment = next(s for s in features.document_symbols(a) if s.name == "Deployment")
    assert [c.name for c in deployment.children] == [f"Question {n}" for n in range(23, 27)]
    assert all(
        deployment.span.start <= c.span.start and c.span.end <= deployment.span.end
        for c in deployment.children
    )


def test_questions_without_sections_stand_at_the_top(tmp_path):
    text = make_report({}, sections=False).replace("## Overall project checklist\n", "")
    text, a, _ = setup(make_env(tmp_path), text=text)
    symbols = features.document_symbols(a)
    assert [s.name for s in symbols] == [
        "Exam template for 02476 Machine Learning Operations",
        *[f"Question {n}" for n in range(1, 32)],
    ]
    assert symbols[0].span.end == a.report.question(1).span.start  # the title holds the preamble only


def test_folding_ranges(tmp_path):
    text, a, _ = setup(make_env(tmp_path), {})
    ranges = features.folding_ranges(a)
    questions = [q.span for q in a.report.questions]
    assert set(questions) <= set(ranges)
    sections = [r for r in ranges if r not in questions]
    assert len(sections) == 1 + len(SECTIONS)
    assert all(not text[r.end - 1].isspace() for r in sections)
    assert ranges == sorted(ranges, key=lambda r: (r.start, -r.end))


def test_document_links_and_definition(tmp_path):
    env = make_env(tmp_path)
    answers = {
        14: "![w](figures/wandb.png)",
        19: "![p](<figures/my plot (1).png>) ![m](figures/missing.png)",
        20: "`![c](figures/loss.jpg)` ![c](figures/WANDB.png)",
    }
    text, a, folder = setup(env, answers)
    links = features.document_links(a, folder)
    got = [(text[link.span.start : link.span.end], link.target.name) for link in links]
    assert got == [
        ("figures/wandb.png", "wandb.png"),
        ("figures/my plot (1).png", "my plot (1).png"),
        ("figures/WANDB.png", "wandb.png"),
    ]
    assert all(link.target.is_file() for link in links)
    wandb = text.index("figures/wandb.png")
    assert features.definition(a, wandb + 3, folder) == env / "figures" / "wandb.png"
    assert features.definition(a, text.index("![m]") + 2, folder) is None
    assert features.definition(a, text.index("### Question 3"), folder) is None
    assert features.document_links(a, None) == [] and features.definition(a, wandb, None) is None
    assert Span(wandb, wandb + len("figures/wandb.png")) == links[0].span
