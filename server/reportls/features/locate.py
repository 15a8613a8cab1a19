"""What sits under an offset, and how a path is written as a link destination.

Shared by the feature modules: the image link under an offset (the questions under an offset are
the ``Report``'s own: ``question_at``, ``answer_question``, ``written_at``), the line around an
offset, and the one encoding rule for inserted destinations.  Pure; reads only the ``Report``.
"""

from __future__ import annotations

from reportls.report.model import FigureLink, Report, Span, covering


def figure_at(report: Report, offset: int) -> FigureLink | None:
    """The image link (inline, reference or ``<img>``) whose text holds ``offset`` (end inclusive)."""
    return covering(report.figures, offset)


def link_with_dest(report: Report, span: Span) -> FigureLink | None:
    """The image link whose destination is exactly ``span`` (what figure findings point at; for a
    reference-style image that is its link definition's destination, elsewhere in the text)."""
    f = figure_at(report, span.start)
    if f is not None and f.dest_span == span:
        return f
    return next((f for f in report.figures if f.dest_span == span), None)


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the line holding ``offset``; end excludes ``\\r\\n``/``\\n``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


# Characters that would break a bare destination, or that the resolver reads as a query/fragment.
_BARE = {
    "%": "%25",
    " ": "%20",
    "\t": "%09",
    "(": "%28",
    ")": "%29",
    "<": "%3C",
    ">": "%3E",
    "#": "%23",
    "?": "%3F",
}
_ANGLE = {"%": "%25", "<": "%3C", ">": "%3E", "#": "%23", "?": "%3F"}


def encode_dest(path: str, angle: bool = False) -> str:
    """``path`` as a link destination: inside ``<...>`` spaces and parentheses stay as they are;
    bare destinations get ``%20``/``%28``/``%29``.  Either way ``%``, ``#`` and ``?`` are escaped, since
    they would otherwise be read as an escape, a fragment or a query.  Other characters are kept."""
    table = _ANGLE if angle else _BARE
    if not any(ch in table for ch in path):
        return path
    return "".join(table.get(ch, ch) for ch in path)
