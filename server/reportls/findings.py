"""The ``Finding`` record (one diagnostic in core terms) with its typed payload (what a fix or a
merged message needs: ``Replacement``, ``Rewrite``, ``HandinPayload``, ...), the diagnostic codes'
defaults, and ``one_per_cause``: the pass that says each cause once (one diagnostic, with related
locations, where several checks or several places share one cause)."""

from __future__ import annotations

from reportls.text.records import field, record

from reportls.edits import TextEdit
from reportls.report.model import Span

ERROR, WARNING, INFORMATION, HINT, OFF = "error", "warning", "information", "hint", "off"
SEVERITIES = (ERROR, WARNING, INFORMATION, HINT, OFF)

DEFAULT_SEVERITY: dict[str, str] = {
    "word-count": WARNING,
    "image-count": WARNING,
    "placeholder": WARNING,
    "missing-figure": ERROR,
    "figure-case": ERROR,
    "figure-extension": WARNING,
    "figure-location": WARNING,
    # what the hand-in scrape (the default branch on GitHub) will get
    "figure-untracked": WARNING,
    "figure-ignored": ERROR,
    "figure-unpushed": WARNING,
    "report-location": WARNING,
    "answer-count": ERROR,
    "answer-truncated": WARNING,
    "answer-marker": WARNING,
    "heading": WARNING,
    "image-not-counted": INFORMATION,
    "image-in-code": INFORMATION,
    "constraints-source": INFORMATION,
    "secret": ERROR,
    "not-counted": HINT,  # text report.py drops (after a ## cut, before a second Answer:), faded
    # the hand-in page (README, "What the grader sees"): where report.py html renders differently from GitHub
    "handin-code": WARNING,
    "handin-list": WARNING,
    "handin-nested-list": WARNING,
    "handin-table": WARNING,
    "handin-quote": WARNING,
    "handin-tag": WARNING,
    "handin-escape": INFORMATION,
    "handin-url": HINT,
    "answer-in-quote": WARNING,  # the answer glued to "> Answer:": inside the question's quote everywhere
    # links, names and images as the grader meets them (issue 18)
    "figure-syntax": WARNING,  # an image link GitHub does not read (an unencoded space)
    "link-outside-reports": WARNING,
    "link-missing": WARNING,
    "link-own-repo": WARNING,
    "link-private": HINT,
    "study-number": WARNING,
    "image-size": INFORMATION,
    "reportpy-encoding": INFORMATION,
    # the checklist against the repository (issue 25)
    "checklist-unbacked": INFORMATION,  # a ticked, verifiable box the repository shows no evidence of
    "checklist-unticked": HINT,  # an unticked box the repository shows strong evidence of
}
CODES = tuple(DEFAULT_SEVERITY)


# ---- payloads: what a finding carries for its fixes and for one_per_cause ------------------------

@record(frozen=True)
class Replacement:
    """New text for the finding's span (a link destination, a study number): ``replacement`` (None:
    no single one), ``candidates`` (every one offered, first preferred), and the fix's ``title``
    when the check words it."""

    replacement: str | None = None
    candidates: tuple[str, ...] = ()
    title: str = ""

    @property
    def options(self) -> tuple[str, ...]:
        """What a fix may write, first preferred."""
        return self.candidates or ((self.replacement,) if self.replacement else ())


@record(frozen=True)
class Rewrite:
    """Edits of the report's text a check found (and verified, or the hand-in fixes verify),
    with the quick fix's title."""

    title: str
    edits: tuple[TextEdit, ...]


@record(frozen=True)
class ImageUrl:
    """An image linked by URL; ``figures``: the folder the hand-in holds images in."""

    url: str
    figures: str


@record(frozen=True)
class MisplacedFigure:
    """An image in the report's folder but outside ``figures/``: where it is, where it belongs;
    ``also``: the (path, move_to) of the other images of its folder, when one finding stands for
    them all."""

    path: str
    move_to: str
    also: tuple[tuple[str, str], ...] = ()


@record(frozen=True)
class ImageExtension:
    """An image whose file is not a .png/.jpg/.jpeg (``extension``: "" for none)."""

    extension: str


@record(frozen=True)
class ImageSize:
    path: str
    width: int
    height: int
    bytes: int


@record(frozen=True)
class GitFigure:
    """What git says of a linked file (``path``, root-relative; None: the figures folder itself):
    the ``command`` that fixes it, the name git tracks it as, the ref the hand-in reads, the
    report's expected place, or the ignore rule (where it is written, its pattern and kind) and
    the figures folder the ignore-file fix is for."""

    path: str | None
    command: str = ""
    tracked_as: str = ""
    remote_ref: str = ""
    expected: str = ""
    rule_source: str = ""
    rule_line: int = 0
    pattern: str = ""
    rule_kind: str = ""
    figures_folder: str = ""


