"""`reportls check --format github`, run as a command: every line is a GitHub Actions workflow command.

Lines are read back the way the Actions runner reads them (`::name k=v,k=v::data`, properties split
on `,` and the first `=`, then unescaped: `%0D` `%0A` `%3A` `%2C` `%25`), and compared with the JSON
output of the same run: same messages, same places.  Paths are relative to the repository root
(GITHUB_WORKSPACE, else the git root, else the current folder), also when run from a subfolder.
The documented workflow in docs/github-actions.md is validated against the GitHub workflow schema
with check-jsonschema (its vendored copy of the schema, no network).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportls.cli.formats import escape_data, escape_property, workflow_command
from tests.integration.groups import answer_line, failing_report, passing_report, write_report

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "reports"
REQUIRED = ("file", "line", "col", "endLine", "title")
COMMAND = re.compile(r"^::(?P<name>[A-Za-z-]+)(?: (?P<props>.*?))?::(?P<data>.*)$")


def unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """(name, properties, message) of one workflow command line; AssertionError if it is not one."""
    m = COMMAND.match(line)
    assert m, f"not a workflow command: {line!r}"
    props: dict[str, str] = {}
    for pair in (m.group("props") or "").split(","):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        assert sep and key, f"property without `=` in {line!r}"
        assert key not in props, f"property {key} twice in {line!r}"
        props[key] = unescape_property(value)
    return m.group("name"), props, unescape_data(m.group("data"))


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environ.update(env)
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "server"), environ.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "reportls", "check", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=120)


def commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    lines = out.splitlines()
    assert lines, "no output"
    parsed = [parse_command(line) for line in lines]
    for name, props, _ in parsed:
        assert name in ("error", "warning", "notice")
        assert all(k in props for k in REQUIRED), props
        assert all(props[k].isdigit() for k in ("line", "col", "endLine", "endColumn"))
    return parsed


@pytest.fixture
def repo(tmp_path) -> Path:
    """A group's repository: .git, the example report (with its figures) at reports/README.md."""
    repo = tmp_path / "group-repo"
    shutil.copytree(EXAMPLE, repo / "reports")
    (repo / ".git").mkdir()  # what makes a folder the git root
    (repo / "reports" / "sub").mkdir()
    return repo


def test_every_line_parses_and_matches_the_json_output(repo):
    gh = run(["--format", "github", "reports/README.md"], cwd=repo)
    js = run(["--format", "json", "reports/README.md"], cwd=repo)
    assert gh.returncode == js.returncode == 1 and "Traceback" not in gh.stderr
    parsed = commands(gh.stdout)
    data = json.loads(js.stdout)["files"][0]
    assert {p["file"] for _, p, _ in parsed} == {"reports/README.md"}

    text = (repo / "reports" / "README.md").read_text(encoding="utf-8")
    failing = [q for q in data["questions"] if not q["passed"]]
    errors = [(p, m) for n, p, m in parsed if n == "error" and p["title"] in ("reportls word-count",
                                                                              "reportls image-count")]
    assert [m for _, m in errors] == [
        f"Question {q['number']} failed check. Expected number of words to be between {q['min_words']} and "
        f"{q['max_words']} but got {q['words']}" for q in failing
    ]
    assert [int(p["line"]) for p, _ in errors] == [answer_line(text, q["number"]) for q in failing]

    level = {"error": "error", "warning": "warning", "information": "notice"}
    expected = sorted(
        (level[d["severity"]], f"reportls {d['code']}", d["message"], d["line"] + 1, d["character"] + 1,
         d["end_line"] + 1, d["end_character"] + 1)
        for d in data["diagnostics"] if d["code"] not in ("word-count", "image-count") and d["severity"] != "hint"
    )
    got = sorted((n, p["title"], m, int(p["line"]), int(p["col"]), int(p["endLine"]), int(p["endColumn"]))
                 for n, p, m in parsed if p["title"] not in ("reportls word-count", "reportls image-count", "reportls"))
    assert got == expected and any(g[1] == "reportls figure-case" for g in got)
    assert parsed[-1][0] == "notice" or any(n == "notice" for n, _, _ in parsed)
    total = [m for n, p, m in parsed if p["title"] == "reportls"]
    assert total == [f"Total number of questions passed: {data['passed']}/{data['total']}"]
    # errors first, then warnings, then notices (GitHub shows the first 10 of each kind per step)
    order = [{"error": 0, "warning": 1, "notice": 2}[n] for n, _, _ in parsed]
    assert order == sorted(order)


@pytest.mark.parametrize("cwd, arg", [(".", "reports/README.md"), ("reports", "README.md"),
                                      ("reports/sub", "../README.md"), ("reports/sub", "{abs}")])
def test_paths_are_relative_to_the_git_root_from_any_folder(repo, cwd, arg):
    arg = arg.format(abs=repo / "reports" / "README.md")
    out = run(["--format", "github", arg], cwd=repo / cwd)
    assert {p["file"] for _, p, _ in commands(out.stdout)} == {"reports/README.md"}


