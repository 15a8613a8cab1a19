"""The user's ``.reportls.yaml``: finding the nearest one and reading it (``yaml.safe_load`` only).

A malformed file raises ``ConfigError`` naming the file and line; unknown keys and bad values are
collected as ``problems`` (reported, not fatal) and their defaults kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportls.constraints.profiles import PROFILE_NAMES, ConfigError, table_from_mapping
from reportls.constraints.table import ConstraintTable

CONFIG_NAME = ".reportls.yaml"
SEVERITY_VALUES = ("error", "warning", "information", "hint", "off")
KNOWN_KEYS = ("constraints", "figures", "severity")


@dataclass(frozen=True)
class ConfigProblem:
    message: str
    line: int | None = None  # 0-based


@dataclass
class Config:
    path: Path | None = None
    constraints: str | ConstraintTable | None = None
    figures: str = "figures"
    severity: dict[str, str] = field(default_factory=dict)
    problems: list[ConfigProblem] = field(default_factory=list)


def find_config(report_dir: Path, workspace_root: Path | None = None) -> Path | None:
    """The nearest ``.reportls.yaml``: the report's folder, then its parents up to the workspace
    root (or, without one, up to the first folder holding ``.git``)."""
    d = Path(report_dir)
    root = Path(workspace_root) if workspace_root else None
    for _ in range(64):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if root is not None and d == root:
            return None
        if root is None and (d / ".git").exists():
            return None
        if d.parent == d:
            return None
        d = d.parent
    return None


def _key_lines(text: str) -> dict[str, int]:
    lines = {}
    for i, line in enumerate(text.splitlines()):
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            lines.setdefault(line.split(":", 1)[0].strip().strip("'\""), i)
    return lines


def parse_config(text: str, path: Path | None = None) -> Config:
    import yaml

    label = str(path) if path else CONFIG_NAME
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"malformed YAML: {problem}", label, mark.line if mark else None) from None
    config = Config(path=path)
    if data is None:
        return config
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of settings (constraints, figures, severity)", label, 0)
    lines = _key_lines(text)
    for key in data:
        if key not in KNOWN_KEYS:
            config.problems.append(ConfigProblem(f"unknown key `{key}` (known: {', '.join(KNOWN_KEYS)})", lines.get(str(key))))
    if "constraints" in data:
        value = data["constraints"]
        line = lines.get("constraints")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            if value in PROFILE_NAMES or value in ("report.py", "auto"):
                config.constraints = None if value == "auto" else value
            else:
                config.problems.append(ConfigProblem(
                    f"constraints: unknown profile `{value}` (use {', '.join(PROFILE_NAMES)}, report.py, auto "
                    "or a table)", line))
        elif isinstance(value, dict):
            try:
                config.constraints = table_from_mapping(value, name="config", source="config", source_path=label)
            except ConfigError as e:
                config.problems.append(ConfigProblem(f"constraints: {e.message}", line))
        elif value is not None:
            config.problems.append(ConfigProblem("constraints: expected a profile name or a table", line))
    if "figures" in data:
        value = data["figures"]
        if isinstance(value, str) and value.strip() and ".." not in value.split("/") and not value.startswith("/"):
            config.figures = value.strip().strip("/")
        else:
            config.problems.append(ConfigProblem("figures: expected a folder inside the report's folder", lines.get("figures")))
    if "severity" in data:
        value = data["severity"]
        line = lines.get("severity")
        if isinstance(value, dict):
            from reportls.findings import CODES

            for code, sev in value.items():
                if code not in CODES:
                    config.problems.append(ConfigProblem(f"severity: unknown diagnostic code `{code}`", line))
                elif sev not in SEVERITY_VALUES:
                    config.problems.append(ConfigProblem(
                        f"severity: `{code}: {sev}` is not one of {', '.join(SEVERITY_VALUES)}", line))
                else:
                    config.severity[code] = sev
        else:
            config.problems.append(ConfigProblem("severity: expected a mapping of code to severity", line))
    return config


def load_config(path: Path) -> Config:
    """Read a config file; raises ``ConfigError`` (malformed YAML, not UTF-8) or ``OSError``."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8", str(path)) from None
    return parse_config(text, Path(path))
