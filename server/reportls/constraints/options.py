"""What the user chose for one report: ``Options`` (the constraint profile, severity overrides, the
figures folder, whether git and the checklist's evidence are read) and ``options_from``, which lays the command line's or the
editor's choices over a config file's.  Plain data: the command line builds its options (and
starts reading git) before the checks are imported.
"""

from __future__ import annotations

from reportls.constraints.table import ConstraintTable
from reportls.text.records import field, record


@record(slots=True)
class Options:
    """What the user chose (CLI flags, settings, ``.reportls.yaml``)."""

    constraints: str | ConstraintTable | None = None  # None/"auto": config, report.py, built-in profile (docs/reportpy.md)
    severity: dict[str, str] = field(default_factory=dict)
    figures: str = "figures"
    git: bool = True  # read git for what the hand-in scrape gets (``--no-git``, ``git: false``)
    checklist: bool = True  # scan the repository for the checklist's evidence (``checklist: false``)


def options_from(config, *, constraints: str | ConstraintTable | None = None,
                 severity: dict[str, str] | None = None) -> Options:
    """The options for one report: its config file's (a ``constraints.Config`` or None), then the
    command line's or the editor's ``constraints`` (None or "auto": keep the config's), then their
    ``severity`` overrides code by code."""
    options = Options()
    if config is not None:
        if config.constraints is not None:
            options.constraints = config.constraints
        options.figures = config.figures
        options.severity = dict(config.severity)
        options.git = config.git
        options.checklist = config.checklist
    if constraints is not None and constraints != "auto":
        options.constraints = constraints
    options.severity.update(severity or {})
    return options
