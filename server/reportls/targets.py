"""What the PATH arguments of ``reportls check`` name, and checking one of them.

Owns: ``Target`` (a file, ``-`` for standard input, or a report found in a folder walk that skips
``node_modules``, virtual environments and hidden folders), reading it as UTF-8 (``InputError``: one
clear line, exit 2), the options from the nearest config plus the command line, and
``check_target``: one ``Analysis`` per target.  No output formatting here (``formats``).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_FOLDERS = frozenset({"node_modules", ".venv", "venv", ".git", "site-packages"})
STDIN = "-"
NOT_A_REPORT = "not a report (no `### Question` headings)"

class InputError(Exception):
    """A path that can't be read as a report: one clear line, exit 2.  ``path`` is what the JSON
    output's ``{"path", "error"}`` entry names."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


# --- what the PATH arguments name ---------------------------------------------------------------


@dataclass
class Target:
    """One report to check.  ``shown`` is how output names it (as the user wrote it, or the
    ``--stdin-filename``); ``json_path`` is the JSON ``path`` (``-`` for stdin); ``path`` is where
    figures, report.py and the config are looked up from (None: stdin without a file name)."""

    shown: str
    json_path: str
    path: Path | None
    stdin: bool = False
    explicit: bool = True  # named on the command line, not found in a folder
    text: str | None = None  # already read (a folder walk reads each file to see if it is a report)
    report: object | None = None  # its model.Report, when already parsed


def default_paths() -> list[str]:
    for candidate in ("reports/README.md", "README.md"):
        if Path(candidate).is_file():
            return [candidate]
    raise InputError("no report found: neither reports/README.md nor README.md exists here (pass a PATH)")


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {e.start}); save it as UTF-8", name) from None


def read_text(path: Path, name: str | None = None) -> str:
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror or e})", name) from None
    return decode(data, name)


def _parse(text: str):
    from reportls.parse import Parser

    return Parser().parse(text)


def _might_be_report(text: str) -> bool:
    """A cheap look before parsing: every report has both words."""
    return "Answer:" in text and "Question" in text


def walk_reports(folder: Path) -> list[Target | InputError]:
    """The reports under ``folder``: markdown files the server would treat as reports
    (``Report.is_report``), in name order, never inside ``SKIPPED_FOLDERS`` or hidden folders, and
    without following symlinked folders.  A file that can't be decoded is listed as an error when
    it still looks like a report (or sits at the template's place, ``reports/README.md``)."""
    from reportls.model import at_template_place

    found: list[Target | InputError] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            path = Path(dirpath) / name
            shown = str(path)
            try:
                data = path.read_bytes()
            except OSError as e:
                if path.parent.name == "reports" and name == "README.md":
                    found.append(InputError(f"{shown}: cannot be read ({e.strerror or e})", shown))
                continue
            try:
                text = decode(data, shown)
            except InputError as e:
                lenient = data.decode("utf-8", "replace")
                if at_template_place(path) or (_might_be_report(lenient) and _parse(lenient).is_report):
                    found.append(e)
                continue
            if not _might_be_report(text) and not at_template_place(path):
                continue
            report = _parse(text)
            if report.is_report or at_template_place(path):
                found.append(Target(shown, shown, path, explicit=False, text=text, report=report))
    return found


def collect(args: argparse.Namespace) -> list[Target | InputError]:
    """The targets the PATH arguments name, in order; raises ``InputError`` for a usage error."""
    raw_paths = list(args.paths)
    stdin_name = getattr(args, "stdin_filename", None)
    if stdin_name and not raw_paths:
        raw_paths = [STDIN]
    if stdin_name and STDIN not in raw_paths:
        raise InputError("--stdin-filename names the text read from standard input: pass `-` as a PATH")
    if raw_paths.count(STDIN) > 1:
        raise InputError("`-` (standard input) can be given only once")
    if not raw_paths:
        raw_paths = default_paths()
    out: list[Target | InputError] = []
    for raw in raw_paths:
        if raw == STDIN:
            path = Path(stdin_name) if stdin_name else None
            out.append(Target(stdin_name or STDIN, STDIN, path, stdin=True))
            continue
        p = Path(raw)
        if p.is_dir():
            inside = walk_reports(p)
            out.extend(inside or [InputError(f"{raw}: is a folder with no markdown report in it "
                                             "(no file with `### Question` headings and `Answer:` markers)", raw)])
        elif not p.exists():
            out.append(InputError(f"{raw}: no such file", str(p)))
        else:
            out.append(Target(str(p), str(p), p))
    return out


# --- checking one target ------------------------------------------------------------------------


@dataclass
class Checked:
    target: Target
    analysis: object  # analysis.Analysis
    index: object  # document.LineIndex
    problems: list[str] = field(default_factory=list)  # config problems, one line each
    git: object = None  # gitstate.GitFacts of the report (None: no repository, no git, --no-git)


