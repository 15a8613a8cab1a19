"""The ``reportls`` command: ``check`` (batch verdicts in text, JSON or GitHub form) and ``serve``.

Owns: the argument parser (one subparser per subcommand; ``main`` dispatches on ``COMMANDS``),
what a PATH means (a file, ``-`` for standard input, a folder walked for reports), the three
output formats, exit codes, and a stdout that ends quietly when its reader goes away
(``reportls check | head``).  The verdicts themselves come from ``reportls.analysis``.

Never imports pygls or lsprotocol at module level: ``serve`` imports the protocol layer only when
it runs, so ``reportls check`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
PROFILE_CHOICES = ("auto", "report.py", "2023-pre", "2023", "2025-pre", "2025", "2026")
FORMATS = ("text", "json", "github")
SKIPPED_FOLDERS = frozenset({"node_modules", ".venv", "venv", ".git", "site-packages"})
STDIN = "-"
NOT_A_REPORT = "not a report (no `### Question` headings)"

PROFILES_HELP = """\
constraint profiles (--constraints, or `constraints:` in the config):
  auto       the config file's choice, else the report.py beside the report (read with ast,
             never run), else the built-in profile matching the template (the default)
  report.py  the report.py beside the report (the built-in table if it can't be read)
  2023       27 questions: the table of the 2023 and 2024 courses (click-based report.py)
  2023-pre   its December 2022 pre-release: as 2023 except Q7 none, Q18 50-100 words
  2025       31 questions: the January 2025 course
  2025-pre   its December 2024 draft: as 2025 except Q31 50-200 words
  2026       31 questions: the January 2026 course (as 2025 except Q3 0-200 words)"""

EXIT_HELP = """\
exit codes:
  0  every question passes and there is no error diagnostic
  1  a question fails, report.py check would crash, or an error diagnostic (missing figure,
     a secret, ...)
  2  usage or input error: missing file, not UTF-8, not a report, malformed config (one line
     naming the file on stderr)"""

CONFIG_HELP = """\
settings: the nearest .reportls.yaml, or [tool.reportls] in pyproject.toml (.reportls.yaml wins
in the same folder), from the report's folder up to the repository root."""


class InputError(Exception):
    """A path that can't be read as a report: one clear line, exit 2.  ``path`` is what the JSON
    output's ``{"path", "error"}`` entry names."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


class QuietStdout:
    """A text stream that stops writing, silently, once the reader has gone (``BrokenPipeError``):
    ``reportls check | head`` ends without a traceback and the run still finishes with its exit
    code.  Points the file descriptor at /dev/null so the interpreter's final flush is quiet too."""

    def __init__(self, stream):
        self.stream = stream
        self.gone = False

    def write(self, s: str) -> int:
        if not self.gone:
            try:
                self.stream.write(s)
            except BrokenPipeError:
                self._reader_gone()
        return len(s)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        self.gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass


def _parser() -> argparse.ArgumentParser:
    from reportls import __version__

    raw = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="reportls",
        description="Live checks for the DTU 02476 MLOps exam report, agreeing with report.py check.",
        epilog=f"{EXIT_HELP}\n\n`reportls COMMAND --help` describes each command's options.",
        formatter_class=raw,
    )
    p.add_argument("--version", action="version", version=f"reportls {__version__}", help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser(
        "check",
        help="check reports like `python report.py check` does, and explain why",
        description="Check reports like `python report.py check` does (same word and image counts, same "
                    "verdict), and explain what report.py does not show.",
        epilog=f"{PROFILES_HELP}\n\n{CONFIG_HELP}\n\n{EXIT_HELP}",
        formatter_class=raw,
    )
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="report files; `-` reads the report from standard input; a folder checks every report "
                        "in it (markdown files with `### Question` headings and `Answer:` markers), skipping "
                        "node_modules, .venv, venv, .git, site-packages and hidden folders. "
                        "Default: reports/README.md, else README.md")
    c.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default): report.py's lines with `path:line:` in front, the hazards, then "
                        "report.py's total; json: one document, schema 1; github: GitHub Actions "
                        "::error/::warning/::notice annotations (paths relative to the repository root)")
    c.add_argument("--constraints", choices=PROFILE_CHOICES, default="auto", metavar="PROFILE",
                   help="the constraint table: auto (default), report.py, 2023-pre, 2023, 2025-pre, 2025 or "
                        "2026; see below. Overrides the config file")
    c.add_argument("--config", metavar="FILE",
                   help="a .reportls.yaml, or a pyproject.toml with a [tool.reportls] table, to use instead "
                        "of the nearest one")
    c.add_argument("--stdin-filename", metavar="FILE",
                   help="with `-`: find figures, report.py and the config as if the text read from standard "
                        "input were FILE, and name FILE in text and github output")
    c.add_argument("--handin", action="store_true",
                   help="also run the hand-in checks (handin-*: where the page `report.py html` renders "
                        "differs from GitHub); they render each answer with Python-Markdown")
    h = sub.add_parser(
        "html",
        help="write the hand-in page exactly as the group's `report.py html` writes it",
        description="Write the hand-in page exactly as the group's `report.py html` writes it: how its "
                    "html() slices and renders the README is read from the report.py beside the report "
                    "(with ast, never run), else the course's default (text[43:], Python-Markdown, no "
                    "extensions).",
        epilog=EXIT_HELP,
        formatter_class=raw,
    )
    h.add_argument("path", nargs="?", metavar="PATH",
                   help="the report (default: reports/README.md, else README.md)")
    h.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the page (default: the file report.py html writes, report.html, "
                        "beside the report); `-` writes to standard output")
    s = sub.add_parser("serve", help="run the language server over stdio (editors start this)",
                       description="Run the language server over stdio (editors start this).")
    s.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")
    s.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the transport")
    sub.add_parser("version", help="print the version (the same as --version)")
    return p


