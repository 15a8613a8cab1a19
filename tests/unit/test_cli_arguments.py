"""``cli/main.py``'s quick reading of an ordinary ``reportls check`` line is argparse's
namespace exactly, or None (argparse then reads the line as always); a plain check run imports
no argparse."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportls.cli.main import CHECK_FLAGS, CHECK_VALUES, FORMATS, PROFILE_CHOICES, _parser, main, read_ordinary_check

ROOT = Path(__file__).resolve().parents[2]
PARSER = _parser()


def argparse_reading(argv):
    """``vars()`` of what the real parser gives for ``argv``, or the exit code it ends with."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return vars(PARSER.parse_args(argv))
        except SystemExit as e:
            return e.code


def assert_agrees(argv):
    quick = read_ordinary_check(argv)
    if quick is not None:
        assert vars(quick) == argparse_reading(argv), argv
    return quick


# --- the option table is the parser's ---------------------------------------------------------------


def test_the_quick_table_is_the_check_subparsers_options():
    subparsers = next(a for a in PARSER._actions if a.dest == "command")
    check = subparsers.choices["check"]
    options = {a.option_strings[0]: a for a in check._actions if a.option_strings and a.dest != "help"}
    assert sorted(options) == sorted([*CHECK_FLAGS, *CHECK_VALUES])
    for name, dest in CHECK_FLAGS.items():
        assert (options[name].dest, options[name].nargs, options[name].const, options[name].default) == (dest, 0, True, False)
    for name, (dest, choices, default) in CHECK_VALUES.items():
        action = options[name]
        assert (action.dest, action.nargs, action.choices, action.default, action.type) == (dest, None, choices, default, None)
        assert action.option_strings == [name]  # no short form the quick reading would not know


# --- the differential test ----------------------------------------------------------------------------

ODD_PATHS = ["README.md", "reports/README.md", "-", "a b.md", "café.md", "a=b.md", "@file", "check", "json",
             "x\ty", "'q'", "ends-", "a--b", "ünï cødé/ß.md", "C:\\x\\README.md", "\x00", " ", "html"]
ODD_TOKENS = ["--", "-", "-h", "--help", "--version", "-x", "-1", "--form", "--fo", "--no", "--no-gi", "--show-hint",
              "--exit", "--format=", "--config=", "--no-git=1", "--fix=", "--FORMAT", "--format=xml", "-o", "--stdio",
              "--format json", "- x", "-- x", "--diff=yes", "--constraints=", "---format", "html", "serve", "rule"]
VALUES = [*FORMATS, *PROFILE_CHOICES, "xml", "JSON", "", "-", "-x", "--fix", "c.yaml", "a b", "x=y", "-1"]

options = st.sampled_from([*CHECK_FLAGS, *CHECK_VALUES])
option_with_value = st.builds(lambda name, value: [f"{name}={value}"], st.sampled_from(list(CHECK_VALUES)),
                              st.sampled_from(VALUES))
option_then_value = st.builds(lambda name, value: [name, value], st.sampled_from(list(CHECK_VALUES)),
                              st.sampled_from(VALUES))
paths = st.one_of(st.sampled_from(ODD_PATHS), st.text(min_size=0, max_size=8))
tokens = st.one_of(options.map(lambda o: [o]), option_with_value, option_then_value, paths.map(lambda p: [p]),
                   st.sampled_from(ODD_TOKENS).map(lambda t: [t]), st.sampled_from(VALUES).map(lambda v: [v]))
heads = st.sampled_from([["check"], ["check"], ["check"], [], ["html"], ["--version"], ["Check"], ["-h"]])


@settings(max_examples=1500, deadline=None)
@given(heads, st.lists(tokens, max_size=7))
@example(["check"], [["--form"], ["json"]])
@example(["check"], [["a"], ["--no-git"], ["b"]])
@example(["check"], [["--no-git"], ["a"], ["--handin"], ["b"]])
def test_the_quick_reading_is_argparses_or_declines(head, groups):
    argv = head + [t for group in groups for t in group]
    assert_agrees(argv)


# Lines that are ordinary by construction: the quick reading must take every one of them.
ordinary_values = {"--format": st.sampled_from(FORMATS), "--constraints": st.sampled_from(PROFILE_CHOICES),
                   "--config": st.text(min_size=1, max_size=12).filter(lambda v: not v.startswith("-")),
                   "--stdin-filename": st.text(min_size=1, max_size=12).filter(lambda v: not v.startswith("-"))}
ordinary_paths = st.lists(st.one_of(st.sampled_from(ODD_PATHS), st.text(max_size=10)).filter(
    lambda p: p == "-" or not p.startswith("-")), max_size=4)


@st.composite
def ordinary_lines(draw):
    names = draw(st.lists(st.sampled_from([*CHECK_FLAGS, *CHECK_VALUES]), unique=True, max_size=10))
    chunks = []
    for name in names:
        if name in CHECK_FLAGS:
            chunks.append([name])
        else:
            value = draw(ordinary_values[name])
            chunks.append([f"{name}={value}"] if draw(st.booleans()) else [name, value])
    given_paths = draw(ordinary_paths)
    chunks.insert(draw(st.integers(0, len(chunks))), given_paths)  # one run of PATHs, anywhere
    return ["check", *(t for chunk in chunks for t in chunk)]


