"""In process: the server's own per-keystroke work, without the pipe.

A real server from ``reportls.lsp.server.create_server`` (the pygls server ``reportls serve`` runs, every handler
registered) runs inside an asyncio event loop, as under its stdio loop, and is fed each JSON-RPC
message as that loop feeds it (``json.loads`` with the protocol's ``structure_message``, then
``handle_message``); it writes into memory instead of stdout.  It is set up as the stdio client sets
it up: ``initialize`` (``debounceMs: 0``), then ``initialized``, its requests answered as an editor
with no settings answers them (``{}`` per configuration item, null otherwise).

One keystroke is timed from the didChange message's bytes to the end of the handler, which, with
``debounceMs: 0``, has applied the edit, analysed the new version without rendering the answer
typed in for the hand-in checks (``Session.analysis_of(state, complete=False)``: the document's
incremental ``Parser``, report.py's reading, the checks, the hand-in checks of the other answers,
that answer's previous ``handin-*`` findings moved through the edit), converted the findings to LSP
diagnostics, serialised the publishDiagnostics notification and set the timer
(``loop.call_later(HANDIN_DELAY_S, ...)``) that completes the hand-in checks after a pause in typing.

Then, still in the keystroke's turn but timed on its own (``handin_completion``), that timer's
callback is run as the loop runs it after the pause: the loop's clock is moved to the timer's time
(``SteppedLoop``: the pause is skipped, not slept) and the loop runs it.  Its time is that
callback's (``ReportServer.publish``: the answer rendered, the findings converted, the
notification serialised when the diagnostics changed); ``published`` counts the completions that
changed the diagnostics and so published the same version again.

``stages_p95_ms`` splits a keystroke's time: ``analysis`` (inside ``Session.analysis_of``),
``to_lsp`` (the rest of ``ReportServer.diagnostics``: findings -> ``Diagnostic``) and
``edit_and_protocol`` (the rest: decoding the message, applying the edit, serialising the
notification, setting the timer); the completion's: ``analysis``, ``to_lsp`` and ``protocol`` (the
rest of ``ReportServer.publish``).  The split wraps those methods on the instance; if the server no
longer has them, the split is left out.

Each line ending is measured in a fresh interpreter (``python -m bench.in_process SPEC``), like a
fresh server: the hand-in checks cache rendered answers, and a CRLF twin typed after its LF report
would otherwise find the LF answers' renderings already cached.  The two interpreters take the
keystrokes in turns (``Lockstep``), so the CRLF/LF ratio compares keystrokes made under the same
load, never at the same time.
"""

from __future__ import annotations

import asyncio
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
PUBLISH = b"textDocument/publishDiagnostics"


class SteppedLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock can be moved forward: a timer the server set (the completion of
    the hand-in checks, ``HANDIN_DELAY_S`` after a keystroke) runs at once, its pause skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped = 0.0

    def time(self) -> float:
        return super().time() + self.skipped

    def skip_to(self, when: float) -> None:
        self.skipped += max(0.0, when - self.time())


class _Memory:
    """pygls's writer interface, keeping what the server writes."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.publishes = 0  # publishDiagnostics notifications written so far

    def write(self, data: bytes) -> None:
        self.chunks.append(data)
        self.publishes += PUBLISH in data

    def close(self) -> None:
        pass

    def messages(self) -> list[dict]:
        """Everything written since the last call, as JSON-RPC messages."""
        out = [json.loads(chunk.split(b"\r\n\r\n", 1)[-1]) for chunk in self.chunks]
        self.chunks.clear()
        return out


class _StageClock:
    """Time spent inside ``Session.analysis_of``, ``ReportServer.diagnostics`` and
    ``ReportServer.publish`` (wrapped on the instances, so the server's code is unchanged; the
    timer the server sets calls ``self.publish``, the wrapper)."""

    def __init__(self, server) -> None:
        self.spent = {"analysis": 0.0, "diagnostics": 0.0, "publish": 0.0}
        self.enabled = all(hasattr(o, name) for o, name in ((server.ws, "analysis_of"), (server, "diagnostics"),
                                                            (server, "publish")))
        if self.enabled:
            server.ws.analysis_of = self._timed("analysis", server.ws.analysis_of)
            server.diagnostics = self._timed("diagnostics", server.diagnostics)
            server.publish = self._timed("publish", server.publish)

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
        """A keystroke's ``total_s`` split into stages, in ms."""
        analysis, diagnostics = self.spent["analysis"], self.spent["diagnostics"]
        return {"analysis": analysis * 1000, "to_lsp": max(0.0, diagnostics - analysis) * 1000,
                "edit_and_protocol": max(0.0, total_s - diagnostics) * 1000}

    def completion_split(self) -> dict[str, float]:
        """The completion (the time inside ``publish``) split into stages, in ms."""
        analysis, diagnostics, publish = self.spent["analysis"], self.spent["diagnostics"], self.spent["publish"]
        return {"analysis": analysis * 1000, "to_lsp": max(0.0, diagnostics - analysis) * 1000,
                "protocol": max(0.0, publish - diagnostics) * 1000}


