"""Pure editor features on a generated report with a real figures folder."""

from pathlib import Path

import pytest

from reportls import features
from reportls.analysis import analyze
from reportls.figures import FigureFolder
from reportls.model import Span
from tests.reportgen import make_report, words


@pytest.fixture
def env(tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures" / "sub").mkdir(parents=True)
    for name in ("wandb.png", "my plot (1).png", "loss.jpg", "notes.txt", "sub/deep.png"):
        (reports / "figures" / name).write_bytes(b"x")
    return reports


def setup(env, answers):
    text = make_report(answers)
    path = env / "README.md"
    path.write_text(text)
    return text, analyze(text, path=path), FigureFolder(env)


def apply(text, edits):
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text


def test_completion_after_figures_slash(env):
    text, a, folder = setup(env, {19: "![x](figures/", 14: "![w](figures/wandb.png)"})
    offset = text.index("![x](figures/") + len("![x](figures/")
    items = features.complete(a, offset, folder)
    labels = [c.label for c in sorted(items, key=lambda c: c.sort_text)]
    # unused images, used images, folders, then other files
    assert labels == ["figures/loss.jpg", "figures/my plot (1).png", "figures/wandb.png", "figures/sub/",
                      "figures/notes.txt"]
    assert {c.replace for c in items} == {Span(offset - len("figures/"), offset)}
    spaced = next(c for c in items if "plot" in c.label)
    assert spaced.insert_text == "figures/my%20plot%20%281%29.png"
    folder_item = next(c for c in items if c.kind == "folder")
    assert folder_item.retrigger


def test_completion_filters_and_angle_brackets(env):
    text, a, folder = setup(env, {19: "![x](figures/wa", 20: "![y](<figures/my"})
    off = text.index("![x](figures/wa") + len("![x](figures/wa")
    items = features.complete(a, off, folder)
    assert [c.label for c in items] == ["figures/wandb.png"]
    assert items[0].replace == Span(off - len("figures/wa"), off)
    off = text.index("![y](<figures/my") + len("![y](<figures/my")
    items = features.complete(a, off, folder)
    assert [c.insert_text for c in items] == ["figures/my plot (1).png"]


def test_completion_at_root_and_snippet(env):
    text, a, folder = setup(env, {19: "![x](", 20: "see ![", 21: "plain text"})
    off = text.index("![x](") + len("![x](")
    labels = {c.label for c in features.complete(a, off, folder)}
    assert "figures/wandb.png" in labels and "figures/" in labels
    off = text.index("see ![") + len("see ![")
    [snippet] = features.complete(a, off, folder)
    assert snippet.snippet and snippet.replace == Span(off - 2, off)
    off = text.index("plain text") + 5
    assert features.complete(a, off, folder) == []


def test_completion_never_lists_outside(env):
    text, a, folder = setup(env, {19: "![x](../"})
    off = text.index("![x](../") + len("![x](../")
    assert features.complete(a, off, folder) == []


def test_hover_question_and_image(env):
    text, a, folder = setup(env, {14: words(250) + "\n\n![w](figures/wandb.png)", 7: words(20) + "\n\n## Cut\n\nmore"})
    h = features.hover(a, text.index("### Question 14") + 3, folder)
    assert "Required:** 200-300 words, 1-3 images" in h.markdown
    assert "251 words, 1 images: ✓ passes" in h.markdown
    h = features.hover(a, text.index("### Question 7") + 3, folder)
    assert "20 words, 0 images: ✗ fails" in h.markdown and "stops counting at `##`" in h.markdown
    h = features.hover(a, text.index("![w](figures/wandb.png)") + 3, folder)
    assert (env / "figures" / "wandb.png").resolve().as_uri() in h.markdown


def test_inlay_hints_and_lens(env):
    text, a, _ = setup(env, {7: words(43), 14: words(250)})
    hints = {h.offset: h.label for h in features.inlay_hints(a)}
    q7 = a.report.question(7)
    assert hints[q7.marker + len("Answer:")] == "✗ 43 words · 50-100"
    assert hints[a.report.question(14).marker + 7] == "✗ 250 words · 200-300 · 0/1-3 images"
    assert hints[a.report.question(1).marker + 7] == "✓ 0 words"
    [lens] = features.code_lenses(a)
    assert lens.title == f"{a.passed}/31 questions pass"


def test_actions_fix_case_missing_and_placeholder(env):
    text, a, folder = setup(env, {19: "![x](figures/WANDB.png)", 20: "![y](figures/los.jpg)", 5: "--- question 5 fill here ---"})
    f = next(f for f in a.findings if f.code == "figure-case")
    [fix] = [x for x in features.code_actions(a, f.span, folder) if x.kind == "quickfix"]
    assert "![x](figures/wandb.png)" in apply(text, fix.edits)
    f = next(f for f in a.findings if f.code == "missing-figure")
    fixes = [x for x in features.code_actions(a, f.span, folder) if x.kind == "quickfix"]
    assert "![y](figures/loss.jpg)" in apply(text, fixes[0].edits)
    f = next(f for f in a.findings if f.code == "placeholder")
    [fix] = [x for x in features.code_actions(a, f.span, folder) if x.kind == "quickfix"]
    assert "--- question 5 fill here ---" not in apply(text, fix.edits)


def test_action_moves_a_figure_outside_figures(env):
    (env / "image.png").write_bytes(b"x")
    text, a, folder = setup(env, {19: "![x](image.png)"})
    f = next(f for f in a.findings if f.code == "figure-location")
    [move] = [x for x in features.code_actions(a, f.span, folder) if x.rename]
    assert move.rename == ("image.png", "figures/image.png")
    assert "![x](figures/image.png)" in apply(text, move.edits)


def test_insert_unused_figure(env):
    text, a, folder = setup(env, {19: "some text"})
    off = text.index("some text")
    inserts = [x for x in features.code_actions(a, Span(off, off), folder) if x.title.startswith("Insert link")]
    assert [x.title for x in inserts] == ["Insert link to unused figure figures/loss.jpg",
                                         "Insert link to unused figure figures/my plot (1).png",
                                         "Insert link to unused figure figures/sub/deep.png",
                                         "Insert link to unused figure figures/wandb.png"]


def test_symbols_and_folding(env):
    text, a, folder = setup(env, {7: words(43)})
    symbols = features.document_symbols(a)
    q7 = next(c for s in symbols for c in s.children if c.name == "Question 7")
    assert q7.detail == "✗ 43 words · 50-100"
    assert len(features.folding_ranges(a)) >= 31
    assert features.definition(a, 0, folder) is None


def test_non_report_offers_nothing(env):
    a = analyze("# Notes\n\nAnswer: x\n", path=env / "notes.md")
    folder = FigureFolder(env)
    assert features.hover(a, 3, folder) is None
    assert features.complete(a, 3, folder) == []
    assert features.inlay_hints(a) == [] and features.code_lenses(a) == [] and features.document_symbols(a) == []
    assert isinstance(Path, type)
