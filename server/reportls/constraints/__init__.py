"""Constraint tables and where they come from (docs/reportpy.md, "Where the constraint table comes from").

This package owns the per-question word/image table report.py checks against, and nothing else:
``table`` (the records), ``profiles`` (built-in YAML profiles, ``choose_profile``,
``table_from_mapping``, ``ConfigError``), ``reportpy_reader`` (a group's report.py read with ``ast``,
never executed), ``config`` (``.reportls.yaml``).  Here: the public API and ``resolve_table``, which
applies the order override (config or ``--constraints``) -> report.py beside the report -> built-in.
Pure Python; ``yaml`` and ``ast`` are imported only when needed.
"""

from __future__ import annotations

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
from reportls.text.records import field, record

__all__ = [
    "report_py_beside",
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


def __getattr__(name: str):
    # ``read_report_py`` / ``ReportPyReading`` load ``ast`` only when first asked for
    if name in ("read_report_py", "ReportPyReading"):
        from reportls.constraints import reportpy_reader

        return getattr(reportpy_reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@record(slots=True)
class Resolution:
    """The table to check against and where it came from.

    ``constraints_from`` is ``"config"`` (the config file or ``--constraints``), ``"report.py"``
    or ``"builtin"``; ``notes`` are for the ``constraints-source`` information diagnostic (a
    report.py that could not be understood, or whose counting logic was changed).
    """

    table: ConstraintTable
    constraints_from: str
    notes: list[str] = field(default_factory=list)


def read_report_py_file(report_dir: Path | None) -> tuple[str | None, str | None]:
    """(source, problem) of the report.py in ``report_dir`` (never run): (None, None) when there is
    none, (None, why) when there is one that is not read: a FIFO, a device (``/dev/zero``), a
    folder, or larger than ``MAX_SOURCE_BYTES`` (read without blocking, ``diskfile``)."""
    if report_dir is None:
        return None, None
    from reportls.files.diskfile import MAX_SOURCE_BYTES, FileRefused, read_regular_file

    try:
        data = read_regular_file(Path(report_dir) / "report.py", MAX_SOURCE_BYTES)
        # as ``decode("utf-8-sig", "replace")``, without importing that codec on every run
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"), None
    except FileRefused as e:
        return None, f"report.py {e}"
    except OSError:
        return None, None


def report_py_beside(report_dir: Path | None) -> str | None:
    """The source of the report.py in ``report_dir`` (never run), None when there is none or it
    cannot be read (``read_report_py_file`` says why)."""
    return read_report_py_file(report_dir)[0]


def _read_source(report_path: Path | None, report_py_source: str | None) -> tuple[str | None, str | None, str | None]:
    """(report.py source, its path, why it was not read) beside the report."""
    beside = Path(report_path).parent / "report.py" if report_path is not None else None
    if report_py_source is not None:
        return report_py_source, str(beside) if beside else "report.py", None
    source, problem = read_report_py_file(beside.parent) if beside is not None else (None, None)
    return (source, str(beside), None) if source is not None else (None, None, problem)


def resolve_table(
    *,
    report_path: Path | None,
    question_count: int,
    q3_prompt: str,
    override: str | ConstraintTable | None = None,
    report_py_source: str | None = None,
) -> Resolution:
    """The order of docs/reportpy.md: ``override`` (config or ``--constraints``: a table or a profile name
    wins outright; ``"report.py"`` insists on report.py; ``None``/``"auto"`` looks) -> the report.py
    beside the report (``report_py_source`` if given, else ``report_path.parent / "report.py"``),
    read with ``ast`` -> the built-in profile ``choose_profile`` picks.  Never runs report.py."""
    if isinstance(override, ConstraintTable):
        return Resolution(override, "config")
    if isinstance(override, str) and override in PROFILE_NAMES:
        return Resolution(load_profile(override), "config")
    notes: list[str] = []
    if isinstance(override, str) and override not in ("report.py", "auto", ""):
        notes.append(f"constraints `{override}` is not a profile name, report.py or auto; ignored.")
    builtin = choose_profile(question_count, q3_prompt)
    source, where, unread = _read_source(report_path, report_py_source)
    if unread is not None:
        notes.append(f"{unread}; using the built-in `{builtin}` table.")
    if source is not None:
        from reportls.constraints.reportpy_reader import read_report_py  # ast: only when there is a report.py

        reading = read_report_py(source, where)
        if reading.table is not None:
            return Resolution(reading.table, "report.py", notes + list(reading.notes))
        notes.append(f"{'; '.join(reading.problems)}; using the built-in `{builtin}` table instead.")
    elif override == "report.py":
        notes.append("constraints are set to report.py, but there is no report.py beside the report; "
                     f"using the built-in `{builtin}` table.")
    return Resolution(load_profile(builtin), "builtin", notes)