# --- what the PATH arguments name ---------------------------------------------------------------


@dataclass
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
    for candidate in ("reports/README.md", "README.md"):
        if Path(candidate).is_file():
            return [candidate]
    raise InputError("no report found: neither reports/README.md nor README.md exists here (pass a PATH)")


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {e.start}); save it as UTF-8", name) from None


def read_text(path: Path, name: str | None = None) -> str:
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror or e})", name) from None
    return decode(data, name)


def _parse(text: str):
    from reportls.parse import Parser

    return Parser().parse(text)


def _might_be_report(text: str) -> bool:
    """A cheap look before parsing: every report has both words."""
    return "Answer:" in text and "Question" in text


def walk_reports(folder: Path) -> list[Target | InputError]:
    """The reports under ``folder``: markdown files the server would treat as reports
    (``Report.is_report``), in name order, never inside ``SKIPPED_FOLDERS`` or hidden folders, and
    without following symlinked folders.  A file that can't be decoded is listed as an error when
    it still looks like a report (or sits at the template's place, ``reports/README.md``)."""
    found: list[Target | InputError] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            path = Path(dirpath) / name
            shown = str(path)
            try:
                data = path.read_bytes()
            except OSError as e:
                if path.parent.name == "reports" and name == "README.md":
                    found.append(InputError(f"{shown}: cannot be read ({e.strerror or e})", shown))
                continue
            try:
                text = decode(data, shown)
            except InputError as e:
                lenient = data.decode("utf-8", "replace")
                at_template_place = path.parent.name == "reports" and name == "README.md"
                if at_template_place or (_might_be_report(lenient) and _parse(lenient).is_report):
                    found.append(e)
                continue
            if not _might_be_report(text):
                continue
            report = _parse(text)
            if report.is_report:
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


@dataclass
class Checked:
    target: Target
    analysis: object  # analysis.Analysis
    index: object  # document.LineIndex
    problems: list[str] = field(default_factory=list)  # config problems, one line each


def _options(target: Target, args: argparse.Namespace):
    """Options from the nearest config (or ``--config``), then ``--constraints``; plus the config's
    problems as lines naming the file and line."""
    from reportls.analysis import Options
    from reportls.constraints import ConfigError, find_config, load_config

    options = Options()
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
        options.severity = dict(config.severity)
        options.figures = config.figures
        if config.constraints is not None:
            options.constraints = config.constraints
        problems = [
            f"{config_path}:{p.line + 1}: {p.message}" if p.line is not None else f"{config_path}: {p.message}"
            for p in config.problems
        ]
    if args.constraints != "auto":
        options.constraints = args.constraints
    return options, problems


