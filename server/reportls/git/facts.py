"""What git knows about a report's folder, as plain data: the facts behind ``figure-untracked``,
``figure-ignored``, ``figure-unpushed``, the hand-in status line (issue 16) and the own-repository
links (issue 18).

Owns ``GitFacts``, ``read_git_facts`` and ``finish_git_facts`` (the one reading, in two rounds of
git runs started together within an overall deadline: the first round ``launch.first_round`` starts
at once, the second once the root and the refs are known; see ``launch`` and ``run``),
``FactsReading`` (the same reading in steps that never wait, for a caller without a thread), and
``FigureGitState``/``figure_git_states`` (what the facts say of each linked figure).  Anything that goes wrong (no repository, git not installed, a bare or corrupt
repository, a timeout, a nonzero exit) means "no git facts": ``None`` or a field left ``None``,
never an exception.  The sentences that show the facts are ``checks.git_status``'s.

The hand-in (what the course scrapes at the deadline) is the report's folder on the remote default
branch *as of the last fetch* (``refs.RefNames.default_remote_branch``).  ``commits_ahead`` counts
only local commits that change the report's folder (commits elsewhere do not change the hand-in);
uncommitted changes are changes to tracked files in the folder plus linked figures that are not in
the index.

Checkouts of one commit (issue 26): CI checks out a pull request's merge commit detached, at depth
1.  In a shallow repository commit counts are unknown (the cut hides the parents), and in CI or a
detached shallow checkout the hand-in line says what the scrape will read instead of "push".  A
repository git refuses to read ("dubious ownership") gives facts with ``refused`` set and nothing
else.  Under pre-commit (``PRE_COMMIT=1``) the index is the commit being made: a staged figure is
committed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from reportls.text.records import record
from pathlib import Path

from reportls.git.ignore import CHECK_IGNORE_OK, NEW_FIGURE_PROBE, IgnoreRule, ignore_rules, ignore_stdin
from reportls.git.launch import (
    CHECK_IGNORE,
    FOR_EACH_REF,
    ORIGIN_URL,
    REV_PARSE,
    VERIFY_HEAD,
    Launch,
    count_args,
    first_round,
    ls_files_args,
    ls_tree_args,
    whole_tree_args,
)
from reportls.git.refs import (
    GitHubRepo,
    RefNames,
    parse_counts,
    parse_github_remote,
    parse_origin_url,
    parse_refs,
    parse_tree_listing,
)
from reportls.git.repository import Refusal, head_ref, is_under, join_path, parse_location, root_relative
from reportls.git.run import GIT_TOTAL_BUDGET
from reportls.git.worktree import changed_paths, is_file_inside, parse_index_listing


@record(frozen=True)
class GitFacts:
    """What git says about one report and the figures it links (see the module docstring).

    Fields left ``None`` are unknown (git did not answer in time, or there is no remote branch).
    """

    root: Path  # the work tree's root
    git_dir: Path
    common_dir: Path
    report: str  # root-relative: "reports/README.md"
    folder: str  # the report's folder, root-relative: "reports" ("" at the root)
    figures_dir: str  # report-relative: "figures"
    figure_paths: tuple[str, ...]  # report-relative figure paths asked about
    figure_files: Mapping[str, str | None]  # report-relative -> root-relative (None: outside the work tree)
    existing: frozenset[str]  # root-relative asked paths that are files on disk
    tracked: frozenset[str] | None  # root-relative paths in the index (the folder and the asked paths)
    committed: frozenset[str] | None  # ... in HEAD's tree (empty before the first commit)
    ignored: Mapping[str, IgnoreRule] | None  # root-relative untracked asked path -> the rule ignoring it
    new_figure_rule: IgnoreRule | None  # the rule that would ignore a new file in the figures folder
    report_ignored_by: IgnoreRule | None  # the rule ignoring the report itself (when it is not tracked)
    origin_url: str | None
    github: GitHubRepo | None
    refs: RefNames
    remote_ref: str | None  # "origin/main": the remote default branch as of the last fetch
    remote_tree: frozenset[str] | None  # root-relative paths (folder and asked paths) on remote_ref
    commits_ahead: int | None  # local commits changing the report's folder, not on remote_ref
    commits_behind: int | None  # commits on remote_ref changing the folder, not in HEAD
    changed: tuple[str, ...] | None  # root-relative tracked paths under the folder with uncommitted changes
    complete: bool = True  # False when the deadline cut the reading short
    shallow: bool = False  # a shallow clone: commit counts cannot be known
    detached: bool = False  # HEAD names a commit, not a branch
    ci: bool = False  # running in CI (``CI`` or ``GITHUB_ACTIONS`` set)
    pre_commit: bool = False  # running as a pre-commit hook: the index is the commit being made
    refused: Refusal | None = None  # git refused the repository: every other field says nothing

    @classmethod
    def refused_by_git(cls, refusal: Refusal, report_path: Path) -> GitFacts:
        """The facts of a repository git refuses to read: none, and why."""
        root = Path(refusal.path)
        try:
            report = Path(os.path.relpath(report_path, root)).as_posix()
        except ValueError:  # another drive
            report = report_path.name
        return cls(root=root, git_dir=root / ".git", common_dir=root / ".git", report=report, folder="",
                   figures_dir="figures", figure_paths=(), figure_files={}, existing=frozenset(), tracked=None,
                   committed=None, ignored=None, new_figure_rule=None, report_ignored_by=None, origin_url=None,
                   github=None, refs=RefNames(), remote_ref=None, remote_tree=None, commits_ahead=None,
                   commits_behind=None, changed=None, refused=refusal)

    @property
    def one_commit_checkout(self) -> bool:
        """A checkout of one commit as CI makes it for a pull request: HEAD detached (on the merge
        commit), in a shallow clone or in CI.  What is on the remote branch is not this checkout's
        to push.  (CI on a branch checks the branch out: the usual reading holds there.)"""
        return self.detached and (self.shallow or self.ci)

    @property
    def default_branch(self) -> str | None:
        """origin's default branch name without ``origin/`` ("main"), for GitHub URLs."""
        return self.remote_ref.split("/", 1)[1] if self.remote_ref else None

    @property
    def report_tracked(self) -> bool | None:
        return None if self.tracked is None else self.report in self.tracked

    @property
    def report_on_remote(self) -> bool | None:
        return None if self.remote_tree is None else self.report in self.remote_tree

    @property
    def untracked_figures(self) -> tuple[str, ...]:
        """Root-relative linked figures on disk that are not in the index."""
        if self.tracked is None:
            return ()
        return tuple(sorted(p for p in self.existing if p not in self.tracked))

    @property
    def uncommitted(self) -> tuple[str, ...]:
        """Root-relative paths whose current state is not committed: changed tracked files under
        the report's folder and linked figures that are not in the index."""
        return tuple(sorted(set(self.changed or ()) | set(self.untracked_figures)))


