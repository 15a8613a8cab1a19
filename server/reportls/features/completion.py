"""Completion: figure paths inside a link destination (``![..](`` or ``[..](``), and a snippet for a
whole image link at ``!``/``![``.

Candidates are report-relative paths from the ``FigureFolder`` listings (never anything outside the
report's folder).  Once a ``/`` is typed, the edit replaces only what follows the last ``/``, as VS
Code's own path completion does: Vim's ALE takes the edit's text as the word and keeps it only if it
starts with the word before the cursor (``wa`` in ``figures/wa``).  The label and the filter text
stay the whole path (``figures/wandb.png``): VS Code and Neovim match the typed part of the range
(``wa``) in it, and eglot (Emacs) matches the symbol at point, ``figures/wa`` (``/`` is a symbol
character in markdown-mode), against it.  Before any ``/`` the edit replaces the whole typed
destination.  A file linked with other letter case counts as linked.  In an image link
(``![..](``) only images and folders are offered; a plain link (``[..](``) also gets other files.
Order: .png/.jpg/.jpeg images (what the template asks for), then other images, each not-yet-linked
first; then folders; then other files.
"""

from __future__ import annotations

from reportls.text.records import record
from urllib.parse import unquote

from reportls.analysis import Analysis
from reportls.features.locate import encode_dest, line_bounds
from reportls.files.figures import FigureFolder, has_image_extension, linked_paths
from reportls.report.model import Span

SNIPPET = "![${1:description}](figures/${2})"
SHOWN_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")  # what an image link offers


@record(frozen=True)
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


@record(frozen=True)
class Destination:
    """The destination being typed: ``start`` (just after ``(`` or ``<``) to the cursor."""

    start: int
    typed: str
    angle: bool
    image: bool = True  # ``![..](`` rather than ``[..](``


def destination_at(text: str, offset: int) -> Destination | None:
    """The ``](...`` destination the cursor is in (same line, before its closing ``)``/``>``)."""
    line_start, _ = line_bounds(text, offset)
    before = text[line_start:offset]
    i = before.rfind("](")
    if i == -1:
        return None
    opening = before.rfind("[", 0, i)
    image = opening > 0 and before[opening - 1] == "!"
    start = i + 2
    while start < len(before) and before[start] in " \t":
        start += 1
    typed = before[start:]
    if typed.startswith("<"):
        typed = typed[1:]
        return None if ">" in typed else Destination(line_start + start + 1, typed, True, image)
    depth = 0
    for ch in typed:
        if ch in " \t":
            return None  # past the destination: a title, or plain text
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None  # the link is closed
    return Destination(line_start + start, typed, False, image)


def complete(analysis: Analysis, offset: int, folder: FigureFolder | None) -> list[CompletionCandidate]:
    report = analysis.report
    if not report.is_report or not 0 <= offset <= len(report.text):
        return []
    dest = destination_at(report.text, offset)
    if dest is None:
        return snippet_at(report.text, offset)
    if folder is None:
        return []
    return path_candidates(dest, offset, folder, linked_files(report.figures, folder))


def linked_files(links, folder: FigureFolder) -> set[str]:
    """The files the report's shown links point at: as written, and the file on disk for a link
    with other letter case (``Figures/A.PNG`` uses ``figures/a.png``: it is linked, not unused)."""
    used = linked_paths(links)
    return used | {r.actual for r in map(folder.resolve, used) if r.status == "case" and r.actual}


def path_candidates(
    dest: Destination, offset: int, folder: FigureFolder, used: set[str]
) -> list[CompletionCandidate]:
    typed = unquote(dest.typed)
    lead = "./" if typed.startswith("./") else ""
    typed = typed[len(lead) :]
    if typed.startswith("/") or "\\" in typed or typed.count("/") + bool(lead) != dest.typed.count("/"):
        return []  # from the root, a backslash, an encoded "/": no path to complete
    entries: list[tuple[str, bool]] = []
    if "/" in typed:
        rel_dir = typed.rsplit("/", 1)[0]
        listing = folder.entries(rel_dir)
        if listing is None:
            return []
        entries = [
            (f"{rel_dir}/{name}", is_dir) for name, is_dir in listing.items() if not name.startswith(".")
        ]
        kept = len(rel_dir) + 1  # the typed folder stays: the edit writes only what follows it
        replace = Span(offset - len(dest.typed.rsplit("/", 1)[1]), offset)
    else:
        entries = [(p, False) for p in folder.figure_files() if not p.rsplit("/", 1)[-1].startswith(".")]
        root = folder.entries("") or {}
        entries += [(name, True) for name, is_dir in root.items() if is_dir and not name.startswith(".")]
        kept = 0
        replace = Span(dest.start, offset)
    prefix = typed.lower()
    out = []
    for path, is_dir in entries:
        if dest.image and not is_dir and not path.lower().endswith(SHOWN_IMAGE_EXTENSIONS):
            continue
        if path.lower().startswith(prefix):
            out.append(_candidate(path, is_dir, path in used, replace, dest.angle, lead, kept))
    out.sort(key=lambda c: c.sort_text)
    return out


def _candidate(
    path: str, is_dir: bool, used: bool, replace: Span, angle: bool, lead: str, kept: int = 0
) -> CompletionCandidate:
    """``path[kept:]`` is what the edit writes (after ``lead`` when it replaces the whole
    destination, ``kept`` 0); the label is the path, the filter text the destination as it will read."""
    if is_dir:
        path += "/"
        rank, kind, detail = 4, "folder", "folder"
    else:
        kind = "file"
        if has_image_extension(path):
            rank, detail = 0, "image"
        elif path.lower().endswith(SHOWN_IMAGE_EXTENSIONS):
            rank, detail = 2, "image (the template asks for .png, .jpg or .jpeg)"
        else:
            rank, detail = 5, "not an image"
        rank += used
        detail += " · already linked" if used else ""
    whole = lead + encode_dest(path, angle)
    return CompletionCandidate(
        label=path,
        insert_text=encode_dest(path[kept:], angle) if kept else whole,
        replace=replace,
        kind=kind,
        detail=detail,
        sort_text=f"{rank}{path.lower()}",
        filter_text=whole,
        retrigger=is_dir,
    )


def snippet_at(text: str, offset: int) -> list[CompletionCandidate]:
    """The image-link snippet when the cursor is right after a ``!`` or ``![`` that starts a word."""
    line_start, line_end = line_bounds(text, offset)
    before = text[line_start:offset]
    for typed in ("![", "!"):
        if not before.endswith(typed):
            continue
        ahead = before[: -len(typed)]
        if ahead and (ahead[-1].isalnum() or ahead[-1] == "\\"):
            return []  # "great!" or an escaped "\!": not the start of an image
        end = offset
        if typed == "![" and offset < line_end and text[offset] == "]":
            end += 1  # the editor's auto-closed bracket
        return [
            CompletionCandidate(
                label="![image](figures/...)",
                insert_text=SNIPPET,
                replace=Span(offset - len(typed), end),
                kind="snippet",
                detail="image link to a file in figures/",
                sort_text="0",
                filter_text=typed,
                snippet=True,
            )
        ]
    return []
