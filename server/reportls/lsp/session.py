"""The server's session: the one owner of every read of the outside world, and of every cache.

Owns (the inputs): each open document's text (our ``TextDocument``, edited incrementally with the
negotiated position encoding) and its ``Parser`` (which reuses unchanged segments); the report
files of the workspace that are not open; the ``FigureFolder`` listings per report folder; the
image headers of the linked figures (``files/images.py``); the nearest config file; the report.py
beside the report (its constraint table and hand-in rendering); git's facts and the refs' trees
(``GitCache``); the checklist's repository scan; the settings.

Derives (cached, keyed by what they depend on): the ``Analysis`` per document version, shared by
diagnostics, hover, completion, hints, lenses and symbols; the constraint ``Resolution`` per
(report folder, template signature, constraints setting, report.py stamp); the ``HtmlSpec`` per
(report folder, report.py stamp).  The core receives all of it as plain data.

Where the reads happen: the cheap ones (a few ``stat`` calls for the config file and report.py,
re-read only when their stamp changed) on the loop for each new version; the slow ones in worker
threads, started by the server: git (``refresh_git``), the checklist scan (``refresh_checklist``)
and image headers (``read_images``).  A keystroke only reads what those left in the caches.

Freshness: watched-file events drop the listings, tables and specs (``invalidate``) and re-read
the image headers and git in workers; without a watcher, open and save do.  The settings'
precedence over the project's file is described in ``lsp/settings.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from reportls.analysis import Analysis, Options, analyze, options_from, resolve_for, template_signature
from reportls.constraints import Config, ConfigError, Resolution, find_config, load_config, report_py_beside
from reportls.constraints.config import has_reportls_table
from reportls.files.diskfile import MAX_REPORT_BYTES, read_regular_file
from reportls.files.images import ImageHeaders, linked_images
from reportls.files.stamp import StampedCache, stamp
from reportls.text.document import UTF16, TextDocument
from reportls.checklist.evidence import assess_report, checklist_findings
from reportls.files.figures import FigureFolder, normalize_dest
from reportls.git.refs import RefTreeIndex
from reportls.lsp.gitcache import GitCache
from reportls.findings import apply_severities, carried_over
from reportls.handin.findings import HandinCheck, is_handin_code
from reportls.handin.spec import HtmlSpec, read_html_spec
from reportls.lsp.convert import Converter
from reportls.lsp.settings import Settings
from reportls.lsp.timers import Job, Timer
from reportls.report.model import Report
from reportls.report.parse import Parser
from reportls.checks.repository import ref_trees, repository_checks
from reportls.files.folders import SKIPPED_FOLDERS
from reportls.files.reposcan import EvidenceCache, scan_root

log = logging.getLogger("reportls")


MAX_PATH_BYTES = 4096  # longer paths (or a name over 255 bytes) name no file any system can open


def uri_to_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names; None for any other URI and for one that cannot name a file
    on disk (a NUL from ``%00``, a path or a name too long): such a document is checked as a
    document without a folder on disk."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/...
        path = path[1:]
    encoded = path.encode("utf-8", "surrogatepass")
    if "\0" in path or len(encoded) > MAX_PATH_BYTES or any(len(part) > 255 for part in encoded.split(b"/")):
        return None
    return Path(path)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.is_relative_to(root)
    except ValueError:
        return False


VersionKey = tuple[int | None, int, int]  # (document version, id of its text, its length)


@dataclass
class OpenReport:
    """One document the session holds (open in the editor, or a report file read from disk)."""

    uri: str
    path: Path | None
    doc: TextDocument
    parser: Parser = field(default_factory=Parser)
    analysis: Analysis | None = None
    analysis_version: VersionKey | None = None
    last_published: int | None = None
    published: list | None = None  # the lsprotocol Diagnostics last pushed (a repeat of them is not sent)
    converter: tuple[tuple[int | None, int], Converter] | None = None  # (version key, its Converter)
    handin_memo: dict | None = None  # this document's hand-in results by answer (HandinCheck.memo)
    debounce: Timer = field(default_factory=Timer)  # the pending publish
    handin_timer: Timer = field(default_factory=Timer)  # completes the deferred hand-in checks
    git_job: Job = field(default_factory=Job)  # reading git (at most every GIT_REFRESH_S while typing)
    checklist_job: Job = field(default_factory=Job)  # the repository scan for the checklist
    images_job: Job = field(default_factory=Job)  # reading the linked images' headers
    edit: tuple[int, int, int] | None = None  # the one edit since the last analysis, if it was one
    edits: int = 0  # how many edits since the last analysis
    git_first_read: bool = False  # the last git reading was the first for this document
    linked_images: list[Path] = field(default_factory=list)  # the image files the last analysis showed

    def cancel_timers(self) -> None:
        self.debounce.cancel()
        self.handin_timer.cancel()


@dataclass
class ConfigState:
    """A ``.reportls.yaml`` as last read: ``fatal`` when it could not be used at all (malformed
    YAML: defaults apply), else ``message`` lists the keys and values it ignored."""

    path: Path | None
    stamp: tuple[int, int] | None
    config: Config | None = None
    message: str | None = None
    fatal: bool = False


MAX_RESOLUTIONS = 64


def report_files(root: Path | None) -> list[Path]:
    """The report files of a workspace, without walking it: ``README.md`` and
    ``reports/README.md`` at the root and one folder down (a course repo, or a folder of repos)."""
    if root is None:
        return []
    candidates = [root / "reports" / "README.md", root / "README.md"]
    try:
        children = sorted(p for p in root.iterdir()
                          if p.is_dir() and not p.name.startswith(".") and p.name not in SKIPPED_FOLDERS)
    except OSError:
        children = []
    for child in children[:200]:
        candidates += [child / "reports" / "README.md"]
    return [p for p in candidates if p.is_file()]


class Session:
    def __init__(self) -> None:
        self.root: Path | None = None
        self.settings = Settings()
        self.encoding = UTF16
        self.docs: dict[str, OpenReport] = {}
        self._folders: dict[tuple[Path, str], FigureFolder] = {}
        self._resolutions: dict[tuple, Resolution] = {}
        self._configs: dict[Path, ConfigState] = {}
        self._pyproject_tables = StampedCache(has_reportls_table)  # pyproject.toml -> has [tool.reportls]
        self.images = ImageHeaders()  # image file -> its header (read in a worker: ``read_images``)
        self.git = GitCache()
        self._ref_trees: dict[Path, RefTreeIndex] = {}  # repository root -> its refs' trees
        self._html_specs: dict[tuple, HtmlSpec] = {}  # (report folder, report.py stamp) -> HtmlSpec
        self._on_disk: dict[Path, tuple[tuple[int, int] | None, OpenReport]] = {}  # unopened reports
        self.reported_config_errors: set[tuple] = set()  # (path, stamp, message) shown once
        self.checklist = EvidenceCache()  # repository root -> the checklist's evidence
        self._checklist_roots: dict[Path, Path | None] = {}  # report path -> its repository root

    # documents -------------------------------------------------------------------------------
    def open(self, uri: str, text: str, version: int | None) -> OpenReport:
        """A new buffer for ``uri`` (a re-open replaces the old one; its figure listing is re-read)."""
        state = OpenReport(uri, uri_to_path(uri), TextDocument(uri, text, version))
        self.docs[uri] = state
        if state.path is not None:
            for (folder, _), listing in self._folders.items():
                if folder == state.path.parent:
                    listing.invalidate()
        return state

    def change(self, uri: str, version: int | None,
               changes: list[tuple[str, tuple[int, int, int, int] | None]]) -> list[str]:
        """Apply (text, range-or-None) changes in order; returns problems worth logging (a range
        past the end of the text is applied clamped to it, as the editor's buffer must end there).
        A reversed range raises ValueError after the changes before it were applied; the caller
        logs it and a later full sync resynchronises."""
        state = self.docs[uri]
        problems: list[str] = []
        try:
            for text, rng in changes:
                if rng is not None and max(rng[0], rng[2]) >= state.doc.index.line_count:
                    problems.append(f"didChange range {rng} is past the end of {uri} "
                                    f"({state.doc.index.line_count} lines); applied at the end")
                state.edit = state.doc.apply_change(text, rng, self.encoding)
                state.edits += 1
        finally:
            state.doc.version = version
        return problems

    def close(self, uri: str) -> OpenReport | None:
        return self.docs.pop(uri, None)

    # configuration ---------------------------------------------------------------------------
    def config_state(self, report_dir: Path) -> ConfigState:
        """The nearest .reportls.yaml, re-read only when it moved or its stamp changed."""
        path = find_config(report_dir, self.root, self._pyproject_tables.get)
        current = stamp(path) if path is not None else None
        cached = self._configs.get(report_dir)
        if cached is not None and cached.path == path and cached.stamp == current:
            return cached
        state = ConfigState(path, current)
        if path is not None:
            try:
                state.config = load_config(path)
                state.message = "; ".join(
                    f"{path}:{p.line + 1}: {p.message}" if p.line is not None else f"{path}: {p.message}"
                    for p in state.config.problems
                ) or None
            except (ConfigError, OSError) as e:
                state.message, state.fatal = f"{e} (using the defaults)", True
        self._configs[report_dir] = state
        return state

    def config_for(self, report_dir: Path) -> tuple[Config | None, str | None]:
        """The nearest .reportls.yaml and a message about what was wrong with it, if anything."""
        state = self.config_state(report_dir)
        return state.config, state.message

    def options_for(self, state: OpenReport) -> Options:
        config = self.config_for(state.path.parent)[0] if state.path is not None else None
        return options_from(config, constraints=self.settings.constraints or None,
                            severity=self.settings.severity)

    def folder_for(self, state: OpenReport, options: Options | None = None) -> FigureFolder | None:
        if state.path is None:
            return None
        figures = (options or self.options_for(state)).figures
        key = (state.path.parent, figures)
        if key not in self._folders:
            self._folders[key] = FigureFolder(state.path.parent, figures)
        return self._folders[key]

    # git ---------------------------------------------------------------------------------------
    def git_enabled(self, state: OpenReport, options: Options | None = None) -> bool:
        return (state.path is not None and self.settings.git
                and getattr(options or self.options_for(state), "git", True))

    def git_facts(self, state: OpenReport, options: Options | None = None):
        """What git last said about this report (``git.facts.GitFacts``), None when unknown or
        turned off.  Never runs git: ``refresh_git`` does, off the event loop."""
        return self.git.get(state.path) if self.git_enabled(state, options) else None

    def refresh_git(self, state: OpenReport) -> bool:
        """Read git again for this report if anything changed (runs git: call it in a worker
        thread).  Also lists the trees of the refs its links to the group's repository name.
        Returns whether the facts changed."""
        options = self.options_for(state)
        if not self.git_enabled(state, options):
            return False
        report = state.analysis.report if state.analysis is not None else state.parser.parse(state.doc.text)
        figures = sorted({normalize_dest(f.dest) for f in report.figures if not f.hidden and f.dest})
        before = self.git.get(state.path)
        facts = self.git.refresh(state.path, figures, options.figures)
        if facts is not None and facts.refused is None:
            self._ref_trees[facts.root] = ref_trees(report, facts, self._ref_trees.get(facts.root))
        state.git_first_read = before is None
        return facts is not before

    def rechecked_after_git(self, state: OpenReport) -> list[OpenReport]:
        """The open reports to check again after ``refresh_git`` found new facts for ``state``:
        ``state`` alone when its facts were read for the first time (opening a report says nothing
        new about the repository, so an open never costs more because others are open), else every
        open report of the same repository (what changed there may show in each of them)."""
        facts = self.git.get(state.path) if state.path else None
        if state.git_first_read or facts is None:
            return [state]
        root = facts.root
        return [other for other in self.docs.values()
                if other is state or (other.path is not None and _inside(other.path, root))]

    # the checklist's evidence (issue 25) -------------------------------------------------------
    def checklist_enabled(self, state: OpenReport, options: Options | None = None) -> bool:
        return (state.path is not None and self.settings.checklist
                and getattr(options or self.options_for(state), "checklist", True))

    def checklist_root(self, state: OpenReport) -> Path | None:
        """The repository root the report's evidence comes from, once a refresh has found it."""
        return self._checklist_roots.get(state.path) if state.path is not None else None

    def checklist_evidence(self, state: OpenReport, options: Options | None = None):
        """What the report's repository last showed (``checklist.RepoEvidence``), None when not
        read yet or turned off.  Never touches the disk: ``refresh_checklist`` reads."""
        if not self.checklist_enabled(state, options):
            return None
        root = self._checklist_roots.get(state.path)
        return self.checklist.get(root) if root is not None else None

    def checklist_in_place(self, state: OpenReport) -> bool:
        """After new evidence: when the report's checklist findings stay the same, put the new
        assessment into its current analysis (hover and lens see it) and say so; False means the
        report must be checked again (its findings change)."""
        analysis = state.analysis
        if analysis is None:
            return True  # checked afresh when next asked for
        options = self.options_for(state)
        evidence = self.checklist_evidence(state, options)
        result = assess_report(analysis.report, evidence) if evidence is not None and analysis.report.is_report else None
        new = apply_severities(checklist_findings(result), options.severity)
        if new != [f for f in analysis.findings if f.code.startswith("checklist-")]:
            return False
        analysis.checklist = result
        return True

    def refresh_checklist(self, state: OpenReport) -> Path | None:
        """Scan the report's repository if it was never scanned or is stale (runs I/O: call it in
        a worker thread).  Returns the repository root when its evidence changed."""
        if not self.checklist_enabled(state):
            return None
        root = self._checklist_roots.get(state.path) or scan_root(state.path)
        self._checklist_roots[state.path] = root
        return root if root is not None and self.checklist.refresh(root) else None

    def repository_checks(self, state: OpenReport, report, folder: FigureFolder | None, facts) -> list:
        """``checks.repository.repository_checks`` with this workspace's cached repository listing and ref
        trees (never runs git: the trees are listed by ``refresh_git``)."""
        if facts is None:
            return repository_checks(report, state.path, folder, None)
        key = (facts.root, "")
        if key not in self._folders:
            self._folders[key] = FigureFolder(facts.root, "")
        trees = self._ref_trees.get(facts.root) or RefTreeIndex(facts.root, facts.refs)
        return repository_checks(report, state.path, folder, facts, repo=self._folders[key], trees=trees)

    # image headers -------------------------------------------------------------------------------
    @staticmethod
    def _linked_images(report: Report, folder: FigureFolder | None) -> list[Path]:
        return linked_images(folder, (f.dest for f in report.figures if not f.hidden and f.dest))

    def images_of(self, state: OpenReport) -> list[Path]:
        """The image files the report's current text shows (through the cached listings)."""
        if state.path is None:
            return []
        report = state.analysis.report if state.analysis is not None else state.parser.parse(state.doc.text)
        return self._linked_images(report, self.folder_for(state))

    def unread_images(self, state: OpenReport) -> list[Path]:
        """The image files the last analysis showed whose headers were never read (no I/O: what a
        publish asks after each keystroke)."""
        return self.images.unread(state.linked_images)

    def read_images(self, paths: list[Path]) -> bool:
        """Read the headers of ``paths`` again where their stamp changed (I/O: call it in a worker
        thread).  Returns whether any size the checks see changed."""
        before = self.images.sizes(paths)
        return self.images.read(paths) != before

    # analysis --------------------------------------------------------------------------------
    def analysis(self, uri: str, complete: bool = True) -> Analysis | None:
        state = self.docs.get(uri)
        return None if state is None else self.analysis_of(state, complete)

    def analysis_of(self, state: OpenReport, complete: bool = True) -> Analysis:
        """The analysis of ``state``'s current text, computed once per version.

        ``complete=False`` (diagnostics pushed while typing, features that do not show hand-in
        findings): the hand-in checks render no answer, so an edited answer is left for later and
        shows its previous findings moved through the edit; ``complete=True`` renders it (cheap
        when only that answer is left: everything else is cached)."""
        key = (state.doc.version, id(state.doc.text), len(state.doc.text))
        previous = state.analysis
        if previous is not None and state.analysis_version == key:
            if not complete or not previous.deferred:
                return previous
            state.analysis = self._analyze(state, self._handin_check(state, previous.handin), previous.report,
                                           self._report_py_stamp(state))
            return state.analysis
        carry: tuple = ()
        if previous is not None and state.edits == 1 and state.edit is not None:
            carry = tuple(carried_over([f for f in previous.findings if is_handin_code(f.code)],
                                       state.edit, state.doc.text))
        state.edit, state.edits = None, 0
        report = state.parser.parse(state.doc.text, state.doc.index)
        report_py = self._report_py_stamp(state)  # one look per version, for the table and the page
        spec = self.html_spec(state.path.parent if state.path else None, report_py)
        state.analysis = self._analyze(state, self._handin_check(state, spec, defer=not complete, carry=carry),
                                       report, report_py)
        state.analysis_version = key
        return state.analysis

    @staticmethod
    def _handin_check(state: OpenReport, spec: HtmlSpec, **kw) -> HandinCheck:
        """The hand-in check of one version of ``state``, remembering its answers for the next."""
        fresh: dict = {}
        check = HandinCheck(spec, memo=state.handin_memo, fresh=fresh, **kw)
        state.handin_memo = fresh
        return check

    def _report_py_stamp(self, state: OpenReport):
        """The stamp of the report.py beside the report (one ``stat``: what says "read it again")."""
        return stamp(state.path.parent / "report.py") if state.path else None

    def _analyze(self, state: OpenReport, handin: HandinCheck, report: Report, report_py) -> Analysis:
        """``report_py``: the stamp of the report.py beside the report (``_report_py_stamp``)."""
        options = self.options_for(state)
        folder = self.folder_for(state, options)
        report_dir = state.path.parent if state.path else None
        rkey = (report_dir, template_signature(report), repr(options.constraints), report_py)
        resolution = self._resolutions.get(rkey)
        if resolution is None:
            if len(self._resolutions) >= MAX_RESOLUTIONS:
                self._resolutions.clear()
            resolution = resolve_for(report, state.path, options)
            self._resolutions[rkey] = resolution
        facts = self.git_facts(state, options)
        checks = [handin, *self.repository_checks(state, report, folder, facts)]
        state.linked_images = self._linked_images(report, folder)
        images = self.images.sizes(state.linked_images)
        return analyze(state.doc.text, path=state.path, options=options, report=report, folder=folder,
                       resolution=resolution, checks=checks, handin=handin.spec,
                       evidence=self.checklist_evidence(state, options), images=images)

    def html_spec(self, report_dir: Path | None, report_py_stamp) -> HtmlSpec:
        """How the report.py beside the report renders the hand-in (read with ``ast`` once per
        version of report.py, ``report_py_stamp``), the course's default without one."""
        key = (report_dir, report_py_stamp)
        spec = self._html_specs.get(key)
        if spec is None:
            if len(self._html_specs) >= MAX_RESOLUTIONS:
                self._html_specs.clear()
            source = report_py_beside(report_dir) if report_py_stamp is not None else None
            spec = self._html_specs[key] = read_html_spec(source)
        return spec

    def unopened_reports(self) -> list[OpenReport]:
        """The report files on disk that are not open (``report_files``: a walk of the workspace),
        read again only when they changed on disk.  Slow on a big workspace: the server calls it
        in a worker."""
        out: list[OpenReport] = []
        open_paths = {state.path for state in list(self.docs.values()) if state.path is not None}
        for path in report_files(self.root):
            if path in open_paths:
                continue
            current = stamp(path)
            cached = self._on_disk.get(path)
            if cached is None or cached[0] != current:
                try:
                    text = read_regular_file(path, MAX_REPORT_BYTES).decode("utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                cached = (current, OpenReport(path.as_uri(), path, TextDocument(path.as_uri(), text, None)))
                self._on_disk[path] = cached
            out.append(cached[1])
        return out

    def invalidate(self, *, figures: bool = False, report_py: bool = False, config: bool = False) -> None:
        if figures:
            for folder in self._folders.values():
                folder.invalidate()
        if report_py or config:
            self._resolutions.clear()
            self._html_specs.clear()
        if config:
            self._configs.clear()
        for state in [*self.docs.values(), *(state for _, state in self._on_disk.values())]:
            state.analysis = None

