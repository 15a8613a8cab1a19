"""The checklist against the repository through the real server (issue 25): the repository is read
in a worker after the report opens, then `checklist-unbacked` and `checklist-unticked` appear, the
hover lists the evidence, the quick fix ticks the box, and a new file in the repository (a watched
file event) changes the verdict."""

from __future__ import annotations

import asyncio

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, start, until, wait_version
from tests.reportgen import make_report

CHECKLIST = """* [x] Use profiling to optimize your code (M12)
* [ ] Construct one or multiple docker files for your code (M10)
* [x] Create a FastAPI application that can do inference using your model (M22)
* [x] Make sure that all team members have write access to the GitHub repository (M5)
"""


def _project(tmp_path):
    root = tmp_path / "proj"
    (root / "reports").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "api.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    (root / "Dockerfile").write_text("FROM python:3.11\n")
    path = root / "reports" / "README.md"
    path.write_text(make_report({}).replace("* [ ] Create a git repository (M5)\n", CHECKLIST))
    return root, path




async def test_checklist_diagnostics_hover_and_tick_fix(client, tmp_path):
    root, path = _project(tmp_path)
    text = path.read_text()
    install_version_tracking(client)
    await start(client, root)
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)

    async def checklist_findings():
        return sorted((d.code, d.range.start.line) for d in client.diagnostics.get(uri, [])
                      if str(d.code).startswith("checklist-"))

    profiling_line = text[: text.index("[x] Use profiling")].count("\n")
    docker_line = profiling_line + 1
    assert await until(checklist_findings) == [("checklist-unbacked", profiling_line),
                                                ("checklist-unticked", docker_line)]
    by_code = {d.code: d for d in client.diagnostics[uri]}
    assert by_code["checklist-unbacked"].severity == t.DiagnosticSeverity.Information
    assert by_code["checklist-unbacked"].message.endswith("; the teachers check the repository")
    assert by_code["checklist-unticked"].severity == t.DiagnosticSeverity.Hint

    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri),
                                                                 t.Position(docker_line + 1, 10)))
    assert f"[src/api.py:1]({(root / 'src' / 'api.py').as_uri()}#L1): a FastAPI application" in hover.contents.value
    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri),
                                                                 t.Position(profiling_line, 10)))
    assert hover.contents.value.startswith("**Checklist item** (ticked)\n\nNo evidence found in the repository: no "
                                           "profiler call")

    lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    assert "Checklist: 3/4 done · 1 without evidence" in [lens.command.title for lens in lenses if lens.command]

    unticked = by_code["checklist-unticked"]
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), unticked.range, t.CodeActionContext(diagnostics=[unticked])))
    (tick,) = [a for a in actions if a.title == "Tick this item: `[x]`"]
    (edit,) = tick.edit.changes[uri]
    assert (edit.new_text, edit.range.start, edit.range.end) == (
        "[x]", t.Position(docker_line, 2), t.Position(docker_line, 5))

    # a profiler appears in the repository: the watched-file event re-reads it, the unbacked item goes
    (root / "src" / "train.py").write_text("import cProfile\n")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=(root / "src" / "train.py").as_uri(), type=t.FileChangeType.Created)]))

    async def profiling_backed():
        return await checklist_findings() == [("checklist-unticked", docker_line)]

    assert await until(profiling_backed)


async def test_the_setting_turns_it_off(client, tmp_path):
    root, path = _project(tmp_path)
    install_version_tracking(client)
    await start(client, root, {"checklist": False})
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)
    await asyncio.sleep(0.5)  # time enough for a scan, had one been started
    assert not [d for d in client.diagnostics.get(uri, []) if str(d.code).startswith("checklist-")]
