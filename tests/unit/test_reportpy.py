"""report.py's reading, quirk by quirk, with numbers worked out by hand and the naive reference."""

from tests.reference_reportpy import reference_counts
from tests.reportgen import make_report, words

from reportls.report.reportpy import read_as_report_py


def counts(view):
    return [(a.words, a.images) for a in view.answers]


def check_against_reference(text, expected=31, click=False):
    view = read_as_report_py(text, expected, click=click)
    ref, crash = reference_counts(text, expected, click)
    assert counts(view) == ref
    assert (view.crash is None) == (crash is None)
    return view


def test_plain_report_counts_each_answer():
    text = make_report({n: words(n) for n in range(1, 32)})
    view = check_against_reference(text)
    assert view.crash is None
    assert [a.words for a in view.answers] == list(range(1, 32))
    # every counted span is exactly the answer text in the document
    for a in view.answers:
        assert text[a.span.start : a.span.end] == words(a.index)


def test_last_answer_is_counted_uncut_and_once():
    text = make_report({31: words(60)})
    view = check_against_reference(text)
    assert view.answers[-1].words == 60
    assert view.answers[-1].cut is None and not view.answers[-1].duplicate


def test_heading_inside_answer_cuts_the_count():
    answer = words(40) + "\n\n## Details\n\n" + words(30)
    view = check_against_reference(make_report({5: answer}))
    a = view.answers[4]
    assert a.words == 40  # "## Details" and the 30 words after it are not counted
    assert a.cut.marker == "##"


def test_fourth_level_heading_cuts_at_triple_hash():
    answer = words(96) + "\n\n#### Sub heading\n\n" + words(125)
    view = check_against_reference(make_report({14: answer}))
    assert view.answers[13].words == 96
    assert view.answers[13].cut.marker == "###"


def test_c_sharp_sharp_cuts():
    view = check_against_reference(make_report({7: "We wrote C## code " + words(60)}))
    assert view.answers[6].words == 3  # "We wrote C"


def test_two_markers_in_one_question_count_only_after_the_last():
    answer = words(20) + "\nAnswer: " + words(55)
    view = check_against_reference(make_report({8: answer}))
    assert view.crash is None
    assert view.answers[7].words == 55
    assert len(view.dropped) == 1


def test_deleted_marker_crashes():
    text = make_report({n: words(10) for n in range(1, 32)})
    i = text.index("### Question 6")
    j = text.index("> Answer:", i)
    text = text[:j] + "> " + text[j + len("> Answer:") :]
    view = check_against_reference(text)
    assert len(view.answers) == 30
    assert view.crash.startswith("ValueError: Number of answers are different from the expected 31")


def test_extra_marker_in_last_question_crashes_with_32():
    text = make_report({31: words(10) + "\n\n### Use of Generative AI\n\nAnswer: we used it"})
    view = check_against_reference(text)
    # "### Use" makes the last-but-one part kept, and the last part is appended again
    assert len(view.answers) == 32
    assert view.crash is not None


def test_extra_heading_after_last_answer_duplicates_it():
    text = make_report({31: words(10) + "\n\n### Use of Generative AI\n\n" + words(5)})
    view = check_against_reference(text)
    assert len(view.answers) == 32
    assert view.answers[-1].duplicate
    assert view.answers[-2].words == 10 and view.answers[-1].words == 10 + 5 + 5


def test_images_in_code_blocks_count_and_img_tags_do_not():
    answer = "```\n![a](figures/a.png)\n```\n<img src=\"figures/b.png\">\n![c][ref]\n" + words(3)
    view = check_against_reference(make_report({19: answer}))
    assert view.answers[18].images == 1


def test_crlf_is_read_as_report_py_reads_it():
    text = make_report({n: words(n) for n in range(1, 32)}, newline="\r\n")
    view = check_against_reference(text)
    assert [a.words for a in view.answers] == list(range(1, 32))
    a = view.answers[9]
    assert text[a.span.start : a.span.end] == words(10)


def test_emoji_before_image_link():
    view = check_against_reference(make_report({20: "🚀🚀 ![x](figures/x.png) done"}))
    assert view.answers[19].images == 1 and view.answers[19].words == 3


def test_no_marker_at_all_typer_indexerror():
    view = read_as_report_py("# empty\n", 31)
    assert view.crash == "IndexError: list index out of range"
    assert reference_counts("# empty\n", 31)[1].startswith("IndexError")


def test_empty_text():
    view = check_against_reference("")
    assert view.crash is not None


def test_click_variant_reads_from_43():
    text = make_report({n: words(n) for n in range(1, 28)}, count=27, front_matter=True)
    assert text[:43] == "---\nlayout: default\nnav_exclude: true\n---\n\n"
    view = check_against_reference(text, expected=27, click=True)
    assert view.crash is None
    assert [a.words for a in view.answers] == list(range(1, 28))


def test_click_variant_without_front_matter_same_result():
    text = make_report({n: words(n) for n in range(1, 28)}, count=27)
    view = check_against_reference(text, expected=27, click=True)
    assert [a.words for a in view.answers] == list(range(1, 28))


def test_click_variant_preamble_without_triple_hash_drops_first_answer():
    # no ### before the first marker: click's answers[1:] drops the first real answer instead
    text = "x" * 43 + "intro\n> Answer:\none\n### Q\n> Answer:\ntwo three\n### R\n> Answer:\nfour"
    view = check_against_reference(text, expected=2, click=True)
    assert [a.words for a in view.answers] == [2, 1]


def test_newline_strip_only_strips_newlines():
    view = check_against_reference(make_report({4: "  \n\n  spaced answer  \n\n"}))
    assert view.answers[3].text.startswith("  ")
    assert view.answers[3].words == 2
