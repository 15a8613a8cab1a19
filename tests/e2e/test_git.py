"""What the scrape gets, through the real server in real git repositories (issue 16): a figure
that is not committed, ignored or not pushed, the hand-in status lens following `git add`,
`git commit` and `git push` (on save), and the ignore-file quick fix checked with `git
check-ignore`."""

from __future__ import annotations

import os
import subprocess

from lsprotocol import types as t

from tests.e2e.conftest import install_version_tracking, open_doc, passing_answers, start, until, wait_version
from tests.reportgen import make_report

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "init.defaultBranch=main", *args],
                          cwd=root, env=ENV, check=check, capture_output=True, text=True)


def _repository(tmp_path, ignore: str | None = None):
    """A pushed repository whose report links figures/wandb.png (committed) and figures/new.png (on
    disk, not committed); ``origin`` is a bare repository beside it."""
    root = tmp_path / "repo"
    reports = root / "reports"
    (reports / "figures").mkdir(parents=True)
    (reports / "figures" / "wandb.png").write_bytes(b"\x89PNG")
    answers = passing_answers()
    (reports / "README.md").write_text(make_report(answers))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "report")
    git(tmp_path, "clone", "-q", "--bare", str(root), "origin.git")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(root, "fetch", "-q", "origin")
    git(root, "branch", "-q", "--set-upstream-to=origin/main")
    if ignore is not None:
        (root / ".gitignore").write_text(ignore)
        git(root, "add", ".gitignore")
        git(root, "commit", "-qm", "ignore")
        git(root, "push", "-q", "origin", "main")
    text = (reports / "README.md").read_text().replace("![w](figures/wandb.png)",
                                                          "![w](figures/wandb.png) ![n](figures/new.png)", 1)
    (reports / "README.md").write_text(text)
    (reports / "figures" / "new.png").write_bytes(b"\x89PNG")
    return root, reports / "README.md"




async def _lenses(client, uri) -> list[str]:
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(t.TextDocumentIdentifier(uri)))
    return [lens.command.title for lens in lenses if lens.command]


async def _opened(client, root, path, code: str):
    """Open the report and wait until git has been read and a ``code`` diagnostic is there."""
    install_version_tracking(client)
    await start(client, root)
    uri = await open_doc(client, path)
    await wait_version(client, uri, 1)

    async def found():
        return [d for d in client.diagnostics.get(uri, []) if d.code == code]

    found.__name__ = code
    return uri, await until(found), found


def _save(client, uri):
    client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri)))


async def test_untracked_figure_and_the_status_lens_follow_add_commit_and_push(client, tmp_path):
    root, path = _repository(tmp_path)
    uri, (d,), untracked = await _opened(client, root, path, "figure-untracked")
    assert d.severity == t.DiagnosticSeverity.Warning
    assert "`figures/new.png` is not committed" in d.message and "git add reports/figures/new.png" in d.message

    async def status(expected):
        async def check():
            return expected in await _lenses(client, uri)
        check.__name__ = f"lens {expected!r}"
        return check

    await until(await status("Hand-in (origin/main as of last fetch): uncommitted changes not on origin/main"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "figure")
    _save(client, uri)
    await until(await status("Hand-in (origin/main as of last fetch): 1 local commit not on origin/main"))

    async def unpushed():
        return [d for d in client.diagnostics.get(uri, []) if d.code == "figure-unpushed"]

    (d,) = await until(unpushed)
    assert "as of your last fetch" in d.message
    assert not await untracked()
    git(root, "push", "-q", "origin", "main")
    _save(client, uri)
    await until(await status("Hand-in (origin/main as of last fetch): up to date"))
    status_reply = await client.protocol.send_request_async("reportls/questionStatus", {
        "textDocument": {"uri": uri}, "position": {"line": d.range.start.line, "character": 0}})
    assert status_reply.handin == "Hand-in (origin/main as of last fetch): up to date"


async def test_ignored_figure_and_the_quick_fix_that_un_ignores_the_figures_folder(client, tmp_path):
    root, path = _repository(tmp_path, ignore="*.png\n")
    uri, (d,), _ = await _opened(client, root, path, "figure-ignored")
    assert d.severity == t.DiagnosticSeverity.Error and "`.gitignore:1 *.png`" in d.message
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext(diagnostics=[d])))
    (fix,) = [a for a in actions if a.title.startswith("Stop ignoring")]
    gitignore = root / ".gitignore"
    edits = fix.edit.changes[gitignore.as_uri()]
    lines = gitignore.read_text().splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        line = e.range.start.line
        if line >= len(lines):
            lines.append(e.new_text)
        else:
            lines[line] = lines[line][: e.range.start.character] + e.new_text + lines[line][e.range.start.character :]
    gitignore.write_text("".join(lines))
    assert git(root, "check-ignore", "-q", "reports/figures/new.png", check=False).returncode == 1
    assert git(root, "check-ignore", "-q", "reports/figures/another.png", check=False).returncode == 1
    assert git(root, "check-ignore", "-q", "other.png", check=False).returncode == 0  # rules elsewhere kept
    assert path.read_text().count("figures/new.png") == 1  # the report itself was not touched
