"""How the group's ``report.py html`` builds the hand-in page, read statically with ``ast``.

Owns ``HtmlSpec`` and ``read_html_spec``.  report.py is never imported, compiled or run: only the
``html()`` function's syntax tree is read for the slice (``text[43:]`` -> 43, none -> 0), the
``extensions=[...]`` (plus ``output_format``/``tab_length``) given to ``markdown.markdown`` or
``markdown.Markdown``, and the output file name when it is a literal.  Whatever can't be read
falls back to the course's default (43, no extensions, ``report.html``) and says so in ``notes``.
"""

from __future__ import annotations

import ast
from reportls.text.records import record

COURSE_START = 43  # the course's html() drops text[:43], the Jekyll front matter block
COURSE_OUTPUT = "report.html"

# Python-Markdown's own extensions (markdown.extensions.*): the only ones reportls renders with.
BUILTIN_EXTENSIONS = (
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables",
    "toc", "wikilinks",
)
_EXTENSION_CLASSES = {
    "AbbrExtension": "abbr", "AdmonitionExtension": "admonition", "AttrListExtension": "attr_list",
    "CodeHiliteExtension": "codehilite", "DefListExtension": "def_list", "ExtraExtension": "extra",
    "FencedCodeExtension": "fenced_code", "FootnoteExtension": "footnotes",
    "LegacyAttrExtension": "legacy_attrs", "LegacyEmExtension": "legacy_em",
    "MarkdownInHtmlExtension": "md_in_html", "MetaExtension": "meta", "Nl2BrExtension": "nl2br",
    "SaneListExtension": "sane_lists", "SmartyExtension": "smarty", "TableExtension": "tables",
    "TocExtension": "toc", "WikiLinkExtension": "wikilinks",
}
_TEXT_REWRITES = ("replace", "sub", "subn", "strip", "lstrip", "rstrip", "format", "join", "translate")


@record(frozen=True)
class HtmlSpec:
    """What ``report.py html`` does: ``markdown.markdown(text[start:], extensions=..., ...)``.

    ``render_key`` is what the rendering depends on (the cache key part); ``notes`` explain what
    could not be read and which default was used instead.
    """

    start: int = COURSE_START
    extensions: tuple[str, ...] = ()
    output: str = COURSE_OUTPUT
    output_format: str | None = None  # None: Python-Markdown's default ("xhtml")
    tab_length: int = 4
    source: str = "default"  # "default" (the course's html()) or "report.py"
    notes: tuple[str, ...] = ()

    @property
    def render_key(self) -> tuple[tuple[str, ...], str | None, int]:
        return (self.extensions, self.output_format, self.tab_length)

    def markdown_kwargs(self) -> dict:
        """Keyword arguments for ``markdown.markdown`` / ``markdown.Markdown``."""
        kw: dict = {"extensions": list(self.extensions)}
        if self.output_format is not None:
            kw["output_format"] = self.output_format
        if self.tab_length != 4:
            kw["tab_length"] = self.tab_length
        return kw

    def describe(self) -> str:
        """Short human form, e.g. "text[43:], Python-Markdown, no extensions -> report.html"."""
        ext = ", ".join(self.extensions) if self.extensions else "no extensions"
        return f"text[{self.start}:], Python-Markdown, {ext} -> {self.output}"


DEFAULT_SPEC = HtmlSpec()


def _default(*notes: str) -> HtmlSpec:
    return HtmlSpec(notes=tuple(notes))


def _extension_name(node: ast.AST) -> str | None:
    """A literal extension: "tables", "markdown.extensions.tables", TableExtension(), tables.makeExtension()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
        if name.startswith("markdown.extensions."):
            name = name[len("markdown.extensions.") :]
        return name.split(":", 1)[0]
    if isinstance(node, ast.Call):
        func = node.func
        fname = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if fname in _EXTENSION_CLASSES:
            return _EXTENSION_CLASSES[fname]
        if fname == "makeExtension" and isinstance(func, ast.Attribute):
            mod = func.value
            mod_name = mod.attr if isinstance(mod, ast.Attribute) else mod.id if isinstance(mod, ast.Name) else None
            if mod_name in BUILTIN_EXTENSIONS:
                return mod_name
    return None


def _assigned_lists(scopes: list[list[ast.stmt]]) -> dict[str, ast.AST]:
    """Names bound to a list/tuple literal by a plain assignment in the given statement lists."""
    found: dict[str, ast.AST] = {}
    for body in scopes:
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                found.setdefault(stmt.targets[0].id, stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                found.setdefault(stmt.target.id, stmt.value)
    return found


def _is_markdown_call(node: ast.Call, names: set[str]) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr in ("markdown", "Markdown") and isinstance(func.value, ast.Name) and func.value.id in names
    # from markdown import markdown / Markdown
    return isinstance(func, ast.Name) and func.id in ("markdown", "Markdown")


def _line(node: ast.AST) -> str:
    return f"line {getattr(node, 'lineno', '?')}"


def _literal_path(node: ast.AST) -> str | None:
    """``"x"`` or ``Path("x")`` / ``pathlib.Path("x")``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args:
        fname = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if fname in ("Path", "PurePath") and isinstance(node.args[0], ast.Constant):
            return node.args[0].value if isinstance(node.args[0].value, str) else None
    return None


def _mode(call: ast.Call, position: int) -> str | None:
    for kw in call.keywords:
        if kw.arg == "mode" and isinstance(kw.value, ast.Constant):
            return kw.value.value
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        return call.args[position].value
    return None


