"""The checks that need the report's repository, built one way for the command line and the server:
the link checks (with the repository's files and the trees of its refs when git knows them) and the
git checks (what the hand-in scrape gets).  The callers own the reading: they hand in git's facts, and
their cached listing of the repository and ref trees.
"""

from __future__ import annotations

from pathlib import Path


def repository_checks(report, path: Path | None, folder, facts, *, repo=None, trees=None) -> list:
    """The link checks (with the repository's files and refs when git knows them) and the git
    checks of one report, for ``analyze`` (the CLI and the server alike).  ``repo`` (a
    ``FigureFolder`` on the repository root) and ``trees`` (a loaded ``git.refs.RefTreeIndex``)
    are the caller's cached ones; without ``trees`` the refs the report's links name are listed
    now (runs git)."""
    from reportls.checks.links import link_check_for

    if facts is None:
        return [link_check_for(folder)]
    from reportls.files.figures import FigureFolder
    from reportls.checks.git import GitCheck

    if trees is None:
        trees = ref_trees(report, facts)
    repo = repo if repo is not None else FigureFolder(facts.root, "")
    return [link_check_for(folder, facts, repo, trees), GitCheck(facts, path)]


def ref_trees(report, facts, trees=None):
    """A ``git.refs.RefTreeIndex`` holding the trees of origin's default branch and of the refs the
    report's links to the group's own repository name (runs git for the ones not listed yet).  None
    is listed when origin is not on GitHub: the link checks ask about trees only then."""
    from reportls.git.refs import RefTreeIndex

    if trees is None or trees.refs != facts.refs:
        trees = RefTreeIndex(facts.root, facts.refs)
    if facts.github is None:
        return trees
    from reportls.checks.links import own_repo_refs

    wanted = own_repo_refs(report, facts.github, facts.refs.names())
    if facts.default_branch:
        wanted.add(facts.default_branch)
    trees.load(sorted(wanted))
    return trees
