"""``reportls serve``: the pygls server.  Handlers are thin: find the document, call a pure
feature function on the cached ``Analysis``, convert the result (``convert.py``).

Diagnostics: clients that declare pull support (``textDocument.diagnostic``) pull them; all others
get them pushed (with the document version) on open/change/save, debounced by ``debounceMs``.
Never both: Neovim shows pushed and pulled diagnostics side by side, doubled.

What the client supports is read once in ``initialize`` (``capabilities.py``); the settings are
declared and validated in ``settings.py``; everything read from outside, and every cache, belongs
to the ``Session`` (``session.py``).

Every request names where it runs (``document_feature(..., runs=LOOP|WORKER)``): on the event loop
(pure functions over the cached analysis: fast), or with its slow part (git) in a worker thread,
awaited with ``run_in_executor`` so that the loop goes on answering.  Background reads (git, the
checklist scan, image headers) are ``Job``s in worker threads; the debounce and the hand-in
completion are ``Timer``s (``timers.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from reportls import __version__, features
from reportls.analysis import Analysis
from reportls.edits import FIX_ALL_KIND
from reportls.files.figures import FigureFolder
from reportls.features.git_actions import ignore_fixes
from reportls.checks.git_status import handin_status
from reportls.lsp import memory
from reportls.lsp.capabilities import Capabilities
from reportls.lsp.convert import Converter
from reportls.lsp.framing import serve_stdio
from reportls.lsp.protocol import ReportProtocol, TextDocumentParams
from reportls.lsp.session import OpenReport, Session, uri_to_path
from reportls.lsp.settings import SettingsLayers

log = logging.getLogger("reportls")
QUESTION_STATUS = "reportls/questionStatus"
HANDIN_PREVIEW = "reportls/handinPreview"
GIT_REFRESH_S = 3.0  # while typing, git is read again at most this often (and on open, save, file events)
# files whose change can change the checklist's evidence (issue 25): they re-scan, nothing else
CHECKLIST_GLOBS = ("**/*.{py,yml,yaml,toml,cfg,ini,txt,dvc,lock,sh,json}", "**/{Dockerfile,Makefile}*",
                   "**/*.dockerfile", "**/.dvc/config")
HANDIN_DELAY_S = 0.05  # a pause in typing this long renders the edited answer for the hand-in checks
CODE_ACTION_OPTIONS = t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.Refactor,
                                                             FIX_ALL_KIND])
IMAGE_GLOB = "**/*.{png,jpg,jpeg,gif,svg,webp,PNG,JPG,JPEG,GIF,SVG,WEBP}"
RENAME_FILTERS = [
    t.FileOperationFilter(pattern=t.FileOperationPattern(glob=IMAGE_GLOB, matches=t.FileOperationPatternKind.File)),
    t.FileOperationFilter(pattern=t.FileOperationPattern(glob="**/*", matches=t.FileOperationPatternKind.Folder)),
]
WATCH_GLOBS = ("**/figures/**", "**/*.{png,jpg,jpeg,PNG,JPG,JPEG,gif,svg}", "**/report.py", "**/.reportls.yaml",
               "**/.gitignore", *CHECKLIST_GLOBS)


class ReportServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("reportls", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         protocol_cls=ReportProtocol)
        self.session = Session()
        self.capabilities = Capabilities()  # read in initialize
        self.settings_layers = SettingsLayers()  # "init", then "client"

    @property
    def ws(self) -> Session:  # the name the benchmark and older tests use
        return self.session

    @property
    def pull(self) -> bool:
        return self.capabilities.pull_diagnostics

    def refresh_views(self) -> None:
        """Ask the client to pull diagnostics and code lenses again, when it can be asked."""
        if self.pull and self.capabilities.diagnostic_refresh:
            self.workspace_diagnostic_refresh(None)
        if self.capabilities.code_lens_refresh:
            self.workspace_code_lens_refresh(None)

    def start_io(self, stdin=None, stdout=None) -> None:
        """Serve over stdio with reportls's reader (``protocol.serve_stdio``: it survives framing errors)."""
        serve_stdio(self, stdin, stdout)

    # helpers ---------------------------------------------------------------------------------
    def log_error(self, where: str, error: BaseException | str) -> None:
        if isinstance(error, BaseException):
            log.error("%s failed: %s\n%s", where, error, traceback.format_exc())
            text = f"reportls: {where} failed: {error}"
        else:
            log.error("%s: %s", where, error)
            text = f"reportls: {where}: {error}"
        with contextlib.suppress(Exception):  # logging must never raise
            self.window_log_message(t.LogMessageParams(t.MessageType.Error, text))

    def report_server_error(self, error: Exception, source) -> None:
        """pygls's own errors (a message it could not read, say) go to the log, not a pop-up."""
        self.log_error("pygls", error)

    def converter(self, state: OpenReport) -> Converter:
        """One converter (line index, range cache) per document version."""
        key = (state.doc.version, id(state.doc.text))
        if state.converter is None or state.converter[0] != key:
            state.converter = (key, Converter(state.doc.index, self.ws.encoding, self.capabilities.link_tooltips,
                                              self.capabilities.edit_range_defaults))
        return state.converter[1]

    def show_config_errors(self, state: OpenReport) -> None:
        """A malformed .reportls.yaml (an error: defaults used) or ignored keys in it (a warning),
        shown once per version of the file."""
        if state.path is None:
            return
        config = self.ws.config_state(state.path.parent)
        key = (config.path, config.stamp, config.message)
        if config.message and key not in self.ws.reported_config_errors:
            self.ws.reported_config_errors.add(key)
            kind = t.MessageType.Error if config.fatal else t.MessageType.Warning
            log.log(logging.ERROR if config.fatal else logging.WARNING, "%s", config.message)
            self.window_show_message(t.ShowMessageParams(kind, f"reportls: {config.message}"))

    def diagnostics(self, uri: str, complete: bool = True) -> tuple[OpenReport, list[t.Diagnostic]] | None:
        state = self.ws.docs.get(uri)
        analysis = self.ws.analysis(uri, complete)
        if state is None or analysis is None:
            return None
        if not analysis.report.is_report:
            return state, []
        conv = self.converter(state)
        return state, [conv.diagnostic(f, uri) for f in analysis.findings]

    def publish(self, uri: str, complete: bool = True) -> None:
        """Push the current version's diagnostics; never an older version after a newer one.

        ``complete=False`` (a keystroke with debounce 0): the answer being typed in keeps its
        previous hand-in findings and is rendered ``HANDIN_DELAY_S`` after the last keystroke, then
        the same version is published again if that changed anything."""
        try:
            state = self.ws.docs.get(uri)
            if state is None:
                return
            state.cancel_timers()  # a save (or settings change) while a publish is pending
            version = state.doc.version
            if state.last_published is not None and version is not None and version < state.last_published:
                return
            result = self.diagnostics(uri, complete)
            if result is None:
                return
            _, items = result
            if not items and state.last_published is None and not self.ws.analysis(uri, False).report.is_report:
                return  # a markdown file that is not a report: publish nothing
            if complete and state.last_published == version and state.published == items:
                return  # the deferred hand-in checks found what was already shown
            state.last_published = version if version is not None else state.last_published
            state.published = items
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version))
            if not complete and self.ws.analysis(uri, False).deferred:
                state.handin_timer.start(HANDIN_DELAY_S, self.publish, uri)
            elif complete:
                memory.trim_when_idle()  # a pause in typing: give freed memory back
        except Exception as e:  # noqa: BLE001
            self.log_error("publishing diagnostics", e)
        self.refresh_images(uri)

    def refresh_images(self, uri: str, *, again: bool = False) -> None:
        """Read the headers of the images the report links in a worker thread: those never read
        (a new link), or with ``again`` all of them whose file changed (open, save, file events).
        When a size the checks see changed, the report is checked again."""
        state = self.ws.docs.get(uri)
        if state is None or state.images_job.running or state.path is None:
            return
        paths = self.ws.images_of(state) if again else self.ws.unread_images(state)
        if not paths:
            return

        def done(future) -> None:
            try:
                changed = future.result()
            except Exception as e:  # noqa: BLE001
                self.log_error("reading image headers", e)
                return
            if changed and self.ws.docs.get(uri) is state:
                state.analysis = None
                if not self.pull:
                    self.schedule(uri)
                elif self.capabilities.diagnostic_refresh:
                    self.workspace_diagnostic_refresh(None)

        state.images_job.start(self.ws.read_images, paths, done=done)

    def opened(self, uri: str) -> None:
        """A document was opened: read the headers of the images it links in a worker thread,
        then publish its first diagnostics (which so know the sizes) and start reading git and the
        checklist's evidence.  Without linked images, at once."""
        state = self.ws.docs.get(uri)
        if state is None:
            return
        paths = self.ws.images_of(state)
        if not paths:
            self._first_publish(uri, waited=False)
            return

        def done(future) -> None:
            try:
                future.result()
            except Exception as e:  # noqa: BLE001
                self.log_error("reading image headers", e)
            if self.ws.docs.get(uri) is not state:
                return  # closed or opened again meanwhile
            state.analysis = None
            self._first_publish(uri, waited=True)

        state.images_job.start(self.ws.read_images, paths, done=done)

    def _first_publish(self, uri: str, *, waited: bool) -> None:
        """``waited``: the image headers were read first (a pull may have been answered without them)."""
        if not self.pull:
            self.publish(uri)
        elif waited and self.capabilities.diagnostic_refresh:
            self.workspace_diagnostic_refresh(None)
        self.refresh_git(uri)
        self.refresh_checklist(uri)

    def refresh_git(self, uri: str, *, typing: bool = False) -> None:
        """Read git for this report in a worker thread (never on the keystroke path); when what it
        says changed, re-check every open report of that repository and refresh the code lenses."""
        state = self.ws.docs.get(uri)
        if state is None or state.git_job.running or not self.ws.git_enabled(state):
            return
        if typing and state.git_job.recent(GIT_REFRESH_S):
            return

        def done(future) -> None:
            try:
                changed = future.result()
            except Exception as e:  # noqa: BLE001
                self.log_error("reading git", e)
                return
            if not changed:
                return
            for other in self.ws.rechecked_after_git(state):
                other.analysis = None
                if not self.pull:
                    self.publish(other.uri)
            self.refresh_views()

        state.git_job.start(self.ws.refresh_git, state, done=done)

    def refresh_checklist(self, uri: str) -> None:
        """Scan the report's repository for the checklist's evidence in a worker thread (never on
        the keystroke path); when the evidence changed, re-check that repository's open reports."""
        state = self.ws.docs.get(uri)
        if state is None or state.checklist_job.running or not self.ws.checklist_enabled(state):
            return

        def done(future) -> None:
            try:
                root = future.result()
            except Exception as e:  # noqa: BLE001
                self.log_error("reading the repository for the checklist", e)
                return
            known = self.ws.checklist_root(state)
            if known is not None and self.ws.checklist.needs_refresh(known):  # changed while scanning
                self.refresh_checklist(uri)
            if root is not None:
                self.recheck_under(root)

        state.checklist_job.start(self.ws.refresh_checklist, state, done=done)

    def recheck_under(self, root) -> None:
        """New evidence for ``root``: the open reports inside it whose checklist findings change are
        checked again (published after the usual debounce, so a scan ending while the user types
        never publishes between keystrokes), the others keep their analysis with the new
        assessment; the client is asked for lenses again."""
        for other in list(self.ws.docs.values()):
            if other.path is not None and other.path.is_relative_to(root) and not self.ws.checklist_in_place(other):
                other.analysis = None
                self.schedule(other.uri)
        self.refresh_views()

    def schedule(self, uri: str) -> None:
        if self.pull:
            return
        state = self.ws.docs.get(uri)
        if state is None:
            return
        state.cancel_timers()
        delay = self.ws.settings.debounce_ms
        if delay <= 0:
            self.publish(uri, complete=False)
            return
        state.debounce.start(delay / 1000, self.publish, uri)

    def refresh_all(self) -> None:
        for uri in list(self.ws.docs):
            self.refresh_checklist(uri)
        if self.pull:
            if self.capabilities.diagnostic_refresh:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.ws.docs):
            self.publish(uri)

    def apply_settings(self, raw: object, source: str) -> bool:
        """Layer one source of settings over the defaults: ``"init"`` is
        initializationOptions, ``"client"`` the latest configuration answer or didChangeConfiguration,
        which wins key by key.  A source that sets nothing (null, ``{}``) changes nothing; an invalid
        value is reported and ignored.  Returns whether anything was applied."""
        applied, problems = self.settings_layers.apply(raw, source)
        for p in problems:
            self.log_warning(p)
        if not applied:
            return False
        self.ws.settings = self.settings_layers.current
        self.ws.invalidate(figures=True, report_py=True)
        return True

    def log_warning(self, message: str) -> None:
        log.warning(message)
        with contextlib.suppress(Exception):
            self.window_log_message(t.LogMessageParams(t.MessageType.Warning, f"reportls: {message}"))


