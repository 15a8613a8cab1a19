"""Figure files: listing the report's folder and resolving image links against it.

Owns the folder listings the core reads through: a ``FigureFolder`` is made and invalidated by the
owner of I/O (the session, the CLI's inputs) and handed to the core, which reads it only through
``listing``/``resolve``/``find``/``suggestions``.  A listing is read on first use, one ``scandir``
of one folder, then kept until the owner invalidates it (a watched-file event, a re-open): a
keystroke lists nothing the previous one did not, and only the folders links name are listed.  Names are compared with the real directory
listing (case-sensitive), never with ``exists()``, so a ``Figures/A.PNG`` link to ``figures/a.png``
is caught on macOS and Windows as on Linux.  Nothing outside the folder a ``FigureFolder`` is made
for (the report's folder; for the link checks also the repository's work tree) is ever listed or
resolved; symlinks that point outside it are not followed.  ``find`` answers for files and folders
(link targets), ``resolve`` for figure files only.
"""

from __future__ import annotations

import os
import posixpath
from reportls.text.records import record
from pathlib import Path
from urllib.parse import unquote

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
MAX_LISTED = 5000


@record(frozen=True, slots=True)
class LinkTarget:
    """What an image link's destination points at, in the report's folder.

    ``status``: "ok", "case" (exists only with other letter case; ``actual`` is the real relative
    path), "missing", "outside" (absolute, ``..`` escaping the folder, symlink outside), "url",
    "repo-relative" (written from the repository root; ``actual`` is the report-relative path when
    that file exists) or "empty".
    """

    status: str
    path: str  # the decoded path relative to the report folder (posix), as far as it resolves
    actual: str | None = None
    absolute: Path | None = None


@record(frozen=True, slots=True)
class Found:
    """What ``FigureFolder.find`` sees at a path: ``status`` "ok", "case" (only with other letter
    case; ``actual`` is the real path) or "missing"; ``is_dir`` for a folder."""

    status: str
    actual: str | None = None
    is_dir: bool = False


