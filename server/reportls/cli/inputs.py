"""Everything one ``reportls check`` of one report reads from outside, read once.

The command line's owner of I/O (the server's is ``lsp/session.py``): the report's figure folder
(its listings), the report.py beside the report (read once, handed to both the constraint table
and the hand-in rendering), the image headers of the figures it links, git (in a thread of its
own, started at once: ``GitReading``) and the checklist's repository scan.  ``analyze`` then runs
on what was read; nothing below this reads the disk for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
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
