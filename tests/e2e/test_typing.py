"""Typing with ``debounceMs: 0``: each keystroke is published at once without rendering the answer
being typed in; that answer keeps its previous hand-in findings (moved with the text) and is
rendered after a short pause, when the same version is published again if that changed anything."""

from __future__ import annotations

import asyncio

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, start, wait_version

FENCE = "We ran:\n\n```bash\nls -la\n```\n\nWe used:\n\n- Cloud build\n- Buckets\n\n"


def _edit(uri: str, version: int, line: int, character: int, text: str,
          end: tuple[int, int] | None = None) -> t.DidChangeTextDocumentParams:
    pos = t.Position(line, character)
    stop = t.Position(*end) if end else pos
    return t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [t.TextDocumentContentChangePartial(range=t.Range(pos, stop), text=text)])


def _line_of(text: str, needle: str, after: str) -> int:
    return text[: text.index(needle, text.index(after))].count("\n")


async def test_keystroke_publishes_at_once_and_the_pause_renders_the_answer(client, workspace):
    seen = install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    at = text.index("Answer:", text.index("### Question 4\n")) + len("Answer:\n\n")
    text = text[:at] + FENCE + text[at:]
    path.write_text(text)
    uri = await open_doc(client, path, text)
    first = await wait_version(client, uri, 1)
    fence = [d for d in first if d.code == "handin-code"]
    assert len(fence) == 1 and "Question 4" in fence[0].message

    # type a word at the start of question 4's answer, above the fence: the fence moves down a line
    line = _line_of(text, "We ran:", "### Question 4\n")
    client.text_document_did_change(_edit(uri, 2, line, 0, "Then\n"))
    fast = await wait_version(client, uri, 2)
    moved = [d for d in fast if d.code == "handin-code"]
    assert [d.range.start.line for d in moved] == [fence[0].range.start.line + 1]  # carried, shifted

    # delete the blank line between "We used:" and its list: after the pause the answer is rendered
    # and the list merged into the paragraph is found
    used = _line_of(text, "We used:", "### Question 4\n") + 1  # one line was typed above it
    client.text_document_did_change(_edit(uri, 3, used, len("We used:"), "", end=(used + 1, 0)))
    await wait_version(client, uri, 3)
    published_3 = sum(1 for u, v in seen if u == uri and v == 3)
    for _ in range(60):
        if sum(1 for u, v in seen if u == uri and v == 3) > published_3:
            break
        await asyncio.sleep(0.05)
    assert sum(1 for u, v in seen if u == uri and v == 3) == published_3 + 1
    final = client.diagnostics[uri]
    assert [d.code for d in fast if d.code.startswith("handin-")] == ["handin-code"]
    assert sorted(d.code for d in final if d.code.startswith("handin-")) == ["handin-code", "handin-list"]

    # hover and code actions see the rendered answer at once, without waiting for the pause
    client.text_document_did_change(_edit(uri, 4, line, 0, "Now "))
    await wait_version(client, uri, 4)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(line, 0), t.Position(line + 10, 0)),
        t.CodeActionContext(diagnostics=[])))
    assert any("hand-in" in a.title for a in actions)
