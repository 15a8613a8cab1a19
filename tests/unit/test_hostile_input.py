"""Bounded reading of the user's files and settings (issue 26): regular files only with a size limit,
YAML aliases and format widths bounded, control characters refused, odd URIs without a folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reportls.files import diskfile
from reportls.constraints import ConfigError, parse_config, read_report_py_file
from reportls.constraints.config import MAX_YAML_NODES, crash_message_problem
from reportls.files.figures import FigureFolder
from reportls.lsp.session import uri_to_path

fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def test_regular_file_is_read(tmp_path):
    (tmp_path / "a.md").write_bytes(b"hello")
    assert diskfile.read_regular_file(tmp_path / "a.md", 5) == b"hello"
    with pytest.raises(diskfile.FileRefused) as e:
        diskfile.read_regular_file(tmp_path / "a.md", 4)
    assert str(e.value) == "is larger than 4 bytes (5 bytes): not read"
    with pytest.raises(FileNotFoundError):
        diskfile.read_regular_file(tmp_path / "missing.md")


@fifo
def test_fifo_and_devices_are_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    os.symlink("/dev/zero", tmp_path / "zero.md")
    start = time.monotonic()
    with pytest.raises(diskfile.FileRefused, match=r"^is a FIFO \(named pipe\), not a regular file$"):
        diskfile.read_regular_file(tmp_path / "pipe.md")
    with pytest.raises(diskfile.FileRefused, match="^is a device, not a regular file$"):
        diskfile.read_regular_file(tmp_path / "zero.md")
    with pytest.raises(diskfile.FileRefused, match="^is a folder, not a regular file$"):
        diskfile.read_regular_file(tmp_path)
    assert time.monotonic() - start < 2


@fifo
def test_report_py_that_is_a_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "report.py")
    assert read_report_py_file(tmp_path) == (None, "report.py is a FIFO (named pipe), not a regular file")
    assert read_report_py_file(tmp_path / "nowhere") == (None, None)


def bomb(depth: int) -> str:
    lines = ['a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]']
    names = "abcdefghijk"
    for i in range(1, depth + 1):
        lines.append(f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_quickly():
    start = time.monotonic()
    with pytest.raises(ConfigError) as e:
        parse_config(bomb(9))
    assert e.value.message == (f"YAML aliases expand to more than {MAX_YAML_NODES} values: not read "
                               "(a settings file needs no such nesting)")
    assert time.monotonic() - start < 2
    # a few aliases are fine (9 x 9 = 81 values under `b`)
    config = parse_config(bomb(1) + "figures: images\n")
    assert config.figures == "images"


def test_recursive_alias_is_refused():
    with pytest.raises(ConfigError, match="an alias refers to itself"):
        parse_config("a: &a [1, *a]\n")


@pytest.mark.parametrize(("message", "problem"), [
    ("Expected {n} answers", None),
    ("Expected {n:>5} answers", None),
    ("Expected {n:>999999999} answers",
     "crash_message: the field `{n:>999999999}` asks for a width or precision over 200; write `{n}`"),
    ("{n:.99999}", "crash_message: the field `{n:.99999}` asks for a width or precision over 200; write `{n}`"),
    ("{n:{n}}", "crash_message: the field `{n:{n}}` asks for a width or precision over 200; write `{n}`"),
])
def test_crash_message_width(message, problem):
    assert crash_message_problem(message) == problem


def test_crash_message_width_in_a_config_is_a_problem_not_a_crash():
    start = time.monotonic()
    config = parse_config('constraints:\n  answers: 31\n  crash_message: "{n:>999999999999}"\n')
    assert [p.message for p in config.problems] == [
        "constraints: crash_message: the field `{n:>999999999999}` asks for a width or precision over 200; "
        "write `{n}`"]
    assert time.monotonic() - start < 2


def test_control_characters_in_figures_are_refused():
    config = parse_config('figures: "fig\\0ures"\n')
    assert config.figures == "figures"
    assert [p.message for p in config.problems] == [
        "figures: a folder name cannot hold a control character (such as NUL), got 'fig\\x00ures'"]


def test_figures_folder_that_cannot_be_listed_says_why(tmp_path, monkeypatch):
    (tmp_path / "figures").write_text("a file")
    assert FigureFolder(tmp_path).figures_folder_problem() == "is not a folder"
    assert FigureFolder(tmp_path / "nowhere").figures_folder_problem() is None
    (tmp_path / "figures").unlink()
    (tmp_path / "figures").mkdir()
    assert FigureFolder(tmp_path).figures_folder_problem() is None

    def refuse(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refuse)  # as root, chmod 000 does not stop a read
    folder = FigureFolder(tmp_path)
    assert not folder.has_figures_folder
    assert folder.figures_folder_problem() == "cannot be read (Permission denied)"


@pytest.mark.parametrize("uri", ["file:///tmp/a%00b/README.md", "file:///tmp/" + "x" * 5000 + "/README.md",
                                 "file:///" + "/".join(["y" * 200] * 30) + "/README.md",
                                 "file:///tmp/" + "z" * 256 + "/README.md"])
def test_uris_that_name_no_file_have_no_path(uri):
    assert uri_to_path(uri) is None


def test_ordinary_uris_keep_their_path():
    assert uri_to_path("file:///tmp/reports/README%20copy.md") == Path("/tmp/reports/README copy.md")
    assert uri_to_path("untitled:Untitled-1") is None
