"""The user's settings file (README, "Configuration"): finding the nearest one and reading it.

Two spellings of the same settings: ``.reportls.yaml`` (read with ``yaml.safe_load`` only) and a
``[tool.reportls]`` table in ``pyproject.toml`` (read with the standard library's ``tomllib``).
``find_config`` walks up from the report's folder; in each folder ``.reportls.yaml`` wins over
``pyproject.toml``, and a ``pyproject.toml`` without a ``[tool.reportls]`` table is passed over (as
ruff does with ``[tool.ruff]``).  ``load_config`` reads either by its file name.

Owns ``find_config``, ``load_config``/``parse_config``/``parse_pyproject``, ``Config`` and
``ConfigProblem``.  A malformed file raises ``ConfigError`` naming the file and line; unknown keys
and bad values are collected as ``problems`` (with the 0-based line of the offending key or value)
and the defaults kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
import re
from pathlib import Path

from reportls.constraints.profiles import PROFILE_NAMES, ConfigError, table_from_mapping
from reportls.constraints.table import ConstraintTable
from reportls.files.diskfile import MAX_SOURCE_BYTES, FileRefused, read_regular_file
from reportls.text.records import field, record

CONFIG_NAME = ".reportls.yaml"
PYPROJECT_NAME = "pyproject.toml"
TOOL_TABLE = ("tool", "reportls")
SEVERITY_VALUES = ("error", "warning", "information", "hint", "off")
KNOWN_KEYS = ("constraints", "figures", "severity", "git", "checklist")
_MAX_DEPTH = 64


@record(frozen=True, slots=True)
class ConfigProblem:
    """An unknown key or a bad value (reported, not fatal); ``line`` is 0-based, None if unknown."""

    message: str
    line: int | None = None


@record(slots=True)
class Config:
    """A read ``.reportls.yaml`` or ``[tool.reportls]`` table.

    ``constraints``: None (not set, or ``auto``), a profile name from ``PROFILE_NAMES``,
    ``"report.py"``, or a full ``ConstraintTable`` (``source="config"``).  ``severity`` maps a
    diagnostic code to error|warning|information|hint|off.
    """

    path: Path | None = None
    constraints: str | ConstraintTable | None = None
    figures: str = "figures"
    severity: dict[str, str] = field(default_factory=dict)
    git: bool = True  # false: never read git (no figure-untracked, ..., no hand-in status)
    checklist: bool = True  # false: no repository scan for the checklist's evidence (checklist-*)
    problems: list[ConfigProblem] = field(default_factory=list)


def _absolute(p: Path) -> Path:
    return Path(os.path.abspath(p))


def has_reportls_table(pyproject: Path) -> bool:
    """True when ``pyproject`` sets ``[tool.reportls]``, or mentions reportls but is not valid TOML
    (so that ``load_config`` can report the error with its line).  Reads the file each time: the
    server asks on every new document version, through its ``StampedCache`` of this function
    (``find_config``'s ``has_table``)."""
    try:
        raw = read_regular_file(pyproject, MAX_SOURCE_BYTES)
    except OSError:
        return False
    found = False
    if b"reportls" in raw:
        import tomllib

        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))
            tool = data.get("tool")
            found = isinstance(tool, dict) and "reportls" in tool
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            found = True
    return found


def find_config(report_dir: Path, workspace_root: Path | None = None,
                has_table: Callable[[Path], bool] = has_reportls_table) -> Path | None:
    """The nearest settings file: in the report's folder, then each parent up to and including the
    workspace root, the first ``.reportls.yaml``, or ``pyproject.toml`` with a ``[tool.reportls]``
    table (``.reportls.yaml`` wins in the same folder).  Without a workspace root (or when the
    report is outside it) the walk stops at the first folder holding ``.git``, the filesystem
    root, or 64 levels up.  ``has_table`` answers for a ``pyproject.toml`` (the server passes
    its cached ``has_reportls_table``)."""
    d = _absolute(Path(report_dir))
    root = _absolute(Path(workspace_root)) if workspace_root else None
    if root is not None and not d.is_relative_to(root):
        root = None
    for _ in range(_MAX_DEPTH):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = d / PYPROJECT_NAME
        if pyproject.is_file() and has_table(pyproject):
            return pyproject
        if root is not None:
            if d == root:
                return None
        elif (d / ".git").exists():
            return None
        if d.parent == d:
            return None
        d = d.parent
    return None


