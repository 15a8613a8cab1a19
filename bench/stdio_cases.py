"""Timings of the real ``reportls serve`` process over stdio, driven by ``bench.lsp_client``.

Every session starts the server as an editor with no user settings would: ``debounceMs: 0`` only
in ``initializationOptions`` and ``{}`` as the answer to ``workspace/configuration``.

``editor_session``: cold start, didChange -> publishDiagnostics over the whole full report,
completion in a 500-file figures folder, hover, RSS with 20 reports open (the headline numbers).
``keystroke_session``: didChange -> publishDiagnostics while typing inside the answers that matter:
the worst case (questions with broken figure links, 500 files beside them), the same report with no
figures (its baseline), and question 5 of the full report (a fenced code block and a list: the
answer the hand-in checks re-examine).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.lsp_client import StdioClient, position
from bench.reports import BenchReport, Typist
from bench.stats import summary

INITIALIZATION_OPTIONS = {"reportls": {"debounceMs": 0}}
CONFIGURATION_ANSWER: dict = {}  # a user with no reportls settings


def start(root: Path, env: dict) -> StdioClient:
    return StdioClient([sys.executable, "-m", "reportls", "serve"], root, env=env,
                       initialization_options=INITIALIZATION_OPTIONS, configuration_answer=CONFIGURATION_ANSWER)


def client_conditions(client: StdioClient) -> dict:
    """How the sessions were set up (to read the numbers by)."""
    return {"initializationOptions": INITIALIZATION_OPTIONS, "workspace_configuration_answer": CONFIGURATION_ANSWER,
            "workspace_configuration_requests": client.configuration_requests,
            "position_encoding": (client.initialize_result or {}).get("capabilities", {}).get("positionEncoding", "utf-16")}


def _open(client: StdioClient, uri: str, text: str) -> dict:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    return client.wait_diagnostics(uri, 1)[1]


def _type(client: StdioClient, uri: str, typist: Typist, version: int, keystrokes: int) -> tuple[list[float], int, dict]:
    """Send ``keystrokes`` one-character didChanges; the time from sending each to the arrival of
    that version's diagnostics.  Returns (times in ms, last version, last published params)."""
    times, params = [], {}
    for _ in range(keystrokes):
        before = typist.text
        offset, char = typist.next()
        pos = position(before, offset)
        version += 1
        t0 = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": char}],
        })
        arrived, params = client.wait_diagnostics(uri, version)
        times.append((arrived - t0) * 1000)
    return times, version, params


def editor_session(folder: Path, text: str, env: dict, quick: bool) -> dict:
    report = folder / "README.md"
    uri = report.as_uri()
    client = start(folder, env)
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": text}})
        first, _ = client.wait_diagnostics(uri, 1)
        cold = (first - client.t_spawn) * 1000
        client.settle()

        # didChange -> publishDiagnostics, one character at a time, spread over the document
        n = 30 if quick else 300
        current, version, times = text, 1, []
        for k in range(n):
            offset = min(len(current), (len(current) * k) // n)
            pos = position(current, offset)
            current = current[:offset] + "x" + current[offset:]
            version += 1
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}],
            })
            arrived, _ = client.wait_diagnostics(uri, version)
            times.append((arrived - t0) * 1000)
        change = summary(times)

        # completion after "](figures/" in question 19
        insert = current.index("![fig](figures/f1.png)", current.index("### Question 19"))
        pos = position(current, insert)
        snippet = "![x](figures/"
        version += 1
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": snippet + "\n"}],
        })
        current = current[:insert] + snippet + "\n" + current[insert:]
        client.wait_diagnostics(uri, version)
        cpos = {"line": pos["line"], "character": pos["character"] + len(snippet)}
        ctimes, items = [], 0
        for _ in range(40 if quick else 200):
            t0 = time.perf_counter()
            result = client.request("textDocument/completion", {
                "textDocument": {"uri": uri}, "position": cpos, "context": {"triggerKind": 2, "triggerCharacter": "/"}})
            ctimes.append((time.perf_counter() - t0) * 1000)
            items = len(result.get("items", []) if isinstance(result, dict) else (result or []))

        # hover on question 14's heading
        hpos = position(current, current.index("### Question 14") + 4)
        htimes = []
        for _ in range(40 if quick else 200):
            t0 = time.perf_counter()
            client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": hpos})
            htimes.append((time.perf_counter() - t0) * 1000)

        # RSS with 20 reports open
        for i in range(20):
            other = (folder / f"copy{i}" / "README.md").as_uri()
            _open(client, other, text)
        rss = client.rss_mb()
    finally:
        client.close()
    return {
        "cold_start_to_first_diagnostics_ms": round(cold, 1),
        "didChange_to_publishDiagnostics_debounce0": change,
        "completion_500_figures": {**summary(ctimes), "items": items},
        "hover": summary(htimes),
        "rss_mb_20_reports_open": rss,
    }


def _codes(params: dict) -> list[str]:
    return [str(d.get("code")) for d in params.get("diagnostics", [])]


def keystroke_session(root: Path, cases: dict[str, tuple[Path, BenchReport]], env: dict, quick: bool) -> dict:
    """Each case: open its report, type ``n`` characters at its anchors, close it.  ``cases`` maps
    the result key to (report path, report)."""
    n = 15 if quick else 200
    client = start(root, env)
    out: dict = {}
    try:
        client.settle()
        for key, (path, report) in cases.items():
            uri = path.as_uri()
            _open(client, uri, report.text)
            times, _, params = _type(client, uri, Typist(report.text, report.anchors), 1, n)
            codes = _codes(params)
            out[key] = {**summary(times), "missing_figure_diagnostics": codes.count("missing-figure"),
                        "handin_diagnostics": sum(c.startswith("handin-") for c in codes),
                        "diagnostics": len(codes)}
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        out["lsp_client"] = client_conditions(client)
    finally:
        client.close()
    return out
