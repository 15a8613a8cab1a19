"""The quick fix of ``figure-ignored``: an edit of the ignore file so that the figures folder is
no longer ignored, proposed and verified by ``ignorefix`` (``git check-ignore`` on a copy), never
changing what the rules mean for files outside ``reports/``.  Computed only when code actions are
asked for on such a finding (it runs git); nothing is written: the editor applies the edit."""

from __future__ import annotations

import posixpath

from reportls.analysis import Analysis
from reportls.edits import CodeAction, FileEdit
from reportls.features.locate import link_with_dest
from reportls.files.figures import normalize_dest
from reportls.report.model import Span


def ignore_fixes(analysis: Analysis, span: Span, facts) -> list[CodeAction]:
    """One action per ``figure-ignored`` finding touching ``span`` for which a verified fix exists
    (``facts``: the report's ``git.facts.GitFacts``)."""
    if facts is None:
        return []
    from reportls.git.ignorefix import propose_ignore_fix

    figures_folder = posixpath.join(facts.folder, facts.figures_dir) if facts.folder else facts.figures_dir
    out: list[CodeAction] = []
    for f in analysis.findings:
        if f.code != "figure-ignored" or not (f.span.start <= span.end and span.start <= f.span.end):
            continue
        rule, also = facts.new_figure_rule, ()
        link = link_with_dest(analysis.report, f.span)
        if link is not None:
            path = facts.figure_files.get(normalize_dest(link.dest))
            rule = (facts.ignored or {}).get(path) if path else None
            also = (path,) if path and path.startswith(figures_folder + "/") else ()
        if rule is None:
            continue
        fix = propose_ignore_fix(facts.root, figures_folder, rule, also_include=also)
        if fix is None:
            continue
        files = tuple(FileEdit(str(e.path), tuple((i.line, i.character, i.text) for i in e.insertions))
                      for e in fix.edits)
        out.append(CodeAction(fix.title, "quickfix", (), finding=f, preferred=True, files=files))
    return out
