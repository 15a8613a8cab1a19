"""The editor's ``reportls`` settings: each key declared once (its name, attribute, default and
validator), validated in one place, and layered.

Layering: initializationOptions first, then the client's configuration answer (or
didChangeConfiguration), which wins key by key (``severity`` code by code).  A source that sets
nothing (``null``, ``{}``, an empty list) changes nothing; an invalid value is reported (the
wording below is part of the contract: tests check it) and leaves the layer below in force.

Precedence with the project's file: the nearest ``.reportls.yaml`` is the project's truth; these
settings are applied on top of it (a ``constraints`` setting other than ``auto`` wins, ``severity``
entries override the file's one by one) by ``Session.options_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reportls.constraints import PROFILE_NAMES
from reportls.findings import CODES, SEVERITIES

DEFAULT_DEBOUNCE_MS = 150
CLIENT_ONLY_KEYS = ("server", "trace")  # editor-side settings (how to start the server, LSP tracing)


class Invalid(ValueError):
    """A value a key does not accept; its message is the problem reported, verbatim."""


@dataclass
class Settings:
    constraints: str | None = None
    severity: dict[str, str] = field(default_factory=dict)
    inlay_hints: bool = True
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    git: bool = True  # read git for the hand-in scrape (figure-untracked, ...); never writes
    checklist: bool = True  # read the repository for the checklist's evidence (checklist-*)

    @classmethod
    def from_client(cls, raw: object) -> tuple[Settings, list[str]]:
        """Validate the client's ``reportls`` settings; returns (settings, problems)."""
        problems: list[str] = []
        s = cls()
        if isinstance(raw, dict) and isinstance(raw.get("reportls"), dict):
            raw = raw["reportls"]
        if not isinstance(raw, dict):
            if raw not in (None, [], ""):
                problems.append(f"settings: expected an object, got {type(raw).__name__}")
            return s, problems
        for key, value in raw.items():
            spec = KEYS.get(key)
            if spec is None:
                if key not in CLIENT_ONLY_KEYS:
                    problems.append(f"settings: unknown key `{key}` ignored")
                continue
            value, wrong = spec.read(key, value)
            problems += wrong
            if value is not _NOTHING:
                s = replace(s, **{spec.attribute: value})
        return s, problems

    @classmethod
    def valid_layer(cls, raw: object) -> tuple[dict, list[str]]:
        """The keys of one settings source whose values are valid (``severity`` code by code),
        and the problems with the rest: an invalid value leaves the layer below in force."""
        if not isinstance(raw, dict):
            return {}, cls.from_client(raw)[1]
        valid: dict = {}
        problems: list[str] = []
        for key, value in raw.items():
            if key == "severity" and isinstance(value, dict):
                for code, sev in value.items():
                    wrong = cls.from_client({key: {code: sev}})[1]
                    problems += wrong
                    if not wrong:
                        valid.setdefault(key, {})[code] = sev
                continue
            wrong = cls.from_client({key: value})[1]
            problems += wrong
            if not wrong:
                valid[key] = value
        return valid, problems


_NOTHING = object()  # a key whose value is rejected as a whole: the default stays


@dataclass(frozen=True)
class Key:
    """One setting: its attribute on ``Settings`` and the validator that turns the client's value
    into it (raising ``Invalid`` with the problem's wording); ``partial`` validators return
    (value, problems) themselves (``severity``: good entries kept, bad ones reported)."""

    attribute: str
    validate: Callable[[str, object], object]
    partial: bool = False

    def read(self, key: str, value: object) -> tuple[object, list[str]]:
        if self.partial:
            return self.validate(key, value)
        try:
            return self.validate(key, value), []
        except Invalid as e:
            return _NOTHING, [str(e)]


def _constraints(key: str, value: object) -> str | None:
    if value in (None, "", "auto"):
        return None
    if str(value) in PROFILE_NAMES or value == "report.py":
        return str(value)
    raise Invalid(f"settings: constraints `{value}` is not a profile name, report.py or auto")


def _severity(key: str, value: object) -> tuple[object, list[str]]:
    if not isinstance(value, dict):
        return _NOTHING, ["settings: severity must be an object of code -> severity"]
    kept: dict[str, str] = {}
    problems: list[str] = []
    for code, sev in value.items():
        if code in CODES and sev in SEVERITIES:
            kept[code] = sev
        else:
            problems.append(f"settings: severity `{code}: {sev}` ignored")
    return kept, problems


def _boolean(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(f"settings: {key} `{value}` must be true or false")


def _milliseconds(key: str, value: object) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000:
        return int(value)
    raise Invalid(f"settings: {key} `{value}` must be a number of milliseconds (0-10000)")


# Every key the client may set, declared once: name -> attribute and validator.
KEYS: dict[str, Key] = {
    "constraints": Key("constraints", _constraints),
    "severity": Key("severity", _severity, partial=True),
    "inlayHints": Key("inlay_hints", _boolean),
    "debounceMs": Key("debounce_ms", _milliseconds),
    "git": Key("git", _boolean),
    "checklist": Key("checklist", _boolean),
}


def plain(value: object) -> object:
    """JSON-like data as dicts and lists (pygls hands a client's free-form answers over as
    namedtuples and tuples)."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def settings_layer(raw: object) -> object | None:
    """One source of settings as plain data (``{"reportls": {...}}`` unwrapped); None for a source
    that sets nothing (``null``, ``{}``, an empty list), which changes nothing."""
    raw = plain(raw)
    if isinstance(raw, list) and len(raw) == 1:  # a workspace/configuration answer: one item asked
        raw = raw[0]
    if isinstance(raw, dict) and isinstance(raw.get("reportls"), dict):
        raw = raw["reportls"]
    if raw in (None, "", [], {}):
        return None
    return raw


def merge_layers(layers: list[dict]) -> dict:
    """Later layers win key by key; ``severity`` is merged code by code."""
    merged: dict = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "severity" and isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


class SettingsLayers:
    """The sources applied so far ("init", then "client") and the settings they make together."""

    ORDER = ("init", "client")

    def __init__(self) -> None:
        self.layers: dict[str, dict] = {}
        self.current = Settings()

    def apply(self, raw: object, source: str) -> tuple[bool, list[str]]:
        """Layer one source over the others; returns (whether anything was applied, problems)."""
        layer = settings_layer(raw)
        if layer is None:
            return False, []
        valid, problems = Settings.valid_layer(layer)
        self.layers[source] = valid
        self.current = Settings.from_client(merge_layers([self.layers.get(s, {}) for s in self.ORDER]))[0]
        return True, problems
