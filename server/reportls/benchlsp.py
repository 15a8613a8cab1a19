"""The server half of the benchmark: a minimal JSON-RPC client over stdio that times the real
``reportls serve`` process (cold start, didChange -> publishDiagnostics, completion, hover, RSS).

Deliberately dependency-free (no pygls/pytest-lsp on the client side) so that what is timed is the
server and the pipe, nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue


class StdioClient:
    def __init__(self, cwd: Path, init_options: dict | None = None):
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reportls", "serve"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env,
        )
        self.queue: Queue = Queue()
        self.pending: dict[int, Queue] = {}
        self.next_id = 0
        threading.Thread(target=self._reader, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": cwd.as_uri(),
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True},
                                              "completion": {"completionItem": {"snippetSupport": True},
                                                             "completionList": {"itemDefaults": ["editRange"]}}}},
            "initializationOptions": {"reportls": init_options or {"debounceMs": 0}},
        })
        self.notify("initialized", {})

    def _reader(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode().partition(":")
                headers[k.lower()] = v.strip()
            body = json.loads(out.read(int(headers["content-length"])))
            stamp = time.perf_counter()
            if "id" in body and "method" not in body:
                q = self.pending.pop(body["id"], None)
                if q:
                    q.put((stamp, body))
            elif body.get("method") == "textDocument/publishDiagnostics":
                self.queue.put((stamp, body["params"]))
            elif "id" in body:  # a server request (registerCapability, configuration...): answer null
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": None})

    def _send(self, msg: dict) -> None:
        data = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = 30) -> dict:
        self.next_id += 1
        q: Queue = Queue()
        self.pending[self.next_id] = q
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return q.get(timeout=timeout)[1].get("result")

    def wait_diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        while True:
            stamp, params = self.queue.get(timeout=max(0.01, deadline - time.perf_counter()))
            if params["uri"] == uri and (version is None or params.get("version") == version):
                return stamp, params

    def drain(self) -> None:
        try:
            while True:
                self.queue.get_nowait()
        except Empty:
            pass

    def rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        return -1.0

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=5)
            self.notify("exit", {})
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def _summary(values: list[float]) -> dict:
    return {"p50_ms": _pct(values, 0.5), "p95_ms": _pct(values, 0.95), "n": len(values)}


def _pos(text: str, offset: int) -> dict:
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return {"line": line, "character": len(text[offset - col : offset].encode("utf-16-le")) // 2}


def bench_server(folder: Path, text: str, quick: bool = False) -> dict:
    report = folder / "README.md"
    uri = report.as_uri()
    client = StdioClient(folder)
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        t_first, _ = client.wait_diagnostics(uri, 1)
        cold = (t_first - client.t_spawn) * 1000

        # didChange -> publishDiagnostics, one character at a time, spread over the document
        n = 60 if quick else 300
        times = []
        current = text
        version = 1
        for k in range(n):
            offset = min(len(current), (len(current) * k) // n)
            version += 1
            pos = _pos(current, offset)
            current = current[:offset] + "x" + current[offset:]
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}],
            })
            stamp, _ = client.wait_diagnostics(uri, version)
            times.append((stamp - t0) * 1000)
        change = _summary(times)

        # completion after "](figures/" in question 19
        anchor = current.index("![fig](figures/f1.png)", current.index("### Question 19"))
        insert = anchor
        pos = _pos(current, insert)
        version += 1
        snippet = "![x](figures/"
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": snippet + "\n"}],
        })
        current = current[:insert] + snippet + "\n" + current[insert:]
        client.wait_diagnostics(uri, version)
        cpos = {"line": pos["line"], "character": pos["character"] + len(snippet)}
        ctimes, count = [], 0
        for _ in range(40 if quick else 200):
            t0 = time.perf_counter()
            result = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": cpos,
                                                              "context": {"triggerKind": 2, "triggerCharacter": "/"}})
            ctimes.append((time.perf_counter() - t0) * 1000)
            items = result.get("items", []) if isinstance(result, dict) else (result or [])
            count = len(items)
        # hover on question 14's heading
        hpos = _pos(current, current.index("### Question 14") + 4)
        htimes = []
        for _ in range(40 if quick else 200):
            t0 = time.perf_counter()
            client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": hpos})
            htimes.append((time.perf_counter() - t0) * 1000)

        # RSS with 20 reports open
        for i in range(20):
            other = folder / f"copy{i}" / "README.md"
            client.notify("textDocument/didOpen", {"textDocument": {"uri": other.as_uri(), "languageId": "markdown",
                                                                    "version": 1, "text": text}})
            client.wait_diagnostics(other.as_uri(), 1)
        rss = client.rss_mb()
    finally:
        client.close()
    return {
        "cold_start_to_first_diagnostics_ms": round(cold, 1),
        "didChange_to_publishDiagnostics_debounce0": change,
        "completion_500_figures": {**_summary(ctimes), "items": count},
        "hover": _summary(htimes),
        "rss_mb_20_reports_open": rss,
    }
