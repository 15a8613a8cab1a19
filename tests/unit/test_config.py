""".reportls.yaml (README, "Configuration"): finding the nearest file, reading it, problems with lines."""

from pathlib import Path

import pytest

from reportls.constraints import (
    Config,
    ConfigError,
    ConfigProblem,
    Constraint,
    ConstraintTable,
    find_config,
    load_config,
    parse_config,
)

NONE = Constraint()


def write(tmp_path: Path, text: str) -> Path:
    cfg = tmp_path / ".reportls.yaml"
    cfg.write_text(text)
    return cfg


def test_full_table_figures_and_severity(tmp_path):
    cfg = write(tmp_path, "constraints:\n  answers: 3\n  click: true\n  questions:\n"
                          "    2: {words: [1, 5], images: [0, 1]}\n    3: {words: [0, 200]}\n"
                          "figures: pics/\nseverity:\n  placeholder: information\n  word-count: off\n")
    c = load_config(cfg)
    assert c.problems == []
    assert isinstance(c.constraints, ConstraintTable)
    t = c.constraints
    assert t.questions == (NONE, Constraint(1, 5, 0, 1), Constraint(0, 200))
    assert (t.name, t.source, t.source_path, t.answers, t.click) == ("config", "config", str(cfg), 3, True)
    assert c.figures == "pics" and c.path == cfg
    assert c.severity == {"placeholder": "information", "word-count": "off"}  # bare `off` is YAML false


@pytest.mark.parametrize("text, expected", [
    ("constraints: 2025\n", "2025"),  # an int in YAML
    ("constraints: '2025'\n", "2025"),
    ("constraints: 2026\n", "2026"),
    ("constraints: 2023-pre\n", "2023-pre"),
    ("constraints: 2025-pre\n", "2025-pre"),
    ("constraints: report.py\n", "report.py"),
    ("constraints: auto\n", None),
    ("constraints:\n", None),
])
def test_constraints_by_name(tmp_path, text, expected):
    c = load_config(write(tmp_path, text))
    assert (c.constraints, c.problems) == (expected, [])


def test_empty_file_is_all_defaults(tmp_path):
    c = load_config(write(tmp_path, "# nothing yet\n"))
    assert c == Config(path=tmp_path / ".reportls.yaml")
    assert (c.constraints, c.figures, c.severity, c.problems) == (None, "figures", {}, [])


def test_unknown_keys_and_bad_values_are_problems_with_lines(tmp_path):
    cfg = write(tmp_path, "constraints: 2031\nfigures: ../elsewhere\ncolour: blue\nseverity:\n"
                          "  word-count: loud\n  no-such-code: error\n  placeholder: hint\n")
    c = load_config(cfg)
    assert c.problems == [
        ConfigProblem("unknown key `colour` (known: constraints, figures, severity, git, checklist)", 2),
        ConfigProblem("constraints: unknown profile `2031` (use one of 2023-pre, 2023, 2025-pre, 2025, 2026, report.py, "
                      "auto, or a table)", 0),
        ConfigProblem("figures: expected a folder inside the report's folder, got '../elsewhere'", 1),
        ConfigProblem("severity: `word-count: loud` is not one of error, warning, information, hint, off", 4),
        ConfigProblem("severity: unknown diagnostic code `no-such-code`", 5),
    ]
    # the defaults are kept where the value was bad; good values still apply
    assert (c.constraints, c.figures, c.severity) == (None, "figures", {"placeholder": "hint"})


def test_bad_table_is_a_problem_at_the_bad_line(tmp_path):
    c = load_config(write(tmp_path, "constraints:\n  answers: 31\n  questions:\n    3: {words: [0, 200]}\n"
                                    "    14: {words: [300, 200]}\n"))
    assert c.constraints is None
    assert c.problems == [ConfigProblem("constraints: question 14: words must be [min, max] with 0 <= min <= max, "
                                        "got [300, 200]", 4)]
    c = load_config(write(tmp_path, "figures: f\nconstraints:\n  anwsers: 31\n"))
    assert c.problems == [ConfigProblem("constraints: unknown table key `anwsers` (known: answers, click, questions, "
                                        "zero_based_messages, crash_message)", 2)]