class FigureFolder:
    """Cached directory listings under one report folder."""

    def __init__(self, report_dir: Path, figures: str = "figures"):
        self.root = Path(report_dir)
        self.figures = figures.strip("/") or "figures"
        self._listings: dict[str, dict[str, bool] | None] = {}
        self._resolved: dict[str, LinkTarget] = {}
        self._suggested: dict[str, list[str]] = {}
        self._names: NameIndex | None = None
        self._found: dict[str, Found] = {}
        self._near: dict[tuple[str, int], list[str]] = {}
        self._indexes: dict[tuple[str, bool], NameIndex] = {}
        self._root_real = os.path.realpath(self.root)
        self._unlisted: dict[str, str] = {}  # rel_dir -> why it exists but was not listed

    @property
    def real_root(self) -> str:
        """The root with its symlinks resolved (read once, when the folder was made)."""
        return self._root_real

    def invalidate(self) -> None:
        """Forget every listing and what was derived from them (the watcher saw a change)."""
        self._listings.clear()
        self._unlisted.clear()
        self._resolved.clear()
        self._suggested.clear()
        self._names = None
        self._found.clear()
        self._near.clear()
        self._indexes.clear()

    @property
    def has_figures_folder(self) -> bool:
        return self.listing(self.figures) is not None

    def figures_folder_problem(self) -> str | None:
        """Why the figures folder cannot be listed, in words after its name ("is not a folder",
        "cannot be read (Permission denied)"), or None when it can be listed or simply does not
        exist (see ``has_figures_folder``)."""
        if self.listing(self.figures) is not None:
            return None
        return self._unlisted.get(self.figures)

    def suggestions(self, path: str) -> list[str]:
        """Existing figures whose names are close to the missing ``path``, computed once per
        (path, listing): a keystroke never re-scores the folder."""
        hit = self._suggested.get(path)
        if hit is None:
            if len(self._suggested) >= MAX_LISTED:
                self._suggested.clear()
            if self._names is None:
                self._names = NameIndex(self.figure_files())
            hit = self._suggested[path] = self._names.closest(path)
        return hit

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
        except (FileNotFoundError, ValueError):
            result = None
        except NotADirectoryError:
            result = None
            self._unlisted[rel_dir] = "is not a folder"
        except OSError as e:
            result = None
            self._unlisted[rel_dir] = f"cannot be read ({e.strerror or e})"
        self._listings[rel_dir] = result
        return result

    def existing_file(self, path: Path) -> Path | None:
        """``path`` with its symlinks resolved when it names a file, else None (the hover's
        picture of a figure: one look-up, when a hover asks)."""
        try:
            return path.resolve() if path.is_file() else None
        except (OSError, ValueError):
            return None

    def resolve(self, dest: str) -> LinkTarget:
        """What ``dest`` points at (memoized until the listings are invalidated)."""
        hit = self._resolved.get(dest)
        if hit is None:
            if len(self._resolved) >= MAX_LISTED:
                self._resolved.clear()
            hit = self._resolved[dest] = self._resolve(dest)
        return hit

    def _resolve(self, dest: str) -> LinkTarget:
        raw = dest.strip()
        if not raw:
            return LinkTarget("empty", "")
        lower = raw.lower()
        if "://" in raw or lower.startswith(("data:", "mailto:", "//")):
            return LinkTarget("url", raw)
        path = _decode(raw)
        if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
            stripped = path.lstrip("/")
            # "/reports/figures/x.png": written from the repository root
            hit = self._repo_relative(stripped)
            return LinkTarget("repo-relative" if hit else "outside", path, hit)
        norm = posixpath.normpath(path)
        if norm == ".." or norm.startswith("../"):
            hit = self._repo_relative(norm.lstrip("./")) if norm.startswith("../") else None  # "../reports/x"
            return LinkTarget("outside", path, hit)
        if norm == ".":
            return LinkTarget("missing", path)
        status, actual = self._lookup(norm)
        if status == "missing":
            hit = self._repo_relative(norm)
            if hit:
                return LinkTarget("repo-relative", norm, hit)
        return LinkTarget(status, norm, actual, self.root / (actual or norm) if status != "missing" else None)

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

    def find(self, path: str) -> Found:
        """Any file *or folder* at the root-relative posix ``path`` (already decoded and normalized;
        "" is the root itself), by the same case-sensitive walk as ``resolve``; memoized until the
        listings are invalidated.  For links to documents and folders, where a folder is a target."""
        hit = self._found.get(path)
        if hit is None:
            if len(self._found) >= MAX_LISTED:
                self._found.clear()
            if path in ("", "."):
                hit = Found("ok" if self.listing("") is not None else "missing", "", True)
            elif _escapes(path):
                hit = Found("missing")
            else:
                status, actual = self._lookup(path, folders=True)
                is_dir = status != "missing" and self.listing(actual or path) is not None
                hit = Found(status, actual, is_dir)
            self._found[path] = hit
        return hit

    def closest_in_folder(self, path: str, limit: int = 3) -> list[str]:
        """Existing root-relative paths close to the missing ``path``: each component that does not
        exist is replaced by the closest name in its folder (folders for all but the last), with
        ``NameIndex`` (one per listing).  [] when some component has no close name."""
        hit = self._near.get((path, limit))
        if hit is not None:
            return hit
        if _escapes(path):
            return []
        parts = [p for p in path.split("/") if p]
        real: list[str] = []
        out: list[str] = []
        for i, part in enumerate(parts):
            rel = "/".join(real)
            listing = self.listing(rel)
            if listing is None:
                break
            last = i == len(parts) - 1
            if part in listing and (last or listing[part]):
                real.append(part)
                continue
            key = (rel, last)
            index = self._indexes.get(key)
            if index is None:
                names = [n for n, is_dir in listing.items() if last or is_dir]
                index = self._indexes[key] = NameIndex(names[:MAX_LISTED])
            names = index.closest(part, limit if last else 1)
            if not names:
                break
            if last:
                out = ["/".join([*real, n]) for n in names]
                break
            real.append(names[0])
        if len(self._near) >= MAX_LISTED:
            self._near.clear()
        self._near[(path, limit)] = out
        return out

    def _lookup(self, norm: str, folders: bool = False) -> tuple[str, str | None]:
        """("ok"|"case"|"missing", real relative path) by walking the listings component-wise; a
        folder counts only when ``folders`` is true."""
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
        if not folders and self.listing("/".join(real[:-1])).get(real[-1]):  # a folder, not a file
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