def read_git_facts(report_path: Path, figure_paths: Iterable[str] = (), figures_dir: str = "figures",
                   timeout: float = GIT_TOTAL_BUDGET) -> GitFacts | None:
    """Read everything ``GitFacts`` holds for the report at ``report_path`` and the figures it links
    (report-relative paths, as decoded from the links).  None when git gives no facts at all."""
    return finish_git_facts(first_round(report_path, timeout), report_path, figure_paths, figures_dir)


def finish_git_facts(launch: Launch, report_path: Path,
                     figure_paths: Iterable[str] | Callable[[], Iterable[str]] = (), figures_dir: str = "figures",
                     *, whole_tree: bool = False) -> GitFacts | None:
    """``read_git_facts`` on the runs ``launch.first_round`` started for this report: their answers
    are taken, only what is still missing is started (all of it at once), and whatever was started
    for nothing is ended.  ``figure_paths`` may be a function: called once origin's reads, which need
    no figure, are started (the command line imports the checks that name the figures meanwhile).
    ``whole_tree``: list the whole tree of origin's default branch too when origin is on GitHub
    (``launch.whole_tree_args``), kept as ``launch.default_branch_tree`` for ``refs.RefTreeIndex.add``
    (None: not listed).  ``FactsReading`` is the same reading in steps."""
    return FactsReading(launch, report_path, figure_paths, figures_dir, whole_tree=whole_tree).finish()


