"""reportpy-encoding: report.py reading the UTF-8 report with a non-UTF-8 locale encoding (injected)."""

import pytest
from tests.reportgen import make_report, words

from reportls.checks import encoding
from reportls.checks.encoding import encoding_findings, locale_encoding
from reportls.report.parse import parse_report
from reportls.report.reportpy import read_as_report_py


def run(text, enc, **kw):
    report = parse_report(text)
    return [(f.code, f.severity, f.question, text[f.span.start : f.span.end], f.message)
            for f in encoding_findings(report, 31, encoding=enc, **kw)]


def test_cp1252_crash_on_a_closing_quote():
    text = make_report({5: words(10) + " “quoted” — fine", 9: "another ” later"})
    [(code, sev, q, ch, msg)] = run(text, "cp1252")
    assert (code, sev, q, ch) == ("reportpy-encoding", "information", 5, "”")
    assert msg == (
        "report.py check crashes on this computer because it reads the file as cp1252; the grader (UTF-8) does not. "
        "Run `python -X utf8 report.py check`. (`”`, U+201D, is the first character cp1252 cannot read; report.py "
        "stops with UnicodeDecodeError.)"
    )
    # the same bytes really do crash Python's cp1252 codec (what open() uses on such a computer)
    with pytest.raises(UnicodeDecodeError):
        text.encode("utf-8").decode("cp1252")


def test_cp1252_miscount_from_a_no_break_space_byte():
    # "à" is C3 A0 in UTF-8; cp1252 reads A0 as a no-break space, so "voilà-tout" becomes two words
    text = make_report({7: words(50) + " voilà-tout"})
    assert read_as_report_py(text, 31).answers[6].words == 51
    assert read_as_report_py(text.encode().decode("cp1252"), 31).answers[6].words == 52
    [(code, _, q, ch, msg)] = run(text, "cp1252")
    assert (code, q, ch) == ("reportpy-encoding", 7, "à")
    assert msg == (
        "report.py check counts 52 words for Question 7 on this computer because it reads the file as cp1252; the "
        "grader (UTF-8) counts 51. Run `python -X utf8 report.py check`. (`à`, U+00E0, reads as `\\xc3\\xa0` there.)"
    )


def test_miscount_from_a_lost_space():
    # an em space (E2 80 83) is whitespace to the grader, three letters to cp1252: two words become one
    text = make_report({8: "one\u2003two three"})
    [(_, _, q, ch, msg)] = run(text, "cp1252")
    assert (q, ch) == (8, "\u2003")
    assert msg.startswith("report.py check counts 2 words for Question 8 on this computer because it reads the file "
                          "as cp1252; the grader (UTF-8) counts 3.")


def test_no_finding_when_it_reads_the_same():
    text = make_report({5: "Café, naïve, Æble, ø, “smart” quotes… " + words(5)})
    assert run(text, "utf-8") == [] and run(text, "UTF8") == []
    assert run(make_report({5: "plain ascii"}), "cp1252") == []
    # latin-1 decodes every byte; these letters carry no whitespace byte, so nothing changes
    assert run(make_report({5: "Café naïve Æble ø " + words(5)}), "latin-1") == []
    assert run(make_report({5: "Café"}), "no-such-codec") == []


def test_multi_byte_locale_crash_and_exact_path():
    # cp932 (Japanese Windows) cannot read the UTF-8 bytes of "—" here
    text = make_report({4: "a — b"})
    [(_, _, q, ch, msg)] = run(text, "cp932")
    assert (q, ch) == (4, "—") and "reads the file as cp932" in msg


def test_click_variant_and_default_encoding(monkeypatch):
    text = make_report({5: "a ” b"}, count=27, front_matter=True)
    report = parse_report(text)
    assert [f.question for f in encoding_findings(report, 27, click=True, encoding="cp1252")] == [5]
    monkeypatch.setattr(encoding, "locale_encoding", lambda: "cp1252")
    assert len(encoding_findings(report, 27, click=True)) == 1
    monkeypatch.setattr(encoding, "locale_encoding", lambda: "UTF-8")
    assert encoding_findings(report, 27, click=True) == []
    assert isinstance(locale_encoding(), str)


def test_answer_count_change_is_reported():
    # cp1252 keeps the answer structure; a decoder that swallows ASCII would not: simulate one via a codec
    # whose reading drops an "Answer:" marker, by comparing two views directly
    from reportls.checks.encoding import _miscount

    text = make_report({5: "x ø y"})
    report = parse_report(text)
    grader = read_as_report_py(text, 31)
    here = read_as_report_py(text.replace("Answer:", "Answer", 1), 31)
    [f] = _miscount(report, grader, here, "cp1252", "cp1252")
    assert f.message.startswith("report.py check reads other text on this computer because it reads the file as "
                                "cp1252: it crashes there (ValueError: Number of answers are different from the "
                                "expected 31. Have you changed the template?). Run `python -X utf8 report.py check`.")


def test_the_whitespace_report_py_splits_at_is_every_non_ascii_space():
    import sys

    from reportls.checks import encoding

    assert tuple(chr(c) for c in range(128, sys.maxunicode + 1) if chr(c).isspace()) == encoding._WHITESPACE


def test_the_locale_encoding_is_what_open_uses():
    import locale

    assert locale_encoding() == locale.getpreferredencoding(False)