# What ``create_server`` registers, in the order the handlers are defined below: the methods, their
# options and the handler functions (module-level data describing the handlers, not state).
_FEATURES: list[tuple[str, object, Callable]] = []
_COMMANDS: list[tuple[str, Callable]] = []
_CUSTOM_PARAMS: dict[str, type] = {}  # custom (non-LSP) method -> its params type


def feature(method: str, options=None):
    """Declare ``fn`` the handler of ``method`` (registered on each server ``create_server`` builds)."""

    def register(fn):
        _FEATURES.append((method, options, fn))
        return fn

    return register


def command(name: str):
    def register(fn):
        _COMMANDS.append((name, fn))
        return fn

    return register


def create_server() -> ReportServer:
    """A new server with every handler of this module registered (``reportls serve`` makes one;
    the benchmark makes one in process)."""
    server = ReportServer()
    for method, params_type in _CUSTOM_PARAMS.items():
        server.protocol.declare_params(method, params_type)
    for method, options, fn in _FEATURES:
        server.feature(method, options)(fn)
    for name, fn in _COMMANDS:
        server.command(name)(fn)
    return server


def safe(default=None):
    """Log any exception in a handler and answer with ``default``; the server lives on.  Every
    handler's first argument is the server."""

    def wrap(fn):
        if asyncio.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args, **kwargs):
                try:
                    return await fn(*args, **kwargs)
                except Exception as e:  # noqa: BLE001
                    args[0].log_error(fn.__name__, e)
                    return default() if callable(default) else default

            return run_async

        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as e:  # noqa: BLE001
                args[0].log_error(fn.__name__, e)
                return default() if callable(default) else default

        return run

    return wrap


