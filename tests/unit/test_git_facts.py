"""Git facts for a report (issue 16) and own-repository refs (issue 18), with the real ``git`` in
temporary repositories; the ignore-file quick fix applied to the real repository and re-checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportls.checks.git_status import facts_json, handin_status
from reportls.git import run as git_run
from reportls.git.facts import FigureGitState, GitFacts, figure_git_states, in_ci, read_git_facts
from reportls.git.ignore import NEW_FIGURE_PROBE, IgnoreRule
from reportls.git.refs import GitHubRepo, RefTreeIndex, parse_github_remote, path_in_ref, paths_in_ref
from reportls.git.repository import Refusal, locate, locate_repository
from reportls.git.run import Budget, git_env, path_bytes
from reportls.git.worktree import blob_id, changed_paths, parse_index_listing, read_index, worktree_matches
from reportls.lsp.gitcache import GitCache
from reportls.git.ignorefix import IgnoreFix, candidate_lines, propose_ignore_fix
from tests.gitrepo import isolate, git, add_origin, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)





def commit(repo: Path, *paths: str, message: str = "work") -> None:
    git(repo, "add", "-f", "--", *paths)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    """Made once per module (git runs are the slow part of these tests); ``repo`` copies it."""
    root = tmp_path_factory.mktemp("template") / "project"
    root.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Student", "GIT_AUTHOR_EMAIL": "s123456@student.dtu.dk",
           "GIT_COMMITTER_NAME": "Student", "GIT_COMMITTER_EMAIL": "s123456@student.dtu.dk"}
    write(root / "reports" / "README.md", "# Exam report\n")
    for args in (["init", "-q", "-b", "main"], ["add", "reports/README.md"], ["commit", "-q", "-m", "report"]):
        subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return root


@pytest.fixture
def repo(tmp_path, template_repo) -> Path:
    """A project with ``reports/README.md`` committed on ``main``."""
    return Path(shutil.copytree(template_repo, tmp_path / "project", symlinks=True))




def facts_for(repo: Path, *figures: str, report: str = "reports/README.md") -> GitFacts:
    facts = read_git_facts(repo / report, figures)
    assert facts is not None
    return facts


HANDIN = "Hand-in (origin/main as of last fetch): "


def state(facts: GitFacts, figure: str) -> str:
    return figure_git_states(facts)[figure].state


# ---------------------------------------------------------------------------------------------
# index and ignore rules


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


# ---------------------------------------------------------------------------------------------
# the remote and the hand-in status


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


# ---------------------------------------------------------------------------------------------
# where the report is, and where git cannot help


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
    write(slow / "git", "#!/bin/sh\nsleep 5\n").chmod(0o755)
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


# ---------------------------------------------------------------------------------------------
# issue 18: origin on GitHub, refs, paths in refs


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("https://github.com/dtu-mlops/group7", ("dtu-mlops", "group7")),
    ("https://github.com/dtu-mlops/group7/", ("dtu-mlops", "group7")),
    ("https://user:token@github.com/Owner/My.Repo.git", ("Owner", "My.Repo")),
    ("http://www.github.com/o/r", ("o", "r")),
    ("git@github.com:dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("github.com:o/r", ("o", "r")),
    ("ssh://git@github.com/dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("ssh://git@ssh.github.com:443/o/r.git", ("o", "r")),
    ("GIT@GITHUB.COM:O/R.GIT", ("O", "R")),
    ("https://gitlab.com/o/r.git", None),
    ("https://github.com.evil.example/o/r", None),
    ("https://github.com/o", None),
    ("https://github.com/o/r/tree/main", None),
    ("git@bitbucket.org:o/r.git", None),
    ("/home/student/origin.git", None),
    ("", None),
    (None, None),
])
def test_parse_github_remote(url, expected):
    assert parse_github_remote(url) == (GitHubRepo(*expected) if expected else None)


def test_github_blob_url_quotes_the_path():
    repo = GitHubRepo("o", "r")
    assert repo.blob_url("main", "reports/figures/cloud bill.png") == (
        "https://github.com/o/r/blob/main/reports/figures/cloud%20bill.png")
    assert repo == ("o", "r")  # what reportls.checks.links takes


def test_refs_branches_remote_branches_and_tags(repo):
    add_origin(repo)
    git(repo, "branch", "feature/x")
    git(repo, "tag", "v1.0")
    git(repo, "tag", "-a", "-m", "hand-in", "handin")
    git(repo, "push", "-q", "origin", "feature/x")
    refs = facts_for(repo).refs
    assert refs.local_branches == {"main", "feature/x"}
    assert refs.remote_branches == {"origin/main", "origin/feature/x"}
    assert refs.origin_branches == {"main", "feature/x"}
    assert refs.tags == {"v1.0", "handin"}
    assert refs.names() == {"main", "feature/x", "origin/main", "origin/feature/x", "v1.0", "handin"}
    assert refs.github_ref("main") == "refs/remotes/origin/main"
    assert refs.github_ref("v1.0") == "refs/tags/v1.0"
    assert refs.github_ref("deleted-branch") is None


def test_path_in_ref_true_false_and_unknown_ref(repo):
    write(repo / "src" / "api.dockerfile")
    write(repo / "docs" / "cloud bill.md")
    commit(repo, "src/api.dockerfile", "docs/cloud bill.md")
    git(repo, "tag", "-a", "-m", "hand-in", "handin")
    assert path_in_ref(repo, "main", "src/api.dockerfile") is True
    assert path_in_ref(repo, "main", "src") is True
    assert path_in_ref(repo, "main", "src/") is True
    assert path_in_ref(repo, "main", "") is True
    assert path_in_ref(repo, "main", "docs/cloud bill.md") is True
    assert path_in_ref(repo, "handin", "src/api.dockerfile") is True
    assert path_in_ref(repo, "main", "src/api.dockerfile ") is False
    assert path_in_ref(repo, "main", "src/api.dockerfil") is False
    assert path_in_ref(repo, "HEAD~1", "src/api.dockerfile") is False
    assert path_in_ref(repo, "deleted-branch", "src/api.dockerfile") is None
    assert paths_in_ref(repo, "main", ["src", "nope", "reports/README.md"]) == {
        "src": True, "nope": False, "reports/README.md": True}


def test_ref_tree_index_answers_without_running_git_after_load(repo, monkeypatch):
    add_origin(repo)
    write(repo / "src" / "train.py")
    commit(repo, "src/train.py")  # local only: not on origin/main
    index = RefTreeIndex(repo, facts_for(repo).refs)
    assert index("main", "src/train.py") is None  # not loaded
    index.load(["main", "deleted-branch"])
    monkeypatch.setattr(subprocess, "run", _no_git)
    assert index("main", "reports/README.md") is True
    assert index("main", "reports") is True
    assert index("main", "src/train.py") is False  # "main" on GitHub is origin/main
    assert index("deleted-branch", "x") is None


# ---------------------------------------------------------------------------------------------
# the quick fix for an ignore rule


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


# ---------------------------------------------------------------------------------------------
# the cache


def _no_git(*args, **kwargs):
    raise AssertionError("git was run")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingReader:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return read_git_facts(*args, **kwargs)


def test_cache_get_never_runs_git(repo, monkeypatch):
    cache = GitCache()
    report = repo / "reports" / "README.md"
    assert cache.get(report) is None
    facts = cache.refresh(report, ["figures/a.png"])
    assert facts is not None
    monkeypatch.setattr(subprocess, "run", _no_git)
    monkeypatch.setattr(subprocess, "Popen", _no_git)
    assert cache.get(report) is facts
    assert cache.is_fresh(report, ["figures/a.png"]) is True
    assert cache.refresh(report, ["figures/a.png"]) is facts  # same stamp, within the TTL


def test_cache_refreshes_when_the_stamp_changes_the_ttl_passes_or_figures_change(repo):
    clock, reader = Clock(), CountingReader()
    cache = GitCache(ttl=5.0, clock=clock, reader=reader)
    report = repo / "reports" / "README.md"
    write(repo / "reports" / "figures" / "a.png")
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "untracked"
    cache.refresh(report, ["figures/a.png"])
    assert reader.calls == 1
    git(repo, "add", "reports/figures/a.png")  # the index changes
    assert cache.is_fresh(report, ["figures/a.png"]) is False
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "staged"
    assert reader.calls == 2
    git(repo, "commit", "-q", "-m", "figure")  # HEAD's branch moves
    assert state(cache.refresh(report, ["figures/a.png"]), "figures/a.png") == "ok"
    assert reader.calls == 3
    cache.refresh(report, ["figures/a.png", "figures/b.png"])  # a new link
    assert reader.calls == 4
    clock.now += 6.0
    cache.refresh(report, ["figures/a.png"])
    assert reader.calls == 5
    cache.invalidate(repo / "reports" / "figures" / "a.png")  # a watched-file event in the repo
    assert cache.get(report) is None
    cache.refresh(report, ["figures/a.png"])
    cache.invalidate()
    assert cache.get(report) is None
    assert reader.calls == 6


def test_cache_stamp_sees_a_new_gitignore(repo):
    reader = CountingReader()
    cache = GitCache(reader=reader)
    report = repo / "reports" / "README.md"
    cache.refresh(report)
    write(repo / "reports" / ".gitignore", "*.png\n")
    assert cache.refresh(report).new_figure_rule.label == "reports/.gitignore:1 *.png"
    assert reader.calls == 2


def test_cache_without_repository_sees_git_init(tmp_path):
    report = write(tmp_path / "later" / "reports" / "README.md", "# r\n")
    reader = CountingReader()
    cache = GitCache(reader=reader)
    assert cache.refresh(report) is None
    assert cache.refresh(report) is None
    assert reader.calls == 1
    git(tmp_path / "later", "init", "-q", "-b", "main")
    assert cache.refresh(report) is not None
    assert reader.calls == 2


def test_read_only_environment():
    env = git_env()
    assert (env["GIT_OPTIONAL_LOCKS"], env["GIT_TERMINAL_PROMPT"], env["LC_ALL"]) == ("0", "0", "C")
    assert "GIT_DIR" not in env and "GIT_ASKPASS" not in env


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


# ---------------------------------------------------------------------------------------------
# nothing from the repository runs; the work tree compared here (issue 26)


def test_blob_id_is_gits_own(repo):
    data = "naïve\r\nline\n".encode()
    path = write(repo / "blob.txt")
    path.write_bytes(data)
    assert blob_id(data) == git(repo, "hash-object", "--no-filters", "blob.txt").strip()
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_index_listing_with_stat_data(repo):
    write(repo / "reports" / "figures" / "we\nird name.png", "x")
    git(repo, "add", "-A")
    out = subprocess.run(["git", "ls-files", "-z", "-s", "-v", "--debug"], cwd=repo, capture_output=True,
                         check=True).stdout
    entries = parse_index_listing(out)
    assert sorted(entries) == ["reports/README.md", "reports/figures/we\nird name.png"]
    entry = entries["reports/figures/we\nird name.png"]
    st = os.stat(repo / "reports" / "figures" / "we\nird name.png")
    assert (entry.mode, entry.oid, entry.stage, entry.tag) == ("100644", blob_id(b"x"), 0, "H")
    assert (entry.mtime_ns, entry.size) == (st.st_mtime_ns, 1)
    # without the stat lines (``--debug`` not given) the entries are still read
    plain = subprocess.run(["git", "ls-files", "-z", "-s", "-v"], cwd=repo, capture_output=True, check=True).stdout
    assert {p: e.oid for p, e in parse_index_listing(plain).items()} == {p: e.oid for p, e in entries.items()}


def test_worktree_matches_by_stat_then_by_content(repo):
    path = repo / "reports" / "README.md"
    entry = read_index(repo, ["reports"], Budget(5))["reports/README.md"]
    index_mtime = os.stat(repo / ".git" / "index").st_mtime_ns
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    os.utime(path, (1, 1))  # stat data differ: the content decides
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    path.write_text("# Exam report\r\n", encoding="utf-8")  # CRLF of the LF blob: the same content
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is True
    path.write_text("# Exam report, changed\n", encoding="utf-8")
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False
    path.unlink()
    assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)  # a FIFO where a file was: changed, and never opened
        assert worktree_matches(repo, "reports/README.md", entry, index_mtime) is False


def test_git_runs_with_nothing_of_the_repository_turned_on():
    assert set(git_run._READ_ONLY_CONFIG[0::2]) == {"-c"}
    keys = dict(item.split("=", 1) for item in git_run._READ_ONLY_CONFIG[1::2])
    assert keys["core.fsmonitor"] == "false" and keys["protocol.allow"] == "never"
    assert keys["protocol.ext.allow"] == keys["protocol.ssh.allow"] == keys["protocol.file.allow"] == "never"
    assert not os.path.exists(keys["core.hooksPath"])
    assert git_env()["GIT_NO_LAZY_FETCH"] == "1"


def test_path_bytes_never_fails_on_a_name():
    assert path_bytes("figures/café.png") in ("figures/café.png".encode(), os.fsencode("figures/café.png"))
    assert path_bytes("bad\ud800.png") == b"bad\xed\xa0\x80.png"


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


def test_hashing_the_work_tree_stops_at_the_deadline(repo):
    index = read_index(repo, ["reports"], Budget(5))
    head = {p: e.oid for p, e in index.items()}
    assert changed_paths(repo, repo / ".git", index, head, Budget(5)) == ()
    spent = Budget(0)
    assert changed_paths(repo, repo / ".git", index, head, spent) is None and spent.timed_out
