"""In process: the server's own per-keystroke work, without the pipe.

The real ``reportls.lsp.server.server`` (the pygls server ``reportls serve`` runs, every handler
registered) is fed each JSON-RPC message as its stdio loop feeds it (``json.loads`` with the
protocol's ``structure_message``, then ``handle_message``) and writes into memory instead of stdout.
One keystroke is timed from the didChange message's bytes to the end of the handler, which, with
``debounceMs: 0``, has applied the edit, analysed the new version (the document's incremental
``Parser``, report.py's reading, the checks and the hand-in checks: ``Workspace.analysis_of``),
converted the findings to LSP diagnostics and serialised the publishDiagnostics notification.

``stages_p95_ms`` splits that time: ``analysis`` (inside ``Workspace.analysis_of``), ``to_lsp``
(the rest of ``ReportServer.diagnostics``: findings -> ``Diagnostic``) and ``edit_and_protocol``
(the rest: decoding the message, applying the edit, serialising the notification).  The split wraps those two
methods on the instance; if the server no longer has them, the split is left out.

Each line ending is measured in a fresh interpreter (``python -m bench.in_process SPEC``), like a
fresh server: the hand-in checks cache rendered answers, and a CRLF twin typed after its LF report
would otherwise find the LF answers' renderings already cached.  The two interpreters take the
keystrokes in turns (``Lockstep``), so the CRLF/LF ratio compares keystrokes made under the same
load, never at the same time.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.lsp_client import client_capabilities
from bench.seeds import ENDINGS, SeedPlan, digest, lay_out, twin
from bench.stats import summary

INITIALIZATION_OPTIONS = {"reportls": {"debounceMs": 0}}


class _Memory:
    """pygls's writer interface, keeping what the server writes."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.chunks.append(data)

    def close(self) -> None:
        pass

    def messages(self) -> list[dict]:
        """Everything written since the last call, as JSON-RPC messages."""
        out = [json.loads(chunk.split(b"\r\n\r\n", 1)[-1]) for chunk in self.chunks]
        self.chunks.clear()
        return out


class _StageClock:
    """Time spent inside ``Workspace.analysis_of`` and ``ReportServer.diagnostics`` (wrapped on
    the instances, so the server's code is unchanged)."""

    def __init__(self, server) -> None:
        self.spent = {"analysis": 0.0, "diagnostics": 0.0}
        self.enabled = hasattr(server.ws, "analysis_of") and hasattr(server, "diagnostics")
        if self.enabled:
            server.ws.analysis_of = self._timed("analysis", server.ws.analysis_of)
            server.diagnostics = self._timed("diagnostics", server.diagnostics)

    def _timed(self, stage: str, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[stage] += time.perf_counter() - t0

        return wrapper

    def reset(self) -> None:
        self.spent = dict.fromkeys(self.spent, 0.0)

    def split(self, total_s: float) -> dict[str, float]:
        """The keystroke's ``total_s`` split into stages, in ms."""
        analysis, diagnostics = self.spent["analysis"], self.spent["diagnostics"]
        return {"analysis": analysis * 1000, "to_lsp": max(0.0, diagnostics - analysis) * 1000,
                "edit_and_protocol": max(0.0, total_s - diagnostics) * 1000}


class InProcessServer:
    """The module's ``server``, initialised as the benchmark's stdio client initialises it
    (``initialize`` only: ``initialized`` registers the file watcher and asks for the configuration,
    which an editor with no settings answers with ``{}``; it needs the event loop and changes
    nothing measured here)."""

    def __init__(self, root: Path) -> None:
        from reportls.lsp.server import server

        self.server = server
        self.protocol = server.protocol
        self.out = _Memory()
        self.protocol.set_writer(self.out)
        self._next_id = 0
        self.request("initialize", {
            "processId": os.getppid(), "clientInfo": {"name": "reportls-bench"}, "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": client_capabilities(), "initializationOptions": INITIALIZATION_OPTIONS,
        })
        self.clock = _StageClock(server)

    def feed(self, body: bytes) -> None:
        """One message, handled as the stdio loop handles it."""
        self.protocol.handle_message(json.loads(body, object_hook=self.protocol.structure_message))

    def notify(self, method: str, params: dict) -> None:
        self.feed(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode())

    def request(self, method: str, params: dict) -> object:
        self._next_id += 1
        self.feed(json.dumps({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}).encode())
        for message in self.out.messages():
            if message.get("id") == self._next_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")
        raise RuntimeError(f"no answer to {method}")

    def last_diagnostics(self, uri: str) -> dict:
        """The params of the latest publishDiagnostics for ``uri`` written since the last read."""
        found = None
        for message in self.out.messages():
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                found = message["params"]
        if found is None:
            raise RuntimeError(f"no diagnostics published for {uri}")
        return found

    def text_of(self, uri: str) -> str | None:
        result = self.request("workspace/executeCommand", {"command": "reportls.documentText", "arguments": [uri]})
        return result.get("text") if isinstance(result, dict) else None


class Lockstep:
    """Keystrokes taken in turns with another process: each step waits for a ``go`` line on stdin
    and answers ``ok`` on stdout, so that the LF and the CRLF interpreters never run at the same
    time and a load on the machine falls on both alike.  ``Lockstep(None)`` runs freely."""

    def __init__(self, stream=None) -> None:
        self.stream = stream

    def wait(self) -> None:
        if self.stream is not None and self.stream.readline().strip() != "go":
            raise SystemExit("bench.in_process: the parent stopped")

    def done(self) -> None:
        if self.stream is not None:
            print("ok", flush=True)


def _did_change(uri: str, version: int, edit: dict) -> bytes:
    pos = {"line": edit["line"], "character": edit["character"]}
    return json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos, "end": pos}, "text": edit["char"]}]}}).encode()


