"""`reportls check` as a student's console meets it, in a real subprocess: a cp1252 or ASCII stdout
(never a traceback; what the stream cannot hold is escaped, JSON stays valid), the report found
from three folders down, colour only on a terminal, `--exit-zero`, `reportls rule` and the help."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import git
from tests.integration.groups import PASSING_ANSWERS, write_report
from tests.reportgen import make_report

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")]
ROOT = Path(__file__).resolve().parents[2]
# an emoji, an arrow and a non-breaking hyphen in an answer, and a missing figure with a non-ASCII name
EXOTIC = ("We ship \U0001F600 fast \u2192 prod, a non\u2011breaking hyphen. "
          "![overview](figures/\u00dcbersicht_\u2192.png)")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "GITHUB_", "PYTHONIOENCODING", "NO_COLOR", "FORCE_COLOR", "LC_", "LANG"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path / "home"),
               GIT_CEILING_DIRECTORIES=str(tmp_path), LANG="C.UTF-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "server"), str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run(cwd: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportls", *args], cwd=cwd, capture_output=True,
                          env=environment(tmp_path, **env), timeout=120)


@pytest.fixture
def group(tmp_path):
    repo = tmp_path / "group"
    repo.mkdir()
    git(repo, "init", "-q")
    write_report(repo / "reports", make_report(PASSING_ANSWERS | {7: PASSING_ANSWERS[7] + " " + EXOTIC}))
    return repo


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_console_that_is_not_utf8_gets_the_report_escaped(group, tmp_path, encoding, fmt):
    reference = run(group, tmp_path, "check", "--format", fmt, PYTHONIOENCODING="utf-8")
    assert reference.returncode == 1 and "\u00dcbersicht_\u2192" in reference.stdout.decode("utf-8")
    done = run(group, tmp_path, "check", "--format", fmt, PYTHONIOENCODING=encoding)
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode(encoding, "replace")
    text = reference.stdout.decode("utf-8")
    if fmt == "json":  # valid JSON in the stream's own encoding, the same document
        assert json.loads(done.stdout.decode(encoding)) == json.loads(text)
    else:  # what the stream holds as it is, the rest escaped
        assert done.stdout == text.encode(encoding, "backslashreplace")
        shown = "\u00dcbersicht_\\u2192" if encoding == "cp1252" else "\\xdcbersicht_\\u2192"
        assert f"figures/{shown}.png".encode(encoding) in done.stdout
    assert done.stderr == reference.stderr.decode("utf-8").encode(encoding, "backslashreplace")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_posix_locale_without_utf8_mode(tmp_path, fmt):
    """LC_ALL=C with UTF-8 mode off: Python writes ASCII (no repository here: git reads of
    non-ASCII names are git.facts' business)."""
    reports = tmp_path / "plain" / "reports"
    write_report(reports, make_report(PASSING_ANSWERS | {7: PASSING_ANSWERS[7] + " " + EXOTIC}))
    done = run(reports.parent, tmp_path, "check", "--format", fmt, LC_ALL="C", PYTHONUTF8="0")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    out = done.stdout.decode("ascii")  # nothing but ASCII
    if fmt == "json":
        [f] = json.loads(out)["files"]
        assert any("figures/\u00dcbersicht_\u2192.png" in d["message"] for d in f["diagnostics"])
    else:
        assert "figures/\\xdcbersicht_\\u2192.png" in out


def test_the_report_is_found_from_three_folders_down(group, tmp_path):
    deep = group / "src" / "models" / "deep"
    deep.mkdir(parents=True)
    at_root = run(group, tmp_path, "check", PYTHONIOENCODING="utf-8")
    down = run(deep, tmp_path, "check", PYTHONIOENCODING="utf-8")
    assert down.returncode == at_root.returncode == 1
    shown = os.path.join("..", "..", "..", "reports", "README.md")
    assert down.stdout.decode() == at_root.stdout.decode().replace("reports/README.md", shown)
    assert down.stderr.decode().splitlines()[0] == f"reportls: checking {shown}"
    assert not at_root.stderr.decode().startswith("reportls: checking")
    # json names it the same way
    [f] = json.loads(run(deep, tmp_path, "check", "--format", "json").stdout)["files"]
    assert f["path"] == shown


def test_the_walk_stops_at_the_repository_root(group, tmp_path):
    inner = group / "vendor" / "lib"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")  # another repository inside: its root ends the walk
    (inner / "pkg").mkdir()
    done = run(inner / "pkg", tmp_path, "check")
    assert done.returncode == 2 and b"no report found" in done.stderr and done.stdout == b""
    # without any repository the walk goes up to the file system root
    loose = tmp_path / "loose"
    write_report(loose / "reports", make_report(PASSING_ANSWERS))
    (loose / "a" / "b" / "c").mkdir(parents=True)
    done = run(loose / "a" / "b" / "c", tmp_path, "check")
    assert done.returncode == 0
    assert done.stderr.decode().splitlines()[0] == f"reportls: checking {os.path.join('..', '..', '..', 'reports', 'README.md')}"


def test_colour_only_on_a_terminal(group, tmp_path):
    piped = run(group, tmp_path, "check")
    assert b"\x1b[" not in piped.stdout + piped.stderr
    forced = run(group, tmp_path, "check", FORCE_COLOR="1")
    assert b"\x1b[1;31merror\x1b[0m" in forced.stdout
    assert forced.stdout.replace(b"\x1b[0m", b"").count(b"\x1b[") and b"\x1b[" not in run(
        group, tmp_path, "check", FORCE_COLOR="1", NO_COLOR="1").stdout
    # a real terminal: colour; NO_COLOR still wins
    for extra, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "reportls", "check"], cwd=group, stdout=follower,
                                stderr=subprocess.PIPE, env=environment(tmp_path, TERM="xterm", **extra))
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait(timeout=120) == 1
        proc.stderr.close()
        assert (b"\x1b[1;31merror\x1b[0m" in b"".join(chunks)) is coloured


