"""Issue 23 through the real server: one diagnostic for images kept in one folder outside
``figures/``, with the other links as related information, and a leading ``/`` as missing-figure
with the fix that drops it."""

from __future__ import annotations

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, passing_answers, start, wait_version
from tests.reportgen import make_report


async def test_one_folder_is_one_diagnostic_with_related_places(client, tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "our_figures").mkdir()
    (reports / "figures" / "wandb.png").write_bytes(b"\x89PNG")
    for name in ("a.png", "b.png", "c.png"):
        (reports / "our_figures" / name).write_bytes(b"\x89PNG")
    answers = passing_answers()
    answers[19] = "![a](our_figures/a.png)"
    answers[20] = "![b](our_figures/b.png)"
    answers[21] = "![c](our_figures/c.png)"
    answers[25] = answers[25] + "\n\n![w](/figures/wandb.png)"
    path = reports / "README.md"
    path.write_text(make_report(answers))
    install_version_tracking(client)
    await start(client, tmp_path)
    uri = await open_doc(client, path)
    diags = await wait_version(client, uri, 1)
    lines = path.read_text().splitlines()
    [location] = [d for d in diags if d.code == "figure-location"]
    assert location.message.startswith("3 images are in `our_figures/`")
    assert [(r.location.uri, lines[r.location.range.start.line]) for r in location.related_information] == [
        (uri, "![a](our_figures/a.png)"), (uri, "![b](our_figures/b.png)"), (uri, "![c](our_figures/c.png)")]

    [slash] = [d for d in diags if d.code == "missing-figure"]
    assert slash.severity == t.DiagnosticSeverity.Error
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), slash.range, t.CodeActionContext(diagnostics=[slash])))
    [fix] = [a for a in actions if a.kind == t.CodeActionKind.QuickFix]
    assert fix.title == "Drop the leading `/`: link `figures/wandb.png`"
    assert [e.new_text for e in fix.edit.changes[uri]] == ["figures/wandb.png"]