def _finish(srv: InProcessServer, uri: str, version: int, times: list[float], stages: list[dict],
            expected_sha: str) -> dict:
    """The summary of one report's keystrokes, what the last publish held, whether the server's
    copy is the expected text; then the report is closed."""
    last = srv.last_diagnostics(uri)
    codes = [str(d.get("code")) for d in last["diagnostics"]]
    out = {**summary(times), "diagnostics": len(codes), "handin_diagnostics": sum(c.startswith("handin-") for c in codes),
           "in_sync": last.get("version") == version and digest(srv.text_of(uri) or "") == expected_sha}
    if srv.clock.enabled and stages:
        out["stages_p95_ms"] = {k: summary([s[k] for s in stages])["p95_ms"] for k in stages[0]}
    srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    srv.out.messages()
    return out


def type_keystrokes(srv: InProcessServer, path: Path, edits: list[dict], expected_sha: str, turn: Lockstep) -> dict:
    """Open the report at ``path``, type ``edits`` (one didChange each, timed), check the server's
    copy.  Each keystroke is one step of ``turn`` (the open is in the first, the check in the last)."""
    uri = path.as_uri()
    times, stages = [], []
    for version, edit in enumerate(edits, 2):
        turn.wait()
        if version == 2:
            srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                 "text": path.read_bytes().decode("utf-8")}})
            srv.last_diagnostics(uri)
        body = _did_change(uri, version, edit)
        srv.clock.reset()
        t0 = time.perf_counter()
        srv.feed(body)
        elapsed = time.perf_counter() - t0
        times.append(elapsed * 1000)
        stages.append(srv.clock.split(elapsed))
        del srv.out.chunks[:-5]  # the latest messages are enough (the last keystroke's publish)
        if version == len(edits) + 1:
            result = _finish(srv, uri, version, times, stages, expected_sha)
        turn.done()
    return result


def child_main(argv: list[str]) -> int:
    """``python -m bench.in_process SPEC [--lockstep]``: type the cases of a spec file, print their
    JSON (the last line of stdout)."""
    handlers = [logging.StreamHandler(sys.stderr)]  # as ``reportls serve`` configures logging
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)
    spec = json.loads(Path(argv[0]).read_text())
    turn = Lockstep(sys.stdin if "--lockstep" in argv else None)
    srv = InProcessServer(Path(spec["root"]))
    result = {case["name"]: type_keystrokes(srv, Path(case["path"]), case["edits"], case["expected_sha256"], turn)
              for case in spec["cases"] if case["edits"]}
    print(json.dumps(result), flush=True)
    return 0


def _spawn(root: Path, plans: list[SeedPlan], ending: str, env: dict, stderr) -> subprocess.Popen:
    """A fresh interpreter typing every seed's ``answers`` keystrokes on its ``ending`` twin."""
    folder = root / f"in-process-{ending}"
    cases = []
    for p in plans:
        path = lay_out(folder / p.report.name, p.report.text, ending)
        cases.append({"name": p.report.name, "path": str(path), "expected_sha256": digest(twin(p.after_answers, ending)),
                      "edits": [{"line": e.line, "character": e.character, "char": e.char} for e in p.answers]})
    spec = folder / "spec.json"
    spec.write_text(json.dumps({"root": str(folder), "cases": cases}))
    return subprocess.Popen([sys.executable, "-m", "bench.in_process", str(spec), "--lockstep"],
                            cwd=Path(__file__).resolve().parents[1], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=stderr, text=True)


def _failure(proc: subprocess.Popen, stderr) -> RuntimeError:
    proc.kill()
    proc.wait()
    stderr.seek(0)
    return RuntimeError(f"the in-process run failed: {stderr.read().decode('utf-8', 'replace')[-1500:]}")


def keystrokes(root: Path, plans: list[SeedPlan], env: dict) -> dict[str, dict]:
    """``{ending: {seed name: timing summary}}``: every seed's ``answers`` keystrokes on its LF and
    its CRLF twin, one fresh interpreter per line ending, the two taking keystrokes in turns (LF
    first on even keystrokes, CRLF first on odd ones)."""
    steps = sum(len(p.answers) for p in plans)
    errs = {e: tempfile.TemporaryFile() for e in ENDINGS}  # noqa: SIM115 - closed below
    procs = {e: _spawn(root, plans, e, env, errs[e]) for e in ENDINGS}
    try:
        for k in range(steps):
            for ending in ENDINGS if k % 2 == 0 else ENDINGS[::-1]:
                proc = procs[ending]
                proc.stdin.write("go\n")
                proc.stdin.flush()
                if proc.stdout.readline().strip() != "ok":
                    raise _failure(proc, errs[ending])
        out = {}
        for ending, proc in procs.items():
            lines = proc.stdout.read().strip().splitlines()
            if proc.wait() != 0 or not lines:
                raise _failure(proc, errs[ending])
            out[ending] = json.loads(lines[-1])
        return out
    finally:
        for ending, proc in procs.items():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            errs[ending].close()


if __name__ == "__main__":
    raise SystemExit(child_main(sys.argv[1:]))