# Where each setting was written: key path -> (line of the key, line where its value starts),
# 0-based.  The empty path is the whole settings table (pyproject: its header line).
Lines = dict[tuple[str, ...], tuple[int, int]]


def _yaml_lines(node, prefix: tuple[str, ...], lines: Lines, raws: dict, dups: list, depth: int = 0) -> None:
    """Record the lines of every mapping key and its value, the raw text of scalar values (a bare
    ``off`` is read as false, but the message should say what was written) and repeated keys."""
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
        lines[path] = (key_node.start_mark.line, value_node.start_mark.line)
        if isinstance(value_node, yaml.ScalarNode):
            raws[path] = value_node.value
        _yaml_lines(value_node, path, lines, raws, dups, depth + 1)


def _line_of(lines: Lines, path: tuple[str, ...], *, key: bool = False) -> int | None:
    """The line of the value at ``path`` (``key=True``: of its key); the nearest recorded parent's
    when ``path`` itself was not recorded (a value inside a one-line flow mapping)."""
    while True:
        if path in lines:
            return lines[path][0 if key else 1]
        if not path:
            return None
        path = path[:-1]


def _is_key_problem(message: str) -> bool:
    """Table errors (from ``table_from_mapping``) that are about a key rather than its value."""
    return message.startswith(("unknown table key", "question key")) or " is outside " in message


MAX_YAML_NODES = 10_000  # a settings file has a few dozen; aliases may not expand past this
MAX_FORMAT_WIDTH = 200  # the widest field a crash_message may ask for ("{n:>200}")


def _check_expansion(root, label: str) -> None:
    """Refuse YAML whose aliases expand past ``MAX_YAML_NODES`` nodes (a "billion laughs" file of
    nested aliases is a few hundred bytes) or refer to themselves: everything after composing
    walks the tree with the aliases expanded.  The count is memoized per node, so checking costs
    one visit per distinct node."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ConfigError(label, node.start_mark.line, "malformed YAML: an alias refers to itself")
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_YAML_NODES:
                raise ConfigError(label, None, f"YAML aliases expand to more than {MAX_YAML_NODES} values: "
                                               "not read (a settings file needs no such nesting)")
        active.discard(key)
        sizes[key] = total
        return total

    size(root)


def crash_message_problem(value: object) -> str | None:
    """Why a table's ``crash_message`` cannot be used as a format string safely, or None: only
    ``{n}`` fields, each with at most a small width (``{n:>999999999}`` would build a string of
    gigabytes)."""
    import string

    if not isinstance(value, str):
        return None  # the table's own check says what is wrong
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        return None
    for _, field_name, spec, _ in parsed:
        if field_name is None:
            continue
        if "{" in (spec or "") or any(int(d) > MAX_FORMAT_WIDTH for d in re.findall(r"\d+", spec or "")):
            return (f"crash_message: the field `{{{field_name}:{spec}}}` asks for a width or precision over "
                    f"{MAX_FORMAT_WIDTH}; write `{{n}}`")
    return None


def parse_config(text: str, path: Path | None = None) -> Config:
    """Read ``.reportls.yaml`` text.  Raises ``ConfigError`` (with the line) for malformed YAML or
    a file that is not a mapping; everything else becomes a ``ConfigProblem`` and a default."""
    import yaml

    label = str(path) if path else CONFIG_NAME
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            if root is not None:
                _check_expansion(root, label)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
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
    lines: Lines = {}
    raws: dict[tuple[str, ...], str] = {}
    dups: list[tuple[tuple[str, ...], int]] = []
    _yaml_lines(root, (), lines, raws, dups)
    for key_path, line in dups:
        config.problems.append(ConfigProblem(f"duplicate key `{'.'.join(key_path)}` (the last one is used)", line))
    _apply_settings(config, data, lines, raws, label)
    return config


# --- pyproject.toml ------------------------------------------------------------------------------

# read only with a dotted key of a ``pyproject.toml`` or its syntax error: compiled when needed
_BARE_KEY = r"[A-Za-z0-9_-]+"
_TOML_ERROR_AT = r"\s*\(at line (\d+), column \d+\)\s*$"
_TOML_ERROR_END = r"\s*\(at end of document\)\s*$"


def _toml_key(s: str) -> tuple[str, ...] | None:
    """``a."b.c".d`` -> ("a", "b.c", "d"); None if ``s`` is not a dotted key."""
    parts: list[str] = []
    i, n = 0, len(s)
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] in "\"'":
            q = s[i]
            j, buf = i + 1, []
            while j < n and s[j] != q:
                if q == '"' and s[j] == "\\" and j + 1 < n:
                    buf.append(s[j + 1])
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            if j >= n:
                return None
            parts.append("".join(buf))
            i = j + 1
        else:
            m = re.compile(_BARE_KEY).match(s, i)
            if not m:
                return None
            parts.append(m.group())
            i = m.end()
        while i < n and s[i] in " \t":
            i += 1
        if i == n:
            return tuple(parts)
        if s[i] != ".":
            return None
        i += 1


class _TomlScan:
    """Just enough of TOML's lexical structure to find, line by line, where keys and table
    headers are: strings (incl. multi-line), comments, and brackets of arrays and inline tables
    that span lines.  The values themselves come from ``tomllib``."""

    def __init__(self) -> None:
        self.string: str | None = None  # the open multi-line string's delimiter
        self.depth = 0  # open [ and { of a value

    def scan(self, s: str, i: int = 0) -> int:
        """Consume ``s[i:]``; returns the offset of the first top-level ``=`` (or -1)."""
        n, eq = len(s), -1
        while i < n:
            if self.string:
                end = s.find(self.string, i)
                if end == -1:
                    return eq
                i = end + 3
                self.string = None
                continue
            c = s[i]
            if c == "#":
                return eq
            if s.startswith(('"""', "'''"), i):
                self.string = s[i:i + 3]
                i += 3
                continue
            if c in "\"'":
                j = i + 1
                while j < n and s[j] != c:
                    j += 2 if c == '"' and s[j] == "\\" else 1
                i = j + 1
                continue
            if c in "[{":
                self.depth += 1
            elif c in "]}":
                self.depth = max(0, self.depth - 1)
            elif c == "=" and eq == -1 and self.depth == 0:
                eq = i
            i += 1
        return eq


