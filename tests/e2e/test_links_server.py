"""Links, names and images as the grader meets them, through the real server in a real git
repository (issue 18): link-outside-reports with its GitHub URL fix, link-missing, link-private,
study-number, image-size and its hover; links inside code are not links."""

from __future__ import annotations

import asyncio
import os
import struct
import subprocess
import zlib

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, passing_answers, start, wait_version
from tests.reportgen import make_report, words


def png(width: int, height: int) -> bytes:
    """A small valid PNG header claiming ``width`` x ``height`` pixels (what size readers read)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def git(root, *args):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    *args], cwd=root, env=env, check=True, capture_output=True)


def _workspace(tmp_path):
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "figures" / "wandb.png").write_bytes(png(800, 600))
    (reports / "figures" / "huge.png").write_bytes(png(8979, 2000))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print(1)\n")
    answers = passing_answers()
    answers[2] = "s123456, 194245"
    answers[4] = (words(120) + " See [train](../src/train.py), [cfg](configs/x.yaml), "
                  "[bucket](https://console.cloud.google.com/storage/x) and `[code](../nothing.py)`.")
    answers[14] = words(250) + " ![big](figures/huge.png)"
    answers[31] = words(80) + " s123456 did the training, s654321 the API."
    text = make_report(answers).replace("Explain question 31 of the project in your own words.",
                                        "State the individual contributions of each team member.")
    (reports / "README.md").write_text(text)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "report")
    git(tmp_path, "remote", "add", "origin", "https://github.com/acme/proj.git")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    return reports / "README.md"


async def test_links_names_and_images(client, tmp_path):
    path = _workspace(tmp_path)
    install_version_tracking(client)
    await start(client, tmp_path)
    uri = await open_doc(client, path)
    diags = await wait_version(client, uri, 1)
    by_code: dict[str, list[t.Diagnostic]] = {}
    for d in diags:
        by_code.setdefault(d.code, []).append(d)
    text = path.read_text()
    lines = text.splitlines()

    def covered(d: t.Diagnostic) -> str:
        return lines[d.range.start.line][d.range.start.character : d.range.end.character]

    assert [covered(d) for d in by_code["link-missing"]] == ["configs/x.yaml"]
    assert [d.severity for d in by_code["link-private"]] == [t.DiagnosticSeverity.Hint]
    assert "grader cannot" in by_code["link-private"][0].message
    assert len(by_code["study-number"]) == 2  # 194245 without its s; s654321 not in Question 2
    assert {d.range.start.line for d in by_code["study-number"]} == {
        next(i for i, ln in enumerate(lines) if "194245" in ln), next(i for i, ln in enumerate(lines) if "s654321" in ln)}
    (size,) = by_code["image-size"]
    assert "8979 px" in size.message and size.severity == t.DiagnosticSeverity.Information
    assert "../nothing.py" not in "".join(covered(d) for d in diags)  # inside code: not a link

    # the outside link's fix is the GitHub URL, once git has been read (in the background)
    (outside,) = by_code["link-outside-reports"]
    new_texts: list[str] = []
    for _ in range(50):
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), outside.range, t.CodeActionContext(diagnostics=[outside])))
        new_texts = [e.new_text for a in actions if a.edit and a.edit.changes for e in a.edit.changes.get(uri, [])]
        if new_texts:
            break
        await asyncio.sleep(0.1)
    assert "https://github.com/acme/proj/blob/main/src/train.py" in new_texts

    # hover on the big image: pixel size and file size
    line = next(i for i, ln in enumerate(lines) if "figures/huge.png" in ln)
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), t.Position(line, lines[line].index("huge.png"))))
    assert "8979 × 2000 px" in hover.contents.value


async def test_an_image_linked_while_typing_is_measured_in_the_background(client, tmp_path):
    """Image headers are read in a worker thread, never on the keystroke: the keystroke that links a
    wide image not read yet is published without its size, then the report is checked again once
    the header is read; saving after the file changed on disk reads it again."""
    reports = tmp_path / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "figures" / "wide.png").write_bytes(png(4000, 300))
    answers = passing_answers()
    text = make_report(answers)
    path = reports / "README.md"
    path.write_text(text)
    install_version_tracking(client)
    await start(client, tmp_path, {"reportls": {"debounceMs": 0}})
    uri = await open_doc(client, path, text)
    assert not [d for d in await wait_version(client, uri, 1) if d.code == "image-size"]
    end = text.index("### Question 14")
    line = text.count("\n", 0, end) - 1  # the blank line before the heading
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [t.TextDocumentContentChangePartial(range=t.Range(t.Position(line, 0), t.Position(line, 0)),
                                            text=" ![w](figures/wide.png)")]))
    for _ in range(100):
        sizes = [d for d in client.diagnostics.get(uri, []) if d.code == "image-size"]
        if sizes:
            break
        await asyncio.sleep(0.05)
    assert "4000 px" in sizes[0].message
    (reports / "figures" / "wide.png").write_bytes(png(1000, 300))  # now narrow enough
    os.utime(reports / "figures" / "wide.png", ns=(1, 1))
    client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri)))
    for _ in range(100):
        sizes = [d for d in client.diagnostics.get(uri, []) if d.code == "image-size"]
        if not sizes:
            break
        await asyncio.sleep(0.05)
    assert sizes == []
