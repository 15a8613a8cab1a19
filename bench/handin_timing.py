"""Timings of the hand-in checks (``reportls.handin``): full report cold, and re-checks per keystroke.

    python bench/handin_timing.py            # prints one JSON object
    python bench/handin_timing.py --runs 50

Cases, on the benchmark's full report (``bench.reports.full_report``, ~40 KB, 31 questions; its
question 5 holds a list right after a paragraph and a fenced code block) and on the five seeds
(when ``/work/shared`` or ``$REPORTLS_SHARED`` is there):

- ``cold``: ``handin_findings`` with empty caches (every answer rendered both ways);
- ``unchanged``: the same report again (every answer from the cache);
- ``keystroke_differing``: one character typed into question 5's answer (which renders differently,
  so its edited chunk is re-rendered and its constructs re-proven), then ``handin_findings``;
- ``keystroke_same``: one character typed into a prose answer that renders the same;
- ``one_answer``: rendering one prose answer both ways and comparing (uncached).

Only ``handin_findings`` is timed (the structural parse is the analysis's, done beforehand with the
incremental ``Parser`` as the server does).  p50/p95 as in ``bench/stats.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "server"), str(ROOT)]

from bench.reports import Typist, code_and_list_anchors, full_report  # noqa: E402
from bench.stats import summary  # noqa: E402
from reportls.handin.findings import answer_text, clear_caches, handin_findings  # noqa: E402
from reportls.handin.render import normalise, render_github, render_handin  # noqa: E402
from reportls.report.parse import Parser  # noqa: E402

SHARED = Path(os.environ.get("REPORTLS_SHARED", ROOT.parents[0] / "shared"))


def _ms(f) -> float:
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1e3


def time_report(text: str, runs: int, anchors: tuple[int, ...] | None = None) -> dict:
    parser = Parser()
    report = parser.parse(text)
    clear_caches()
    first = _ms(lambda: handin_findings(report))
    cold = []
    for _ in range(runs):
        clear_caches()
        cold.append(_ms(lambda: handin_findings(report)))
    unchanged = [_ms(lambda: handin_findings(report)) for _ in range(runs)]
    out = {"bytes": len(text.encode()), "findings": len(handin_findings(report)),
           "first_call_ms": round(first, 3), "cold": summary(cold), "unchanged": summary(unchanged)}
    # a prose answer that renders the same: the longest answer with no handin finding
    found = {f.question for f in handin_findings(report)}
    plain = max((q for q in report.questions if q.answer_span and q.number not in found),
                key=lambda q: q.answer_span.end - q.answer_span.start, default=None)
    cases = {}
    if anchors:
        cases["keystroke_differing"] = anchors
    if plain is not None:
        mid = text.index(" ", (plain.answer_span.start + plain.answer_span.end) // 2) + 1
        cases["keystroke_same"] = (mid,)
    for name, where in cases.items():
        typist = Typist(text, where)
        p = Parser()
        p.parse(text)
        handin_findings(p.parse(text))
        times = []
        for _ in range(runs):
            typist.next()
            r = p.parse(typist.text)
            times.append(_ms(lambda r=r: handin_findings(r)))
        out[name] = summary(times)
    if plain is not None:
        at = answer_text(text, plain)
        src = at.rendered

        def one():
            normalise(render_handin(src)) == normalise(render_github(src))  # noqa: B015

        out["one_answer"] = summary([_ms(one) for _ in range(runs)])
        out["one_answer"]["chars"] = len(src)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    text = full_report()
    result = {"full_report": time_report(text, args.runs, code_and_list_anchors(text))}
    seeds = sorted((SHARED / "seeds").glob("*.md")) if SHARED.is_dir() else []
    for path in seeds:
        result[path.stem] = time_report(path.read_text(encoding="utf-8"), max(5, args.runs // 3))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
