"""Issue 23, items 1-6: each cause said once, in the right words, at the right weight, in report.py's
own numbering.  Each case is shaped like the real report it came from; numbers worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.reportgen import make_report, words

from reportls.analysis import Options, analyze
from reportls.cli.main import main
from reportls.features.actions import code_actions
from reportls.files.figures import FigureFolder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 30


@pytest.fixture
def reports(tmp_path) -> Path:
    d = tmp_path / "reports"
    (d / "figures").mkdir(parents=True)
    for name in ("a.png", "b.png", "c.png"):
        (d / "figures" / name).write_bytes(PNG)
    return d


def check(reports: Path, answers: dict[int, str], **kw):
    text = make_report(answers, **kw)
    (reports / "README.md").write_text(text, encoding="utf-8")
    options = Options(git=False)
    return text, analyze(text, path=reports / "README.md", options=options, folder=FigureFolder(reports))


def shown(text, findings, *codes):
    return [(f.code, f.severity, text[f.span.start : f.span.end]) for f in findings if f.code in codes]


# ---- 1. a leading "/" --------------------------------------------------------------------------

def test_leading_slash_is_a_broken_link_with_the_fix_to_drop_it(reports):
    text, a = check(reports, {19: "The pipeline:\n\n![x](/figures/a.png)\n"})
    assert shown(text, a.findings, "missing-figure", "figure-location") == [
        ("missing-figure", "error", "/figures/a.png")]
    [f] = [f for f in a.findings if f.code == "missing-figure"]
    assert f.message == ("`/figures/a.png` starts with `/`, so GitHub looks for it at the repository root and the "
                         "hand-in cannot find it: the image is broken in both. Drop the leading `/`: write "
                         "`figures/a.png`.")
    [fix] = [x for x in code_actions(a, f.span, FigureFolder(reports), [f]) if x.kind == "quickfix"]
    assert fix.title == "Drop the leading `/`: link `figures/a.png`"
    assert [e.new_text for e in fix.edits] == ["figures/a.png"]


def test_repository_root_path_stays_a_hand_in_only_break(reports):
    text, a = check(reports, {19: "![x](/reports/figures/a.png)\n"})
    [f] = [f for f in a.findings if f.code in ("missing-figure", "figure-location")]
    assert (f.code, f.payload.replacement) == ("missing-figure", "figures/a.png")
    assert "GitHub reads it from the repository root, so the image shows there" in f.message


def test_leading_slash_to_a_file_nowhere_stays_outside(reports):
    text, a = check(reports, {19: "![x](/figures/zzz.png)\n"})
    assert [f.code for f in a.findings if f.code in ("missing-figure", "figure-location")] == ["figure-location"]


# ---- 6. report.py's own numbering --------------------------------------------------------------

def test_zero_based_report_py_lines_use_its_numbering(reports, capsys):
    shutil.copy(FIXTURES / "click_nested_jan2023.py", reports / "report.py")
    (reports / "README.md").write_text(make_report({n: words(60) for n in range(3, 28)} | {7: words(3)},
                                                   count=27), encoding="utf-8")
    code = main(["check", "--no-git", str(reports / "README.md")])
    out = capsys.readouterr().out
    lines = [line.split(": ", 1)[1] for line in out.splitlines() if line.endswith("but got 3")]
    assert code == 1
    # the seventh question (### Question 7) is report.py's "Question 6"
    assert lines == ["Question 6 failed check. Expected number of words to be between 50 and 100 but got 3"]


def test_one_based_report_py_keeps_the_heading_numbers(reports, capsys):
    shutil.copy(FIXTURES / "click_2023.py", reports / "report.py")
    (reports / "README.md").write_text(make_report({n: words(60) for n in range(3, 28)} | {7: words(3)},
                                                   count=27), encoding="utf-8")
    main(["check", "--no-git", str(reports / "README.md")])
    out = capsys.readouterr().out
    assert [line.split(": ", 1)[1].split(".")[0] for line in out.splitlines() if line.endswith("but got 3")] == [
        "Question 7 failed check"]


def check_json(reports: Path, capsys, answers: dict[int, str], **kw) -> list[dict]:
    """``reportls check --handin --format json`` on a report with ``answers``: its diagnostics
    (without the counts and headings a short synthetic answer trips)."""
    import json

    (reports / "README.md").write_text(make_report(answers, **kw), encoding="utf-8")
    main(["check", "--handin", "--no-git", "--format", "json", str(reports / "README.md")])
    data = json.loads(capsys.readouterr().out)
    return [d for d in data["files"][0]["diagnostics"] if d["code"] not in ("word-count", "image-count", "heading")]


# ---- 2. one cause, one diagnostic --------------------------------------------------------------

def test_private_bare_url_is_said_once(reports, capsys):
    found = check_json(reports, capsys, {24: "The API runs at http://localhost:8000/docs while we test it.\n"})
    assert [(d["code"], d["severity"]) for d in found] == [("link-private", "hint")]
    assert found[0]["message"].startswith("Only your group can open this (`localhost`)")


def test_public_bare_url_keeps_its_handin_url(reports, capsys):
    found = check_json(reports, capsys, {24: "The docs are at https://example.org/docs for everyone.\n"})
    assert [d["code"] for d in found] == ["handin-url"]


def test_paren_list_glued_to_a_paragraph_is_one_handin_list_with_one_fix_for_both(reports):
    from reportls.features.handin_fixes import fixes_for_analysis
    from reportls.handin.findings import HandinCheck

    text = make_report({12: "We run it like this:\n1) build the image\n2) push it\n3) deploy it\n"})
    a = analyze(text, checks=[HandinCheck()], options=Options(git=False))
    [f] = [f for f in a.findings if f.code.startswith("handin-")]
    assert (f.code, text[f.span.start : f.span.end]) == ("handin-list", "1) build the image\n2) push it\n3) deploy it")
    assert f.message == ("Question 12: `1)` numbered list right after a paragraph: the hand-in (Python-Markdown only "
                         "knows `1.`, and only after a blank line) shows the items as text run into the paragraph. "
                         "Put a blank line before the list and number it `1.`, `2.`, ...")
    fix = fixes_for_analysis(a, f)[0]
    assert fix.title == "Add a blank line before the list, and number the list with `1.` instead of `1)`"
    new = text
    for e in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        new = new[: e.span.start] + e.new_text + new[e.span.end :]
    assert "We run it like this:\n\n1. build the image\n2. push it\n3. deploy it\n" in new


def test_math_of_one_line_is_one_handin_escape_with_related_places(reports, capsys):
    line = "We reach $95%$ accuracy, $93%$ precision, $91%$ recall, $92%$ F1, $90%$ on test, $88%$ and $87%$.\n"
    found = check_json(reports, capsys, {15: line})
    [d] = found
    assert (d["code"], d["severity"]) == ("handin-escape", "information")
    assert d["message"].startswith("Question 15: Math (7 formulas on this line)")
    assert [r["message"] for r in d["related"]] == [f"also here: `${n}%$`" for n in (95, 93, 91, 92, 90, 88, 87)]


def test_decorative_svg_logos_without_an_image_limit(reports, capsys):
    logos = " ".join(f'<img src="https://img.shields.io/badge/tool{i}-blue.svg" alt="tool {i}">' for i in range(6))
    found = check_json(reports, capsys, {3: "We used these tools:\n\n" + logos + "\n"})
    assert [d["code"] for d in found] == ["figure-location"]
    assert found[0]["message"].startswith("Question 3: 6 images are URLs")
    assert len(found[0]["related"]) == 6
    assert not any("to have it counted" in d["message"] for d in found)


def test_text_output_lists_the_related_places_under_their_finding(reports, capsys):
    line = "We reach $95%$ accuracy, $93%$ precision and $91%$ recall.\n"
    (reports / "README.md").write_text(make_report({15: line}), encoding="utf-8")
    main(["check", "--handin", "--no-git", str(reports / "README.md")])
    out = capsys.readouterr().out.splitlines()
    k = next(i for i, text in enumerate(out) if "[handin-escape]" in text)
    row = out[k].split(":")[1]  # the finding's line: the notes of one line are on that line
    notes = out[k + 1 : k + 4]
    assert [n.split(": ", 1)[1] for n in notes] == [f"also here: `${n}%$`" for n in (95, 93, 91)]
    assert all(n.startswith(f"  {reports / 'README.md'}:{row}:") for n in notes)


def test_img_tag_in_a_question_with_an_image_limit_still_says_it_is_not_counted(reports, capsys):
    found = check_json(reports, capsys, {19: '<img src="figures/a.png" width="400">\n'})
    assert [d["code"] for d in found] == ["image-not-counted"]


def test_one_folder_outside_figures_is_one_figure_location(reports, capsys):
    (reports / "our_figures").mkdir()
    names = [f"{x}.png" for x in "abcdefg"]
    for n in names:
        (reports / "our_figures" / n).write_bytes(PNG)
    answers = {19: "![a](our_figures/a.png)\n", 20: "![b](our_figures/b.png)\n", 21: "![c](our_figures/c.png)\n",
               14: "\n".join(f"![{n}](our_figures/{n})" for n in names[3:6]) + "\n", 25: "![g](our_figures/g.png)\n"}
    found = check_json(reports, capsys, answers)
    [d] = [d for d in found if d["code"] == "figure-location"]
    assert d["message"].startswith("7 images are in `our_figures/`, not in the report's `figures/` folder")
    assert len(d["related"]) == 7


def test_related_places_reach_the_editor_as_related_information(reports):
    from lsprotocol import types as t

    from reportls.lsp.convert import Converter

    text, a = check(reports, {14: "![a](https://x.org/a.png) ![b](https://x.org/b.png)\n"})
    [f] = [f for f in a.findings if f.code == "figure-location"]
    d = Converter(a.report.index, "utf-16").diagnostic(f, "file:///r/README.md")
    assert [r.location.uri for r in d.related_information] == ["file:///r/README.md"] * 2
    assert isinstance(d.related_information[1].location.range, t.Range)
    assert Converter(a.report.index, "utf-16").diagnostic(f).related_information is None


# ---- 3. the right weight for a lost grade ------------------------------------------------------

def test_required_images_only_in_inline_code_are_a_warning_each_with_a_fix(reports):
    answer = words(240) + ("\n\nWe track loss and accuracy in W&B: `![loss](figures/a.png)` `![acc](figures/b.png)` "
              "`![sweep](figures/c.png)`\n")
    text, a = check(reports, {14: answer})
    found = [f for f in a.findings if f.code == "image-in-code"]
    assert [(f.severity, text[f.span.start : f.span.end]) for f in found] == [
        ("warning", "![loss](figures/a.png)"), ("warning", "![acc](figures/b.png)"), ("warning", "![sweep](figures/c.png)")]
    assert found[0].message == ("Question 14 requires 1-3 images; report.py counts these 3, but the hand-in shows none "
                                "(inside inline code, and GitHub does not show them either). Take the backticks away "
                                "so that they show.")
    assert a.result(14).images == 3 and a.result(14).passed
    new = text
    for f in reversed(found):
        [fix] = [x for x in code_actions(a, f.span, None, [f]) if x.kind == "quickfix"]
        assert fix.title == "Take the backticks away (report.py's count unchanged)"
        [e] = fix.edits
        new = new[: e.span.start] + e.new_text + new[e.span.end :]
    assert "W&B: ![loss](figures/a.png) ![acc](figures/b.png) ![sweep](figures/c.png)\n" in new
    # report.py counts the answer as before: same words, same images, still passing
    again = analyze(new, options=Options(git=False))
    assert (again.result(14).words, again.result(14).images) == (a.result(14).words, a.result(14).images)
    assert [f.code for f in again.findings if f.code == "image-in-code"] == []


def test_image_in_code_where_nothing_is_at_stake_stays_information(reports):
    text, a = check(reports, {14: "![a](figures/a.png) and the syntax `![b](figures/b.png)`\n", 5: "`![c](x.png)`\n"})
    assert [(f.question, f.severity) for f in a.findings if f.code == "image-in-code"] == [
        (5, "information"), (14, "information")]


# ---- 4. the hand-in checks go on past a ### inside an answer -----------------------------------

def test_handin_checks_run_past_a_sub_heading_up_to_the_next_question():
    from reportls.handin.findings import HandinCheck

    answer = ("We deployed the model in three steps.\n\n### Deployment details\n\nThe steps were:\n"
              "- build the image\n- push it to the registry\n- deploy it on Cloud Run\n\nThen we tested:\n"
              "* load\n    * latency\n    * errors\n")
    text = make_report({23: answer})
    a = analyze(text, checks=[HandinCheck()], options=Options(git=False))
    found = [(f.code, getattr(f.payload, "kind", None), text[f.span.start : f.span.end].split("\n")[0])
             for f in a.findings if f.question == 23 and f.code != "word-count"]
    assert found == [
        ("answer-truncated", None, "### Deployment details"),
        ("not-counted", None, "### Deployment details"),
        ("handin-list", "list-after-paragraph", "- build the image"),
        ("handin-list", "list-after-paragraph", "* load"),
    ]
    # the next question's heading ends it: question 24's answer is not looked at as question 23's
    assert all(f.span.start < a.report.question(24).heading.span.start for f in a.findings if f.question == 23)


# ---- 5. the template's --- glued to a URL ------------------------------------------------------

def test_dashes_glued_to_a_url_are_flagged_and_the_fix_separates_them():
    from reportls.features.handin_fixes import fixes_for_analysis
    from reportls.handin.findings import HandinCheck
    from reportls.handin.render import render_github, render_handin

    text = make_report({11: "Our CI runs the tests on every push: https://github.com/group7/mlops/actions---\n"})
    a = analyze(text, checks=[HandinCheck()], options=Options(git=False))
    [f] = [f for f in a.findings if f.code.startswith("handin-")]
    assert (f.code, f.severity, f.payload.kind, text[f.span.start : f.span.end]) == (
        "handin-url", "warning", "url-dashes", "https://github.com/group7/mlops/actions---")
    assert "GitHub links the whole string, dashes included, and the link is dead" in f.message
    [fix] = fixes_for_analysis(a, f)
    assert fix.title == "Separate the dashes from the link: `<https://github.com/group7/mlops/actions>---`"
    [e] = fix.edits
    line = "push: " + e.new_text
    link = '<a href="https://github.com/group7/mlops/actions">https://github.com/group7/mlops/actions</a>---'
    assert link in render_github(line) and link in render_handin(line)


def test_repeated_escape_on_one_line_is_one_finding_with_one_fix_for_all():
    from reportls.features.handin_fixes import fixes_for_analysis
    from reportls.handin.findings import HandinCheck

    text = make_report({16: "Coverage went from 61\\% to 75\\% and then 88\\%.\n"})
    a = analyze(text, checks=[HandinCheck()], options=Options(git=False))
    [f] = [f for f in a.findings if f.code.startswith("handin-")]
    assert (f.code, f.payload.kind, text[f.span.start : f.span.end]) == ("handin-escape", "backslash", "\\%")
    assert f.message.endswith("(3 places on this line.)")
    assert [text[r.start : r.end] for r, _ in f.related] == ["\\%", "\\%", "\\%"]
    [fix] = fixes_for_analysis(a, f)
    assert fix.title == "Write `%` instead of `\\%` (every place on this line)"
    assert [e.new_text for e in fix.edits] == ["%", "%", "%"]


def test_image_in_code_beside_a_shown_img_tag_is_not_at_stake(reports):
    text, a = check(reports, {19: '<img src="figures/a.png">\n\n```\n![x](figures/a.png)\n```\n'})
    assert [(f.code, f.severity) for f in a.findings if f.code in ("image-in-code", "image-not-counted")] == [
        ("image-not-counted", "information"), ("image-in-code", "information")]


def test_hover_says_how_a_zero_based_report_py_calls_the_question(reports):
    from reportls import features

    shutil.copy(FIXTURES / "click_nested_jan2023.py", reports / "report.py")
    text = make_report({7: words(60)}, count=27)
    (reports / "README.md").write_text(text, encoding="utf-8")
    a = analyze(text, path=reports / "README.md", options=Options(git=False), folder=FigureFolder(reports))
    assert (a.table.source, a.table.zero_based_messages) == ("report.py", True)
    md = features.hover(a, a.report.question(7).heading.span.start, FigureFolder(reports)).markdown
    assert "report.py calls this Question 6 (its `enumerate` counts from 0)." in md


@pytest.mark.parametrize("edit,zero_based", [
    (None, True),  # the course's report.py of 6 January 2023: enumerate without start
    (("constraint(answer, i)", "constraint(answer, i + 1)"), False),  # a fork numbering in the call
    (("enumerate(zip(answers, question_constrains))", "enumerate(zip(answers, question_constrains), start=1)"), False),
    (("enumerate(zip(answers, question_constrains))", "enumerate(zip(answers, question_constrains), 0)"), True),
])
def test_numbering_is_read_from_the_enumerate_call(edit, zero_based):
    from reportls.constraints.reportpy_reader import read_report_py

    source = (FIXTURES / "click_nested_jan2023.py").read_text(encoding="utf-8")
    if edit:
        assert edit[0] in source
        source = source.replace(*edit)
    assert read_report_py(source).table.zero_based_messages is zero_based


def test_fix_all_does_not_make_a_private_url_a_link():
    from reportls.features.handin_fixes import fix_all
    from reportls.handin.findings import handin_findings

    text = make_report({24: "Run it at http://localhost:8000/docs or see https://example.org/docs here.\n"})
    report = analyze(text, options=Options(git=False)).report
    edits = fix_all(report, handin_findings(report))
    assert [e.new_text for e in edits] == [
        "Run it at http://localhost:8000/docs or see <https://example.org/docs> here.\n"]


def test_local_svg_logos_are_one_figure_extension(reports, capsys):
    (reports / "logos").mkdir()
    for i in range(6):
        (reports / "logos" / f"tool{i}.svg").write_text("<svg/>")
    logos = " ".join(f'<img src="logos/tool{i}.svg" height="40">' for i in range(6))
    found = check_json(reports, capsys, {3: "Our stack:\n\n" + logos + "\n"})
    assert [(d["code"], len(d.get("related", []))) for d in found] == [("figure-extension", 6), ("figure-location", 6)]
    assert found[0]["message"] == ("Question 3: 6 images are .svg files, not .png, .jpg or .jpeg files, as the "
                                   "template asks (the related places list each one).")
