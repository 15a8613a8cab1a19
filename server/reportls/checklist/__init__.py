"""The checklist the teachers verify (issue 25): which boxes the group's repository backs up.

Pure, no file system: ``items`` reads the checklist's items and tick markers from a ``Report``;
``rules`` is the declarative table (one entry per kind of item: how its text is recognised in every
template year, whether a repository can show it, and which files and lines count as strong or weak
evidence); ``textmatch`` does the string matching (globs, literal needles, comments per file kind);
``evidence`` runs the table over a ``RepoSnapshot`` (paths and the text of the small text files, read
by ``reportls.files.reposcan``) and assesses each item, giving the
``checklist-unbacked`` and ``checklist-unticked`` findings.
"""

from reportls.checklist.evidence import (
    ChecklistResult,
    Evidence,
    ItemResult,
    RepoEvidence,
    assess,
    checklist_findings,
    repo_evidence,
)
from reportls.checklist.items import ChecklistItem, checklist_items
from reportls.checklist.rules import RULES, Rule, rule_for

__all__ = [
    "RULES", "ChecklistItem", "ChecklistResult", "Evidence", "ItemResult", "RepoEvidence", "Rule", "assess",
    "checklist_findings", "checklist_items", "repo_evidence", "rule_for",
]