class FactsReading:
    """``finish_git_facts`` in two steps, for a caller with other work to do meanwhile: ``advance()``
    never waits (once the first round's answers about the repository, origin's URL and the refs are
    in, it starts the second round), ``finish()`` waits for the rest and gives the facts."""

    def __init__(self, launch: Launch, report_path: Path,
                 figure_paths: Iterable[str] | Callable[[], Iterable[str]] = (), figures_dir: str = "figures",
                 *, whole_tree: bool = False):
        self.launch = launch
        self.report_path = Path(report_path).absolute()
        self.directory = self.report_path.parent
        self._figure_paths = figure_paths
        self.figures_dir = figures_dir
        self.whole_tree = whole_tree
        self._started = False  # the second round is started (or nothing more is to be read)
        self._early: GitFacts | None = None  # the facts when rev-parse alone decides them
        self._repository = True

    def advance(self) -> None:
        """Start the second round if the answers it needs are in; never waits."""
        if not self._started and all(self.launch.ready(args, self.directory)
                                     for args in (REV_PARSE, ORIGIN_URL, FOR_EACH_REF)):
            self._start_second_round()

    def finish(self) -> GitFacts | None:
        """The facts (waits for git's answers); every run nobody read is ended."""
        try:
            if not self._started:
                self._start_second_round()
            return self._read() if self._repository else self._early
        finally:
            self.launch.discard()

    def _start_second_round(self) -> None:
        self._started = True
        launch, directory = self.launch, self.directory
        location = parse_location(launch.result(REV_PARSE, directory), directory)
        if isinstance(location, Refusal):
            self._early, self._repository = GitFacts.refused_by_git(location, self.report_path), False
            return
        if location is None:
            self._repository = False
            return
        self.location = location
        root, folder = location.root, location.prefix
        self.report = report = join_path(folder, self.report_path.name)
        self.origin_url = parse_origin_url(launch.output(ORIGIN_URL, directory))  # (first round: done by now)
        self.github = github = parse_github_remote(self.origin_url)
        ref_output = launch.output(FOR_EACH_REF, directory)
        self.refs = refs = parse_refs(ref_output) if ref_output is not None else RefNames()
        self.remote_ref = remote_ref = refs.default_remote_branch()
        self.remote = remote = f"refs/remotes/{remote_ref}"
        self.count = count = remote_ref and not location.shallow  # a shallow history cannot count commits
        if remote_ref:  # origin's reads that need no figure: started before the figures are known
            if folder:
                launch.start(ls_tree_args(remote, ["."]), directory, literal_paths=True)
            if count:
                launch.start(count_args(remote, ["."] if folder else []), directory, literal_paths=True)
            if self.whole_tree and github is not None:  # (the link checks list trees for GitHub only)
                launch.start(whole_tree_args(remote), directory)

        figure_paths = self._figure_paths
        self.figure_paths = figure_paths = tuple(dict.fromkeys(figure_paths() if callable(figure_paths)
                                                               else figure_paths))
        self.figure_files = figure_files = {p: root_relative(folder, p) for p in figure_paths}
        self.asked = asked = sorted({p for p in figure_files.values() if p})
        self.parts = parts = _scope_parts(directory, root, folder, [report, *asked])
        figures_folder = join_path(folder, self.figures_dir)
        self.probe_file = probe_file = join_path(figures_folder, NEW_FIGURE_PROBE)
        # "/": asked about as a folder
        self.probe_dir = probe_dir = figures_folder + "/" if figures_folder else probe_file
        # every path is asked about at once (a path's answer does not depend on the others asked); only
        # the untracked ones' answers are used below
        self.ignore_paths = ignore_paths = list(dict.fromkeys([report, *asked, probe_file, probe_dir]))
        self.ignore_input = ignore_input = ignore_stdin(ignore_paths)

        # the second round: everything still missing, all at once (the first round's runs are kept)
        launch.start(CHECK_IGNORE, root, stdin=ignore_input)
        for cwd, scope in parts:
            launch.start(ls_files_args(scope), cwd, literal_paths=True)
            launch.start(ls_tree_args("HEAD", scope), cwd, literal_paths=True)
            if remote_ref:
                launch.start(ls_tree_args(remote, scope), cwd, literal_paths=True)

    def _read(self) -> GitFacts:
        launch, location, directory, parts = self.launch, self.location, self.directory, self.parts
        budget = launch.budget
        root, folder, report, asked = location.root, location.prefix, self.report, self.asked
        remote_ref, remote = self.remote_ref, self.remote
        pre_commit = os.environ.get("PRE_COMMIT") == "1"
        index = _merged(parse_index_listing, [launch.output(ls_files_args(s), cwd, literal_paths=True)
                                              for cwd, s in parts])
        head = _merged(parse_tree_listing, [launch.output(ls_tree_args("HEAD", s), cwd, literal_paths=True)
                                            for cwd, s in parts])
        if head is None and not budget.timed_out:  # no commit yet (an unborn branch): an empty tree
            result = launch.result(VERIFY_HEAD, root)
            if result is not None and result.returncode == 1:
                head = {}
        tracked = None if index is None else frozenset(index)
        committed = None if head is None else frozenset(head)
        existing = frozenset(p for p in asked if is_file_inside(root, folder, p))
        untracked = [p for p in [report, *asked] if tracked is None or p not in tracked]
        changed = changed_paths(root, location.git_dir, index, head, budget, staged=not pre_commit)
        remote_tree = None
        if remote_ref:
            listed = _merged(parse_tree_listing, [launch.output(ls_tree_args(remote, s), cwd, literal_paths=True)
                                                  for cwd, s in parts])
            remote_tree = None if listed is None else frozenset(listed)
        behind, ahead = (parse_counts(launch.output(count_args(remote, ["."] if folder else []), directory,
                                                    literal_paths=True)) if self.count else (None, None))
        decisions = ignore_rules(launch.output(CHECK_IGNORE, root, ok=CHECK_IGNORE_OK, stdin=self.ignore_input),
                                 {p: p for p in self.ignore_paths}, location)
        if remote_ref and self.whole_tree and self.github is not None:  # for the link checks: read last
            launch.default_branch_tree = launch.output(whole_tree_args(remote), directory)
        if pre_commit and committed is not None and tracked is not None:
            committed = committed | tracked  # the index is the commit being made
        unknown = set(untracked)
        ignored = None if decisions is None else {p: r for p in asked if p in unknown and (r := decisions.get(p))}
        new_rule = None if decisions is None else (decisions.get(self.probe_dir) or decisions.get(self.probe_file))
        report_rule = None if decisions is None or report not in unknown else decisions.get(report)

        return GitFacts(
            root=root, git_dir=location.git_dir, common_dir=location.common_dir, report=report, folder=folder,
            figures_dir=self.figures_dir, figure_paths=self.figure_paths, figure_files=self.figure_files,
            existing=existing, tracked=tracked, committed=committed, ignored=ignored, new_figure_rule=new_rule,
            report_ignored_by=report_rule,
            origin_url=self.origin_url, github=self.github, refs=self.refs, remote_ref=remote_ref,
            remote_tree=remote_tree, commits_ahead=ahead, commits_behind=behind, changed=changed,
            complete=not budget.timed_out, shallow=location.shallow, detached=head_ref(location.git_dir) is None,
            ci=in_ci(os.environ), pre_commit=pre_commit,
        )


