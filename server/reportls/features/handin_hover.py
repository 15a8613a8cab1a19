"""The before/after hover of a ``handin-*`` finding: the construct as GitHub shows it and as the
hand-in shows it, as two short HTML code blocks (rendered from the finding's ``HandinPayload.probe``,
the markdown of the construct, with the rendering it was proven with, ``render_key``)."""

from __future__ import annotations

from reportls.findings import Finding, HandinPayload
from reportls.handin.render import render_github, render_handin

MAX_LINES = 12
MAX_CHARS = 600


def _trim(html: str) -> str:
    html = html.strip("\n")
    lines = html.split("\n")
    cut = False
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        cut = True
    out = "\n".join(line if len(line) <= 160 else line[:157] + "..." for line in lines)
    if len(out) > MAX_CHARS:
        out = out[:MAX_CHARS].rsplit("\n", 1)[0] if "\n" in out[:MAX_CHARS] else out[:MAX_CHARS]
        cut = True
    return out + ("\n..." if cut else "")


def _fence(html: str) -> str:
    ticks = "```"
    while ticks in html:
        ticks += "`"
    return f"{ticks}html\n{html}\n{ticks}"


def before_after(finding: Finding) -> str:
    """Markdown for a hover: GitHub's rendering of the construct, then the hand-in's."""
    payload = finding.payload
    if not finding.code.startswith("handin-") or not isinstance(payload, HandinPayload) or not payload.probe:
        return ""
    probe, render_key = payload.probe, payload.render_key
    github = _trim(render_github(probe))
    handin = _trim(render_handin(probe, render_key))
    ext = ", ".join(render_key[0]) if render_key[0] else "no extensions"
    return (f"**On GitHub** (CommonMark/GFM):\n\n{_fence(github)}\n\n"
            f"**In the hand-in** (`report.py html`: Python-Markdown, {ext}):\n\n{_fence(handin)}")
