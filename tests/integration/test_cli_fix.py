"""`reportls check --fix` and `--diff` in a real git repository, as a subprocess: the figure-link
fixes with one right answer and (with `--handin`) the editor's verified hand-in fix-all, applied
to the report file only, atomically, CRLF and BOM kept; a second `--fix` changes nothing; `--diff`
writes nothing and shows exactly what `--fix` writes."""

from __future__ import annotations

import json
import os
import shutil
import stat
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
FIXED_CODES = ("figure-case", "handin-code", "handin-list")
# Q4: a list glued to a paragraph and a fenced block (hand-in), a figure written from the repository
# root; Q14: its figure with the wrong letter case
Q4 = PASSING_ANSWERS[4] + "\n\nWe used:\n- Cloud Build\n- Buckets\n\n```bash\nmake data\nmake train\n```\n\n" \
     "![loss](reports/figures/loss.png)"
Q14 = PASSING_ANSWERS[14].replace("figures/a.png", "figures/A.png")


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "NO_COLOR", "FORCE_COLOR"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path / "home"),
               GIT_CEILING_DIRECTORIES=str(tmp_path), PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "server"), str(ROOT), env.get("PYTHONPATH")]))
    return env


def check(repo: Path, tmp_path: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportls", "check", *args], cwd=repo, capture_output=True,
                          env=environment(tmp_path), timeout=300, input=stdin)


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of the work tree and git's index, by path."""
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and (".git" not in p.relative_to(repo).parts or p.name == "index")}


def crlf_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


@pytest.fixture
def group(tmp_path):
    repo = tmp_path / "group"
    repo.mkdir()
    git(repo, "init", "-q")
    path = write_report(repo / "reports", "")
    (repo / "reports" / "figures" / "loss.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path.write_bytes(crlf_bom(make_report(PASSING_ANSWERS | {4: Q4, 14: Q14})))
    (repo / ".gitignore").write_text("*.log\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=S", "-c", "user.email=s@x", "commit", "-q", "-m", "report")
    return repo


def changed_lines(patch: bytes, needle: bytes) -> tuple[int, int]:
    """(removed, added) lines of a unified diff that hold ``needle``."""
    lines = [line for line in patch.split(b"\n") if needle in line and not line.startswith((b"---", b"+++"))]
    return sum(line.startswith(b"-") for line in lines), sum(line.startswith(b"+") for line in lines)


def codes(done: subprocess.CompletedProcess) -> list[str]:
    [f] = json.loads(done.stdout)["files"]
    return sorted(d["code"] for d in f["diagnostics"])


def test_fix_applies_the_unambiguous_fixes_to_the_report_only(group, tmp_path):
    report = group / "reports" / "README.md"
    before = codes(check(group, tmp_path, "--handin", "--format", "json"))
    assert {"figure-case", "handin-code", "handin-list", "missing-figure"} <= set(before)
    os.chmod(report, 0o640)
    files = snapshot(group)
    done = check(group, tmp_path, "--handin", "--fix")
    err = done.stderr.decode()
    assert done.returncode == 0, err  # nothing left that fails
    lines = err.splitlines()
    assert lines[0].startswith("reportls: reports/README.md: fixed ")
    assert "figure-case 1" in lines[0] and "handin-code 1" in lines[0] and "handin-list 1" in lines[0]
    assert "reportls: reports/README.md: [figure-case] `figures/A.png` -> `figures/a.png`" in lines
    assert ("reportls: reports/README.md: [missing-figure] `reports/figures/loss.png` -> `figures/loss.png`"
            in lines)
    # the fences were words to report.py: the count change is said, as the fix title says it
    [count] = [line for line in lines if "Q4: report.py's count" in line]
    assert count.startswith("reportls: reports/README.md: Q4: report.py's count -2 words: ") and count.endswith(", within 100-200")
    after = snapshot(group)
    assert {k for k in after if after[k] != files.get(k)} == {"reports/README.md"}  # no other file, no temp file
    assert set(after) == set(files)
    data = report.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")  # BOM and CRLF kept
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    left = codes(check(group, tmp_path, "--handin", "--format", "json"))
    assert not [c for c in left if c in FIXED_CODES or c == "missing-figure"]
    # a second --fix changes nothing and says nothing about fixing
    again = check(group, tmp_path, "--handin", "--fix")
    assert again.returncode == 0 and report.read_bytes() == data
    assert "fixed" not in again.stderr.decode()


def test_diff_writes_nothing_and_shows_what_fix_writes(group, tmp_path):
    files = snapshot(group)
    done = check(group, tmp_path, "--handin", "--diff")
    assert done.returncode == 1  # there is something to fix
    assert snapshot(group) == files
    patch = done.stdout
    assert patch.startswith(b"--- a/reports/README.md\n+++ b/reports/README.md\n@@ ")
    assert changed_lines(patch, b"figures/A.png") == (1, 0) and changed_lines(patch, b"(figures/a.png)") == (0, 1)
    applied = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], cwd=group, input=patch,
                             capture_output=True, env=environment(tmp_path))
    assert applied.returncode == 0, applied.stderr
    by_diff = (group / "reports" / "README.md").read_bytes()
    git(group, "checkout", "--", "reports/README.md")
    assert check(group, tmp_path, "--handin", "--fix").returncode == 0
    assert (group / "reports" / "README.md").read_bytes() == by_diff
    # nothing left: an empty diff, and the verdict's exit code
    clean = check(group, tmp_path, "--handin", "--diff")
    assert clean.returncode == 0 and clean.stdout == b""


