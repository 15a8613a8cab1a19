"""A minimal LSP client over stdio, written for the benchmark: JSON-RPC 2.0 with Content-Length
framing on a subprocess's pipes, nothing else (no pygls, no pytest-lsp), so that what is timed is
the server and the pipe, not a client library.

It behaves as an editor with no user settings: it declares ``workspace.configuration`` and answers
every ``workspace/configuration`` item with ``configuration_answer`` (``{}`` by default), accepts
``client/registerCapability`` and any other server request with a ``null`` result, and keeps each
``textDocument/publishDiagnostics`` with the time its bytes arrived.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue


class LspError(RuntimeError):
    """The server answered with an error, stopped answering, or exited."""


def client_capabilities() -> dict:
    """What a plain editor (VS Code-like, UTF-16 positions, push diagnostics) declares."""
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "synchronization": {"didSave": True, "dynamicRegistration": False},
            "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
            "completion": {"completionItem": {"snippetSupport": True},
                           "completionList": {"itemDefaults": ["editRange"]}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
        },
        "workspace": {
            "configuration": True,
            "didChangeConfiguration": {"dynamicRegistration": True},
            "didChangeWatchedFiles": {"dynamicRegistration": True},
        },
    }


def position(text: str, offset: int) -> dict:
    """The LSP position (UTF-16 code units) of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return {"line": text.count("\n", 0, offset), "character": len(text[line_start:offset].encode("utf-16-le")) // 2}


def _message(method: str, params: dict | None, request_id: int | None = None) -> dict:
    message: dict = {"jsonrpc": "2.0", "method": method}
    if request_id is not None:
        message["id"] = request_id
    if params is not None:
        message["params"] = params
    return message


class StdioClient:
    """One ``reportls serve`` process and the client half of its session."""

    def __init__(self, command: list[str], cwd: Path, *, env: dict | None = None,
                 initialization_options: dict | None = None, configuration_answer: object = None):
        self.configuration_answer = {} if configuration_answer is None else configuration_answer
        self.configuration_requests = 0
        self.configuration_answered = threading.Event()
        self.diagnostics: Queue = Queue()  # (arrival time, params)
        self.other_versions = 0  # publishes skipped while waiting for another version of the same document
        self._pending: dict[int, Queue] = {}
        self._next_id = 0
        self._closed = False  # set by the reader when the server's stdout ends
        self._write_lock = threading.Lock()
        # a file, not a pipe: a chatty server never blocks on it; closed in close()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.t_spawn = time.perf_counter()
        try:
            self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._stderr)
        except OSError as e:
            raise LspError(f"could not start {' '.join(command)}: {e}") from e
        self._reader = threading.Thread(target=self._read_loop, name="lsp-reader", daemon=True)
        self._reader.start()
        try:
            self.initialize_result = self.request("initialize", {
                "processId": os.getpid(),
                "clientInfo": {"name": "reportls-bench"},
                "rootUri": cwd.as_uri(),
                "workspaceFolders": [{"uri": cwd.as_uri(), "name": cwd.name}],
                "capabilities": client_capabilities(),
                "initializationOptions": initialization_options,
            })
            self.notify("initialized", {})
        except LspError:
            self.close()
            raise

    # wire ------------------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps(message, separators=(",", ":")).encode()
        with self._write_lock:
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as e:
                raise LspError(f"the server's stdin is closed ({e}){self._stderr_tail()}") from e

    def _read_message(self, stream) -> tuple[float, dict] | None:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                if length is None:
                    continue  # stray blank line before the headers
                break
            name, _, value = line.decode("ascii", "replace").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        body = stream.read(length)
        arrived = time.perf_counter()
        if len(body) < length:
            return None
        return arrived, json.loads(body)

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        try:
            while (item := self._read_message(stream)) is not None:
                arrived, message = item
                if "method" not in message:  # a response to one of our requests
                    waiter = self._pending.pop(message.get("id"), None)
                    if waiter is not None:
                        waiter.put(message)
                elif "id" in message:  # a request from the server
                    self._answer(message)
                elif message["method"] == "textDocument/publishDiagnostics":
                    self.diagnostics.put((arrived, message["params"]))
        except (ValueError, OSError, LspError):  # unreadable output or a closed pipe: the session is over
            pass
        finally:  # wake everyone still waiting: the server is gone
            self._closed = True
            for waiter in list(self._pending.values()):
                waiter.put(None)
            self.diagnostics.put(None)

    def _answer(self, request: dict) -> None:
        result = None
        if request["method"] == "workspace/configuration":
            items = (request.get("params") or {}).get("items") or []
            result = [self.configuration_answer for _ in items]
            self.configuration_requests += 1
        self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})
        if request["method"] == "workspace/configuration":
            self.configuration_answered.set()

    def _stderr_tail(self, limit: int = 800) -> str:
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; server stderr: ...{text[-limit:]}" if text else ""

    # API -------------------------------------------------------------------------------------
    def notify(self, method: str, params: dict | None) -> None:
        self._send(_message(method, params))

    def request(self, method: str, params: dict | None, timeout: float = 30) -> object:
        self._next_id += 1
        waiter: Queue = Queue()
        self._pending[self._next_id] = waiter
        self._send(_message(method, params, self._next_id))
        if self._closed:
            raise LspError(f"the server exited before answering {method}{self._stderr_tail()}")
        try:
            message = waiter.get(timeout=timeout)
        except Empty:
            raise LspError(f"no answer to {method} within {timeout:g} s{self._stderr_tail()}") from None
        if message is None:
            raise LspError(f"the server exited before answering {method}{self._stderr_tail()}")
        if "error" in message:
            raise LspError(f"{method} failed: {message['error'].get('message')}")
        return message.get("result")

    def wait_diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> tuple[float, dict]:
        """The next publishDiagnostics for ``uri`` (and ``version``): (arrival time, params)."""
        found = self.next_diagnostics(uri, version, timeout)
        if found is None:
            raise LspError(f"no diagnostics for version {version} of {uri} within {timeout:g} s{self._stderr_tail()}")
        return found

    def next_diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> tuple[float, dict] | None:
        """Like ``wait_diagnostics``, None when nothing came within ``timeout``.  Publishes for
        ``uri`` of another version are skipped and counted in ``other_versions`` (a second publish
        of an earlier version: the server completed its deferred hand-in checks meanwhile)."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                item = self.diagnostics.get(timeout=max(0.001, deadline - time.perf_counter()))
            except Empty:
                return None
            if item is None:
                self.diagnostics.put(None)
                raise LspError(f"the server exited before publishing diagnostics{self._stderr_tail()}")
            arrived, params = item
            if params.get("uri") != uri:
                continue
            if version is None or params.get("version") == version:
                return arrived, params
            self.other_versions += 1

    def drain(self) -> None:
        """Forget diagnostics already received."""
        try:
            while True:
                if self.diagnostics.get_nowait() is None:
                    self.diagnostics.put(None)
                    return
        except Empty:
            pass

    def barrier(self, timeout: float = 10) -> None:
        """A request answered after everything sent before it has been handled (and whatever the
        server was running when it arrived): hover on a document that is not open."""
        self.request("textDocument/hover", {"textDocument": {"uri": "file:///reportls-bench-probe.md"},
                                            "position": {"line": 0, "character": 0}}, timeout=timeout)

    def settle(self, timeout: float = 5) -> None:
        """Wait until the server has asked for (and received) the configuration, if it does, and has
        handled everything sent so far; then forget the diagnostics it re-published meanwhile."""
        self.configuration_answered.wait(timeout)
        self.barrier(timeout)
        time.sleep(0.05)
        self.drain()

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        return None

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.proc.wait(timeout=5)
        except (LspError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
            self._stderr.close()
