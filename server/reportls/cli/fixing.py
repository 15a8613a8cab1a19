"""Applying ``reportls check --fix`` / ``--diff`` to one report file.

Owns the rounds (``features.autofix.plan_fixes`` on the current text, the edits applied, the text
checked again, until a round has nothing left to do), the account of what changed (findings fixed
by code, every report.py count and verdict that moved), the unified diff, and the atomic write
(a temporary file in the report's folder, then ``os.replace``; the bytes are the text as UTF-8, so a
BOM read as U+FEFF is written back and CRLF stays CRLF).  Only the report itself is written.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import Counter
from reportls.text.records import field, record
from pathlib import Path

from reportls.features.autofix import apply_edits, fixable, plan_fixes
import contextlib

MAX_ROUNDS = 6


@record
class FixOutcome:
    before: object  # targets.Checked of the text as read
    after: object  # targets.Checked of the fixed text (``before`` when nothing changed)
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old dest, new dest)
    fixed: Counter = field(default_factory=Counter)  # findings fixed, by code

    @property
    def old_text(self) -> str:
        return self.before.analysis.report.text

    @property
    def new_text(self) -> str:
        return self.after.analysis.report.text

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    @property
    def count(self) -> int:
        return sum(self.fixed.values())

    def count_changes(self) -> list[str]:
        """One line per question whose report.py count (words, images) or verdict the fixes change."""
        old = {r.number: r for r in self.before.analysis.results}
        lines = []
        for r in self.after.analysis.results:
            o = old.get(r.number)
            if o is None:
                continue
            parts = []
            c = r.constraint
            if o.words != r.words:
                parts.append(f"{r.words - o.words:+d} words: {o.words} -> {r.words}"
                             + _bounds_note(c.has_words, c.min_words, c.max_words, r.words))
            if o.images != r.images:
                parts.append(f"{r.images - o.images:+d} images: {o.images} -> {r.images}"
                             + _bounds_note(c.has_images, c.min_images, c.max_images, r.images))
            if o.passed != r.passed:
                parts.append("now passes" if r.passed else "now FAILS")
            if parts:
                lines.append(f"Q{r.number}: report.py's count {', '.join(parts)}")
        return lines


def _bounds_note(has: bool, low, high, value: int) -> str:
    """", below 100" / ", above 200" / ", within 100-200", as the editor's fix titles say it."""
    if not has:
        return ""
    if value < low:
        return f", below {low}"
    if value > high:
        return f", above {high}"
    return f", within {low}-{high}"


def fix_report(checked, recheck) -> FixOutcome:
    """Every fix ``--fix`` would apply to ``checked``'s text; ``recheck(text)`` is a ``Checked``
    of a new text of the same file.  Nothing is written here."""
    outcome = FixOutcome(checked, checked)
    current = checked
    for _ in range(MAX_ROUNDS):
        plan = plan_fixes(current.analysis)
        if not plan.edits:
            break
        text = apply_edits(current.analysis.report.text, plan.edits)
        if text == current.analysis.report.text:
            break
        outcome.figures.extend(plan.figures)
        current = recheck(text)
    outcome.after = current
    if outcome.changed:
        had = Counter(f.code for f in checked.analysis.findings if fixable(f.code))
        has = Counter(f.code for f in current.analysis.findings if fixable(f.code))
        outcome.fixed = Counter({code: n - has[code] for code, n in had.items() if n > has[code]})
    return outcome


def unified_diff(shown: str, old: str, new: str) -> str:
    """``old`` -> ``new`` as a unified diff (``a/`` and ``b/`` paths, as git writes them)."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, f"a/{shown}", f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content with ``text`` (UTF-8) in one step: a temporary file beside it,
    flushed to disk, given the file's permissions, then renamed over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".reportls-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8", "surrogatepass"))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