def test_github_workspace_wins_over_the_git_root(repo):
    out = run(["--format", "github", "README.md"], cwd=repo / "reports", GITHUB_WORKSPACE=str(repo.parent))
    assert {p["file"] for _, p, _ in commands(out.stdout)} == {"group-repo/reports/README.md"}
    shutil.rmtree(repo / ".git")
    out = run(["--format", "github", "README.md"], cwd=repo / "reports", GITHUB_WORKSPACE=str(repo))
    assert {p["file"] for _, p, _ in commands(out.stdout)} == {"reports/README.md"}


def test_without_git_or_workspace_paths_are_relative_to_the_current_folder(repo):
    shutil.rmtree(repo / ".git")
    out = run(["--format", "github", "reports/README.md"], cwd=repo)
    assert {p["file"] for _, p, _ in commands(out.stdout)} == {"reports/README.md"}
    out = run(["--format", "github", "README.md"], cwd=repo / "reports")
    assert {p["file"] for _, p, _ in commands(out.stdout)} == {"README.md"}


def test_values_are_escaped_like_the_actions_toolkit(tmp_path):
    # a folder name and a figure link with every character that needs escaping
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    reports = repo / "50%, v2: final" / "reports"
    text = failing_report(7, 20).replace("### Question 8\n", "### Question 8\n\n![x](figures/100%25,done:v1.png)\n", 1)
    write_report(reports, text)
    gh = run(["--format", "github", str(reports / "README.md")], cwd=repo)
    js = run(["--format", "json", str(reports / "README.md")], cwd=repo)
    raw = gh.stdout.splitlines()
    assert all("\r" not in line for line in raw)
    assert any("file=50%25%2C v2%3A final/reports/README.md," in line for line in raw)
    parsed = commands(gh.stdout)
    assert {p["file"] for _, p, _ in parsed} == {"50%, v2: final/reports/README.md"}
    messages = {m for _, _, m in parsed}
    missing = [d for d in json.loads(js.stdout)["files"][0]["diagnostics"] if d["code"] == "missing-figure"]
    assert missing and all(d["message"] in messages for d in missing)
    assert any("%" in d["message"] and "," in d["message"] for d in missing)


def test_escape_functions_round_trip():
    tricky = "50% done\r\nnext: a, b %0A literally"
    assert escape_data(tricky) == "50%25 done%0D%0Anext: a, b %250A literally"
    assert escape_property(tricky) == "50%25 done%0D%0Anext%3A a%2C b %250A literally"
    line = workflow_command("error", tricky, file=tricky, line=3, title="t:1,2")
    assert "\n" not in line and "\r" not in line
    assert parse_command(line) == ("error", {"file": tricky, "line": "3", "title": "t:1,2"}, tricky)


def test_failing_question_is_an_error_and_a_passing_report_only_a_notice(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    text = failing_report(7, 20)
    write_report(repo / "reports", text)
    out = run(["--format", "github"], cwd=repo)  # default path: reports/README.md
    assert out.returncode == 1
    assert commands(out.stdout) == [
        ("error", {"file": "reports/README.md", "line": str(answer_line(text, 7)), "col": "1",
                   "endLine": str(answer_line(text, 7)), "endColumn": "100", "title": "reportls word-count"},
         "Question 7 failed check. Expected number of words to be between 50 and 100 but got 20"),
        ("notice", {"file": "reports/README.md", "line": "1", "col": "1", "endLine": "1", "endColumn": "1",
                    "title": "reportls"}, "Total number of questions passed: 30/31"),
    ]
    write_report(repo / "reports", passing_report())
    out = run(["--format", "github"], cwd=repo)
    assert out.returncode == 0
    assert [(n, m) for n, _, m in commands(out.stdout)] == [("notice", "Total number of questions passed: 31/31")]


def test_step_summary_lists_every_report(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    text = failing_report(7, 20)
    write_report(repo / "a" / "reports", text)
    write_report(repo / "b" / "reports", passing_report())
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    out = run(["--format", "github", "."], cwd=repo, GITHUB_STEP_SUMMARY=str(summary))
    assert out.returncode == 1
    line = answer_line(text, 7)
    assert summary.read_text() == (
        "earlier step\n"
        "## reportls check\n\n"
        "| Report | Questions passed | Result |\n| --- | --- | --- |\n"
        "| `a/reports/README.md` | 30/31 | fails: Q7 |\n"
        "| `b/reports/README.md` | 31/31 | passes |\n\n"
        "### `a/reports/README.md`\n\n"
        f"- line {line}: Question 7 failed check. Expected number of words to be between 50 and 100 but got 20\n"
    )


def test_documented_workflow_is_a_valid_github_workflow(tmp_path):
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test extras")
    import yaml

    doc = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    workflows = [b for b in blocks if b.lstrip().startswith("name:") and "jobs:" in b]
    assert workflows, "docs/github-actions.md has no workflow"
    for i, block in enumerate(workflows):
        path = tmp_path / f"workflow{i}.yml"
        path.write_text(block)
        out = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                              str(path)], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        data = yaml.safe_load(block)
        assert {"push", "pull_request"} <= set(data[True] if True in data else data["on"])  # YAML 1.1: on -> True
        runs = [s.get("run", "") for job in data["jobs"].values() for s in job["steps"]]
        assert any(("reportls check --format github" if i == 0 else "pre-commit run") in r for r in runs)
