"""The reading ``git.facts.read_git_facts`` did before its runs were started together: one git run at
a time, from the repository's root, each asking only what the earlier answers say is needed.  Kept
here as the reference the tests compare the real reading with (the same ``GitFacts``, field by field),
with the one-run readers it is made of (the package reads the same commands' answers with
``git.launch``, and parses them with the same functions)."""

from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Iterable

from reportls.git.facts import GitFacts, in_ci
from reportls.git.ignore import CHECK_IGNORE_OK, NEW_FIGURE_PROBE, IgnoreRule, ignore_rules, ignore_stdin
from reportls.git.launch import CHECK_IGNORE, FOR_EACH_REF, ORIGIN_URL, VERIFY_HEAD, count_args, ls_files_args, ls_tree_args
from reportls.git.refs import (
    RefNames,
    parse_counts,
    parse_github_remote,
    parse_origin_url,
    parse_refs,
    parse_tree_listing,
)
from reportls.git.repository import Refusal, RepoLocation, head_ref, is_under, join_path, locate, root_relative
from reportls.git.run import Budget, git_output, run_git
from reportls.git.worktree import IndexEntry, changed_paths, is_file_inside, parse_index_listing

def read_git_facts_one_at_a_time(report_path: Path, figure_paths=(), figures_dir: str = "figures",
                                 timeout: float = 30.0) -> GitFacts | None:
    budget = Budget(timeout)
    report_path = Path(report_path).absolute()
    location = locate(report_path.parent, budget)
    if isinstance(location, Refusal):
        return GitFacts.refused_by_git(location, report_path)
    if location is None:
        return None
    root, folder = location.root, location.prefix
    report = join_path(folder, report_path.name)
    figure_paths = tuple(dict.fromkeys(figure_paths))
    figure_files = {p: root_relative(folder, p) for p in figure_paths}
    asked = sorted({p for p in figure_files.values() if p})
    outside = [p for p in dict.fromkeys([report, *asked]) if not folder or not is_under(p, folder)]
    scope = ([folder] if folder else []) + outside
    pre_commit = os.environ.get("PRE_COMMIT") == "1"
    origin_url = read_origin_url(root, budget)
    refs = read_refs(root, budget) or RefNames()
    index = read_index(root, scope, budget)
    head = read_head_tree(root, scope, budget)
    tracked = None if index is None else frozenset(index)
    committed = None if head is None else frozenset(head)
    remote_ref = refs.default_remote_branch()
    existing = frozenset(p for p in asked if is_file_inside(root, folder, p))
    untracked = [p for p in [report, *asked] if tracked is None or p not in tracked]
    figures_folder = join_path(folder, figures_dir)
    probe_file = join_path(figures_folder, NEW_FIGURE_PROBE)
    probe_dir = figures_folder + "/" if figures_folder else probe_file
    count = remote_ref and not location.shallow
    remote_tree = list_tree(root, f"refs/remotes/{remote_ref}", scope, budget) if remote_ref else None
    behind, ahead = count_commits(root, remote_ref, folder, budget) if count else (None, None)
    decisions = check_ignore(location, [*untracked, probe_file, probe_dir], budget)
    changed = changed_paths(root, location.git_dir, index, head, budget, staged=not pre_commit)
    if pre_commit and committed is not None and tracked is not None:
        committed = committed | tracked
    ignored = None if decisions is None else {p: r for p in asked if (r := decisions.get(p))}
    new_rule = None if decisions is None else (decisions.get(probe_dir) or decisions.get(probe_file))
    report_rule = None if decisions is None or report not in untracked else decisions.get(report)
    return GitFacts(
        root=root, git_dir=location.git_dir, common_dir=location.common_dir, report=report, folder=folder,
        figures_dir=figures_dir, figure_paths=figure_paths, figure_files=figure_files, existing=existing,
        tracked=tracked, committed=committed, ignored=ignored, new_figure_rule=new_rule,
        report_ignored_by=report_rule,
        origin_url=origin_url, github=parse_github_remote(origin_url), refs=refs, remote_ref=remote_ref,
        remote_tree=remote_tree, commits_ahead=ahead, commits_behind=behind, changed=changed,
        complete=not budget.timed_out, shallow=location.shallow, detached=head_ref(location.git_dir) is None,
        ci=in_ci(os.environ), pre_commit=pre_commit,
    )


# --- one git run each -----------------------------------------------------------------------------


def read_refs(root: Path, budget: Budget) -> RefNames | None:
    out = git_output(FOR_EACH_REF, root, budget)
    return None if out is None else parse_refs(out)


def read_origin_url(root: Path, budget: Budget) -> str | None:
    return parse_origin_url(git_output(ORIGIN_URL, root, budget))


def read_tree(root: Path, ref: str, scope: list[str], budget: Budget) -> dict[str, str] | None:
    """``ref``'s tree within the pathspecs ``scope``: root-relative path -> object id."""
    out = git_output(ls_tree_args(ref, scope), root, budget, literal_paths=True)
    return None if out is None else parse_tree_listing(out)


def list_tree(root: Path, ref: str, scope: list[str], budget: Budget) -> frozenset[str] | None:
    """The root-relative paths of ``ref``'s tree within ``scope``."""
    tree = read_tree(root, ref, scope, budget)
    return None if tree is None else frozenset(tree)


def read_head_tree(root: Path, scope: list[str], budget: Budget) -> dict[str, str] | None:
    """HEAD's tree within the scope (path -> blob id); empty before the first commit (an unborn branch)."""
    tree = read_tree(root, "HEAD", scope, budget)
    if tree is None and not budget.timed_out:
        result = run_git(VERIFY_HEAD, root, budget)
        if result is not None and result.returncode == 1:
            return {}
    return tree


def count_commits(root: Path, remote_ref: str, folder: str, budget: Budget) -> tuple[int | None, int | None]:
    """(behind, ahead): commits changing the folder on the remote branch only / on HEAD only."""
    out = git_output(count_args(f"refs/remotes/{remote_ref}", [folder] if folder else []), root, budget,
                     literal_paths=True)
    return parse_counts(out)


def check_ignore(location: RepoLocation, paths: Iterable[str],
                 budget: Budget) -> dict[str, IgnoreRule | None] | None:
    """Root-relative path -> the rule that ignores it (a parent folder's rule included), or None.
    A path ending in ``/`` is asked about as a folder (it need not exist)."""
    paths = list(dict.fromkeys(paths))
    if not paths:
        return {}
    out = git_output(CHECK_IGNORE, location.root, budget, ok=CHECK_IGNORE_OK, stdin=ignore_stdin(paths))
    return ignore_rules(out, {p: p for p in paths}, location)


def read_index(root: Path, scope: list[str], budget: Budget) -> dict[str, IndexEntry] | None:
    """The index's entries within the scope (one per path: a conflicted path keeps its last stage)."""
    out = git_output(ls_files_args(scope), root, budget, literal_paths=True)
    return None if out is None else parse_index_listing(out)