# lifecycle -----------------------------------------------------------------------------------
@feature(t.INITIALIZE)
@safe()
def initialize(ls: ReportServer, params: t.InitializeParams) -> None:
    encoding = ls.workspace.position_encoding or "utf-16"
    ls.ws.encoding = getattr(encoding, "value", encoding)
    root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    if root:
        ls.ws.root = uri_to_path(root)
    ls.capabilities = Capabilities.from_client(params.capabilities)
    ls.apply_settings(params.initialization_options, "init")


@feature(t.INITIALIZED)
@safe()
async def initialized(ls: ReportServer, params: t.InitializedParams) -> None:
    if ls.capabilities.watched_files_registration:
        watchers = [t.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]
        await ls.client_register_capability_async(t.RegistrationParams(registrations=[
            t.Registration(id="reportls-watch", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                           register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        ]))
    if ls.capabilities.configuration:
        await pull_configuration(ls)


async def pull_configuration(ls: ReportServer) -> None:
    try:
        result = await asyncio.wait_for(
            ls.workspace_configuration_async(t.ConfigurationParams(items=[t.ConfigurationItem(section="reportls")])), 5
        )
    except Exception as e:  # noqa: BLE001 - a client that can't answer keeps the current settings
        log.info("workspace/configuration unavailable: %s", e)
        return
    if ls.apply_settings(result, "client"):
        ls.refresh_all()


@feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
@safe()
async def did_change_configuration(ls: ReportServer, params: t.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and "reportls" in settings:
        if ls.apply_settings(settings["reportls"], "client"):
            ls.refresh_all()
    elif ls.capabilities.configuration:
        await pull_configuration(ls)


@feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@safe()
def did_change_watched_files(ls: ReportServer, params: t.DidChangeWatchedFilesParams) -> None:
    names = [c.uri.rsplit("/", 1)[-1] for c in params.changes]
    for path in filter(None, (uri_to_path(c.uri) for c in params.changes)):
        ls.ws.checklist.invalidate(path)
    for uri in list(ls.ws.docs):
        ls.refresh_checklist(uri)
    if all(checklist_only(c.uri) for c in params.changes):
        return  # a code or config file: only the checklist's evidence can change
    config = any(n == ".reportls.yaml" for n in names)
    ls.ws.invalidate(figures=True, report_py=any(n == "report.py" for n in names), config=config)
    if config:
        for state in list(ls.ws.docs.values()):
            ls.show_config_errors(state)
    ls.refresh_all()
    for uri in list(ls.ws.docs):
        ls.refresh_git(uri)
        ls.refresh_images(uri, again=True)


def checklist_only(uri: str) -> bool:
    """A changed file that matters to the checklist's evidence and to nothing else reportls reads."""
    lower = uri.lower()
    name = lower.rsplit("/", 1)[-1]
    return not ("/figures/" in lower or name in ("report.py", ".reportls.yaml", "pyproject.toml", ".gitignore")
                or name.endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".md")))


