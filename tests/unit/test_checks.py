"""Diagnostics on small synthetic reports, numbers worked out by hand."""


import pytest
from tests.reportgen import make_report, words

from reportls import checks
from reportls.constraints.table import Constraint, ConstraintTable
from reportls.files.figures import FigureFolder
from reportls.report.parse import parse_report
from reportls.report.reportpy import read_as_report_py

L = lambda a, b: Constraint(a, b)
TABLE = ConstraintTable(
    name="test", answers=31,
    questions=tuple(
        {14: Constraint(200, 300, 1, 3), 19: Constraint(min_images=1, max_images=2), 7: L(50, 100)}.get(n, L(0, 1000))
        if n > 2 else Constraint() for n in range(1, 32)
    ),
)


def run(text, folder=None, table=TABLE):
    report = parse_report(text)
    view = read_as_report_py(text, table.answers, click=table.click, crash_message=table.crash_message)
    res = checks.results(report, view, table)
    return report, view, res, checks.run(report, view, table, res, folder, [])


def codes(findings):
    return sorted({f.code for f in findings})


def test_clean_report_has_no_findings():
    text = make_report({n: words(60) for n in range(3, 32)} | {14: words(250) + " ![a](figures/a.png)", 19: "![a](figures/a.png)"})
    *_, findings = run(text)
    assert findings == []


def test_word_count_message_and_range():
    text = make_report({7: words(43)})
    report, view, res, findings = run(text)
    f = [f for f in findings if f.code == "word-count" and f.question == 7][0]
    assert f.message == "Question 7: 43 words, needs 50-100 (report.py check will fail)"
    assert text[f.span.start : f.span.end] == words(43)
    assert report.question(7).answer_span.start <= f.span.start


def test_image_count_message():
    text = make_report({14: words(250)})
    *_, findings = run(text)
    f = [f for f in findings if f.code == "image-count"][0]
    assert f.message == "Question 14: 0 images, needs 1-3 (report.py check will fail)"


def test_truncation_explains_lost_words():
    answer = words(96) + "\n\n#### Sub heading\n\n" + words(125)
    text = make_report({14: answer + " ![a](figures/a.png)"})
    _, view, res, findings = run(text)
    f = [f for f in findings if f.code == "answer-truncated"][0]
    assert text[f.span.start : f.span.end] == "#### Sub heading"
    assert "the 129 words after it are not counted (it counts 96)" in f.message  # "####", "Sub", "heading", 125 words, the link
    assert res[13].words == 96 and not res[13].passed


def test_second_marker_reported():
    text = make_report({8: words(20) + "\nAnswer: " + words(55)})
    *_, findings = run(text)
    f = [f for f in findings if f.code == "answer-marker"][0]
    assert "so the 20 words before it are not counted" in f.message
    assert text[f.span.start : f.span.end] == "Answer:"


def test_missing_marker_points_at_the_question():
    text = make_report({n: words(10) for n in range(1, 32)})
    i = text.index("### Question 6")
    j = text.index("> Answer:", i)
    text = text[:j] + "> " + text[j + len("> Answer:") :]
    report, view, res, findings = run(text)
    assert view.crashed
    f = [f for f in findings if f.code == "answer-count"]
    assert len(f) == 1 and f[0].question == 6
    assert "expected 31 answers, found 30" in f[0].message
    # structural counts on a crash
    assert len(res) == 31 and res[5].words == 0 and res[6].words == 10


def test_two_hash_question_heading_crash():
    text = make_report({n: words(10) for n in range(1, 32)}).replace("### Question 24", "## Question 24")
    report, view, res, findings = run(text)
    assert len(view.answers) == 30
    ac = [f for f in findings if f.code == "answer-count"]
    assert ac and ac[0].question == 23
    assert any(f.code == "heading" and f.question == 24 for f in findings)


def test_extra_heading_after_last_answer():
    text = make_report({n: words(10) for n in range(1, 32)}, tail="### Use of Generative AI\n\nWe used it.\n")
    _, view, res, findings = run(text)
    assert len(view.answers) == 32
    ac = [f for f in findings if f.code == "answer-count"]
    assert len(ac) == 1 and text[ac[0].span.start : ac[0].span.end] == "### Use of Generative AI"


