"""git runs started together (``git.launch``, ``git.run.start_git``): the reading that takes their
answers gives the very facts the reading one run at a time gave (``git_sequential``), in every kind
of repository; the first round starts every read that needs no answer from git; whatever was started
for nothing (a refusal, another default branch) is ended and never read as something else."""

from __future__ import annotations

import shutil
import sys
import time

import pytest

from reportls.checks.repository import ref_trees
from reportls.git import launch as launch_module
from reportls.git.facts import finish_git_facts, read_git_facts
from reportls.git.launch import Launch, first_round, whole_tree_args
from reportls.git.refs import RefTreeIndex
from reportls.git.run import Budget, start_git
from reportls.report.parse import parse_report
from tests.gitrepo import add_origin, git, write
from tests.unit import git_repos
from tests.unit.git_repos import by_subprocess, commit
from tests.unit.git_sequential import read_git_facts_one_at_a_time

isolated_git, template_repo, repo, starter = (git_repos.isolated_git, git_repos.template_repo, git_repos.repo,
                                             git_repos.starter)  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

FIGURES = ("figures/a.png", "figures/b.png", "figures/ignored.png", "../assets/c.png", "../../out.png",
           "figures/gone.png")


def _figures(root):
    write(root / "reports" / "figures" / "a.png", "a")
    write(root / "reports" / "figures" / "b.png", "b")
    write(root / "reports" / "figures" / "ignored.png", "i")
    write(root / "assets" / "c.png", "c")
    write(root / ".gitignore", "ignored.png\n")


def _clone(repo, tmp_path, *args):
    """``repo`` pushed to a bare origin (``origin/HEAD`` set), a figure committed there, cloned with ``args``."""
    _figures(repo)
    commit(repo, "reports/figures/a.png", "assets/c.png", ".gitignore")
    bare = add_origin(repo)
    git(bare, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "-c", "protocol.file.allow=always", "clone", "-q", *args, bare.as_uri(), str(clone))
    _figures(clone)
    git(clone, "config", "remote.origin.url", "https://github.com/group/project.git")  # (nothing fetches)
    return clone


