"""The ``reportls`` command: ``check`` (batch verdicts in text, JSON or GitHub form), ``html`` and
``serve``.

Owns: the argument parser (one subparser per subcommand; ``main`` dispatches on ``COMMANDS``),
exit codes, ``reportls html``, and a stdout that ends quietly when its reader goes away
(``reportls check | head``).  What a PATH names is ``targets``; the output forms are ``formats``;
the verdicts themselves come from ``reportls.analysis``.

Never imports pygls or lsprotocol at module level: ``serve`` imports the protocol layer only when
it runs, so ``reportls check`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reportls.cli.console import PLAIN, Palette, holds_unicode, safe_streams, wants_colour
from reportls.cli.inputs import html_spec_beside
from reportls.cli.targets import (
    STDIN,
    Checked,
    InputError,
    Target,
    check_target,
    collect,
    default_paths,
    outside_start,
    read_text,
)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
FIGURE_FIX_CODES = ("figure-case", "missing-figure", "figure-location")  # features.autofix's, without its imports
PROFILE_CHOICES = ("auto", "report.py", "2023-pre", "2023", "2025-pre", "2025", "2026")
FORMATS = ("text", "json", "github")

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
  0  every question passes and there is no error diagnostic (always 0 with --exit-zero, but
     for usage and input errors)
  1  a question fails, report.py check would crash, or an error diagnostic (missing figure,
     a secret, ...); with --fix: what is left after fixing; with --diff: also a fix to apply
  2  usage or input error: missing file, not UTF-8, not a report, malformed config or a bad
     value in it (one line naming the file and line on stderr)"""

HTML_EXIT_HELP = """\
exit codes:
  0  the page was written
  1  the page cannot be rendered (report.py html would fail on this text)
  2  usage or input error: missing file, a folder, not UTF-8, the output cannot be written"""

CHECK_MORE_HELP = """\
fixing (the report file only; never another file):
  --fix applies the fixes that have one right answer: the figure's real letter case, a link written
  from the repository root; with --handin also every verified hand-in fix (the editor's "Fix what
  renders differently in the hand-in"). It prints what it fixed, with every report.py count that
  changes, then checks the fixed file. --diff shows the same as a unified diff and writes nothing.

`reportls rule CODE` explains a diagnostic code: what it means, why it matters, an example and its fix."""

CONFIG_HELP = """\
settings: the nearest .reportls.yaml, or [tool.reportls] in pyproject.toml (.reportls.yaml wins
in the same folder), from the report's folder up to the repository root."""


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

    @property
    def encoding(self) -> str | None:
        return getattr(self.stream, "encoding", None)

    def isatty(self) -> bool:
        try:
            return not self.gone and self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            return False

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


def terminal_columns() -> int:
    """The width argparse wraps help at, found as ``shutil.get_terminal_size`` finds it (``COLUMNS``,
    else standard output's terminal, else 80), without importing ``shutil`` (and its compression
    modules) on every run."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


class SizedHelp(argparse.HelpFormatter):
    """argparse's help formatter, given the width its own ``__init__`` would import ``shutil`` for
    (argparse builds one for every ``add_argument``)."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None, **kwargs):
        super().__init__(prog, indent_increment, max_help_position,
                         terminal_columns() - 2 if width is None else width, **kwargs)


class SizedRawDescription(SizedHelp, argparse.RawDescriptionHelpFormatter):
    """``RawDescriptionHelpFormatter`` (descriptions and epilogs printed as written), sized the same way."""


