"""The quick fix for ``figure-ignored``: an edit of the ignore file whose rule keeps new figures out
of git, so that the figures folder is no longer ignored, without changing what any rule means for
files outside the report's folder.

Owns the edit and its verification.  The edit only *inserts* lines, right after the offending one,
and every inserted pattern is anchored (starts with ``/`` or ``!/``), so it cannot reach outside the
folder it names.  Candidates, smallest first:

1. ``!/reports/figures/**``: re-include what is inside the folder (``*.png``, ``reports/figures/*``,
   ``reports/figures/**``, ``reports/**/*.png``).
2. When the rule excludes the folder itself or a folder above it, a negation of a file cannot help
   (git never looks inside an excluded folder: ``reports`` + ``!reports/README.md`` does not work),
   so the folders are re-included one level at a time, the other children of each level staying
   excluded: ``!/reports/``, ``/reports/*``, ``!/reports/figures/``.
3. Both.

Each candidate is checked with ``git check-ignore`` in a scratch repository (``git init`` in a
temporary folder, the ignore files recreated at the same relative paths, probe files created): a new
file in the figures folder must no longer be ignored by that rule, and every probe outside the
report's folder (the repository's ignored and untracked files, a sample of tracked ones, synthetic
names such as ``x.png``, ``data/x.png``, ``src/reports/figures/x.png``) must keep its ignored or
not-ignored state.  The first candidate that passes is taken; when another rule then still ignores
the folder it is fixed the same way (a few rounds).  No fix (None) when nothing verifies, when a
rule in a global excludes file (``core.excludesFile``, outside the repository) decides, or when git
cannot be run.  The real repository is only read; its ignore files are read as regular files only
(``files.diskfile``).  git runs through ``git.run`` (nothing the repository configures runs).
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
from collections.abc import Iterable
from reportls.text.records import field, record, replace
from pathlib import Path

from reportls.files.diskfile import MAX_SOURCE_BYTES, read_regular_file
from reportls.git.ignore import NEW_FIGURE_PROBE, IgnoreRule, classify_rule, parse_check_ignore
from reportls.git.repository import RepoLocation, is_under, join_path, locate_repository
from reportls.git.run import Budget, git_output, nul_fields, side_by_side

FIX_TIMEOUT = 5.0  # seconds for the whole proposal (a code action, not the keystroke path)
MAX_ROUNDS = 4  # rules fixed one after another
MAX_PROBES_PER_KIND = 300
INFO_EXCLUDE = ".git/info/exclude"


@record(frozen=True)
class Insertion:
    """Text to insert into an ignore file at (0-based ``line``, ``character`` in UTF-16 code units),
    as an LSP ``TextEdit`` with an empty range would."""

    line: int
    character: int
    text: str


@record(frozen=True)
class IgnoreFileEdit:
    """The change to one ignore file: ``new_text`` replaces ``old_text`` (the whole file), the same
    as applying ``insertions``; ``added_lines`` are the inserted patterns, for the fix's title."""

    path: Path
    source: str  # as check-ignore names it: ".gitignore", "reports/.gitignore", ".git/info/exclude"
    old_text: str
    new_text: str
    insertions: tuple[Insertion, ...]
    added_lines: tuple[str, ...]


@record(frozen=True)
class IgnoreFix:
    figures_folder: str  # root-relative
    rules: tuple[IgnoreRule, ...]  # the rules this un-ignores, in the order they were fixed
    edits: tuple[IgnoreFileEdit, ...]

    @property
    def title(self) -> str:
        """``Stop ignoring reports/figures/: add !/reports/figures/** to .gitignore``"""
        changes = "; ".join(f"add {' '.join(e.added_lines)} to {e.source}" for e in self.edits)
        return f"Stop ignoring {self.figures_folder}/: {changes}"