def test_duplicate_keys_are_reported(tmp_path):
    c = load_config(write(tmp_path, "constraints: 2025\nfigures: a\nconstraints: 2026\n"))
    assert c.constraints == "2026"
    assert c.problems == [ConfigProblem("duplicate key `constraints` (the last one is used)", 2)]


@pytest.mark.parametrize("text, line, message", [
    ("constraints: 2025\nseverity:\n  placeholder: [oops\n", 3, "malformed YAML"),
    ("constraints: 2025\n  figures: x\n", 1, "malformed YAML: mapping values are not allowed here"),
    ("figures: 'unclosed\n", 1, "malformed YAML"),
    ("- just\n- a list\n", 0, "expected a mapping of settings"),
])
def test_malformed_yaml_raises_with_file_and_line(tmp_path, text, line, message):
    cfg = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert (e.value.path, e.value.line) == (str(cfg), line)
    assert message in e.value.message
    assert str(e.value) == f"{cfg}:{line + 1}: {e.value.message}"


def test_not_utf8_raises(tmp_path):
    cfg = tmp_path / ".reportls.yaml"
    cfg.write_bytes(b"figures: x\nconstraints: \xff\n")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert str(e.value) == f"{cfg}:2: not UTF-8"


def test_safe_load_only(tmp_path):
    with pytest.raises(ConfigError, match="malformed YAML"):
        parse_config("constraints: !!python/object/apply:os.system ['touch PWNED']\n")
    assert not (Path.cwd() / "PWNED").exists()


