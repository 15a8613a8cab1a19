"""Completion of figure paths inside link destinations, and an image-link snippet at ``!``/``![``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from reportls.analysis import Analysis
from reportls.figures import FigureFolder, has_image_extension, linked_paths
from reportls.model import Span


@dataclass(frozen=True)
class CompletionCandidate:
    label: str
    insert_text: str
    replace: Span
    kind: str  # "file" | "folder" | "snippet"
    detail: str = ""
    sort_text: str = ""
    filter_text: str | None = None
    snippet: bool = False
    retrigger: bool = False


def _line_before(text: str, offset: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, offset) + 1
    return start, text[start:offset]


def destination_prefix(text: str, offset: int) -> tuple[int, str, bool] | None:
    """If ``offset`` is inside a ``](...`` destination: (start of the typed part, typed text, angle)."""
    line_start, before = _line_before(text, offset)
    i = before.rfind("](")
    if i == -1:
        return None
    typed = before[i + 2 :]
    angle = typed.startswith("<")
    if angle:
        typed = typed[1:]
        if ">" in typed:
            return None
    elif ")" in typed or " " in typed.strip():
        return None
    start = line_start + i + 2 + (1 if angle else 0)
    return start, typed, angle


def _encode(path: str, angle: bool) -> str:
    return path if angle else quote(path, safe="/._-~")


def complete(analysis: Analysis, offset: int, folder: FigureFolder | None) -> list[CompletionCandidate]:
    report = analysis.report
    if not report.is_report:
        return []
    text = report.text
    dest = destination_prefix(text, offset)
    if dest is None:
        return _snippet(text, offset)
    if folder is None:
        return []
    start, typed, angle = dest
    replace = Span(start, offset)
    decoded = unquote(typed).removeprefix("./")
    used = linked_paths(report.figures)
    items: list[CompletionCandidate] = []
    if "/" in decoded:
        rel_dir = decoded.rsplit("/", 1)[0]
        listing = folder.entries(rel_dir)
        if listing is None:
            return []
        names = sorted(listing.items(), key=lambda kv: (not kv[1], kv[0].lower()))
        for name, is_dir in names:
            path = f"{rel_dir}/{name}" if rel_dir else name
            items.append(_candidate(path, is_dir, used, replace, angle))
    else:
        for path in folder.figure_files():
            items.append(_candidate(path, False, used, replace, angle))
        top = folder.entries("") or {}
        for name, is_dir in sorted(top.items()):
            if is_dir and name != "figures" and not name.startswith("."):
                items.append(_candidate(name, True, used, replace, angle))
        if folder.entries(folder.figures) is not None:
            items.append(_candidate(folder.figures, True, used, replace, angle))
    prefix = decoded.lower()
    return [c for c in items if (c.filter_text or c.label).lower().startswith(prefix)]


def _candidate(path: str, is_dir: bool, used: set[str], replace: Span, angle: bool) -> CompletionCandidate:
    if is_dir:
        return CompletionCandidate(
            label=path + "/", insert_text=_encode(path + "/", angle), replace=replace, kind="folder",
            detail="folder", sort_text=f"2{path.lower()}", filter_text=path + "/", retrigger=True,
        )
    image = has_image_extension(path)
    unused = path not in used
    rank = (0 if image else 4) + (0 if unused else 1)
    detail = ("image" if image else "not an image (.png/.jpg/.jpeg expected)") + ("" if unused else " · already linked")
    return CompletionCandidate(
        label=path, insert_text=_encode(path, angle), replace=replace, kind="file", detail=detail,
        sort_text=f"{rank}{path.lower()}", filter_text=path,
    )


def _snippet(text: str, offset: int) -> list[CompletionCandidate]:
    _, before = _line_before(text, offset)
    for typed in ("![", "!"):
        if before.endswith(typed):
            return [
                CompletionCandidate(
                    label="![image](figures/...)", insert_text="![${1:description}](figures/${2})",
                    replace=Span(offset - len(typed), offset), kind="snippet", detail="image link to a figure",
                    sort_text="0", filter_text=typed, snippet=True, retrigger=True,
                )
            ]
    return []