@settings(max_examples=800, deadline=None)
@given(ordinary_lines())
def test_every_ordinary_line_is_read_quickly_and_as_argparse_reads_it(argv):
    quick = read_ordinary_check(argv)
    assert quick is not None, argv
    assert vars(quick) == argparse_reading(argv)


COMMON = [
    ["check"],
    ["check", "README.md"],
    ["check", "reports/README.md", "--format", "json"],
    ["check", "--format=json", "README.md"],
    ["check", "--format", "github", "--no-git", "a.md", "b.md"],
    ["check", "-", "--stdin-filename", "reports/README.md", "--format", "json"],
    ["check", "--handin", "--fix", "README.md"],
    ["check", "--handin", "--diff", "--exit-zero", "--show-hints", "--constraints", "2025", "--config", "c.yaml"],
    ["check", "--constraints=report.py", "--config=pyproject.toml", "--stdin-filename=x.md", "-"],
    ["check", "--fix", "--diff"],  # argparse takes both; run_check says they clash
]


@pytest.mark.parametrize("argv", COMMON)
def test_the_common_lines_take_the_quick_path(argv):
    quick = read_ordinary_check(argv)
    assert quick is not None
    assert vars(quick) == argparse_reading(argv)


def test_a_quick_reading_of_a_full_line():
    quick = read_ordinary_check(["check", "a.md", "--format=json", "--no-git", "--config", "c.yaml"])
    assert vars(quick) == {"command": "check", "paths": ["a.md"], "format": "json", "constraints": "auto",
                           "config": "c.yaml", "stdin_filename": None, "no_git": True, "handin": False,
                           "fix": False, "diff": False, "exit_zero": False, "show_hints": False}


DECLINED = [
    [], ["html", "x"], ["rule"], ["version"], ["serve"], ["--version"], ["-h"], ["Check"],
    ["check", "-h"], ["check", "--help"], ["check", "--version"],
    ["check", "--form", "json"], ["check", "--show-hint"], ["check", "--no"],  # prefixes: argparse's to judge
    ["check", "--format", "xml"], ["check", "--format=JSON"], ["check", "--constraints", "2024"],
    ["check", "--"], ["check", "--", "a.md"], ["check", "--format"], ["check", "a.md", "--config"],
    ["check", "--config", "-x"], ["check", "--stdin-filename", "-"], ["check", "--config="],
    ["check", "--no-git", "--no-git"], ["check", "--format", "json", "--format", "text"],
    ["check", "a.md", "--no-git", "b.md"], ["check", "--no-git=1"], ["check", "-x"], ["check", "-1"],
    ["check", "--format json"], ["check", "---format", "json"],
]


@pytest.mark.parametrize("argv", DECLINED)
def test_anything_else_is_left_to_argparse(argv):
    assert read_ordinary_check(argv) is None


def test_a_declined_line_still_runs_through_argparse(capsys):
    """An abbreviated option is argparse's to accept; an invalid choice is its message and exit 2."""
    report = str(ROOT / "examples" / "reports" / "README.md")
    assert main(["check", "--no-git", "--format", "json", report]) in (0, 1)
    full = capsys.readouterr().out
    assert main(["check", "--no-git", "--form", "json", report]) in (0, 1)
    assert capsys.readouterr().out == full and json.loads(full)["schema"] == 1
    with pytest.raises(SystemExit) as e:
        main(["check", "--format", "xml", report])
    assert e.value.code == 2
    assert "argument --format: invalid choice: 'xml'" in capsys.readouterr().err


# --- a plain check run imports no argparse ---------------------------------------------------------------

RUN = ("import sys, reportls.cli.main as c\n"
       "sys.modules.pop('argparse', None); sys.modules.pop('gettext', None)  # whatever imported them on import\n"
       "c.main(sys.argv[1:])\n"
       "print(sorted(m for m in ('argparse', 'gettext') if m in sys.modules), file=sys.stderr)\n")


@pytest.mark.parametrize(("argv", "imported"), [
    (["check", "--format", "json", "--no-git", "examples/reports/README.md"], "[]"),
    (["check", "--format=text", "examples/reports/README.md"], "[]"),
    (["check", "--form", "json", "examples/reports/README.md"], "['argparse', 'gettext']"),  # argparse's line
])
def test_running_an_ordinary_check_imports_no_argparse(argv, imported):
    out = subprocess.run([sys.executable, "-c", RUN, *argv], capture_output=True, text=True, cwd=ROOT)
    assert out.stderr.strip().splitlines()[-1] == imported, out.stderr


def _imported_with_the_package():
    code = "import sys, reportls.cli.main; print('argparse' in sys.modules)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def test_python_m_reportls_check_imports_no_argparse():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "reportls", "check", "README.md"],
                         capture_output=True, text=True, cwd=ROOT / "examples" / "reports")
    modules = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")]
    assert "reportls.cli.main" in modules
    assert "argparse" not in modules and "gettext" not in modules
    assert _imported_with_the_package() == "False"