def propose_ignore_fix(root: Path, figures_folder: str, rule: IgnoreRule, *, report_folder: str | None = None,
                       also_include: Iterable[str] = (), timeout: float = FIX_TIMEOUT) -> IgnoreFix | None:
    """A verified edit so that new files in ``figures_folder`` (root-relative, e.g.
    "reports/figures") are no longer ignored; ``rule`` is the one the facts name (a rule in a global
    excludes file gets None).  ``report_folder`` (default: the figures folder's parent) is where
    meanings may change; ``also_include``: more root-relative paths that must end up not ignored."""
    budget = Budget(timeout)  # each git run at most GIT_CALL_TIMEOUT
    location = locate_repository(Path(root), budget)
    if location is None or _rule_kind(rule, location) == "global":
        return None
    figures_folder = figures_folder.strip("/")
    if not figures_folder:
        return None
    report_folder = posixpath.dirname(figures_folder) if report_folder is None else report_folder.strip("/")
    protected_region = report_folder or figures_folder
    must = [figures_folder + "/", join_path(figures_folder, NEW_FIGURE_PROBE), *also_include]
    protected = [p for p in _protected_probes(location, figures_folder, budget)
                 if not is_under(p.rstrip("/"), protected_region)]
    with tempfile.TemporaryDirectory(prefix="reportls-ignore-") as tmp:
        scratch = _Scratch.create(location, Path(tmp), must + protected, budget)
        if scratch is None:
            return None
        return _fix_in(scratch, figures_folder, [p for p in must if p in scratch.probes],
                       [p for p in protected if p in scratch.probes])


def _rule_kind(rule: IgnoreRule, location: RepoLocation) -> str:
    if rule.path is not None and rule.kind:
        return rule.kind
    return classify_rule(rule.source, rule.line, rule.pattern, location).kind


def _fix_in(scratch: _Scratch, figures_folder: str, must: list[str],
            protected: list[str]) -> IgnoreFix | None:
    baseline = scratch.ignored(protected)
    if baseline is None:
        return None
    fixed: list[IgnoreRule] = []
    for _ in range(MAX_ROUNDS):
        decided = scratch.first_ignored(must)
        if decided is None:
            return None  # git did not answer
        if decided is False:
            return _result(scratch, figures_folder, fixed) if fixed else None
        source, line, pattern = decided
        origin = scratch.origin(source, line)
        if origin is None or origin[0] not in scratch.files:
            return None  # a global excludes file (or our own line, which verification rules out)
        key, original_line = origin
        kind = "info-exclude" if key == INFO_EXCLUDE else "gitignore"
        fixed.append(IgnoreRule(key, original_line, pattern, kind, scratch.files[key].real_path))
        if not _apply_first_verified(scratch, key, original_line, figures_folder, must, protected, baseline):
            return None
    return None


def _apply_first_verified(scratch: _Scratch, key: str, line: int, figures_folder: str, must: list[str],
                          protected: list[str], baseline: set[str]) -> bool:
    """Insert the first candidate after ``line`` of file ``key`` that verifies; False if none does."""
    current = scratch.files[key]
    if not is_under(figures_folder, current.base):
        return False
    for lines in candidate_lines(current.base, figures_folder):
        scratch.write(current.with_insertion(line, lines))
        if _verified(scratch, (key, line), must, protected, baseline):
            return True
    scratch.write(current)
    return False


def _verified(scratch: _Scratch, fixed: tuple[str, int], must: list[str], protected: list[str],
              baseline: set[str]) -> bool:
    decisions = scratch.decide(must + protected)
    if decisions is None:
        return False
    for path in must:
        decided = decisions.get(path)
        if decided is not None and scratch.origin(decided[0], decided[1]) in (None, fixed):
            return False  # still ignored by that rule, or by a line the candidate added
    return {p for p in protected if decisions.get(p)} == baseline


def candidate_lines(base: str, figures_folder: str) -> list[tuple[str, ...]]:
    """The patterns to insert, smallest first, for an ignore file whose patterns are relative to
    ``base`` (root-relative folder, "" for the root's ``.gitignore`` and ``.git/info/exclude``)."""
    rel = figures_folder[len(base):].strip("/") if base else figures_folder
    if not rel:
        return [("!*",)]  # the ignore file is in the figures folder itself
    parts = rel.split("/")

    def anchored(depth: int) -> str:
        return "/".join(escape_pattern(p) for p in parts[:depth])

    everything = f"!/{anchored(len(parts))}/**"
    candidates: list[tuple[str, ...]] = [(everything,)]
    for start in range(len(parts), 0, -1):  # re-include from the folder itself upwards
        chain: list[str] = []
        for depth in range(start, len(parts) + 1):
            chain.append(f"!/{anchored(depth)}/")
            if depth < len(parts):
                chain.append(f"/{anchored(depth)}/*")
        candidates += [tuple(chain), (*chain, everything)]
    return candidates


def escape_pattern(name: str) -> str:
    """A file name as a literal gitignore pattern component."""
    escaped = re.sub(r"([\\*?\[])", r"\\\1", name)
    return escaped[:-1] + "\\ " if escaped.endswith(" ") else escaped


