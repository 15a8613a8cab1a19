"""Code actions: text edits (and one file rename) the user can ask for; nothing here writes files.

Quick fixes come from the findings' payloads (``Replacement``, ``MisplacedFigure``, ``Rewrite``);
a refactor inserts a link to a figure file that no link uses yet, where a new image fits (an
answer with room for one more image, not on an image link).  New destinations are written
the way the link they replace is written (``<...>`` keeps spaces, bare ones get ``%20``).
"""

from __future__ import annotations

import posixpath
from reportls.analysis import Analysis
from reportls.edits import FIX_ALL_KIND, CodeAction, TextEdit
from reportls.features.locate import encode_dest, link_with_dest
from reportls.files.figures import FigureFolder, has_image_extension, normalize_dest
from reportls.findings import Finding, MisplacedFigure, Replacement, Rewrite
from reportls.handin.findings import is_handin_code
from reportls.report.model import Span

MAX_INSERTS = 10
# findings whose data carries the final text for their span (links, study numbers, a destination
# with a space): the edit writes it as it is, no destination encoding
REWRITTEN_AS_IS = ("link-outside-reports", "link-missing", "link-own-repo", "study-number", "figure-syntax")
__all__ = ["FIX_ALL_KIND", "CodeAction", "TextEdit", "code_actions"]


def code_actions(
    analysis: Analysis, span: Span, folder: FigureFolder | None, findings: list[Finding] | None = None,
    only: list[str] | None = None,
) -> list[CodeAction]:
    """The actions for ``span``, of the kinds in ``only`` (LSP's ``context.only``: a kind asks for
    itself and its sub-kinds; None or empty asks for all).  Only the asked-for kinds are computed:
    the hand-in fix-all (a re-render of every affected answer) is built when it is asked for by
    name, or when ``span`` touches a ``handin-*`` finding, never on a plain cursor move."""
    report = analysis.report
    if not report.is_report:
        return []
    asked = [k for k in only or [] if k]

    def wanted(kind: str) -> bool:
        return not asked or any(kind == k or kind.startswith(k + ".") for k in asked)

    actions: list[CodeAction] = []
    all_findings = analysis.findings if findings is None else findings
    here = [f for f in all_findings if f.span.start <= span.end and span.start <= f.span.end]
    if wanted("quickfix"):
        for f in here:
            actions.extend(_handin_fixes(analysis, f) if is_handin_code(f.code) else _fixes(analysis, f, folder))
    handin = [f for f in all_findings if is_handin_code(f.code)]
    near = asked or any(is_handin_code(f.code) for f in here)
    if handin and analysis.handin is not None and wanted(FIX_ALL_KIND) and near:
        from reportls.features.handin_fixes import fix_all_action

        fix_all = fix_all_action(report, handin, analysis.handin)
        if fix_all is not None:
            actions.append(fix_all)
    if wanted("refactor") and folder is not None and _image_fits(analysis, span):
        actions.extend(_insert_unused(analysis, span.start, folder))
    return actions


def _image_fits(analysis: Analysis, span: Span) -> bool:
    """Whether a new image link fits at ``span``: in the answer of a question whose constraint
    counts images and that has fewer than its maximum (report.py's count, the structural one on a
    crash), and not on or inside an image link (a broken one gets its own fixes)."""
    q = analysis.report.answer_question(span.start)
    if q is None or any(f.span.start <= span.end and span.start <= f.span.end for f in q.figures):
        return False
    r = analysis.result(q.number)
    c = r.constraint if r is not None else analysis.table.constraint(q.number)
    return c.has_images and (r.images if r is not None else 0) < c.max_images


def _handin_fixes(analysis: Analysis, f: Finding) -> list[CodeAction]:
    """Rewrites that render the same on GitHub and in the hand-in (each verified by rendering)."""
    if analysis.handin is None:
        return []
    from reportls.features.handin_fixes import fixes_for_analysis

    return [fix.to_code_action() for fix in fixes_for_analysis(analysis, f, analysis.handin)]


