"""Hover on questions (prompt, requirements, report.py's counts and why) and on image links."""

from reportls import features
from reportls.analysis import Options, analyze
from reportls.files.figures import FigureFolder
from tests.reportgen import make_report, words
from tests.unit.features_env import make_env, setup

Q14 = words(250) + "\n\n![w](figures/wandb.png)"


def test_question_14_of_2026(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {14: Q14})
    assert a.table.name == "2026"
    q = a.report.question(14)
    h = features.hover(a, q.heading.span.start + 5, folder)
    assert h.span == q.heading.span
    md = h.markdown
    assert md.startswith("### Question 14\n\n> Explain question 14 of the project in your own words.")
    assert "**Required:** 200-300 words, 1-3 images" in md
    assert "**report.py counts:** 251 words, 1 image: ✅ passes" in md
    assert "**Example:** We used ... for ..." in md
    assert "crash" not in md and "Why" not in md


def test_hover_span_follows_the_part_under_the_cursor(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {7: words(43)})
    q = a.report.question(7)
    on_prompt = features.hover(a, q.prompt_span.start + 3, folder)
    on_answer = features.hover(a, text.index("word", q.answer_span.start), folder)
    assert on_prompt.span == q.prompt_span and on_answer.span == q.answer_span
    assert on_prompt.markdown == on_answer.markdown
    assert "**Required:** 50-100 words" in on_answer.markdown
    assert "43 words, 0 images: ❌ fails" in on_answer.markdown


def test_question_without_constraint(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {1: "Group 42"})
    md = features.hover(a, a.report.question(1).heading.span.start, folder).markdown
    assert "**Required:** nothing" in md and "2 words, 0 images (nothing to pass or fail)" in md


def test_truncation_is_explained(tmp_path):
    answer = words(60) + "\n\n#### Details\n\n" + words(40)
    text, a, folder = setup(make_env(tmp_path), {7: answer})
    line = text[: text.index("#### Details")].count("\n") + 1
    md = features.hover(a, a.report.question(7).heading.span.start, folder).markdown
    assert "60 words, 0 images: ✅ passes" in md
    assert "**Why report.py sees something else:**" in md
    assert f"- report.py stops counting at `###` on line {line} (`#### Details`); the 42 words after it" in md


def test_second_marker_and_placeholder_are_explained(tmp_path):
    answer = "Answer: draft " + words(5) + "\n\n--- question 8 fill here ---\n" + words(10)
    text, a, folder = setup(make_env(tmp_path), {8: answer})
    md = features.hover(a, a.report.question(8).heading.span.start, folder).markdown
    assert "- Question 8 has 2 `Answer:` markers" in md
    assert "- the placeholder `--- question 8 fill here ---` is still here" in md


def test_crash_says_counts_come_from_the_section(tmp_path):
    text = make_report({7: words(43)}).replace("> Answer:", ">", 1)  # Q1 loses its marker
    text, a, folder = setup(make_env(tmp_path), text=text)
    assert a.crash
    md = features.hover(a, a.report.question(7).heading.span.start, folder).markdown
    assert "report.py check will crash" in md and "this question's own section" in md
    assert "43 words, 0 images: ❌ fails" in md
    md1 = features.hover(a, a.report.question(1).heading.span.start, folder).markdown
    assert "Question 1 has no `Answer:` marker" in md1


def test_zero_based_messages_are_mentioned(tmp_path):
    text, a, folder = setup(
        make_env(tmp_path),
        {7: words(60)},
        count=27,
        front_matter=True,
        options=Options(constraints="2023-pre"),
    )
    assert a.table.zero_based_messages
    md = features.hover(a, a.report.question(7).heading.span.start, folder).markdown
    assert "report.py calls this Question 6" in md


