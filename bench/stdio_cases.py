"""Timings of the real ``reportls serve`` process over stdio, driven by ``bench.lsp_client``.

Every session starts the server as an editor with no user settings would: ``debounceMs: 0`` only
in ``initializationOptions`` and ``{}`` as the answer to ``workspace/configuration``.

``editor_session``: didChange -> publishDiagnostics over the whole generated full report,
completion in a 500-file figures folder, hover, RSS with 20 reports open (the earlier headline
numbers, kept comparable).
``cold_start``: spawn -> first diagnostics of a report (the largest seed).
``seed_keystrokes``: didChange -> publishDiagnostics while typing at random places inside the
answers of each seed report (``bench.seeds``), then inside its answers with a fenced block, a list
or a quote; then "pause -> hand-in complete": one character inside the text of a hand-in finding,
its first publish, and the second publish of the same version that completes the hand-in checks
after the pause (within ``PAUSE_WAIT_S``); one server per line ending, the two taking the
keystrokes in turns.

With ``debounceMs: 0`` the server publishes a keystroke's diagnostics at once without rendering the
answer typed in for the hand-in checks, and renders it ``HANDIN_DELAY_S`` after the last keystroke
(publishing again only when that changed the diagnostics).  Keystrokes sent one after another's
publish cancel that timer; where a case goes on to something else timed (requests), it first pauses
(``let_handin_complete``), so the deferred work never runs inside another timing.
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
PAUSE_WAIT_S = 0.5  # how long "pause -> hand-in complete" waits for the second publish


def handin_delay_s() -> float:
    """The server's pause before it renders the answer typed in (``HANDIN_DELAY_S``)."""
    from reportls.lsp import server

    return getattr(server, "HANDIN_DELAY_S", 0.05)


def let_handin_complete(client: StdioClient, uri: str | None = None, version: int | None = None) -> dict | None:
    """Pause typing twice the server's ``HANDIN_DELAY_S``, so that its timer has fired and the
    deferred hand-in checks have started, then a request answered after them (``barrier``): nothing
    timed next waits for them.  Returns the params of the second publish of ``uri``'s ``version``
    when the completion changed the diagnostics, else None."""
    time.sleep(2 * handin_delay_s())
    client.barrier()
    if uri is None:
        return None
    found = client.next_diagnostics(uri, version, timeout=0)  # published before the barrier's answer
    return found[1] if found else None


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


def send_keystroke(client: StdioClient, uri: str, pos: dict, char: str, version: int) -> tuple[float, float, dict]:
    """One didChange making ``version``: (when it was sent, when that version's first
    publishDiagnostics arrived, its params)."""
    t0 = time.perf_counter()
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos, "end": pos}, "text": char}],
    })
    arrived, params = client.wait_diagnostics(uri, version)
    return t0, arrived, params


def send_keystrokes(client: StdioClient, uri: str, keys: Iterable[tuple[dict, str]], version: int) -> tuple[list[float], int, dict]:
    """Send one didChange per (position, character) of ``keys``, each right after the previous one's
    diagnostics; the time from sending each to the arrival of that version's diagnostics.  Returns
    (times in ms, last version, last published params)."""
    times, params = [], {}
    for pos, char in keys:
        version += 1
        t0, arrived, params = send_keystroke(client, uri, pos, char, version)
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
        let_handin_complete(client)
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


def _found(params: dict) -> dict:
    """What a publish held: how many diagnostics, how many of them ``handin-*``."""
    codes = codes_of(params)
    return {"diagnostics": len(codes), "handin_diagnostics": sum(c.startswith("handin-") for c in codes)}


