"""The real server over stdio: diagnostics, hover, hints, completion, watcher, pull, encodings."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from lsprotocol import types as t

from reportls.analysis import analyze
from reportls.text.document import LineIndex
from tests.e2e.conftest import SHARED, install_version_tracking, open_doc, start, wait_version
from tests.reportgen import make_report, words

SEEDS = sorted((SHARED / "seeds").glob("*.md")) if SHARED.is_dir() else []


def change(client, uri, version, text, rng=None):
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangePartial(range=rng, text=text) if rng else
                         t.TextDocumentContentChangeWholeDocument(text=text)],
    ))


def pos_of(text: str, needle: str, after: str | None = None, delta: int = 0) -> t.Position:
    start = text.index(after) if after else 0
    p = LineIndex(text).position(text.index(needle, start) + delta)
    return t.Position(p.line, p.character)


def by_question(diags, code):
    return {int(d.message.split(":")[0].split()[1]): d for d in diags if d.code == code}


@pytest.mark.skipif(not SEEDS, reason="../shared/seeds not available")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
async def test_seed_diagnostics_match_core(client, tmp_path, seed):
    install_version_tracking(client)
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    shutil.copy(seed, report)
    await start(client, tmp_path)
    uri = await open_doc(client, report)
    diags = await wait_version(client, uri, 1)
    text = report.read_text()
    core = analyze(text, path=report)
    failing_words = {r.number for r in core.results if not r.constraint.words_ok(r.words)}
    failing_images = {r.number for r in core.results if not r.constraint.images_ok(r.images)}
    assert set(by_question(diags, "word-count")) == failing_words
    assert set(by_question(diags, "image-count")) == failing_images
    index = LineIndex(text)
    for d in diags:
        if d.code in ("word-count", "image-count"):
            n = int(d.message.split(":")[0].split()[1])
            q = core.report.question(n)
            begin = index.offset(d.range.start.line, d.range.start.character)
            assert q.answer_span.start <= begin <= q.span.end
            assert d.source == "reportls"


async def test_typing_updates_diagnostics_hover_and_hint(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    uri = await open_doc(client, report, text)
    diags = await wait_version(client, uri, 1)
    assert by_question(diags, "word-count")[7].message == "Question 7: 20 words, needs 50-100 (report.py check will fail)"

    # type one word at the start of Q7's answer
    at = pos_of(text, words(20), after="### Question 7")
    change(client, uri, 2, "extra ", t.Range(at, at))
    diags = await wait_version(client, uri, 2)
    assert by_question(diags, "word-count")[7].message.startswith("Question 7: 21 words")
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), pos_of(text, "### Question 7", delta=4)))
    assert "21 words" in hover.contents.value and "50-100 words" in hover.contents.value
    hints = await client.text_document_inlay_hint_async(t.InlayHintParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), t.Position(10_000, 0))))
    labels = [h.label for h in hints]
    assert "✗ 21 words · 50-100" in labels

    # fix the answer: 40 more words -> 61, inside 50-100
    change(client, uri, 3, words(40) + " ", t.Range(at, at))
    diags = await wait_version(client, uri, 3)
    assert 7 not in by_question(diags, "word-count")


async def test_hover_on_question_14_of_2026(client, workspace):
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    uri = await open_doc(client, report, text)
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), pos_of(text, "### Question 14", delta=5)))
    value = hover.contents.value
    assert "Explain question 14 of the project in your own words." in value
    assert "200-300 words" in value and "1-3 images" in value
    assert "251 words, 1 image" in value and "passes" in value


async def test_completion_of_figures(client, workspace):
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    uri = await open_doc(client, report, text)
    at = pos_of(text, "### Question 20")
    typed = "![x](figures/"
    change(client, uri, 2, typed + "\n", t.Range(at, at))
    result = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri), t.Position(at.line, len(typed))))
    items = {i.label: i for i in result.items}
    assert set(items) == {"figures/wandb.png", "figures/loss curve.png", "figures/gcp.jpg"}  # no notes.txt
    edit = items["figures/wandb.png"].text_edit  # after the last "/": nothing typed yet to replace
    assert edit.range == t.Range(t.Position(at.line, len(typed)), t.Position(at.line, len(typed)))
    assert items["figures/loss curve.png"].text_edit.new_text == "loss%20curve.png"
    # images first, and the already-linked wandb.png after the unused images
    order = sorted(items.values(), key=lambda i: i.sort_text)
    assert order.index(items["figures/wandb.png"]) > order.index(items["figures/gcp.jpg"])

    # the completed link with a space works: no missing-figure diagnostic
    newline = typed.replace("figures/", "figures/loss%20curve.png)")
    change(client, uri, 3, newline, t.Range(t.Position(at.line, 0), t.Position(at.line, len(typed))))
    result = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert not [d for d in result.items if d.code == "missing-figure"]


async def test_non_report_markdown_gets_nothing(client, tmp_path):
    install_version_tracking(client)
    await start(client, tmp_path)
    other = tmp_path / "notes.md"
    other.write_text("# Notes\n\n## Question 1\n\nAnswer: nothing to see\n")
    uri = await open_doc(client, other)
    report = tmp_path / "r" / "README.md"
    report.parent.mkdir()
    report.write_text(make_report({7: words(3)}))
    ruri = await open_doc(client, report)
    await wait_version(client, ruri, 1)
    assert uri not in client.diagnostics
    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(2, 4)))
    assert hover is None
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    assert not lenses


async def test_empty_reports_readme_is_the_crash_other_markdown_stays_silent(client, tmp_path):
    """An empty reports/README.md is what report.py crashes on (no `Answer:`): the server says so;
    an empty README.md elsewhere, or any other markdown file, still gets nothing."""
    install_version_tracking(client)
    await start(client, tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "reports").mkdir()
    silent = [await open_doc(client, tmp_path / name, "") for name in ("README.md", "docs/README.md", "reports/notes.md")]
    uri = await open_doc(client, tmp_path / "reports" / "README.md", "")
    [d] = await wait_version(client, uri, 1)
    assert (d.code, d.severity, d.source) == ("answer-count", t.DiagnosticSeverity.Error, "reportls")
    assert "no `Answer:` marker" in d.message and d.range.start == t.Position(0, 0)
    change(client, uri, 2, "# Our project\n")
    [d] = await wait_version(client, uri, 2)
    assert d.code == "answer-count"
    assert not [u for u in silent if u in client.diagnostics]


async def test_watcher_event_clears_missing_figure(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text().replace("![w](figures/wandb.png)\n\n\n### Question 20", "![w](figures/new.png)\n\n\n### Question 20")
    assert "figures/new.png" in text
    uri = await open_doc(client, report, text)
    diags = await wait_version(client, uri, 1)
    assert [d for d in diags if d.code == "missing-figure"]
    (workspace / "reports" / "figures" / "new.png").write_bytes(b"\x89PNG")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=(workspace / "reports" / "figures" / "new.png").as_uri(), type=t.FileChangeType.Created)]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[uri] if d.code == "missing-figure"]


async def test_pull_equals_push(client, workspace):
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    # push, from a server without pull support...
    install_version_tracking(client)
    await start(client, workspace)
    uri = await open_doc(client, report, text)
    pushed = await wait_version(client, uri, 1)
    pulled = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert [(d.code, d.range, d.message) for d in pulled.items] == [(d.code, d.range, d.message) for d in pushed]
    assert pushed


async def test_pull_client_gets_pull_only(client, workspace):
    seen = install_version_tracking(client)
    result = await start(client, workspace, pull=True)
    assert result.capabilities.diagnostic_provider is not None
    report = workspace / "reports" / "README.md"
    uri = await open_doc(client, report)
    pulled = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(t.TextDocumentIdentifier(uri)))
    assert 7 in by_question(pulled.items, "word-count")
    await asyncio.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize("utf8", [True, False], ids=["utf-8 offered", "utf-16 default"])
async def test_position_encoding_after_emoji(client, tmp_path, utf8):
    install_version_tracking(client)
    result = await start(client, tmp_path, utf8=utf8)
    assert result.capabilities.position_encoding == ("utf-8" if utf8 else "utf-16")
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    text = make_report({19: "😀é ![x](figures/missing.png)"})
    uri = await open_doc(client, report, text)
    diags = await wait_version(client, uri, 1)
    d = next(d for d in diags if d.code == "missing-figure")
    before = "😀é ![x]("
    expected = len(before.encode("utf-8")) if utf8 else len(before.encode("utf-16-le")) // 2
    assert d.range.start.character == expected


async def test_server_survives_bad_requests(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    uri = await open_doc(client, report, text)
    await wait_version(client, uri, 1)
    # a request for a document that is not open, a change for an unopened document, a reversed range
    assert await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier("file:///nope.md"), t.Position(0, 0))) is None
    change(client, "file:///nope.md", 2, "x", t.Range(t.Position(0, 0), t.Position(0, 0)))
    change(client, uri, 2, "x", t.Range(t.Position(5, 3), t.Position(2, 0)))
    change(client, uri, 3, "y", t.Range(t.Position(99_999, 0), t.Position(99_999, 5)))  # past the end: clamps
    change(client, uri, 4, text)  # a full sync resynchronises
    diags = await wait_version(client, uri, 4)
    assert 7 in by_question(diags, "word-count")
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), pos_of(text, "### Question 7", delta=4)))
    assert "20 words" in hover.contents.value
    # each problem logged (window/logMessage), none shown to the user as a pop-up
    logged = " ".join(m.message for m in client.log_messages if m.type == t.MessageType.Error)
    assert "file:///nope.md is not open" in logged and "ends before it starts" in logged and "past the end" in logged
    assert not client.messages


async def test_burst_of_changes_publishes_final_version_last(client, workspace):
    seen = install_version_tracking(client)
    await start(client, workspace, options={"debounceMs": 30})
    report = workspace / "reports" / "README.md"
    text = report.read_text()
    uri = await open_doc(client, report, text)
    await wait_version(client, uri, 1)
    at = pos_of(text, words(20), after="### Question 7")
    for v in range(2, 202):
        change(client, uri, v, "a ", t.Range(at, at))
    diags = await wait_version(client, uri, 201)
    versions = [v for u, v in seen if u == uri]
    assert versions == sorted(versions) and versions[-1] == 201
    assert len(versions) < 50  # debounced
    # the final text: 20 + 200 words, all of them seen
    assert by_question(diags, "word-count")[7].message.startswith("Question 7: 220 words, needs 50-100")


async def test_settings_change_severity(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    uri = await open_doc(client, report)
    diags = await wait_version(client, uri, 1)
    assert by_question(diags, "word-count")[7].severity == t.DiagnosticSeverity.Warning
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(
        settings={"reportls": {"debounceMs": 0, "severity": {"word-count": "error"}}}))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert by_question(client.diagnostics[uri], "word-count")[7].severity == t.DiagnosticSeverity.Error
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(
        settings={"reportls": {"debounceMs": 0, "severity": {"word-count": "off"}}}))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not by_question(client.diagnostics[uri], "word-count")


async def test_code_action_fixes_figure_case(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    report = workspace / "reports" / "README.md"
    text = report.read_text().replace("![w](figures/wandb.png)\n\n\n### Question 20", "![w](figures/WandB.png)\n\n\n### Question 20")
    uri = await open_doc(client, report, text)
    diags = await wait_version(client, uri, 1)
    d = next(d for d in diags if d.code == "figure-case")
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d])))
    fix = next(a for a in actions if a.kind == t.CodeActionKind.QuickFix)
    edits = fix.edit.changes[uri]
    assert [(e.range, e.new_text) for e in edits] == [(d.range, "figures/wandb.png")]


async def test_malformed_config_shows_message(client, workspace):
    (workspace / "reports" / ".reportls.yaml").write_text("severity:\n  placeholder: [oops\n")
    install_version_tracking(client)
    await start(client, workspace)
    uri = await open_doc(client, workspace / "reports" / "README.md")
    await wait_version(client, uri, 1)
    assert any(".reportls.yaml:" in m.message and m.type == t.MessageType.Error for m in client.messages)


async def test_symbols_folding_links_lens(client, workspace):
    await start(client, workspace)
    uri = await open_doc(client, workspace / "reports" / "README.md")
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(uri)))
    names = [c.name for s in symbols for c in (s.children or [])]
    assert names == [f"Question {n}" for n in range(1, 32)]
    folds = await client.text_document_folding_range_async(t.FoldingRangeParams(t.TextDocumentIdentifier(uri)))
    assert len(folds) >= 31
    links = await client.text_document_document_link_async(t.DocumentLinkParams(t.TextDocumentIdentifier(uri)))
    assert links and all(link.target.endswith("/reports/figures/wandb.png") for link in links)
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    titles = [lens.command.title for lens in lenses]
    # this client declares no inlay hint support: the hints come as lenses on the Answer: lines
    assert titles[:2] == ["30/31 questions pass", "Checklist: 0/1 done"] and len(titles) == 33
    assert "✗ 20 words · 50-100" in titles


@pytest.mark.parametrize("resource_ops", [True, False], ids=["rename supported", "no resource operations"])
async def test_code_action_moves_pasted_image_into_figures(client, workspace, resource_ops):
    install_version_tracking(client)
    await start(client, workspace, resource_ops=resource_ops)
    reports = workspace / "reports"
    (reports / "image.png").write_bytes(b"\x89PNG")
    text = reports.joinpath("README.md").read_text().replace(
        "![w](figures/wandb.png)\n\n\n### Question 20", "![w](image.png)\n\n\n### Question 20")
    uri = await open_doc(client, reports / "README.md", text)
    d = next(d for d in await wait_version(client, uri, 1) if d.code == "figure-location")
    params = t.CodeActionParams(t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d]))
    actions = await client.text_document_code_action_async(params)
    moves = [a for a in actions if a.title.startswith("Move")]
    if not resource_ops:
        assert moves == []  # a client that can't rename files gets no half-done move
        return
    (move,) = moves
    edit, rename = move.edit.document_changes
    assert edit.text_document.uri == uri and edit.text_document.version == 1
    assert [(e.range, e.new_text) for e in edit.edits] == [(d.range, "figures/image.png")]
    assert (rename.kind, rename.old_uri, rename.new_uri) == (
        "rename", (reports / "image.png").as_uri(), (reports / "figures" / "image.png").as_uri())
    assert list(move.diagnostics) == [d]
    # a client asking only for source actions (say, on save) gets none of these
    params.context.only = [t.CodeActionKind.Source]
    assert not await client.text_document_code_action_async(params)


async def test_code_action_moves_a_folder_of_images_into_figures(client, workspace):
    install_version_tracking(client)
    await start(client, workspace, resource_ops=True)
    reports = workspace / "reports"
    (reports / "shots").mkdir()
    for name in ("a.png", "b.png"):
        (reports / "shots" / name).write_bytes(b"\x89PNG")
    text = reports.joinpath("README.md").read_text().replace(
        "![w](figures/wandb.png)\n\n\n### Question 20", "![a](shots/a.png) ![b](shots/b.png)\n\n\n### Question 20")
    uri = await open_doc(client, reports / "README.md", text)
    [d] = [d for d in await wait_version(client, uri, 1) if d.code == "figure-location"]
    assert len(d.related_information) == 2
    params = t.CodeActionParams(t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d]))
    [move] = [a for a in await client.text_document_code_action_async(params) if a.title.startswith("Move")]
    assert move.title == "Move the 2 images in `shots/` to `figures/` and update their links"
    edit, *renames = move.edit.document_changes
    assert sorted(e.new_text for e in edit.edits) == ["figures/a.png", "figures/b.png"]
    assert [(r.old_uri, r.new_uri) for r in renames] == [
        ((reports / "shots" / n).as_uri(), (reports / "figures" / n).as_uri()) for n in ("a.png", "b.png")]