def check_target(target: Target, args: argparse.Namespace, stdin=None) -> Checked:
    """Read, parse and analyze one target; raises ``InputError`` for anything that is not a report
    that can be checked."""
    from reportls.analysis import analyze
    from reportls.document import LineIndex

    text = target.text
    if text is None and target.stdin:
        stream = stdin if stdin is not None else sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        text = decode(data, target.shown) if isinstance(data, bytes) else data
    elif text is None:
        text = read_text(target.path, target.shown)
    report = target.report or _parse(text)
    if target.explicit and not report.questions and "Answer:" not in text:
        raise InputError(f"{target.shown}: {NOT_A_REPORT}", target.json_path)
    options, problems = _options(target, args)
    path = target.path.resolve() if target.path is not None else None
    handin = html_spec_beside(path) if getattr(args, "handin", False) else None
    analysis = analyze(text, path=path, options=options, report=report, handin=handin)
    return Checked(target, analysis, LineIndex(text), problems)


def html_spec_beside(report_path: Path | None):
    """How the report.py beside the report renders the hand-in (read with ``ast``, never run)."""
    from reportls.handin.spec import read_html_spec

    source = None
    if report_path is not None:
        try:
            source = (report_path.parent / "report.py").read_bytes().decode("utf-8-sig", "replace")
        except OSError:
            source = None
    return read_html_spec(source)


def run_html(args: argparse.Namespace, out) -> int:
    """``reportls html``: the hand-in page, byte for byte what ``report.py html`` writes."""
    from reportls.handin.page import PageError, page_bytes

    try:
        raw = args.path or default_paths()[0]
        path = Path(raw)
        if path.is_dir():
            raise InputError(f"{raw}: is a folder; pass the report file", raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file", raw)
        text = read_text(path, raw)
        spec = html_spec_beside(path.resolve())
        page = page_bytes(text, spec)
    except InputError as e:
        print(f"reportls: {e}", file=sys.stderr)
        return EXIT_USAGE
    except PageError as e:
        print(f"reportls: {raw}: {e}", file=sys.stderr)
        return EXIT_FAIL
    for note in spec.notes:
        print(f"reportls: {path.parent / 'report.py'}: {note}", file=sys.stderr)
    if args.output == STDIN:
        out.flush()
        sys.stdout.buffer.write(page)
        sys.stdout.flush()
        return EXIT_OK
    target = Path(args.output) if args.output else path.parent / (spec.output or "report.html")
    try:
        target.write_bytes(page)
    except OSError as e:
        print(f"reportls: {target}: cannot be written ({e.strerror or e})", file=sys.stderr)
        return EXIT_USAGE
    print(f"reportls: wrote {target} ({len(page)} bytes)", file=sys.stderr)
    return EXIT_OK


def failed(a) -> bool:
    return a.crash is not None or any(not r.passed for r in a.results) or any(f.severity == "error" for f in a.findings)


def question_failures(r) -> list[tuple[str, str]]:
    """(diagnostic code, report.py's log line) for each constraint the question fails."""
    c = r.constraint
    out = []
    if not c.words_ok(r.words):
        out.append(("word-count", f"Question {r.number} failed check. Expected number of words to be between "
                                  f"{c.min_words} and {c.max_words} but got {r.words}"))
    if not c.images_ok(r.images):
        out.append(("image-count", f"Question {r.number} failed check. Expected number of screenshots to be "
                                   f"between {c.min_images} and {c.max_images} but got {r.images}"))
    return out


def question_span(r) -> tuple[int, int]:
    """Where a failing question is pointed at: the text report.py counted, or, when that is
    empty, the question's heading (else where report.py's answer starts)."""
    if r.span.end > r.span.start:
        return r.span.start, r.span.end
    if r.question is not None:
        return r.question.heading.span.start, r.question.heading.span.end
    return r.anchor, r.anchor


def _shown_findings(a):
    """Findings the text and github formats print: not the counts (report.py's lines say those)
    and not hints (faded text in an editor; the JSON output has them)."""
    return [f for f in a.findings if f.code not in ("word-count", "image-count") and f.severity != "hint"]


# --- output formats -----------------------------------------------------------------------------


def _file_json(checked: Checked) -> dict:
    a, index = checked.analysis, checked.index
    questions = []
    for r in a.results:
        c = r.constraint
        questions.append(
            {
                "number": r.number,
                "line": index.line_of(r.anchor),
                "words": r.words,
                "images": r.images,
                "min_words": c.min_words,
                "max_words": c.max_words,
                "min_images": c.min_images,
                "max_images": c.max_images,
                "passed": r.passed,
            }
        )
    diagnostics = []
    for f in a.findings:
        rng = index.range(f.span.start, f.span.end)
        diagnostics.append(
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "line": rng.start.line,
                "character": rng.start.character,
                "end_line": rng.end.line,
                "end_character": rng.end.character,
            }
        )
    return {
        "path": checked.target.json_path,
        "template": a.template,
        "constraints_from": a.resolution.constraints_from,
        "passed": a.passed,
        "total": a.total,
        "crash": a.crash,
        "questions": questions,
        "diagnostics": diagnostics,
    }