def test_nearest_config_wins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".reportls.yaml").write_text("constraints: 2025\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    # no workspace root: walk up to the folder holding .git
    assert find_config(reports) == tmp_path / ".reportls.yaml"
    assert find_config(reports, workspace_root=tmp_path) == tmp_path / ".reportls.yaml"
    (reports / ".reportls.yaml").write_text("constraints: 2026\n")
    assert find_config(reports) == reports / ".reportls.yaml"
    assert find_config(reports, workspace_root=tmp_path) == reports / ".reportls.yaml"
    assert load_config(find_config(reports)).constraints == "2026"


def test_search_stops_at_workspace_root_or_git(tmp_path):
    (tmp_path / ".reportls.yaml").write_text("constraints: 2025\n")
    repo = tmp_path / "repo"
    reports = repo / "reports"
    reports.mkdir(parents=True)
    # the workspace root is inclusive, and nothing above it is looked at
    assert find_config(reports, workspace_root=repo) is None
    assert find_config(reports, workspace_root=tmp_path) == tmp_path / ".reportls.yaml"
    (repo / ".git").mkdir()
    assert find_config(reports) is None  # stops at the repo's .git
    # a report outside the workspace root: bounded by .git, not the filesystem root
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert find_config(reports, workspace_root=other) is None


def test_problems_name_the_line_of_the_offending_value(tmp_path):
    c = load_config(write(tmp_path, "severity:\n  word-count:\n    loud\n  placeholder: on\n"
                                    "constraints:\n  questions:\n    14:\n      words:\n        - 300\n        - 200\n"))
    assert c.problems == [
        ConfigProblem("constraints: question 14: words must be [min, max] with 0 <= min <= max, got [300, 200]", 8),
        ConfigProblem("severity: `word-count: loud` is not one of error, warning, information, hint, off", 2),
        ConfigProblem("severity: `placeholder: on` is not one of error, warning, information, hint, off", 3),
    ]
    # problems about a key point at the key
    c = load_config(write(tmp_path, "constraints:\n  questions:\n    40:\n      words: [1, 2]\nseverity:\n"
                                    "  no-such-code:\n    error\n"))
    assert c.problems == [ConfigProblem("constraints: question 40 is outside 1-31", 2),
                          ConfigProblem("severity: unknown diagnostic code `no-such-code`", 5)]


PYPROJECT = '''[project]
name = "group"
dependencies = [
    "reportls",   # [tool.reportls] in a comment
    "torch = 2",
]
description = """
[tool.reportls]
figures = "not this one"
"""

[tool.reportls]
constraints = 2031
figures = "../elsewhere"
colour = "blue"

[tool.reportls.severity]
placeholder = "information"
word-count = "loud"
"no-such-code" = "error"
'''


def test_pyproject_table_problems_with_lines(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT)
    c = load_config(path)
    assert c.problems == [
        ConfigProblem("unknown key `colour` (known: constraints, figures, severity, git, checklist)", 14),
        ConfigProblem("constraints: unknown profile `2031` (use one of 2023-pre, 2023, 2025-pre, 2025, 2026, report.py, "
                      "auto, or a table)", 12),
        ConfigProblem("figures: expected a folder inside the report's folder, got '../elsewhere'", 13),
        ConfigProblem("severity: `word-count: loud` is not one of error, warning, information, hint, off", 18),
        ConfigProblem("severity: unknown diagnostic code `no-such-code`", 19),
    ]
    assert (c.constraints, c.figures, c.severity, c.path) == (None, "figures", {"placeholder": "information"}, path)


def test_pyproject_full_table_inline_and_dotted(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.reportls]\nfigures = "pics"\nseverity.word-count = "off"\n\n'
                    '[tool.reportls.constraints]\nanswers = 3\nclick = true\n\n'
                    '[tool.reportls.constraints.questions]\n2 = { words = [1, 5], images = [0, 1] }\n'
                    '3 = {words = [0, 200]}\n')
    c = load_config(path)
    assert c.problems == []
    t = c.constraints
    assert t.questions == (NONE, Constraint(1, 5, 0, 1), Constraint(0, 200)) and (t.answers, t.click) == (3, True)
    assert (c.figures, c.severity) == ("pics", {"word-count": "off"})
    path.write_text('[tool]\nreportls = { constraints = "2025", severity = { bogus = "off" } }\n'
                    '[tool.reportls.constraints]\n')
    with pytest.raises(ConfigError):  # TOML forbids extending an inline table
        load_config(path)
    path.write_text('[tool]\nreportls = { constraints = "2025", severity = { bogus = "off" } }\n')
    c = load_config(path)
    assert c.constraints == "2025"
    assert c.problems == [ConfigProblem("severity: unknown diagnostic code `bogus`", 1)]
    path.write_text('[tool.reportls.constraints.questions]\n14 = {words = [300, 200]}\n')
    assert load_config(path).problems == [
        ConfigProblem("constraints: question 14: words must be [min, max] with 0 <= min <= max, got [300, 200]", 1)]


@pytest.mark.parametrize("text, line, message", [
    ('[tool.reportls]\nconstraints = \n', 1, "malformed TOML: Invalid value"),
    ('[tool.reportls]\nfigures = "x"\nfigures = "y"\n', 2, "malformed TOML: Cannot overwrite a value"),
    ("tool.reportls = 3\n", 0, "tool.reportls must be a table of settings"),
])
def test_pyproject_errors_raise_with_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert (e.value.path, e.value.line) == (str(path), line) and e.value.message.startswith(message)


def test_pyproject_without_the_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "g"\n')
    c = load_config(path)  # only through --config: find_config passes it over
    assert (c.constraints, c.severity) == (None, {})
    assert c.problems == [ConfigProblem("no [tool.reportls] table; using the defaults")]


