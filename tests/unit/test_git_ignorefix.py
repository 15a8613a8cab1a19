"""The ``figure-ignored`` quick fix (``git.ignorefix``): the proposed edit applied to the real
repository and re-checked with the real ``git check-ignore``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reportls.git.ignore import NEW_FIGURE_PROBE, IgnoreRule
from reportls.git.ignorefix import IgnoreFix, candidate_lines, propose_ignore_fix
from tests.gitrepo import git, write
from tests.unit import git_repos
from tests.unit.git_repos import facts_for

isolated_git, template_repo, repo = git_repos.isolated_git, git_repos.template_repo, git_repos.repo  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


OUTSIDE_PROBES = ["x.png", "data/x.png", "src/reports/x.png", "src/reports/figures/x.png", "figures/x.png",
                  "docs/README.md", "notes.txt", "data/raw/train.csv", "reports.png"]


def ignored_paths(repo: Path, paths: list[str]) -> set[str]:
    done = subprocess.run(["git", "check-ignore", "--stdin", "-z"], cwd=repo, capture_output=True,
                          input=b"".join(p.encode() + b"\0" for p in paths))
    assert done.returncode in (0, 1), done.stderr
    return {p.decode() for p in done.stdout.split(b"\0") if p}


def apply(fix: IgnoreFix) -> None:
    for edit in fix.edits:
        assert edit.path.read_bytes().decode("utf-8") == edit.old_text
        assert apply_insertions(edit.old_text, edit.insertions) == edit.new_text
        edit.path.write_bytes(edit.new_text.encode("utf-8"))


def apply_insertions(text: str, insertions) -> str:
    """What an editor does with the insertions (ASCII text: characters are UTF-16 units)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    for ins in sorted(insertions, key=lambda i: (i.line, i.character), reverse=True):
        offset = starts[ins.line] + ins.character
        text = text[:offset] + ins.text + text[offset:]
    return text


def fix_and_apply(repo: Path, rule: IgnoreRule | None = None) -> IgnoreFix:
    for p in OUTSIDE_PROBES:
        write(repo / p)
    before = ignored_paths(repo, OUTSIDE_PROBES)
    facts = facts_for(repo)
    rule = rule or facts.new_figure_rule
    assert rule is not None
    fix = propose_ignore_fix(repo, "reports/figures", rule)
    assert fix is not None
    apply(fix)
    new = f"reports/figures/{NEW_FIGURE_PROBE}"
    write(repo / new)
    assert ignored_paths(repo, [new, "reports/figures/sub/x.png", "reports/figures/"]) == set()
    assert facts_for(repo).new_figure_rule is None
    assert ignored_paths(repo, OUTSIDE_PROBES) == before
    return fix


@pytest.mark.parametrize("rules, added", [
    ("__pycache__/\n*.png\n*.log\n", ("!/reports/figures/**",)),
    ("reports/figures/**\n", ("!/reports/figures/**",)),
    ("reports/figures/*\n", ("!/reports/figures/**",)),
    ("reports/**/*.png\n", ("!/reports/figures/**",)),
    ("reports/figures/\n", ("!/reports/figures/",)),
    ("figures/\n", ("!/reports/figures/",)),
    ("reports/\n", ("!/reports/", "/reports/*", "!/reports/figures/")),
    ("reports\n!reports/README.md\n", ("!/reports/", "/reports/*", "!/reports/figures/")),
    ("/reports/**\n", ("!/reports/figures/", "!/reports/figures/**")),
])
def test_quick_fix_for_each_rule_shape(repo, rules, added):
    write(repo / ".gitignore", rules)
    fix = fix_and_apply(repo)
    assert [e.source for e in fix.edits] == [".gitignore"]
    assert fix.edits[0].added_lines == added
    assert fix.title == f"Stop ignoring reports/figures/: add {' '.join(added)} to .gitignore"


