"""What the hand-in scrape will get, from git's point of view (issue 16): the ``figure-untracked``,
``figure-ignored``, ``figure-unpushed`` and ``report-location`` findings.

Owns turning ``git.facts.GitFacts`` (read elsewhere: ``git.facts.read_git_facts`` in the CLI, the
server's ``lsp.gitcache.GitCache`` off the keystroke path) into ``Finding``s on the report.  Pure functions: no
git is run here, no file is read, nothing imports the LSP libraries.  ``GitCheck`` is the form
``analysis.analyze`` takes among its extra checks.

At the deadline the course scrapes ``reports/README.md`` and the ``reports/`` folder from the
repository's default branch on GitHub, so a linked figure that exists on disk but is not in git's
index (``figure-untracked``), is kept out of git by an ignore rule (``figure-ignored``), or is
committed but not on ``origin``'s default branch as of the last fetch (``figure-unpushed``) will be
missing there; and a report anywhere but ``<repository root>/reports/README.md`` is not read at
all (``report-location``).  When no linked figure is ignored but a rule would ignore a *new* file
in the figures folder, one ``figure-ignored`` information finding sits on the report's title line.

Figures are checked as the figure checks see them (``figures.normalize_dest``); links in code or
comments, URLs, links leaving the report's folder (``figure-location`` covers them) and files that
do not exist (``missing-figure``) are skipped.  A figure in the index but not in a commit yet is
a ``figure-untracked`` too ("staged but not committed"), except under pre-commit, where the index
is the commit being made.  In a checkout of one commit (CI's pull-request merge checkout) a figure
not on the default branch yet is "unmerged", not ``figure-unpushed``: there is nothing to push from
there, and the hand-in status line says what the scrape will read.  A repository git refuses to
read gives no finding at all (the status line says why).
"""

from __future__ import annotations

import re
from reportls.text.records import record
from pathlib import Path

from reportls.checks import ReportCheck
from reportls.files.figures import normalize_dest
from reportls.files.paths import report_relative_to_root
from reportls.findings import ERROR, INFORMATION, WARNING, Finding, GitFigure
from reportls.checks.git_status import HANDIN_REPORT, handin_status
from reportls.git.facts import GitFacts, figure_git_states
from reportls.git.ignore import IgnoreRule
from reportls.git.repository import join_path
from reportls.report.model import FigureLink, Report, Span

SCRAPE_READS = "the scrape reads only reports/README.md at the repository root on the default branch"


# --- which links are checked ----------------------------------------------------------------------


def _is_url(dest: str) -> bool:
    lower = dest.strip().lower()
    return "://" in lower or lower.startswith(("data:", "mailto:", "//"))


def checked_links(report: Report) -> list[tuple[FigureLink, str]]:
    """The figure links the git checks look at, each with its report-relative path
    (``figures/a.png``): shown links (not in code or comments) to a relative path inside the
    report's folder; no URLs, absolute paths, ``..`` or undefined references."""
    out = []
    for link in report.figures:
        if link.hidden or not link.dest.strip() or _is_url(link.dest):
            continue
        if link.kind == "reference" and (not link.dest_span.end or (
                link.span.start <= link.dest_span.start and link.dest_span.end <= link.span.end)):
            continue  # no definition: the "destination" is the label itself
        path = normalize_dest(link.dest)
        if not path or path in (".", "..") or path.startswith(("/", "../")) or re.match(r"^[A-Za-z]:", path):
            continue
        out.append((link, path))
    return out


def linked_figure_paths(report: Report) -> list[str]:
    """The report-relative paths to ask ``git.facts.read_git_facts`` about (sorted, no repeats)."""
    return sorted({path for _, path in checked_links(report)})


# --- spans and small helpers ------------------------------------------------------------------------


def title_span(report: Report) -> Span:
    """The report's title heading line, else its first line."""
    if report.title is not None:
        return report.title.span
    end = report.text.find("\n")
    end = len(report.text) if end < 0 else end
    if end > 0 and report.text[end - 1] == "\r":
        end -= 1
    return Span(0, end)


def _number(q) -> int | None:
    return q.number if q is not None else None


def shell_path(path: str) -> str:
    """A root-relative path as typed in a command: double-quoted when it holds anything a shell
    would split or expand (double quotes work in bash, zsh, PowerShell and cmd alike)."""
    return path if re.fullmatch(r"[A-Za-z0-9_./@+=:,-]+", path) else '"' + path.replace('"', '\\"') + '"'


def ignored_by(path: str | None, rule: IgnoreRule, figures_folder: str) -> GitFigure:
    """What the ignore-file quick fix needs (``ignorefix.propose_ignore_fix``)."""
    return GitFigure(path, rule_source=rule.source, rule_line=rule.line, pattern=rule.pattern,
                     rule_kind=rule.kind, figures_folder=figures_folder)


def figures_folder(facts: GitFacts) -> str:
    """The figures folder, root-relative: ``reports/figures``."""
    return join_path(facts.folder, facts.figures_dir)