def _crash_line(a, index) -> int:
    """1-based line where the crash is explained (the first answer-count finding), else 1."""
    for f in a.findings:
        if f.code == "answer-count":
            return index.line_of(f.span.start) + 1
    return 1


def _text_report(checked: Checked, out) -> None:
    a, index, shown = checked.analysis, checked.index, checked.target.shown
    for r in a.results:
        if not r.passed:
            line_no = index.line_of(question_span(r)[0]) + 1
            for _, line in question_failures(r):
                print(f"{shown}:{line_no}: {line}", file=out)
    if a.crash:
        print(f"{shown}:{_crash_line(a, index)}: report.py check would crash: {a.crash}", file=out)
    for f in _shown_findings(a):
        pos = index.position(f.span.start)
        print(f"{shown}:{pos.line + 1}:{pos.character + 1}: {f.severity} [{f.code}] {f.message}", file=out)
    suffix = " (report.py would crash before checking; counts from the question sections)" if a.crash else ""
    print(f"Total number of questions passed: {a.passed}/{a.total}{suffix}", file=out)


# GitHub Actions workflow commands (`::error file=..,line=..::message`), escaped as the Actions
# toolkit does: data escapes % CR LF; property values also : and ,.
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, message: str, **props: object) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{level} {fields}::{escape_data(message)}"


def repository_root(path: Path | None) -> Path:
    """What GitHub annotation paths are relative to: ``GITHUB_WORKSPACE`` if set, else the git root
    holding ``path`` (or the current folder), else the current folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    d = (path.resolve().parent if path is not None else Path.cwd().resolve())
    for _ in range(64):
        if (d / ".git").exists():
            return d
        if d.parent == d:
            break
        d = d.parent
    return Path.cwd().resolve()


def github_path(target: Target) -> str:
    """The target's path relative to the repository root, with ``/`` (absolute if outside it)."""
    if target.path is None:
        return target.shown
    full = target.path.resolve()
    root = repository_root(target.path)
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else full.as_posix()


_LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}


def _github_report(checked: Checked, out) -> None:
    """Errors first, then warnings, then notices (GitHub shows only the first 10 of each kind per
    step; the step summary lists everything).  report.py's total is the first notice."""
    a, index = checked.analysis, checked.index
    file = github_path(checked.target)
    lines: list[tuple[int, str]] = []

    def emit(level: str, start: int, end: int, title: str, message: str) -> None:
        rng = index.range(start, end)
        lines.append((_LEVEL_ORDER[level], workflow_command(
            level, message, file=file, line=rng.start.line + 1, col=rng.start.character + 1,
            endLine=rng.end.line + 1, endColumn=rng.end.character + 1, title=title)))

    for r in a.results:
        if not r.passed:
            start, end = question_span(r)
            for code, line in question_failures(r):
                emit("error", start, end, f"reportls {code}", line)
    findings = _shown_findings(a)
    if a.crash and not any(f.code == "answer-count" for f in findings):
        emit("error", 0, 0, "reportls answer-count", f"report.py check would crash: {a.crash}")
    title_start = a.report.title.span.start if a.report.title else 0
    emit("notice", title_start, title_start, "reportls", f"Total number of questions passed: {a.passed}/{a.total}")
    for f in findings:
        emit(_GITHUB_LEVEL.get(f.severity, "notice"), f.span.start, f.span.end, f"reportls {f.code}", f.message)
    for _, line in sorted(lines, key=lambda x: x[0]):
        print(line, file=out)