def _escapes(path: str) -> bool:
    """Would ``path`` leave the root (``..``, absolute)?  Such paths are never listed."""
    return path.startswith("/") or ".." in path.split("/")


SIMILARITY_CUTOFF = 0.6


def _stem(path: str) -> tuple[str, str]:
    """(lower-case name without extension, lower-case extension) of a path's last component."""
    name = posixpath.basename(path).lower()
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot and stem else (name, "")


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


BIGRAM_CUTOFF = 0.25  # names sharing fewer pairs of letters than this (Dice) are not scored


class NameIndex:
    """Figure paths prepared once per listing for "did you mean": each name's lower-case stem,
    extension and letter pairs."""

    def __init__(self, candidates: list[str]):
        self.entries = [(c, stem, ext, _bigrams(stem)) for c in candidates for stem, ext in (_stem(c),)]

    def closest(self, target: str, limit: int = 3) -> list[str]:
        """The candidates whose *names* are really close to ``target``'s: file names without
        their folder and extension, compared case-insensitively, a similarity of at least
        ``SIMILARITY_CUTOFF``, the same extension first; none rather than noise (``wandb_1.png``
        suggests ``wandb-1.png`` or ``wandb_1.jpg``, never ``arch.png``).  Names sharing few
        letter pairs with the target are skipped before the (costly) sequence comparison."""
        import difflib

        stem, ext = _stem(target)
        if not stem:
            return []
        grams = _bigrams(stem)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(stem)
        scored = []
        for c, c_stem, c_ext, c_grams in self.entries:
            if grams and c_grams and 2 * len(grams & c_grams) < BIGRAM_CUTOFF * (len(grams) + len(c_grams)):
                continue
            matcher.set_seq1(c_stem)
            if matcher.real_quick_ratio() < SIMILARITY_CUTOFF or matcher.quick_ratio() < SIMILARITY_CUTOFF:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_CUTOFF:
                scored.append((c_ext != ext, -ratio, c))
        return [c for *_, c in sorted(scored)[:limit]]


def closest_names(target: str, candidates: list[str], limit: int = 3) -> list[str]:
    """``NameIndex(candidates).closest(target, limit)``, for a one-off question."""
    return NameIndex(candidates).closest(target, limit)


def _decode(dest: str) -> str:
    """A destination as a path: query and fragment dropped, a typed ``\\`` read as ``/`` (as browsers
    do), then %-escapes decoded.  An encoded backslash (``%5C``) stays a backslash: GitHub and browsers
    keep it as part of the file name, so ``figures%5Cx.png`` is not ``figures/x.png``."""
    return unquote(dest.strip().split("#", 1)[0].split("?", 1)[0].replace("\\", "/"))


decode_dest = _decode


def normalize_dest(dest: str) -> str:
    """A link destination as a report-relative path: decoded, ``./`` and ``a/../`` folded."""
    path = _decode(dest)
    return posixpath.normpath(path) if path else ""


def linked_paths(links) -> set[str]:
    """Report-relative paths of the figures shown in the report (links in code are not shown)."""
    return {normalize_dest(f.dest) for f in links if not f.hidden}


def has_image_extension(path: str) -> bool:
    return path.lower().endswith(IMAGE_EXTENSIONS)
