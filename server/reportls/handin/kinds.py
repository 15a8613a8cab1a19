"""The closed set of constructs the hand-in checks report: one ``ConstructKind`` per kind, each
carrying the codes it is reported under, its message and its fix, in one table (``KINDS``).

A kind is created in ``constructs.py`` (and ``findings.py`` for the space inside backticks) and
worded here; ``Candidate`` refuses a kind that is not in the table, or a code its kind does not
declare, so a new kind cannot lack a code, a message or a fix.  ``fix`` is what the quick fix does
(the title of the preferred fix where it is always the same); a kind no rewrite renders the same
in both (math, a URL glued to text) says what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from reportls.text.records import record

ANSWER_IN_QUOTE = "answer-in-quote"  # an answer inside the question's quote on GitHub and in the hand-in


@record(frozen=True)
class Said:
    """What a message may name: the construct's ``details``, its code and how many places on
    one line it stands for."""

    details: Mapping[str, object]
    code: str
    places: int = 1


@record(frozen=True)
class ConstructKind:
    name: str
    codes: tuple[str, ...]  # the codes it is reported under (the first is its own)
    fix: str
    message: Callable[[Said], str]


def _fence(s: Said) -> str:
    indent = s.details.get("indent")
    how = (f"Indent the code by {indent} spaces instead of fencing it, with a blank line before."
           if indent else "Python-Markdown can't show a code block here; move it out of the quote.")
    return ("Fenced code block: the hand-in (Python-Markdown) does not know ``` fences, so the grader sees "
            "the code as inline code run into the surrounding paragraph, its lines joined. " + how)


def _setext(s: Said) -> str:
    if s.details.get("underline") == "=":
        return ("A `===` line right below a quote or list line: GitHub runs it into that line's text, the "
                "hand-in turns the line above into a heading (`>` or marker included). Move the `===` onto the "
                "line above.")
    return ("A `---` line right below a quote or list line: GitHub draws a rule, the hand-in turns the line "
            "above into a heading (`>` or marker included). Put a blank line before `---`.")


def _setext_heading(s: Said) -> str:
    dash = s.details.get("underline") == "-"
    shown = "a paragraph followed by a rule" if dash else "a paragraph ending in the `===`"
    return (f"Heading underlined with `{'---' if dash else '==='}` (a setext heading): "
            f"GitHub shows a heading, the hand-in (Python-Markdown) shows {shown}. A `#` heading is no way out "
            "(`##` ends the answer for report.py): write the heading as bold text, or make it a paragraph "
            "and a rule.")


def _empty_quote_line(s: Said) -> str:
    where = "the question's quote" if s.details.get("joins_prompt") else "the quote above"
    return (f"This text follows an empty `>` line: the hand-in (Python-Markdown) continues {where} and shows "
            "the text inside it, GitHub ends the quote at the empty `>` line. Put a blank line after the "
            "empty `>` line.")


def _quote_merge(s: Said) -> str:
    if s.details.get("joins_prompt"):
        return ("This quote follows the question's quote with only a blank line between: the hand-in merges "
                "it into the question's quote. Put a `<!-- -->` line before it.")
    return ("Two quotes separated only by a blank line: the hand-in merges them into one quote. "
            "Put a `<!-- -->` line between them.")


def _glued(where: str) -> Callable[[Said], str]:
    def message(s: Said) -> str:
        if s.details.get("quoted"):
            return ("The answer is written inside the question's quote (its lines start with `>`): it sits inside "
                    "the quote everywhere, on GitHub and in the hand-in. Take it out of the quote: no `>` before "
                    "its lines, and a blank line after `> Answer:`.")
        if s.code == ANSWER_IN_QUOTE:
            return (f"The answer starts {where} with no blank line: it sits inside the question's quote "
                    "everywhere, on GitHub and in the hand-in. Put a blank line after `> Answer:` and start the "
                    "answer there.")
        return (f"The answer starts {where} with no blank line: the hand-in shows it inside the question's "
                "quote, GitHub shows it (or part of it) outside the quote. Put a blank line after `> Answer:` and "
                "start the answer there.")
    return message


def _bare(what: str) -> Callable[[Said], str]:
    return lambda s: (f"Bare {what}: GitHub makes it a link, the hand-in shows plain text. "
                      f"Write `<{s.details.get('url')}>` to make it a link in both.")


def _math(s: Said) -> str:
    if s.places > 1:
        return (f"Math ({s.places} formulas on this line): GitHub renders `$...$` as a formula, the hand-in shows "
                "the raw source with the dollar signs (and may turn `_` into italics). Write them as plain text or "
                "inline code.")
    return _math_block(s)


def _math_block(s: Said) -> str:
    return ("Math: GitHub renders `$...$` as a formula, the hand-in shows the raw source with the dollar signs "
            "(and may turn `_` into italics). Write it as plain text or inline code.")


def _text(message: str) -> Callable[[Said], str]:
    return lambda s: message


QUOTE_OR_LIST = ("handin-quote", "handin-list")  # a setext line under a quote line, or under a list item
GLUED_CODES = ("handin-quote", ANSWER_IN_QUOTE)  # answer-in-quote: the same on GitHub and in the hand-in

_TABLE = (
    ConstructKind("fence", ("handin-code",), "Indent the code block by 4 spaces instead of fencing it", _fence),
    ConstructKind("list-after-paragraph", ("handin-list",), "Add a blank line before the list", _text(
        "List right after a paragraph: in the hand-in it is merged into the paragraph, the grader sees "
        "the items as one line of text with the markers in it. Put a blank line before the list.")),
    ConstructKind("item-after-paragraph", ("handin-list",), "Add a blank line before the item", _text(
        "List item right below a paragraph of the item above, with no blank line: the hand-in runs it "
        "into that paragraph as text. Put a blank line before the item.")),
    ConstructKind("setext", QUOTE_OR_LIST,
                  "Add a blank line before the `---` line (or move the `===` onto the line above)", _setext),
    ConstructKind("setext-heading", ("handin-escape",), "Write the heading as bold text", _setext_heading),
    ConstructKind("empty-quote-line", ("handin-quote",), "Add a blank line after the empty `>` line",
                  _empty_quote_line),
    ConstructKind("quote-after-list", ("handin-quote",), "Add a blank line before the quote", _text(
        "Quote right below a list item, with no blank line: the hand-in keeps it in the item's text, "
        "`>` included. Put a blank line before the quote.")),
    ConstructKind("strikethrough", ("handin-escape",), "Write `<del>text</del>`", _text(
        "`~~text~~`: GitHub strikes the text through, the hand-in shows the tildes. "
        "Write `<del>text</del>` to strike it through in both.")),
    ConstructKind("list-after-quote", ("handin-list",), "Add a blank line before the list", _text(
        "List right after a `>` quote line: in the hand-in it becomes text inside the quote. "
        "Put a blank line before the list.")),
    ConstructKind("marker-change", ("handin-list",), "Separate the lists with a `<!-- -->` line", lambda s: (
        f"The list marker changes from `{s.details.get('from')}` to `{s.details.get('to')}`: GitHub starts a new list, "
        "the hand-in merges both into one list (numbered like the first). "
        "Put a `<!-- -->` line between the lists, or use one marker.")),
    ConstructKind("paren-list", ("handin-list",), "Number the list with `1.` instead of `1)`", _text(
        "`1)` numbered list: the hand-in shows it as plain text run together (Python-Markdown only knows "
        "`1.`). Number it `1.`, `2.`, ...")),
    ConstructKind("list-start", ("handin-escape",),
                  "Indent what stands between the items by 4 spaces, to continue the list above", lambda s: (
                      f"Numbered list starting at {s.details.get('start')}: GitHub numbers it from {s.details.get('start')}, "
                      "the hand-in numbers a separate list from 1. To continue the list above, indent what stands "
                      "between its items by 4 spaces.")),
    ConstructKind("nested-items", ("handin-nested-list",), "Indent nested items by 4 spaces per level", _text(
        "Nested list items indented fewer than 4 spaces: the hand-in flattens them into the outer list. "
        "Indent nested items by 4 spaces per level.")),
    ConstructKind("item-content", ("handin-nested-list",), "Indent the item's content by 4 spaces", _text(
        "List item content indented fewer than 4 spaces: the hand-in moves it out of the item "
        "(a paragraph after the list). Indent it by 4 spaces.")),
    ConstructKind("table", ("handin-table",), "Write the table as an HTML <table>", _text(
        "Pipe table: the hand-in (Python-Markdown without the tables extension) shows it as raw text, "
        "pipes and dashes included. Write it as an HTML <table> (renders in both).")),
    ConstructKind("quote-merge", ("handin-quote",), "Separate the quotes with a `<!-- -->` line", _quote_merge),
    ConstructKind("glued", GLUED_CODES, "Add a blank line after the `> Answer:` line",
                  _glued("right after the `> Answer:` line")),
    ConstructKind("glued-inline", GLUED_CODES, "Start the answer on its own line, after a blank line",
                  _glued("on the `Answer:` line")),
    ConstructKind("tag", ("handin-tag",), "Write `&lt;` for the `<`", lambda s: (
        f"`{s.details.get('text')}` looks like an HTML tag to the hand-in: it vanishes from the page (GitHub shows "
        "the text). Write `&lt;` for the `<`.")),
    ConstructKind("mail", ("handin-tag",), "Write `&lt;` for the `<`", lambda s: (
        f"`{s.details.get('text')}` looks like an e-mail link to the hand-in: the grader sees a mailto link "
        "instead of the text. Write `&lt;` for the `<`, or put it in backticks.")),
    ConstructKind("code-space", ("handin-escape",), "Move the space out of the backticks", lambda s: (
        f"The space inside the backticks of {s.details.get('code')} is lost in the hand-in (Python-Markdown strips "
        "it), so the code runs into the word next to it; GitHub keeps it. Move the space out of the backticks.")),
    ConstructKind("url-glued", ("handin-url",), "Put a space after the URL", lambda s: (
        f"`{s.details.get('url')}` runs straight into `{s.details.get('glued')}`: GitHub makes the whole string one "
        "link (a broken one), the hand-in shows the URL as plain text followed by the rest. Put a space "
        "after the URL, or write what you meant as one `[text](url)` link.")),
    ConstructKind("url-dashes", ("handin-url",), "Make it a link: `<...>`", lambda s: (
        f"`{s.details.get('url')}`: the `{s.details.get('dashes')}` is glued to the URL, so GitHub links the whole "
        "string, dashes included, and the link is dead; the hand-in shows plain text. Separate the dashes "
        "from the link (`<...>` makes it a link in both).")),
    ConstructKind("url", ("handin-url",), "Make it a link: `<url>`", _bare("URL")),
    ConstructKind("www", ("handin-url",), "Make it a link: `[www...](https://www...)`", _bare("URL")),
    ConstructKind("email", ("handin-url",), "Make it a link: `<address>`", _bare("e-mail address")),
    ConstructKind("line-break", ("handin-escape",), "End the line with two spaces instead of `\\`", _text(
        "Line ending in `\\`: GitHub breaks the line there, the hand-in shows the backslash and joins the "
        "lines. End the line with two spaces instead.")),
    ConstructKind("backslash", ("handin-escape",), "Write the character without the backslash", lambda s: (
        f"`\\{s.details.get('char')}`: the hand-in shows the backslash (Python-Markdown does not escape "
        f"`{s.details.get('char')}`). Write `{s.details.get('char')}` without it.")),
    ConstructKind("math", ("handin-escape",), "Write it as plain text or inline code", _math),
    ConstructKind("math-block", ("handin-escape",), "Write it as plain text or inline code", _math_block),
)
KINDS: dict[str, ConstructKind] = {k.name: k for k in _TABLE}
assert len(KINDS) == len(_TABLE), "a kind declared twice"


def construct_kind(name: str, code: str) -> ConstructKind:
    """The declared kind ``name``, checked to be reported under ``code`` (ValueError otherwise: a
    construct created without its entry in ``KINDS``)."""
    kind = KINDS.get(name)
    if kind is None:
        raise ValueError(f"hand-in construct kind {name!r} is not declared in handin/kinds.py")
    if code not in kind.codes:
        raise ValueError(f"hand-in construct kind {name!r} is not reported under {code!r}")
    return kind
