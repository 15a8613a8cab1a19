"""Ignore rules: which line of which ignore file keeps a path out of git.

Owns ``IgnoreRule`` (one line of an ignore file and where it lives: a work tree ``.gitignore``,
``.git/info/exclude``, or the user's global excludes file), ``parse_check_ignore`` (``git
check-ignore -v -z --non-matching`` output), ``classify_rule`` and ``ignore_rules`` (the answer of
one run of ``git check-ignore`` for many paths, ``launch.CHECK_IGNORE``; it reads ignore files only).  ``NEW_FIGURE_PROBE`` is the
name asked about for "would a new file in the figures folder be ignored".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from reportls.text.records import record
from pathlib import Path

from reportls.git.repository import RepoLocation
from reportls.git.run import nul_fields, path_bytes

NEW_FIGURE_PROBE = "reportls-new-screenshot.png"  # a file that does not exist, to ask git about


@record(frozen=True)
class IgnoreRule:
    """One line of an ignore file, as ``git check-ignore -v`` names it.

    ``source`` as git prints it (".gitignore", "reports/.gitignore", ".git/info/exclude", or the
    absolute path of ``core.excludesFile``); ``line`` 1-based.  ``kind``: "gitignore" (a
    ``.gitignore`` in the work tree), "info-exclude" (``.git/info/exclude``) or "global"
    (``core.excludesFile``, outside the repository: no fix is offered there).  ``path``: the file.
    """

    source: str
    line: int
    pattern: str
    kind: str = "gitignore"
    path: Path | None = None

    @property
    def label(self) -> str:
        """``.gitignore:5 *.png``"""
        return f"{self.source}:{self.line} {self.pattern}"

    def to_json(self) -> dict:
        return {"source": self.source, "line": self.line, "pattern": self.pattern, "kind": self.kind}


def parse_check_ignore(output: bytes) -> dict[str, tuple[str, int, str] | None]:
    """``git check-ignore -v -z --non-matching`` output: path -> (source, line, pattern) of the rule
    that ignores it, or None when nothing ignores it (no match, or a ``!`` negation decides)."""
    fields = nul_fields(output)
    decisions: dict[str, tuple[str, int, str] | None] = {}
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[i:i + 4]
        if not source or pattern.startswith("!"):
            decisions[path] = None
        else:
            decisions[path] = (source, int(line) if line.isdigit() else 0, pattern)
    return decisions


def classify_rule(source: str, line: int, pattern: str, location: RepoLocation) -> IgnoreRule:
    path = Path(source) if os.path.isabs(source) else location.root / source
    if _same_file(path, location.common_dir / "info" / "exclude"):
        kind = "info-exclude"
    elif path.name == ".gitignore" and _inside(path, location.root):
        kind = "gitignore"
    else:
        kind = "global"
    return IgnoreRule(source, line, pattern, kind, path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except (OSError, ValueError):
        return False


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (OSError, ValueError):
        return False




CHECK_IGNORE_OK = (0, 1)  # 1: nothing is ignored


def ignore_stdin(paths: Iterable[str]) -> bytes:
    """``launch.CHECK_IGNORE``'s standard input: the paths, NUL-terminated."""
    return b"".join(path_bytes(p) + b"\0" for p in paths)


def ignore_rules(output: bytes | None, asked: dict[str, str],
                 location: RepoLocation) -> dict[str, IgnoreRule | None] | None:
    """``launch.CHECK_IGNORE``'s answer for ``asked`` (the path as given to git -> the root-relative
    path it stands for): root-relative path -> the rule ignoring it, or None."""
    if output is None:
        return None
    decided = parse_check_ignore(output)
    return {p: (classify_rule(*decided[given], location) if decided.get(given) else None)
            for given, p in asked.items()}
