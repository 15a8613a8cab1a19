"""The user's ``.reportls.yaml`` (SPEC section 4): finding the nearest one and reading it.

Owns ``find_config``, ``load_config``/``parse_config``, ``Config`` and ``ConfigProblem``.  Read with
``yaml.safe_load`` only.  A malformed file raises ``ConfigError`` naming the file and line; unknown
keys and bad values are collected as ``problems`` (with their 0-based line) and the defaults kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reportls.constraints.profiles import PROFILE_NAMES, ConfigError, table_from_mapping
from reportls.constraints.table import ConstraintTable

CONFIG_NAME = ".reportls.yaml"
SEVERITY_VALUES = ("error", "warning", "information", "hint", "off")
KNOWN_KEYS = ("constraints", "figures", "severity")
CONSTRAINT_WORDS = ("report.py", "auto")
_MAX_DEPTH = 64


@dataclass(frozen=True)
class ConfigProblem:
    """An unknown key or a bad value (reported, not fatal); ``line`` is 0-based, None if unknown."""

    message: str
    line: int | None = None


@dataclass
class Config:
    """A read ``.reportls.yaml``.

    ``constraints``: None (not set, or ``auto``), a profile name from ``PROFILE_NAMES``,
    ``"report.py"``, or a full ``ConstraintTable`` (``source="config"``).  ``severity`` maps a
    diagnostic code to error|warning|information|hint|off.
    """

    path: Path | None = None
    constraints: str | ConstraintTable | None = None
    figures: str = "figures"
    severity: dict[str, str] = field(default_factory=dict)
    problems: list[ConfigProblem] = field(default_factory=list)


def _absolute(p: Path) -> Path:
    return Path(os.path.abspath(p))


def find_config(report_dir: Path, workspace_root: Path | None = None) -> Path | None:
    """The nearest ``.reportls.yaml``: the report's folder, then each parent up to and including
    the workspace root.  Without a workspace root (or when the report is outside it) the walk stops
    at the first folder holding ``.git``, the filesystem root, or 64 levels up."""
    d = _absolute(Path(report_dir))
    root = _absolute(Path(workspace_root)) if workspace_root else None
    if root is not None and not d.is_relative_to(root):
        root = None
    for _ in range(_MAX_DEPTH):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if root is not None:
            if d == root:
                return None
        elif (d / ".git").exists():
            return None
        if d.parent == d:
            return None
        d = d.parent
    return None


def _key_lines(node, prefix: tuple[str, ...], lines: dict[tuple[str, ...], int], dups: list, depth: int = 0) -> None:
    """Record the 0-based line of every mapping key (as a path of strings) and repeated keys."""
    import yaml

    if depth > _MAX_DEPTH or not isinstance(node, yaml.MappingNode):
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        path = (*prefix, key)
        if key in seen:
            dups.append((path, key_node.start_mark.line))
        seen.add(key)
        lines[path] = key_node.start_mark.line
        _key_lines(value_node, path, lines, dups, depth + 1)


def _line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def parse_config(text: str, path: Path | None = None) -> Config:
    """Read config text.  Raises ``ConfigError`` (with the line) for malformed YAML or a file that
    is not a mapping; everything else becomes a ``ConfigProblem`` and a default."""
    import yaml

    label = str(path) if path else CONFIG_NAME
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        context = getattr(e, "context", None)
        detail = f"{context}, {problem}" if context else problem
        raise ConfigError(label, mark.line if mark else None, f"malformed YAML: {detail}") from None
    except RecursionError:
        raise ConfigError(label, None, "malformed YAML: nested too deeply") from None
    config = Config(path=path)
    if data is None:
        return config
    if not isinstance(data, dict):
        raise ConfigError(label, 0, "expected a mapping of settings (constraints, figures, severity), "
                                    f"got {type(data).__name__}")
    lines: dict[tuple[str, ...], int] = {}
    dups: list[tuple[tuple[str, ...], int]] = []
    _key_lines(root, (), lines, dups)
    problem = lambda message, *key: config.problems.append(ConfigProblem(message, _line_of(lines, key)))  # noqa: E731
    for key_path, line in dups:
        config.problems.append(ConfigProblem(f"duplicate key `{'.'.join(key_path)}` (the last one is used)", line))

    for key in data:
        if key not in KNOWN_KEYS:
            problem(f"unknown key `{key}` (known: {', '.join(KNOWN_KEYS)})", str(key))

    if "constraints" in data:
        value = data["constraints"]
        if type(value) is int:
            value = str(value)
        if isinstance(value, str):
            value = value.strip()
            if value in PROFILE_NAMES or value == "report.py":
                config.constraints = value
            elif value == "auto":
                config.constraints = None
            else:
                problem(f"constraints: unknown profile `{value}` (use one of {', '.join(PROFILE_NAMES)}, "
                        "report.py, auto, or a table)", "constraints")
        elif isinstance(value, dict):
            try:
                config.constraints = table_from_mapping(value, name="config", source="config", source_path=label)
            except ConfigError as e:
                problem(f"constraints: {e.message}", "constraints", *e.key)
        elif value is not None:
            problem(f"constraints: expected a profile name, report.py, auto or a table, got {value!r}", "constraints")

    if "figures" in data:
        value = data["figures"]
        parts = value.replace("\\", "/").split("/") if isinstance(value, str) else []
        if isinstance(value, str) and value.strip() and ".." not in parts and not value.startswith(("/", "\\")) \
                and ":" not in value:
            config.figures = value.strip().replace("\\", "/").strip("/") or "figures"
        else:
            problem(f"figures: expected a folder inside the report's folder, got {value!r}", "figures")

    if "severity" in data:
        value = data["severity"]
        if isinstance(value, dict):
            from reportls.findings import CODES

            for code, sev in value.items():
                if sev is False:  # YAML 1.1 reads a bare `off` (or `no`) as false
                    sev = "off"
                if code not in CODES:
                    problem(f"severity: unknown diagnostic code `{code}`", "severity", str(code))
                elif not isinstance(sev, str) or sev not in SEVERITY_VALUES:
                    problem(f"severity: `{code}: {sev}` is not one of {', '.join(SEVERITY_VALUES)}",
                            "severity", str(code))
                else:
                    config.severity[code] = sev
        elif value is not None:
            problem("severity: expected a mapping of diagnostic code to severity", "severity")
    return config


def load_config(path: Path) -> Config:
    """Read a config file; raises ``ConfigError`` (malformed YAML, not UTF-8) or ``OSError``."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n")
        raise ConfigError(str(path), line, "not UTF-8") from None
    return parse_config(text, Path(path))