def _outputs(func: ast.FunctionDef) -> tuple[list[str], list[ast.AST]]:
    """Files html() opens for writing: (literal names, nodes whose name is not a literal)."""
    literal: list[str] = []
    unknown: list[ast.AST] = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        target = None
        if isinstance(f, ast.Name) and f.id == "open" and node.args:
            mode = _mode(node, 1)
            if isinstance(mode, str) and any(c in mode for c in "wax"):
                target = node.args[0]
        elif isinstance(f, ast.Attribute) and f.attr == "open":
            mode = _mode(node, 0)
            if isinstance(mode, str) and any(c in mode for c in "wax"):
                target = f.value
        elif isinstance(f, ast.Attribute) and f.attr in ("write_text", "write_bytes"):
            target = f.value
        if target is None:
            continue
        name = _literal_path(target)
        if name is None:
            unknown.append(node)
        else:
            literal.append(name)
    return literal, unknown


def read_html_spec(report_py_source: str | None, name: str = "report.py") -> HtmlSpec:
    """Read how ``report.py html`` renders the page; the course's default when it can't be read.

    ``report_py_source`` None (no report.py beside the report) gives the course default, no notes.
    """
    if report_py_source is None:
        return DEFAULT_SPEC
    try:
        tree = ast.parse(report_py_source)
    except (SyntaxError, ValueError) as exc:
        where = f" line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        return _default(f"{name}{where}: could not be read ({exc.__class__.__name__}); the hand-in page is "
                        "rendered as the course's html() does it (text[43:], no extensions)")
    func = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                 and n.name == "html"), None)
    if func is None:
        return _default(f"{name} has no html() command; the hand-in page is rendered as the course's html() "
                        "does it (text[43:], no extensions)")

    # names the markdown module is imported under (import markdown / import markdown as md)
    module_names = {"markdown"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "markdown":
                    module_names.add(alias.asname or "markdown")
    notes: list[str] = []
    fallback = "the course's default is used"

    # the markdown call
    calls = [n for n in ast.walk(func) if isinstance(n, ast.Call) and _is_markdown_call(n, module_names)]
    if not calls:
        return _default(f"{name}: html() does not call markdown.markdown(); the hand-in page is rendered "
                        "as the course's html() does it (text[43:], no extensions)")
    call = calls[0]
    extensions: list[str] = []
    output_format = None
    tab_length = 4
    lists = _assigned_lists([func.body, tree.body])
    for kw in call.keywords:
        if kw.arg == "extensions":
            value = kw.value
            if isinstance(value, ast.Name) and value.id in lists:
                value = lists[value.id]
            if not isinstance(value, ast.List | ast.Tuple):
                notes.append(f"{name} {_line(kw.value)}: the extensions given to markdown are not a literal "
                             f"list; {fallback} (no extensions)")
                continue
            for elt in value.elts:
                ext = _extension_name(elt)
                if ext is None:
                    notes.append(f"{name} {_line(elt)}: an extension reportls can't read; rendered without it")
                elif ext not in BUILTIN_EXTENSIONS:
                    notes.append(f"{name} {_line(elt)}: extension {ext!r} is not one of Python-Markdown's own; "
                                 "rendered without it")
                elif ext not in extensions:
                    extensions.append(ext)
        elif kw.arg == "output_format":
            if isinstance(kw.value, ast.Constant) and kw.value.value in ("html", "xhtml", "html5", "xhtml1"):
                output_format = {"html5": "html", "xhtml1": "xhtml"}.get(kw.value.value, kw.value.value)
            else:
                notes.append(f"{name} {_line(kw.value)}: output_format is not a literal; the default is used")
        elif kw.arg == "tab_length":
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, int) and kw.value.value > 0:
                tab_length = kw.value.value
            else:
                notes.append(f"{name} {_line(kw.value)}: tab_length is not a literal; 4 is used")
        elif kw.arg is None:
            notes.append(f"{name} {_line(call)}: markdown is given **kwargs; only the literal arguments are used")
        elif kw.arg not in ("extension_configs", "lazy_ol"):
            pass  # arguments that don't change this reading
        else:
            notes.append(f"{name} {_line(kw.value)}: {kw.arg}= is not modelled; rendered without it")

    # the slice
    start = 0
    starts: set[int] = set()
    for node in ast.walk(func):
        if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
                and isinstance(node.value, ast.Name | ast.Call)):
            s = node.slice
            if (s.upper is None and s.step is None and isinstance(s.lower, ast.Constant)
                    and isinstance(s.lower.value, int) and s.lower.value >= 0):
                starts.add(s.lower.value)
            else:
                notes.append(f"{name} {_line(node)}: html() slices the text in a way reportls can't read; "
                             f"{fallback} (text[{COURSE_START}:])")
                starts = {COURSE_START}
                break
    if len(starts) > 1:
        notes.append(f"{name}: html() slices the text more than once; {fallback} (text[{COURSE_START}:])")
        starts = {COURSE_START}
    if starts:
        start = starts.pop()

    # text rewrites reportls does not apply
    for node in ast.walk(func):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _TEXT_REWRITES and node is not call):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in ("text", "content", "md", "readme", "page", "html"):
                notes.append(f"{name} {_line(node)}: html() changes the text ({node.func.attr}) before rendering; "
                             "reportls renders it without that change")
            elif isinstance(owner, ast.Name) and owner.id == "re":
                notes.append(f"{name} {_line(node)}: html() rewrites the text with re.{node.func.attr} before "
                             "rendering; reportls renders it without that change")

    literal, unknown = _outputs(func)
    output = COURSE_OUTPUT
    if literal:
        output = literal[-1]
    elif unknown:
        notes.append(f"{name} {_line(unknown[0])}: the page's file name is not a literal; {COURSE_OUTPUT} is assumed")
    return HtmlSpec(
        start=start,
        extensions=tuple(extensions),
        output=output,
        output_format=output_format,
        tab_length=tab_length,
        source="report.py",
        notes=tuple(notes),
    )
