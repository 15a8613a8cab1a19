"""``reportls check``: formats, exit codes, default path, bad input, no pygls import."""

import json
import subprocess
import sys

import pytest
from tests.reportgen import make_report, words

from reportls.cli import main


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
    passing.write_text(text[:j] + words(20) + text[j + len(words(60)) :])
    code, out, _ = run(capsys, str(passing))
    assert code == 1
    assert "Question 7 failed check. Expected number of words to be between 50 and 100 but got 20" in out
    assert out.strip().endswith("Total number of questions passed: 30/31")


def test_json_schema(passing, capsys):
    code, out, _ = run(capsys, "--format", "json", str(passing))
    data = json.loads(out)
    assert data["schema"] == 1
    f = data["files"][0]
    assert set(f) == {"path", "template", "constraints_from", "passed", "total", "crash", "questions", "diagnostics"}
    assert (f["template"], f["constraints_from"], f["passed"], f["total"], f["crash"]) == ("2026", "builtin", 31, 31, None)
    q14 = f["questions"][13]
    assert q14 == {"number": 14, "line": q14["line"], "words": 251, "images": 1, "min_words": 200, "max_words": 300,
                   "min_images": 1, "max_images": 3, "passed": True}
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
    for path, needle in ((bad, "not UTF-8"), (tmp_path / "nope.md", "no such file"), (empty_dir, "no markdown report")):
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
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00bad")
    code, out, err = run(capsys, "--format", "json", str(tmp_path))
    files = json.loads(out)["files"]
    assert len(files) == 6 and sum(1 for f in files if "error" in f) == 1
    assert code == 2


def test_cli_does_not_import_pygls():
    code = ("import sys, reportls.cli as c; c.main(['check', '--format', 'json', 'examples/reports/README.md']);"
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
    assert code in (0, 1)
    assert "Traceback" not in err
    f = json.loads(out)["files"][0]
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
    from reportls.cli import _parser

    args = _parser().parse_args(["serve", "--stdio"])
    assert args.command == "serve" and args.stdio