def _toml_lines(text: str, prefix: tuple[str, ...] = TOOL_TABLE) -> Lines:
    """Key path (relative to ``prefix``) -> (line, line) for every key under ``prefix``; the empty
    path is the table's header (or the line that sets it inline).  In TOML a value always starts
    on its key's line; keys inside a one-line inline table fall back to the key holding it."""
    lines: Lines = {}
    table: tuple[str, ...] = ()
    scan = _TomlScan()
    k = len(prefix)

    def record(path: tuple[str, ...], line: int) -> None:
        if path[:k] == prefix:
            lines.setdefault(path[k:], (line, line))

    for number, line in enumerate(text.splitlines()):
        if scan.string or scan.depth:
            scan.scan(line)
            continue
        stripped = line.strip()
        if stripped.startswith("["):
            double = stripped.startswith("[[")
            inner = stripped[2:] if double else stripped[1:]
            close = inner.find("]]" if double else "]")
            key = _toml_key(inner[:close]) if close != -1 else None
            if key is not None:
                table = key
                for depth in range(k, len(key) + 1):
                    record(key[:depth], number)
            continue
        eq = scan.scan(line)
        if eq == -1:
            continue
        key = _toml_key(line[:eq])
        if key is None:
            continue
        full = table + key
        for depth in range(max(k, len(table) + 1), len(full) + 1):
            record(full[:depth], number)
    return lines