# --- the findings ---------------------------------------------------------------------------------


def figure_findings(report: Report, facts: GitFacts | None) -> list[Finding]:
    """``figure-untracked``, ``figure-ignored`` and ``figure-unpushed`` on each checked link's
    destination (see the module docstring)."""
    if facts is None:
        return []
    links = checked_links(report)
    states = figure_git_states(facts, [p for _, p in links])
    folder = figures_folder(facts)
    out: list[Finding] = []
    for link, shown in links:
        s = states[shown]
        if s.path is None:
            continue
        span, qn, path = link.finding_span, _number(report.written_at(link.span.start)), s.path
        if s.state == "untracked":
            out.append(Finding(
                "figure-untracked", span,
                f"`{shown}` is not committed: the hand-in scrape will not have it (`git add {shell_path(path)}`)",
                WARNING, qn, GitFigure(path, command=f"git add {shell_path(path)}")))
        elif s.state == "staged":
            out.append(Finding(
                "figure-untracked", span,
                f"`{shown}` is staged but not committed: the hand-in scrape will not have it (`git commit`)",
                WARNING, qn, GitFigure(path, command="git commit")))
        elif s.state == "case":
            tracked = s.tracked_as or ""
            out.append(Finding(
                "figure-untracked", span,
                f"`{shown}` is not committed with this letter case: git has `{tracked}`, and the hand-in "
                f"scrape is case-sensitive, so it will not have `{path}` (rename it in git: "
                f"`git mv -f {shell_path(tracked)} {shell_path(path)}`)",
                WARNING, qn, GitFigure(path, tracked_as=tracked)))
        elif s.state == "ignored" and s.rule is not None:
            out.append(Finding(
                "figure-ignored", span,
                f"`{shown}` is ignored by `{s.rule.label}`: it is not committed, so the hand-in scrape will not "
                f"have it (change that rule, or `git add -f {shell_path(path)}`)",
                ERROR, qn, ignored_by(path, s.rule, folder)))
        elif s.state == "unpushed" and facts.remote_ref:
            out.append(Finding(
                "figure-unpushed", span,
                f"`{shown}` is committed but not on {facts.remote_ref} as of your last fetch: the hand-in scrape "
                "will not have it until you push (`git push`)",
                WARNING, qn, GitFigure(path, remote_ref=facts.remote_ref)))
    return out


def new_figure_finding(report: Report, facts: GitFacts | None, found: list[Finding] = ()) -> Finding | None:
    """The ``figure-ignored`` information finding on the title line when a rule would ignore a new
    file in the figures folder and no linked figure is ignored (``found``: the figure findings)."""
    if facts is None or facts.new_figure_rule is None:
        return None
    if any(f.code == "figure-ignored" for f in found):
        return None  # the error on the ignored figure already names the rule (and offers the fix)
    rule, folder = facts.new_figure_rule, figures_folder(facts)
    return Finding(
        "figure-ignored", title_span(report),
        f"`{rule.label}` ignores new files in {folder}/: your next screenshot will not be committed",
        INFORMATION, None, ignored_by(None, rule, folder))


def report_location_finding(report: Report, root: Path | None = None, report_path: Path | None = None,
                            *, relative: str | None = None) -> Finding | None:
    """``report-location`` on the title line when the report is not ``<root>/reports/README.md``.
    Give the repository ``root`` and the report's path, or its root-relative path (``relative``)."""
    if relative is None:
        if root is None or report_path is None:
            return None
        relative = report_relative_to_root(root, report_path)
        if relative is None:
            return None
    if relative == HANDIN_REPORT:
        return None
    return Finding(
        "report-location", title_span(report),
        f"`{relative}` is not handed in: {SCRAPE_READS} (move the report there)",
        WARNING, None, GitFigure(relative, expected=HANDIN_REPORT))


def git_findings(report: Report, facts: GitFacts | None, report_path: Path | None = None) -> list[Finding]:
    """Every git finding of the report (none without facts): ``report-location`` and the new-file
    ``figure-ignored`` on the title line, then the figure findings.  ``report_path`` (the file the
    facts were read for) is accepted for symmetry with ``GitCheck``; the facts name the report's
    root-relative path themselves."""
    if facts is None or facts.refused is not None:
        return []  # a refused repository: the hand-in status line says why, once
    found = figure_findings(report, facts)
    extra = [report_location_finding(report, relative=facts.report), new_figure_finding(report, facts, found)]
    return [f for f in extra if f is not None] + found


@record
class GitCheck(ReportCheck):
    """The git findings as one of ``analyze``'s extra checks: the facts read for the report (None:
    no repository, git missing or turned off, nothing to say) and the report's path."""

    facts: GitFacts | None
    report_path: Path | None = None
    name = "git"

    def __call__(self, report: Report, view=None) -> list[Finding]:
        return git_findings(report, self.facts, self.report_path)

    @property
    def status(self) -> str | None:
        """The hand-in status line (``checks.git_status.handin_status``), None without facts."""
        return handin_status(self.facts) if self.facts is not None else None
