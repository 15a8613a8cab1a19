"""The ``reportls`` command: ``check`` (batch verdicts in text, JSON or GitHub form), ``html`` and
``serve``.

Owns: reading the command line (``read_ordinary_check``: the ``check`` lines students type,
read into exactly argparse's namespace without importing argparse; any other line goes to the
argparse parser of ``arguments``, built only then), the dispatch on ``COMMANDS``, exit codes,
``reportls html``, and a stdout that ends quietly when its reader goes away (``reportls check |
head``).  What a PATH names is ``targets``; the output forms are ``formats``; the verdicts
themselves come from ``reportls.analysis``.

Never imports pygls or lsprotocol at module level: ``serve`` imports the protocol layer only when
it runs, so ``reportls check`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

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

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:
    import argparse  # the annotations' ``argparse.Namespace``; the quick reading gives a SimpleNamespace

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
FIGURE_FIX_CODES = ("figure-case", "missing-figure", "figure-location")  # features.autofix's, without its imports

PROFILE_CHOICES = ("auto", "report.py", "2023-pre", "2023", "2025-pre", "2025", "2026")
FORMATS = ("text", "json", "github")

# ``check``'s options, declared once for both readings of a command line (``arguments.build_parser``
# adds each one's help, in this order): the on/off flags (store_true, default False) and the options
# taking one value (choices or None for any value, default).
CHECK_FLAGS = {"--no-git": "no_git", "--handin": "handin", "--fix": "fix", "--diff": "diff",
               "--exit-zero": "exit_zero", "--show-hints": "show_hints"}
CHECK_VALUES = {"--format": ("format", FORMATS, "text"), "--constraints": ("constraints", PROFILE_CHOICES, "auto"),
                "--config": ("config", None, None), "--stdin-filename": ("stdin_filename", None, None)}


def read_ordinary_check(argv) -> SimpleNamespace | None:
    """The namespace argparse would give for an ordinary ``check`` line (``vars()``-equal), or None
    when the line is anything else and argparse should read it.

    Taken: ``check``, then PATHs (``-`` among them; none starting with another ``-``) in one run,
    before, between or after the options; each option at most once, written in full; a flag
    without ``=``; an option's value as the next argument or after ``=``, not empty, not
    starting with ``-`` and, for ``--format`` and ``--constraints``, one of the choices."""
    argv = list(argv)
    if not argv or argv[0] != "check":
        return None
    values = {dest: False for dest in CHECK_FLAGS.values()}
    values |= {dest: default for dest, _, default in CHECK_VALUES.values()}
    paths: list[str] = []
    seen: set[str] = set()
    paths_ended = False  # argparse takes one run of PATHs: a PATH after options after PATHs is an error
    i = 1
    while i < len(argv):
        token = argv[i]
        if token[:1] != "-" or token == "-":
            if paths_ended:
                return None
            paths.append(token)
            i += 1
            continue
        name, equals, value = token.partition("=")
        if name in seen:
            return None
        seen.add(name)
        if name in CHECK_FLAGS:
            if equals:
                return None
            values[CHECK_FLAGS[name]] = True
        elif name in CHECK_VALUES:
            if not equals:
                i += 1
                if i == len(argv):
                    return None
                value = argv[i]
            dest, choices, _ = CHECK_VALUES[name]
            if not value or value[0] == "-" or (choices is not None and value not in choices):
                return None
            values[dest] = value
        else:
            return None
        paths_ended = bool(paths)
        i += 1
    return SimpleNamespace(command="check", paths=paths, **values)


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


def _parser():
    """The argparse parser of every subcommand (``arguments.build_parser``; imports argparse): for
    any command line ``read_ordinary_check`` declines."""
    from reportls.cli.arguments import build_parser

    return build_parser()


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
# the protocol on the real stdout.  A new subcommand = a subparser in ``arguments.build_parser`` + an entry here.
COMMANDS = {"check": run_check, "html": run_html, "version": run_version, "rule": run_rule}


def main(argv: list[str] | None = None) -> int:
    safe_streams()  # a cp1252 or ASCII console: escape what it cannot hold, never a traceback
    argv = sys.argv[1:] if argv is None else list(argv)
    args = read_ordinary_check(argv)  # an ordinary ``check`` line, read without argparse
    out = QuietStdout(sys.stdout)
    try:
        if args is None:
            parser = _parser()
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