def parse_pyproject(text: str, path: Path | None = None) -> Config:
    """Read the ``[tool.reportls]`` table of ``pyproject.toml`` text: the same settings, checks and
    problems as ``.reportls.yaml``.  Raises ``ConfigError`` (with the line) for malformed TOML or a
    ``tool.reportls`` that is not a table; no table at all is a problem and all defaults."""
    import tomllib

    label = str(path) if path else PYPROJECT_NAME
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        line = getattr(e, "lineno", None)
        line = line - 1 if isinstance(line, int) else None
        m = re.search(_TOML_ERROR_AT, message)
        if m:
            message, line = message[: m.start()], int(m.group(1)) - 1
        elif re.search(_TOML_ERROR_END, message):
            message, line = re.sub(_TOML_ERROR_END, "", message), max(0, text.count("\n") - (text.endswith("\n")))
        raise ConfigError(label, line, f"malformed TOML: {message}") from None
    config = Config(path=path)
    tool = data.get("tool")
    if not isinstance(tool, dict) or "reportls" not in tool:
        config.problems.append(ConfigProblem("no [tool.reportls] table; using the defaults"))
        return config
    lines = _toml_lines(text)
    settings = tool["reportls"]
    if not isinstance(settings, dict):
        raise ConfigError(label, _line_of(lines, ()), "tool.reportls must be a table of settings "
                                                      "(constraints, figures, severity)")
    _apply_settings(config, settings, lines, {}, label)
    return config


# --- the settings themselves, whichever file they came from -------------------------------------


def _apply_settings(config: Config, data: dict, lines: Lines, raws: dict, label: str) -> None:
    def problem(message: str, *key: str, at_key: bool = False) -> None:
        config.problems.append(ConfigProblem(message, _line_of(lines, key, key=at_key)))

    for key in data:
        if key not in KNOWN_KEYS:
            problem(f"unknown key `{key}` (known: {', '.join(KNOWN_KEYS)})", str(key), at_key=True)

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
                wide = crash_message_problem(value.get("crash_message"))
                if wide is not None:
                    raise ConfigError(label, None, wide, key=("crash_message",))
                config.constraints = table_from_mapping(value, name="config", source="config", source_path=label)
            except ConfigError as e:
                problem(f"constraints: {e.message}", "constraints", *e.key, at_key=_is_key_problem(e.message))
        elif value is not None:
            shown = raws.get(("constraints",), value)
            problem(f"constraints: expected a profile name, report.py, auto or a table, got {shown!r}", "constraints")

    if "figures" in data:
        value = data["figures"]
        parts = value.replace("\\", "/").split("/") if isinstance(value, str) else []
        if isinstance(value, str) and any(c < " " or c == "\x7f" for c in value):
            problem(f"figures: a folder name cannot hold a control character (such as NUL), got {value!r}", "figures")
        elif isinstance(value, str) and value.strip() and ".." not in parts and not value.startswith(("/", "\\")) \
                and ":" not in value:
            config.figures = value.strip().replace("\\", "/").strip("/") or "figures"
        else:
            problem(f"figures: expected a folder inside the report's folder, got {value!r}", "figures")

    for key in ("git", "checklist"):  # the on/off switches
        if key in data:
            value = data[key]
            if isinstance(value, bool):
                setattr(config, key, value)
            else:
                problem(f"{key}: expected true or false, got {raws.get((key,), value)!r}", key)

    if "severity" in data:
        value = data["severity"]
        if isinstance(value, dict):
            from reportls.findings import CODES

            for code, sev in value.items():
                if sev is False:  # YAML 1.1 reads a bare `off` (or `no`) as false
                    sev = "off"
                if code not in CODES:
                    problem(f"severity: unknown diagnostic code `{code}`", "severity", str(code), at_key=True)
                elif not isinstance(sev, str) or sev not in SEVERITY_VALUES:
                    shown = raws.get(("severity", str(code)), sev)
                    problem(f"severity: `{code}: {shown}` is not one of {', '.join(SEVERITY_VALUES)}",
                            "severity", str(code))
                else:
                    config.severity[code] = sev
        elif value is not None:
            problem("severity: expected a mapping of diagnostic code to severity", "severity")


def load_config(path: Path) -> Config:
    """Read a settings file: ``pyproject.toml`` (its ``[tool.reportls]`` table) by that name,
    anything else as ``.reportls.yaml``.  Raises ``ConfigError`` (malformed YAML or TOML, not
    UTF-8, a FIFO, a device, too large) or ``OSError``."""
    try:
        raw = read_regular_file(path, MAX_SOURCE_BYTES)
    except FileRefused as e:
        raise ConfigError(str(path), None, str(e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n")
        raise ConfigError(str(path), line, "not UTF-8") from None
    if Path(path).name == PYPROJECT_NAME:
        return parse_pyproject(text, Path(path))
    return parse_config(text, Path(path))
