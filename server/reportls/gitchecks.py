"""What the hand-in scrape will get, as findings: figures git does not have, ignores or has not
pushed, and a report that is not where the scrape reads it.

Owns ``figure-untracked``, ``figure-ignored``, ``figure-unpushed`` and ``report-location``, built
from a ``gitstate.GitFacts`` (read once per report folder, off the keystroke path, by the CLI or
the server) and the ``Report``; pure: no git runs here.  ``GitCheck`` is the same as one of
``analysis.analyze``'s extra checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportls.figures import has_image_extension, normalize_dest
from reportls.findings import ERROR, INFORMATION, WARNING, Finding
from reportls.gitstate import GitFacts, figure_git_states
from reportls.model import Report, Span

SCRAPED = "reports/README.md"


def _title_span(report: Report) -> Span:
    if report.title is not None:
        return report.title.span
    end = report.text.find("\n")
    return Span(0, len(report.text) if end == -1 else end)


def _question(report: Report, offset: int) -> int | None:
    q = report.question_at(offset)
    return q.number if q is not None else None


def figure_findings(report: Report, facts: GitFacts) -> list[Finding]:
    """One finding per shown figure link whose file is on disk but will not be in the scrape."""
    links = [f for f in report.figures
             if not f.hidden and f.dest and "://" not in f.dest and has_image_extension(normalize_dest(f.dest))]
    states = figure_git_states(facts, [normalize_dest(f.dest) for f in links])
    remote = facts.remote_ref or "the remote"
    out: list[Finding] = []
    for link in links:
        rel = normalize_dest(link.dest)
        st = states.get(rel)
        if st is None or st.path is None:
            continue
        span = link.dest_span if link.dest_span.end > link.dest_span.start else link.span
        qn = _question(report, link.span.start)
        if st.state in ("untracked", "staged") or (st.state == "ignored" and st.rule is None):
            what = "is staged but not committed" if st.state == "staged" else "is not committed"
            fix = "git commit" if st.state == "staged" else f"git add {st.path}"
            out.append(Finding("figure-untracked", span,
                               f"`{rel}` {what}: the hand-in scrape will not have it (`{fix}`)", WARNING, qn))
        elif st.state == "ignored":
            rule = st.rule
            out.append(Finding(
                "figure-ignored", span,
                f"`{rel}` is ignored by `{rule.label}`: git will not commit it and the hand-in scrape will not "
                f"have it. Stop ignoring the figures folder (quick fix), then `git add {st.path}`.", ERROR, qn,
                {"rule": rule.to_json(), "path": st.path}))
        elif st.state == "case":
            out.append(Finding("figure-untracked", span,
                               f"`{rel}` is not committed with this spelling: git has `{st.tracked_as}`, so the "
                               "hand-in scrape (case-sensitive) will not find it. Rename the file or the link to "
                               "match.", WARNING, qn))
        elif st.state == "unpushed":
            out.append(Finding("figure-unpushed", span,
                               f"`{rel}` is committed but not on {remote} as of your last fetch: push it, or the "
                               "hand-in scrape will not have it", WARNING, qn))
    if facts.new_figure_rule is not None and not any(f.code == "figure-ignored" for f in out):
        rule = facts.new_figure_rule
        folder = "/".join(p for p in (facts.folder, facts.figures_dir) if p)
        out.append(Finding("figure-ignored", _title_span(report),
                           f"`{rule.label}` ignores new files in {folder}/: your next screenshot will not be "
                           "committed", INFORMATION, None, {"rule": rule.to_json(), "path": None}))
    return out


def report_location_finding(report: Report, report_path: Path | None, facts: GitFacts) -> Finding | None:
    """``report-location``: the report is not ``<repository root>/reports/README.md``."""
    if facts.report == SCRAPED:
        return None
    where = facts.report if report_path is None else f"{facts.report} (in {facts.root})"
    return Finding("report-location", _title_span(report),
                   f"This report is {where}: the scrape reads only reports/README.md at the repository root on "
                   "the default branch", WARNING)


def git_findings(report: Report, report_path: Path | None, facts: GitFacts | None) -> list[Finding]:
    """Every finding of this module for one report (none without git facts)."""
    if facts is None:
        return []
    out = figure_findings(report, facts)
    located = report_location_finding(report, report_path, facts)
    if located is not None:
        out.append(located)
    return out


@dataclass
class GitCheck:
    """The git findings as one of ``analyze``'s extra checks (``facts``: read beforehand)."""

    facts: GitFacts | None
    report_path: Path | None = None

    def __call__(self, report: Report, view=None) -> list[Finding]:
        return git_findings(report, self.report_path, self.facts)
