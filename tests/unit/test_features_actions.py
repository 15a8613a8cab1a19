"""Code actions: each action's edits applied to the text give the expected text."""

from reportls import features
from reportls.analysis import analyze
from reportls.files.figures import FigureFolder
from reportls.report.model import Span
from tests.reportgen import make_report, words
from tests.unit.features_env import apply, make_env, setup


def finding(a, code, n=None):
    return next(f for f in a.findings if f.code == code and (n is None or f.question == n))


def fixes(a, f, folder):
    return [x for x in features.code_actions(a, f.span, folder) if x.kind == "quickfix" and x.finding == f]


def test_figure_case(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](figures/WANDB.png)"})
    f = finding(a, "figure-case")
    [fix] = fixes(a, f, folder)
    assert fix.preferred and fix.title == "Use the real file name `figures/wandb.png`"
    assert apply(text, fix.edits) == text.replace("![x](figures/WANDB.png)", "![x](figures/wandb.png)")


def test_figure_case_keeps_the_link_style(tmp_path):
    answers = {19: "![x](figures/My%20Plot%20%281%29.png)", 20: "![y](<figures/My Plot (1).png>)"}
    text, a, folder = setup(make_env(tmp_path), answers)
    edits = [e for n in (19, 20) for fix in fixes(a, finding(a, "figure-case", n), folder) for e in fix.edits]
    new = apply(text, edits)
    assert "![x](figures/my%20plot%20%281%29.png)" in new and "![y](<figures/my plot (1).png>)" in new


def test_missing_figure_offers_the_closest_names(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {20: "![y](figures/los.jpg)"})
    f = finding(a, "missing-figure")
    actions = fixes(a, f, folder)
    assert actions[0].title == "Link `figures/loss.jpg` instead" and actions[0].preferred
    assert len(actions) == len(f.payload.candidates) and not any(x.preferred for x in actions[1:])
    assert apply(text, actions[0].edits) == text.replace("figures/los.jpg", "figures/loss.jpg")


def test_repo_relative_link_is_rewritten(tmp_path):
    text, a, folder = setup(
        make_env(tmp_path), {19: "![x](reports/figures/loss.jpg)", 20: "![z](/reports/figures/wandb.png)"}
    )
    for dest, new in (
        ("reports/figures/loss.jpg", "figures/loss.jpg"),
        ("/reports/figures/wandb.png", "figures/wandb.png"),
    ):
        f = next(
            f for f in a.findings if f.code == "missing-figure" and text[f.span.start : f.span.end] == dest
        )
        [fix] = fixes(a, f, folder)
        assert not fix.renames and apply(text, fix.edits) == text.replace(f"]({dest})", f"]({new})")


def test_move_a_pasted_image_into_figures(tmp_path):
    env = make_env(tmp_path)
    (env / "image.png").write_bytes(b"x")
    text, a, folder = setup(env, {19: "![x](image.png)", 20: "again ![y](./image.png)"})
    f = finding(a, "figure-location", 19)
    [move] = fixes(a, f, folder)
    assert move.renames == (("image.png", "figures/image.png"),)
    assert move.title == "Move `image.png` to `figures/image.png` and update the link"
    new = apply(text, move.edits)
    assert "![x](figures/image.png)" in new and "again ![y](figures/image.png)" in new
    assert new.count("image.png") == text.count("image.png")


def test_one_move_for_a_folder_of_images_moves_every_one(tmp_path):
    env = make_env(tmp_path)
    (env / "our_figures").mkdir()
    for name in ("a.png", "b.png", "c.png"):
        (env / "our_figures" / name).write_bytes(b"x")
    (env / "figures" / "c.png").write_bytes(b"taken")  # never moved over an existing file
    answers = {19: "![a](our_figures/a.png)", 20: "![b](./our_figures/b.png)", 21: "![c](our_figures/c.png)",
               22: "![a again](our_figures/a.png)"}
    text, a, folder = setup(env, answers)
    [f] = [f for f in a.findings if f.code == "figure-location"]
    assert len(f.related) == 4
    [move] = fixes(a, f, folder)
    assert move.renames == (("our_figures/a.png", "figures/a.png"), ("our_figures/b.png", "figures/b.png"))
    assert move.title == "Move the 2 images in `our_figures/` to `figures/` and update their links"
    new = apply(text, move.edits)
    assert "![a](figures/a.png)" in new and "![b](figures/b.png)" in new and "![a again](figures/a.png)" in new
    assert "![c](our_figures/c.png)" in new


def test_no_move_onto_an_existing_file(tmp_path):
    env = make_env(tmp_path)
    (env / "wandb.png").write_bytes(b"y")
    text, a, folder = setup(env, {19: "![x](wandb.png)"})
    assert fixes(a, finding(a, "figure-location", 19), folder) == []


def test_remove_a_placeholder(tmp_path):
    answers = {5: "--- question 5 fill here ---\n" + words(3), 6: words(2) + " --- question 6 fill here ---"}
    text, a, folder = setup(make_env(tmp_path), answers)
    [fix] = fixes(a, finding(a, "placeholder", 5), folder)
    assert apply(text, fix.edits) == text.replace("--- question 5 fill here ---\n", "")
    [fix] = fixes(a, finding(a, "placeholder", 6), folder)
    assert apply(text, fix.edits) == text.replace("word word --- question 6 fill here ---", "word word ")


