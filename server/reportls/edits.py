"""What a code action is made of, as plain data: text edits and the action record.

A leaf module (it imports only the model), so that the checks, the hand-in fixes and the features
can all build edits without importing one another.  Nothing here applies an edit: the editor does,
when the user asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportls.findings import Finding
from reportls.report.model import Span

FIX_ALL_KIND = "source.fixAll.reportls"  # every hand-in fix in one edit


@dataclass(frozen=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True)
class FileEdit:
    """Insertions into another file than the report (an ignore file): (0-based line, character in
    UTF-16 code units, text), as LSP ``TextEdit``s with empty ranges."""

    path: str
    insertions: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class CodeAction:
    title: str
    kind: str  # "quickfix" | "refactor" | "source"
    edits: tuple[TextEdit, ...] = ()
    rename: tuple[str, str] | None = None  # report-relative (old, new) for a RenameFile operation
    finding: Finding | None = None
    preferred: bool = False
    files: tuple[FileEdit, ...] = ()  # edits of other files (the report's own edits are ``edits``)
