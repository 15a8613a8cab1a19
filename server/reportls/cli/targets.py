"""What the PATH arguments of ``reportls check`` name, and checking one of them.

Owns: ``Target`` (a file, ``-`` for standard input, or a report found in a folder walk that skips
``node_modules``, virtual environments and hidden folders), reading it as UTF-8 (``InputError``: one
clear line, exit 2), the options from the nearest config plus the command line, and
``check_target``: one ``Analysis`` per target.  No output formatting here (``formats``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reportls.cli.inputs import GitReading, ReportInputs, checklist_evidence, in_repository
from reportls.files.folders import SKIPPED_FOLDERS
from reportls.text.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:
    import argparse  # the annotations' ``argparse.Namespace`` (an ordinary check line gives a SimpleNamespace)

STDIN = "-"
NOT_A_REPORT = "not a report (no `### Question` headings)"
# config problems that are reported and then ignored; any other (a bad value) is exit 2
NOT_FATAL = ("unknown key", "duplicate key", "no [tool.reportls] table", "severity: unknown diagnostic code")

class InputError(Exception):
    """A path that can't be read as a report: one clear line, exit 2.  ``path`` is what the JSON
    output's ``{"path", "error"}`` entry names."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


# --- what the PATH arguments name ---------------------------------------------------------------


@record(slots=True)
class Target:
    """One report to check.  ``shown`` is how output names it (as the user wrote it, or the
    ``--stdin-filename``); ``json_path`` is the JSON ``path`` (``-`` for stdin); ``path`` is where
    figures, report.py and the config are looked up from (None: stdin without a file name)."""

    shown: str
    json_path: str
    path: Path | None
    stdin: bool = False
    explicit: bool = True  # named on the command line, not found in a folder
    text: str | None = None  # already read (a folder walk reads each file to see if it is a report)
    report: object | None = None  # its model.Report, when already parsed


def default_paths() -> list[str]:
    """What ``reportls check`` checks with no PATH: ``reports/README.md`` found from the current
    folder up (``find_report_upward``), else ``README.md`` here."""
    found = find_report_upward(Path.cwd())
    if found is not None:
        return [found]
    if Path("README.md").is_file():
        return ["README.md"]
    raise InputError("no report found: no reports/README.md in this folder or above it (up to the repository "
                     "root), and no README.md here (pass a PATH)")


REPORT_PLACE = ("reports", "README.md")


def find_report_upward(start: Path) -> str | None:
    """``reports/README.md`` in ``start`` or the nearest folder above it, looking no further up than
    the repository root (a folder holding a ``.git`` folder or file), or the file system root outside
    a repository; as a path relative to ``start`` (None: not found)."""
    d = Path(os.path.abspath(start))
    for _ in range(256):
        candidate = d.joinpath(*REPORT_PLACE)
        if candidate.is_file():
            return os.path.relpath(candidate, start)
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent
    return None


def outside_start(shown: str) -> bool:
    """Whether a path found by ``find_report_upward`` lies above the folder it was looked for from."""
    return shown.split(os.sep, 1)[0] == os.pardir or shown.split("/", 1)[0] == ".."


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {e.start}); save it as UTF-8", name) from None


def read_bytes(path: Path) -> bytes:
    """A markdown file's bytes: a regular file of at most ``MAX_REPORT_BYTES`` (a FIFO or a device
    is refused at once, never waited on or read without end)."""
    from reportls.files.diskfile import MAX_REPORT_BYTES, read_regular_file

    return read_regular_file(path, MAX_REPORT_BYTES)


def unreadable(e: OSError) -> str:
    """Why a file was not read, after its name: "cannot be read (Permission denied)", or the
    reason ``diskfile`` refused it ("is a FIFO (named pipe), not a regular file")."""
    from reportls.files.diskfile import FileRefused

    return str(e) if isinstance(e, FileRefused) else f"cannot be read ({e.strerror or e})"


