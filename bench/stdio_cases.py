"""Timings of the real ``reportls serve`` process over stdio, driven by ``bench.lsp_client``.

Every session starts the server as an editor with no user settings would: ``debounceMs: 0`` only
in ``initializationOptions`` and ``{}`` as the answer to ``workspace/configuration``.

``editor_session``: didChange -> publishDiagnostics over the whole generated full report,
completion in a 500-file figures folder, hover, RSS with 20 reports open (the earlier headline
numbers, kept comparable).
``cold_start``: spawn -> first diagnostics of a report (the largest seed).
``seed_keystrokes``: didChange -> publishDiagnostics while typing at random places inside the
answers of each seed report (``bench.seeds``), then inside its answers with a fenced block, a list
or a quote; one server per line ending, the two taking the keystrokes in turns.
``keystroke_session``: didChange -> publishDiagnostics while typing inside the answers that matter:
the worst case (questions with broken figure links, 500 files beside them), the same report with no
figures (its baseline), and question 5 of the full report (a fenced code block and a list: the
answer the hand-in checks re-examine).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from bench.lsp_client import StdioClient, position
from bench.reports import BenchReport, Typist
from bench.seeds import ENDINGS, Edit, SeedPlan, digest, lay_out, twin
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


def open_report(client: StdioClient, uri: str, text: str) -> dict:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    return client.wait_diagnostics(uri, 1)[1]


def send_keystrokes(client: StdioClient, uri: str, keys: Iterable[tuple[dict, str]], version: int) -> tuple[list[float], int, dict]:
    """Send one didChange per (position, character) of ``keys``; the time from sending each to the
    arrival of that version's diagnostics.  Returns (times in ms, last version, last published params)."""
    times, params = [], {}
    for pos, char in keys:
        version += 1
        t0 = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": char}],
        })
        arrived, params = client.wait_diagnostics(uri, version)
        times.append((arrived - t0) * 1000)
    return times, version, params


def _type(client: StdioClient, uri: str, typist: Typist, version: int, keystrokes: int) -> tuple[list[float], int, dict]:
    """``keystrokes`` characters from ``typist`` (see ``send_keystrokes``)."""
    def keys():
        for _ in range(keystrokes):
            before = typist.text
            offset, char = typist.next()
            yield position(before, offset), char

    return send_keystrokes(client, uri, keys(), version)


def editor_session(folder: Path, text: str, env: dict, quick: bool) -> dict:
    """The generated full report's session: keystrokes spread over it, completion, hover, RSS."""
    report = folder / "README.md"
    uri = report.as_uri()
    client = start(folder, env)
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": text}})
        client.wait_diagnostics(uri, 1)
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
            open_report(client, other, text)
        rss = client.rss_mb()
    finally:
        client.close()
    return {
        "didChange_to_publishDiagnostics_debounce0": change,
        "completion_500_figures": {**summary(ctimes), "items": items},
        "hover": summary(htimes),
        "rss_mb_20_reports_open": rss,
    }


def codes_of(params: dict) -> list[str]:
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
            open_report(client, uri, report.text)
            times, _, params = _type(client, uri, Typist(report.text, report.anchors), 1, n)
            codes = codes_of(params)
            out[key] = {**summary(times), "missing_figure_diagnostics": codes.count("missing-figure"),
                        "handin_diagnostics": sum(c.startswith("handin-") for c in codes),
                        "diagnostics": len(codes)}
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        out["lsp_client"] = client_conditions(client)
    finally:
        client.close()
    return out


def cold_start(report: Path, env: dict, runs: int) -> dict:
    """Spawn of ``reportls serve`` -> initialize -> didOpen of ``report`` -> its first
    publishDiagnostics, in ``runs`` fresh processes (the workspace is the report's repository)."""
    text, uri = report.read_bytes().decode("utf-8"), report.as_uri()
    times = []
    for _ in range(runs):
        client = start(report.parent.parent, env)
        try:
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                    "version": 1, "text": text}})
            first, _ = client.wait_diagnostics(uri, 1)
            times.append((first - client.t_spawn) * 1000)
        finally:
            client.close()
    return {"median_ms": round(statistics.median(times), 1), "runs_ms": [round(t, 1) for t in times]}


