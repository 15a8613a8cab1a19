"""Constraint tables and where they come from: config, the group's report.py (read with ``ast``),
or a built-in profile.  ``resolve_table`` applies SPEC section 1's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportls.constraints.config import Config, ConfigProblem, find_config, load_config, parse_config
from reportls.constraints.profiles import (
    PROFILE_NAMES,
    ConfigError,
    choose_profile,
    load_profile,
    table_from_mapping,
)
from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable

__all__ = [
    "NO_CONSTRAINT",
    "PROFILE_NAMES",
    "Config",
    "ConfigError",
    "ConfigProblem",
    "Constraint",
    "ConstraintTable",
    "ReportPyReading",
    "Resolution",
    "choose_profile",
    "find_config",
    "load_config",
    "load_profile",
    "parse_config",
    "read_report_py",
    "resolve_table",
    "table_from_mapping",
]


@dataclass
class Resolution:
    table: ConstraintTable
    constraints_from: str  # "config" | "report.py" | "builtin"
    notes: list[str] = field(default_factory=list)


def _read_source(report_path: Path | None, report_py_source: str | None) -> tuple[str | None, str | None]:
    if report_py_source is not None:
        return report_py_source, str(report_path.parent / "report.py") if report_path else "report.py"
    if report_path is None:
        return None, None
    candidate = Path(report_path).parent / "report.py"
    try:
        if candidate.is_file():
            return candidate.read_bytes().decode("utf-8", "replace"), str(candidate)
    except OSError:
        pass
    return None, None


def resolve_table(
    *,
    report_path: Path | None,
    question_count: int,
    q3_prompt: str,
    override: str | ConstraintTable | None = None,
    report_py_source: str | None = None,
) -> Resolution:
    """Override (config or ``--constraints``) -> report.py beside the report -> built-in profile."""
    if isinstance(override, ConstraintTable):
        return Resolution(override, "config")
    if isinstance(override, str) and override in PROFILE_NAMES:
        return Resolution(load_profile(override), "config")
    notes: list[str] = []
    source, label = _read_source(report_path, report_py_source)
    if source is not None:
        from reportls.constraints.reportpy_reader import read_report_py  # ast: only when there is a report.py

        reading = read_report_py(source, "report.py")
        if reading.table is not None:
            return Resolution(reading.table, "report.py", list(reading.notes))
        builtin = choose_profile(question_count, q3_prompt)
        notes.append(f"{'; '.join(reading.problems)}; using the built-in `{builtin}` table instead.")
    elif override == "report.py":
        builtin = choose_profile(question_count, q3_prompt)
        notes.append(f"constraints are set to report.py, but there is no report.py beside the report; "
                     f"using the built-in `{builtin}` table.")
    return Resolution(load_profile(choose_profile(question_count, q3_prompt)), "builtin", notes)
