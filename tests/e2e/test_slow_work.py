"""Slow work never holds the event loop: with the ignore-file quick fix's git slowed by 3 s (a
``git`` on PATH that waits before ``git init``, then runs the real one), a hover sent right after
the code action is answered within a second, before the action."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.test_git import _opened, _repository

SLOW_GIT = Path(__file__).resolve().parents[1] / "fixtures" / "slow_git"
ENV = {**os.environ, "PATH": f"{SLOW_GIT}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "reportls", "serve"],
                                              server_env=ENV))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def _register(params: t.RegistrationParams):  # what an editor does: accept it
        return None

    yield
    await lsp_client.shutdown_session()


async def test_a_hover_is_answered_while_the_ignore_fix_runs_git(client, tmp_path):
    root, path = _repository(tmp_path, ignore="*.png\n")
    uri, (d,), _ = await _opened(client, root, path, "figure-ignored")
    done: dict[str, float] = {}
    start = time.monotonic()

    async def timed(name, request):
        result = await request
        done[name] = time.monotonic() - start
        return result

    action = asyncio.ensure_future(timed("action", client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d])))))
    await asyncio.sleep(0.05)  # the action's request is read first
    hover = await timed("hover", client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), d.range.start)))
    actions = await action
    assert hover is not None
    assert done["hover"] < 1.0, done
    # the slowed ``git init`` really ran: it outlasts git's per-call limit (2 s), so no fix is offered
    assert done["action"] >= 1.9 and done["hover"] < done["action"], done
    assert not any(a.title.startswith("Stop ignoring") for a in actions)
