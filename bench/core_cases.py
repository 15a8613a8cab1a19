"""In-process timings of the pure core (``reportls.analysis.analyze``): the re-check after a
one-character edit, the same on the worst figures case, and full checks by document size."""

from __future__ import annotations

import random
import time
from pathlib import Path

from bench.reports import BenchReport, Typist, full_report
from bench.stats import summary


def recheck_one_char_edit(text: str, edits: int) -> dict:
    """One-character edits spread over the whole report, each re-checked with the document's
    incremental parser (as the server does); plus one full parse for comparison."""
    from reportls.analysis import analyze
    from reportls.report.parse import Parser

    parser = Parser()
    resolution = analyze(text, parser=parser).resolution
    rng = random.Random(1)
    times = []
    current = text
    for k in range(edits):
        i = min(len(current), (len(current) * k) // edits + rng.randint(0, 20))
        current = current[:i] + rng.choice("abc ") + current[i:]
        t0 = time.perf_counter()
        analyze(current, parser=parser, resolution=resolution)
        times.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    analyze(text, parser=Parser(), resolution=resolution)
    full = (time.perf_counter() - t0) * 1000
    return {**summary(times), "full_parse_ms": round(full, 3), "bytes": len(text.encode())}


def recheck_missing_figures(report: BenchReport, report_path: Path, figure_files: int, edits: int) -> dict:
    """Keystrokes inside questions with broken figure links, re-checked with the figure folder
    (listing cached, as in the server): the core's share of the worst keystroke case."""
    from reportls.analysis import analyze
    from reportls.files.figures import FigureFolder
    from reportls.report.parse import Parser

    parser = Parser()
    folder = FigureFolder(report_path.parent)
    first = analyze(report.text, path=report_path, parser=parser, folder=folder)
    typist = Typist(report.text, report.anchors)
    times = []
    for _ in range(edits):
        typist.next()
        t0 = time.perf_counter()
        analysis = analyze(typist.text, path=report_path, parser=parser, folder=folder, resolution=first.resolution)
        times.append((time.perf_counter() - t0) * 1000)
    missing = sum(f.code == "missing-figure" for f in analysis.findings) if edits else None
    return {**summary(times), "figure_files": figure_files, "missing_links": report.missing_links,
            "missing_figure_findings": missing, "template": first.template}


def full_check_by_size() -> dict:
    """A cold full check (fresh parser) of 0.1, 0.5 and 1 MB reports: time must grow linearly."""
    from reportls.analysis import analyze
    from reportls.report.parse import Parser

    out: dict = {}
    unit = full_report(3)
    for label, size in (("0.1MB", 100_000), ("0.5MB", 500_000), ("1MB", 1_000_000)):
        text = unit
        while len(text.encode()) < size:
            text += "\n" + unit.split("## Overall project checklist", 1)[1]
        text = text.encode()[:size].decode("utf-8", "ignore")
        analyze(text, parser=Parser())  # warm
        t0 = time.perf_counter()
        analyze(text, parser=Parser())
        out[label] = round((time.perf_counter() - t0) * 1000, 1)
    out["ms_per_100KB_at_1MB"] = round(out["1MB"] / 10, 2)
    out["ms_per_100KB_at_0.1MB"] = out["0.1MB"]
    return out
