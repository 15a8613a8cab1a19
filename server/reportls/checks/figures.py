"""The checks of the image links: what each shown image link names in the report's folder (a
missing file, another letter case, another extension, outside ``figures/``, a URL, a leading ``/``,
an encoded backslash), images report.py does not count, and image links GitHub does not read.

Plain data in (the ``Report``, a ``FigureFolder`` the caller has listed), ``Finding``s out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from reportls.constraints.table import ConstraintTable
from reportls.files.figures import FigureFolder, has_image_extension
from reportls.findings import (
    ERROR,
    INFORMATION,
    WARNING,
    Finding,
    ImageExtension,
    ImageUrl,
    MisplacedFigure,
    Replacement,
    did_you_mean,
)
from reportls.report.model import Report, Span


def figure_findings(report: Report, folder: FigureFolder | None,
                    table: ConstraintTable | None = None) -> Iterable[Finding]:
    """What is wrong with each shown image link.  ``image-not-counted`` only where counting changes
    something: in a question with an image limit (``table``; every question when it is None)."""
    for f in report.figures:
        if f.hidden:
            continue
        q = report.written_at(f.span.start)
        qn = q.number if q else None
        counts = table is None or (q is not None and table.constraint(q.number).has_images)
        if f.kind != "inline" and q is not None and counts:
            what = "an `<img>` tag" if f.kind == "html" else "a reference-style image `![...][...]`"
            yield Finding(
                "image-not-counted", f.span,
                f"Question {qn}: report.py does not count {what}; write it as `![alt]({f.dest or 'figures/x.png'})` "
                "to have it counted.", INFORMATION, qn,
            )
        if folder is None or (f.kind == "reference" and f.dest == (f.alt or f.dest) and not f.dest_span.end):
            continue
        span = f.finding_span
        yield from _figure_file_findings(folder, f.dest, span, f.span, qn)
    yield from _spaced_image_findings(report, folder)


def _figure_file_findings(folder: FigureFolder, dest: str, span: Span, link_span: Span,
                          qn: int | None) -> Iterable[Finding]:
    """What is wrong with the file one image link names (``span``: its destination)."""
    r = folder.resolve(dest)
    if r.status == "url":
        yield Finding("figure-location", span,
                      f"`{dest}` is a URL; the hand-in only contains files in `{folder.figures}/`, so add the "
                      "image there and link it.", WARNING, qn, ImageUrl(dest, folder.figures))
        return
    if r.status == "empty":
        yield Finding("missing-figure", link_span, "This image link has no file.", ERROR, qn)
        return
    if r.status == "repo-relative":
        if r.path.startswith("/"):
            # GitHub resolves a leading "/" from the repository root: only the hand-in breaks
            message = (f"`{dest}` starts with `/`: GitHub reads it from the repository root, so the image shows "
                       "there, but the hand-in has only the report's folder and the image is broken: "
                       f"write `{r.actual}`.")
        else:
            message = (f"`{dest}` does not exist from the report's folder (it is written from the repository "
                       f"root), so the image is broken on GitHub and in the hand-in: write `{r.actual}`.")
        yield Finding("missing-figure", span, message, ERROR, qn, Replacement(r.actual))
        return
    if r.status == "outside" and r.path.startswith("/") and not r.path.startswith("//"):
        inside = folder.resolve(r.path.lstrip("/"))
        if inside.status in ("ok", "case"):
            # "/figures/a.png" with the image in the report's figures/: GitHub reads "/" from the
            # repository root, the hand-in from nowhere; the file is there, the link is broken
            fixed = inside.actual or inside.path
            yield Finding("missing-figure", span,
                          f"`{dest}` starts with `/`, so GitHub looks for it at the repository root and the "
                          f"hand-in cannot find it: the image is broken in both. Drop the leading `/`: write "
                          f"`{fixed}`.", ERROR, qn,
                          Replacement(fixed, title=f"Drop the leading `/`: link `{fixed}`"))
            return
    if r.status == "outside":
        yield Finding("figure-location", span,
                      f"`{dest}` points outside the report's folder (absolute path or `..`); it will not be "
                      f"in the hand-in. Put the image in `{folder.figures}/` and link `{folder.figures}/...`.",
                      WARNING, qn)
        return
    if r.status == "missing":
        if "\\" in r.path:
            yield _encoded_backslash(folder, dest, r.path, span, qn)
            return
        if not folder.has_figures_folder:
            problem = folder.figures_folder_problem()
            reason = (f"`{folder.figures}/` next to the report {problem}" if problem
                      else f"there is no `{folder.figures}/` folder next to the report")
            yield Finding("missing-figure", span, f"Image file `{r.path}` does not exist: {reason}.", ERROR, qn)
            return
        names = folder.suggestions(r.path)
        yield Finding("missing-figure", span, f"Image file `{r.path}` does not exist.{did_you_mean(names)}", ERROR, qn,
                      Replacement(None, tuple(names)))
        return
    if r.status == "case":
        yield Finding("figure-case", span,
                      f"`{r.path}` exists only as `{r.actual}` (different letter case): it works on Windows "
                      "and macOS but breaks on Linux and in the hand-in.", ERROR, qn, Replacement(r.actual))
    real = r.actual or r.path
    if not has_image_extension(real):
        ext = real.rsplit(".", 1)[-1].lower() if "." in real.rsplit("/", 1)[-1] else ""
        yield Finding("figure-extension", span,
                      f"`{real}` is not a .png, .jpg or .jpeg file, as the template asks.", WARNING, qn,
                      ImageExtension(ext))
    if not real.startswith(folder.figures + "/"):
        # inside the report's folder, so handed in and shown: only the template's convention is broken
        move_to = f"{folder.figures}/{real.rsplit('/', 1)[-1]}"
        yield Finding("figure-location", span,
                      f"`{real}` is not in the report's `{folder.figures}/` folder, where the template asks for "
                      f"figures; it is handed in with the report, so it is shown: move it to `{move_to}` to "
                      "follow the template.", INFORMATION, qn, MisplacedFigure(real, move_to))


def backslash_fixed(folder: FigureFolder, path: str, *, files_only: bool) -> str | None:
    """``figures%5Cx.png`` (a Windows path, encoded; no browser reads ``%5C`` as a folder separator):
    the path with its backslashes read as ``/``, as ``folder`` spells it, when that names something
    there (a file, with ``files_only``); None otherwise."""
    slashed = posixpath.normpath(path.replace("\\", "/"))
    found = folder.find(slashed)
    if found.status == "missing" or (files_only and found.is_dir):
        return None
    return found.actual or slashed


def backslash_message(dest: str, name: str, what: str) -> str:
    """Why ``dest``, with an encoded backslash, is broken (``what``: "image" or "link")."""
    return (f"`{dest}` has an encoded backslash (`%5C`), which GitHub and browsers keep as part of the {name}, "
            f"not as a folder separator: the {what} is broken on GitHub and in the hand-in.")


def _encoded_backslash(folder: FigureFolder, dest: str, path: str, span: Span, qn: int | None) -> Finding:
    message = backslash_message(dest, "file name", "image")
    fixed = backslash_fixed(folder, path, files_only=True)
    if fixed is None:
        return Finding("missing-figure", span, message, ERROR, qn)
    return Finding("missing-figure", span, f"{message} Write `{fixed}`.", ERROR, qn,
                   Replacement(fixed))


def _spaced_image_findings(report: Report, folder: FigureFolder | None) -> Iterable[Finding]:
    """``![x](figures/cloud bill.png)``: an unencoded space.  CommonMark (GitHub, VS Code) reads no
    image there and shows the text; report.py counts it and Python-Markdown (the hand-in) shows it.
    Fix: ``<figures/cloud bill.png>``, which both read as the image."""
    text = report.text
    parsed = {f.span.start for f in report.figures if f.kind == "inline"}
    for m in re.finditer(r"!\[[^\]\n]*\]\((?P<dest>[^()<>\n]*)\)", text):
        if m.start() in parsed:
            continue
        raw = m.group("dest")
        title = re.search(r"\s+(?:\"[^\"]*\"|'[^']*')\s*$", raw)
        dest = (raw[: title.start()] if title else raw).strip()
        if not dest or not any(ch in dest for ch in " \t") or report.hidden_kind(m.start()):
            continue
        start = m.start("dest") + raw.index(dest)
        span = Span(start, start + len(dest))
        q = report.written_at(m.start())
        qn = q.number if q else None
        yield Finding("figure-syntax", span,
                      f"`{dest}` has a space: GitHub does not read this as an image and shows the text instead "
                      f"(the hand-in shows the image). Write `<{dest}>` (or `%20` for the space).",
                      WARNING, qn, Replacement(f"<{dest}>"))
        if folder is not None:
            yield from _figure_file_findings(folder, dest, span, Span(m.start(), m.end()), qn)
