"""The git facts in words: the hand-in status line, why git said nothing, and the facts as JSON.

Owns ``handin_status`` (the line both front ends show: the command line under its summary, the
server as a code lens and in its status request), ``refusal_message`` (a repository git refuses to
read, and how to allow it) and ``facts_json`` (the command line's ``"git"`` key).  Pure functions
over ``git.facts.GitFacts``: no git is run here.  They sit below both front ends (``lsp`` never
imports ``cli``) and beside the git findings (``checks.git``, whose ``GitCheck.status`` is this line);
importing this module does not import the editor features, so ``reportls check`` stays lean.
"""

from __future__ import annotations

import re

from reportls.git.facts import GitFacts, figure_git_states
from reportls.git.refs import REMOTE
from reportls.git.repository import Refusal

HANDIN_REPORT = "reports/README.md"  # the one file the scrape reads, root-relative


def refusal_message(refusal: Refusal) -> str:
    """Why nothing about git is checked, and the command that allows the repository."""
    path = refusal.path
    shown = path if re.fullmatch(r"[A-Za-z0-9_./@+=:,~-]+", path) else f'"{path}"'
    return (f"git refuses to read {path} (it belongs to another user), so nothing about git is "
            f"checked; to allow it: `git config --global --add safe.directory {shown}`")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def handin_status(facts: GitFacts) -> str:
    """The hand-in status line of the report.

    - "Hand-in (origin/main as of last fetch): up to date"
    - "Hand-in (origin/main as of last fetch): 2 local commits and uncommitted changes not on origin/main"
      (either part alone: "1 local commit not on origin/main", "uncommitted changes not on origin/main")
    - "Hand-in (origin/main as of last fetch): reports/README.md is not on origin/main"
    - "...: origin/main has 1 commit not in your branch" (appended with "; " to the above when the
      remote branch changed the folder since your branch left it)
    - "Hand-in: no remote, nothing is pushed" (no ``origin``)
    - "Hand-in: origin has no main or master branch as of last fetch, nothing is pushed"
    - "Hand-in (origin/main as of last fetch): unknown, git did not answer in time" (or "..., git
      could not read origin/main here": a partial clone without its trees, never fetched from here)
    """
    if facts.refused is not None:
        return f"Hand-in: unknown: {refusal_message(facts.refused)}"
    if facts.one_commit_checkout or (facts.ci and facts.remote_ref is None and facts.origin_url is not None):
        return _checkout_status(facts)  # CI fetched only the commit it checks: nothing to push from here
    ref = facts.remote_ref
    if ref is None:
        if facts.origin_url is None:
            return "Hand-in: no remote, nothing is pushed"
        return f"Hand-in: {REMOTE} has no main or master branch as of last fetch, nothing is pushed"
    head = f"Hand-in ({ref} as of last fetch): "
    if facts.remote_tree is None:
        if not facts.complete:
            return head + "unknown, git did not answer in time"
        return head + f"unknown, git could not read {ref} here (a partial clone missing it?)"
    if not facts.report_on_remote:
        return head + f"{facts.report} is not on {ref}"
    local = []
    if facts.commits_ahead:
        local.append(_plural(facts.commits_ahead, "local commit"))
    if facts.uncommitted:
        local.append("uncommitted changes")
    clauses = [" and ".join(local) + f" not on {ref}"] if local else []
    if facts.commits_behind:
        clauses.append(f"{ref} has {_plural(facts.commits_behind, 'commit')} not in your branch")
    if facts.shallow and not clauses:
        return head + "no uncommitted changes; commits not counted (a shallow clone)"
    return head + ("; ".join(clauses) if clauses else "up to date")


def _checkout_status(facts: GitFacts) -> str:
    """The hand-in line of a checkout of one commit (CI): what the scrape will read, not "push"."""
    target = facts.remote_ref or f"{REMOTE}'s default branch"
    reads = f"the scrape reads {HANDIN_REPORT} on {target} at the deadline"
    if facts.remote_tree is None:
        return f"Hand-in (CI checkout): {reads}; this check covers this checkout's commit"
    missing = [p for p in (facts.report, *sorted(facts.existing)) if facts.tracked and p in facts.tracked
               and p not in facts.remote_tree]
    if not missing:
        return f"Hand-in (CI checkout): {reads}; it has the report and its figures as checked here"
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return f"Hand-in (CI checkout): {reads}; {shown} reach it when this commit is merged there"


def facts_json(facts: GitFacts) -> dict:
    """The command line's ``"git"`` key of a report: plain JSON types only."""
    return {
        "root": str(facts.root),
        "report": facts.report,
        "remote_ref": facts.remote_ref,
        "report_tracked": facts.report_tracked,
        "report_ignored_by": facts.report_ignored_by.to_json() if facts.report_ignored_by else None,
        "report_on_remote": facts.report_on_remote,
        "commits_ahead": facts.commits_ahead,
        "commits_behind": facts.commits_behind,
        "uncommitted": list(facts.uncommitted),
        "status": handin_status(facts),
        "new_figures_ignored_by": facts.new_figure_rule.to_json() if facts.new_figure_rule else None,
        "figures": {p: s.to_json() for p, s in figure_git_states(facts).items()},
        "github": f"{facts.github.owner}/{facts.github.name}" if facts.github else None,
        "complete": facts.complete,
        "shallow": facts.shallow,
        "ci_checkout": facts.one_commit_checkout,
        "refused": refusal_message(facts.refused) if facts.refused else None,
    }