def step_summary(results: list[Checked]) -> str:
    """Markdown for the job summary page (``$GITHUB_STEP_SUMMARY``): one row per report, then for
    each report with something to say, report.py's lines and every hazard with its line (the
    annotations GitHub shows are capped at 10 of each kind per step)."""
    rows = ["## reportls check", "", "| Report | Questions passed | Result |", "| --- | --- | --- |"]
    details: list[str] = []
    for c in results:
        a, path = c.analysis, github_path(c.target)
        failing = [r for r in a.results if not r.passed]
        if a.crash:
            verdict = "report.py check would crash"
        elif failing:
            verdict = "fails: " + ", ".join(f"Q{r.number}" for r in failing)
        elif failed(a):
            verdict = "fails: error diagnostics"
        else:
            verdict = "passes"
        rows.append(f"| `{path}` | {a.passed}/{a.total} | {verdict} |")
        items = [f"line {c.index.line_of(question_span(r)[0]) + 1}: {text}"
                 for r in failing for _, text in question_failures(r)]
        if a.crash:
            items.append(f"report.py check would crash: {a.crash}")
        items += [f"line {c.index.line_of(f.span.start) + 1}: {f.severity} `{f.code}`: {f.message}"
                  for f in _shown_findings(a)]
        if items:
            details += ["", f"### `{path}`", ""] + [f"- {t}" for t in items]
    return "\n".join(rows + details) + "\n"


def _count_line(checked: list[Checked], errors: int) -> str:
    n = len(checked)
    failing = sum(1 for c in checked if failed(c.analysis))
    text = f"Checked {n} report{'' if n == 1 else 's'}: {n - failing} passing, {failing} failing"
    if errors:
        text += f"; {errors} {'path' if errors == 1 else 'paths'} could not be checked"
    return text + "."


def run_check(args: argparse.Namespace, out=None, err=None, stdin=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        targets = collect(args)
    except InputError as e:
        print(f"reportls: {e}", file=err)
        return EXIT_USAGE
    code = EXIT_OK
    files_json: list[dict] = []
    checked_all: list[Checked] = []
    errors = 0
    said: set[str] = set()
    several = len(targets) > 1 or any(Path(p).is_dir() for p in args.paths if p != STDIN)
    for item in targets:
        try:
            if isinstance(item, InputError):
                raise item
            checked = check_target(item, args, stdin)
        except InputError as e:
            print(f"reportls: {e}", file=err)
            files_json.append({"path": e.path if e.path is not None else str(e).split(":", 1)[0], "error": str(e)})
            code = EXIT_USAGE
            errors += 1
            continue
        checked_all.append(checked)
        for p in checked.problems:
            if p not in said:  # one config file serves many reports of a folder: say it once
                said.add(p)
                print(f"reportls: {p}", file=err)
        if failed(checked.analysis) and code == EXIT_OK:
            code = EXIT_FAIL
        if args.format == "json":
            files_json.append(_file_json(checked))
        elif args.format == "github":
            _github_report(checked, out)
        else:
            if len(targets) > 1:
                print(f"==> {checked.target.shown} <==", file=out)
            _text_report(checked, out)
    if args.format == "json":
        json.dump({"schema": 1, "files": files_json}, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary and checked_all:
            try:
                with open(summary, "a", encoding="utf-8") as f:
                    f.write(step_summary(checked_all))
            except OSError as e:
                print(f"reportls: {summary}: cannot write the step summary ({e.strerror or e})", file=err)
    elif several:
        print(_count_line(checked_all, errors), file=out)
    return code


def run_serve(args: argparse.Namespace) -> int:
    try:
        from reportls.lsp.server import main as serve_main
    except ImportError as e:  # pragma: no cover - the server module is optional until installed
        print(f"reportls: the language server is not available ({e})", file=sys.stderr)
        return EXIT_USAGE
    return serve_main(log_file=args.log_file) or 0


def run_version(args: argparse.Namespace, out=None) -> int:
    from reportls import __version__

    print(f"reportls {__version__}", file=out or sys.stdout)
    return EXIT_OK


# Subcommands that write to stdout: ``run(args, out) -> exit code``.  ``serve`` is apart: it speaks
# the protocol on the real stdout.  A new subcommand = a subparser in ``_parser`` + an entry here.
COMMANDS = {"check": run_check, "html": run_html, "version": run_version}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    out = QuietStdout(sys.stdout)
    try:
        args = parser.parse_args(argv)
        if args.command == "serve":
            return run_serve(args)
        if args.command not in COMMANDS:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = COMMANDS[args.command](args, out)
        out.flush()
        return code
    except BrokenPipeError:  # argparse's own help or usage text into a closed pipe
        out._reader_gone()
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