def _parser() -> argparse.ArgumentParser:
    from reportls import __version__

    raw = SizedRawDescription
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
        epilog=f"{PROFILES_HELP}\n\n{CONFIG_HELP}\n\n{CHECK_MORE_HELP}\n\n{EXIT_HELP}",
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
    c.add_argument("--no-git", action="store_true",
                   help="do not read git (what the hand-in scrape gets: figure-untracked, figure-ignored, "
                        "figure-unpushed, report-location, the hand-in status line); the same as `git: false` "
                        "in the config. git is only ever read, never written or fetched")
    c.add_argument("--handin", action="store_true",
                   help="also run the hand-in checks (handin-*: where the page `report.py html` renders "
                        "differs from GitHub); they render each answer with Python-Markdown")
    c.add_argument("--fix", action="store_true",
                   help="apply the unambiguous fixes to the report file (see below), then check what is left")
    c.add_argument("--diff", action="store_true",
                   help="print the fixes --fix would apply as a unified diff; write nothing")
    c.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when a question fails or there is an error diagnostic (2 stays 2)")
    c.add_argument("--show-hints", action="store_true",
                   help="also print the hint-level findings (handin-url, link-private, not-counted), which "
                        "text and github output hide by default (JSON always has them)")
    h = sub.add_parser(
        "html",
        help="write the hand-in page exactly as the group's `report.py html` writes it",
        description="Write the hand-in page exactly as the group's `report.py html` writes it: how its "
                    "html() slices and renders the README is read from the report.py beside the report "
                    "(with ast, never run), else the course's default (text[43:], Python-Markdown, no "
                    "extensions).",
        epilog=HTML_EXIT_HELP,
        formatter_class=raw,
    )
    h.add_argument("path", nargs="?", metavar="PATH",
                   help="the report (default: reports/README.md, else README.md)")
    h.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the page (default: the file report.py html writes, report.html, "
                        "beside the report); `-` writes to standard output")
    s = sub.add_parser("serve", help="run the language server over stdio (editors start this)", formatter_class=SizedHelp,
                       description="Run the language server over stdio (editors start this).")
    s.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")
    s.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the transport")
    sub.add_parser("version", help="print the version (the same as --version)", formatter_class=SizedHelp)
    r = sub.add_parser("rule", help="explain a diagnostic code: what it means, why it matters, an example and its fix",
                       formatter_class=SizedHelp,
                       description="Explain a diagnostic code: what it means, why it matters for the grade, an "
                                   "example and its fix. Without CODE: every code with its default severity.")
    r.add_argument("code", nargs="?", metavar="CODE", help="a diagnostic code, e.g. figure-case")
    return p


def run_html(args: argparse.Namespace, out) -> int:
    """``reportls html``: the hand-in page, byte for byte what ``report.py html`` writes."""
    from reportls.handin.page import PageError, page_bytes

    try:
        raw = args.path or default_paths()[0]
        if not args.path and outside_start(raw):
            print(f"reportls: using {raw}", file=sys.stderr)
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


def _default_note(args: argparse.Namespace, targets: list, err) -> None:
    """With no PATH: say which file is checked when it was found above the current folder, and
    that the scrape does not read a plain README.md."""
    if args.paths or getattr(args, "stdin_filename", None) or not targets or not isinstance(targets[0], Target):
        return
    shown = targets[0].shown
    if Path(shown).resolve().parts[-2:] != ("reports", "README.md"):
        print("reportls: no reports/README.md here; checking README.md, which the hand-in scrape does not "
              "read (it reads only reports/README.md at the repository root)", file=err)
    elif outside_start(shown):
        print(f"reportls: checking {shown}", file=err)


def _recheck(item: Target, args: argparse.Namespace):
    """``Checked`` of a new text of ``item``'s file (the fixes' next round)."""
    def recheck(text: str) -> Checked:
        again = Target(item.shown, item.json_path, item.path, stdin=False, explicit=False, text=text)
        return check_target(again, args)
    return recheck


def _fix_lines(outcome, shown: str, wrote: bool) -> list[str]:
    """What ``--fix`` did to one file (or ``--diff`` would do), one line each."""
    if not outcome.changed:
        return []
    verb = "fixed" if wrote else "would fix"
    counts = ", ".join(f"{code} {n}" for code, n in sorted(outcome.fixed.items())) or "no finding"
    lines = [f"{shown}: {verb} {outcome.count} finding{'' if outcome.count == 1 else 's'} ({counts})"]
    lines += [f"{shown}: [{code}] `{old}` -> `{new}`" for code, old, new in outcome.figures]
    lines += [f"{shown}: {line}" for line in outcome.count_changes()]
    return lines


def _fixable_count(checked: Checked, item: Target, args: argparse.Namespace) -> int:
    """How many of ``checked``'s findings ``--fix`` would fix.  Without hand-in fixes, the figure
    findings with their one ``replacement`` (counted, nothing imported); with them, the fixes are
    tried on the text in memory (the hand-in fix-all is verified by rendering)."""
    from reportls.findings import HandinPayload, Replacement

    findings = checked.analysis.findings
    if not any(isinstance(f.payload, HandinPayload) and f.payload.fixes for f in findings):
        return sum(1 for f in findings if f.code in FIGURE_FIX_CODES
                   and isinstance(f.payload, Replacement) and f.payload.replacement)
    from reportls.cli.fixing import fix_report

    return fix_report(checked, _recheck(item, args)).count