def test_placeholder_counted_words():
    text = make_report({5: "--- question 5 fill here ---"})
    *_, findings = run(text)
    f = [f for f in findings if f.code == "placeholder"][0]
    assert "counts its 6 words" in f.message


def test_heading_renamed_and_missing():
    text = make_report().replace("### Question 18\n", "### Question 18 CHECK\n").replace("### Question 6\n", "")
    *_, findings = run(text)
    msgs = [f.message for f in findings if f.code == "heading"]
    assert any("extra text `CHECK`" in m for m in msgs)
    assert any(m.startswith("`### Question 6` is missing") for m in msgs)


def test_image_not_counted_and_in_code():
    answer = "<img src=\"figures/a.png\">\n\n```\n![x](figures/a.png)\n```\n"
    text = make_report({19: answer})
    _, _, res, findings = run(text)
    assert res[18].images == 1
    assert "image-not-counted" in codes(findings) and "image-in-code" in codes(findings)


@pytest.fixture
def folder(tmp_path) -> FigureFolder:
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    for n in ("a.png", "wandb.png", "diagram.gif"):
        (reports / "figures" / n).write_bytes(b"x")
    (reports / "image.png").write_bytes(b"x")
    return FigureFolder(reports)


def test_figure_case_is_flagged_on_any_os(folder: FigureFolder):
    text = make_report({19: "![a](Figures/A.PNG)"})
    *_, findings = run(text, folder)
    f = [f for f in findings if f.code == "figure-case"][0]
    assert f.payload.replacement == "figures/a.png"
    assert text[f.span.start : f.span.end] == "Figures/A.PNG"


def test_missing_figure_suggests_closest(folder):
    *_, findings = run(make_report({19: "![a](figures/wandbb.png)"}), folder)
    f = [f for f in findings if f.code == "missing-figure"][0]
    assert f.payload.candidates[0] == "figures/wandb.png"


def test_location_and_extension(folder):
    answer = "![a](image.png) ![b](reports/figures/a.png) ![c](figures/diagram.gif) ![d](../x.png) ![e](https://x/y.png)"
    *_, findings = run(make_report({19: answer}), folder)
    assert [f.code for f in findings if f.code.startswith("figure")].count("figure-location") == 3
    assert any(f.code == "figure-extension" for f in findings)
    # a repository-root link resolves nowhere: broken on GitHub and in the hand-in, an error
    [broken] = [f for f in findings if f.code == "missing-figure"]
    assert broken.severity == "error" and broken.payload.replacement == "figures/a.png"
    assert broken.message.endswith("is written from the repository root), so the image is broken on GitHub and in "
                                   "the hand-in: write `figures/a.png`.")


