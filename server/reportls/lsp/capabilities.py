"""What the client supports, read once from ``InitializeParams`` into a frozen value.

Every capability the server adapts to is read here and nowhere else: handlers ask
``ls.capabilities.<name>``.  A client that declares nothing gets the defaults (push diagnostics,
Markdown hovers, no refresh requests, no file-resource edits, no dynamic registration).
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as t


def hover_format(offered: list | None) -> t.MarkupKind:
    """The first format in the client's ``hover.contentFormat`` (its order of preference) that the
    server writes; Markdown when the client names none (what VS Code and Neovim read)."""
    for kind in offered or ():
        value = getattr(kind, "value", kind)
        if value in (t.MarkupKind.Markdown.value, t.MarkupKind.PlainText.value):
            return t.MarkupKind(value)
    return t.MarkupKind.Markdown


@dataclass(frozen=True, slots=True)
class Capabilities:
    pull_diagnostics: bool = False  # textDocument.diagnostic: the client pulls (never pushed as well)
    link_tooltips: bool = False  # documentLink.tooltipSupport
    inlay_hints: bool = False  # textDocument.inlayHint (else hints are shown as code lenses)
    edit_range_defaults: bool = False  # completionList.itemDefaults has editRange
    resource_operations: bool = False  # workspaceEdit.resourceOperations has rename (figure moves)
    diagnostic_refresh: bool = False  # workspace.diagnostics.refreshSupport
    code_lens_refresh: bool = False  # workspace.codeLens.refreshSupport (the hand-in status lens)
    hover_kind: t.MarkupKind = t.MarkupKind.Markdown  # what the client reads in a hover
    watched_files_registration: bool = False  # didChangeWatchedFiles.dynamicRegistration
    configuration: bool = False  # workspace/configuration requests are answered

    @classmethod
    def from_client(cls, caps: t.ClientCapabilities | None) -> Capabilities:
        td = caps.text_document if caps else None
        ws = caps.workspace if caps else None
        completion_list = td and td.completion and td.completion.completion_list
        edit = ws and ws.workspace_edit
        watched = ws and ws.did_change_watched_files
        return cls(
            pull_diagnostics=bool(td and td.diagnostic),
            link_tooltips=bool(td and td.document_link and td.document_link.tooltip_support),
            inlay_hints=bool(td and td.inlay_hint),
            edit_range_defaults=bool(completion_list and "editRange" in (completion_list.item_defaults or [])),
            resource_operations=bool(edit and edit.resource_operations
                                     and t.ResourceOperationKind.Rename in edit.resource_operations),
            diagnostic_refresh=bool(ws and ws.diagnostics and ws.diagnostics.refresh_support),
            code_lens_refresh=bool(ws and ws.code_lens and ws.code_lens.refresh_support),
            hover_kind=hover_format(td.hover.content_format if td and td.hover else None),
            watched_files_registration=bool(watched and watched.dynamic_registration),
            configuration=bool(ws and ws.configuration),
        )
