"""Constraint tables: built-in profiles, report.py read with ast (both shapes), config, resolution."""

import shutil
from pathlib import Path

import pytest

from reportls.constraints.reportpy_reader import read_report_py
from reportls.constraints import (
    ConfigError,
    Constraint,
    choose_profile,
    find_config,
    load_config,
    load_profile,
    resolve_table,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
W = lambda a, b: Constraint(a, b)  # noqa: E731
I = lambda a, b: Constraint(min_images=a, max_images=b)  # noqa: E731, E741
NONE = Constraint()


def read(name):
    return read_report_py((FIXTURES / name).read_text(), name)


def variant(replace_old: str, replace_new: str) -> str:
    """typer_2026.py with one edit, as groups edit their report.py."""
    source = (FIXTURES / "typer_2026.py").read_text()
    assert replace_old in source
    return source.replace(replace_old, replace_new)


def test_profiles_match_spec():
    p = load_profile("2023")
    assert (p.answers, p.click) == (27, True)
    assert p.constraint(1) == NONE and p.constraint(6) == W(50, 100) and p.constraint(7) == W(50, 100)
    assert p.constraint(14) == Constraint(200, 300, 1, 3) and p.constraint(20) == I(1, 1) and p.constraint(24) == W(25, 100)
    assert p.constraint(25) == Constraint(200, 400, 1, 1) and p.constraint(27) == W(50, 200)
    pre = load_profile("2023-pre")
    assert pre.constraint(7) == NONE and pre.constraint(18) == W(50, 100) and pre.constraint(17) == W(50, 200)
    p25 = load_profile("2025")
    assert (p25.answers, p25.click) == (31, False)
    assert p25.constraint(3) == W(100, 200) and p25.constraint(6) == W(100, 200) and p25.constraint(20) == I(1, 2)
    assert p25.constraint(28) == W(0, 200) and p25.constraint(29) == Constraint(200, 400, 1, 1) and p25.constraint(31) == W(50, 300)
    assert load_profile("2025-pre").constraint(31) == W(50, 200)
    p26 = load_profile("2026")
    assert p26.constraint(3) == W(0, 200)
    assert [p26.constraint(n) for n in range(4, 32)] == [p25.constraint(n) for n in range(4, 32)]
    assert p26.crash_text() == "Number of answers are different from the expected 31. Have you changed the template?"


def test_choose_profile():
    assert choose_profile(27, "") == "2023"
    assert choose_profile(31, "A requirement to the project is that you include a third-party package not covered") == "2025"
    assert choose_profile(31, "Did you end up using any open-source frameworks/packages not covered in the course") == "2026"
    assert choose_profile(31, "") == "2026"
    assert choose_profile(12, "") == "2026"


def test_click_shape_equals_builtin_2023():
    r = read("click_2023.py")
    assert r.problems == [] and r.notes == []
    t = r.table
    assert t.questions == load_profile("2023").questions
    assert (t.answers, t.click, t.zero_based_messages) == (27, True, True)
    assert t.crash_text() == "Number of answers are different from the expected 27. Have you filled out every field?"


def test_nested_functions_and_min_length_keywords():
    r = read("click_nested_jan2023.py")
    assert r.table is not None, r.problems
    assert r.table.questions == load_profile("2023").questions
    assert r.table.click
    assert r.table.crash_text() == "Number of answers are different from the expected 27. Have you filled out every field?"


def test_typer_dict_shape_equals_builtin_2026():
    r = read("typer_2026.py")
    assert r.problems == [] and r.notes == []
    t = r.table
    assert t.questions == load_profile("2026").questions
    assert (t.answers, t.click, t.zero_based_messages) == (31, False, False)
    assert t.crash_text() == "Number of answers are different from the expected 31. Have you changed the template?"


def test_raised_limits_are_read():
    t = read_report_py(variant('"question_7": LengthConstraints(min_length=50, max_length=100)',
                               '"question_7": LengthConstraints(min_length=10, max_length=500)')).table
    assert t.constraint(7) == W(10, 500)
    assert t.constraint(8) == W(100, 200)


def test_changed_counting_logic_is_noted_not_guessed():
    r = read_report_py(variant('re.findall(r"\\!\\[.*?\\]\\(.*?\\)", answer)',
                               're.findall(r"\\!\\[.*?\\]\\(.*?\\)|<img ", answer)'))
    assert r.table is not None
    assert any("own image pattern" in n for n in r.notes)


def test_syntax_error_and_unknown_shape():
    r = read("syntax_error.py")
    assert r.table is None and "line 1: syntax error" in r.problems[0]
    r = read("unknown_shape.py")
    assert r.table is None and "no constraint list or dict found" in r.problems[0]


def test_hostile_report_py_is_never_executed(tmp_path):
    shutil.copy(FIXTURES / "deletes_files.py", tmp_path / "report.py")
    (tmp_path / "SENTINEL").write_text("still here")
    res = resolve_table(report_path=tmp_path / "README.md", question_count=31, q3_prompt="")
    assert (tmp_path / "SENTINEL").read_text() == "still here"
    assert not (tmp_path / "EXECUTED").exists()
    assert res.constraints_from == "builtin" and res.table.name == "2026"
    assert "using the built-in `2026` table" in res.notes[0]


def test_resolution_order(tmp_path):
    report = tmp_path / "README.md"
    assert resolve_table(report_path=report, question_count=27, q3_prompt="").table.name == "2023"
    (tmp_path / "report.py").write_text(variant('"question_7": LengthConstraints(min_length=50, max_length=100)',
                                                '"question_7": LengthConstraints(min_length=10, max_length=500)'))
    res = resolve_table(report_path=report, question_count=31, q3_prompt="")
    assert (res.constraints_from, res.table.constraint(7)) == ("report.py", W(10, 500))
    res = resolve_table(report_path=report, question_count=31, q3_prompt="", override="2025")
    assert (res.constraints_from, res.table.name) == ("config", "2025")


def test_config_full_table_profile_and_severity(tmp_path):
    cfg = tmp_path / ".reportls.yaml"
    cfg.write_text("constraints:\n  answers: 3\n  click: false\n  questions:\n    2: {words: [1, 5], images: [0, 1]}\n"
                   "figures: pics\nseverity:\n  placeholder: information\n")
    c = load_config(cfg)
    assert c.constraints.answers == 3 and c.constraints.constraint(2) == Constraint(1, 5, 0, 1)
    assert c.constraints.constraint(1) == NONE
    assert c.figures == "pics" and c.severity == {"placeholder": "information"} and c.problems == []
    cfg.write_text("constraints: 2025\n")
    assert load_config(cfg).constraints == "2025"


def test_config_unknown_keys_and_bad_values_are_problems_with_lines(tmp_path):
    cfg = tmp_path / ".reportls.yaml"
    cfg.write_text("constraints: 2031\nfigures: figures\ncolour: blue\nseverity:\n  word-count: loud\n")
    c = load_config(cfg)
    msgs = {(p.line, p.message.split(":")[0]) for p in c.problems}
    assert (0, "constraints") in msgs and (2, "unknown key `colour` (known") in msgs and (3, "severity") in msgs
    assert c.constraints is None


def test_malformed_yaml_names_file_and_line(tmp_path):
    cfg = tmp_path / ".reportls.yaml"
    cfg.write_text("constraints: 2025\nseverity:\n  placeholder: [oops\n")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert str(e.value).startswith(f"{cfg}:") and "malformed YAML" in str(e.value)
    assert e.value.line is not None


def test_nearest_config_wins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".reportls.yaml").write_text("constraints: 2025\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    assert find_config(reports) == tmp_path / ".reportls.yaml"
    (reports / ".reportls.yaml").write_text("constraints: 2026\n")
    assert find_config(reports) == reports / ".reportls.yaml"
    assert find_config(reports, workspace_root=reports) == reports / ".reportls.yaml"
