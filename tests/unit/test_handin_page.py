"""The hand-in page: report.py's html() read with ast, and the page rendered exactly as it writes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from reportls.handin.page import page_bytes, render_page, universal_newlines
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec, read_html_spec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SHARED_DOCS = sorted((SHARED / "seeds").glob("*.md")) + sorted((SHARED / "templates").glob("*.md"))
needs_shared = pytest.mark.skipif(not SHARED_DOCS, reason="no /work/shared seeds or templates")


def spec_of(name: str) -> HtmlSpec:
    return read_html_spec((FIXTURES / name).read_text())


# ---- reading html() ------------------------------------------------------------------------------

def test_no_report_py_is_the_course_default():
    assert read_html_spec(None) == DEFAULT_SPEC
    assert (DEFAULT_SPEC.start, DEFAULT_SPEC.extensions, DEFAULT_SPEC.output, DEFAULT_SPEC.notes) == (
        43, (), "report.html", ())


@pytest.mark.parametrize(
    ("fixture", "start", "extensions", "output", "output_format"),
    [
        ("html_course.py", 43, (), "report.html", None),
        ("html_typer.py", 43, (), "report.html", None),
        ("html_tables.py", 43, ("tables",), "report.html", None),
        ("html_fenced.py", 0, ("fenced_code", "tables"), "hand_in.html", None),
        ("html_markdown_class.py", 43, ("extra", "sane_lists"), "report.html", "html"),
    ],
)
def test_html_shapes_read_statically(fixture, start, extensions, output, output_format):
    spec = spec_of(fixture)
    assert (spec.start, spec.extensions, spec.output, spec.output_format) == (start, extensions, output, output_format)
    assert spec.source == "report.py"
    assert spec.notes == ()


def test_unreadable_html_falls_back_with_notes():
    spec = spec_of("html_unknown.py")
    assert (spec.start, spec.extensions, spec.output) == (43, (), "report.html")
    notes = "\n".join(spec.notes)
    assert len(spec.notes) == 4
    assert "slices the text in a way reportls can't read" in notes
    assert "extensions given to markdown are not a literal list" in notes
    assert "changes the text (replace)" in notes
    assert "file name is not a literal" in notes


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("syntax_error.py", "could not be read (SyntaxError)"),
        ("deletes_files.py", "has no html() command"),
        ("typer_2026.py", "html() does not call markdown.markdown()"),
    ],
)
def test_other_report_py_shapes_use_the_default(fixture, says):
    spec = spec_of(fixture)
    assert (spec.start, spec.extensions, spec.output, spec.source) == (43, (), "report.html", "default")
    assert len(spec.notes) == 1 and says in spec.notes[0]


def test_extension_spellings():
    src = (
        "import markdown\nfrom markdown.extensions.tables import TableExtension\n"
        "def html():\n    text = open('README.md').read()\n"
        "    return markdown.markdown(text, extensions=['markdown.extensions.toc', TableExtension(), "
        "'pymdownx.superfences', 'toc'])\n"
    )
    spec = read_html_spec(src)
    assert spec.extensions == ("toc", "tables")
    assert spec.start == 0
    assert len(spec.notes) == 1 and "'pymdownx.superfences' is not one of Python-Markdown's own" in spec.notes[0]


def test_report_py_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    src = (f"open({str(marker)!r}, 'w').write('x')\nimport markdown\n"
           f"def html():\n    open({str(marker)!r}, 'w')\n    text = open('README.md').read()[10:]\n"
           "    page = markdown.markdown(text)\n")
    spec = read_html_spec(src)
    assert not marker.exists()
    assert spec.start == 10


# ---- the page ---------------------------------------------------------------------------------

@needs_shared
@pytest.mark.parametrize("path", SHARED_DOCS, ids=lambda p: p.name)
def test_page_is_markdown_of_text_43(path):
    text = path.read_text(encoding="utf-8")
    assert render_page(text) == markdown.markdown(text[43:])
    assert page_bytes(text) == markdown.markdown(text[43:]).encode("utf-8")
    # the editor may hold CRLF; report.py reads with universal newlines
    assert render_page(text.replace("\n", "\r\n")) == markdown.markdown(text[43:])
    assert render_page(text.replace("\n", "\r")) == markdown.markdown(text[43:])


FIXTURE_DOC = (
    "---\nlayout: default\nnav_exclude: true\n---\n\n# Exam template\n\n### Question 1\n\n> **Q?**\n>\n"
    "> Answer:\n\nWe used:\n\n| tool | why |\n|------|-----|\n| `uv` | locks |\n\n```bash\nuv sync\n```\n\n"
    "Notes: <https://example.com> and <s1@dtu.dk>.\n"
)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("html_course.py", lambda t: markdown.markdown(t[43:])),
        ("html_tables.py", lambda t: markdown.markdown(t[43:], extensions=["tables"])),
        ("html_fenced.py", lambda t: markdown.markdown(t, extensions=["fenced_code", "tables"])),
        ("html_markdown_class.py",
         lambda t: markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html").convert(t[43:])),
    ],
)
def test_page_follows_the_spec(fixture, expected):
    spec = spec_of(fixture)
    assert render_page(FIXTURE_DOC, spec) == expected(FIXTURE_DOC)
    assert render_page(FIXTURE_DOC.replace("\n", "\r\n"), spec) == expected(FIXTURE_DOC)


def test_extensions_change_the_page():
    plain = render_page(FIXTURE_DOC, spec_of("html_course.py"))
    tables = render_page(FIXTURE_DOC, spec_of("html_tables.py"))
    assert "<table>" not in plain and "| tool | why |" in plain
    assert "<table>" in tables and "<pre>" not in tables
    assert "<pre><code" in render_page(FIXTURE_DOC, spec_of("html_fenced.py"))


@pytest.mark.parametrize("fixture", ["html_course.py", "html_typer.py", "html_tables.py", "html_fenced.py",
                                     "html_markdown_class.py"])
def test_page_bytes_equal_what_the_real_report_py_writes(fixture, tmp_path):
    """Run the fixture's own html() command (our test file, not a user's) and compare the file it writes."""
    pytest.importorskip("typer" if "import typer" in (FIXTURES / fixture).read_text() else "click")
    text = FIXTURE_DOC.replace("\n", "\r\n")  # written with CRLF, as on Windows
    (tmp_path / "README.md").write_bytes(text.encode("utf-8"))
    shutil.copy(FIXTURES / fixture, tmp_path / "report.py")
    subprocess.run([sys.executable, "report.py", "html"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    spec = spec_of(fixture)
    assert (tmp_path / spec.output).read_bytes() == page_bytes(text, spec)


def test_universal_newlines():
    assert universal_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert universal_newlines("plain") == "plain"
