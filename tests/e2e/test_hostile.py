"""Hostile input through the real server: it never dies, never lies, never reaches outside."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from reportls.text.document import LineIndex

from tests.e2e.conftest import install_version_tracking, open_doc, start, wait_version
from tests.reportgen import make_report, words

CATALOGUE = {
    "empty": "",
    "only-front-matter": "---\nlayout: default\nnav_exclude: true\n---\n",
    "nested-lists": "".join("  " * i + "- item\n" for i in range(1000)) + make_report({7: words(3)}),
    "nested-quotes": ">" * 1000 + " deep\n" + make_report({7: words(3)}),
    "long-line": make_report({7: "x" * 100_000}),
    "nul-bytes": make_report({7: "a\x00b\x00 " * 10}),
    "bom": "\ufeff" + make_report({7: words(3)}),
    "lone-surrogate": make_report({7: "bad \ud800 text"}),
    "crlf-tabs-emoji": make_report({7: "\t😀 " * 30}, newline="\r\n"),
    "dotdot-and-absolute": make_report({19: "![a](../../etc/passwd) ![b](/etc/passwd) ![c](figures/../../x.png)"}),
}


async def test_catalogue_never_kills_the_server(client, tmp_path):
    install_version_tracking(client)
    await start(client, tmp_path, options={"unknownSetting": 1, "debounceMs": 0})
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in CATALOGUE.items():
        uri = await open_doc(client, reports / f"{name}.md", text)
        hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(3, 2)))
        assert hover is None or hover.contents.value
        symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(uri)))
        assert isinstance(symbols, list)
    # a 5 MB report
    big = make_report({n: words(2000) for n in range(1, 32)})
    big = big + ("filler " * 100_000 + "\n") * max(1, (5_000_000 - len(big)) // 700_000)
    uri = await open_doc(client, reports / "big.md", big)
    diags = await wait_version(client, uri, 1, timeout=60)
    assert any(d.code == "word-count" for d in diags)
    # the server still answers correctly afterwards
    ok = reports / "ok.md"
    uri = await open_doc(client, ok, make_report({7: words(3)}))
    diags = await wait_version(client, uri, 1)
    assert any(d.message.startswith("Question 7: 3 words") for d in diags)
    paths = [d for d in client.diagnostics[(reports / "dotdot-and-absolute.md").as_uri()] if d.code == "figure-location"]
    assert len(paths) == 3


async def test_symlinked_figures_outside_are_not_listed(client, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"x")
    reports = tmp_path / "repo" / "reports"
    reports.mkdir(parents=True)
    os.symlink(outside, reports / "figures")
    report = reports / "README.md"
    text = make_report({19: "![s](figures/secret.png)"})
    report.write_text(text)
    install_version_tracking(client)
    await start(client, tmp_path / "repo")
    uri = await open_doc(client, report, text)
    diags = await wait_version(client, uri, 1)
    assert any(d.code == "missing-figure" for d in diags)
    line = text.splitlines().index("![s](figures/secret.png)")
    result = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), t.Position(line, len("![s](figures/"))))
    assert not [i for i in (result.items if result else []) if "secret" in i.label]


PIECES = ["x", " word", "\n", "## h\n", "### Question 4\n", "Answer:", "😀", "![a](figures/a.png)", "```\n", "\r\n", "",
          "é", "\t", "<img src='x.png'>"]


async def server_text(client, uri):
    return await client.workspace_execute_command_async(
        t.ExecuteCommandParams(command="reportls.documentText", arguments=[uri]))


SEQUENCES = int(os.environ.get("REPORTLS_FUZZ_SERVER_SEQUENCES", "12"))


async def test_random_edit_sequences_keep_text_and_diagnostics_in_sync(client, tmp_path):
    """After every random sequence of incremental edits the server's text equals the client's and
    its diagnostics equal those of a fresh open of the same text.  (Seeded random sequences: the
    pytest-lsp client lives on one event loop, which hypothesis's per-example runs would not share.)"""
    install_version_tracking(client)
    await start(client, tmp_path)
    (tmp_path / "reports").mkdir()
    for base in range(SEQUENCES):
        await one_sequence(client, tmp_path, base)


async def one_sequence(client, tmp_path, base):
    rng = random.Random(base)
    edits = [(rng.random(), rng.choice([0, 0, 1, 3, 40]), rng.choice(PIECES)) for _ in range(rng.randint(1, 25))]
    rng = random.Random(base)
    text = make_report({n: words(rng.randint(0, 120)) for n in range(1, 32)})
    uri = await open_doc(client, tmp_path / "reports" / f"r{base}-{len(edits)}.md", text)
    version = 1
    for where, length, new in edits:
        version += 1
        i = int(where * len(text))
        j = min(len(text), i + length)
        idx = LineIndex(text)
        a, b = idx.position(i), idx.position(j)
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangePartial(
                range=t.Range(t.Position(a.line, a.character), t.Position(b.line, b.character)), text=new)]))
        text = text[:i] + new + text[j:]
    incremental = await wait_version(client, uri, version)
    assert await server_text(client, uri) == {"version": version, "text": text}
    fresh_uri = await open_doc(client, tmp_path / "reports" / f"fresh{base}-{len(edits)}.md", text)
    fresh = await wait_version(client, fresh_uri, 1)
    assert [(d.code, d.range, d.message) for d in incremental] == [(d.code, d.range, d.message) for d in fresh]


