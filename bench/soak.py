"""The long session (``python bench/run.py --soak``): does the server's memory or latency grow with
the number of edits?

20 real reports open in one ``reportls serve`` (the seeds, LF and CRLF twins, each in its own
``<folder>/reports/README.md``), then 3,000 one-character edits at random places inside their
answers (``bench.seeds.AnswerTypist``), each timed didChange -> that version's first
publishDiagnostics, debounce 0.  The edits come in bursts of 5 into one report (drawn at random for
each burst; all seeded), each edit sent when the previous one's diagnostics have come.  After each
burst a pause (``stdio_cases.let_handin_complete``: twice the server's ``HANDIN_DELAY_S``, then a
request answered after the deferred hand-in checks that pause lets the server run), then a request
on the report just edited, in turn: hover, completion, codeAction, documentSymbol, inlayHint,
``reportls/questionStatus``.  The pause keeps the deferred checks out of the timings (a report's
timer is cancelled only by its own next keystroke: without it, the checks of the report left would
run while the next report is typed into) and makes the session the same on every run.  After
every 500 edits: the server's RSS (VmRSS of ``/proc/PID/status``) and the keystroke p50/p95 of
those 500 edits.  ``--soak --quick``: 4 reports, 120 edits, blocks of 20 (a smoke run).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench.lsp_client import LspError, StdioClient
from bench.seeds import ENDINGS, AnswerTypist, Edit, SeedReport, digest, lay_out, twin
from bench.stats import ratio, summary
from bench.stdio_cases import codes_of, document_text, let_handin_complete, open_report, send_keystrokes, start

REQUESTS = ("textDocument/hover", "textDocument/completion", "textDocument/codeAction",
            "textDocument/documentSymbol", "textDocument/inlayHint", "reportls/questionStatus")


@dataclass(frozen=True)
class SoakSize:
    reports: int
    edits: int
    block: int  # edits per RSS/latency reading
    request_every: int  # edits per burst into one report, each burst followed by a pause and a request


FULL = SoakSize(reports=20, edits=3000, block=500, request_every=5)
QUICK = SoakSize(reports=4, edits=120, block=20, request_every=5)


@dataclass
class SoakDocument:
    uri: str
    ending: str
    typist: AnswerTypist  # on the LF text; its positions name the same places in the CRLF twin
    version: int = 1
    diagnostics: list | None = None


def lay_out_documents(root: Path, reports: list[SeedReport], count: int) -> list[tuple[Path, SeedReport, str]]:
    """``count`` report folders: each report as an LF and a CRLF twin in turn (then again)."""
    out = []
    for i in range(count):
        report, ending = reports[(i // 2) % len(reports)], ENDINGS[i % 2]
        out.append((lay_out(root / f"r{i:02d}-{report.name}-{ending}", report.text, ending), report, ending))
    return out


def request_params(method: str, doc: SoakDocument, edit: Edit) -> dict:
    """What an editor sends for ``method`` with the cursor just after ``edit``."""
    pos = {"line": edit.line, "character": edit.character + 1}
    ident = {"uri": doc.uri}
    if method == "textDocument/completion":
        return {"textDocument": ident, "position": pos, "context": {"triggerKind": 1}}
    if method == "textDocument/codeAction":
        here = [d for d in doc.diagnostics or [] if d["range"]["start"]["line"] <= pos["line"] <= d["range"]["end"]["line"]]
        return {"textDocument": ident, "range": {"start": pos, "end": pos},
                "context": {"diagnostics": here, "triggerKind": 2}}
    if method == "textDocument/documentSymbol":
        return {"textDocument": ident}
    if method == "textDocument/inlayHint":
        return {"textDocument": ident, "range": {"start": {"line": max(0, pos["line"] - 40), "character": 0},
                                                 "end": {"line": pos["line"] + 40, "character": 0}}}
    return {"textDocument": ident, "position": pos}  # hover, reportls/questionStatus


REQUEST_TIMEOUT_S = 10


def _request(client: StdioClient, method: str, params: dict) -> tuple[float | None, str | None]:
    """(ms to the answer, None), or (None, why) when the server answered with an error or not at
    all within ``REQUEST_TIMEOUT_S`` (raises when the server is gone)."""
    t0 = time.perf_counter()
    try:
        client.request(method, params, timeout=REQUEST_TIMEOUT_S)
    except LspError as e:
        if client.proc.poll() is not None:
            raise
        return None, str(e)
    return (time.perf_counter() - t0) * 1000, None


class Requests:
    """The interleaved requests: whose turn it is, their timings, and their failures.  A method the
    server once left unanswered is not sent again (each would cost the whole timeout)."""

    def __init__(self) -> None:
        self.turn = 0
        self.sent = 0
        self.times: dict[str, list[float]] = {m: [] for m in REQUESTS}
        self.errors: dict[str, dict] = {}
        self.stopped: list[str] = []

    def send_next(self, client: StdioClient, doc: SoakDocument, edit: Edit) -> None:
        method = REQUESTS[self.turn % len(REQUESTS)]
        self.turn += 1
        if method in self.stopped:
            return
        self.sent += 1
        took, error = _request(client, method, request_params(method, doc, edit))
        if error is None:
            self.times[method].append(took)
            return
        entry = self.errors.setdefault(method, {"count": 0, "first": error[-400:]})
        entry["count"] += 1
        if error.startswith("no answer"):
            self.stopped.append(method)

    def report(self) -> dict:
        return {"request_turns": self.turn, "requests_sent": self.sent,
                "requests": {m: summary(v) for m, v in self.times.items() if v}, "request_errors": self.errors,
                "requests_stopped_unanswered": self.stopped}


def flags(blocks: list[dict]) -> dict:
    """Whether RSS and latency stayed flat: every RSS reading from the first block's end on within
    10% of that first reading; no later block's keystroke p95 above 1.2x the first block's."""
    rss = [b["rss_mb"] for b in blocks]
    out: dict = {"rss_growth_after_first_block_pct": None, "rss_flat_within_10pct_after_500": None,
                 "latency_p95_ratio_max_to_first_block": None, "latency_p95_ratio_last_to_first_block": None,
                 "latency_flat_within_1_2x": None}
    if rss and None not in rss and rss[0]:
        growth = (max(rss) - rss[0]) / rss[0]
        out["rss_growth_after_first_block_pct"] = round(100 * growth, 1)
        out["rss_flat_within_10pct_after_500"] = growth <= 0.10
    if len(blocks) > 1:
        first = blocks[0]["p95_ms"]
        out["latency_p95_ratio_max_to_first_block"] = ratio(max(b["p95_ms"] for b in blocks[1:]), first)
        out["latency_p95_ratio_last_to_first_block"] = ratio(blocks[-1]["p95_ms"], first)
        out["latency_flat_within_1_2x"] = out["latency_p95_ratio_max_to_first_block"] <= 1.2
    return out


def _edit(client: StdioClient, doc: SoakDocument) -> tuple[float, Edit]:
    """One keystroke into ``doc``: (ms to its diagnostics, the edit)."""
    edit = doc.typist.next()
    times, doc.version, params = send_keystrokes(client, doc.uri, [(edit.position(), edit.char)], doc.version)
    doc.diagnostics = params.get("diagnostics", [])
    return times[0], edit


def soak(root: Path, reports: list[SeedReport], env: dict, size: SoakSize) -> dict:
    """The session (see the module docstring); its figures as one JSON-ready dict."""
    laid_out = lay_out_documents(root, reports, size.reports)
    client = start(root, env)
    try:
        client.settle()
        docs = []
        for i, (path, report, ending) in enumerate(laid_out):
            doc = SoakDocument(path.as_uri(), ending, AnswerTypist(report.text, f"reportls-bench:soak:{i}"))
            doc.diagnostics = open_report(client, doc.uri, twin(report.text, ending)).get("diagnostics", [])
            docs.append(doc)
        rss_open = client.rss_mb()
        rng = random.Random("reportls-bench:soak")
        times: list[float] = []
        requests = Requests()
        blocks = []
        completions = 0
        for k in range(1, size.edits + 1):
            if (k - 1) % size.request_every == 0:
                doc = docs[rng.randrange(len(docs))]  # a new burst
            elapsed, edit = _edit(client, doc)
            times.append(elapsed)
            if k % size.request_every == 0:
                completed = let_handin_complete(client, doc.uri, doc.version)
                if completed is not None:
                    completions += 1
                    doc.diagnostics = completed.get("diagnostics", [])
                requests.send_next(client, doc, edit)
            if k % size.block == 0:
                blocks.append({"edits": k, "rss_mb": client.rss_mb(), **summary(times[-size.block:])})
        in_sync = all(digest(document_text(client, d.uri)) == digest(twin(d.typist.text, d.ending)) for d in docs)
        last_codes = [c for d in docs for c in codes_of({"diagnostics": d.diagnostics})]
    finally:
        client.close()
    return {
        "reports_open": len(docs), "line_endings": {e: sum(d.ending == e for d in docs) for e in ENDINGS},
        "reports": sorted({r.name for _, r, _ in laid_out}), "edits": size.edits, "block_edits": size.block,
        "request_every_edits": size.request_every, "rss_mb_after_open": rss_open, "blocks": blocks,
        **flags(blocks), "keystroke_all": summary(times),
        "pauses": size.edits // size.request_every, "handin_completions_published": completions,
        "completions_while_typing": client.other_versions,
        **requests.report(),
        "diagnostics_at_end": len(last_codes), "all_in_sync": in_sync,
    }