def _scope_parts(directory: Path, root: Path, folder: str, paths: Iterable[str]) -> list[tuple[Path, list[str]]]:
    """Pathspecs covering the report's folder and the asked paths outside it, as (folder git runs
    in, pathspecs) pairs whose listings together are the scope's: the report's folder as ``.`` from
    there (what the first round lists), the paths outside it root-relative from the root (at the
    repository root only the asked paths: never the whole tree)."""
    outside = [p for p in dict.fromkeys(paths) if not folder or not is_under(p, folder)]
    return ([(directory, ["."])] if folder else []) + ([(root, outside)] if outside else [])


def _merged(parse, outputs: list[bytes | None]) -> dict | None:
    """The listings of a scope's parts as one (None when one part has no answer)."""
    if any(out is None for out in outputs):
        return None
    merged: dict = {}
    for out in outputs:
        merged.update(parse(out))
    return merged


def in_ci(env: Mapping[str, str]) -> bool:
    """Whether these environment variables are a CI run's (GitHub Actions sets both)."""
    if env.get("GITHUB_ACTIONS", "").lower() == "true":
        return True
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --- what the facts say of each figure -----------------------------------------------------------


@record(frozen=True)
class FigureGitState:
    """The git state of one linked figure.

    ``state``:
    - "ok": in the index, committed, and on the remote default branch (or there is no remote);
    - "untracked": on disk, not in the index, not ignored (``git add`` it);
    - "ignored": on disk, not in the index, and ``rule`` ignores it (or a folder holding it);
    - "staged": in the index but not in any commit yet;
    - "unpushed": committed but not on ``remote_ref`` as of the last fetch;
    - "unmerged": the same in a checkout of one commit (CI): nothing to push, it is handed in once
      this commit reaches the default branch;
    - "case": not in the index with this spelling, but ``tracked_as`` is (another letter case);
    - "missing": not a file on disk (``missing-figure`` covers it);
    - "unknown": outside the work tree, or git did not answer.
    ``path``: the root-relative path (for messages such as ``git add reports/figures/x.png``).
    """

    state: str
    path: str | None
    rule: IgnoreRule | None = None
    tracked_as: str | None = None

    def to_json(self) -> dict:
        data: dict = {"state": self.state, "path": self.path}
        if self.rule is not None:
            data["rule"] = self.rule.to_json()
        if self.tracked_as is not None:
            data["tracked_as"] = self.tracked_as
        return data


