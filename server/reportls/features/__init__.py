"""Editor features as pure functions over an ``Analysis`` (plain data in, plain data out).

No pygls/lsprotocol here: ``reportls.lsp`` converts these results.  Offsets are character offsets
into ``analysis.report.text``.  Modules: ``hover``, ``completion``, ``symbols`` (outline, folding,
links, definition), ``hints`` (inlay hints, code lenses), ``actions`` (code actions); ``locate``
and ``labels`` are their shared helpers; ``status`` (the question under the cursor), ``checklist``
(its progress), ``navigation`` (workspace symbols, links that follow renamed figures).
"""

from reportls.features.actions import CodeAction, TextEdit, code_actions
from reportls.features.completion import CompletionCandidate, complete
from reportls.features.hints import CodeLens, InlayHint, code_lenses, inlay_hints
from reportls.features.hover import HoverResult, hover
from reportls.features.navigation import QuestionSymbol, question_symbols, rename_edits
from reportls.features.status import QuestionStatus, question_status
from reportls.features.symbols import (
    DocumentLink,
    Symbol,
    definition,
    document_links,
    document_symbols,
    folding_ranges,
)

__all__ = [
    "CodeAction",
    "CodeLens",
    "CompletionCandidate",
    "DocumentLink",
    "HoverResult",
    "InlayHint",
    "QuestionStatus",
    "QuestionSymbol",
    "Symbol",
    "TextEdit",
    "code_actions",
    "code_lenses",
    "complete",
    "definition",
    "document_links",
    "document_symbols",
    "folding_ranges",
    "hover",
    "inlay_hints",
    "question_status",
    "question_symbols",
    "rename_edits",
]