class Twin:
    """One seed's LF or CRLF twin open in its server, typed into keystroke by keystroke."""

    def __init__(self, client: StdioClient, path: Path, text: str) -> None:
        self.client, self.uri, self.version = client, path.as_uri(), 1
        self.times: list[float] = []
        self.completions: list[float] = []  # pause -> hand-in complete, ms
        self.params = open_report(client, self.uri, text)
        self.other_versions = client.other_versions

    def type(self, edit: Edit) -> float:
        """One keystroke, timed to its first publish; returns when that publish arrived."""
        self.version += 1
        t0, arrived, self.params = send_keystroke(self.client, self.uri, edit.position(), edit.char, self.version)
        self.times.append((arrived - t0) * 1000)
        return arrived

    def type_and_pause(self, edit: Edit) -> None:
        """One keystroke, then no other until the second publish of its version (the hand-in checks
        completed after the pause) has come, or ``PAUSE_WAIT_S`` has passed without one."""
        first = self.type(edit)
        found = self.client.next_diagnostics(self.uri, self.version, PAUSE_WAIT_S)
        if found is not None:
            arrived, self.params = found
            self.completions.append((arrived - first) * 1000)

    def _in_sync(self, expected: str) -> bool:
        return self.params.get("version") == self.version and digest(document_text(self.client, self.uri)) == digest(expected)

    def complete(self) -> None:
        """Pause (``let_handin_complete``) and keep the completed diagnostics if they were published
        again: what the server found is then the same however the keystrokes were spaced."""
        self.params = let_handin_complete(self.client, self.uri, self.version) or self.params

    def result(self, expected: str) -> dict:
        """The summary of the keystrokes since the last call, what the server found once it
        completed the hand-in checks after them, whether its copy is ``expected`` (``in_sync``), and
        ``completions_while_typing``: publishes of an earlier version that came meanwhile (a pause
        between two keystrokes to this server longer than the server's ``HANDIN_DELAY_S`` let it
        complete the hand-in checks, and they changed something)."""
        while_typing = self.client.other_versions - self.other_versions
        self.complete()
        out = {**summary(self.times), **_found(self.params), "in_sync": self._in_sync(expected),
               "completions_while_typing": while_typing}
        self.times, self.other_versions = [], self.client.other_versions
        return out

    def pause_result(self, expected: str) -> dict:
        """The summary of the pauses since the last call: the time from a keystroke's first publish
        to its second (``p50_ms``, ``p95_ms``, ``n``: the keystrokes that got one), ``keystrokes``,
        ``without_second_publish``, ``second_publish_fraction``, ``keystroke`` (didChange -> first
        publish of those keystrokes)."""
        keystrokes = len(self.times)
        out = {**summary(self.completions), "keystrokes": keystrokes,
               "without_second_publish": keystrokes - len(self.completions),
               "second_publish_fraction": round(len(self.completions) / keystrokes, 3) if keystrokes else None,
               "wait_ms": round(PAUSE_WAIT_S * 1000), "keystroke": summary(self.times), **_found(self.params),
               "in_sync": self._in_sync(expected)}
        self.times, self.completions, self.other_versions = [], [], self.client.other_versions
        return out



def _in_turns(twins: dict[str, Twin], edits: list[Edit], pause: bool = False) -> None:
    """Each edit typed into both twins, LF first on even keystrokes, CRLF first on odd ones (with
    ``pause``: each keystroke followed by its pause, ``Twin.type_and_pause``)."""
    for k, edit in enumerate(edits):
        for ending in ENDINGS if k % 2 == 0 else ENDINGS[::-1]:
            if pause:
                twins[ending].type_and_pause(edit)
            else:
                twins[ending].type(edit)


def seed_keystrokes(root: Path, plans: list[SeedPlan], env: dict) -> dict[str, dict[str, dict]]:
    """Two servers, one for the LF twins and one for the CRLF twins, taking the keystrokes in turns
    (each waits for its diagnostics, so they never run at the same time and a load on the machine
    falls on both alike).  Per seed: open both twins, type the plan's ``answers`` keystrokes, then
    its ``code_and_list`` ones, then its ``in_handin_findings`` ones each followed by a pause, close
    them.  Returns ``{"answers" | "code_and_list" | "pause": {ending: {seed name: summary}}}`` (a
    seed with no such keystrokes is left out of the last two)."""
    clients: dict[str, StdioClient] = {}
    out: dict[str, dict[str, dict]] = {case: {e: {} for e in ENDINGS} for case in ("answers", "code_and_list", "pause")}
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
                out["answers"][e][name] = twins[e].result(twin(p.after_answers, e))
            if p.code_and_list:
                _in_turns(twins, p.code_and_list)
                for e in ENDINGS:
                    out["code_and_list"][e][name] = {**twins[e].result(twin(p.after_code_and_list, e)),
                                                     "questions": p.code_and_list_questions}
            if p.in_handin_findings:
                _in_turns(twins, p.in_handin_findings, pause=True)
                for e in ENDINGS:
                    out["pause"][e][name] = twins[e].pause_result(twin(p.after_handin_findings, e))
            for e in ENDINGS:
                clients[e].notify("textDocument/didClose", {"textDocument": {"uri": twins[e].uri}})
    finally:
        for client in clients.values():
            client.close()
    return out