def read_text(path: Path, name: str | None = None) -> str:
    name = name or str(path)
    try:
        data = read_bytes(path)
    except OSError as e:
        raise InputError(f"{name}: {unreadable(e)}", name) from None
    return decode(data, name)


def _parse(text: str):
    from reportls.report.parse import Parser

    return Parser().parse(text)


def _might_be_report(text: str) -> bool:
    """A cheap look before parsing: every report has both words."""
    return "Answer:" in text and "Question" in text


def walk_reports(folder: Path) -> list[Target | InputError]:
    """The reports under ``folder``: markdown files the server would treat as reports
    (``Report.is_report``), in name order, never inside ``SKIPPED_FOLDERS`` or hidden folders, and
    without following symlinked folders.  A file that can't be decoded is listed as an error when
    it still looks like a report (or sits at the template's place, ``reports/README.md``)."""
    from reportls.report.model import at_template_place

    found: list[Target | InputError] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            path = Path(dirpath) / name
            shown = str(path)
            try:
                data = read_bytes(path)
            except OSError as e:
                if path.parent.name == "reports" and name == "README.md":
                    found.append(InputError(f"{shown}: {unreadable(e)}", shown))
                continue
            try:
                text = decode(data, shown)
            except InputError as e:
                lenient = data.decode("utf-8", "replace")
                if at_template_place(path) or (_might_be_report(lenient) and _parse(lenient).is_report):
                    found.append(e)
                continue
            if not _might_be_report(text) and not at_template_place(path):
                continue
            report = _parse(text)
            if report.is_report or at_template_place(path):
                found.append(Target(shown, shown, path, explicit=False, text=text, report=report))
    return found


def collect(args: argparse.Namespace) -> list[Target | InputError]:
    """The targets the PATH arguments name, in order; raises ``InputError`` for a usage error."""
    raw_paths = list(args.paths)
    stdin_name = getattr(args, "stdin_filename", None)
    if stdin_name and not raw_paths:
        raw_paths = [STDIN]
    if stdin_name and STDIN not in raw_paths:
        raise InputError("--stdin-filename names the text read from standard input: pass `-` as a PATH")
    if raw_paths.count(STDIN) > 1:
        raise InputError("`-` (standard input) can be given only once")
    if not raw_paths:
        raw_paths = default_paths()
    out: list[Target | InputError] = []
    for raw in raw_paths:
        if raw == STDIN:
            path = Path(stdin_name) if stdin_name else None
            out.append(Target(stdin_name or STDIN, STDIN, path, stdin=True))
            continue
        p = Path(raw)
        if p.is_dir():
            inside = walk_reports(p)
            out.extend(inside or [InputError(f"{raw}: is a folder with no markdown report in it "
                                             "(no file with `### Question` headings and `Answer:` markers)", raw)])
        elif not p.exists():
            out.append(InputError(f"{raw}: no such file", str(p)))
        else:
            out.append(Target(str(p), str(p), p))
    return out


# --- checking one target ------------------------------------------------------------------------


@record(slots=True)
class Checked:
    """One target checked: its ``analysis.Analysis``, the text's line index, the config's problems
    (one line each) and git's facts about the report (None: no repository, no git, --no-git)."""

    target: Target
    analysis: object
    index: object
    problems: list[str] = field(default_factory=list)
    git: object = None