def _options(target: Target, args: argparse.Namespace):
    """Options from the nearest config (or ``--config``), then ``--constraints``; plus the config's
    problems as lines naming the file and line."""
    from reportls.analysis import options_from
    from reportls.constraints import ConfigError, find_config, load_config

    config = None
    problems: list[str] = []
    if args.config:
        config_path = Path(args.config)
    else:
        start = target.path.resolve().parent if target.path is not None else Path.cwd()
        config_path = find_config(start, None)
    if config_path is not None:
        try:
            config = load_config(config_path)
        except ConfigError as e:
            raise InputError(str(e), target.json_path) from None
        except OSError as e:
            raise InputError(f"{config_path}: cannot be read ({e.strerror or e})", target.json_path) from None
        problems = [
            f"{config_path}:{p.line + 1}: {p.message}" if p.line is not None else f"{config_path}: {p.message}"
            for p in config.problems
        ]
    return options_from(config, constraints=args.constraints), problems


def check_target(target: Target, args: argparse.Namespace, stdin=None) -> Checked:
    """Read, parse and analyze one target; raises ``InputError`` for anything that is not a report
    that can be checked."""
    from reportls.analysis import analyze
    from reportls.model import at_template_place

    text = target.text
    if text is None and target.stdin:
        stream = stdin if stdin is not None else sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        text = decode(data, target.shown) if isinstance(data, bytes) else data
    elif text is None:
        text = read_text(target.path, target.shown)
    report = target.report or _parse(text)
    # a file at reports/README.md, or checked with a chosen profile, is a report whatever it holds
    # (report.py crashes on an empty one: that is the verdict, exit 1)
    chosen = getattr(args, "constraints", None) not in (None, "auto")
    if target.explicit and not report.questions and "Answer:" not in text and not (
            chosen or at_template_place(target.path)):
        raise InputError(f"{target.shown}: {NOT_A_REPORT}", target.json_path)
    options, problems = _options(target, args)
    path = target.path.resolve() if target.path is not None else None
    checks, handin = [], None
    if getattr(args, "handin", False):
        from reportls.handin.findings import HandinCheck

        handin = html_spec_beside(path)
        checks.append(HandinCheck(handin))
    folder, facts = None, None
    if path is not None:
        from reportls.figures import FigureFolder

        folder = FigureFolder(path.parent, options.figures)
        if options.git and not getattr(args, "no_git", False):
            facts = read_git(path, report, options.figures)
    checks.extend(repository_checks(report, path, folder, facts))
    evidence = checklist_evidence(path, args) if path is not None and options.checklist else None
    analysis = analyze(text, path=path, options=options, report=report, folder=folder, checks=checks,
                       handin=handin, evidence=evidence)
    return Checked(target, analysis, analysis.report.index, problems, facts)


def checklist_evidence(path: Path, args: argparse.Namespace):
    """What the report's repository shows for the checklist (``checklist.RepoEvidence``; None
    without a repository), read once per repository root in one run of the command."""
    from reportls.reposcan import read_evidence, scan_root

    root = scan_root(path)
    if root is None:
        return None
    cache = vars(args).setdefault("checklist_evidence", {})
    if root not in cache:
        cache[root] = read_evidence(root)
    return cache[root]


def read_git(path: Path, report, figures: str):
    """What git says about this report and the figures it links (``gitstate.GitFacts``; None: no
    repository or no git).  Read only, bounded in time.  No git runs when no folder above the
    report holds a ``.git`` (a teacher's batch check of downloaded reports stays fast)."""
    if not any((d / ".git").exists() for d in Path(os.path.abspath(path)).parents):
        return None
    from reportls.gitchecks import linked_figure_paths
    from reportls.gitstate import read_git_facts

    return read_git_facts(path, linked_figure_paths(report), figures)


def repository_checks(report, path: Path | None, folder, facts, *, repo=None, trees=None) -> list:
    """The link checks (with the repository's files and refs when git knows them) and the git
    checks of one report, for ``analyze`` (the CLI and the server alike).  ``repo`` (a
    ``FigureFolder`` on the repository root) and ``trees`` (a loaded ``gitstate.RefTreeIndex``)
    are the caller's cached ones; without ``trees`` the refs the report's links name are listed
    now (runs git)."""
    from reportls.links import link_check_for

    if facts is None:
        return [link_check_for(folder)]
    from reportls.figures import FigureFolder
    from reportls.gitchecks import GitCheck

    if trees is None:
        trees = ref_trees(report, facts)
    repo = repo if repo is not None else FigureFolder(facts.root, "")
    return [link_check_for(folder, facts, repo, trees), GitCheck(facts, path)]


def ref_trees(report, facts, trees=None):
    """A ``gitstate.RefTreeIndex`` holding the trees of origin's default branch and of the refs the
    report's links to the group's own repository name (runs git for the ones not listed yet)."""
    from reportls.gitstate import RefTreeIndex
    from reportls.links import own_repo_refs

    if trees is None or trees.refs != facts.refs:
        trees = RefTreeIndex(facts.root, facts.refs)
    wanted = own_repo_refs(report, facts.github, facts.refs.names())
    if facts.default_branch:
        wanted.add(facts.default_branch)
    trees.load(sorted(wanted))
    return trees


def html_spec_beside(report_path: Path | None):
    """How the report.py beside the report renders the hand-in (read with ``ast``, never run)."""
    from reportls.handin.spec import html_spec_beside as spec_in

    return spec_in(report_path.parent if report_path is not None else None)