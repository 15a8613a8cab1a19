"""Everything one ``reportls check`` of one report reads from outside, read once.

The command line's owner of I/O (the server's is ``lsp/session.py``): the report's figure folder
(its listings), the report.py beside the report (read once, handed to both the constraint table
and the hand-in rendering), the image headers of the figures it links, git (started at once and read
between the command's stages: ``GitReading``, only ``in_repository``) and the checklist's repository scan
(``checklist_evidence``, once per repository in one run of the command).  ``analyze`` then runs
on what was read; nothing below this reads the disk for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportls.text.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for it
if TYPE_CHECKING:
    import argparse


@record(slots=True)
class ReportInputs:
    """What was read for one report (``path`` None: standard input without a file name)."""

    path: Path | None
    folder: object = None  # files.figures.FigureFolder of the report's folder
    report_py_source: str | None = None  # the report.py beside the report, when it could be read
    images: dict = field(default_factory=dict)  # absolute path -> files.images.ImageInfo of the linked figures

    @classmethod
    def read(cls, path: Path | None, report, figures: str) -> ReportInputs:
        """Read the folder listing, report.py and the linked images' headers of the report at
        ``path`` (``report`` is its ``Report``: which images it links)."""
        if path is None:
            return cls(None)
        from reportls.constraints import read_report_py_file
        from reportls.files.figures import FigureFolder
        from reportls.files.images import ImageHeaders, linked_images

        folder = FigureFolder(path.parent, figures)
        source = read_report_py_file(path.parent)[0]
        linked = linked_images(folder, (f.dest for f in report.figures if not f.hidden and f.dest))
        return cls(path, folder, source, ImageHeaders().read(linked) if linked else {})

    def html_spec(self):
        """How the report.py read here renders the hand-in (``ast``, never run); the course's default
        without one."""
        from reportls.handin.spec import read_html_spec

        return read_html_spec(self.report_py_source)


def in_repository(path: Path) -> bool:
    """Whether a folder above ``path`` holds a ``.git`` (no git is run outside one)."""
    return any((d / ".git").exists() for d in Path(os.path.abspath(path)).parents)


class GitReading:
    """git's reading of one report, beside the rest of the check and without a thread: the first
    git runs are started at once, right here (before the checks or even the rest of the git package
    are imported: ``git.launch.first_round``), so git's processes run on other cores while the
    report is checked.  ``pump()`` (called between the command's stages) never waits: it reads what
    git has written so far and starts the second round once the first answers are in
    (``git.facts.FactsReading``).  ``facts()`` waits for the rest (and raises what the reading
    raised); ``trees`` are then the link checks' ref trees.  Read only, bounded in time; made only
    ``in_repository``: no git runs when no folder above the report holds a ``.git`` (a teacher's
    batch check of downloaded reports stays fast)."""

    trees = None  # the ``git.refs.RefTreeIndex`` for the link checks, once read

    def __init__(self, path: Path, report, figures: str):
        from reportls.git.launch import first_round

        self._path, self._report, self._figures = path, report, figures
        self._launch = first_round(path, whole_tree=True)  # the origin's default branch: for the link checks
        self._reading = None
        self._done = False
        self._result = None
        self._error: BaseException | None = None

    def pump(self) -> None:
        """Read git's answers that are in, start what they allow; never waits."""
        if self._done or self._error is not None:
            return
        try:
            self._launch.pump()
            self._step().advance()
        except Exception as e:  # handed to the caller of facts()
            self._error = e
            self._launch.discard()

    def facts(self):
        if not self._done:
            self._done = True
            if self._error is None:
                try:
                    self._result = self._step().finish()
                    if self._result is not None:  # the refs the report's links name: listed here too
                        self.trees = self._ref_trees(self._result)
                except BaseException as e:
                    self._error = e
                finally:
                    self._launch.discard()
        if self._error is not None:
            raise self._error
        return self._result

    def _step(self):
        if self._reading is None:
            from reportls.git.facts import FactsReading

            self._reading = FactsReading(self._launch, self._path, lambda: _linked_figure_paths(self._report),
                                         self._figures, whole_tree=True)
        return self._reading

    def _ref_trees(self, facts):
        from reportls.checks.repository import ref_trees
        from reportls.git.refs import RefTreeIndex

        trees = RefTreeIndex(facts.root, facts.refs)
        if self._launch.default_branch_tree is not None and facts.default_branch:
            trees.add(facts.default_branch, self._launch.default_branch_tree)
        return ref_trees(self._report, facts, trees)


def checklist_evidence(path: Path, args: argparse.Namespace):
    """What the report's repository shows for the checklist, started now (a ``Forked`` whose
    ``result()`` is the ``checklist.RepoEvidence``; None without a repository): in a forked child on
    Linux, so the scan runs beside the rest of the check.  Started once per repository root in one
    run of the command."""
    from reportls.files.reposcan import scan_root

    root = scan_root(path)
    if root is None:
        return None
    jobs = vars(args).setdefault("checklist_evidence", {})
    if root not in jobs:
        from reportls.checklist.evidence import evidence_from_plain, evidence_to_plain
        from reportls.cli.forked import Forked
        from reportls.files.reposcan import read_evidence

        jobs[root] = Forked(lambda: read_evidence(root), evidence_to_plain, evidence_from_plain)
    return jobs[root]


def _linked_figure_paths(report) -> list[str]:
    """The figures git is asked about (``checks.git``: imported once git's first answers are in)."""
    from reportls.checks.git import linked_figure_paths

    return linked_figure_paths(report)


def html_spec_beside(report_path: Path | None):
    """How the report.py beside the report renders the hand-in (read with ``ast``, never run)."""
    from reportls.constraints import report_py_beside
    from reportls.handin.spec import read_html_spec

    return read_html_spec(report_py_beside(report_path.parent if report_path is not None else None))
