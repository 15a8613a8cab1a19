"""While writing (issue 12) through the real server: the question under the cursor
(``reportls/questionStatus``), faded text report.py does not count (``not-counted``)."""

from __future__ import annotations

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, start, wait_version
from tests.e2e.test_server import change, pos_of
from tests.reportgen import words


async def question_status(client, uri: str, position: t.Position):
    return await client.protocol.send_request_async(
        "reportls/questionStatus",
        {"textDocument": {"uri": uri}, "position": {"line": position.line, "character": position.character}},
    )


async def test_question_status_follows_the_cursor_and_the_typing(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)
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