def test_find_config_pyproject(tmp_path):
    (tmp_path / ".git").mkdir()
    reports = tmp_path / "reports"
    reports.mkdir()
    root_pyproject = tmp_path / "pyproject.toml"
    root_pyproject.write_text('[project]\nname = "g"\ndependencies = ["reportls"]\n')
    assert find_config(reports) is None  # a pyproject.toml without [tool.reportls] is passed over
    root_pyproject.write_text('[project]\nname = "g"\n\n[tool.reportls]\nconstraints = "2025"\n')
    assert find_config(reports) == root_pyproject
    assert load_config(find_config(reports)).constraints == "2025"
    (tmp_path / ".reportls.yaml").write_text("constraints: 2026\n")
    assert find_config(reports) == tmp_path / ".reportls.yaml"  # the YAML file wins in the same folder
    (reports / "pyproject.toml").write_text("[tool.reportls]\nfigures = 'pics'\n")
    assert find_config(reports) == reports / "pyproject.toml"  # the nearest folder wins
    assert find_config(reports, workspace_root=tmp_path) == reports / "pyproject.toml"
    (reports / "pyproject.toml").write_text("[tool.reportls\nbroken")  # mentions reportls: its error is reported
    assert find_config(reports) == reports / "pyproject.toml"
    with pytest.raises(ConfigError, match="malformed TOML"):
        load_config(reports / "pyproject.toml")
    (reports / "pyproject.toml").write_text("[broken\n")  # an unrelated broken file is passed over
    assert find_config(reports) == tmp_path / ".reportls.yaml"


def test_server_workspace_reads_pyproject_through_find_and_load_config(tmp_path):
    import os

    from reportls.lsp.session import Session

    (tmp_path / ".git").mkdir()
    reports = tmp_path / "reports"
    reports.mkdir()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.reportls]\nconstraints = "2025"\ncolour = 1\n')
    ws = Session()
    ws.root = tmp_path
    config, message = ws.config_for(reports)
    assert config.constraints == "2025" and config.path == pyproject
    assert message == f"{pyproject}:3: unknown key `colour` (known: constraints, figures, severity, git, checklist)"
    pyproject.write_text('[tool.reportls]\nconstraints = "2023"\n')
    st = pyproject.stat()
    os.utime(pyproject, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a later stamp, whatever the clock
    config, message = ws.config_for(reports)
    assert (config.constraints, message) == ("2023", None)


def test_settings_layers_keep_valid_severities_code_by_code():
    from reportls.lsp.settings import Settings, merge_layers, settings_layer

    valid, problems = Settings.valid_layer(
        settings_layer([{"reportls": {"severity": {"word-count": "error", "nope": "x"}, "debounceMs": -1}}]))
    assert valid == {"severity": {"word-count": "error"}}
    assert problems == ["settings: severity `nope: x` ignored",
                        "settings: debounceMs `-1` must be a number of milliseconds (0-10000)"]
    merged = merge_layers([{"debounceMs": 0, "severity": {"placeholder": "hint"}}, valid])
    assert merged == {"debounceMs": 0, "severity": {"placeholder": "hint", "word-count": "error"}}
    assert settings_layer(None) is None and settings_layer([{}]) is None


def test_git_key_turns_git_off_and_must_be_a_boolean():
    from reportls.constraints.config import parse_config

    assert parse_config("git: false\n").git is False and parse_config("").git is True
    bad = parse_config("git: sometimes\n")
    assert bad.git is True and [p.message for p in bad.problems] == ["git: expected true or false, got 'sometimes'"]


def test_checklist_key_turns_the_repository_scan_off_and_must_be_a_boolean():
    from reportls.analysis import options_from
    from reportls.constraints.config import parse_config

    assert parse_config("checklist: false\n").checklist is False and parse_config("").checklist is True
    assert options_from(parse_config("checklist: false\n")).checklist is False
    bad = parse_config("checklist: 1\n")
    assert bad.checklist is True and [p.message for p in bad.problems] == ["checklist: expected true or false, got '1'"]


def test_checklist_setting_is_a_boolean():
    from reportls.lsp.settings import Settings

    settings, problems = Settings.from_client({"checklist": False})
    assert (settings.checklist, problems) == (False, [])
    settings, problems = Settings.from_client({"checklist": "no"})
    assert (settings.checklist, problems) == (True, ["settings: checklist `no` must be true or false"])