def run_check(args: argparse.Namespace, out=None, err=None, stdin=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fix, diff = getattr(args, "fix", False), getattr(args, "diff", False)
    show_hints = getattr(args, "show_hints", False)
    try:
        if fix and diff:
            raise InputError("--fix writes the fixes and --diff only shows them: pass one of them")
        if fix and (STDIN in args.paths or getattr(args, "stdin_filename", None)):
            raise InputError("--fix cannot write back to standard input: use --diff to see the fixes")
        targets = collect(args)
    except InputError as e:
        print(f"reportls: {e}", file=err)
        return EXIT_USAGE
    _default_note(args, targets, err)
    paint = Palette(wants_colour(out)) if args.format == "text" else PLAIN
    err_paint = Palette(wants_colour(err))
    code = EXIT_OK
    files_json: list[dict] = []
    checked_all: list[Checked] = []
    errors = 0
    said: set[str] = set()
    fixable = 0
    diffs_found = False
    several = len(targets) > 1 or any(Path(p).is_dir() for p in args.paths if p != STDIN)
    for item in targets:
        try:
            if isinstance(item, InputError):
                raise item
            checked = check_target(item, args, stdin)
            from reportls.cli.formats import failed, file_json, github_report, text_report  # after git started
            for p in checked.problems:
                if p not in said:  # one config file serves many reports of a folder: say it once
                    said.add(p)
                    print(f"reportls: {p}", file=err)
            if fix or diff:
                from reportls.cli.fixing import fix_report, unified_diff, write_atomically

                if item.stdin:  # --diff of standard input: the text as read
                    item.text = checked.analysis.report.text
                outcome = fix_report(checked, _recheck(item, args))
                for line in _fix_lines(outcome, checked.target.shown, wrote=fix):
                    print(f"reportls: {line}", file=err)
                if diff and outcome.changed:
                    diffs_found = True
                    out.write(unified_diff(checked.target.shown, outcome.old_text, outcome.new_text))
                if fix and outcome.changed:
                    try:
                        write_atomically(item.path, outcome.new_text)
                    except OSError as e:
                        raise InputError(f"{checked.target.shown}: cannot be written ({e.strerror or e})",
                                         checked.target.json_path) from None
                    checked = outcome.after
                elif diff:
                    fixable += outcome.count
        except InputError as e:
            print(f"reportls: {e}", file=err)
            files_json.append({"path": e.path if e.path is not None else str(e).split(":", 1)[0], "error": str(e)})
            code = EXIT_USAGE
            errors += 1
            continue
        checked_all.append(checked)
        if failed(checked.analysis) and code == EXIT_OK:
            code = EXIT_FAIL
        if diff:
            continue
        if not fix and args.format == "text":
            fixable += _fixable_count(checked, item, args)
        if args.format == "json":
            files_json.append(file_json(checked))
        elif args.format == "github":
            github_report(checked, out, show_hints=show_hints)
        else:
            if len(targets) > 1:
                print(f"==> {checked.target.shown} <==", file=out)
            text_report(checked, out, show_hints=show_hints, paint=paint)
    from reportls.cli.formats import count_line, step_summary, summary_line

    if diff:
        pass
    elif args.format == "json":
        import json

        json.dump({"schema": 1, "files": files_json}, out, indent=2, ensure_ascii=not holds_unicode(out))
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
        print(count_line(checked_all, errors), file=out)
    fix_command = "reportls check --handin --fix" if getattr(args, "handin", False) else "reportls check --fix"
    closing = (summary_line(checked_all, fixable, show_hints, err_paint, fix_command)
               if args.format == "text" and not diff else None)
    if closing:
        print(f"reportls: {closing}", file=err)
    if diff and diffs_found and code == EXIT_OK:
        code = EXIT_FAIL
    if getattr(args, "exit_zero", False) and code == EXIT_FAIL:
        code = EXIT_OK
    return code


def run_rule(args: argparse.Namespace, out=None) -> int:
    """``reportls rule CODE``: one code explained; without CODE, every code with its severity."""
    from reportls.rules import RULES, explain, rule_list

    out = out or sys.stdout
    if not args.code:
        out.write(rule_list())
        return EXIT_OK
    if args.code not in RULES:
        import difflib

        close = difflib.get_close_matches(args.code, list(RULES), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (`reportls rule` lists them)"
        print(f"reportls: no diagnostic code `{args.code}`{hint}", file=sys.stderr)
        return EXIT_USAGE
    out.write(explain(args.code))
    return EXIT_OK


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
COMMANDS = {"check": run_check, "html": run_html, "version": run_version, "rule": run_rule}


def main(argv: list[str] | None = None) -> int:
    safe_streams()  # a cp1252 or ASCII console: escape what it cannot hold, never a traceback
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
