"""The hand-in through the real server: handin-* diagnostics, their fixes (applied, re-rendered
with both renderers, compared), the fix-all action, hover, and ``reportls/handinPreview`` equal to
``reportls html``."""

from __future__ import annotations

import subprocess
import sys

from lsprotocol import types as t

from reportls.text.document import LineIndex
from reportls.handin.render import compare, render_handin
from tests.e2e.conftest import install_version_tracking, open_doc, start, wait_version
from tests.reportgen import words

FENCED = "We build the image with:\n\n```bash\ndocker build -t app .\ndocker run app\n```\n\n" + words(80)
LIST = "We used:\n- Cloud build\n- Buckets\n- Vertex AI\n\n" + words(90)


def apply_edits(text: str, edits: list[t.TextEdit]) -> str:
    index = LineIndex(text)
    spans = [(index.offset(e.range.start.line, e.range.start.character, "utf-16"),
              index.offset(e.range.end.line, e.range.end.character, "utf-16"), e.new_text) for e in edits]
    for s, e, new in sorted(spans, reverse=True):
        text = text[:s] + new + text[e:]
    return text


def answer_of(text: str, number: int) -> str:
    start = text.index("Answer:", text.index(f"### Question {number}\n")) + len("Answer:")
    end = text.find("\n### ", start)
    return text[start:end].strip("\n")


async def open_with(client, workspace, answers: dict[int, str]):
    install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    for n, body in answers.items():
        old = answer_of(text, n)
        at = text.index(old, text.index(f"### Question {n}\n"))
        text = text[:at] + body + text[at + len(old) :]
    path.write_text(text)
    uri = await open_doc(client, path, text)
    return uri, text, await wait_version(client, uri, 1)


async def test_handin_diagnostics_and_fixes_that_render_the_same(client, workspace):
    uri, text, diags = await open_with(client, workspace, {4: FENCED, 5: LIST})
    handin = {d.code: d for d in diags if d.code.startswith("handin-")}
    assert set(handin) == {"handin-code", "handin-list"}
    code, lst = handin["handin-code"], handin["handin-list"]
    assert code.severity == t.DiagnosticSeverity.Warning and "Question 4" in code.message
    lines = text.splitlines()
    assert lines[code.range.start.line] == "```bash" and lines[code.range.end.line - (code.range.end.character == 0)] \
        in ("```", "docker run app")
    assert lines[lst.range.start.line] in ("We used:", "- Cloud build")

    for d in (code, lst):
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d])))
        fixes = [a for a in actions if a.kind == t.CodeActionKind.QuickFix and a.diagnostics]
        assert fixes, d.code
        fixed = apply_edits(text, fixes[0].edit.changes[uri])
        n = 4 if d is code else 5
        body = answer_of(fixed, n)
        assert not _same(answer_of(text, n)) and _same(body), (d.code, body)
    # the fence fix changes report.py's count, and says so
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), code.range, t.CodeActionContext(diagnostics=[code])))
    assert any("words:" in a.title for a in actions if a.diagnostics)

    # one source.fixAll.reportls edit fixes both
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), t.Position(0, 0)),
        t.CodeActionContext(diagnostics=[], only=[t.CodeActionKind.SourceFixAll])))
    [fix_all] = actions
    assert fix_all.kind == "source.fixAll.reportls"
    fixed = apply_edits(text, fix_all.edit.changes[uri])
    assert _same(answer_of(fixed, 4)) and _same(answer_of(fixed, 5))

    # hover on the construct: GitHub's rendering beside the hand-in's
    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), code.range.start))
    assert "**On GitHub**" in hover.contents.value and "**In the hand-in**" in hover.contents.value


def _same(markdown_text: str) -> bool:
    """GitHub's rendering (markdown-it-py) and the hand-in's (Python-Markdown) agree, normalised."""
    return compare(markdown_text) == 0


async def test_no_handin_diagnostics_on_answers_that_render_the_same(client, workspace):
    _, _, diags = await open_with(client, workspace, {4: words(120) + "\n\n- a\n- b\n\n" + words(5)})
    assert not [d for d in diags if d.code.startswith("handin-")]


async def test_handin_preview_equals_reportls_html(client, workspace):
    uri, text, _ = await open_with(client, workspace, {4: FENCED})
    result = await client.protocol.send_request_async("reportls/handinPreview", {"textDocument": {"uri": uri}})
    page = subprocess.run([sys.executable, "-m", "reportls", "html", str(workspace / "reports" / "README.md"),
                           "-o", "-"], capture_output=True, check=True).stdout.decode()
    assert result.html == page
    # the fenced block as the grader sees it: inline code run into a paragraph
    assert "<code>bash\ndocker build -t app .\ndocker run app</code>" in page
    assert render_handin(FENCED) in page


async def test_answer_in_quote_setext_and_empty_quote_line_through_the_server(client, workspace):
    install_version_tracking(client)
    await start(client, workspace)
    path = workspace / "reports" / "README.md"
    text = path.read_text()
    bodies = {4: words(110), 5: "Our results\nin short\n---\n\n" + words(100), 6: ">\n" + words(110)}
    for n, body in bodies.items():
        old = answer_of(text, n)
        head = text.index(f"### Question {n}\n")
        marker = text.index("> Answer:", head)
        end = text.index(old, head) + len(old)
        glue = "\n" if n != 5 else "\n\n"  # 4: glued to "> Answer:"; 6: after an empty ">" line
        text = text[:marker] + "> Answer:" + glue + body + text[end:]
    path.write_text(text)
    uri = await open_doc(client, path, text)
    diags = await wait_version(client, uri, 1)
    got = {(d.code, int(d.message.split()[1].rstrip(":"))) for d in diags
           if d.code.startswith("handin-") or d.code == "answer-in-quote"}
    assert got == {("answer-in-quote", 4), ("handin-escape", 5), ("handin-quote", 6)}
    by_q = {n: d for d in diags for code, n in got if d.code == code and f"Question {n}:" in d.message}
    assert by_q[4].severity == t.DiagnosticSeverity.Warning and "on GitHub and in the hand-in" in by_q[4].message
    for n, d in by_q.items():
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d])))
        fixes = [a for a in actions if a.kind == t.CodeActionKind.QuickFix and a.diagnostics]
        assert fixes, d.code
        fixed = apply_edits(text, fixes[0].edit.changes[uri])
        assert _same(_prompt_and_answer(fixed, n)) and not _same(_prompt_and_answer(text, n)) or n == 4, n
        assert _prompt_and_answer(fixed, n) != _prompt_and_answer(text, n)
    # the fix-all takes all three (answer-in-quote included)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), t.Range(t.Position(0, 0), t.Position(0, 0)),
        t.CodeActionContext(diagnostics=[], only=[t.CodeActionKind.SourceFixAll])))
    [fix_all] = actions
    fixed = apply_edits(text, fix_all.edit.changes[uri])
    assert _prompt_and_answer(fixed, 4).startswith("> Answer:\n\n")
    for n in bodies:
        assert _same(_prompt_and_answer(fixed, n)) and _prompt_and_answer(fixed, n) != _prompt_and_answer(text, n), n


def _prompt_and_answer(text: str, number: int) -> str:
    """Question ``number``'s ``> Answer:`` line and answer, as rendered in the page."""
    head = text.index(f"### Question {number}\n")
    part = text[text.index("> Answer:", head) :]
    return part[: part.find("\n### ")]
