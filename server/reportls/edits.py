"""What a code action is made of, as plain data: the one edit type of the report's own text
(``TextEdit``), edits of other files, and the action record.

A leaf module (it imports only the model), so that the checks, the hand-in checks and fixes and the
features can all build edits without importing one another.  Nothing here applies an edit: the
editor does, when the user asks for it (``apply_edits`` applies them to a copy, to verify a fix).
"""

from __future__ import annotations

from collections.abc import Iterable
from reportls.text.records import record
from reportls.report.model import Span

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (3 ms) for it
if TYPE_CHECKING:
    from reportls.findings import Finding

FIX_ALL_KIND = "source.fixAll.reportls"  # every hand-in fix in one edit


@record(frozen=True, slots=True)
class TextEdit:
    """Replace ``span`` of the report's text by ``new_text`` (an insertion: an empty span)."""

    span: Span
    new_text: str

    @classmethod
    def of(cls, start: int, end: int, new_text: str) -> TextEdit:
        return cls(Span(start, end), new_text)

    def shifted(self, delta: int) -> TextEdit:
        return TextEdit(self.span.shifted(delta), self.new_text)


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (a copy: to verify a fix, never to write it)."""
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text


@record(frozen=True)
class FileEdit:
    """Insertions into another file than the report (an ignore file): (0-based line, character in
    UTF-16 code units, text), as LSP ``TextEdit``s with empty ranges."""

    path: str
    insertions: tuple[tuple[int, int, str], ...]


@record(frozen=True)
class CodeAction:
    title: str
    kind: str  # "quickfix" | "refactor" | "source"
    edits: tuple[TextEdit, ...] = ()
    renames: tuple[tuple[str, str], ...] = ()  # report-relative (old, new) of each RenameFile operation
    finding: Finding | None = None
    preferred: bool = False
    files: tuple[FileEdit, ...] = ()  # edits of other files (the report's own edits are ``edits``)
