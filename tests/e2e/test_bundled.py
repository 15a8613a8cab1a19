"""The server bundled in the VS Code extension, started the way the extension starts it.

A bare Python (``python -m venv --without-pip``: nothing installed, not even pip) runs
``python -I python/launch.py serve`` from the unzipped .vsix (``editors/vscode/reportls-0.1.0.vsix``,
which CI builds before pytest), else from a bundle built by ``editors/vscode/scripts/bundle.py``;
a minimal LSP client drives it over stdio on the example report. Skips only when no bundle can be
built at all (in CI, ``CI`` set, that fails instead). More interpreters: ``REPORTLS_TEST_PYTHONS``
(paths separated by ``os.pathsep``); those >= 3.11 run the bundle, older ones must get the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig

from tests.e2e.conftest import open_doc, start

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "editors" / "vscode"
VSIX = EXT / "reportls-0.1.0.vsix"
BUNDLE_SCRIPT = EXT / "scripts" / "bundle.py"
EXAMPLE = ROOT / "examples" / "reports"
# report.py's verdicts and the findings that explain them (the hand-in page checks are not compared)
VERDICT_CODES = {"word-count", "image-count", "placeholder", "answer-count", "answer-truncated", "answer-marker",
                 "missing-figure", "figure-case", "figure-extension", "figure-location"}


def _bundle_module():
    spec = importlib.util.spec_from_file_location("reportls_vscode_bundle", BUNDLE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _differs_from_tree(bundled_reportls: Path) -> list[str]:
    """The reportls files whose bundled copy is missing or not the tree's."""
    package = ROOT / "server" / "reportls"
    stale = []
    for path in _bundle_module().reportls_files():
        rel = path.relative_to(package)
        copy = bundled_reportls / rel
        if not copy.is_file() or copy.read_bytes() != path.read_bytes():
            stale.append(rel.as_posix())
    return stale