def test_exit_zero(group, tmp_path):
    done = run(group, tmp_path, "check", "--exit-zero")
    assert done.returncode == 0 and b"error [missing-figure]" in done.stdout
    assert run(group, tmp_path, "check", "--exit-zero", "missing.md").returncode == 2


def test_html_help_has_its_own_exit_codes_and_rule_explains_a_code(group, tmp_path):
    help_text = run(group, tmp_path, "html", "--help").stdout.decode()
    assert "a question fails" not in help_text and "0  the page was written" in help_text
    assert "a question fails" in run(group, tmp_path, "check", "--help").stdout.decode()
    from reportls.rules import RULES

    done = run(group, tmp_path, "rule", "figure-case")
    rule = RULES["figure-case"]
    assert done.returncode == 0
    assert done.stdout.decode().splitlines()[:7] == ["figure-case [error]", "", f"When: {rule.when}", "",
                                                     f"Why it matters: {rule.why}", "", f"Example: {rule.example}"]
    wrong = run(group, tmp_path, "rule", "figure-cas")
    assert wrong.returncode == 2 and wrong.stderr.decode() == ("reportls: no diagnostic code `figure-cas` "
                                                              "(did you mean figure-case, figure-location, figure-syntax?)\n")
    listing = run(group, tmp_path, "rule").stdout.decode().splitlines()
    assert len([line for line in listing if line and not line.startswith("`")]) == len(RULES)


def test_summary_counts_hidden_hints_and_says_how_to_show_them(tmp_path):
    reports = tmp_path / "plain" / "reports"
    write_report(reports, make_report(PASSING_ANSWERS | {7: PASSING_ANSWERS[7] + " see http://localhost:8000"}))
    done = run(reports.parent, tmp_path, "check")
    assert done.returncode == 0 and b"link-private" not in done.stdout
    assert done.stderr.decode() == ("reportls: 1 finding: 1 hint (1 hidden: --show-hints or --format json shows "
                                    "it)\n")
    shown = run(reports.parent, tmp_path, "check", "--show-hints")
    assert b"hint [link-private]" in shown.stdout
    assert shown.stderr.decode() == "reportls: 1 finding: 1 hint\n"