def with_origin_head(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    write(clone / "reports" / "README.md", "# Exam report\n\nChanged.\n")  # a work-tree change
    commit(clone, "reports/figures/b.png")  # committed, not pushed
    return clone


def without_origin_head(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    git(clone, "remote", "set-head", "origin", "-d")  # origin/main is read by name
    git(clone, "config", "remote.origin.url", str(tmp_path / "origin.git"))  # not on GitHub
    return clone


def origin_head_naming_a_gone_branch(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    git(clone, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone")
    return clone


def origin_head_naming_another_branch(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    git(clone, "update-ref", "refs/remotes/origin/dev", "HEAD~0")
    git(clone, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/dev")
    return clone


def shallow_clone(repo, tmp_path, monkeypatch):
    return _clone(repo, tmp_path, "--depth=1")


def partial_clone(repo, tmp_path, monkeypatch):
    return _clone(repo, tmp_path, "--filter=blob:none")


def ci_detached_checkout(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path, "--depth=1")
    git(clone, "checkout", "-q", "--detach")
    monkeypatch.setenv("CI", "true")
    return clone


def pre_commit_staged(repo, tmp_path, monkeypatch):
    _figures(repo)
    git(repo, "add", "reports/figures/a.png")
    monkeypatch.setenv("PRE_COMMIT", "1")
    return repo


def worktree(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    other = tmp_path / "wt"
    git(clone, "worktree", "add", "-q", "-b", "feature", str(other))
    _figures(other)
    return other


def no_remote(repo, tmp_path, monkeypatch):
    _figures(repo)
    commit(repo, "reports/figures/a.png")
    (repo / "reports" / "README.md").unlink()  # a tracked file deleted
    write(repo / "reports" / "README.md", "# Exam report\n")
    return repo


def unborn_head(repo, tmp_path, monkeypatch):
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "reports" / "README.md", "# Exam report\n")
    _figures(root)
    git(root, "add", "reports/README.md", "reports/figures/a.png")
    return root


def report_at_the_root(repo, tmp_path, monkeypatch):
    clone = _clone(repo, tmp_path)
    write(clone / "README.md", "# Exam report\n")
    write(clone / "figures" / "a.png", "a")
    commit(clone, "README.md", "figures/a.png")
    return clone


def changed_file_with_a_filter(repo, tmp_path, monkeypatch):
    _figures(repo)
    write(repo / ".gitattributes", "*.png filter=lfs\n")
    commit(repo, "reports/figures/a.png", "reports/figures/b.png", ".gitattributes")
    write(repo / "reports" / "figures" / "a.png", "other bytes")
    return repo


def skip_worktree_figure_under_an_ignore_rule(repo, tmp_path, monkeypatch):
    _figures(repo)
    commit(repo, "reports/figures/ignored.png")
    git(repo, "update-index", "--skip-worktree", "reports/figures/ignored.png")
    return repo


def refused(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    return repo


SCENARIOS = [with_origin_head, without_origin_head, origin_head_naming_a_gone_branch,
             origin_head_naming_another_branch, shallow_clone, partial_clone, ci_detached_checkout,
             pre_commit_staged, worktree, no_remote, unborn_head, report_at_the_root,
             changed_file_with_a_filter, skip_worktree_figure_under_an_ignore_rule, refused]


def _report(root, scenario):
    return root / ("README.md" if scenario is report_at_the_root else "reports/README.md")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_runs_started_together_give_the_facts_of_one_run_at_a_time(repo, tmp_path, monkeypatch, scenario, starter):
    """Both ways of starting git (posix_spawn with ``-C``, subprocess in the folder) against the
    reading one run at a time with subprocess, as it began."""
    root = scenario(repo, tmp_path, monkeypatch)
    report = _report(root, scenario)
    expected = by_subprocess(read_git_facts_one_at_a_time, report, FIGURES)
    assert read_git_facts_one_at_a_time(report, FIGURES) == expected
    assert expected is not None
    assert read_git_facts(report, FIGURES) == expected
    launch = first_round(report, whole_tree=True)  # as the command line starts it
    assert finish_git_facts(launch, report, FIGURES, whole_tree=True) == expected
    if expected.refused is not None:
        assert launch.started() > 1  # the others were started with rev-parse, then ended
    else:  # the trees for the link checks, with the default branch listed along: as ref_trees lists them
        report = parse_report("# Exam report\n\n[code](https://github.com/group/project/blob/main/assets/c.png)\n")
        given = RefTreeIndex(expected.root, expected.refs)
        if launch.default_branch_tree is not None:
            given.add(expected.default_branch, launch.default_branch_tree)
        assert ref_trees(report, expected, given)._trees == ref_trees(report, expected)._trees
        assert (launch.default_branch_tree is not None) == (expected.github is not None
                                                            and expected.remote_ref is not None)


@pytest.mark.parametrize("scenario", [with_origin_head, refused, shallow_clone], ids=lambda s: s.__name__)
def test_every_run_is_read_or_ended(repo, tmp_path, monkeypatch, scenario):
    root = scenario(repo, tmp_path, monkeypatch)
    launch = first_round(root / "reports" / "README.md", whole_tree=True)
    finish_git_facts(launch, root / "reports" / "README.md", FIGURES)
    assert all(run.reaped() for run in launch._runs.values())


def _rounds(monkeypatch):
    """Record every run started and every answer read, in order."""
    events: list[tuple[str, str]] = []
    real_start = launch_module.start_git

    def start(args, *a, **k):
        events.append(("start", args[0]))
        run = real_start(args, *a, **k)
        real_result = run.result

        def result():
            events.append(("read", args[0]))
            return real_result()

        run.result = result
        return run

    monkeypatch.setattr(launch_module, "start_git", start)
    return events


def _starts_per_round(events):
    """The runs started before each answer that was waited for (a new round starts once an answer is read)."""
    rounds, current, reading = [], [], False
    for kind, name in events:
        if kind == "start":
            if reading and current:
                rounds.append(current)
                current = []
            reading = False
            current.append(name)
        else:
            reading = True
    return [*rounds, current] if current else rounds


def test_a_clone_is_read_in_two_rounds(repo, tmp_path, monkeypatch):
    root = with_origin_head(repo, tmp_path, monkeypatch)
    events = _rounds(monkeypatch)
    launch = first_round(root / "reports" / "README.md", whole_tree=True)
    facts = finish_git_facts(launch, root / "reports" / "README.md", FIGURES, whole_tree=True)
    assert facts.remote_ref == "origin/main" and facts.commits_ahead == 1 and facts.changed == ("reports/README.md",)
    # first: where the repository is, origin's URL, the refs, the index and HEAD's tree under the
    # report's folder; then all at once: origin/main's tree under the folder, the counts, origin/main
    # whole (for the link checks), which paths are ignored, and the figure outside the folder
    # (../assets/c.png) in the index, HEAD and origin/main
    assert _starts_per_round(events) == [
        ["rev-parse", "config", "for-each-ref", "ls-files", "ls-tree"],
        ["ls-tree", "rev-list", "ls-tree", "check-ignore", "ls-files", "ls-tree", "ls-tree"]]
    assert launch.default_branch_tree is not None


def test_no_whole_tree_is_listed_for_an_origin_not_on_github(repo, tmp_path, monkeypatch):
    root = without_origin_head(repo, tmp_path, monkeypatch)  # origin: a local folder
    events = _rounds(monkeypatch)
    launch = first_round(root / "reports" / "README.md", whole_tree=True)
    facts = finish_git_facts(launch, root / "reports" / "README.md", ["figures/a.png"], whole_tree=True)
    assert (facts.remote_ref, facts.github) == ("origin/main", None)
    assert _starts_per_round(events) == [["rev-parse", "config", "for-each-ref", "ls-files", "ls-tree"],
                                         ["ls-tree", "rev-list", "check-ignore"]]
    assert launch.default_branch_tree is None
    assert ref_trees(parse_report("# Exam report\n"), facts)._trees == {}  # the link checks ask only for GitHub


def test_a_report_at_the_root_is_read_in_two_rounds(repo, tmp_path, monkeypatch):
    root = report_at_the_root(repo, tmp_path, monkeypatch)
    events = _rounds(monkeypatch)
    facts = read_git_facts(root / "README.md", ["figures/a.png"])
    assert (facts.folder, facts.remote_ref, facts.report_tracked) == ("", "origin/main", True)
    assert _starts_per_round(events) == [["rev-parse", "config", "for-each-ref"],
                                         ["rev-list", "check-ignore", "ls-files", "ls-tree", "ls-tree"]]


def test_origin_is_read_while_the_figures_are_found(repo, tmp_path, monkeypatch):
    """The figures may come later (the command line imports the checks that find them): origin's
    reads are started before they are asked for, the rest right after."""
    root = with_origin_head(repo, tmp_path, monkeypatch)
    events = _rounds(monkeypatch)

    def figures():
        events.append(("figures", ""))
        return ["figures/a.png"]

    launch = first_round(root / "reports" / "README.md", whole_tree=True)
    facts = finish_git_facts(launch, root / "reports" / "README.md", figures, whole_tree=True)
    assert facts == read_git_facts_one_at_a_time(root / "reports" / "README.md", ["figures/a.png"])
    started = [(kind, name) for kind, name in events if kind != "read"]
    assert started == [("start", "rev-parse"), ("start", "config"), ("start", "for-each-ref"), ("start", "ls-files"),
                       ("start", "ls-tree"), ("start", "ls-tree"), ("start", "rev-list"), ("start", "ls-tree"),
                       ("figures", ""), ("start", "check-ignore")]


def test_a_refusal_reads_as_before_and_starts_nothing_more(repo, tmp_path, monkeypatch):
    root = with_origin_head(repo, tmp_path, monkeypatch)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    events = _rounds(monkeypatch)
    facts = read_git_facts(root / "reports" / "README.md", FIGURES)
    assert facts.refused is not None and facts.root == root
    assert facts == read_git_facts_one_at_a_time(root / "reports" / "README.md", FIGURES)
    assert [name for kind, name in events if kind == "read"] == ["rev-parse"]
    assert len(_starts_per_round(events)) == 1


def test_many_figures_go_through_standard_input_after_the_start(repo, starter):
    figures = [f"figures/plot-{n:04d}-with-a-long-name.png" for n in range(400)]  # over a pipe's first page
    for name in figures[:3]:
        write(repo / "reports" / name, "png")
    write(repo / ".gitignore", "plot-0001*\n")
    facts = read_git_facts(repo / "reports" / "README.md", figures)
    assert facts == read_git_facts_one_at_a_time(repo / "reports" / "README.md", figures)
    assert set(facts.ignored) == {"reports/figures/plot-0001-with-a-long-name.png"}
    assert facts.untracked_figures == tuple(f"reports/{name}" for name in figures[:3])


def test_the_command_lines_preload_the_default_branch_for_the_link_checks(repo, tmp_path, monkeypatch):
    from reportls.cli.inputs import GitReading

    root = with_origin_head(repo, tmp_path, monkeypatch)
    path = root / "reports" / "README.md"
    report = parse_report("# Exam report\n\n![a](figures/a.png)\n")
    reading = GitReading(path, report, "figures")
    facts = reading.facts()
    assert facts == read_git_facts_one_at_a_time(path, ["figures/a.png"])
    loaded = ref_trees(report, facts)
    assert reading.trees._trees == loaded._trees and "reports/figures/a.png" in reading.trees._trees["main"]


def test_a_launch_keeps_one_run_per_command_line(repo):
    launch = Launch(Budget(5))
    first = launch.start(whole_tree_args("HEAD"), repo)
    assert launch.start(whole_tree_args("HEAD"), repo) is first
    assert launch.start(whole_tree_args("refs/remotes/origin/main"), repo) is not first
    assert launch.output(whole_tree_args("HEAD"), repo).split(b"\0")[:2] == [b"reports", b"reports/README.md"]
    assert launch.output(whole_tree_args("refs/remotes/origin/main"), repo) is None  # no origin: exit 128
    assert launch.started() == 2


@pytest.mark.skipif(sys.platform == "win32", reason="a shell-script git")
def test_a_started_run_that_hangs_is_ended_at_its_deadline(repo, tmp_path, monkeypatch, starter):
    slow = tmp_path / "slow-bin"  # a git whose child (holding the pipes) outlives it
    write(slow / "git", f"#!/bin/sh\n{shutil.which('sleep')} 5\necho done\n").chmod(0o755)
    monkeypatch.setenv("PATH", str(slow))
    budget = Budget(0.3)
    start = time.monotonic()
    runs = [start_git(["status"], repo, budget) for _ in range(3)]
    assert runs[0].result() is None and budget.timed_out
    for run in runs[1:]:
        run.discard()
    assert time.monotonic() - start < 2.0
    assert all(run.reaped() for run in runs)
