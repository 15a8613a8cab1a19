"""Open reports and everything cached about them, with no LSP types in its interface.

Owns: each open document's text (our ``TextDocument``, edited incrementally with the negotiated
position encoding), its ``Parser`` (which reuses unchanged segments: the incremental re-check) and
its ``Analysis`` cached per version, shared by diagnostics, hover, completion, hints, lenses and
symbols; the ``FigureFolder`` per report folder (dropped when the watcher reports a change); the
constraint ``Resolution`` per report folder and template signature (so report.py is not re-read
on every keystroke); the settings.

Settings precedence: the nearest ``.reportls.yaml`` is the project's truth; the editor's
``reportls`` settings are applied on top of it (a ``constraints`` setting other than ``auto``
wins, ``severity`` entries override the file's one by one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from reportls.analysis import Analysis, Options, analyze, resolve_for, template_signature
from reportls.constraints import PROFILE_NAMES, Config, ConfigError, Resolution, find_config, load_config
from reportls.document import UTF16, TextDocument
from reportls.figures import FigureFolder
from reportls.findings import CODES, SEVERITIES
from reportls.parse import Parser

log = logging.getLogger("reportls")
DEFAULT_DEBOUNCE_MS = 150
CLIENT_ONLY_KEYS = ("server", "trace")  # editor-side settings (how to start the server, LSP tracing)


@dataclass
class Settings:
    constraints: str | None = None
    severity: dict[str, str] = field(default_factory=dict)
    inlay_hints: bool = True
    debounce_ms: int = DEFAULT_DEBOUNCE_MS

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
            if key == "constraints":
                if value in (None, "", "auto"):
                    s.constraints = None
                elif str(value) in PROFILE_NAMES or value == "report.py":
                    s.constraints = str(value)
                else:
                    problems.append(f"settings: constraints `{value}` is not a profile name, report.py or auto")
            elif key == "severity":
                if isinstance(value, dict):
                    for code, sev in value.items():
                        if code in CODES and sev in SEVERITIES:
                            s.severity[code] = sev
                        else:
                            problems.append(f"settings: severity `{code}: {sev}` ignored")
                else:
                    problems.append("settings: severity must be an object of code -> severity")
            elif key == "inlayHints":
                s.inlay_hints = bool(value)
            elif key == "debounceMs":
                if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000:
                    s.debounce_ms = int(value)
                else:
                    problems.append(f"settings: debounceMs `{value}` must be a number of milliseconds (0-10000)")
            elif key not in CLIENT_ONLY_KEYS:
                problems.append(f"settings: unknown key `{key}` ignored")
        return s, problems


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/...
        path = path[1:]
    return Path(path)


@dataclass
class OpenReport:
    uri: str
    path: Path | None
    doc: TextDocument
    parser: Parser = field(default_factory=Parser)
    analysis: Analysis | None = None
    analysis_version: object = None
    last_published: int | None = None
    pending: object = None  # the debounce task
    converter: object = None  # (version key, Converter) of the current version


class Workspace:
    def __init__(self) -> None:
        self.root: Path | None = None
        self.settings = Settings()
        self.encoding = UTF16
        self.docs: dict[str, OpenReport] = {}
        self._folders: dict[tuple[Path, str], FigureFolder] = {}
        self._resolutions: dict[tuple, Resolution] = {}
        self._configs: dict[Path, tuple[Config | None, str | None]] = {}
        self.reported_config_errors: set[str] = set()

    # documents -------------------------------------------------------------------------------
    def open(self, uri: str, text: str, version: int | None) -> OpenReport:
        state = OpenReport(uri, uri_to_path(uri), TextDocument(uri, text, version))
        self.docs[uri] = state
        return state

    def change(self, uri: str, version: int | None, changes: list[tuple[str, tuple[int, int, int, int] | None]]) -> OpenReport:
        """Apply (text, range-or-None) changes in order.  A bad range raises ValueError after the
        changes before it were applied; the caller logs it and a later full sync resynchronises."""
        state = self.docs[uri]
        try:
            for text, rng in changes:
                state.doc.apply_change(text, rng, self.encoding)
        finally:
            state.doc.version = version
        return state

    def close(self, uri: str) -> OpenReport | None:
        return self.docs.pop(uri, None)

    # configuration ---------------------------------------------------------------------------
    def config_for(self, report_dir: Path) -> tuple[Config | None, str | None]:
        """The nearest .reportls.yaml (cached), and an error message if it is malformed."""
        if report_dir not in self._configs:
            config, error = None, None
            path = find_config(report_dir, self.root)
            if path is not None:
                try:
                    config = load_config(path)
                    problems = [f"{path}:{p.line + 1}: {p.message}" if p.line is not None else f"{path}: {p.message}"
                                for p in config.problems]
                    error = "; ".join(problems) or None
                except (ConfigError, OSError) as e:
                    error = f"{e} (using defaults)"
            self._configs[report_dir] = (config, error)
        return self._configs[report_dir]

    def options_for(self, state: OpenReport) -> Options:
        options = Options()
        if state.path is not None:
            config, _ = self.config_for(state.path.parent)
            if config is not None:
                options.constraints = config.constraints
                options.figures = config.figures
                options.severity = dict(config.severity)
        if self.settings.constraints:
            options.constraints = self.settings.constraints
        options.severity.update(self.settings.severity)
        return options

    def folder_for(self, state: OpenReport, options: Options | None = None) -> FigureFolder | None:
        if state.path is None:
            return None
        figures = (options or self.options_for(state)).figures
        key = (state.path.parent, figures)
        if key not in self._folders:
            self._folders[key] = FigureFolder(state.path.parent, figures)
        return self._folders[key]

    # analysis --------------------------------------------------------------------------------
    def analysis(self, uri: str) -> Analysis | None:
        state = self.docs.get(uri)
        if state is None:
            return None
        key = (state.doc.version, id(state.doc.text), len(state.doc.text))
        if state.analysis is not None and state.analysis_version == key:
            return state.analysis
        options = self.options_for(state)
        folder = self.folder_for(state, options)
        report = state.parser.parse(state.doc.text)
        signature = template_signature(report)
        rkey = (state.path.parent if state.path else None, signature, repr(options.constraints))
        resolution = self._resolutions.get(rkey)
        if resolution is None:
            resolution = resolve_for(report, state.path, options)
            self._resolutions[rkey] = resolution
        state.analysis = analyze(
            state.doc.text, path=state.path, options=options, report=report, folder=folder,
            resolution=resolution,
        )
        state.analysis_version = key
        return state.analysis

    def invalidate(self, *, figures: bool = False, report_py: bool = False, config: bool = False) -> None:
        if figures:
            for folder in self._folders.values():
                folder.invalidate()
        if report_py or config:
            self._resolutions.clear()
        if config:
            self._configs.clear()
            self.reported_config_errors.clear()
        for state in self.docs.values():
            state.analysis = None

