"""Constraint tables: built-in profiles against docs/reportpy.md, choosing a profile, report.py read
with ast (both shapes, never executed), and the resolution order."""

import shutil
from pathlib import Path

import pytest
import yaml

from reportls.constraints import (
    NO_CONSTRAINT,
    PROFILE_NAMES,
    ConfigError,
    Constraint,
    ConstraintTable,
    choose_profile,
    load_profile,
    read_report_py,
    resolve_table,
    table_from_mapping,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
W = lambda a, b: Constraint(a, b)  # noqa: E731
I = lambda a, b: Constraint(min_images=a, max_images=b)  # noqa: E731, E741
WI = lambda a, b, c, d: Constraint(a, b, c, d)  # noqa: E731
NONE = Constraint()
Q3_2025 = "A requirement to the project is that you include a third-party package not covered in the course."
Q3_2026 = "Did you end up using any open-source frameworks/packages not covered in the course during your project?"
CRASH_27 = "Number of answers are different from the expected 27. Have you filled out every field?"
CRASH_31 = "Number of answers are different from the expected 31. Have you changed the template?"

# docs/reportpy.md, "The built-in profiles", typed out question by question.
SPEC_2023 = {
    1: NONE, 2: NONE, 3: W(100, 200), 4: W(100, 200), 5: W(100, 200), 6: W(50, 100), 7: W(50, 100),
    8: W(100, 200), 9: W(100, 200), 10: W(100, 200), 11: W(200, 300), 12: W(50, 100), 13: W(100, 200),
    14: WI(200, 300, 1, 3), 15: W(100, 200), 16: W(100, 200), 17: W(50, 200), 18: W(100, 200),
    19: I(1, 2), 20: I(1, 1), 21: I(1, 1), 22: W(100, 200), 23: W(100, 200), 24: W(25, 100),
    25: WI(200, 400, 1, 1), 26: W(200, 400), 27: W(50, 200),
}
SPEC_2023_PRE = {**SPEC_2023, 7: NONE, 18: W(50, 100)}
SPEC_2025 = {
    1: NONE, 2: NONE, 3: W(100, 200), 4: W(100, 200), 5: W(100, 200), 6: W(100, 200), 7: W(50, 100),
    8: W(100, 200), 9: W(100, 200), 10: W(100, 200), 11: W(200, 300), 12: W(50, 100), 13: W(100, 200),
    14: WI(200, 300, 1, 3), 15: W(100, 200), 16: W(100, 200), 17: W(50, 200), 18: W(100, 200),
    19: I(1, 2), 20: I(1, 2), 21: I(1, 2), 22: W(100, 200), 23: W(100, 200), 24: W(100, 200),
    25: W(100, 200), 26: W(100, 200), 27: W(100, 200), 28: W(0, 200), 29: WI(200, 400, 1, 1),
    30: W(200, 400), 31: W(50, 300),
}
SPEC_2025_PRE = {**SPEC_2025, 31: W(50, 200)}
SPEC_2026 = {**SPEC_2025, 3: W(0, 200)}
SPEC = {"2023": SPEC_2023, "2023-pre": SPEC_2023_PRE, "2025": SPEC_2025, "2025-pre": SPEC_2025_PRE, "2026": SPEC_2026}


def read(name: str):
    return read_report_py((FIXTURES / name).read_text(), str(FIXTURES / name))


def variant(old: str, new: str, name: str = "typer_2026.py") -> str:
    """A fixture with one edit, as groups edit their report.py."""
    source = (FIXTURES / name).read_text()
    assert source.count(old) == 1, old
    return source.replace(old, new)


# built-in profiles ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_every_profile_is_the_spec_table(name):
    p = load_profile(name)
    spec = SPEC[name]
    assert (p.name, p.source, p.source_path, p.answers, len(p.questions)) == (name, "builtin", None, len(spec), len(spec))
    assert {n: p.constraint(n) for n in range(1, p.answers + 1)} == spec
    assert p.constraint(0) == NONE and p.constraint(p.answers + 1) == NONE
    yaml_file = Path(__file__).resolve().parents[2] / "server" / "reportls" / "constraints" / "profiles" / f"{name}.yaml"
    assert table_from_mapping(yaml.safe_load(yaml_file.read_text()), name=name, source="builtin") == p


def test_profile_flags_and_crash_messages():
    for name in ("2023-pre", "2023"):
        p = load_profile(name)
        assert (p.answers, p.click, p.crash_text()) == (27, True, CRASH_27)
    # only the report.py of before 19 January 2023 counted questions from 0
    assert load_profile("2023-pre").zero_based_messages is True
    assert load_profile("2023").zero_based_messages is False
    for name in ("2025-pre", "2025", "2026"):
        p = load_profile(name)
        assert (p.answers, p.click, p.zero_based_messages, p.crash_text()) == (31, False, False, CRASH_31)


def test_spec_samples_by_hand():
    assert load_profile("2023-pre").constraint(7) == NONE and load_profile("2023").constraint(7) == W(50, 100)
    assert load_profile("2023-pre").constraint(18) == W(50, 100) and load_profile("2023").constraint(18) == W(100, 200)
    assert load_profile("2025-pre").constraint(31) == W(50, 200) and load_profile("2025").constraint(31) == W(50, 300)
    assert load_profile("2026").constraint(3) == W(0, 200) and load_profile("2025").constraint(3) == W(100, 200)
    assert load_profile("2023").constraint(25) == Constraint(200, 400, 1, 1)
    assert load_profile("2026").constraint(14) == Constraint(200, 300, 1, 3)


def test_profiles_are_cached_and_unknown_names_rejected():
    assert load_profile("2026") is load_profile("2026")
    with pytest.raises(ConfigError, match="unknown profile '2024'"):
        load_profile("2024")


def test_choose_profile():
    assert choose_profile(27, "") == "2023"
    assert choose_profile(27, Q3_2026) == "2023"
    assert choose_profile(31, Q3_2025) == "2025"
    assert choose_profile(31, "  A requirement to the project is that you include a\nthird-party   package ...") == "2025"
    assert choose_profile(31, Q3_2026) == "2026"
    assert choose_profile(31, "") == "2026"
    assert choose_profile(31, "Something else entirely") == "2026"
    assert choose_profile(30, Q3_2025) == "2026"
    assert choose_profile(0, "") == "2026"


# the table mapping form -------------------------------------------------------------------------

def test_table_from_mapping():
    t = table_from_mapping({"answers": 4, "click": True, "questions": {2: {"words": [1, 5]}, "4": {"images": [0, 2]},
                                                                         3: None}},
                           name="config", source="config", source_path="x.yaml")
    assert t.questions == (NONE, W(1, 5), NONE, I(0, 2))
    assert (t.name, t.source, t.source_path, t.click, t.zero_based_messages) == ("config", "config", "x.yaml", True, False)
    assert t.crash_text() == CRASH_31.replace("31", "4")
    default = table_from_mapping({}, name="config", source="config")
    assert default.answers == 31 and set(default.questions) == {NONE} and not default.click


@pytest.mark.parametrize("data, message", [
    ([1, 2], "must be a mapping"),
    ({"answer": 31}, "unknown table key `answer`"),
    ({"answers": "31"}, "answers must be a number"),
    ({"answers": 0}, "answers must be a number"),
    ({"answers": True}, "answers must be a number"),
    ({"click": "yes"}, "click must be true or false"),
    ({"questions": [1, 2]}, "questions must be a mapping"),
    ({"questions": {"three": {"words": [1, 2]}}}, "question key 'three' is not a question number"),
    ({"answers": 5, "questions": {6: {"words": [1, 2]}}}, "question 6 is outside 1-5"),
    ({"questions": {3: {"word": [1, 2]}}}, "question 3: expected {words"),
    ({"questions": {3: {"words": [200, 100]}}}, "question 3: words must be [min, max]"),
    ({"questions": {3: {"words": [-1, 100]}}}, "question 3: words must be [min, max]"),
    ({"questions": {3: {"images": [1]}}}, "question 3: images must be [min, max]"),
    ({"questions": {3: {"images": [1.0, 2]}}}, "question 3: images must be [min, max]"),
    ({"crash_message": "expected {count}"}, "crash_message must be text"),
])
def test_table_from_mapping_rejects_bad_shapes(data, message):
    with pytest.raises(ConfigError) as e:
        table_from_mapping(data, name="config", source="config", source_path="c.yaml")
    assert message in e.value.message
    assert str(e.value) == f"c.yaml: {e.value.message}"


def test_config_error_text():
    assert str(ConfigError("a/.reportls.yaml", 2, "malformed YAML: oops")) == "a/.reportls.yaml:3: malformed YAML: oops"
    assert str(ConfigError("a.yaml", None, "not UTF-8")) == "a.yaml: not UTF-8"
    assert str(ConfigError(None, None, "bare")) == "bare"


# report.py: the click shape ---------------------------------------------------------------------

def test_click_late_shape_equals_builtin_2023():
    r = read("click_2023.py")
    assert (r.problems, r.notes) == ([], [])
    t = r.table
    assert t.questions == load_profile("2023").questions
    assert (t.name, t.source, t.source_path) == ("report.py", "report.py", str(FIXTURES / "click_2023.py"))
    assert (t.answers, t.click, t.zero_based_messages) == (27, True, False)  # enumerate(..., start=1)
    assert t.crash_text() == CRASH_27  # from `msg = "..."; raise ValueError(msg)`


def test_click_nested_jan2023_with_min_max_keywords():
    r = read("click_nested_jan2023.py")
    assert (r.problems, r.notes) == ([], [])
    t = r.table
    assert t.questions == load_profile("2023").questions
    assert (t.answers, t.click, t.zero_based_messages) == (27, True, True)  # enumerate without a start
    assert t.crash_text() == CRASH_27  # two implicitly joined string parts


def test_keyword_spellings_read_the_same():
    nested = read("click_nested_jan2023.py").table
    respelled = read_report_py(
        (FIXTURES / "click_nested_jan2023.py").read_text().replace("min=", "min_length=").replace("max=", "max_length="))
    assert respelled.table.questions == nested.questions
    positional = read_report_py(variant("partial(length_constraints, min=25, max=100)", "partial(length_constraints, 5, 9)",
                                        "click_nested_jan2023.py"))
    assert positional.table.constraint(24) == W(5, 9)


@pytest.mark.parametrize("loop, zero_based", [
    ("enumerate(zip(answers, question_constrains))", True),
    ("enumerate(zip(answers, question_constrains), 0)", True),
    ("enumerate(zip(answers, question_constrains), start=0)", True),
    ("enumerate(zip(answers, question_constrains), 1)", False),
    ("enumerate(zip(answers, question_constrains), start=1)", False),
])
def test_zero_based_numbering_from_the_loop(loop, zero_based):
    src = variant("enumerate(zip(answers, question_constrains))", loop, "click_nested_jan2023.py")
    assert read_report_py(src).table.zero_based_messages is zero_based


def test_pre_release_table_is_read():
    source = variant("""        partial(length_constraints, min=50, max=100),
        partial(length_constraints, min=50, max=100),
""", """        partial(length_constraints, min=50, max=100),
        no_constraints,
""", "click_nested_jan2023.py")
    source = source.replace("""        partial(length_constraints, min=50, max=200),
        partial(length_constraints, min=100, max=200),
        partial(image_constrains, min=1, max=2),""", """        partial(length_constraints, min=50, max=200),
        partial(length_constraints, min=50, max=100),
        partial(image_constrains, min=1, max=2),""")
    assert read_report_py(source).table.questions == load_profile("2023-pre").questions


def test_raised_limits_constants_and_fstring_message():
    r = read("raised_limits.py")
    t = r.table
    assert r.problems == []
    assert t.constraint(11) == W(200, 500)  # positional
    assert t.constraint(24) == W(25, 300)  # LONG = 300
    assert t.constraint(27) == W(50, 600)
    assert t.constraint(1) == NONE and t.constraint(2) == NONE and t.constraint(3) == W(100, 200)  # [x] * 2 + [...]
    changed = {n for n in range(1, 28) if t.constraint(n) != load_profile("2023").constraint(n)}
    assert changed == {11, 24, 27}
    assert (t.answers, t.click, t.zero_based_messages) == (27, True, False)  # N_ANSWERS = 27
    assert t.crash_text() == "Number of answers are different from the expected 27. Got {len(answers)}."
    assert r.notes == ["raised_limits.py reads `reports/README.md` (a fixed path) rather than the README.md beside it; "
                       "reportls checks this report."]
    assert t.notes == tuple(r.notes)


def test_changed_counting_is_noted_not_guessed():
    r = read("img_counting.py")
    assert r.table is not None and r.table.questions == load_profile("2023").questions
    assert len(r.notes) == 2
    assert "counts words its own way (`length_constraints` does not use `.split()`)" in r.notes[0]
    assert "counts `<img>` tags as images (in `image_constrains`)" in r.notes[1]


@pytest.mark.parametrize("old, new, note", [
    ('re.findall(r"\\!\\[.*?\\]\\(.*?\\)", answer)', 're.findall(r"\\!\\[[^]]*\\]\\([^)]*\\)", answer)',
     "uses its own image pattern (in `ImageConstraints`)"),
    ('re.findall(r"\\!\\[.*?\\]\\(.*?\\)", answer)', 'answer.count("![")', "finds images without the course's pattern"),
    ('tokens = answer.split()', 'tokens = answer.split(" ")', "counts words its own way"),
    ('parts = text.split("Answer:")', 'parts = text.split("Svar:")', "does not split the report on `Answer:`"),
    ('            if "##" in part:\n                part = part.split("##")[0]\n', '',
     "cuts answers differently (not at `###` then `##`)"),
    ('    text = Path(path).read_text()\n', '    text = Path(path).read_text()\n    text = text[3:]\n',
     "drops the first 3 characters of the report, not 43"),
    ('    if len(answers) != 31:\n        msg = "Number of answers are different from the expected 31. Have you changed '
     'the template?"\n        raise ValueError(msg)\n', '', "does not check the number of answers; reportls still expects 31"),
    ('"question_31": LengthConstraints(min_length=50, max_length=300),', '',
     "lists 30 constraints for 31 answers; report.py checks only the first 30"),
])
def test_each_counting_change_gets_its_note(old, new, note):
    r = read_report_py(variant(old, new))
    assert r.table is not None and r.table.answers == 31 and len(r.table.questions) == 31
    assert len(r.notes) == 1 and note in r.notes[0], r.notes


def test_standard_pattern_without_backslash_is_not_a_change():
    r = read_report_py(variant('re.findall(r"\\!\\[.*?\\]\\(.*?\\)", answer)', 're.findall(r"!\\[.*?\\]\\(.*?\\)", answer)'))
    assert r.notes == []


def test_multi_constraint_is_the_intersection_of_its_parts():
    src = variant("constrains=[LengthConstraints(min_length=200, max_length=300), ImageConstraints(min_images=1, max_images=3)]",
                  "constrains=[LengthConstraints(min_length=200, max_length=300), LengthConstraints(min_length=250, "
                  "max_length=400), ImageConstraints(min_images=1, max_images=3), NoConstraints()]")
    assert read_report_py(src).table.constraint(14) == WI(250, 300, 1, 3)


def test_repeated_dict_key_keeps_first_position_last_value():
    src = variant('"question_5": LengthConstraints(min_length=100, max_length=200),',
                  '"question_5": LengthConstraints(min_length=100, max_length=200),\n'
                  '        "question_4": LengthConstraints(min_length=1, max_length=2),')
    r = read_report_py(src)
    expected = dict(SPEC_2026)
    expected[4] = W(1, 2)
    assert r.notes == [] and {n: r.table.constraint(n) for n in range(1, 32)} == expected


# report.py: the typer/pydantic shape ------------------------------------------------------------

@pytest.mark.parametrize("fixture, profile", [("typer_2025.py", "2025"), ("typer_2026.py", "2026")])
def test_typer_dict_shape_equals_builtin(fixture, profile):
    r = read(fixture)
    assert (r.problems, r.notes) == ([], [])
    t = r.table
    assert t.questions == load_profile(profile).questions
    # html() drops text[43:], check() does not: the typer version is not the click variant
    assert (t.answers, t.click, t.zero_based_messages) == (31, False, False)
    assert t.crash_text() == CRASH_31


# report.py that can't be understood -------------------------------------------------------------

def test_syntax_error_and_unknown_shape():
    r = read("syntax_error.py")
    assert r.table is None and r.notes == []
    assert r.problems == ["syntax_error.py line 1: syntax error: invalid syntax"]
    r = read_report_py("x = 1\n\ndef check(:\n    pass\n")
    assert r.table is None and r.problems == ["report.py line 3: syntax error: invalid syntax"]
    r = read("unknown_shape.py")
    assert r.table is None and r.problems == ["unknown_shape.py: no constraint list or dict found (an unknown report.py shape)"]


@pytest.mark.parametrize("source, problem", [
    ("", "report.py: no constraint list or dict found"),
    ("question_constraints = {'question_1': NoConstraints()}", "report.py line 1: the constraint table has only 1 entry"),
    ("question_constrains = make_table()", "report.py line 1: the constraint table is not a literal list or dict"),
    ("question_constrains = [no_constraints] * 4 + [my_rule(3)]",
     "report.py line 1: unrecognised constraint function `my_rule`"),
    ("question_constrains = [no_constraints] * 4 + [partial(length_constraints, min=LIMIT, max=9)]",
     "report.py line 1: a bound that is not a plain number"),
    ("question_constrains = [no_constraints] * 4 + [partial(length_constraints, min=1)]",
     "report.py line 1: a constraint without both bounds"),
    ("question_constrains = [no_constraints] * 4 + [*others]",
     "report.py line 1: the constraint table unpacks another list"),
    ("a = 1\x00", "report.py"),
])
def test_unreadable_tables_give_a_problem_and_no_table(source, problem):
    r = read_report_py(source)
    assert r.table is None and len(r.problems) == 1 and r.problems[0].startswith(problem), r.problems


def test_bom_and_crlf_are_fine(tmp_path):
    source = (FIXTURES / "typer_2026.py").read_text()
    assert read_report_py("\ufeff" + source.replace("\n", "\r\n")).table.questions == load_profile("2026").questions
    (tmp_path / "report.py").write_bytes(b"\xef\xbb\xbf" + source.encode())
    res = resolve_table(report_path=tmp_path / "README.md", question_count=27, q3_prompt="")
    assert (res.constraints_from, res.table.constraint(3)) == ("report.py", W(0, 200))


def test_deeply_nested_source_does_not_raise():
    r = read_report_py("x = " + "(" * 5000 + ")" * 5000)
    assert r.table is None and r.problems


def test_hostile_report_py_is_never_executed(tmp_path):
    shutil.copy(FIXTURES / "deletes_files.py", tmp_path / "report.py")
    (tmp_path / "SENTINEL").write_text("still here")
    (tmp_path / "SENTINEL_DIR").mkdir()
    (tmp_path / "SENTINEL_DIR" / "keep").write_text("x")
    res = resolve_table(report_path=tmp_path / "README.md", question_count=31, q3_prompt="")
    r = read_report_py((tmp_path / "report.py").read_text(), str(tmp_path / "report.py"))
    assert (tmp_path / "SENTINEL").read_text() == "still here"
    assert (tmp_path / "SENTINEL_DIR" / "keep").exists()
    assert not (tmp_path / "EXECUTED").exists()
    assert r.table is None
    assert (res.constraints_from, res.table.name) == ("builtin", "2026")
    assert res.notes == ["report.py line 13: the constraint table has only 1 entry (the course's have 27 or 31); "
                         "using the built-in `2026` table instead."]


# resolution order -------------------------------------------------------------------------------

def test_resolution_without_report_py_uses_the_builtin_profile(tmp_path):
    report = tmp_path / "README.md"
    assert resolve_table(report_path=report, question_count=27, q3_prompt="").table.name == "2023"
    res = resolve_table(report_path=report, question_count=31, q3_prompt=Q3_2025)
    assert (res.constraints_from, res.table.name, res.notes) == ("builtin", "2025", [])
    res = resolve_table(report_path=None, question_count=31, q3_prompt=Q3_2026)
    assert (res.constraints_from, res.table.name, res.notes) == ("builtin", "2026", [])


def test_resolution_report_py_beside_the_report(tmp_path):
    report = tmp_path / "README.md"
    shutil.copy(FIXTURES / "raised_limits.py", tmp_path / "report.py")
    res = resolve_table(report_path=report, question_count=31, q3_prompt="")
    assert res.constraints_from == "report.py"
    assert res.table.constraint(27) == W(50, 600) and res.table.source_path == str(tmp_path / "report.py")
    assert len(res.notes) == 1 and "a fixed path" in res.notes[0]
    for override in (None, "auto", "report.py"):
        assert resolve_table(report_path=report, question_count=31, q3_prompt="", override=override).constraints_from \
            == "report.py"


def test_resolution_source_given_in_memory_wins_over_disk(tmp_path):
    report = tmp_path / "README.md"
    shutil.copy(FIXTURES / "raised_limits.py", tmp_path / "report.py")
    res = resolve_table(report_path=report, question_count=27, q3_prompt="",
                        report_py_source=(FIXTURES / "typer_2026.py").read_text())
    assert (res.constraints_from, res.table.answers, res.table.constraint(3)) == ("report.py", 31, W(0, 200))
    res = resolve_table(report_path=None, question_count=27, q3_prompt="", report_py_source="def check(:")
    assert res.constraints_from == "builtin" and res.table.name == "2023"
    assert res.notes == ["report.py line 1: syntax error: invalid syntax; using the built-in `2023` table instead."]


def test_resolution_override_wins(tmp_path):
    report = tmp_path / "README.md"
    shutil.copy(FIXTURES / "raised_limits.py", tmp_path / "report.py")
    res = resolve_table(report_path=report, question_count=31, q3_prompt="", override="2025-pre")
    assert (res.constraints_from, res.table.name, res.notes) == ("config", "2025-pre", [])
    table = ConstraintTable(name="config", answers=2, questions=(NO_CONSTRAINT, W(1, 2)), source="config")
    res = resolve_table(report_path=report, question_count=31, q3_prompt="", override=table)
    assert res.constraints_from == "config" and res.table is table


def test_resolution_report_py_requested_but_missing(tmp_path):
    res = resolve_table(report_path=tmp_path / "README.md", question_count=27, q3_prompt="", override="report.py")
    assert (res.constraints_from, res.table.name) == ("builtin", "2023")
    assert res.notes == ["constraints are set to report.py, but there is no report.py beside the report; "
                         "using the built-in `2023` table."]


def test_resolution_unknown_override_is_noted(tmp_path):
    res = resolve_table(report_path=tmp_path / "README.md", question_count=31, q3_prompt="", override="2031")
    assert (res.constraints_from, res.table.name) == ("builtin", "2026")
    assert res.notes == ["constraints `2031` is not a profile name, report.py or auto; ignored."]


def test_package_stays_free_of_the_lsp_stack():
    import ast as _ast

    pkg = Path(__file__).resolve().parents[2] / "server" / "reportls" / "constraints"
    for f in pkg.glob("*.py"):
        for node in _ast.walk(_ast.parse(f.read_text())):
            if isinstance(node, (_ast.Import, _ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.startswith(("pygls", "lsprotocol")) for n in names), f
