"""``reportls check``: formats, exit codes, default path, bad input, no pygls import."""

import json
import subprocess
import sys

import pytest
from tests.reportgen import make_report, words

from reportls.cli.main import main


@pytest.fixture
def passing(tmp_path):
    answers = {n: words(60) for n in range(3, 32)}
    answers |= {4: words(150), 5: words(150), 6: words(150), 8: words(150), 9: words(150), 10: words(150),
                11: words(250), 13: words(150), 14: words(250) + " ![a](figures/a.png)", 15: words(150),
                16: words(150), 18: words(150), 19: "![a](figures/a.png)", 20: "![a](figures/a.png)",
                21: "![a](figures/a.png)", 22: words(150), 23: words(150), 24: words(150), 25: words(150),
                26: words(150), 27: words(150), 29: words(250) + " ![a](figures/a.png)", 30: words(250)}
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "figures" / "a.png").write_bytes(b"x")
    path = reports / "README.md"
    path.write_text(make_report(answers))
    return path


def run(capsys, *argv):
    code = main(["check", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_passing_report_exits_0(passing, capsys):
    code, out, _ = run(capsys, str(passing))
    assert code == 0
    assert out.strip().splitlines()[-1] == "Total number of questions passed: 31/31"


def test_failing_report_text_and_exit_1(passing, capsys):
    text = passing.read_text().replace(words(60), words(20), 1)  # Q3 stays in 0-200; find Q7's
    i = text.index("### Question 7")
    j = text.index(words(60), i)
    text = text[:j] + words(20) + text[j + len(words(60)) :]
    passing.write_text(text)
    code, out, _ = run(capsys, str(passing))
    assert code == 1
    line = text.count("\n", 0, j) + 1  # the first line report.py counts, 1-based
    assert out.splitlines() == [
        f"{passing}:{line}: Question 7 failed check. Expected number of words to be between 50 and 100 but got 20",
        "Total number of questions passed: 30/31",
    ]


def test_json_schema(passing, capsys):
    code, out, _ = run(capsys, "--format", "json", str(passing))
    data = json.loads(out)
    assert data["schema"] == 1
    f = data["files"][0]
    assert set(f) == {"path", "template", "constraints_from", "passed", "total", "crash", "questions", "diagnostics", "git",
                      "checklist"}
    assert (f["template"], f["constraints_from"], f["passed"], f["total"], f["crash"]) == ("2026", "builtin", 31, 31, None)
    q14 = f["questions"][13]
    assert q14 == {"number": 14, "line": q14["line"], "words": 251, "images": 1, "min_words": 200, "max_words": 300,
                   "min_images": 1, "max_images": 3, "passed": True, "reportpy_number": 14}
    assert passing.read_text().splitlines()[q14["line"]] == "### Question 14"
    assert f["questions"][0]["min_words"] is None


def test_github_format(passing, capsys):
    text = passing.read_text()
    i = text.index("### Question 19")
    j = text.index("figures/a.png", i)
    passing.write_text(text[:j] + "figures/b.png" + text[j + len("figures/a.png") :])
    code, out, _ = run(capsys, "--format", "github", str(passing))
    assert code == 1
    assert any(line.startswith("::error file=") and "title=reportls missing-figure" in line for line in out.splitlines())


def test_crash_reported(passing, capsys):
    passing.write_text(passing.read_text().replace("> Answer:", "> Answr:", 1))
    code, out, _ = run(capsys, "--format", "json", str(passing))
    f = json.loads(out)["files"][0]
    assert code == 1
    assert f["crash"] == "ValueError: Number of answers are different from the expected 31. Have you changed the template?"
    assert [d["code"] for d in f["diagnostics"]].count("answer-count") == 1


def test_default_path(passing, capsys, monkeypatch):
    monkeypatch.chdir(passing.parent.parent)
    code, out, _ = run(capsys)
    assert code == 0
    monkeypatch.chdir(passing.parent.parent.parent)
    code, _, err = run(capsys)
    assert code == 2 and "no report found" in err


def test_bad_inputs_exit_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "latin1.md"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    for path, needle in ((bad, "not UTF-8"), (tmp_path / "nope.md", "no such file"), (empty_dir, "no markdown report"),
                         (tmp_path / "notes.md", "not a report (no `### Question` headings)")):
        if path.name == "notes.md":
            path.write_text("# Notes\n\nNothing of the template here.\n")
        code, out, err = run(capsys, str(path))
        assert code == 2
        assert len(err.strip().splitlines()) == 1 and needle in err
        assert "Traceback" not in err


def test_malformed_config_exit_2(passing, capsys):
    (passing.parent / ".reportls.yaml").write_text("constraints: 2025\nseverity: [unclosed\n")
    code, _, err = run(capsys, str(passing))
    assert code == 2
    assert ".reportls.yaml:2:" in err or ".reportls.yaml:3:" in err


def test_config_severity_and_profile(passing, capsys):
    (passing.parent / ".reportls.yaml").write_text("constraints: 2025\nseverity:\n  word-count: 'off'\n")
    code, out, _ = run(capsys, "--format", "json", str(passing))
    f = json.loads(out)["files"][0]
    assert f["constraints_from"] == "config"
    assert f["questions"][2]["min_words"] == 100


def test_batch_folder_one_bad_file_does_not_stop_the_rest(tmp_path, capsys):
    for i in range(5):
        (tmp_path / f"r{i}.md").write_text(make_report({7: words(10)}))
    (tmp_path / "bad.md").write_bytes(make_report({7: "café " * 10}).encode("latin-1"))  # a report, not UTF-8
    (tmp_path / "notes.md").write_bytes("caf\xe9 notes".encode("latin-1"))  # not a report: skipped
    code, out, err = run(capsys, "--format", "json", str(tmp_path))
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [str(tmp_path / n) for n in ("bad.md", "r0.md", "r1.md", "r2.md", "r3.md",
                                                                      "r4.md")]
    assert files[0] == {"path": str(tmp_path / "bad.md"),
                        "error": f"{tmp_path / 'bad.md'}: not UTF-8 (invalid byte at offset "
                                 f"{make_report({7: 'café ' * 10}).index('é')}); save it as UTF-8"}
    assert code == 2
    assert err.splitlines() == [f"reportls: {files[0]['error']}"]


def test_cli_does_not_import_pygls():
    code = ("import sys, reportls.cli.main as c; c.main(['check', '--format', 'json', 'examples/reports/README.md']);"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("name", ["empty", "only-front-matter", "nested-lists", "nested-quotes", "long-line", "nul-bytes",
                                  "bom", "crlf-tabs-emoji", "dotdot-and-absolute"])
def test_cli_survives_the_catalogue(tmp_path, capsys, name):
    from tests.e2e.test_hostile import CATALOGUE

    path = tmp_path / "README.md"
    path.write_text(CATALOGUE[name], encoding="utf-8")
    code, out, err = run(capsys, "--format", "json", str(path))
    assert "Traceback" not in err
    f = json.loads(out)["files"][0]
    if name in ("empty", "only-front-matter"):  # none of the template's structure
        assert code == 2 and f == {"path": str(path), "error": f"{path}: not a report (no `### Question` headings)"}
        return
    assert code in (0, 1)
    assert f["crash"] is not None or f["questions"]


def test_cli_secret_fails_the_check(passing, capsys):
    passing.write_text(passing.read_text().replace(words(60), "hf_" + "Q" * 34 + " " + words(59), 1))
    code, out, _ = run(capsys, str(passing))
    assert code == 1 and "[secret]" in out and "Q" * 34 not in out


def test_cli_never_runs_report_py(passing, capsys):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "reportpy" / "deletes_files.py", passing.parent / "report.py")
    (passing.parent / "SENTINEL").write_text("x")
    code, out, _ = run(capsys, str(passing))
    assert (passing.parent / "SENTINEL").exists() and not (passing.parent / "EXECUTED").exists()
    assert "[constraints-source]" in out


def test_batch_of_200_reports(tmp_path, capsys):
    text = make_report({7: words(10)})
    for i in range(200):
        d = tmp_path / f"group{i:03d}" / "reports"
        d.mkdir(parents=True)
        (d / "README.md").write_text(text)
    (tmp_path / "group007" / "reports" / "README.md").write_bytes(b"\xff not utf-8")
    code, out, err = run(capsys, "--format", "json", str(tmp_path))  # one folder holding every group's repo
    files = json.loads(out)["files"]
    assert len(files) == 200 and code == 2
    assert [f["path"] for f in files if "error" in f] == [str(tmp_path / "group007" / "reports" / "README.md")]
    files = [f for f in files if "error" not in f]
    assert len(files) == 199 and all(f["questions"][6]["words"] == 10 for f in files)
    assert "not UTF-8" in err


def test_serve_accepts_stdio_flag():
    from reportls.cli.main import _parser

    args = _parser().parse_args(["serve", "--stdio"])
    assert args.command == "serve" and args.stdio


# --- linter habits: --version, --help, stdin, folders, pipes, pyproject.toml ----------------------


def test_version_flag_and_subcommand(capsys):
    from reportls import __version__

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out == f"reportls {__version__}\n"
    assert main(["version"]) == 0 and capsys.readouterr().out == f"reportls {__version__}\n"


def test_help_describes_every_option_exit_codes_and_profiles(capsys):
    import re

    from reportls.cli.main import PROFILE_CHOICES, _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help and action.help != "==SUPPRESS==", (name, action.dest)
    with pytest.raises(SystemExit) as e:
        main(["check", "--help"])
    text = capsys.readouterr().out
    assert e.value.code == 0
    for option in ("--format", "--constraints", "--config", "--stdin-filename", "PATH"):
        assert option in text
    exit_codes = text[text.index("exit codes:"):]
    for code, words_ in (("0", "every question passes"), ("1", "a question fails"), ("2", "usage or input error")):
        assert re.search(rf"^  {code}  {words_}", exit_codes, re.M), code
    profiles = text[text.index("constraint profiles"):text.index("exit codes:")]
    for name in PROFILE_CHOICES:
        assert re.search(rf"^  {re.escape(name)} +\S", profiles, re.M), name
    assert "27 questions" in profiles and "31 questions" in profiles


def _stdin(monkeypatch, data: bytes):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_json_path_is_dash(passing, capsys, monkeypatch, tmp_path):
    _stdin(monkeypatch, passing.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--format", "json", "-")
    f = json.loads(out)["files"][0]
    assert code == 0 and f["path"] == "-" and (f["passed"], f["total"], f["crash"]) == (31, 31, None)


def test_stdin_filename_resolves_figures_and_config(passing, capsys, monkeypatch, tmp_path):
    text = passing.read_text()
    i = text.index("### Question 19")
    j = text.index("figures/a.png", i)
    broken = text[:j] + "figures/b.png" + text[j + len("figures/a.png"):]
    (passing.parent / ".reportls.yaml").write_text("constraints: 2025\n")
    monkeypatch.chdir(tmp_path)  # far from the report: only --stdin-filename can find its folder
    _stdin(monkeypatch, broken.encode())
    code, out, _ = run(capsys, "--format", "json", "-")
    f = json.loads(out)["files"][0]
    assert code == 0 and f["constraints_from"] == "builtin"
    assert not [d for d in f["diagnostics"] if d["code"] == "missing-figure"]  # no folder to look in
    _stdin(monkeypatch, broken.encode())
    code, out, _ = run(capsys, "--format", "json", "--stdin-filename", str(passing), "-")
    f = json.loads(out)["files"][0]
    assert code == 1 and f["path"] == "-" and f["constraints_from"] == "config"
    assert [d["code"] for d in f["diagnostics"] if d["code"] == "missing-figure"] == ["missing-figure"]
    assert f["questions"][2]["min_words"] == 100  # the 2025 table of the .reportls.yaml beside the named file
    # text output names the file, so the lines stay clickable
    _stdin(monkeypatch, broken.encode())
    code, out, _ = run(capsys, "--stdin-filename", "reports/README.md")
    assert code == 1
    assert out.splitlines()[0].startswith("reports/README.md:")


def test_stdin_bad_input_and_usage_errors(capsys, monkeypatch, passing):
    _stdin(monkeypatch, b"caf\xe9")
    code, _, err = run(capsys, "-")
    assert code == 2 and err == "reportls: -: not UTF-8 (invalid byte at offset 3); save it as UTF-8\n"
    _stdin(monkeypatch, b"# just a readme\n")
    code, _, err = run(capsys, "--stdin-filename", "README.md")
    assert code == 2 and err == "reportls: README.md: not a report (no `### Question` headings)\n"
    code, _, err = run(capsys, "--stdin-filename", "x.md", str(passing))
    assert code == 2 and "pass `-` as a PATH" in err
    code, _, err = run(capsys, "-", "-")
    assert code == 2 and "only once" in err


def test_folder_checks_only_reports_and_skips_tool_folders(tmp_path, capsys, monkeypatch):
    report = make_report({7: words(10)})
    (tmp_path / "README.md").write_text("# Our MLOps project\n\nSee reports/README.md.\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("### Question 1\n\nno marker, not a report\n")
    for folder in ("node_modules/pkg", ".venv/lib", "venv", ".git/x", "lib/site-packages/pkg", ".hidden", "reports/.old"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "README.md").write_text(report)
    (tmp_path / "reports" / "README.md").write_text(report)
    (tmp_path / "reports" / ".draft.md").write_text(report)  # hidden file
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "2024.md").write_text(make_report({7: words(60)}, count=27))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--format", "json", ".")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["files"]] == ["archive/2024.md", "reports/README.md"]
    code, out, _ = run(capsys, ".")
    lines = out.splitlines()
    assert lines[0] == "==> archive/2024.md <==" and "==> reports/README.md <==" in lines
    assert lines[-1] == "Checked 2 reports: 0 passing, 2 failing."


def test_several_files_and_the_count_line(passing, tmp_path, capsys):
    other = tmp_path / "other.md"
    other.write_text(make_report({7: words(10)}))
    code, out, _ = run(capsys, str(passing), str(other))
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"==> {passing} <==" and lines[1] == "Total number of questions passed: 31/31"
    assert lines[2] == f"==> {other} <=="
    assert lines[-1] == "Checked 2 reports: 1 passing, 1 failing."
    code, out, _ = run(capsys, str(passing), str(tmp_path / "missing.md"))
    assert code == 2 and out.splitlines()[-1] == "Checked 1 report: 1 passing, 0 failing; 1 path could not be checked."


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    for i in range(40):  # JSON of 40 failing reports: far more than a pipe holds
        (tmp_path / f"r{i:02d}.md").write_text(make_report({n: words(3) for n in range(3, 32)}))
    root = __file__.rsplit("/tests/", 1)[0]
    for fmt in ("json", "text", "github"):
        proc = subprocess.Popen([sys.executable, "-m", "reportls", "check", "--format", fmt, str(tmp_path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
        first = proc.stdout.readline()  # like `| head -1`
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 1, err  # the real verdict, not a crash
        assert first and err == ("reportls: 1160 findings: 1160 warnings\n" if fmt == "text" else ""), err


def test_pyproject_tool_table_is_read_and_yaml_wins(passing, capsys):
    repo = passing.parent.parent
    (repo / ".git").mkdir()
    (repo / "pyproject.toml").write_text('[project]\nname = "g"\n\n[tool.reportls]\nconstraints = "2025"\n'
                                         '[tool.reportls.severity]\nword-count = "off"\n')
    code, out, _ = run(capsys, "--format", "json", str(passing))
    f = json.loads(out)["files"][0]
    assert code == 1 and f["constraints_from"] == "config" and f["questions"][2]["min_words"] == 100
    assert not [d for d in f["diagnostics"] if d["code"] == "word-count"]  # severity off, the question still fails
    (repo / ".reportls.yaml").write_text("constraints: 2026\n")
    code, out, _ = run(capsys, "--format", "json", str(passing))
    assert code == 0 and json.loads(out)["files"][0]["questions"][2]["min_words"] == 0
    (repo / ".reportls.yaml").unlink()
    (repo / "pyproject.toml").write_text('[tool.reportls]\nconstraints = "2025"\nseverity = "loud"\ncolour = 1\n')
    code, _, err = run(capsys, str(passing))  # a bad value: exit 2 naming file and line (the unknown key alone is not)
    assert code == 2 and err.splitlines() == [f"reportls: {repo / 'pyproject.toml'}:3: severity: expected a mapping "
                                              "of diagnostic code to severity"]
    (repo / "pyproject.toml").write_text('[tool.reportls]\nconstraints = "2025"\ncolour = 1\n')
    code, _, err = run(capsys, str(passing))
    assert code == 1 and err.splitlines()[0] == (f"reportls: {repo / 'pyproject.toml'}:3: unknown key `colour` (known: "
                                                 "constraints, figures, severity, git, checklist)")
    (repo / "pyproject.toml").write_text('[tool.reportls]\nconstraints = "2025\n')
    code, _, err = run(capsys, str(passing))
    assert code == 2 and err == f"reportls: {repo / 'pyproject.toml'}:2: malformed TOML: Illegal character '\\n'\n"


def test_cli_does_not_import_markdown_for_check():
    code = ("import sys, reportls.cli.main as c; c.main(['check', '--format', 'json', 'examples/reports/README.md']);"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown', 'pygls', 'lsprotocol')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_config_problem_said_once_for_a_folder(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".reportls.yaml").write_text("colour: blue\n")
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(make_report({7: words(10)}))
    code, _, err = run(capsys, str(tmp_path))
    assert code == 1
    assert err.splitlines() == [f"reportls: {tmp_path / '.reportls.yaml'}:1: unknown key `colour` (known: constraints, "
                                "figures, severity, git, checklist)", "reportls: 87 findings: 87 warnings"]


# --- reportls html and check --handin -------------------------------------------------------------
FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
def run_html(capsys, *argv):
    code = main(["html", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


TABLE = "| stage | tool |\n| --- | --- |\n| build | docker |\n\n"
FENCE = "```bash\ndocker build .\n```\n\n"


def test_html_is_the_course_page_byte_for_byte(tmp_path, capsys):
    import markdown

    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    report.write_bytes(make_report({4: TABLE + FENCE + words(100)}, front_matter=True).replace("\n", "\r\n").encode())
    code, out, err = run_html(capsys, str(report))
    assert code == 0 and "wrote" in err
    written = (report.parent / "report.html").read_bytes()
    text = report.read_bytes().decode().replace("\r\n", "\n")  # report.py reads with universal newlines
    assert written == markdown.markdown(text[43:]).encode()
    assert "<table>" not in written.decode() and "| stage | tool |" in written.decode()


def test_html_follows_the_groups_report_py(tmp_path, capsys):
    import markdown

    report = tmp_path / "README.md"
    report.write_text(make_report({4: TABLE + words(100)}))
    (tmp_path / "report.py").write_text((FIXTURES / "html_tables.py").read_text())
    code, out, _ = run_html(capsys, str(report), "-o", "-")
    assert code == 0
    from reportls.handin.spec import read_html_spec

    spec = read_html_spec((FIXTURES / "html_tables.py").read_text())
    assert spec.extensions == ("tables",)
    assert out == markdown.markdown(report.read_text()[spec.start:], extensions=["tables"])
    assert "<table>" in out


def test_html_usage_errors(tmp_path, capsys):
    assert run_html(capsys, str(tmp_path / "nope.md"))[0] == 2
    assert run_html(capsys, str(tmp_path))[0] == 2


def test_check_handin_is_opt_in_and_python_markdown_stays_unimported(tmp_path):
    report = tmp_path / "README.md"
    report.write_text(make_report({4: FENCE + words(100)}))
    code = ("import sys, json; from reportls.cli.main import main; import io, contextlib; buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf): main(['check', '--format', 'json', sys.argv[1], *sys.argv[2:]])\n"
            "codes = [d['code'] for d in json.loads(buf.getvalue())['files'][0]['diagnostics']]\n"
            "print(json.dumps({'markdown': 'markdown' in sys.modules, 'handin': sorted(c for c in codes "
            "if c.startswith('handin-'))}))")
    root = __file__.rsplit("/tests/", 1)[0]
    plain = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, cwd=root)
    assert json.loads(plain.stdout) == {"markdown": False, "handin": []}
    handin = subprocess.run([sys.executable, "-c", code, str(report), "--handin"], capture_output=True, text=True,
                            cwd=root)
    assert json.loads(handin.stdout) == {"markdown": True, "handin": ["handin-code"]}


# --- an empty report is report.py's crash, not "not a report" ------------------------------------
INDEX_ERROR = "IndexError: list index out of range"  # what the typer report.py raises with no `Answer:`


def test_empty_report_at_the_template_place_is_the_crash(tmp_path, capsys, monkeypatch):
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    report.write_text("")
    code, out, err = run(capsys, "--format", "json", str(report))
    [f] = json.loads(out)["files"]
    assert code == 1 and "error" not in f and f["crash"] == INDEX_ERROR and err == ""
    [d] = f["diagnostics"]
    assert (d["code"], d["severity"], d["line"], d["character"]) == ("answer-count", "error", 0, 0)
    assert "no `Answer:` marker" in d["message"]
    monkeypatch.chdir(tmp_path)  # the default PATH, text output
    code, out, _ = run(capsys)
    assert code == 1 and "reports/README.md:1:" in out and "no `Answer:` marker" in out
    code, out, _ = run(capsys, "--format", "json", ".")  # a folder walk lists it too
    assert code == 1 and [f["path"] for f in json.loads(out)["files"]] == ["reports/README.md"]
    _stdin(monkeypatch, b"")  # the text of that file, read from standard input
    code, out, _ = run(capsys, "--format", "json", "--stdin-filename", "reports/README.md")
    assert code == 1 and json.loads(out)["files"][0]["crash"] == INDEX_ERROR


def test_explicit_profile_makes_any_file_a_report(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("")
    assert run(capsys, str(notes))[0] == 2  # auto: still not a report
    code, out, _ = run(capsys, "--format", "json", "--constraints", "2025", str(notes))
    f = json.loads(out)["files"][0]
    assert code == 1 and f["crash"] == INDEX_ERROR and [d["code"] for d in f["diagnostics"]] == ["answer-count"]
    code, out, _ = run(capsys, "--format", "json", "--constraints", "2023", str(notes))  # click: ValueError
    f = json.loads(out)["files"][0]
    assert code == 1 and f["crash"] == ("ValueError: Number of answers are different from the expected 27. "
                                        "Have you filled out every field?")
    assert [d["code"] for d in f["diagnostics"]] == ["answer-count"]


def test_folder_walk_after_an_undecodable_file_goes_on(tmp_path, capsys):
    (tmp_path / "a.md").write_bytes(make_report({7: "café " * 10}).encode("latin-1"))  # a report, not UTF-8
    (tmp_path / "b.md").write_text("# Notes\n")  # not a report: skipped, not a crash
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text("")
    code, out, _ = run(capsys, "--format", "json", str(tmp_path))
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [str(tmp_path / "a.md"), str(tmp_path / "reports" / "README.md")]
    assert "error" in files[0] and files[1]["crash"] == INDEX_ERROR and code == 2


def test_a_bad_config_value_is_exit_2_naming_file_and_line(passing, capsys):
    config = passing.parent / ".reportls.yaml"
    config.write_text("figures: figures\nseverity: {figure-case: warn}\n")
    code, out, err = run(capsys, str(passing))
    assert code == 2 and out == ""
    assert err == (f"reportls: {config}:2: severity: `figure-case: warn` is not one of error, warning, information, "
                   "hint, off\n")
    code, out, err = run(capsys, "--format", "json", str(passing))
    assert code == 2 and json.loads(out)["files"] == [{"path": str(passing), "error": err[len("reportls: "):-1]}]
    config.write_text("severity: {figure-case: warning, no-such-code: error}\n")  # unknown: said, not fatal
    code, _, err = run(capsys, str(passing))
    assert code == 0 and err == f"reportls: {config}:1: severity: unknown diagnostic code `no-such-code`\n"


def test_colour_rules():
    from reportls.cli.console import Palette, holds_unicode, wants_colour

    class Tty:
        encoding = "cp1252"

        def isatty(self):
            return True

    class Pipe(Tty):
        def isatty(self):
            return False

    assert wants_colour(Tty(), {}) and not wants_colour(Pipe(), {})
    assert wants_colour(Pipe(), {"FORCE_COLOR": "1"}) and not wants_colour(Tty(), {"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not wants_colour(Tty(), {"TERM": "dumb"}) and wants_colour(Tty(), {"NO_COLOR": ""})
    assert Palette(True)("error", "error") == "\x1b[1;31merror\x1b[0m" and Palette(False)("error", "error") == "error"
    assert not holds_unicode(Tty()) and holds_unicode(__import__("io").StringIO())