# text sync -----------------------------------------------------------------------------------
@feature(t.TEXT_DOCUMENT_DID_OPEN)
@safe()
def did_open(ls: ReportServer, params: t.DidOpenTextDocumentParams) -> None:
    """The document is the session's at once (a request or change sent right after sees it); its
    first diagnostics follow once the headers of the images it links are read (``opened``)."""
    doc = params.text_document
    previous = ls.ws.docs.get(doc.uri)
    if previous is not None:
        previous.cancel_timers()
    state = ls.ws.open(doc.uri, doc.text, doc.version)
    ls.show_config_errors(state)
    ls.opened(doc.uri)


@feature(t.TEXT_DOCUMENT_DID_CHANGE)
@safe()
def did_change(ls: ReportServer, params: t.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri not in ls.ws.docs:
        ls.log_error("didChange", f"{uri} is not open")
        return
    changes = []
    for c in params.content_changes:
        rng = getattr(c, "range", None)
        changes.append((c.text, None if rng is None else (rng.start.line, rng.start.character, rng.end.line, rng.end.character)))
    try:
        for problem in ls.ws.change(uri, params.text_document.version, changes):
            ls.log_error("didChange", problem)
    finally:
        ls.schedule(uri)
        ls.refresh_git(uri, typing=True)


@feature(t.TEXT_DOCUMENT_DID_SAVE)
@safe()
def did_save(ls: ReportServer, params: t.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri in ls.ws.docs and not ls.pull:
        ls.publish(params.text_document.uri)
    ls.refresh_git(params.text_document.uri)
    ls.refresh_images(params.text_document.uri, again=True)
    saved = uri_to_path(params.text_document.uri)
    if saved is not None:
        ls.ws.checklist.invalidate(saved)
    ls.refresh_checklist(params.text_document.uri)


@feature(t.TEXT_DOCUMENT_DID_CLOSE)
@safe()
def did_close(ls: ReportServer, params: t.DidCloseTextDocumentParams) -> None:
    state = ls.ws.close(params.text_document.uri)
    if state is not None:
        state.cancel_timers()
    if state is not None and not ls.pull and state.last_published is not None:
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


# features ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ready:
    """What every document feature needs: the open report, its analysis and converter (this
    version's), and its figures folder."""

    state: OpenReport
    analysis: Analysis
    conv: Converter
    folder: FigureFolder | None

    def offset(self, position: t.Position) -> int:
        return self.conv.offset(position)


def _ready(ls: ReportServer, uri: str) -> Ready | None:
    state = ls.ws.docs.get(uri)
    if state is None:
        return None
    analysis = ls.ws.analysis(uri, complete=False)  # hover and code actions ask for the rest
    if analysis is None or not analysis.report.is_report:
        return None
    return Ready(state, analysis, ls.converter(state), ls.ws.folder_for(state))


def _uri(params) -> str:
    """The document's URI, from lsprotocol params or a custom request's (a namedtuple, camelCase)."""
    doc = getattr(params, "text_document", None) or params.textDocument
    return doc.uri


LOOP = "loop"  # answered on the event loop: pure functions over the cached analysis (fast)
WORKER = "worker"  # its slow part (git) runs in a worker thread, awaited with run_in_executor


def document_feature(method: str, options=None, empty=None, params: type = TextDocumentParams, *, runs: str):
    """Register ``fn(ls, ready, params)`` for ``method``: it runs only on an open report (else the
    answer is ``empty``), and any exception is logged and answered with ``empty``.  A custom
    method's ``params`` type is checked before any handler runs (``protocol.py``: InvalidParams).

    ``runs`` says where: ``LOOP`` handlers are plain functions; ``WORKER`` handlers are coroutines
    that await their slow part in a worker thread (the loop answers other requests meanwhile)."""
    if method not in t.METHOD_TO_TYPES:
        _CUSTOM_PARAMS[method] = params

    def register(fn):
        if asyncio.iscoroutinefunction(fn) != (runs == WORKER):
            raise TypeError(f"{fn.__name__}: runs={runs} needs {'a coroutine' if runs == WORKER else 'a function'}")
        if runs == WORKER:

            @feature(method, options)
            @safe(empty)
            @functools.wraps(fn)
            async def handler_async(ls: ReportServer, params):
                ready = _ready(ls, _uri(params))
                if ready is None:
                    return empty() if callable(empty) else empty
                return await fn(ls, ready, params)

            return fn

        @feature(method, options)
        @safe(empty)
        @functools.wraps(fn)
        def handler(ls: ReportServer, params):
            ready = _ready(ls, _uri(params))
            if ready is None:
                return empty() if callable(empty) else empty
            return fn(ls, ready, params)

        return fn

    return register


@feature(t.TEXT_DOCUMENT_DIAGNOSTIC, t.DiagnosticOptions(inter_file_dependencies=False, workspace_diagnostics=False,
                                                                identifier="reportls"))
@safe(lambda: t.FullDocumentDiagnosticReport(items=[]))
def pull_diagnostics(ls: ReportServer, params: t.DocumentDiagnosticParams) -> t.FullDocumentDiagnosticReport:
    result = ls.diagnostics(params.text_document.uri)
    if result is None:
        return t.FullDocumentDiagnosticReport(items=[])
    state, items = result
    return t.FullDocumentDiagnosticReport(items=items, result_id=f"{state.doc.version}")


@document_feature(t.TEXT_DOCUMENT_HOVER, runs=LOOP)
def hover(ls: ReportServer, r: Ready, params: t.HoverParams) -> t.Hover | None:
    analysis = ls.ws.analysis_of(r.state)  # with the hand-in findings of the answer being typed in
    return r.conv.hover(features.hover(analysis, r.offset(params.position), r.folder), ls.capabilities.hover_kind)


@document_feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=["(", "/", "!", "["]), runs=LOOP)
def completion(ls: ReportServer, r: Ready, params: t.CompletionParams) -> t.CompletionList | None:
    return r.conv.completion_list(features.complete(r.analysis, r.offset(params.position), r.folder))