def figure_git_states(facts: GitFacts,
                      figure_paths: Iterable[str] | None = None) -> dict[str, FigureGitState]:
    """Report-relative figure path -> its ``FigureGitState`` (paths not asked about when the facts
    were read are "unknown")."""
    paths = facts.figure_paths if figure_paths is None else tuple(dict.fromkeys(figure_paths))
    return {p: _figure_state(facts, facts.figure_files.get(p)) for p in paths}


def _figure_state(facts: GitFacts, path: str | None) -> FigureGitState:
    if path is None or facts.tracked is None:
        return FigureGitState("unknown", path)
    if path not in facts.existing:
        return FigureGitState("missing", path)
    if path in facts.tracked:
        if facts.committed is not None and path not in facts.committed:
            return FigureGitState("staged", path)
        if facts.remote_tree is not None and path not in facts.remote_tree:
            return FigureGitState("unmerged" if facts.one_commit_checkout else "unpushed", path)
        return FigureGitState("ok", path)
    other_case = next((t for t in facts.tracked if t.lower() == path.lower()), None)
    if other_case is not None:
        return FigureGitState("case", path, tracked_as=other_case)
    if facts.ignored is None:
        return FigureGitState("unknown", path)
    rule = facts.ignored.get(path)
    return FigureGitState("ignored", path, rule=rule) if rule else FigureGitState("untracked", path)
