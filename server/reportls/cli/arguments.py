"""The argparse parser of every ``reportls`` subcommand, with its help texts.

Imported only when ``main.read_ordinary_check`` declines a command line (help, version, another
subcommand, an abbreviated option, an error, ...): argparse and the gettext it imports, then
building this parser with every subcommand's help, are about 4-5 ms that an ordinary
``reportls check`` run no longer pays.  ``check``'s options (names, kinds, choices, defaults) are
``main``'s ``CHECK_VALUES`` and ``CHECK_FLAGS``, which the quick reading uses too; this module adds
their metavars and help texts.
"""

from __future__ import annotations

import os
import sys

from reportls.cli.main import CHECK_FLAGS, CHECK_VALUES

# (metavar, help) of each of ``check``'s options; their names, kinds, choices and defaults are
# ``main.CHECK_VALUES`` and ``main.CHECK_FLAGS``, declared once for both readings of a command line
CHECK_OPTION_HELP = {
    "--format": (None, "text (default): report.py's lines with `path:line:` in front, the hazards, then "
                       "report.py's total; json: one document, schema 1; github: GitHub Actions "
                       "::error/::warning/::notice annotations (paths relative to the repository root)"),
    "--constraints": ("PROFILE", "the constraint table: auto (default), report.py, 2023-pre, 2023, 2025-pre, "
                                 "2025 or 2026; see below. Overrides the config file"),
    "--config": ("FILE", "a .reportls.yaml, or a pyproject.toml with a [tool.reportls] table, to use instead "
                         "of the nearest one"),
    "--stdin-filename": ("FILE", "with `-`: find figures, report.py and the config as if the text read from "
                                 "standard input were FILE, and name FILE in text and github output"),
    "--no-git": (None, "do not read git (what the hand-in scrape gets: figure-untracked, figure-ignored, "
                       "figure-unpushed, report-location, the hand-in status line); the same as `git: false` "
                       "in the config. git is only ever read, never written or fetched"),
    "--handin": (None, "also run the hand-in checks (handin-*: where the page `report.py html` renders "
                       "differs from GitHub); they render each answer with Python-Markdown"),
    "--fix": (None, "apply the unambiguous fixes to the report file (see below), then check what is left"),
    "--diff": (None, "print the fixes --fix would apply as a unified diff; write nothing"),
    "--exit-zero": (None, "exit 0 even when a question fails or there is an error diagnostic (2 stays 2)"),
    "--show-hints": (None, "also print the hint-level findings (handin-url, link-private, not-counted), which "
                           "text and github output hide by default (JSON always has them)"),
}

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


def _formatters(argparse):
    """argparse's help formatter given the width its own ``__init__`` would import ``shutil`` for
    (argparse builds one for every ``add_argument``), and its ``RawDescriptionHelpFormatter``
    (descriptions and epilogs printed as written) sized the same way."""

    class SizedHelp(argparse.HelpFormatter):
        def __init__(self, prog, indent_increment=2, max_help_position=24, width=None, **kwargs):
            super().__init__(prog, indent_increment, max_help_position,
                             terminal_columns() - 2 if width is None else width, **kwargs)

    class SizedRawDescription(SizedHelp, argparse.RawDescriptionHelpFormatter):
        pass

    return SizedHelp, SizedRawDescription


def build_parser():
    """The ``argparse.ArgumentParser`` of every subcommand (``main`` dispatches on ``command``)."""
    import argparse

    from reportls import __version__

    plain, raw = _formatters(argparse)
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
    for name, (_, choices, default) in CHECK_VALUES.items():  # main's table: the quick reading's too
        metavar, text = CHECK_OPTION_HELP[name]
        c.add_argument(name, choices=choices, default=default, metavar=metavar, help=text)
    for name in CHECK_FLAGS:
        c.add_argument(name, action="store_true", help=CHECK_OPTION_HELP[name][1])
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
    s = sub.add_parser("serve", help="run the language server over stdio (editors start this)", formatter_class=plain,
                       description="Run the language server over stdio (editors start this).")
    s.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")
    s.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the transport")
    sub.add_parser("version", help="print the version (the same as --version)", formatter_class=plain)
    r = sub.add_parser("rule", help="explain a diagnostic code: what it means, why it matters, an example and its fix",
                       formatter_class=plain,
                       description="Explain a diagnostic code: what it means, why it matters for the grade, an "
                                   "example and its fix. Without CODE: every code with its default severity.")
    r.add_argument("code", nargs="?", metavar="CODE", help="a diagnostic code, e.g. figure-case")
    return p