@document_feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL, empty=list, runs=LOOP)
def document_symbol(ls: ReportServer, r: Ready, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
    return [r.conv.symbol(s) for s in features.document_symbols(r.analysis)]


@document_feature(t.TEXT_DOCUMENT_FOLDING_RANGE, empty=list, runs=LOOP)
def folding_range(ls: ReportServer, r: Ready, params: t.FoldingRangeParams) -> list[t.FoldingRange]:
    return [f for f in map(r.conv.folding, features.folding_ranges(r.analysis)) if f is not None]


@document_feature(t.TEXT_DOCUMENT_DOCUMENT_LINK, empty=list, runs=LOOP)
def document_link(ls: ReportServer, r: Ready, params: t.DocumentLinkParams) -> list[t.DocumentLink]:
    return [r.conv.link(link) for link in features.document_links(r.analysis, r.folder)]


@document_feature(t.TEXT_DOCUMENT_DEFINITION, runs=LOOP)
def definition(ls: ReportServer, r: Ready, params: t.DefinitionParams) -> t.Location | None:
    return r.conv.location(features.definition(r.analysis, r.offset(params.position), r.folder))


@document_feature(t.TEXT_DOCUMENT_INLAY_HINT, empty=list, runs=LOOP)
def inlay_hint(ls: ReportServer, r: Ready, params: t.InlayHintParams) -> list[t.InlayHint]:
    if not ls.ws.settings.inlay_hints:
        return []
    visible = r.conv.span(params.range)
    return [r.conv.inlay_hint(h) for h in features.inlay_hints(r.analysis) if visible.start <= h.offset <= visible.end]


@document_feature(t.TEXT_DOCUMENT_CODE_LENS, empty=list, runs=LOOP)
def code_lens(ls: ReportServer, r: Ready, params: t.CodeLensParams) -> list[t.CodeLens]:
    as_lenses = ls.ws.settings.inlay_hints and not ls.capabilities.inlay_hints
    facts = ls.ws.git_facts(r.state)
    status = handin_status(facts) if facts is not None else None
    return [r.conv.code_lens(lens) for lens in features.code_lenses(r.analysis, hints_as_lenses=as_lenses,
                                                                    handin_status=status)]


@document_feature(t.TEXT_DOCUMENT_CODE_ACTION, CODE_ACTION_OPTIONS, empty=list, runs=WORKER)
async def code_action(ls: ReportServer, r: Ready, params: t.CodeActionParams) -> list[t.CodeAction]:
    """The document's own fixes are computed here; the ignore-file fix runs git (``git init`` in a
    scratch folder, ``git check-ignore``), so it runs in a worker thread and the event loop goes on
    answering other requests (a hover sent right after is not kept waiting)."""
    only = [getattr(k, "value", k) for k in params.context.only or []]  # e.g. "source.organizeImports": none
    analysis = ls.ws.analysis_of(r.state)  # with the hand-in findings of the answer being typed in
    span = r.conv.span(params.range)
    actions = features.code_actions(analysis, span, r.folder, only=only)
    facts = ls.ws.git_facts(r.state)
    wants_quickfix = not only or any("quickfix".startswith(k) or k.startswith("quickfix") for k in only)
    if wants_quickfix and facts is not None and any(f.code == "figure-ignored" for f in analysis.findings):
        loop = asyncio.get_running_loop()
        actions += await loop.run_in_executor(None, ignore_fixes, analysis, span, facts)
    report_dir = r.state.path.parent if r.state.path else None
    diagnostics = list(params.context.diagnostics or [])
    converted = (r.conv.code_action(a, r.state.uri, r.state.doc.version, report_dir, ls.capabilities.resource_operations, diagnostics)
                 for a in actions)
    return [a for a in converted if a is not None]


@document_feature(QUESTION_STATUS, params=t.TextDocumentPositionParams, runs=LOOP)
def question_status(ls: ReportServer, r: Ready, params) -> dict | None:
    """``reportls/questionStatus``: report.py's numbers for the question under the cursor."""
    status = r.conv.question_status(features.question_status(r.analysis, r.offset(params.position)))
    if status is not None:
        facts = ls.ws.git_facts(r.state)
        status["handin"] = handin_status(facts) if facts is not None else None
    return status


@document_feature(HANDIN_PREVIEW, runs=LOOP)
def handin_preview(ls: ReportServer, r: Ready, params) -> dict:
    """``reportls/handinPreview``: the page ``reportls html`` writes, for the buffer's text."""
    from reportls.handin.page import render_page

    return {"html": render_page(r.state.doc.text, r.analysis.handin)}


# workspace-wide -------------------------------------------------------------------------------
async def _reports(ls: ReportServer) -> list:
    """(state, analysis) of every report in the workspace: the open ones on the loop, the unopened
    ones (a walk of the workspace and reads from disk) in a worker."""
    def analyzed(states) -> list:
        pairs = [(state, ls.ws.analysis_of(state, complete=False)) for state in states]
        return [(state, analysis) for state, analysis in pairs if analysis.report.is_report]

    opened = analyzed(list(ls.ws.docs.values()))
    unopened = await asyncio.get_running_loop().run_in_executor(None, lambda: analyzed(ls.ws.unopened_reports()))
    return opened + unopened


@feature(t.WORKSPACE_SYMBOL)
@safe(list)
async def workspace_symbol(ls: ReportServer, params: t.WorkspaceSymbolParams) -> list[t.WorkspaceSymbol]:
    """The questions of the workspace's reports, with their verdicts (go to symbol)."""
    return [ls.converter(state).workspace_symbol(s, state.uri)
            for state, analysis in await _reports(ls) for s in features.question_symbols(analysis, params.query)]


@feature(t.WORKSPACE_WILL_RENAME_FILES, t.FileOperationRegistrationOptions(filters=RENAME_FILTERS))
@safe()
async def will_rename_files(ls: ReportServer, params: t.RenameFilesParams) -> t.WorkspaceEdit | None:
    """Images or folders about to be renamed: the link edits that keep every report's figures."""
    renames = [(uri_to_path(f.old_uri), uri_to_path(f.new_uri)) for f in params.files]
    renames = [(old, new) for old, new in renames if old is not None and new is not None]
    changes = {}
    for state, analysis in await _reports(ls):
        if state.path is None:
            continue
        edits = features.rename_edits(analysis, state.path.parent, renames)
        if edits:
            conv = ls.converter(state)
            changes[state.uri] = [t.TextEdit(range=conv.range(e.span), new_text=e.new_text) for e in edits]
    return t.WorkspaceEdit(changes=changes) if changes else None


@command("reportls.documentText")
@safe()
def document_text(ls: ReportServer, uri: str) -> dict | None:
    """The server's copy of a document (for tests and bug reports: is it in sync with the editor?)."""
    state = ls.ws.docs.get(uri)
    return None if state is None else {"version": state.doc.version, "text": state.doc.text}


def main(log_file: str | None = None) -> int:
    """Serve over stdio until ``exit``, the end of stdin or the client's process is gone (the
    watchdog exits on its own); the exit code is the protocol's (``protocol.py``)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file))
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)
    memory.limit_arenas()
    server = create_server()
    server.start_io()
    return server.protocol.exit_status()
