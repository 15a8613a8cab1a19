"""Percentiles as the benchmark reports them (milliseconds, three decimals)."""

from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    """The value at rank ``int(q * n)`` of the sorted values (the slower side of the median)."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def summary(values_ms: list[float]) -> dict:
    """``{"p50_ms", "p95_ms", "n"}`` of a list of timings in milliseconds (None with no timing)."""
    if not values_ms:
        return {"p50_ms": None, "p95_ms": None, "n": 0}
    return {"p50_ms": percentile(values_ms, 0.5), "p95_ms": percentile(values_ms, 0.95), "n": len(values_ms)}


def ratio(a: float | None, b: float | None) -> float | None:
    """``a / b`` to two decimals (None when either is missing or ``b`` is 0)."""
    return round(a / b, 2) if a is not None and b else None


def by_line_ending(lf: dict[str, dict], crlf: dict[str, dict]) -> dict:
    """Per-report LF and CRLF summaries side by side, their CRLF/LF ratios, the worst report (the
    highest p95 of either line ending) and the highest CRLF/LF p95 ratio.  ``lf`` and ``crlf`` map
    a report's name to its timing summary."""
    per_report = {}
    for name in lf:
        a, b = lf[name], crlf.get(name)
        entry: dict = {"lf": a, "crlf": b}
        if b is not None:
            entry["crlf_lf_p50_ratio"] = ratio(b["p50_ms"], a["p50_ms"])
            entry["crlf_lf_p95_ratio"] = ratio(b["p95_ms"], a["p95_ms"])
        per_report[name] = entry
    if not per_report:
        return {"per_report": {}, "worst": None, "max_crlf_lf_p95_ratio": None}
    worst = max(per_report, key=lambda n: max(e["p95_ms"] or 0 for e in (lf[n], crlf.get(n) or lf[n])))
    ratios = {n: e["crlf_lf_p95_ratio"] for n, e in per_report.items() if e.get("crlf_lf_p95_ratio") is not None}
    top = max(ratios, key=ratios.get) if ratios else None
    return {"per_report": per_report, "worst": {"report": worst, **per_report[worst]},
            "max_crlf_lf_p95_ratio": {"report": top, "ratio": ratios[top]} if top else None}