def test_suggestions_only_for_names_that_are_close(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    for name in ("arch.png", "sweep.png", "loss.png", "wandb-1.png", "wandb_1.jpg", "Wandb-2.PNG"):
        (figures / name).write_bytes(b"x")
    folder = FigureFolder(tmp_path)
    *_, findings = run(make_report({19: "![a](figures/wandb_1.png)", 20: "![b](figures/confusion.png)"}), folder)
    by_q = {f.question: f for f in findings if f.code == "missing-figure"}
    assert list(by_q[19].payload.candidates) == ["figures/wandb-1.png", "figures/Wandb-2.PNG", "figures/wandb_1.jpg"]
    assert by_q[20].payload.candidates == () and by_q[20].message == "Image file `figures/confusion.png` does not exist."


def test_missing_figures_folder_is_named_in_each_message(tmp_path):
    *_, findings = run(make_report({19: "![a](figures/a.png)", 20: "![b](figures/b.png)"}), FigureFolder(tmp_path))
    msgs = [f.message for f in findings if f.code == "missing-figure"]
    assert msgs == [f"Image file `figures/{x}.png` does not exist: there is no `figures/` folder next to the report."
                    for x in "ab"]


def test_secret_found_and_lookalikes_not():
    key = "wandb_v1_" + "A1b2C3d4E5" * 4
    text = make_report({2: "s123456, s234567", 10: f"WANDB_API_KEY={key} commit 3f2ec018bcbc2008c4473450548e2872acaa0b7b ![x](figures/hf_training_curves_large_run_12345.png)"})
    *_, findings = run(text)
    secrets = [f for f in findings if f.code == "secret"]
    assert len(secrets) == 1
    assert text[secrets[0].span.start : secrets[0].span.end] == key
    assert key not in secrets[0].message


@pytest.mark.parametrize("secret", [
    "WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567",
    "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----",
    '"private_key_id": "0123456789abcdef0123456789abcdef01234567"',
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_" + "a" * 36,
    "github_pat_" + "A" * 30,
    "hf_" + "b" * 34,
    "sk-proj-" + "c" * 40,
])
def test_each_secret_pattern(secret):
    *_, findings = run(make_report({10: "We set " + secret + " in the env"}))
    assert [f.code for f in findings if f.code == "secret"] == ["secret"]


def test_level_two_heading_inside_answer_loses_the_prose_after_it():
    text = make_report({9: words(40) + "\n\n## Details\n\n" + words(30) + "\n"})
    _, _, res, findings = run(text)
    f = next(f for f in findings if f.code == "answer-truncated")
    assert f.question == 9 and text[f.span.start : f.span.end] == "## Details"
    assert "the 32 words after it are not counted (it counts 40)" in f.message
    assert res[8].words == 40


def test_template_sections_are_not_truncation():
    text = make_report({n: words(10) for n in range(1, 32)}).replace(
        "## Coding environment\n\n", "## Coding environment\n\n> In the following section we ask about...\n\n")
    *_, findings = run(text)
    assert not [f for f in findings if f.code == "answer-truncated"]


def test_not_counted_covers_the_text_after_a_cut():
    answer = words(96) + "\n\n#### Sub heading\n\n" + words(125)
    text = make_report({14: answer + " ![a](figures/a.png)"})
    *_, findings = run(text)
    f = next(f for f in findings if f.code == "not-counted")
    assert f.severity == "hint" and f.question == 14
    assert text[f.span.start : f.span.end] == "#### Sub heading\n\n" + words(125) + " ![a](figures/a.png)"
    line = text.count("\n", 0, f.span.start) + 1
    assert f.message == f"Question 14: report.py does not count these 129 words (it stops counting at `###` on line {line})."


def test_not_counted_after_a_level_two_heading_stops_at_the_next_question():
    text = make_report({9: words(40) + "\n\n## Details\n\n" + words(30) + "\n"})
    *_, findings = run(text)
    f = next(f for f in findings if f.code == "not-counted")
    assert text[f.span.start : f.span.end] == "## Details\n\n" + words(30)
    assert f.message.startswith("Question 9: report.py does not count these 32 words (it stops counting at `##`")


def test_not_counted_covers_the_text_before_a_second_marker():
    text = make_report({8: words(20) + "\nAnswer: " + words(55)})
    *_, findings = run(text)
    f = next(f for f in findings if f.code == "not-counted")
    covered = text[f.span.start : f.span.end]
    assert covered == "Answer:\n\n" + words(20)
    assert f.question == 8 and f.message.startswith("Question 8: report.py does not count these 20 words (only the text")


def test_no_not_counted_on_a_clean_report():
    text = make_report({n: words(60) for n in range(3, 32)})
    *_, findings = run(text)
    assert not [f for f in findings if f.code == "not-counted"]


def test_a_file_at_reports_readme_is_a_report_whatever_it_holds(tmp_path):
    """report.py reads reports/README.md whatever it holds, and crashes on an empty one; the server
    and the CLI say so there, and stay silent on other markdown."""
    from reportls.analysis import analyze

    for text in ("", "# Our project\n\nNothing yet.\n"):
        a = analyze(text, path=tmp_path / "reports" / "README.md")
        assert a.report.is_report and a.crash == "IndexError: list index out of range"
        assert [(f.code, f.severity) for f in a.findings] == [("answer-count", "error")]
        for other in (tmp_path / "README.md", tmp_path / "docs" / "README.md", tmp_path / "reports" / "notes.md", None):
            assert not analyze(text, path=other).report.is_report