def test_image_that_exists(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(env, {14: Q14})
    link = a.report.question(14).figures[0]
    h = features.hover(a, link.dest_span.start + 2, folder)
    path = (env / "figures" / "wandb.png").resolve()
    assert h.span == link.span
    assert h.markdown == f"**Image** `figures/wandb.png`\n\n`{path}`\n\n![wandb.png]({path.as_uri()})"


def test_image_with_spaces_and_parentheses_previews_with_an_encoded_uri(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(
        env, {19: "![p](figures/my%20plot%20%281%29.png)", 20: "![q](<figures/my plot (1).png>)"}
    )
    uri = (env / "figures" / "my plot (1).png").resolve().as_uri()
    assert "%20" in uri and "(" not in uri
    for n in (19, 20):
        link = a.report.question(n).figures[0]
        assert f"]({uri})" in features.hover(a, link.span.start, folder).markdown


def test_broken_images_say_why(tmp_path):
    env = make_env(tmp_path)
    answers = {
        19: "![a](figures/wandb.pgn)",
        20: "![b](figures/WANDB.png)",
        21: "![c](reports/figures/loss.jpg)",
        22: "![d](https://example.com/x.png)",
    }
    text, a, folder = setup(env, answers)

    def md(n):
        return features.hover(a, a.report.question(n).figures[0].span.start, folder).markdown

    assert "- ❌ Image file `figures/wandb.pgn` does not exist. Did you mean `figures/wandb.png`" in md(19)
    assert "file:" not in md(19)
    assert "The file on disk is `figures/wandb.png` (other letter case)." in md(20)
    assert (env / "figures" / "wandb.png").resolve().as_uri() in md(20)
    assert "- ❌ `figures/WANDB.png` exists only as `figures/wandb.png`" in md(20)
    assert "Written from the repository root; the file is `figures/loss.jpg`" in md(21)
    assert "A URL" in md(22) and "- ⚠️ `https://example.com/x.png` is a URL" in md(22)


def test_image_in_code_is_marked_hidden(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "`![x](figures/wandb.png)`"})
    link = a.report.question(19).figures[0]
    md = features.hover(a, link.span.start + 1, folder).markdown
    assert "Inside code: not shown in the report." in md
    # Question 19 requires an image and this is its only one: a warning (issue 23)
    assert "Question 19 requires 1-2 images; report.py counts this one, but the hand-in shows none" in md


def test_nothing_outside_questions_or_in_other_markdown(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(env, {})
    assert features.hover(a, text.index("### Week 1"), folder) is None  # inside the checklist, not its heading
    assert features.hover(a, 0, folder) is None
    notes = analyze("# Notes\n\n### Question 2\n\nAnswer: x\n", path=env / "notes.md")
    assert features.hover(notes, 20, FigureFolder(env)) is None


def test_without_a_folder(tmp_path):
    text, a, _ = setup(make_env(tmp_path), {14: Q14})
    link = a.report.question(14).figures[0]
    assert features.hover(a, link.span.start, None).markdown == "**Image** `figures/wandb.png`"
    assert "1-3 images" in features.hover(a, a.report.question(14).heading.span.start, None).markdown


# plain text, for a client whose hover.contentFormat is plaintext only ------------------------------
def test_question_hover_as_plain_text(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {7: words(43)})
    h = features.hover(a, a.report.question(7).heading.span.start, folder)
    prompt = a.report.question(7).prompt.replace("\n", " ")
    assert h.plaintext == (
        f"Question 7\n\n{prompt}\n\nRequired: 50-100 words\n\n"
        "report.py counts: 43 words, 0 images: ❌ fails\n\nExample: We used ... for ..."
    )
    assert "**" in h.markdown and "**" not in h.plaintext and "###" not in h.plaintext


def test_why_list_and_code_spans_in_plain_text(tmp_path):
    answer = words(60) + "\n\n#### Details\n\n" + words(40)
    text, a, folder = setup(make_env(tmp_path), {7: answer})
    plain = features.hover(a, a.report.question(7).heading.span.start, folder).plaintext
    line = text[: text.index("#### Details")].count("\n") + 1
    # the list stays a list; code spans keep their backticks, as in the diagnostics' messages
    assert f"Why report.py sees something else:\n- report.py stops counting at `###` on line {line} (`#### Details`)" in plain


def test_image_hover_as_plain_text_drops_the_preview(tmp_path):
    env = make_env(tmp_path)
    text, a, folder = setup(env, {14: Q14, 20: "![b](figures/WANDB.png)"})
    path = (env / "figures" / "wandb.png").resolve()
    h = features.hover(a, a.report.question(14).figures[0].span.start, folder)
    assert h.plaintext == f"Image `figures/wandb.png`\n\n`{path}`"
    miscased = features.hover(a, a.report.question(20).figures[0].span.start, folder).plaintext
    assert "file:" not in miscased and "![" not in miscased
    assert miscased.startswith("Image `figures/WANDB.png`\n\nThe file on disk is `figures/wandb.png` (other letter case).")
    assert "\n\n- ❌ `figures/WANDB.png` exists only as `figures/wandb.png`" in miscased


def test_handin_hover_as_plain_text_indents_the_renderings(tmp_path):
    answer = "We used:\n- Cloud build\n- Buckets\n\n" + words(90)
    from reportls.handin.findings import HandinCheck
    from reportls.handin.spec import DEFAULT_SPEC

    env = make_env(tmp_path)
    text = make_report({5: answer})
    (env / "README.md").write_text(text)
    a = analyze(text, path=env / "README.md", checks=[HandinCheck(DEFAULT_SPEC)], handin=DEFAULT_SPEC)
    folder = FigureFolder(env)
    [f] = [f for f in a.findings if f.code == "handin-list"]
    plain = features.hover(a, f.span.start, folder).plaintext
    assert plain.startswith(f"handin-list: {f.message}\n\nOn GitHub (CommonMark/GFM):\n\n    <p>We used:</p>\n    <ul>\n")
    assert "\n\nIn the hand-in (`report.py html`: Python-Markdown" in plain
    assert "```" not in plain and "**" not in plain


def test_plain_text_of_the_hover_constructs():
    from reportls.features.hover import plain_text

    md = ("### Question 3\n\n> Why `x`?\n\n**Required:** nothing\n\n_report.py's own messages call this question 2._"
          "\n\n**Checklist: 2/3 done**\n\n| | done |\n| --- | --- |\n| Week 1 | 2/2 |\n| Extra | 0/1 |"
          "\n\n- a `**kept**` b\n\n````html\n<p>```</p>\n\n<p>b</p>\n````\n\n![a.png](file:///a.png)")
    assert plain_text(md) == (
        "Question 3\n\nWhy `x`?\n\nRequired: nothing\n\nreport.py's own messages call this question 2."
        "\n\nChecklist: 2/3 done\n\nWeek 1: 2/2\nExtra: 0/1\n\n- a `**kept**` b\n\n    <p>```</p>\n\n    <p>b</p>"
    )