def _cannot(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the bundled server: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def extension_dir(tmp_path_factory) -> Path:
    """An extension folder with python/launch.py and bundled/libs: the .vsix's if it is current."""
    out = tmp_path_factory.mktemp("extension")
    if VSIX.is_file():
        with zipfile.ZipFile(VSIX) as zf:
            zf.extractall(out / "vsix")
        ext = out / "vsix" / "extension"
        if not _differs_from_tree(ext / "bundled" / "libs" / "reportls"):
            return ext
    ext = out / "built"  # no .vsix, or one older than server/reportls: bundle the tree as it is
    (ext / "python").mkdir(parents=True)
    shutil.copyfile(EXT / "python" / "launch.py", ext / "python" / "launch.py")
    try:
        r = subprocess.run([sys.executable, str(BUNDLE_SCRIPT), "--libs", str(ext / "bundled" / "libs")],
                           capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as e:
        _cannot(f"no .vsix and the bundle cannot be built: {e}")
    if r.returncode != 0:
        _cannot(f"no .vsix and the bundle cannot be built (scripts/bundle.py exit {r.returncode}): "
                f"{(r.stderr or r.stdout).strip()[-600:]}")
    return ext


def _version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
                             capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def _pythons() -> list[str]:
    extra = [p for p in os.environ.get("REPORTLS_TEST_PYTHONS", "").split(os.pathsep) if p]
    return [sys.executable, *extra]


def _label(python: str) -> str:
    major, minor = _version(python)
    return f"python{major}.{minor}"


MODERN = [p for p in _pythons() if (_version(p) or (0, 0)) >= (3, 11)]
OLD = [p for p in _pythons() if (v := _version(p)) is not None and v < (3, 11)]


def _bare_python(base: str, where: Path) -> Path:
    """A venv with nothing in it, made from ``base``'s own interpreter."""
    subprocess.run([base, "-m", "venv", "--without-pip", str(where)], check=True, timeout=300)
    exe = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert exe.is_file()
    return exe


def _clean_env(home: Path) -> dict[str, str]:
    return {"PATH": os.defpath, "HOME": str(home), "LANG": "C.UTF-8"}


def _plain(value):
    """A JSON answer as pygls hands it over (attribute objects for unknown requests) as plain data."""
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return [_plain(v) for v in value]
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    return value


def _cli_verdicts(report: Path) -> list[tuple[str, str, int]]:
    out = subprocess.run([sys.executable, "-m", "reportls", "check", "--format", "json", str(report)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    diags = json.loads(out.stdout)["files"][0]["diagnostics"]
    return sorted((d["code"], d["message"], d["line"]) for d in diags if d["code"] in VERDICT_CODES)


@pytest.mark.parametrize("base_python", MODERN, ids=lambda p: _label(p))
async def test_bundled_server_on_a_bare_python(base_python, extension_dir, tmp_path):
    python = _bare_python(base_python, tmp_path / "venv")
    env = _clean_env(tmp_path)
    for module in ("pygls", "lsprotocol", "yaml", "markdown", "reportls"):  # the venv really is bare
        probe = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True, env=env, timeout=60)
        assert probe.returncode != 0, f"{module} is importable in the bare venv"
    yaml_check = subprocess.run(
        [str(python), "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import yaml; print(yaml.__with_libyaml__)",
         str(extension_dir / "bundled" / "libs")], capture_output=True, text=True, env=env, timeout=60)
    assert yaml_check.stdout.strip() == "False"  # PyYAML's pure-Python loader, no C extension

    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE, workspace / "reports")
    report = workspace / "reports" / "README.md"
    config = ClientServerConfig(server_command=[str(python), "-I", str(extension_dir / "python" / "launch.py"), "serve"],
                                server_env=env)
    client = await config.start()
    try:
        result = await start(client, workspace)
        assert result.server_info.name == "reportls"
        uri = await open_doc(client, report)

        async def word_counts():
            while True:
                diags = client.diagnostics.get(uri, [])
                if any(d.code == "word-count" for d in diags):
                    return diags
                await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        diags = await asyncio.wait_for(word_counts(), 60)
        assert sorted(d.message for d in diags if d.code == "word-count") == [
            "Question 16: 90 words, needs 100-200 (report.py check will fail)",
            "Question 30: 6 words, needs 200-400 (report.py check will fail)",
            "Question 7: 43 words, needs 50-100 (report.py check will fail)",
        ]
        assert all(d.source == "reportls" for d in diags)
        # the figures folder is read too, and the verdicts are the installed CLI's, line for line
        assert any(d.code == "figure-case" for d in diags)
        served = sorted((str(d.code), d.message, d.range.start.line) for d in diags if d.code in VERDICT_CODES)
        assert served == _cli_verdicts(report)
        # what the extension asks for: the status bar's numbers and the hand-in page (bundled Python-Markdown)
        heading = report.read_text().splitlines().index("### Question 7")
        status = await client.protocol.send_request_async(
            "reportls/questionStatus", {"textDocument": {"uri": uri}, "position": {"line": heading, "character": 0}})
        assert _plain(status) == {"number": 7, "words": 43, "images": 0, "minWords": 50, "maxWords": 100, "minImages": None,
                                  "maxImages": None, "passed": False, "crash": None, "line": heading,
                                  "handin": None}  # not a git repository: no hand-in status
        page = _plain(await client.protocol.send_request_async("reportls/handinPreview", {"textDocument": {"uri": uri}}))
        assert "<h3>Question 7</h3>" in page["html"]
        assert '<img alt="Sweep" src="figures/wandb_sweep.png" />' in page["html"]
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # a failed assertion: don't wait on the server
                client._server.kill()
        await client.stop()


@pytest.mark.parametrize("old_python", OLD or [None], ids=lambda p: _label(p) if p else "none")
def test_launcher_on_an_old_python_says_what_to_install(old_python, extension_dir, tmp_path):
    if old_python is None:
        pytest.skip("no Python < 3.11 given in REPORTLS_TEST_PYTHONS")
    r = subprocess.run([old_python, str(extension_dir / "python" / "launch.py"), "serve"], capture_output=True, text=True,
                       env=_clean_env(tmp_path), timeout=60)
    assert r.returncode == 3
    assert "needs Python 3.11 or newer" in r.stderr
    assert "Traceback" not in r.stderr


def test_launcher_without_the_bundle_says_so(tmp_path):
    (tmp_path / "python").mkdir()
    shutil.copyfile(EXT / "python" / "launch.py", tmp_path / "python" / "launch.py")
    r = subprocess.run([sys.executable, "-I", str(tmp_path / "python" / "launch.py"), "serve"], capture_output=True,
                       text=True, env=_clean_env(tmp_path), timeout=60)
    assert r.returncode == 4
    assert "the bundled server is missing" in r.stderr
