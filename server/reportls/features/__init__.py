"""Editor features as pure functions over an ``Analysis`` (no pygls/lsprotocol here)."""

from reportls.features.actions import CodeAction, TextEdit, code_actions
from reportls.features.completion import CompletionCandidate, complete
from reportls.features.hints import CodeLens, InlayHint, code_lenses, inlay_hints
from reportls.features.hover import HoverResult, hover
from reportls.features.symbols import DocumentLink, Symbol, definition, document_links, document_symbols, folding_ranges

__all__ = [
    "CodeAction", "CodeLens", "CompletionCandidate", "DocumentLink", "HoverResult", "InlayHint", "Symbol", "TextEdit",
    "code_actions", "code_lenses", "complete", "definition", "document_links", "document_symbols", "folding_ranges",
    "hover", "inlay_hints",
]