@record(frozen=True)
class HandinPayload:
    """A construct that renders differently in the hand-in: its ``kind`` (``handin.kinds.KINDS``),
    the text its span covered (``source``: a fix applies only while it is there), the markdown
    shown before/after in a hover (``probe``) and the rendering it was proven with
    (``render_key``: ``HtmlSpec.render_key``), its rewrites (``fixes``, first preferred, verified
    when asked for) and the construct's own details (``details``: the URL, the marker, ...)."""

    kind: str
    source: str
    probe: str
    render_key: tuple
    fixes: tuple[Rewrite, ...] = ()
    details: tuple[tuple[str, object], ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(self.render_key[0])

    def detail(self, key: str, default: object = None) -> object:
        return dict(self.details).get(key, default)


Payload = Replacement | Rewrite | ImageUrl | MisplacedFigure | ImageExtension | ImageSize | GitFigure | HandinPayload


@record(frozen=True, slots=True)
class Finding:
    code: str
    span: Span
    message: str
    severity: str = ""  # "": the code's default (DEFAULT_SEVERITY); a check may choose another
    question: int | None = None
    # what a fix (or one_per_cause) needs, typed by kind (None: nothing)
    payload: Payload | None = field(default=None, compare=False, hash=False)
    # the other places of the same cause: (span, what is there), shown as related locations
    related: tuple[tuple[Span, str], ...] = field(default=(), compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", DEFAULT_SEVERITY.get(self.code, WARNING))


def apply_severities(findings: list[Finding], overrides: dict[str, str] | None) -> list[Finding]:
    """The findings' own severities (their code's default unless the check chose another, as for
    a figure in another folder under reports/), then the user's overrides; "off" drops it."""
    out = []
    overrides = overrides or {}
    for f in findings:
        sev = overrides.get(f.code) or f.severity
        if sev == OFF:
            continue
        out.append(f if sev == f.severity else Finding(f.code, f.span, f.message, sev, f.question, f.payload, f.related))
    return out


def carried_over(findings: list[Finding], edit: tuple[int, int, int], text: str) -> list[Finding]:
    """Findings of the previous version moved through one edit (``(start, old end, new end)``):
    those before it stay, those after it shift, those it touched are dropped, and so is any whose
    text (a hand-in finding's ``source``) is no longer what its span covers."""
    start, old_end, new_end = edit
    delta = new_end - old_end
    out = []
    for f in findings:
        if f.span.end < start:
            span = f.span
        elif f.span.start > old_end:
            span = f.span.shifted(delta)
        else:
            continue
        if isinstance(f.payload, HandinPayload) and text[span.start : span.end] != f.payload.source:
            continue
        related = tuple((r.shifted(delta) if r.start > old_end else r, m) for r, m in f.related
                        if r.end < start or r.start > old_end)
        out.append(f if span == f.span and related == f.related
                   else Finding(f.code, span, f.message, f.severity, f.question, f.payload, related))
    return out


def did_you_mean(names, *, start: str = " Did you mean ", code: bool = True) -> str:
    """The "did you mean" sentence of a finding's message: `` Did you mean `a`, `b`?`` (``code``:
    each name in backticks; ``start``: how the sentence opens), "" when there is no name."""
    if not names:
        return ""
    return start + ", ".join(f"`{n}`" if code else n for n in names) + "?"


# ---- one cause, one diagnostic ----------------------------------------------------------------

def _merged(group: list[Finding], message: str) -> Finding:
    """The first of ``group`` standing for all of them: ``message``, the others as related places."""
    first = group[0]
    related = tuple((f.span, f.message) for f in group)
    payload = first.payload
    if isinstance(payload, MisplacedFigure):  # one move for the folder: every file of the group
        moves = dict.fromkeys((f.payload.path, f.payload.move_to) for f in group if isinstance(f.payload, MisplacedFigure))
        payload = MisplacedFigure(payload.path, payload.move_to, tuple(m for m in moves if m[0] != payload.path))
    return Finding(first.code, first.span, message, first.severity, first.question, payload, related)


def one_per_cause(findings: list[Finding]) -> list[Finding]:
    """Each cause said once (issue 23):

    - a bare URL only the group can open (``link-private``) is not also a ``handin-url``: making a
      link nobody can open clickable is no advice;
    - images outside ``figures/`` in one folder (``our_figures/``) are one ``figure-location``, the
      links its related places; so are the image URLs of one question, and the images of one
      question with one wrong extension (six ``.svg`` logos: one ``figure-extension``);
    Order and everything else stay as they are."""
    private = [f.span for f in findings if f.code == "link-private"]
    out: list[Finding] = []
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        if f.code == "handin-url" and any(p.overlaps(f.span) or p == f.span for p in private):
            continue
        key = _cause_key(f)
        if key is not None:
            group = groups.setdefault(key, [])
            group.append(f)
            if len(group) > 1:
                continue
        out.append(f)
    merged = {id(g[0]): g for g in groups.values() if len(g) > 1}
    return [_merged(merged[id(f)], _group_message(merged[id(f)])) if id(f) in merged else f for f in out]


def _cause_key(f: Finding) -> tuple | None:
    p = f.payload
    if f.code == "figure-extension" and isinstance(p, ImageExtension):
        return ("extension", f.question, p.extension, f.severity)
    if f.code != "figure-location":
        return None
    if isinstance(p, MisplacedFigure) and "/" in p.path:
        return ("folder", p.path.rsplit("/", 1)[0], f.severity)
    if isinstance(p, ImageUrl) and p.url:
        return ("url", f.question, f.severity)
    return None


def _group_message(group: list[Finding]) -> str:
    first = group[0]
    n = len(group)
    p = first.payload
    if isinstance(p, ImageExtension):
        ext = p.extension
        what = f".{ext} files" if ext else "files without an extension"
        where = f"Question {first.question}: " if first.question else ""
        return (f"{where}{n} images are {what}, not .png, .jpg or .jpeg files, as the template asks "
                "(the related places list each one).")
    if isinstance(p, MisplacedFigure):
        folder = p.path.rsplit("/", 1)[0]
        target = p.move_to.rsplit("/", 1)[0]
        return (f"{n} images are in `{folder}/`, not in the report's `{target}/` folder, where the template asks "
                f"for figures; they are handed in with the report, so they are shown: move them to `{target}/` "
                "to follow the template (the related places list each link).")
    where = f"Question {first.question}: " if first.question else ""
    return (f"{where}{n} images are URLs; the hand-in only contains files in `{p.figures if isinstance(p, ImageUrl) else 'figures'}/`, "
            "so add each image there and link it (the related places list each one).")
