"""End-to-end fixtures: the real ``reportls serve`` process driven over stdio by pytest-lsp."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.reportgen import make_report, words

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))  # seeds, templates


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "reportls", "serve"]))
async def client(lsp_client: LanguageClient):
    registrations: list = []
    lsp_client.registrations = registrations

    @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def _register(params: t.RegistrationParams):  # what an editor does: accept and remember
        registrations.extend(params.registrations)

    yield
    with contextlib.suppress(Exception):  # a test may have broken the session on purpose
        await lsp_client.shutdown_session()


def capabilities(*, pull: bool = False, utf8: bool = False, watch: bool = True, resource_ops: bool = False,
                 configuration: bool = False) -> t.ClientCapabilities:
    return t.ClientCapabilities(
        general=t.GeneralClientCapabilities(position_encodings=["utf-16", "utf-8"] if utf8 else None),
        text_document=t.TextDocumentClientCapabilities(
            publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True),
            diagnostic=t.DiagnosticClientCapabilities(dynamic_registration=False) if pull else None,
            completion=t.CompletionClientCapabilities(completion_item=t.ClientCompletionItemOptions(snippet_support=True)),
            hover=t.HoverClientCapabilities(content_format=[t.MarkupKind.Markdown]),
        ),
        workspace=t.WorkspaceClientCapabilities(
            did_change_watched_files=t.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watch),
            workspace_edit=t.WorkspaceEditClientCapabilities(
                document_changes=resource_ops, resource_operations=[t.ResourceOperationKind.Rename] if resource_ops else None
            ),
            configuration=configuration,
            file_operations=t.FileOperationClientCapabilities(will_rename=True),  # as VS Code declares
        ),
    )


async def start(client: LanguageClient, root: Path, options: dict | None = None, **caps) -> t.InitializeResult:
    return await client.initialize_session(
        t.InitializeParams(
            capabilities=capabilities(**caps),
            root_uri=root.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options={"reportls": {"debounceMs": 0, **(options or {})}},
        )
    )


async def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="markdown", version=version, text=text if text is not None else path.read_text())))
    return uri


async def wait_version(client: LanguageClient, uri: str, version: int, timeout: float = 15):
    """Wait until diagnostics for ``version`` of ``uri`` arrive; returns them."""
    import asyncio

    async def loop():
        while True:
            await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if uri in client.diagnostics and published_version(client, uri) == version:
                return client.diagnostics[uri]

    return await asyncio.wait_for(loop(), timeout)


def published_version(client: LanguageClient, uri: str):
    return getattr(client, "_versions", {}).get(uri)


def install_version_tracking(client: LanguageClient) -> list[tuple[str, int | None]]:
    """Record (uri, version) of every publishDiagnostics, in arrival order."""
    seen: list[tuple[str, int | None]] = []
    client._versions = {}

    def on_publish(params: t.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client._versions[params.uri] = params.version
        seen.append((params.uri, params.version))

    client.protocol.fm._features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish
    return seen


def passing_answers() -> dict[int, str]:
    answers = {n: words(150) for n in range(1, 32)}
    answers.update({1: "7", 2: "s123456", 7: words(70), 11: words(250), 12: words(70), 14: words(250) + " ![w](figures/wandb.png)",
                    19: "![w](figures/wandb.png)", 20: "![w](figures/wandb.png)", 21: "![w](figures/wandb.png)",
                    29: words(250) + " ![w](figures/wandb.png)", 30: words(250), 31: words(100)})
    return answers


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A repo with reports/README.md (one failing question: Q7 has 20 words) and reports/figures."""
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    for name in ("wandb.png", "loss curve.png", "gcp.jpg", "notes.txt"):
        (reports / "figures" / name).write_bytes(b"\x89PNG")
    answers = passing_answers()
    answers[7] = words(20)
    (reports / "README.md").write_text(make_report(answers))
    return tmp_path


async def until(check, timeout: float = 15.0, interval: float = 0.05):
    """Wait until ``await check()`` is truthy (git, image headers and the checklist's scan are read
    in the background), returning its value; fails naming ``check`` after ``timeout`` seconds."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        value = await check()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out waiting for {check.__name__}")
