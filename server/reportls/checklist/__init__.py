"""The checklist the teachers verify (issue 25): which boxes the group's repository backs up.

Pure, no file system: ``items`` reads the checklist's items and tick markers from a ``Report``;
``rules`` is the declarative table (one entry per kind of item: how its text is recognised in every
template year, whether a repository can show it, and which files and lines count as strong or weak
evidence); ``textmatch`` does the string matching (globs, literal needles, comments per file kind);
``prefilters`` holds what ``textmatch`` works out from the table's expressions, ahead of time
(``makeprefilters`` writes it); ``collect`` runs the table over a ``RepoSnapshot`` (paths and the
text of the small text files, read by ``reportls.files.reposcan``); ``evidence`` holds the records
and assesses each item, giving the ``checklist-unbacked`` and ``checklist-unticked`` findings.

The names below are imported when first asked for: importing one module of the package imports
only what that module needs.
"""

_WHERE = {
    "ChecklistResult": "evidence", "Evidence": "evidence", "ItemResult": "evidence", "RepoEvidence": "evidence",
    "assess": "evidence", "checklist_findings": "evidence", "repo_evidence": "collect",
    "ChecklistItem": "items", "checklist_items": "items", "RULES": "rules", "Rule": "rules", "rule_for": "rules",
}

__all__ = [
    "RULES", "ChecklistItem", "ChecklistResult", "Evidence", "ItemResult", "RepoEvidence", "Rule", "assess",
    "checklist_findings", "checklist_items", "repo_evidence", "rule_for",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