IMPORTS = ("import sys, reportls.cli.main as c; code = c.main(sys.argv[1:]); "
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'markdown', 'pygls', 'lsprotocol') "
           "or m in ('reportls.git.facts', 'reportls.checks.git', 'reportls.features', 'reportls.cli.fixing', "
           "'reportls.handin.render', 'json') "
           # what an ordinary check does without (each costs milliseconds of its start-up)
           "or m in ('argparse', 'subprocess', 'threading', 'contextlib', 'ast', 'dataclasses', 'typing', "
           "'markdown_it', 'imagesize', 'shutil', 'locale')))")


def imported(cwd: Path, tmp_path: Path, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", IMPORTS, *args], cwd=cwd, capture_output=True, text=True,
                          env=environment(tmp_path), timeout=120)
    names = eval(done.stdout.strip().splitlines()[-1])  # a printed list of module names
    return sorted({name.split(".")[0] if name.startswith("yaml") else name for name in names})


def test_a_run_imports_only_what_it_needs(group, tmp_path):
    loose = tmp_path / "loose"
    write_report(loose / "reports", make_report(PASSING_ANSWERS))
    # outside a repository, no config file, text output: no git code, no YAML, no markdown, no fixes
    assert imported(loose, tmp_path, "check") == []
    (loose / "reports" / ".reportls.yaml").write_text("figures: figures\n")
    assert imported(loose, tmp_path, "check") == ["yaml"]
    assert imported(group, tmp_path, "check") == ["reportls.checks.git", "reportls.git.facts"]
    assert "reportls.cli.fixing" in imported(group, tmp_path, "check", "--diff")


def test_inside_the_reports_folder_no_fallback_note(group, tmp_path):
    done = run(group / "reports", tmp_path, "check")
    assert not any(line.startswith(("reportls: checking", "reportls: no reports/README.md"))
                   for line in done.stderr.decode().splitlines())
    assert done.stdout.decode().startswith("README.md:")


def test_the_summary_counts_what_fix_then_fixes(group, tmp_path):
    report = group / "reports" / "README.md"
    report.write_text(report.read_text().replace("](figures/a.png)", "](figures/A.png)"))
    n = report.read_text().count("](figures/A.png)")
    assert n == 5
    done = run(group, tmp_path, "check")
    assert f"{n} fixable with `reportls check --fix`)" in done.stderr.decode()
    fixed = run(group, tmp_path, "check", "--fix")
    assert f"reportls: reports/README.md: fixed {n} findings (figure-case {n})" in fixed.stderr.decode()


def test_the_cli_knows_the_fixable_figure_codes():
    from reportls.cli.main import FIGURE_FIX_CODES
    from reportls.features.autofix import FIGURE_FIX_CODES as CORE

    assert FIGURE_FIX_CODES == CORE


def test_links_to_the_own_repository_are_checked_against_its_refs(tmp_path):
    """git is read in a thread of its own (with the refs the links name) while the report is checked."""
    repo = tmp_path / "own"
    repo.mkdir()
    git(repo, "init", "-q")
    link = "https://github.com/me/proj/blob/main/src/nothere.py"
    write_report(repo / "reports", make_report(PASSING_ANSWERS | {
        7: PASSING_ANSWERS[7] + f" [code]({link}) [report](https://github.com/me/proj/blob/main/reports/README.md)"}))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=S", "-c", "user.email=s@x", "commit", "-q", "-m", "report")
    git(repo, "remote", "add", "origin", "https://github.com/me/proj")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    done = run(repo, tmp_path, "check", "--format", "json")
    [f] = json.loads(done.stdout)["files"]
    own = [d["message"] for d in f["diagnostics"] if d["code"] == "link-own-repo"]
    assert own == ["`src/nothere.py` is not in your repository's `main`: the link shows GitHub's 404 page."]
