"""Figure files: listing the report's folder and resolving image links against it.

Owns every file-system look-up the core makes.  Names are compared with the real directory
listing (case-sensitive), never with ``exists()``, so a ``Figures/A.PNG`` link to ``figures/a.png``
is caught on macOS and Windows as on Linux.  Nothing outside the report's folder is ever listed or
resolved; symlinks that point outside it are not followed.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
LISTABLE_EXTENSIONS = IMAGE_EXTENSIONS + (".gif", ".svg", ".webp", ".bmp")
MAX_LISTED = 5000


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a link destination points at.

    ``status``: "ok", "case" (exists only with other letter case; ``actual`` is the real relative
    path), "missing", "outside" (absolute, ``..`` escaping the folder, symlink outside), "url",
    "repo-relative" (written from the repository root; ``actual`` is the report-relative path when
    that file exists) or "empty".
    """

    status: str
    path: str  # the decoded path relative to the report folder (posix), as far as it resolves
    actual: str | None = None
    absolute: Path | None = None


class FigureFolder:
    """Cached directory listings under one report folder."""

    def __init__(self, report_dir: Path, figures: str = "figures"):
        self.root = Path(report_dir)
        self.figures = figures.strip("/") or "figures"
        self._listings: dict[str, dict[str, bool] | None] = {}
        self._root_real = os.path.realpath(self.root)

    def invalidate(self) -> None:
        self._listings.clear()

    def _inside(self, real: str) -> bool:
        return real == self._root_real or real.startswith(self._root_real + os.sep)

    def listing(self, rel_dir: str) -> dict[str, bool] | None:
        """Names in ``rel_dir`` (posix, relative to the root) -> is_dir; None if not a folder."""
        if rel_dir in self._listings:
            return self._listings[rel_dir]
        path = self.root / rel_dir if rel_dir else self.root
        result: dict[str, bool] | None
        try:
            if os.path.islink(path) and not self._inside(os.path.realpath(path)):
                result = None
            else:
                result = {}
                with os.scandir(path) as it:
                    for entry in it:
                        if entry.is_symlink() and not self._inside(os.path.realpath(entry.path)):
                            continue
                        try:
                            result[entry.name] = entry.is_dir()
                        except OSError:
                            continue
        except OSError:
            result = None
        self._listings[rel_dir] = result
        return result

    def resolve(self, dest: str) -> Resolution:
        raw = dest.strip()
        if not raw:
            return Resolution("empty", "")
        lower = raw.lower()
        if "://" in raw or lower.startswith(("data:", "mailto:", "//")):
            return Resolution("url", raw)
        path = _decode(raw)
        if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
            stripped = path.lstrip("/")
            # "/reports/figures/x.png": written from the repository root
            hit = self._repo_relative(stripped)
            return Resolution("repo-relative" if hit else "outside", path, hit)
        norm = posixpath.normpath(path)
        if norm == ".." or norm.startswith("../"):
            hit = self._repo_relative(norm.lstrip("./")) if norm.startswith("../") else None  # "../reports/x"
            return Resolution("outside", path, hit)
        if norm == ".":
            return Resolution("missing", path)
        status, actual = self._lookup(norm)
        if status == "missing":
            hit = self._repo_relative(norm)
            if hit:
                return Resolution("repo-relative", norm, hit)
        return Resolution(status, norm, actual, self.root / (actual or norm) if status != "missing" else None)

    def _repo_relative(self, path: str) -> str | None:
        """If ``path`` names the report folder from the repo root ("reports/figures/x.png"), the
        report-relative path of the existing file, else None."""
        parts = path.split("/")
        name = self.root.name
        for i, part in enumerate(parts[:-1]):
            if part == name:
                rest = "/".join(parts[i + 1 :])
                if rest:
                    status, actual = self._lookup(posixpath.normpath(rest))
                    if status == "ok":
                        return rest
                    if status == "case":
                        return actual
        return None

    def _lookup(self, norm: str) -> tuple[str, str | None]:
        """("ok"|"case"|"missing", real relative path) by walking the listings component-wise."""
        parts = norm.split("/")
        real: list[str] = []
        case_differs = False
        for i, part in enumerate(parts):
            listing = self.listing("/".join(real))
            if listing is None:
                return "missing", None
            last = i == len(parts) - 1
            if part in listing and (last or listing[part]):
                real.append(part)
                continue
            folded = [n for n, is_dir in listing.items() if n.lower() == part.lower() and (last or is_dir)]
            if not folded:
                return "missing", None
            real.append(sorted(folded)[0])
            case_differs = True
        if self.listing("/".join(real[:-1])).get(real[-1]):  # a folder, not a file
            return "missing", None
        return ("case" if case_differs else "ok"), "/".join(real)

    def figure_files(self) -> list[str]:
        """Every file under the figures folder (recursive), as report-relative posix paths."""
        out: list[str] = []
        stack = [self.figures]
        while stack and len(out) < MAX_LISTED:
            rel = stack.pop()
            listing = self.listing(rel)
            if listing is None:
                continue
            for name, is_dir in sorted(listing.items()):
                child = f"{rel}/{name}"
                if is_dir:
                    stack.append(child)
                else:
                    out.append(child)
        return sorted(out)

    def entries(self, rel_dir: str) -> dict[str, bool] | None:
        """Listing of a folder inside the report folder (for path completion); None outside."""
        norm = posixpath.normpath(rel_dir) if rel_dir else ""
        if norm in (".", ""):
            norm = ""
        if norm.startswith("..") or norm.startswith("/"):
            return None
        return self.listing(norm)


def closest_names(target: str, candidates: list[str], limit: int = 3) -> list[str]:
    """The candidates most similar to ``target`` (for "did you mean" fixes)."""
    import difflib

    by_name = difflib.get_close_matches(target, candidates, n=limit, cutoff=0.5)
    if by_name:
        return by_name
    base = posixpath.basename(target).lower()
    return [c for c in candidates if posixpath.basename(c).lower() == base][:limit]


def _decode(dest: str) -> str:
    """A destination as a path: query and fragment dropped, %-escapes decoded, ``\\`` as ``/``."""
    return unquote(dest.strip().split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")


def normalize_dest(dest: str) -> str:
    """A link destination as a report-relative path: decoded, ``./`` and ``a/../`` folded."""
    path = _decode(dest)
    return posixpath.normpath(path) if path else ""


def linked_paths(links) -> set[str]:
    """Report-relative paths of the figures shown in the report (links in code are not shown)."""
    return {normalize_dest(f.dest) for f in links if not f.hidden}


def has_image_extension(path: str) -> bool:
    return path.lower().endswith(IMAGE_EXTENSIONS)
