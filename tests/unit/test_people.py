"""study-number: Question 2's study numbers, and the contributions question's study numbers checked
against them.  Questions are found by their prompts, as in the templates."""

import os
from pathlib import Path

import pytest
from tests.reportgen import make_report

from reportls.findings import Replacement
from reportls.report.parse import parse_report
from reportls.checks.people import contributions_question, listed_numbers, study_number_findings, study_question

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
Q2 = "Enter the study number for each member in the group"
CONTRIB = ("State the individual contributions of each team member. This is required information from DTU, because "
           "we need to make sure all members contributed actively to the project")


def report(q2: str, contrib: str, count: int = 31, last: int | None = None) -> str:
    last = last or count
    text = make_report({2: q2, last: contrib}, count=count)
    text = text.replace("Explain question 2 of the project in your own words.", Q2, 1)
    return text.replace(f"Explain question {last} of the project in your own words.", CONTRIB, 1)


def findings(text):
    return [(f.code, text[f.span.start : f.span.end], f.message, f.question, f.payload)
            for f in study_number_findings(parse_report(text))]


def test_typo_in_the_contributions_names_the_closest_listed_number():
    text = report("s194345, s203344, s221234", "Student s194245 did the API. s203344 and S221234 did the rest.")
    assert findings(text) == [
        ("study-number", "s194245", "s194245 is not in Question 2's list; did you mean s194345?", 31,
         Replacement("s194345", ("s194345",))),
    ]
    assert study_number_findings(parse_report(text))[0].severity == "warning"


def test_unrelated_number_lists_question_2():
    text = report("s194345, s203344", "s987650 wrote everything.")
    assert findings(text) == [
        ("study-number", "s987650", "s987650 is not in Question 2's list; it lists s194345, s203344.", 31, None),
    ]


def test_number_without_its_s_in_question_2():
    text = report("s194345, 203344 - Jane Doe, s 221234\n\nGroup 12, year 2025, phone 12 34 56 78", "All of us.")
    assert findings(text) == [
        ("study-number", "203344", "`203344` looks like a study number without its `s`: write `s203344`, as DTU "
         "credits each member by it.", 2, Replacement("s203344", ("s203344",))),
        ("study-number", "s 221234", "`s 221234` has a space inside: write the study number as `s221234`, as DTU "
         "credits each member by it.", 2, Replacement("s221234", ("s221234",))),
    ]
    # a number Question 2 wrote without its s still counts as listed
    assert listed_numbers(parse_report(text)) == ["s194345", "s203344", "s221234"]


def test_never_flag_other_tokens():
    q2 = "s194345, s203344\n\nStaff: ansol, phigon. Group 42 (2025). Ids 12345, 1234567, 1.234567, 12,345678."
    contrib = ("ansol and phigon reviewed. s194345 did 1234567 steps, s2033445 is no study number, nor xs203344; "
               "commit 3f2ec018 on 20250115. <!-- s999999 --> `s203344` in code.")
    assert findings(report(q2, contrib)) == []


def test_comments_in_question_2_list_nothing():
    text = report("<!-- 194245 -->\ns194345", "s194345 and s194245")
    assert [f[1] for f in findings(text)] == ["s194245"]


def test_2023_layout_contributions_are_question_27():
    text = report("s194345, s203344", "s194346 did the cloud.", count=27)
    r = parse_report(text)
    assert contributions_question(r).number == 27 and study_question(r).number == 2
    assert [(f[1], f[3]) for f in findings(text)] == [("s194346", 27)]


def test_found_by_prompt_not_by_number():
    # an extra question after the contributions (a group's own "Use of Generative AI"): still found by prompt
    text = report("s194345", "s194355 did it.", count=31, last=30)
    assert [(f[1], f[3]) for f in findings(text)] == [("s194355", 30)]


def test_no_study_question_answer_or_list_means_no_contribution_check():
    assert findings(report("", "s194245 did it.")) == []
    assert findings(report("--- question 2 fill here ---", "s194245 did it.")) == []
    assert findings(make_report({2: "s194345", 31: "s194245"})) == []  # no contributions prompt: not guessed


def test_not_a_report():
    assert study_number_findings(parse_report("# Notes\n\n194245\n")) == []


@pytest.mark.skipif(not (SHARED / "templates").is_dir(), reason="../shared absent")
@pytest.mark.parametrize("year,number", [("2023", 27), ("2024", 27), ("2025", 31), ("2026", 31)])
def test_templates_prompts(year, number):
    r = parse_report((SHARED / "templates" / f"{year}.md").read_text())
    assert study_question(r).number == 2 and contributions_question(r).number == number
    assert study_number_findings(r) == []


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared absent")
def test_seeds_have_no_study_number_findings():
    for path in sorted((SHARED / "seeds").glob("*.md")):
        r = parse_report(path.read_text())
        assert len(listed_numbers(r)) >= 3, path.name
        assert study_number_findings(r) == [], path.name
