"""While writing (issue 12) through the real server: the question under the cursor
(``reportls/questionStatus``), faded text report.py does not count (``not-counted``), workspace
symbols, and links that follow renamed figures (``workspace/willRenameFiles``)."""

from __future__ import annotations

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, start, wait_version
from tests.e2e.test_server import change, pos_of
from tests.reportgen import make_report, words


async def open_report(client, workspace):
    """Start a session on the workspace and open its report; (path, text, uri) once diagnosed."""
    install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)
    return path, text, uri


async def question_status(client, uri: str, position: t.Position):
    return await client.protocol.send_request_async(
        "reportls/questionStatus",
        {"textDocument": {"uri": uri}, "position": {"line": position.line, "character": position.character}},
    )


async def test_question_status_follows_the_cursor_and_the_typing(client, workspace):
    path, text, uri = await open_report(client, workspace)
    at_q7 = pos_of(text, words(20), after="### Question 7")
    status = await question_status(client, uri, at_q7)
    assert (status.number, status.words, status.images, status.minWords, status.maxWords) == (7, 20, 0, 50, 100)
    assert (status.minImages, status.maxImages, status.passed, status.crash) == (None, None, False, None)
    assert status.line == pos_of(text, "### Question 7").line  # where a client shows the question's hover
    # 35 more words: 55, passes
    change(client, uri, 2, words(35) + " ", t.Range(at_q7, at_q7))
    await wait_version(client, uri, 2)
    status = await question_status(client, uri, at_q7)
    assert (status.number, status.words, status.passed) == (7, 55, True)
    at_q19 = pos_of(text, "![w]", after="### Question 19")
    status = await question_status(client, uri, at_q19)
    assert (status.number, status.images, status.minImages, status.maxImages, status.minWords) == (19, 1, 1, 2, None)
    assert await question_status(client, uri, t.Position(0, 0)) is None  # the title: no question


async def test_not_counted_text_is_a_faded_hint(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    q7 = text.index(words(20), text.index("### Question 7"))
    text = text[:q7] + words(60) + "\n\n## Details\n\n" + words(30) + text[q7 + len(words(20)) :]
    uri = await open_doc(client, path, text)
    diags = await wait_version(client, uri, 1)
    faded = [d for d in diags if d.code == "not-counted"]
    assert len(faded) == 1
    d = faded[0]
    assert d.severity == t.DiagnosticSeverity.Hint and list(d.tags) == [t.DiagnosticTag.Unnecessary]
    assert d.range.start == pos_of(text, "## Details")
    assert "report.py does not count these 32 words" in d.message
    assert any(x.code == "answer-truncated" for x in diags)  # the warning stays where it is


def _second_repo(workspace):
    """A second group's report beside the first, never opened: its Q14 links figures/a.png."""
    other = workspace / "group2" / "reports"
    (other / "figures").mkdir(parents=True)
    (other / "figures" / "a.png").write_bytes(b"\x89PNG")
    (other / "README.md").write_text(make_report({14: words(250) + " ![a](figures/a.png)"}))
    return other


async def test_workspace_symbols_list_the_questions_of_every_report(client, workspace):
    _second_repo(workspace)
    path, _, uri = await open_report(client, workspace)
    symbols = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query=""))
    by_file: dict[str, list] = {}
    for s in symbols:
        by_file.setdefault(s.location.uri, []).append(s)
    other_uri = (workspace / "group2" / "reports" / "README.md").as_uri()
    assert set(by_file) == {uri, other_uri}
    assert len(by_file[uri]) == 31 and len(by_file[other_uri]) == 31
    q7 = next(s for s in by_file[uri] if s.name.startswith("Q7 "))
    assert q7.name.endswith("(fails: 20/50-100 words)")
    assert q7.location.range.start == pos_of(path.read_text(), "### Question 7")
    assert q7.container_name == "Version control"
    only = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="question 14"))
    assert sorted((s.location.uri, s.name.split()[0]) for s in only) == sorted([(uri, "Q14"), (other_uri, "Q14")])


async def test_will_rename_keeps_links_in_open_and_unopened_reports(client, workspace):
    install_version_tracking(client)
    other = _second_repo(workspace)
    result = await start(client, workspace)
    ops = result.capabilities.workspace.file_operations
    assert ops is not None and ops.will_rename is not None  # advertised: pygls drops it without filters
    assert {f.pattern.matches for f in ops.will_rename.filters} == {t.FileOperationPatternKind.File,
                                                                     t.FileOperationPatternKind.Folder}
    reports = workspace / "reports"
    path = reports / "README.md"
    text = path.read_text()
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)

    def rename(old, new):
        return client.workspace_will_rename_files_async(t.RenameFilesParams(files=[
            t.FileRename(old_uri=old.as_uri(), new_uri=new.as_uri())]))

    edit = await rename(reports / "figures" / "wandb.png", reports / "figures" / "loss.png")
    edits = edit.changes[uri]
    assert len(edits) == text.count("](figures/wandb.png)")
    assert {e.new_text for e in edits} == {"figures/loss.png"}
    assert all(text.splitlines()[e.range.start.line][e.range.start.character:e.range.end.character]
               == "figures/wandb.png" for e in edits)
    assert (other / "README.md").as_uri() not in edit.changes  # group2 links its own figures/a.png

    # a folder rename in the unopened report
    edit = await rename(other / "figures", other / "img")
    [e] = edit.changes[(other / "README.md").as_uri()]
    assert e.new_text == "img/a.png"
    # nothing links it: no edit at all
    assert await rename(reports / "figures" / "gcp.jpg", reports / "figures" / "gcp2.jpg") is None


async def test_question_status_on_the_blank_lines_after_an_answer(client, workspace):
    path, text, uri = await open_report(client, workspace)
    heading = pos_of(text, "### Question 8")
    for line in (heading.line - 1, heading.line - 2):  # the blank lines before the next heading
        assert text.splitlines()[line] == ""
        status = await question_status(client, uri, t.Position(line, 0))
        assert status is not None and status.number == 7