def _fixes(analysis: Analysis, f: Finding, folder: FigureFolder | None) -> list[CodeAction]:
    text = analysis.report.text
    fix = f.payload
    if isinstance(fix, Rewrite):  # a check's own edits, already verified by it
        return [CodeAction(fix.title, "quickfix", fix.edits, finding=f, preferred=True)]
    if f.code == "placeholder":
        return [
            CodeAction(
                "Remove the placeholder",
                "quickfix",
                (TextEdit(_whole_lines(text, f.span), ""),),
                finding=f,
                preferred=True,
            )
        ]
    if f.code in REWRITTEN_AS_IS:
        options = fix.options if isinstance(fix, Replacement) else ()
        return [CodeAction(f"Write `{new}`" if len(new) < 80 else f"Write {new[:77]}...", "quickfix",
                           (TextEdit(f.span, new),), finding=f, preferred=i == 0) for i, new in enumerate(options)]
    link = link_with_dest(analysis.report, f.span)
    if link is None:  # figure fixes rewrite a destination; anything else has no fix here
        return []
    angle = link.angle

    def relink(title: str, new: str, preferred: bool = False) -> CodeAction:
        return CodeAction(
            title, "quickfix", (TextEdit(f.span, encode_dest(new, angle)),), finding=f, preferred=preferred
        )

    new = fix.replacement if isinstance(fix, Replacement) else None
    if f.code == "figure-case" and new:
        return [relink(f"Use the real file name `{new}`", new, True)]
    if f.code == "missing-figure" and new:
        return [relink(fix.title or f"Link `{new}` (relative to the report's folder)", new, True)]
    if f.code == "missing-figure" and isinstance(fix, Replacement):
        return [relink(f"Link `{c}` instead", c, i == 0) for i, c in enumerate(fix.candidates)]
    if f.code == "figure-location":
        if new:
            return [relink(f"Link `{new}` (relative to the report's folder)", new, True)]
        if isinstance(fix, MisplacedFigure):
            moves = [(old, new) for old, new in [(fix.path, fix.move_to), *fix.also]
                     if old and new and (folder is None or folder.resolve(new).status == "missing")]
            if moves:
                return [_move(analysis, f, moves)]
    return []


def _move(analysis: Analysis, f: Finding, moves: list[tuple[str, str]]) -> CodeAction:
    """Move the files into the figures folder and rewrite every shown link to them."""
    new_place = {posixpath.normpath(old): new for old, new in moves}
    folded = {old.lower(): new for old, new in new_place.items()}  # a link in another letter case resolves to it
    edits = []
    for link in analysis.report.figures:
        if link.hidden or link.dest_span.end <= link.dest_span.start:
            continue
        dest = normalize_dest(link.dest)
        new = new_place.get(dest) or folded.get(dest.lower())
        if new is None and link.dest_span == f.span and len(moves) == 1:
            new = moves[0][1]
        if new is not None:
            edits.append(TextEdit(link.dest_span, encode_dest(new, link.angle)))
    if len(moves) == 1:
        (old, new), = moves
        title = f"Move `{old}` to `{new}` and update the link"
    else:
        folder, target = moves[0][0].rsplit("/", 1)[0], moves[0][1].rsplit("/", 1)[0]
        title = f"Move the {len(moves)} images in `{folder}/` to `{target}/` and update their links"
    return CodeAction(title, "quickfix", tuple(edits), renames=tuple(moves), finding=f)


def _whole_lines(text: str, span: Span) -> Span:
    """``span`` widened to its whole line(s) with the line ending, when nothing else is on them."""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end == -1 else end + 1
    if text[start : span.start].strip() or text[span.end : end].strip():
        return span
    return Span(start, end)


def _insert_unused(analysis: Analysis, offset: int, folder: FigureFolder) -> list[CodeAction]:
    from reportls.features.completion import linked_files

    used = linked_files(analysis.report.figures, folder)  # a file linked with other letter case is used
    out = []
    for path in folder.figure_files():
        name = path.rsplit("/", 1)[-1]
        if path in used or name.startswith(".") or not has_image_extension(path):
            continue
        alt = name.rsplit(".", 1)[0].replace("[", "").replace("]", "")
        link = f"![{alt}]({encode_dest(path)})"
        out.append(
            CodeAction(
                f"Insert link to unused figure {path}", "refactor", (TextEdit(Span(offset, offset), link),)
            )
        )
        if len(out) == MAX_INSERTS:
            break
    return out
