"""Session plumbing through the real server: watcher registration, settings (initializationOptions,
workspace/configuration, didChangeConfiguration), .reportls.yaml and report.py freshness, close."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from lsprotocol import types as t

from tests.e2e.conftest import capabilities, install_version_tracking, open_doc, published_version, start, wait_version
from tests.e2e.test_server import by_question, change, pos_of
from tests.reportgen import words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"


async def wait_for(predicate, timeout: float = 10) -> None:
    async def loop():
        while not predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


@pytest.mark.parametrize("watch", [True, False], ids=["dynamic registration", "no watcher support"])
async def test_file_watchers_registered_when_supported(client, workspace, watch):
    install_version_tracking(client)
    await start(client, workspace, watch=watch)
    uri = await open_doc(client, workspace / "reports" / "README.md")
    await wait_version(client, uri, 1)  # initialized has been handled by now
    regs = [r for r in client.registrations if r.method == t.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    if not watch:
        assert regs == []
        return
    assert len(regs) == 1
    globs = {w["globPattern"] if isinstance(w, dict) else w.glob_pattern for w in regs[0].register_options["watchers"]}
    assert {"**/figures/**", "**/report.py", "**/.reportls.yaml"} <= globs


async def test_settings_pulled_with_workspace_configuration(client, workspace):
    install_version_tracking(client)
    client.set_configuration({"debounceMs": 0, "severity": {"word-count": "error"}}, section="reportls")
    await start(client, workspace, configuration=True)
    uri = await open_doc(client, workspace / "reports" / "README.md")
    await wait_for(lambda: 7 in by_question(client.diagnostics.get(uri, []), "word-count")
                   and by_question(client.diagnostics[uri], "word-count")[7].severity == t.DiagnosticSeverity.Error)
    # a didChangeConfiguration without the settings in it (VS Code's pull model): pull again
    client.set_configuration({"debounceMs": 0, "severity": {"word-count": "off"}}, section="reportls")
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: not by_question(client.diagnostics[uri], "word-count"))


async def test_flat_initialization_options_and_inlay_hints_off(client, workspace):
    install_version_tracking(client)
    await client.initialize_session(t.InitializeParams(
        capabilities=t.ClientCapabilities(text_document=t.TextDocumentClientCapabilities(
            inlay_hint=t.InlayHintClientCapabilities())),
        root_uri=workspace.as_uri(),
        initialization_options={"debounceMs": 0, "inlayHints": False, "severity": {"word-count": "hint"},
                                "noSuchSetting": True},
    ))
    uri = await open_doc(client, workspace / "reports" / "README.md")
    diags = await wait_version(client, uri, 1)
    assert by_question(diags, "word-count")[7].severity == t.DiagnosticSeverity.Hint
    hints = await client.text_document_inlay_hint_async(t.InlayHintParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), t.Position(10_000, 0))))
    assert not hints
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    # no hints as lenses either
    assert [lens.command.title for lens in lenses] == ["30/31 questions pass", "Checklist: 0/1 done"]
    assert any("noSuchSetting" in m.message for m in client.log_messages)


async def test_close_clears_diagnostics(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    uri = await open_doc(client, workspace / "reports" / "README.md")
    assert await wait_version(client, uri, 1)
    client.text_document_did_close(t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(uri)))
    await wait_for(lambda: len(client.diagnostics[uri]) == 0)
    # after closing, the server knows nothing about it
    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(0, 0)))
    assert hover is None


async def test_config_and_report_py_changes_seen_without_a_watcher(client, workspace):
    """A client with no file watching: the next version re-reads a changed .reportls.yaml / report.py."""
    install_version_tracking(client)
    await start(client, workspace, watch=False)
    reports = workspace / "reports"
    text = (reports / "README.md").read_text()
    uri = await open_doc(client, reports / "README.md", text)
    assert 7 in by_question(await wait_version(client, uri, 1), "word-count")

    (reports / ".reportls.yaml").write_text("constraints:\n  answers: 31\n  questions:\n    7: {words: [0, 100]}\n")
    at = pos_of(text, "### Question 1")
    change(client, uri, 2, " ", t.Range(at, at))
    assert 7 not in by_question(await wait_version(client, uri, 2), "word-count")

    (reports / ".reportls.yaml").unlink()
    shutil.copy(FIXTURES / "syntax_error.py", reports / "report.py")
    change(client, uri, 3, " ", t.Range(at, at))
    diags = await wait_version(client, uri, 3)
    assert 7 in by_question(diags, "word-count")
    assert [d.code for d in diags].count("constraints-source") == 1


async def test_config_problems_shown_by_kind(client, workspace):
    reports = workspace / "reports"
    (reports / ".reportls.yaml").write_text("severity:\n  word-count: error\ncolour: blue\n")
    install_version_tracking(client)
    await start(client, workspace)
    uri = await open_doc(client, reports / "README.md")
    diags = await wait_version(client, uri, 1)
    assert by_question(diags, "word-count")[7].severity == t.DiagnosticSeverity.Error  # the known key applies
    warnings = [m for m in client.messages if "colour" in m.message]
    assert len(warnings) == 1 and warnings[0].type == t.MessageType.Warning and ".reportls.yaml:3" in warnings[0].message

    # broken on disk, announced by the watcher: an error naming file and line, defaults used
    (reports / ".reportls.yaml").write_text("severity:\n  word-count: [error\n")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=(reports / ".reportls.yaml").as_uri(), type=t.FileChangeType.Changed)]))
    await wait_for(lambda: any(m.type == t.MessageType.Error for m in client.messages))
    error = next(m for m in client.messages if m.type == t.MessageType.Error)
    assert ".reportls.yaml:" in error.message and "defaults" in error.message
    await wait_for(lambda: by_question(client.diagnostics[uri], "word-count")[7].severity
                   == t.DiagnosticSeverity.Warning)


async def test_pull_client_told_to_refresh_on_file_events(client, workspace):
    await client.initialize_session(t.InitializeParams(
        capabilities=t.ClientCapabilities(
            text_document=t.TextDocumentClientCapabilities(diagnostic=t.DiagnosticClientCapabilities()),
            workspace=t.WorkspaceClientCapabilities(
                diagnostics=t.DiagnosticWorkspaceClientCapabilities(refresh_support=True)),
        ),
        root_uri=workspace.as_uri(),
        initialization_options={"reportls": {"debounceMs": 0}},
    ))
    reports = workspace / "reports"
    text = (reports / "README.md").read_text().replace("figures/wandb.png", "figures/later.png", 1)
    uri = await open_doc(client, reports / "README.md", text)
    pulled = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert pulled.result_id == "1" and any(d.code == "missing-figure" for d in pulled.items)
    (reports / "figures" / "later.png").write_bytes(b"\x89PNG")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=(reports / "figures" / "later.png").as_uri(), type=t.FileChangeType.Created)]))
    await wait_for(lambda: client.diagnostic_refresh_count > 0)
    pulled = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert not any(d.code == "missing-figure" for d in pulled.items)
    assert uri not in client.diagnostics  # pull clients get nothing pushed


async def test_words_typed_in_quick_succession_are_all_counted(client, workspace):
    """debounceMs from initializationOptions: nothing is published before the pause."""
    seen = install_version_tracking(client)
    await start(client, workspace, options={"debounceMs": 400})
    text = (workspace / "reports" / "README.md").read_text()
    uri = await open_doc(client, workspace / "reports" / "README.md", text)
    await wait_version(client, uri, 1)
    at = pos_of(text, words(20), after="### Question 7")
    change(client, uri, 2, "one ", t.Range(at, at))
    await asyncio.sleep(0.15)
    assert [v for u, v in seen if u == uri] == [1]  # still waiting
    change(client, uri, 3, "two ", t.Range(at, at))
    diags = await wait_version(client, uri, 3)
    assert [v for u, v in seen if u == uri] == [1, 3]
    assert by_question(diags, "word-count")[7].message.startswith("Question 7: 22 words")


def _edits_at_end(client, uri: str, text: str, versions: range) -> None:
    """One appended character per version, sent back to back (no waiting in between)."""
    line = text.count("\n")
    col = len(text) - (text.rfind("\n") + 1)
    for k, v in enumerate(versions):
        p = t.Position(line, col + k)
        change(client, uri, v, "x", t.Range(p, p))


async def test_initialization_options_survive_an_empty_configuration_answer(client, workspace):
    """debounceMs 0 from initializationOptions, then a configuration answer of {} (an editor with no
    user settings): still 0, so every version is published (a 150 ms debounce would publish only
    the last of a burst)."""
    seen = install_version_tracking(client)
    client.set_configuration({}, section="reportls")
    await client.initialize_session(t.InitializeParams(
        capabilities=capabilities(configuration=True), root_uri=workspace.as_uri(),
        initialization_options={"debounceMs": 0, "severity": {"word-count": "error"}},
    ))
    client.initialized(t.InitializedParams())
    path = workspace / "reports" / "README.md"
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)
    await asyncio.sleep(0.3)  # the configuration request has been answered by now
    _edits_at_end(client, uri, path.read_text(), range(2, 7))
    diags = await wait_version(client, uri, 6)
    assert [v for u, v in seen if u == uri][-5:] == [2, 3, 4, 5, 6]
    assert by_question(diags, "word-count")[7].severity == t.DiagnosticSeverity.Error
    # the configuration answer's keys that are present win; the rest stays as initialized
    client.set_configuration({"severity": {"word-count": "hint"}}, section="reportls")
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: by_question(client.diagnostics[uri], "word-count")[7].severity == t.DiagnosticSeverity.Hint)
    _edits_at_end(client, uri, path.read_text() + "xxxxx", range(7, 10))
    await wait_version(client, uri, 9)
    assert [v for u, v in seen if u == uri][-3:] == [7, 8, 9]


async def test_late_configuration_reply_during_a_burst_of_edits(client, workspace):
    """pygls bug #621: a task cancelled while it awaits a server-to-client request raises
    InvalidStateError when the reply comes.  The debounce must never cancel such a task: edits
    arrive while the server awaits a slow workspace/configuration reply, and the reply still lands."""
    install_version_tracking(client)

    async def slow_configuration(params: t.ConfigurationParams):
        await asyncio.sleep(0.5)
        return [{"severity": {"word-count": "error"}}]

    client.protocol.fm._features[t.WORKSPACE_CONFIGURATION] = slow_configuration
    await client.initialize_session(t.InitializeParams(
        capabilities=capabilities(configuration=True), root_uri=workspace.as_uri(),
        initialization_options={"debounceMs": 50},
    ))
    client.initialized(t.InitializedParams())
    path = workspace / "reports" / "README.md"
    uri = await open_doc(client, path)
    _edits_at_end(client, uri, path.read_text(), range(2, 30))
    await wait_for(lambda: published_version(client, uri) == 29
                   and by_question(client.diagnostics[uri], "word-count")[7].severity == t.DiagnosticSeverity.Error)
    errors = [m.message for m in client.log_messages if m.type == t.MessageType.Error]
    assert errors == []
