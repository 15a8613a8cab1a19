"""Percentiles as the benchmark reports them (milliseconds, three decimals)."""

from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    """The value at rank ``int(q * n)`` of the sorted values (the slower side of the median)."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def summary(values_ms: list[float]) -> dict:
    """``{"p50_ms", "p95_ms", "n"}`` of a list of timings in milliseconds."""
    return {"p50_ms": percentile(values_ms, 0.5), "p95_ms": percentile(values_ms, 0.95), "n": len(values_ms)}
