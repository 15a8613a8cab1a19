"""The ``Finding`` record (one diagnostic in core terms) and the diagnostic codes' defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportls.model import Span

ERROR, WARNING, INFORMATION, HINT, OFF = "error", "warning", "information", "hint", "off"
SEVERITIES = (ERROR, WARNING, INFORMATION, HINT, OFF)

DEFAULT_SEVERITY: dict[str, str] = {
    "word-count": WARNING,
    "image-count": WARNING,
    "placeholder": WARNING,
    "missing-figure": ERROR,
    "figure-case": ERROR,
    "figure-extension": WARNING,
    "figure-location": WARNING,
    "answer-count": ERROR,
    "answer-truncated": WARNING,
    "answer-marker": WARNING,
    "heading": WARNING,
    "image-not-counted": INFORMATION,
    "image-in-code": INFORMATION,
    "constraints-source": INFORMATION,
    "secret": ERROR,
    "not-counted": HINT,  # text report.py drops (after a ## cut, before a second Answer:), faded
    # the hand-in page (SPEC section 7): where report.py html renders differently from GitHub
    "handin-code": WARNING,
    "handin-list": WARNING,
    "handin-nested-list": WARNING,
    "handin-table": WARNING,
    "handin-quote": WARNING,
    "handin-tag": WARNING,
    "handin-escape": INFORMATION,
    "handin-url": HINT,
}
CODES = tuple(DEFAULT_SEVERITY)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    span: Span
    message: str
    severity: str = WARNING
    question: int | None = None
    # facts code actions need (e.g. {"replacement": "figures/a.png"}); plain JSON-able values
    data: dict = field(default_factory=dict, compare=False, hash=False)


def apply_severities(findings: list[Finding], overrides: dict[str, str] | None) -> list[Finding]:
    """Default severities, then the user's overrides; "off" drops the finding."""
    out = []
    overrides = overrides or {}
    for f in findings:
        sev = overrides.get(f.code) or DEFAULT_SEVERITY.get(f.code, f.severity)
        if sev == OFF:
            continue
        out.append(f if sev == f.severity else Finding(f.code, f.span, f.message, sev, f.question, f.data))
    return out
