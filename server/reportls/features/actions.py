"""Code actions: edits the user can ask for (the server never writes files itself)."""

from __future__ import annotations

from dataclasses import dataclass

from reportls.analysis import Analysis
from reportls.figures import FigureFolder, has_image_extension, linked_paths
from reportls.findings import Finding
from reportls.model import Span


@dataclass(frozen=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True)
class CodeAction:
    title: str
    kind: str  # "quickfix" | "refactor" | "source"
    edits: tuple[TextEdit, ...] = ()
    rename: tuple[str, str] | None = None  # report-relative (old, new) for a RenameFile operation
    finding: Finding | None = None
    preferred: bool = False


def _line_span(text: str, span: Span) -> Span:
    """The whole line(s) of ``span`` including the line ending, when nothing else is on them."""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end == -1 else end + 1
    if text[start : span.start].strip() or text[span.end : end].strip():
        return span
    return Span(start, end)


def _for_finding(analysis: Analysis, f: Finding) -> list[CodeAction]:
    text = analysis.report.text
    if f.code == "figure-case" and f.data.get("replacement"):
        new = f.data["replacement"]
        return [CodeAction(f"Use the real file name `{new}`", "quickfix", (TextEdit(f.span, new),), finding=f, preferred=True)]
    if f.code == "missing-figure":
        return [CodeAction(f"Link `{c}` instead", "quickfix", (TextEdit(f.span, c),), finding=f, preferred=i == 0)
                for i, c in enumerate(f.data.get("candidates", []))]
    if f.code == "figure-location":
        if f.data.get("replacement"):
            new = f.data["replacement"]
            return [CodeAction(f"Link `{new}` (relative to the report)", "quickfix", (TextEdit(f.span, new),),
                               finding=f, preferred=True)]
        if f.data.get("move_to") and f.data.get("path"):
            old, new = f.data["path"], f.data["move_to"]
            return [CodeAction(f"Move `{old}` to `{new}` and update the link", "quickfix", (TextEdit(f.span, new),),
                               rename=(old, new), finding=f)]
    if f.code == "placeholder":
        return [CodeAction("Remove the placeholder", "quickfix", (TextEdit(_line_span(text, f.span), ""),), finding=f,
                           preferred=True)]
    return []


def code_actions(analysis: Analysis, span: Span, folder: FigureFolder | None,
                 findings: list[Finding] | None = None) -> list[CodeAction]:
    report = analysis.report
    if not report.is_report:
        return []
    actions: list[CodeAction] = []
    for f in findings if findings is not None else analysis.findings:
        if f.span.start <= span.end and span.start <= f.span.end:
            actions.extend(_for_finding(analysis, f))
    q = report.question_at(span.start)
    if folder is not None and q is not None and q.marker is not None and span.start > q.marker:
        used = linked_paths(report.figures)
        unused = [p for p in folder.figure_files() if has_image_extension(p) and p not in used]
        for path in unused[:10]:
            name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            link = f"![{name}]({path.replace(' ', '%20')})"
            actions.append(CodeAction(f"Insert link to unused figure {path}", "refactor", (TextEdit(Span(span.start, span.start), link),)))
    return actions
