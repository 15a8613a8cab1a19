"""What clients other than VS Code and Neovim need from the real server (issue 23): the hover in
the format the client's ``hover.contentFormat`` asks for, and a figure completion whose edit
replaces only the word before the cursor (what Vim's ALE filters by)."""

from __future__ import annotations

import pytest
from lsprotocol import types as t

from tests.e2e.conftest import capabilities, open_doc
from tests.e2e.test_server import change, pos_of

PLAIN, MARKDOWN = t.MarkupKind.PlainText, t.MarkupKind.Markdown


async def _start(client, workspace, formats):
    caps = capabilities()
    caps.text_document.hover = None if formats is None else t.HoverClientCapabilities(content_format=formats)
    await client.initialize_session(t.InitializeParams(
        capabilities=caps, root_uri=workspace.as_uri(),
        initialization_options={"reportls": {"debounceMs": 0}}))
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    return await open_doc(client, report, text), text


@pytest.mark.parametrize(("formats", "kind"), [
    ([PLAIN], PLAIN),  # eglot without markdown-mode
    ([PLAIN, MARKDOWN], PLAIN),  # in the client's order of preference
    ([MARKDOWN, PLAIN], MARKDOWN),  # VS Code, Neovim, eglot with markdown-mode
    (None, MARKDOWN),  # a client that says nothing
], ids=["plaintext", "plaintext-first", "markdown-first", "unsaid"])
async def test_hover_in_the_format_the_client_asks_for(client, workspace, formats, kind):
    uri, text = await _start(client, workspace, formats)
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), pos_of(text, "### Question 7", delta=5)))
    assert hover.contents.kind == kind
    value = hover.contents.value
    if kind == PLAIN:
        assert value.startswith("Question 7\n\n")
        assert "Required: 50-100 words" in value and "report.py counts: 20 words, 0 images: ❌ fails" in value
        assert "**" not in value and "###" not in value
    else:
        assert value.startswith("### Question 7\n\n") and "**Required:** 50-100 words" in value
    # an image link: the plain hover has no preview image
    image = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), pos_of(text, "![w](figures/wandb.png)", after="### Question 19", delta=2)))
    assert ("file://" in image.contents.value) == (kind == MARKDOWN)


async def test_completion_replaces_the_word_before_the_cursor(client, workspace):
    uri, text = await _start(client, workspace, [PLAIN])
    at = pos_of(text, "### Question 20")
    typed = "![x](./figures/lo"
    change(client, uri, 2, typed + "\n", t.Range(at, at))
    result = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), t.Position(at.line, len(typed))))
    [item] = result.items
    assert item.text_edit.range == t.Range(t.Position(at.line, len(typed) - 2), t.Position(at.line, len(typed)))
    assert item.text_edit.new_text == "loss%20curve.png"  # starts with "lo", the word ALE filters by
    # what VS Code and Neovim match "lo" in, and eglot the symbol at point ("/figures/lo" here)
    assert (item.label, item.filter_text) == ("figures/loss curve.png", "./figures/loss%20curve.png")
