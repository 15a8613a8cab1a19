"""The one place where core results become lsprotocol types (spans -> ranges with the negotiated
position encoding, findings -> diagnostics, feature results -> LSP items)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as t

from reportls.text.document import LineIndex
from reportls.features import (
    CodeAction,
    CodeLens,
    CompletionCandidate,
    DocumentLink,
    HoverResult,
    InlayHint,
    QuestionStatus,
    QuestionSymbol,
    Symbol,
)
from reportls.findings import Finding
from reportls.report.model import Span

SEVERITY = {
    "error": t.DiagnosticSeverity.Error,
    "warning": t.DiagnosticSeverity.Warning,
    "information": t.DiagnosticSeverity.Information,
    "hint": t.DiagnosticSeverity.Hint,
}
FADED = ("not-counted",)  # codes whose range editors fade (text report.py does not count)
KIND = {"file": t.CompletionItemKind.File, "folder": t.CompletionItemKind.Folder, "snippet": t.CompletionItemKind.Snippet}


class Converter:
    """Bound to one document version's line index and the session's position encoding."""

    def __init__(self, index: LineIndex, encoding: str, link_tooltips: bool = False,
                 edit_range_defaults: bool = False):
        self.index = index
        self.encoding = encoding
        self.link_tooltips = link_tooltips
        self.edit_range_defaults = edit_range_defaults
        self._ranges: dict[Span, t.Range] = {}

    def range(self, span: Span) -> t.Range:
        cached = self._ranges.get(span)
        if cached is None:
            r = self.index.range(span.start, span.end, self.encoding)
            cached = t.Range(t.Position(r.start.line, r.start.character), t.Position(r.end.line, r.end.character))
            if len(self._ranges) < 4096:
                self._ranges[span] = cached
        return cached

    def position(self, offset: int) -> t.Position:
        p = self.index.position(offset, self.encoding)
        return t.Position(p.line, p.character)

    def offset(self, pos: t.Position) -> int:
        return self.index.offset(pos.line, pos.character, self.encoding)

    def span(self, rng: t.Range) -> Span:
        return Span(self.offset(rng.start), self.offset(rng.end))

    def diagnostic(self, f: Finding, uri: str | None = None) -> t.Diagnostic:
        """``f`` as a diagnostic; its other places of the same cause (``f.related``) as related
        information in the document ``uri``."""
        related = [t.DiagnosticRelatedInformation(t.Location(uri, self.range(span)), message)
                   for span, message in f.related] if uri and f.related else None
        return t.Diagnostic(
            range=self.range(f.span),
            message=f.message,
            severity=SEVERITY.get(f.severity, t.DiagnosticSeverity.Warning),
            code=f.code,
            source="reportls",
            tags=[t.DiagnosticTag.Unnecessary] if f.code in FADED else None,
            # what fixes need (render keys, fix texts) stays in the server's Finding; the client gets
            # only the question number
            data={"question": f.question} if f.question else None,
            related_information=related,
        )

    def hover(self, h: HoverResult | None, kind: t.MarkupKind = t.MarkupKind.Markdown) -> t.Hover | None:
        """In the client's format (``hover_format``): Markdown, or the same text as plain text."""
        if h is None:
            return None
        value = h.plaintext if kind == t.MarkupKind.PlainText else h.markdown
        return t.Hover(contents=t.MarkupContent(kind=kind, value=value), range=self.range(h.span))

    def completion_list(self, candidates: list[CompletionCandidate]) -> t.CompletionList:
        """Items with a text edit each, or (when the client supports ``itemDefaults.editRange`` and all
        candidates replace the same span) one shared edit range and ``textEditText`` per item."""
        shared = (
            self.edit_range_defaults and candidates and len({c.replace for c in candidates}) == 1
        )
        defaults = t.CompletionItemDefaults(edit_range=self.range(candidates[0].replace)) if shared else None
        return t.CompletionList(is_incomplete=False, item_defaults=defaults,
                                items=[self.completion(c, shared=bool(shared)) for c in candidates])

    def completion(self, c: CompletionCandidate, shared: bool = False) -> t.CompletionItem:
        return t.CompletionItem(
            label=c.label,
            kind=KIND.get(c.kind),
            detail=c.detail or None,
            sort_text=c.sort_text or None,
            filter_text=c.filter_text if c.filter_text != c.label else None,
            text_edit=None if shared else t.TextEdit(range=self.range(c.replace), new_text=c.insert_text),
            text_edit_text=c.insert_text if shared else None,
            insert_text_format=t.InsertTextFormat.Snippet if c.snippet else None,
            command=t.Command(title="Suggest", command="editor.action.triggerSuggest") if c.retrigger else None,
        )

    def symbol(self, s: Symbol) -> t.DocumentSymbol:
        kind = {"question": t.SymbolKind.Field, "section": t.SymbolKind.Namespace}.get(s.kind, t.SymbolKind.File)
        return t.DocumentSymbol(
            name=s.name, detail=s.detail or None, kind=kind, range=self.range(s.span),
            selection_range=self.range(s.selection), children=[self.symbol(c) for c in s.children] or None,
        )

    def workspace_symbol(self, s: QuestionSymbol, uri: str) -> t.WorkspaceSymbol:
        detail = f" ({s.detail})" if s.detail else ""
        return t.WorkspaceSymbol(name=f"{s.name}{detail}", kind=t.SymbolKind.Field,
                                 location=t.Location(uri=uri, range=self.range(s.selection)),
                                 container_name=s.section or None)

    def folding(self, span: Span) -> t.FoldingRange | None:
        start = self.index.line_of(span.start)
        end = self.index.line_of(max(span.start, span.end - 1))
        return t.FoldingRange(start_line=start, end_line=end, kind=t.FoldingRangeKind.Region) if end > start else None

    def link(self, link: DocumentLink) -> t.DocumentLink:
        return t.DocumentLink(range=self.range(link.span), target=link.target.resolve().as_uri(), tooltip=str(link.target) if self.link_tooltips else None)

    def location(self, path: Path | None) -> t.Location | None:
        if path is None:
            return None
        return t.Location(uri=path.resolve().as_uri(), range=t.Range(t.Position(0, 0), t.Position(0, 0)))

    def question_status(self, s: QuestionStatus | None) -> dict | None:
        """``reportls/questionStatus``'s answer (README, "Other editors"), camelCase keys."""
        if s is None:
            return None
        return {"number": s.number, "words": s.words, "images": s.images, "minWords": s.min_words,
                "maxWords": s.max_words, "minImages": s.min_images, "maxImages": s.max_images,
                "passed": s.passed, "crash": s.crash, "line": self.index.line_of(s.anchor)}

    def inlay_hint(self, h: InlayHint) -> t.InlayHint:
        return t.InlayHint(position=self.position(h.offset), label=h.label, padding_left=True, tooltip=h.tooltip or None)

    def code_lens(self, lens: CodeLens) -> t.CodeLens:
        return t.CodeLens(range=self.range(lens.span), command=t.Command(title=lens.title, command=""))

    def code_action(self, a: CodeAction, uri: str, version: int | None, report_dir: Path | None,
                    resource_ops: bool, diagnostics: list[t.Diagnostic]) -> t.CodeAction | None:
        edits = [t.TextEdit(range=self.range(e.span), new_text=e.new_text) for e in a.edits]
        changes: list = []
        if a.renames:
            if not resource_ops or report_dir is None:
                return None
            for old_path, new_path in a.renames:
                old, new = (report_dir / old_path).as_uri(), (report_dir / new_path).as_uri()
                changes.append(t.RenameFile(kind="rename", old_uri=old, new_uri=new,
                                            options=t.RenameFileOptions(overwrite=False, ignore_if_exists=False)))
        others = {Path(f.path).as_uri(): [t.TextEdit(range=t.Range(t.Position(line, ch), t.Position(line, ch)),
                                                       new_text=text) for line, ch, text in f.insertions]
                  for f in a.files}
        if resource_ops or a.renames:
            if edits or not others:
                changes.insert(0, t.TextDocumentEdit(
                    text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits))
            changes.extend(t.TextDocumentEdit(text_document=t.OptionalVersionedTextDocumentIdentifier(uri=u, version=None),
                                              edits=e) for u, e in others.items())
            edit = t.WorkspaceEdit(document_changes=changes)
        else:
            edit = t.WorkspaceEdit(changes={**({uri: edits} if edits or not others else {}), **others})
        kind = {"quickfix": t.CodeActionKind.QuickFix, "refactor": t.CodeActionKind.Refactor}.get(a.kind, a.kind)
        related = []
        if a.finding is not None:
            related = [d for d in diagnostics if d.code == a.finding.code and d.range == self.range(a.finding.span)]
        return t.CodeAction(title=a.title, kind=kind, edit=edit, diagnostics=related or None,
                            is_preferred=a.preferred or None)