def document_text(client: StdioClient, uri: str) -> str:
    """The server's copy of the document (``reportls.documentText``)."""
    result = client.request("workspace/executeCommand", {"command": "reportls.documentText", "arguments": [uri]})
    return result.get("text", "") if isinstance(result, dict) else ""


def _summary(times: list[float], params: dict, in_sync: bool) -> dict:
    codes = codes_of(params)
    return {**summary(times), "diagnostics": len(codes), "handin_diagnostics": sum(c.startswith("handin-") for c in codes),
            "in_sync": in_sync}


class Twin:
    """One seed's LF or CRLF twin open in its server, typed into keystroke by keystroke."""

    def __init__(self, client: StdioClient, path: Path, text: str) -> None:
        self.client, self.uri, self.version = client, path.as_uri(), 1
        self.times: list[float] = []
        self.params = open_report(client, self.uri, text)

    def type(self, edit: Edit) -> None:
        times, self.version, self.params = send_keystrokes(self.client, self.uri, [(edit.position(), edit.char)],
                                                           self.version)
        self.times += times

    def result(self, expected: str) -> dict:
        """The summary of the keystrokes since the last call, and whether the server's copy is
        ``expected`` (``in_sync``)."""
        in_sync = self.params.get("version") == self.version and digest(document_text(self.client, self.uri)) == digest(expected)
        out, self.times = _summary(self.times, self.params, in_sync), []
        return out


def _in_turns(twins: dict[str, Twin], edits: list[Edit]) -> None:
    """Each edit typed into both twins, LF first on even keystrokes, CRLF first on odd ones."""
    for k, edit in enumerate(edits):
        for ending in ENDINGS if k % 2 == 0 else ENDINGS[::-1]:
            twins[ending].type(edit)


def seed_keystrokes(root: Path, plans: list[SeedPlan], env: dict) -> tuple[dict, dict]:
    """Two servers, one for the LF twins and one for the CRLF twins, taking the keystrokes in turns
    (each waits for its diagnostics, so they never run at the same time and a load on the machine
    falls on both alike).  Per seed: open both twins, type the plan's ``answers`` keystrokes, then
    its ``code_and_list`` ones, close them.  Returns ``{ending: {seed name: summary}}`` for the
    answers and for code_and_list (a seed with no such answer is left out of the second)."""
    clients: dict[str, StdioClient] = {}
    answers: dict[str, dict] = {e: {} for e in ENDINGS}
    code_and_list: dict[str, dict] = {e: {} for e in ENDINGS}
    try:
        for ending in ENDINGS:
            folder = root / f"stdio-{ending}"
            folder.mkdir(parents=True, exist_ok=True)
            clients[ending] = start(folder, env)
            clients[ending].settle()
        for p in plans:
            name = p.report.name
            twins = {e: Twin(clients[e], lay_out(root / f"stdio-{e}" / name, p.report.text, e), twin(p.report.text, e))
                     for e in ENDINGS}
            _in_turns(twins, p.answers)
            for e in ENDINGS:
                answers[e][name] = twins[e].result(twin(p.after_answers, e))
            if p.code_and_list:
                _in_turns(twins, p.code_and_list)
                for e in ENDINGS:
                    code_and_list[e][name] = {**twins[e].result(twin(p.after_code_and_list, e)),
                                              "questions": p.code_and_list_questions}
            for e in ENDINGS:
                clients[e].notify("textDocument/didClose", {"textDocument": {"uri": twins[e].uri}})
    finally:
        for client in clients.values():
            client.close()
    return answers, code_and_list