def test_quick_fix_inserts_right_after_the_rule_and_keeps_line_endings(repo):
    write(repo / ".gitignore", "")
    (repo / ".gitignore").write_bytes(b"# ours\r\n*.png\r\n*.log")
    fix = fix_and_apply(repo)
    edit = fix.edits[0]
    assert edit.new_text == "# ours\r\n*.png\r\n!/reports/figures/**\r\n*.log"
    assert [(i.line, i.character, i.text) for i in edit.insertions] == [(2, 0, "!/reports/figures/**\r\n")]


def test_quick_fix_after_a_last_line_without_newline(repo):
    write(repo / ".gitignore", "*.png")
    edit = fix_and_apply(repo).edits[0]
    assert edit.new_text == "*.png\n!/reports/figures/**\n"
    assert [(i.line, i.character, i.text) for i in edit.insertions] == [(0, 5, "\n!/reports/figures/**\n")]


def test_quick_fix_two_rules_in_two_files(repo):
    write(repo / ".gitignore", "reports/\n")
    write(repo / "reports" / ".gitignore", "*.png\n")
    fix = fix_and_apply(repo)
    assert {e.source: e.added_lines for e in fix.edits} == {
        ".gitignore": ("!/reports/", "/reports/*", "!/reports/figures/"),
        "reports/.gitignore": ("!/figures/**",)}
    assert [r.label for r in fix.rules] == [".gitignore:1 reports/", "reports/.gitignore:1 *.png"]


def test_quick_fix_in_a_gitignore_inside_the_figures_folder(repo):
    write(repo / "reports" / "figures" / ".gitignore", "*\n")
    fix = fix_and_apply(repo)
    assert {e.source: e.added_lines for e in fix.edits} == {"reports/figures/.gitignore": ("!*",)}


def test_quick_fix_in_info_exclude(repo):
    write(repo / ".git" / "info" / "exclude", "*.png\n")
    fix = fix_and_apply(repo)
    assert [(e.source, e.path, e.added_lines) for e in fix.edits] == [
        (".git/info/exclude", (repo / ".git" / "info" / "exclude").resolve(), ("!/reports/figures/**",))]


def test_no_quick_fix_for_a_global_excludes_file(repo, tmp_path):
    global_ignore = write(tmp_path / "global-ignore", "*.png\n")
    git(repo, "config", "core.excludesFile", str(global_ignore))
    rule = facts_for(repo).new_figure_rule
    assert (rule.kind, rule.label) == ("global", f"{global_ignore}:1 *.png")
    assert propose_ignore_fix(repo, "reports/figures", rule) is None


def test_no_quick_fix_when_nothing_ignores_the_folder(repo):
    assert propose_ignore_fix(repo, "reports/figures", IgnoreRule(".gitignore", 1, "*.png")) is None


def test_quick_fix_keeps_the_meaning_of_existing_ignored_files(repo):
    write(repo / ".gitignore", "reports\n")
    write(repo / "src" / "reports" / "out.csv")  # ignored by the same rule, outside reports/
    fix_and_apply(repo)
    assert ignored_paths(repo, ["src/reports/out.csv", "src/reports/", "reports/notes.md"]) == {
        "src/reports/out.csv", "src/reports/", "reports/notes.md"}


def test_candidate_lines_escape_special_names():
    assert candidate_lines("", "my reports/fig[1]")[0] == ("!/my reports/fig\\[1]/**",)
    assert candidate_lines("reports", "reports/figures") == [
        ("!/figures/**",), ("!/figures/",), ("!/figures/", "!/figures/**")]


def test_quick_fix_for_a_figures_folder_with_special_characters(repo):
    write(repo / ".gitignore", "*.png\n")
    folder = "reports/my figs[1]"
    fix = propose_ignore_fix(repo, folder, IgnoreRule(".gitignore", 1, "*.png"))
    assert fix.edits[0].added_lines == ("!/reports/my figs\\[1]/**",)
    apply(fix)
    write(repo / folder / "a.png")
    write(repo / "reports" / "my figs1" / "a.png")
    assert ignored_paths(repo, [f"{folder}/a.png", "reports/my figs1/a.png", "x.png"]) == {
        "reports/my figs1/a.png", "x.png"}