@pytest.mark.parametrize("fixture", ["syntax_error.py", "deletes_files.py"])
async def test_bad_report_py_beside_the_report(client, tmp_path, fixture):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "reportpy" / fixture, reports / "report.py")
    (reports / "SENTINEL").write_text("keep me")
    install_version_tracking(client)
    await start(client, tmp_path)
    uri = await open_doc(client, reports / "README.md", make_report({7: words(3)}))
    diags = await wait_version(client, uri, 1)
    info = [d for d in diags if d.code == "constraints-source"]
    assert len(info) == 1 and "using the built-in `2026` table" in info[0].message
    assert any(d.message.startswith("Question 7: 3 words, needs 50-100") for d in diags)
    assert (reports / "SENTINEL").read_text() == "keep me" and not (reports / "EXECUTED").exists()


# --- hostile repositories (issue 26) -------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    import subprocess

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    *args], cwd=root, env=env, check=True, capture_output=True)


async def _until_code(client, uri: str, code: str, timeout: float = 10.0):
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        found = [d for d in client.diagnostics.get(uri, []) if d.code == code]
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {code} diagnostic within {timeout} s")


async def test_server_never_runs_the_repositorys_clean_filter(client, tmp_path):
    marker = tmp_path / "filter-ran"
    root = tmp_path / "repo"
    reports = root / "reports"
    (reports / "figures").mkdir(parents=True)
    text = make_report({7: words(60) + " ![n](figures/new.png)"})
    (reports / "README.md").write_text(text)
    (root / ".gitattributes").write_text("*.md filter=x\n*.png filter=x\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "report")
    _git(root, "config", "filter.x.clean", f"touch {marker}; cat")
    (reports / "figures" / "new.png").write_bytes(b"\x89PNG")  # untracked: the git finding to wait for
    os.utime(reports / "README.md", (1, 1))  # stat data changed: `git status` would run the filter
    install_version_tracking(client)
    await start(client, root)
    uri = await open_doc(client, reports / "README.md", text)
    await wait_version(client, uri, 1)
    await _until_code(client, uri, "figure-untracked")
    client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri)))
    await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(0, 0)))
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
async def test_fifo_figure_does_not_stop_the_server(client, tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    os.mkfifo(reports / "figures" / "pipe.png")
    os.symlink("/dev/zero", reports / "figures" / "zero.png")
    text = make_report({19: "![p](figures/pipe.png) ![z](figures/zero.png)", 7: words(3)})
    install_version_tracking(client)
    await start(client, tmp_path)
    uri = await open_doc(client, reports / "README.md", text)
    diags = await wait_version(client, uri, 1, timeout=15)
    assert any(d.message.startswith("Question 7: 3 words") for d in diags)
    line = text.splitlines().index("![p](figures/pipe.png) ![z](figures/zero.png)")
    for column in (6, 30):
        await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(line, column)))
    other = await open_doc(client, tmp_path / "other.md", make_report({7: words(4)}))
    assert any(d.message.startswith("Question 7: 4 words") for d in await wait_version(client, other, 1, timeout=15))


@pytest.mark.parametrize("uri", ["file:///tmp/reportls%00null/reports/README.md",
                                 "file:///tmp/" + "x" * 5000 + "/README.md",
                                 "file:///tmp/" + "/".join(["y" * 200] * 30) + "/README.md"])
async def test_odd_uris_are_documents_without_a_folder(client, tmp_path, uri):
    install_version_tracking(client)
    await start(client, tmp_path)
    text = make_report({7: words(3), 19: "![a](figures/a.png)"})
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    diags = await wait_version(client, uri, 1)
    assert any(d.message.startswith("Question 7: 3 words") for d in diags)
    assert not [d for d in diags if d.code == "missing-figure"]  # no folder on disk: figures are not looked up
    for request in (client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(3, 2))),
                    client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(uri))),
                    client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))):
        await request
    errors = [m.message for m in client.log_messages if m.type == t.MessageType.Error]
    assert errors == []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "reportls", "serve"],
                                              server_env={**os.environ, "GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}))
async def refusing_client(lsp_client: LanguageClient):
    """A server whose git treats every repository as another user's (git's own test switch)."""

    @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def _register(params: t.RegistrationParams):  # what an editor does: accept
        return None

    yield
    with contextlib.suppress(Exception):
        await lsp_client.shutdown_session()


async def test_repository_git_refuses_says_why_in_the_status_lens(refusing_client, tmp_path):
    client = refusing_client
    root = tmp_path / "repo"
    reports = root / "reports"
    (reports / "figures").mkdir(parents=True)
    text = make_report({7: words(60) + " ![n](figures/new.png)"})
    (reports / "README.md").write_text(text)
    (reports / "figures" / "new.png").write_bytes(b"\x89PNG")
    _git(root, "init", "-q")
    install_version_tracking(client)
    await start(client, root)
    uri = await open_doc(client, reports / "README.md", text)
    await wait_version(client, uri, 1)
    import asyncio

    expected = (f"Hand-in: unknown: git refuses to read {root} (it belongs to another user), so nothing about git "
                f"is checked; to allow it: `git config --global --add safe.directory {root}`")
    for _ in range(100):
        lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
        titles = [lens.command.title for lens in lenses or [] if lens.command]
        if expected in titles:
            break
        await asyncio.sleep(0.1)
    assert expected in titles
    assert not [d for d in client.diagnostics.get(uri, []) if d.code in ("figure-untracked", "report-location")]