def _result(scratch: _Scratch, figures_folder: str, fixed: list[IgnoreRule]) -> IgnoreFix:
    edits = tuple(f.edit() for f in scratch.files.values() if f.inserted)
    return IgnoreFix(figures_folder, tuple(fixed), edits)


# ---------------------------------------------------------------------------------------------
# an ignore file and the lines inserted into it


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")  # git splits ignore files on "\n" only


@record(frozen=True)
class _IgnoreFile:
    real_path: Path
    source: str  # its name in the scratch repository (and in check-ignore's output there)
    base: str  # the root-relative folder its patterns are relative to
    original: str
    inserted: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (after original line, patterns)
    newline: str = field(default="\n")

    @classmethod
    def read(cls, real_path: Path, source: str, base: str) -> _IgnoreFile | None:
        try:  # a regular file only, never blocking (a FIFO named .gitignore cannot hang the fix)
            text = read_regular_file(real_path, MAX_SOURCE_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return cls(real_path, source, base, text, newline="\r\n" if "\r\n" in text else "\n")

    def with_insertion(self, after_line: int, lines: tuple[str, ...]) -> _IgnoreFile:
        return replace(self, inserted=(*self.inserted, (after_line, lines)))

    def _chunks(self) -> list[str]:
        return _LINE.findall(self.original)

    def render(self) -> tuple[str, list[int | None]]:
        """The edited text and, per line of it, the original line number (None: inserted)."""
        chunks = self._chunks()
        groups: dict[int, list[str]] = {}
        for after, lines in self.inserted:
            groups.setdefault(after, []).extend(lines)
        out: list[str] = []
        origins: list[int | None] = []

        def insert(after: int) -> None:
            for line in groups.get(after, ()):
                if out and not out[-1].endswith("\n"):
                    out[-1] += self.newline
                out.append(line + self.newline)
                origins.append(None)

        insert(0)
        for number, chunk in enumerate(chunks, start=1):
            out.append(chunk)
            origins.append(number)
            insert(number)
        for after in sorted(a for a in groups if a > len(chunks)):
            insert(after)
        return "".join(out), origins

    def edit(self) -> IgnoreFileEdit:
        chunks = self._chunks()
        groups: dict[int, list[str]] = {}
        for after, lines in self.inserted:
            groups.setdefault(min(after, len(chunks)), []).extend(lines)
        insertions = []
        for after, lines in sorted(groups.items()):
            text = "".join(line + self.newline for line in lines)
            if after and not chunks[after - 1].endswith("\n"):  # after a last line without newline
                last = chunks[after - 1]
                end = len(last.encode("utf-16-le")) // 2
                insertions.append(Insertion(after - 1, end, self.newline + text))
            else:
                insertions.append(Insertion(after, 0, text))
        added = tuple(line for _, lines in sorted(groups.items()) for line in lines)
        new_text = self.render()[0]
        return IgnoreFileEdit(self.real_path, self.source, self.original, new_text, tuple(insertions), added)


# ---------------------------------------------------------------------------------------------
# the scratch repository


class _Scratch:
    """A fresh repository in a temporary folder with the real ignore files at the same relative
    paths and the probe paths created (folders for paths ending in ``/``, empty files otherwise)."""

    def __init__(self, root: Path, budget: Budget, excludes_file: str | None, files: dict[str, _IgnoreFile],
                 probes: list[str]):
        self.root = root
        self.budget = budget
        self.excludes_file = excludes_file
        self.files = files
        self.probes = probes
        self._origins: dict[str, list[int | None]] = {}

    @classmethod
    def create(cls, location: RepoLocation, directory: Path, probes: list[str],
               budget: Budget) -> _Scratch | None:
        root = directory / "repo"
        made, out = side_by_side(
            lambda: git_output(["-c", "init.defaultBranch=main", "init", "-q", "--template=", str(root)],
                               directory, budget),
            lambda: git_output(["config", "--path", "--get", "core.excludesFile"], location.root, budget),
        )
        if made is None:
            return None
        excludes = os.fsdecode(out).strip() if out else None
        files = _read_ignore_files(location, probes)
        created = [p for p in probes if _create_probe(root, p, files)]
        scratch = cls(root, budget, excludes or None, files, created)
        for file in files.values():
            scratch.write(file)
        return scratch

    def write(self, file: _IgnoreFile) -> None:
        text, origins = file.render()
        info_exclude = self.root / ".git" / "info" / "exclude"
        target = info_exclude if file.source == INFO_EXCLUDE else self.root / file.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        self.files[file.source] = file
        self._origins[file.source] = origins

    def origin(self, source: str, line: int) -> tuple[str, int] | None:
        """(file, original line) of a line check-ignore names; None for an inserted line; a file
        that is not ours (a global excludes file) gives its own name and line."""
        if source not in self._origins:
            return source, line
        origins = self._origins[source]
        number = origins[line - 1] if 0 < line <= len(origins) else None
        return None if number is None else (source, number)

    def decide(self, paths: list[str]) -> dict[str, tuple[str, int, str] | None] | None:
        config = ["-c", f"core.excludesFile={self.excludes_file}"] if self.excludes_file else []
        stdin = b"".join(os.fsencode(p) + b"\0" for p in paths)
        out = git_output([*config, "check-ignore", "-v", "-z", "--stdin", "--non-matching"], self.root,
                         self.budget, ok=(0, 1), stdin=stdin)
        return None if out is None else parse_check_ignore(out)

    def ignored(self, paths: list[str]) -> set[str] | None:
        decisions = self.decide(paths)
        return None if decisions is None else {p for p in paths if decisions.get(p)}

    def first_ignored(self, paths: list[str]) -> tuple[str, int, str] | bool | None:
        """The rule deciding the first ignored path, False when none is ignored, None on failure."""
        decisions = self.decide(paths)
        if decisions is None:
            return None
        return next((d for p in paths if (d := decisions.get(p))), False)


def _read_ignore_files(location: RepoLocation, probes: list[str]) -> dict[str, _IgnoreFile]:
    """The ``.gitignore`` files of every folder holding a probe, and ``info/exclude``."""
    folders = {""}
    for probe in probes:
        parts = probe.rstrip("/").split("/")[:-1] if not probe.endswith("/") else probe.rstrip("/").split("/")
        folders.update("/".join(parts[:depth]) for depth in range(len(parts) + 1))
    files: dict[str, _IgnoreFile] = {}
    for folder in sorted(folders):
        source = join_path(folder, ".gitignore")
        path = location.root / source
        if file := _IgnoreFile.read(path, source, folder):
            files[source] = file
    exclude = location.common_dir / "info" / "exclude"
    if file := _IgnoreFile.read(exclude, INFO_EXCLUDE, ""):
        files[INFO_EXCLUDE] = file
    return files


def _create_probe(root: Path, probe: str, files: dict[str, _IgnoreFile]) -> bool:
    name = probe.rstrip("/")
    if not name or name in files or name == ".git" or name.startswith(".git/") or "/.git/" in f"/{name}/":
        return False
    target = root / name
    try:
        if probe.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.touch()
        return target.is_dir() == probe.endswith("/")
    except (OSError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# probes: paths whose ignored state the fix must not change


def _protected_probes(location: RepoLocation, figures_folder: str, budget: Budget) -> list[str]:
    """The repository's ignored and untracked paths, a sample of its tracked ones (three levels
    deep), and synthetic names near the figures folder's names."""
    listings = [
        ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
        ["ls-files", "-z", "--others", "--exclude-standard", "--directory"],
        ["ls-files", "-z", "--cached", "--", ":(glob)*", ":(glob)*/*", ":(glob)*/*/*"],
    ]
    probes: list[str] = []
    for out in side_by_side(*[lambda args=args: git_output(args, location.root, budget) for args in listings]):
        probes += nul_fields(out)[:MAX_PROBES_PER_KIND] if out is not None else []
    probes += synthetic_probes(figures_folder)
    return list(dict.fromkeys(p for p in probes if p and "\n" not in p))


def synthetic_probes(figures_folder: str) -> list[str]:
    """Paths that a rule about the figures folder's names (or image files) might also match."""
    parts = figures_folder.split("/")
    folders = ["", "data", "src", "docs", "outputs/runs"]
    for i, part in enumerate(parts):
        tail = "/".join(parts[i:])
        folders += [tail, f"src/{tail}", f"other/{tail}", f"{part}2", f"src/{part}"]
    names = ["x.png", "x.jpg", "x.txt", "README.md"]
    files = [join_path(folder, name) for folder in folders for name in names]
    return files + [f"{folder}/" for folder in folders if folder]
