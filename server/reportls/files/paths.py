"""Where a file is relative to a folder, with symlinks resolved (a look-up on disk)."""

from __future__ import annotations

import os
from pathlib import Path


def report_relative_to_root(root: Path, report_path: Path) -> str | None:
    """The report's path relative to the repository root (posix), None when it is not inside."""
    try:
        rel = Path(os.path.realpath(report_path)).relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        try:
            rel = Path(os.path.abspath(report_path)).relative_to(os.path.abspath(root))
        except ValueError:
            return None
    return rel.as_posix()