def test_without_handin_only_the_figure_links_and_never_a_guess(group, tmp_path):
    report = group / "reports" / "README.md"
    text = report.read_bytes().decode("utf-8")
    # a missing figure with two close names: the fix would be a guess
    (group / "reports" / "figures" / "train_loss.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (group / "reports" / "figures" / "train_lost.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = text.replace("```bash", "![t](figures/train_los.png)\r\n\r\n```bash")
    report.write_bytes(text.encode("utf-8"))
    done = check(group, tmp_path, "--fix")
    assert done.returncode == 1  # the guess is left, an error
    new = report.read_bytes().decode("utf-8")
    assert "figures/train_los.png" in new and "```bash" in new  # no guess, no hand-in fix without --handin
    assert "figures/a.png" in new and "reports/figures/loss.png" not in new
    assert done.stderr.decode().splitlines()[0] == "reportls: reports/README.md: fixed 2 findings (figure-case 1, missing-figure 1)"


def test_fix_refuses_stdin_and_diff_reads_it(group, tmp_path):
    text = (group / "reports" / "README.md").read_bytes()
    refused = check(group, tmp_path, "--fix", "-", stdin=text)
    assert refused.returncode == 2 and refused.stdout == b""
    assert refused.stderr.decode() == ("reportls: --fix cannot write back to standard input: use --diff to see the "
                                       "fixes\n")
    shown = check(group, tmp_path, "--diff", "--stdin-filename", "reports/README.md", "-", stdin=text)
    assert shown.returncode == 1 and shown.stdout.startswith(b"--- a/reports/README.md\n")
    assert changed_lines(shown.stdout, b"figures/A.png") == (1, 0)
    assert changed_lines(shown.stdout, b"(figures/a.png)") == (0, 1)


SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.md")) if (SHARED / "seeds").is_dir() else []


@pytest.mark.skipif(not SEEDS, reason=f"no seed reports in {SHARED / 'seeds'}")
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_fix_on_the_real_reports(tmp_path, seed, ending):
    repo = tmp_path / "group"
    (repo / "reports" / "figures").mkdir(parents=True)
    git(repo, "init", "-q")
    text = seed.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", ending)
    report = repo / "reports" / "README.md"
    report.write_bytes(text.encode("utf-8"))
    before = codes(check(repo, tmp_path, "--handin", "--format", "json"))
    done = check(repo, tmp_path, "--handin", "--fix")
    assert b"Traceback" not in done.stderr
    fixed = report.read_bytes()
    assert fixed != text.encode("utf-8")  # every seed has something the hand-in fix-all fixes
    assert fixed.count(b"\n") == fixed.count(b"\r\n") if ending == "\r\n" else b"\r\n" not in fixed
    assert sorted(p.name for p in (repo / "reports").iterdir()) == ["README.md", "figures"]
    after = codes(check(repo, tmp_path, "--handin", "--format", "json"))
    assert len(after) < len(before)
    again = check(repo, tmp_path, "--handin", "--fix")  # nothing left that --fix would change
    assert report.read_bytes() == fixed and "fixed" not in again.stderr.decode()
    assert check(repo, tmp_path, "--handin", "--diff").stdout == b""