def _options(target: Target, args: argparse.Namespace):
    """Options from the nearest config (or ``--config``), then ``--constraints``; plus the config's
    problems as lines naming the file and line."""
    from reportls.constraints import ConfigError, find_config, load_config
    from reportls.constraints.options import options_from

    config = None
    problems: list[str] = []
    if args.config:
        config_path = Path(args.config)
    else:
        start = target.path.resolve().parent if target.path is not None else Path.cwd()
        config_path = find_config(start, None)
    if config_path is not None:
        try:
            config = load_config(config_path)
        except ConfigError as e:
            raise InputError(str(e), target.json_path) from None
        except OSError as e:
            raise InputError(f"{config_path}: cannot be read ({e.strerror or e})", target.json_path) from None
        problems = [
            f"{config_path}:{p.line + 1}: {p.message}" if p.line is not None else f"{config_path}: {p.message}"
            for p in config.problems
        ]
        bad = [line for p, line in zip(config.problems, problems, strict=True) if not p.message.startswith(NOT_FATAL)]
        if bad:  # a value that can't be used: the run would not be the one asked for (README, "Configuration": exit 2)
            raise InputError("; ".join(bad), target.json_path)
    return options_from(config, constraints=args.constraints), problems


def check_target(target: Target, args: argparse.Namespace, stdin=None) -> Checked:
    """Read, parse and analyze one target; raises ``InputError`` for anything that is not a report
    that can be checked.  git's processes start as soon as the report is parsed and the options
    are known, before the checks are imported: they run while the rest is imported and checked,
    and their answers are read between the command's stages (``GitReading.pump``, no thread)."""
    text = target.text
    if text is None and target.stdin:
        stream = stdin if stdin is not None else sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        text = decode(data, target.shown) if isinstance(data, bytes) else data
    elif text is None:
        text = read_text(target.path, target.shown)
    options, problems = _options(target, args)
    path = target.path.resolve() if target.path is not None else None
    # the checklist's scan starts first, before the report is even parsed: forked before git's
    # processes start, it runs on another core beside all the rest
    scan = checklist_evidence(path, args) if path is not None and options.checklist else None
    report = target.report or _parse(text)
    from reportls.report.model import at_template_place

    # a file at reports/README.md, or checked with a chosen profile, is a report whatever it holds
    # (report.py crashes on an empty one: that is the verdict, exit 1)
    chosen = getattr(args, "constraints", None) not in (None, "auto")
    if target.explicit and not report.questions and "Answer:" not in text and not (
            chosen or at_template_place(target.path)):
        raise InputError(f"{target.shown}: {NOT_A_REPORT}", target.json_path)
    git = None
    if path is not None and options.git and not getattr(args, "no_git", False) and in_repository(path):
        git = GitReading(path, report, options.figures)  # git runs while the checks are imported and run
    from reportls.analysis import analyze

    if git is not None:  # git's first answers are in by now: its second round runs while the report is checked
        git.pump()
    inputs = ReportInputs.read(path, report, options.figures)  # everything read from outside, once
    checks, handin = [], None
    if getattr(args, "handin", False):
        from reportls.handin.findings import HandinCheck

        handin = inputs.html_spec()
        checks.append(HandinCheck(handin))
    checks.append(RepositoryChecks(path, inputs.folder, git))
    analysis = analyze(text, path=path, options=options, report=report, folder=inputs.folder, checks=checks,
                       handin=handin, evidence=scan.result if scan is not None else None, images=inputs.images,
                       report_py_source=inputs.report_py_source)
    return Checked(target, analysis, analysis.report.index, problems, git.facts() if git is not None else None)


class RepositoryChecks:
    """``repository_checks`` as one ``checks.Check`` (the registry's protocol): run after the
    built-in checks, with git's facts once they are read."""

    name = "repository"
    reports_only = True

    def __init__(self, path: Path | None, folder, git: GitReading | None):
        self.path, self.folder, self.git = path, folder, git
        self.pending: tuple[int, ...] = ()

    def __call__(self, report, view) -> list:
        facts = self.git.facts() if self.git is not None else None
        trees = self.git.trees if self.git is not None else None
        from reportls.checks.repository import repository_checks

        findings: list = []
        for check in repository_checks(report, self.path, self.folder, facts, trees=trees):
            findings.extend(check(report, view))
            self.pending += check.pending
        return findings

    def findings(self, inputs) -> list:
        return self(inputs.report, inputs.view)