class _ErrorCount(logging.Handler):
    """Counts the errors the server logs (a handler that failed, a publish that raised)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class InProcessServer:
    """The module's ``server`` inside the running event loop, set up as the benchmark's stdio
    client sets it up (``start``)."""

    def __init__(self) -> None:
        from reportls.lsp.server import create_server

        self.server = create_server()
        self.protocol = self.server.protocol
        self.out = _Memory()
        self.protocol.set_writer(self.out)
        self._next_id = 0
        self.errors = _ErrorCount()
        logging.getLogger("reportls").addHandler(self.errors)
        self.clock: _StageClock | None = None

    async def start(self, root: Path) -> None:
        await self.request("initialize", {
            "processId": os.getppid(), "clientInfo": {"name": "reportls-bench"}, "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": client_capabilities(), "initializationOptions": INITIALIZATION_OPTIONS,
        })
        self.notify("initialized", {})
        await self._answer_requests()
        self.clock = _StageClock(self.server)

    async def _answer_requests(self, quiet_turns: int = 20) -> None:
        """Let the server's tasks run (``initialized`` registers its file watcher and asks for the
        configuration), answering its requests as the stdio client does, until it asks nothing
        more for ``quiet_turns`` turns of the loop."""
        quiet = 0
        while quiet < quiet_turns:
            await asyncio.sleep(0)
            asked = [m for m in self.out.messages() if "method" in m and "id" in m]
            quiet = 0 if asked else quiet + 1
            for request in asked:
                items = (request.get("params") or {}).get("items") or []
                result = [{} for _ in items] if request["method"] == "workspace/configuration" else None
                self.feed(json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode())

    def feed(self, body: bytes) -> None:
        """One message, handled as the stdio loop handles it."""
        self.protocol.handle_message(json.loads(body, object_hook=self.protocol.structure_message))

    def notify(self, method: str, params: dict) -> None:
        self.feed(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode())

    async def request(self, method: str, params: dict, turns: int = 100) -> object:
        """The result of a request (the loop runs until it is answered, at most ``turns`` turns)."""
        self._next_id += 1
        self.feed(json.dumps({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}).encode())
        for _ in range(turns):
            for message in self.out.messages():
                if message.get("id") == self._next_id and "method" not in message:
                    if "error" in message:
                        raise RuntimeError(f"{method} failed: {message['error']}")
                    return message.get("result")
            await asyncio.sleep(0)
        raise RuntimeError(f"no answer to {method}")

    def keystroke(self, body: bytes) -> tuple[float, dict]:
        """One didChange, handled: (ms from its bytes to the end of the handler, its stages)."""
        self.clock.reset()
        t0 = time.perf_counter()
        self.feed(body)
        elapsed = time.perf_counter() - t0
        return elapsed * 1000, self.clock.split(elapsed)

    async def complete(self, uri: str) -> tuple[float, bool, dict] | None:
        """Run the completion the last keystroke left for after a pause (its timer, the pause
        skipped): (ms inside the timer's callback, whether it published again, its stages); None
        when the keystroke left nothing for later."""
        state = self.server.ws.docs.get(uri)
        timer = state.handin_timer.handle
        if timer is None:
            return None
        self.clock.reset()
        publishes = self.out.publishes
        asyncio.get_running_loop().skip_to(timer.when())
        for _ in range(100):
            await asyncio.sleep(0)
            if state.handin_timer.handle is not timer:  # the callback has run (it clears the timer first)
                break
        else:
            raise RuntimeError("the timer of the deferred hand-in checks never ran")
        return self.clock.spent["publish"] * 1000, self.out.publishes > publishes, self.clock.completion_split()

    def last_diagnostics(self, uri: str) -> dict:
        """The params of the latest publishDiagnostics for ``uri`` written since the last read."""
        found = None
        for message in self.out.messages():
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                found = message["params"]
        if found is None:
            raise RuntimeError(f"no diagnostics published for {uri}")
        return found

    async def opened(self, uri: str, timeout_s: float = 30.0) -> dict:
        """The first diagnostics of a document just opened: published once the server has read the
        headers of the images it links (in a worker thread), so they are awaited."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                return self.last_diagnostics(uri)
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.002)

    async def text_of(self, uri: str) -> str | None:
        result = await self.request("workspace/executeCommand",
                                    {"command": "reportls.documentText", "arguments": [uri]})
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


