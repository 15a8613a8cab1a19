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
    # what the hand-in scrape (the default branch on GitHub) will get
    "figure-untracked": WARNING,
    "figure-ignored": ERROR,
    "figure-unpushed": WARNING,
    "report-location": WARNING,
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
    "answer-in-quote": WARNING,  # the answer glued to "> Answer:": inside the question's quote everywhere
    # links, names and images as the grader meets them (issue 18)
    "figure-syntax": WARNING,  # an image link GitHub does not read (an unencoded space)
    "link-outside-reports": WARNING,
    "link-missing": WARNING,
    "link-own-repo": WARNING,
    "link-private": HINT,
    "study-number": WARNING,
    "image-size": INFORMATION,
    "reportpy-encoding": INFORMATION,
    # the checklist against the repository (issue 25)
    "checklist-unbacked": INFORMATION,  # a ticked, verifiable box the repository shows no evidence of
    "checklist-unticked": HINT,  # an unticked box the repository shows strong evidence of
}
CODES = tuple(DEFAULT_SEVERITY)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    span: Span
    message: str
    severity: str = ""  # "": the code's default (DEFAULT_SEVERITY); a check may choose another
    question: int | None = None
    # facts code actions need (e.g. {"replacement": "figures/a.png"}); plain JSON-able values
    data: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", DEFAULT_SEVERITY.get(self.code, WARNING))


def apply_severities(findings: list[Finding], overrides: dict[str, str] | None) -> list[Finding]:
    """The findings' own severities (their code's default unless the check chose another, as for
    a figure in another folder under reports/), then the user's overrides; "off" drops it."""
    out = []
    overrides = overrides or {}
    for f in findings:
        sev = overrides.get(f.code) or f.severity
        if sev == OFF:
            continue
        out.append(f if sev == f.severity else Finding(f.code, f.span, f.message, sev, f.question, f.data))
    return out


def carried_over(findings: list[Finding], edit: tuple[int, int, int], text: str) -> list[Finding]:
    """Findings of the previous version moved through one edit (``(start, old end, new end)``):
    those before it stay, those after it shift, those it touched are dropped, and so is any whose
    text (``data["source"]``, when recorded) is no longer what its span covers."""
    start, old_end, new_end = edit
    delta = new_end - old_end
    out = []
    for f in findings:
        if f.span.end < start:
            span = f.span
        elif f.span.start > old_end:
            span = f.span.shifted(delta)
        else:
            continue
        source = f.data.get("source")
        if source is not None and text[span.start : span.end] != source:
            continue
        out.append(f if span == f.span else Finding(f.code, span, f.message, f.severity, f.question, f.data))
    return out
