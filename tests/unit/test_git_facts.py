"""Git facts for a report (issue 16, issue 26): ``git.facts.read_git_facts`` with the real ``git`` in
temporary repositories, each figure's state, and the hand-in status line and JSON that show them
(``checks.git_status``)."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from reportls.checks.git_status import facts_json, handin_status
from reportls.git.facts import FigureGitState, GitFacts, figure_git_states, in_ci, read_git_facts
from reportls.git.refs import GitHubRepo, path_in_ref
from reportls.git.repository import Refusal, locate, locate_repository
from reportls.git.run import Budget
from reportls.lsp.gitcache import GitCache
from tests.gitrepo import add_origin, git, write
from tests.unit import git_repos
from tests.unit.git_repos import commit, facts_for, state

isolated_git, template_repo, repo = git_repos.isolated_git, git_repos.template_repo, git_repos.repo  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


HANDIN = "Hand-in (origin/main as of last fetch): "


def test_untracked_figure(repo):
    write(repo / "reports" / "figures" / "a.png")
    facts = facts_for(repo, "figures/a.png")
    assert facts.root == repo.resolve()
    assert (facts.report, facts.folder) == ("reports/README.md", "reports")
    states = figure_git_states(facts)
    assert states["figures/a.png"].state == "untracked"
    assert states["figures/a.png"].path == "reports/figures/a.png"
    assert facts.ignored == {}
    assert facts.new_figure_rule is None
    assert facts.untracked_figures == ("reports/figures/a.png",)


def test_committed_figure_without_remote_is_ok_and_staged_one_is_staged(repo):
    write(repo / "reports" / "figures" / "a.png")
    write(repo / "reports" / "figures" / "b.png")
    commit(repo, "reports/figures/a.png")
    git(repo, "add", "reports/figures/b.png")
    facts = facts_for(repo, "figures/a.png", "figures/b.png", "figures/gone.png")
    assert {p: s.state for p, s in figure_git_states(facts).items()} == {
        "figures/a.png": "ok", "figures/b.png": "staged", "figures/gone.png": "missing"}
    assert facts.remote_ref is None


def test_ignored_by_star_png_names_file_line_and_pattern(repo):
    write(repo / ".gitignore", "# build output\n__pycache__/\n*.png\n")
    write(repo / "reports" / "figures" / "a.png")
    facts = facts_for(repo, "figures/a.png")
    figure = figure_git_states(facts)["figures/a.png"]
    assert figure.state == "ignored"
    assert figure.rule.label == ".gitignore:3 *.png"
    assert (figure.rule.kind, figure.rule.path) == ("gitignore", repo.resolve() / ".gitignore")
    assert facts.new_figure_rule.label == ".gitignore:3 *.png"


@pytest.mark.parametrize("rules, label", [
    ("reports/\n", ".gitignore:1 reports/"),
    ("reports/figures/**\n", ".gitignore:1 reports/figures/**"),
    ("reports/figures/*\n", ".gitignore:1 reports/figures/*"),
    ("data/\nreports/**/*.png\n", ".gitignore:2 reports/**/*.png"),
])
def test_ignored_by_folder_rules(repo, rules, label):
    write(repo / ".gitignore", rules)
    write(repo / "reports" / "figures" / "a.png")
    facts = facts_for(repo, "figures/a.png")
    assert state(facts, "figures/a.png") == "ignored"
    assert facts.ignored["reports/figures/a.png"].label == label
    assert facts.new_figure_rule.label == label


def test_negation_under_an_ignored_folder_does_not_reinclude(repo):
    git(repo, "rm", "-q", "--cached", "reports/README.md")
    git(repo, "commit", "-q", "-m", "untrack")
    write(repo / ".gitignore", "reports\n!reports/README.md\n")
    write(repo / "reports" / "figures" / "a.png")
    facts = facts_for(repo, "figures/a.png")
    assert facts.report_tracked is False
    assert facts.report_ignored_by.label == ".gitignore:1 reports"
    assert facts.ignored["reports/figures/a.png"].label == ".gitignore:1 reports"


def test_tracked_figure_is_not_ignored_but_new_ones_would_be(repo):
    write(repo / ".gitignore", "*.png\n")
    write(repo / "reports" / "figures" / "a.png")
    commit(repo, "reports/figures/a.png", ".gitignore")  # force-added, as 3 of 71 groups did
    facts = facts_for(repo, "figures/a.png")
    assert state(facts, "figures/a.png") == "ok"
    assert facts.new_figure_rule.label == ".gitignore:1 *.png"


def test_new_figure_rule_when_the_figures_folder_does_not_exist_yet(repo):
    write(repo / ".gitignore", "figures/\n")
    facts = facts_for(repo)
    assert facts.new_figure_rule.label == ".gitignore:1 figures/"


def test_rule_in_info_exclude_and_in_a_global_excludes_file(repo, tmp_path):
    write(repo / ".git" / "info" / "exclude", "*.jpg\n")
    global_ignore = write(tmp_path / "global-ignore", "*.gif\n")
    git(repo, "config", "core.excludesFile", str(global_ignore))
    write(repo / "reports" / "figures" / "a.jpg")
    write(repo / "reports" / "figures" / "b.gif")
    facts = facts_for(repo, "figures/a.jpg", "figures/b.gif")
    jpg, gif = facts.ignored["reports/figures/a.jpg"], facts.ignored["reports/figures/b.gif"]
    assert (jpg.label, jpg.kind) == (".git/info/exclude:1 *.jpg", "info-exclude")
    assert (gif.label, gif.kind) == (f"{global_ignore}:1 *.gif", "global")


def test_paths_with_spaces_and_non_ascii_names(repo):
    figures = repo / "reports" / "figures"
    write(figures / "cloud bill.png")
    write(figures / "ø.png")
    write(figures / "fig[1].png")
    write(figures / "new ø plot.png")
    commit(repo, "reports/figures/cloud bill.png", "reports/figures/ø.png", "reports/figures/fig[1].png")
    write(repo / ".gitignore", "new*\n")
    facts = facts_for(repo, "figures/cloud bill.png", "figures/ø.png", "figures/fig[1].png",
                      "figures/new ø plot.png")
    assert {p: s.state for p, s in figure_git_states(facts).items()} == {
        "figures/cloud bill.png": "ok", "figures/ø.png": "ok", "figures/fig[1].png": "ok",
        "figures/new ø plot.png": "ignored"}
    assert facts.ignored["reports/figures/new ø plot.png"].label == ".gitignore:1 new*"


def test_figure_outside_the_report_folder_and_outside_the_repository(repo):
    write(repo / "docs" / "plot.png")
    commit(repo, "docs/plot.png")
    facts = facts_for(repo, "../docs/plot.png", "../../elsewhere.png")
    states = figure_git_states(facts)
    assert (states["../docs/plot.png"].state, states["../docs/plot.png"].path) == ("ok", "docs/plot.png")
    assert (states["../../elsewhere.png"].state, states["../../elsewhere.png"].path) == ("unknown", None)


def test_committed_but_not_pushed(repo):
    add_origin(repo)
    write(repo / "reports" / "figures" / "a.png")
    commit(repo, "reports/figures/a.png")
    facts = facts_for(repo, "figures/a.png")
    assert facts.remote_ref == "origin/main"
    assert facts.default_branch == "main"
    assert state(facts, "figures/a.png") == "unpushed"
    assert (facts.commits_ahead, facts.commits_behind) == (1, 0)
    assert handin_status(facts) == HANDIN + "1 local commit not on origin/main"
    git(repo, "push", "-q")
    facts = facts_for(repo, "figures/a.png")
    assert state(facts, "figures/a.png") == "ok"
    assert handin_status(facts) == HANDIN + "up to date"


def test_status_local_commits_and_uncommitted_changes(repo):
    add_origin(repo)
    write(repo / "src" / "train.py", "print()\n")
    commit(repo, "src/train.py")  # not in the report's folder: not counted
    for n in (1, 2):
        write(repo / "reports" / "README.md", f"# Exam report\n\nversion {n}\n")
        commit(repo, "reports/README.md")
    facts = facts_for(repo)
    assert handin_status(facts) == HANDIN + "2 local commits not on origin/main"
    write(repo / "reports" / "README.md", "# Exam report\n\nversion 3\n")
    facts = facts_for(repo)
    assert facts.uncommitted == ("reports/README.md",)
    assert handin_status(facts) == (
        HANDIN + "2 local commits and uncommitted changes not on origin/main")
    git(repo, "push", "-q")
    facts = facts_for(repo)
    assert handin_status(facts) == HANDIN + "uncommitted changes not on origin/main"


def test_untracked_linked_figure_counts_as_uncommitted(repo):
    add_origin(repo)
    write(repo / "reports" / "figures" / "a.png")
    write(repo / "reports" / "report.html")  # not linked, not tracked: not a change to the hand-in
    facts = facts_for(repo, "figures/a.png")
    assert facts.uncommitted == ("reports/figures/a.png",)
    assert handin_status(facts) == HANDIN + "uncommitted changes not on origin/main"
    assert handin_status(facts_for(repo)) == HANDIN + "up to date"


def test_report_not_on_origin(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "README.md", "# project\n")
    commit(root, "README.md")
    add_origin(root)
    write(root / "reports" / "README.md", "# Exam report\n")
    commit(root, "reports/README.md")
    facts = facts_for(root)
    assert facts.report_on_remote is False
    assert handin_status(facts) == HANDIN + "reports/README.md is not on origin/main"


def test_behind_the_remote_branch(repo):
    add_origin(repo)
    write(repo / "reports" / "README.md", "# Exam report\n\nfinal\n")
    commit(repo, "reports/README.md")
    git(repo, "push", "-q")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    facts = facts_for(repo)
    assert (facts.commits_ahead, facts.commits_behind) == (0, 1)
    assert handin_status(facts) == HANDIN + "origin/main has 1 commit not in your branch"


def test_no_remote_and_a_remote_never_fetched(repo, tmp_path):
    assert handin_status(facts_for(repo)) == "Hand-in: no remote, nothing is pushed"
    git(repo, "remote", "add", "origin", "git@github.com:dtu-group/mlops.git")
    facts = facts_for(repo)
    assert facts.github == GitHubRepo("dtu-group", "mlops")
    assert facts.remote_ref is None
    assert handin_status(facts) == (
        "Hand-in: origin has no main or master branch as of last fetch, nothing is pushed")


def test_default_branch_from_origin_head_else_main_else_master(repo):
    add_origin(repo)
    git(repo, "push", "-q", "origin", "main:trunk", "main:master")
    git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    assert facts_for(repo).remote_ref == "origin/trunk"
    git(repo, "symbolic-ref", "--delete", "refs/remotes/origin/HEAD")
    assert facts_for(repo).remote_ref == "origin/main"
    git(repo, "update-ref", "-d", "refs/remotes/origin/main")
    assert facts_for(repo).remote_ref == "origin/master"


def test_json_is_plain_data(repo):
    add_origin(repo)
    write(repo / ".gitignore", "*.png\n")
    write(repo / "reports" / "figures" / "a.png")
    data = json.loads(json.dumps(facts_json(facts_for(repo, "figures/a.png"))))
    assert data == {
        "root": str(repo.resolve()),
        "report": "reports/README.md",
        "report_tracked": True,
        "report_ignored_by": None,
        "remote_ref": "origin/main",
        "report_on_remote": True,
        "commits_ahead": 0,
        "commits_behind": 0,
        "uncommitted": ["reports/figures/a.png"],
        "status": HANDIN + "uncommitted changes not on origin/main",
        "new_figures_ignored_by": {"source": ".gitignore", "line": 1, "pattern": "*.png",
                                   "kind": "gitignore"},
        "figures": {"figures/a.png": {"state": "ignored", "path": "reports/figures/a.png",
                                      "rule": {"source": ".gitignore", "line": 1, "pattern": "*.png",
                                               "kind": "gitignore"}}},
        "github": None,
        "complete": True,
        "shallow": False,
        "ci_checkout": False,
        "refused": None,
    }


def test_report_at_the_repository_root(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "README.md", "# Exam report\n")
    write(root / "figures" / "a.png")
    write(root / "src" / "big.bin")
    commit(root, "README.md")
    facts = facts_for(root, "figures/a.png", report="README.md")
    assert (facts.report, facts.folder) == ("README.md", "")
    assert facts.tracked == {"README.md"}  # only the asked paths, never the whole tree
    assert state(facts, "figures/a.png") == "untracked"


def test_report_in_a_nested_project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "mlops" / "reports" / "README.md", "# Exam report\n")
    commit(root, "mlops/reports/README.md")
    facts = facts_for(root, report="mlops/reports/README.md")
    assert (facts.report, facts.folder) == ("mlops/reports/README.md", "mlops/reports")
    assert facts.report_tracked is True


def test_no_repository(tmp_path):
    write(tmp_path / "plain" / "reports" / "README.md", "# Exam report\n")
    assert read_git_facts(tmp_path / "plain" / "reports" / "README.md", ["figures/a.png"]) is None


def test_report_folder_that_does_not_exist(tmp_path):
    assert read_git_facts(tmp_path / "nowhere" / "README.md") is None


def test_git_not_on_path(repo, tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert read_git_facts(repo / "reports" / "README.md", ["figures/a.png"]) is None
    assert GitCache().refresh(repo / "reports" / "README.md") is None
    assert path_in_ref(repo, "main", "reports/README.md") is None


@pytest.mark.skipif(sys.platform == "win32", reason="a shell-script git")
def test_a_git_that_hangs_is_cut_off_by_the_deadline(repo, tmp_path, monkeypatch):
    slow = tmp_path / "slow-bin"
    write(slow / "git", f"#!/bin/sh\n{shutil.which('sleep')} 5\n").chmod(0o755)  # (PATH holds only this git)
    monkeypatch.setenv("PATH", str(slow))
    import time

    start = time.monotonic()
    assert read_git_facts(repo / "reports" / "README.md", timeout=0.3) is None
    assert time.monotonic() - start < 2.0


def test_worktree_with_a_git_file(repo, tmp_path):
    worktree = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(worktree))
    assert (worktree / ".git").is_file()
    write(worktree / "reports" / "figures" / "a.png")
    facts = facts_for(worktree, "figures/a.png")
    assert facts.root == worktree.resolve()
    assert facts.common_dir.resolve() == (repo / ".git").resolve()
    assert facts.git_dir.parent.name == "worktrees"
    assert facts.refs.local_branches == {"main", "feature"}
    assert state(facts, "figures/a.png") == "untracked"


def test_bare_repository(tmp_path):
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    write(bare / "reports" / "README.md", "# Exam report\n")
    assert read_git_facts(bare / "reports" / "README.md") is None


def test_corrupt_repository(repo):
    write(repo / ".git" / "HEAD", "garbage\n")
    assert read_git_facts(repo / "reports" / "README.md") is None


def test_unborn_branch(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "reports" / "README.md", "# Exam report\n")
    write(root / "reports" / "figures" / "a.png")
    git(root, "add", "reports")
    facts = facts_for(root, "figures/a.png")
    assert facts.committed == frozenset()
    assert state(facts, "figures/a.png") == "staged"


def test_case_only_difference_is_reported_as_case(repo):
    facts = facts_for(repo, "figures/A.png")
    fake = GitFacts(**{**facts.__dict__, "existing": frozenset({"reports/figures/A.png"}),
                       "tracked": frozenset({"reports/README.md", "reports/figures/a.png"})})
    figure = figure_git_states(fake)["figures/A.png"]
    assert (figure.state, figure.tracked_as) == ("case", "reports/figures/a.png")


def test_read_git_facts_does_not_write_the_repository(repo):
    add_origin(repo)
    write(repo / "reports" / "figures" / "a.png")
    readme = repo / "reports" / "README.md"
    os.utime(readme, ns=(readme.stat().st_atime_ns, readme.stat().st_mtime_ns + 5_000_000_000))
    git_dir = repo / ".git"  # a plain `git status` would now rewrite the index (stale stat data)
    before = {p: p.stat().st_mtime_ns for p in git_dir.rglob("*") if p.is_file()}
    assert facts_for(repo, "figures/a.png").complete
    after = {p: p.stat().st_mtime_ns for p in git_dir.rglob("*") if p.is_file()}
    assert after == before


def test_git_variables_of_a_hook_do_not_redirect_the_reading(repo, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    facts = facts_for(repo)
    assert facts.root == repo.resolve()
    assert facts.report_tracked is True


def test_submodule_with_a_git_file(repo, tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    git(sub, "init", "-q", "-b", "main")
    write(sub / "reports" / "README.md", "# Exam report\n")
    commit(sub, "reports/README.md")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "project")
    assert (repo / "project" / ".git").is_file()
    facts = facts_for(repo, report="project/reports/README.md")
    assert (facts.root, facts.report) == ((repo / "project").resolve(), "reports/README.md")
    assert facts.report_tracked is True


@pytest.mark.parametrize(("env", "expected"), [
    ({}, False), ({"CI": "true"}, True), ({"CI": "1"}, True), ({"CI": "false"}, False), ({"CI": ""}, False),
    ({"GITHUB_ACTIONS": "true"}, True), ({"GITHUB_ACTIONS": "false"}, False)])
def test_in_ci(env, expected):
    assert in_ci(env) is expected


def test_refused_facts_say_why_and_nothing_else(tmp_path):
    refusal = Refusal(str(tmp_path / "their repo"))
    facts = GitFacts.refused_by_git(refusal, tmp_path / "their repo" / "reports" / "README.md")
    assert facts.report == "reports/README.md"
    assert handin_status(facts) == (
        f"Hand-in: unknown: git refuses to read {tmp_path / 'their repo'} (it belongs to another user), so nothing "
        f"about git is checked; to allow it: `git config --global --add safe.directory \"{tmp_path / 'their repo'}\"`")
    assert figure_git_states(facts, ["figures/a.png"]) == {"figures/a.png": FigureGitState("unknown", None)}


def test_dubious_ownership_is_a_refusal(repo, monkeypatch):
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    found = locate(repo / "reports", Budget(5))
    assert found == Refusal(str(repo))
    assert locate_repository(repo / "reports", Budget(5)) is None
    assert read_git_facts(repo / "reports" / "README.md").refused == found


def test_pre_commit_reads_the_index_as_the_commit(repo, monkeypatch):
    write(repo / "reports" / "figures" / "a.png", "png")
    git(repo, "add", "reports/figures/a.png")
    assert figure_git_states(read_git_facts(repo / "reports" / "README.md", ["figures/a.png"]))[
        "figures/a.png"].state == "staged"
    monkeypatch.setenv("PRE_COMMIT", "1")
    facts = read_git_facts(repo / "reports" / "README.md", ["figures/a.png"])
    assert figure_git_states(facts)["figures/a.png"].state == "ok" and facts.uncommitted == ()