def _p95(stages: list[dict]) -> dict:
    return {k: summary([s[k] for s in stages])["p95_ms"] for k in stages[0]} if stages else {}


class _Timings:
    """One report's keystrokes and completions."""

    def __init__(self) -> None:
        self.keystrokes: list[float] = []
        self.stages: list[dict] = []
        self.completions: list[float] = []
        self.completion_stages: list[dict] = []
        self.published = 0

    def completion(self) -> dict:
        return {**summary(self.completions), "published": self.published, **(
            {"stages_p95_ms": _p95(self.completion_stages)} if self.completion_stages else {})}


async def _finish(srv: InProcessServer, uri: str, version: int, timings: _Timings, expected_sha: str,
                  errors_before: int) -> dict:
    """The summary of one report's keystrokes and completions, what the last publish held, whether
    the server's copy is the expected text; then the report is closed."""
    last = srv.last_diagnostics(uri)
    codes = [str(d.get("code")) for d in last["diagnostics"]]
    text = await srv.text_of(uri)
    out = {**summary(timings.keystrokes), "diagnostics": len(codes),
           "handin_diagnostics": sum(c.startswith("handin-") for c in codes),
           "in_sync": last.get("version") == version and digest(text or "") == expected_sha}
    if srv.clock.enabled and timings.stages:
        out["stages_p95_ms"] = _p95(timings.stages)
    out["handin_completion"] = timings.completion()
    out["server_errors"] = srv.errors.count - errors_before
    srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    srv.out.messages()
    return out


async def type_keystrokes(srv: InProcessServer, path: Path, edits: list[dict], expected_sha: str,
                          turn: Lockstep) -> dict:
    """Open the report at ``path``, type ``edits`` (one didChange each, timed), each followed by
    the completion it left for after a pause (timed on its own), check the server's copy.  Each
    keystroke and its completion are one step of ``turn`` (the open is in the first, the check in
    the last)."""
    uri = path.as_uri()
    timings, errors_before = _Timings(), srv.errors.count
    for version, edit in enumerate(edits, 2):
        turn.wait()
        if version == 2:
            srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                 "text": path.read_bytes().decode("utf-8")}})
            await srv.opened(uri)
        elapsed, stages = srv.keystroke(_did_change(uri, version, edit))
        timings.keystrokes.append(elapsed)
        timings.stages.append(stages)
        completed = await srv.complete(uri)
        if completed is not None:
            took, published, stages = completed
            timings.completions.append(took)
            timings.completion_stages.append(stages)
            timings.published += published
        del srv.out.chunks[:-5]  # the latest messages are enough (the last keystroke's publishes)
        if version == len(edits) + 1:
            result = await _finish(srv, uri, version, timings, expected_sha, errors_before)
        turn.done()
    return result


async def _type_cases(spec: dict, turn: Lockstep) -> dict:
    srv = InProcessServer()
    await srv.start(Path(spec["root"]))
    return {case["name"]: await type_keystrokes(srv, Path(case["path"]), case["edits"], case["expected_sha256"], turn)
            for case in spec["cases"] if case["edits"]}


def child_main(argv: list[str]) -> int:
    """``python -m bench.in_process SPEC [--lockstep]``: type the cases of a spec file, print their
    JSON (the last line of stdout)."""
    handlers = [logging.StreamHandler(sys.stderr)]  # as ``reportls serve`` configures logging
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)
    spec = json.loads(Path(argv[0]).read_text())
    turn = Lockstep(sys.stdin if "--lockstep" in argv else None)
    with asyncio.Runner(loop_factory=SteppedLoop) as runner:
        result = runner.run(_type_cases(spec, turn))
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