def test_insert_a_link_to_an_unused_figure(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(
        env, {14: "![w](figures/wandb.png)", 19: "some text", 20: "`![c](figures/loss.jpg)`"}
    )
    off = text.index("some text") + len("some ")
    inserts = [x for x in features.code_actions(a, Span(off, off), folder) if x.kind == "refactor"]
    assert [x.title for x in inserts] == [
        "Insert link to unused figure figures/loss.jpg",
        "Insert link to unused figure figures/my plot (1).png",
        "Insert link to unused figure figures/sub/deep.png",
    ]
    assert apply(text, inserts[1].edits) == text.replace(
        "some text", "some ![my plot (1)](figures/my%20plot%20%281%29.png)text"
    )
    # not on a heading or prompt, not outside questions
    for off in (text.index("### Question 19"), text.index("> Example", text.index("### Question 19")), 0):
        assert not [x for x in features.code_actions(a, Span(off, off), folder) if x.kind == "refactor"]


def test_a_figure_linked_with_other_letter_case_is_not_unused(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(env, {14: "![w](figures/WANDB.png)", 19: "some text"})
    off = text.index("some text") + len("some ")
    titles = [x.title for x in features.code_actions(a, Span(off, off), folder) if x.kind == "refactor"]
    assert "Insert link to unused figure figures/wandb.png" not in titles
    assert "Insert link to unused figure figures/loss.jpg" in titles


def test_at_most_ten_inserts(tmp_path):
    env = make_env(tmp_path)
    for i in range(12):
        (env / "figures" / f"extra{i:02}.png").write_bytes(b"")
    text, a, folder = setup(env, {19: "some text"})
    off = text.index("some text")
    assert (
        len([x for x in features.code_actions(a, Span(off, off + 4), folder) if x.kind == "refactor"]) == 10
    )


def inserts_at(a, folder, off, end=None):
    return [x for x in features.code_actions(a, Span(off, off if end is None else end), folder) if x.kind == "refactor"]


def test_inserts_only_where_a_new_image_fits(tmp_path):
    """Only in an answer whose question takes images and has fewer than its maximum (report.py's
    count), never on or inside an image link, never in a question without an image constraint."""
    answers = {1: "group 7", 7: words(60), 19: "![w](figures/wandb.png) caption", 20: "![a](x.png) ![b](y.png) two",
               21: "nothing yet", 29: words(250) + " ![w](figures/wandb.png) done", 14: words(250) + " end"}
    text, a, folder = setup(make_env(tmp_path), answers)
    at = lambda needle, n, delta=0: text.index(needle, text.index(f"### Question {n}\n")) + delta
    for off in (at("caption", 19), at("nothing", 21, 3), at(" end", 14)):  # 1 of 1-2, 0 of 1-2, 0 of 1-3
        assert len(inserts_at(a, folder, off)) == 3, text[off - 10 : off + 10]
    for off in (at("two", 20), at("done", 29), at("word", 7), at("group", 1)):  # full, full, words only, none
        assert inserts_at(a, folder, off) == [], text[off - 10 : off + 10]
    link = at("![w]", 19)
    for off in (link, link + 2, link + len("![w](figures/"), link + len("![w](figures/wandb.png)")):
        assert inserts_at(a, folder, off) == []  # on the link: its start, alt, destination, end
    assert inserts_at(a, folder, link - 1, link + 3) == []  # a selection touching the link


def test_a_broken_link_gets_only_the_did_you_mean_fixes(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![y](figures/los.jpg) and more text"})
    f = finding(a, "missing-figure")
    actions = features.code_actions(a, f.span, folder)
    assert actions and all(x.kind == "quickfix" and x.finding == f for x in actions)
    assert actions[0].title == "Link `figures/loss.jpg` instead"
    # the broken link is an image to report.py (1 of 1-2): beside it a second one still fits
    assert len(inserts_at(a, folder, text.index("more text"))) == 4  # no figure is linked yet


def test_given_findings_and_non_reports(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(env, {19: "![x](figures/WANDB.png)"})
    f = finding(a, "figure-case")
    assert [x for x in features.code_actions(a, f.span, folder, findings=[]) if x.kind == "quickfix"] == []
    assert (
        len([x for x in features.code_actions(a, f.span, folder, findings=[f]) if x.kind == "quickfix"]) == 1
    )
    notes = analyze("# Notes\n\n![x](figures/WANDB.png)\n", path=env / "notes.md")
    assert features.code_actions(notes, Span(0, 30), FigureFolder(env)) == []


def test_word_count_has_no_fix(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {7: words(3)})
    f = finding(a, "word-count", 7)
    assert [x for x in features.code_actions(a, f.span, folder) if x.kind == "quickfix"] == []


def test_only_the_asked_for_kinds_are_built(tmp_path):
    from reportls.handin.findings import HandinCheck
    from reportls.handin.spec import DEFAULT_SPEC

    env = make_env(tmp_path)
    text = make_report({4: "We used:\n- Cloud build\n- Buckets\n\n" + words(90), 19: "![x](figures/wandb.png) caption"})
    (env / "README.md").write_text(text)
    a = analyze(text, path=env / "README.md", checks=[HandinCheck(DEFAULT_SPEC)], handin=DEFAULT_SPEC)
    listing = next(f for f in a.findings if f.code == "handin-list")
    at = text.index("caption", text.index("![x](figures/wandb.png)"))
    elsewhere = Span(at, at)  # inside Question 19's answer (room for a second image), no finding there
    kinds = lambda span, only=None: sorted({x.kind for x in features.code_actions(a, span, FigureFolder(env), only=only)})
    assert kinds(elsewhere) == ["refactor"]  # a cursor move builds no hand-in fix-all
    assert kinds(listing.span) == ["quickfix", "source.fixAll.reportls"]  # Question 4 takes no images
    assert kinds(elsewhere, ["source.fixAll"]) == ["source.fixAll.reportls"]
    assert kinds(listing.span, ["quickfix"]) == ["quickfix"]
    assert kinds(listing.span, ["source.organizeImports"]) == []
