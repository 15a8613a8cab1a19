"""Reading a group's ``report.py`` statically with ``ast`` (never imported, compiled or executed).

Owns ``read_report_py`` and ``ReportPyReading``.  Understands both shapes the course has shipped:

- click era (December 2022 - November 2024): a list ``question_constrains = [no_constraints,
  partial(length_constraints, min=100, max=200), partial(image_constrains, ...),
  partial(multi_constrains, constrains=(...)), ...]``; keywords ``min``/``max`` (until September
  2023) or ``min_length``/``max_length``; the functions at module level or nested in ``check()``
  (January 2023); ``text = text[43:]`` in ``check()``; failure messages numbered from 0 when the
  loop is ``enumerate(zip(answers, question_constrains))`` without a start;
- typer/pydantic era (December 2024 on): a dict ``question_constraints = {"question_1":
  NoConstraints(), "question_3": LengthConstraints(min_length=0, max_length=200),
  "question_14": MultiConstraints(constrains=[LengthConstraints(...), ImageConstraints(...)])}``
  whose insertion order is the question order.

Only numbers are read: the bounds, the expected answer count (``if len(answers) != 31:``), the
ValueError message, whether ``check()`` drops ``text[43:]`` and how questions are numbered.  Where
a group changed the counting itself (words not counted with ``.split()``, another image pattern,
``<img>`` tags counted, answers not split on ``Answer:``, a hard-coded README path) the reading
says so in ``notes`` rather than guess.  A file it can't understand gives ``table=None`` and the
reason in ``problems``.

What it walks: the file is parsed with ``compile(..., PyCF_ONLY_AST)`` (what ``ast.parse`` does; the
node classes come from ``_ast``, so the ``ast`` module itself is imported only to quote a piece of
source in a message); then only the statements of the whole file (the table, the names it uses, the
function and class definitions), and every node only of ``check()`` and of the counting functions the
table names.  Where the order of a walk decides, it is ``ast.walk``'s (breadth first): a subset of
the nodes that holds every ancestor of its members is met in the same order by a breadth-first walk
of the subset alone.  ``tests/unit/reportpy_walked.py`` keeps the reading that walked every node, and
the tests compare the two on every fixture and on generated variants.
"""

from __future__ import annotations

from _ast import (
    AST,
    Add,
    AnnAssign,
    Assign,
    AsyncFunctionDef,
    Attribute,
    BinOp,
    Call,
    ClassDef,
    Compare,
    Constant,
    Dict,
    For,
    FormattedValue,
    FunctionDef,
    If,
    JoinedStr,
    List,
    Module,
    Mult,
    Name,
    NotEq,
    PyCF_ONLY_AST,
    Raise,
    Slice,
    Starred,
    Subscript,
    Tuple,
    excepthandler,
    match_case,
    stmt,
)

from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable
from reportls.text.records import field, record

STANDARD_IMAGE_REGEX = r"\!\[.*?\]\(.*?\)"
TABLE_NAMES = ("question_constrains", "question_constraints")
_WORDS = ("length_constraints", "length_constrains", "LengthConstraints", "LengthConstrains")
_IMAGES = ("image_constrains", "image_constraints", "ImageConstraints", "ImageConstrains")
_MULTI = ("multi_constrains", "multi_constraints", "MultiConstraints", "MultiConstrains")
_NONE = ("no_constraints", "no_constrains", "NoConstraints", "NoConstrains")
_KNOWN = _WORDS + _IMAGES + _MULTI + _NONE
_MIN_TABLE = 5  # the course's tables have 27 or 31 entries; fewer is not the course's report.py
_REGEX_FUNCS = ("findall", "finditer", "search", "match", "fullmatch", "compile", "sub", "subn", "split")


@record(slots=True)
class ReportPyReading:
    """What ``read_report_py`` made of a report.py.

    ``table`` is None when the file could not be understood; ``problems`` then says why (each
    starts with the file name, e.g. ``"report.py line 12: syntax error: ..."``).  ``notes`` lists
    changes to the counting logic that reportls does not model (the table is still usable).
    """

    table: ConstraintTable | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Unknown(Exception):
    """Something in the table that can't be read statically; the message says what and where."""


def _name(node: AST | None) -> str | None:
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Attribute):
        return node.attr
    return None


def _line(node: AST) -> str:
    return f"line {getattr(node, 'lineno', '?')}"


def _const_str(node: AST | None) -> str | None:
    if isinstance(node, Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Reader:
    def __init__(self, tree: Module):
        self.tree = tree
        self.parents: dict[AST, AST] = {}  # a statement's parent (a statement, handler, case or the module)
        self.bindings: dict[str, list[tuple[int, AST]]] = {}
        self.defs: dict[str, list[AST]] = {}
        self.statements = _statements(tree, self.parents)  # the one walk of the whole file
        for node in self.statements:
            if isinstance(node, Assign):
                for target in node.targets:
                    if isinstance(target, Name):
                        self.bindings.setdefault(target.id, []).append((node.lineno, node.value))
            elif isinstance(node, AnnAssign) and node.value is not None and isinstance(node.target, Name):
                self.bindings.setdefault(node.target.id, []).append((node.lineno, node.value))
            elif isinstance(node, (FunctionDef, AsyncFunctionDef, ClassDef)):
                self.defs.setdefault(node.name, []).append(node)
        self.table_name: str | None = None
        self.used: dict[str, set[str]] = {"words": set(), "images": set()}
        self.node_fields = _NodeFields()

    # names --------------------------------------------------------------------------------------
    def resolve(self, name: str, at: int) -> AST | None:
        """The value last bound to ``name`` before line ``at`` (or anywhere, if none before)."""
        found = self.bindings.get(name)
        if not found:
            return None
        before = [value for line, value in found if line <= at]
        return before[-1] if before else found[-1]

    def int_value(self, node: AST, depth: int = 0) -> int | None:
        if isinstance(node, Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, Name) and depth < 5:
            value = self.resolve(node.id, node.lineno)
            return self.int_value(value, depth + 1) if value is not None else None
        return None

    # the table ----------------------------------------------------------------------------------
    def find_table(self) -> AST | None:
        named = []
        shaped = []
        for node in self.statements:
            if isinstance(node, (Assign, AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, Name)]
                if any(n in TABLE_NAMES for n in names):
                    named.append((node, next(n for n in names if n in TABLE_NAMES)))
                elif _looks_like_table(node.value):
                    shaped.append((node, names[0] if names else None))
        chosen = named[0] if named else shaped[0] if shaped else None
        if chosen is None:
            return None
        self.table_name = chosen[1]
        return chosen[0]

    def elements(self, node: AST, depth: int = 0) -> list[AST]:
        if depth > 20:
            raise _Unknown(f"{_line(node)}: the constraint table is built too indirectly")
        if isinstance(node, (List, Tuple)):
            if any(isinstance(e, Starred) for e in node.elts):
                raise _Unknown(f"{_line(node)}: the constraint table unpacks another list (`*...`)")
            return list(node.elts)
        if isinstance(node, Dict):
            # a dict literal keeps the first position of a repeated key and its last value
            order: list[object] = []
            values: dict[object, AST] = {}
            for i, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
                if key is None:
                    raise _Unknown(f"{_line(node)}: the constraint dict unpacks another dict (`**...`)")
                k: object = key.value if isinstance(key, Constant) else ("expr", i)
                if k not in values:
                    order.append(k)
                values[k] = value
            return [values[k] for k in order]
        if isinstance(node, BinOp) and isinstance(node.op, Add):
            return self.elements(node.left, depth + 1) + self.elements(node.right, depth + 1)
        if isinstance(node, BinOp) and isinstance(node.op, Mult):
            for seq, times in ((node.left, node.right), (node.right, node.left)):
                n = self.int_value(times)
                if n is not None and isinstance(seq, (List, Tuple, Name, BinOp)):
                    return self.elements(seq, depth + 1) * max(n, 0)
        if isinstance(node, Name):
            value = self.resolve(node.id, node.lineno)
            if value is not None and value is not node:
                return self.elements(value, depth + 1)
        raise _Unknown(f"{_line(node)}: the constraint table is not a literal list or dict")

    def constraint(self, node: AST, depth: int = 0) -> Constraint:
        """One entry of the table -> Constraint."""
        if depth > 10:
            raise _Unknown(f"{_line(node)}: a constraint nested too deeply")
        name = _name(node)
        if not isinstance(node, Call):
            if name in _NONE:
                return NO_CONSTRAINT
            if isinstance(node, Name):
                value = self.resolve(node.id, node.lineno)
                if value is not None:
                    return self.constraint(value, depth + 1)
            if isinstance(node, Constant) and node.value is None:
                raise _Unknown(f"{_line(node)}: a `None` constraint (report.py would crash calling it)")
            raise _Unknown(f"{_line(node)}: unrecognised constraint `{_source(node)}`")
        func = _name(node.func)
        args = list(node.args)
        if any([isinstance(a, Starred) for a in args]) or any([k.arg is None for k in node.keywords]):
            raise _Unknown(f"{_line(node)}: a constraint with unpacked arguments")
        kw = {k.arg: k.value for k in node.keywords}
        if func == "partial":
            if not args:
                raise _Unknown(f"{_line(node)}: partial() without a function")
            func = _name(args[0])
            args = args[1:]
        if func in _NONE:
            return NO_CONSTRAINT
        if func in _WORDS:
            self.used["words"].add(func)
            lo, hi = self.pair(node, args, kw, ("min", "min_length", "min_words"), ("max", "max_length", "max_words"))
            return Constraint(lo, hi)
        if func in _IMAGES:
            self.used["images"].add(func)
            lo, hi = self.pair(node, args, kw, ("min", "min_images", "min_length"), ("max", "max_images", "max_length"))
            return Constraint(min_images=lo, max_images=hi)
        if func in _MULTI:
            inner = kw.get("constrains", kw.get("constraints", args[0] if args else None))
            if inner is None:
                raise _Unknown(f"{_line(node)}: a multi constraint without its list")
            return _all_of([self.constraint(part, depth + 1) for part in self.elements(inner)])
        raise _Unknown(f"{_line(node)}: unrecognised constraint function `{func or _source(node.func)}`")

    def pair(self, node, args, kw, lo_names, hi_names) -> tuple[int, int]:
        lo = _keyword(kw, lo_names)
        hi = _keyword(kw, hi_names)
        if lo is None and args:
            lo = args[0]
        if hi is None and len(args) > 1:
            hi = args[1]
        if lo is None or hi is None:
            raise _Unknown(f"{_line(node)}: a constraint without both bounds")
        values = self.int_value(lo), self.int_value(hi)
        if values[0] is None or values[1] is None:
            raise _Unknown(f"{_line(node)}: a bound that is not a plain number (`{_source(node)}`)")
        return values[0], values[1]

    # where check() lives ------------------------------------------------------------------------
    def check_scope(self, table_assign: AST) -> AST:
        node = self.parents.get(table_assign)
        while node is not None:
            if isinstance(node, (FunctionDef, AsyncFunctionDef)):
                return node
            node = self.parents.get(node)
        checks = [d for d in self.defs.get("check", []) if isinstance(d, (FunctionDef, AsyncFunctionDef))]
        return checks[0] if checks else self.tree

    # strings ------------------------------------------------------------------------------------
    def string(self, node: AST, expected: int, depth: int = 0) -> str | None:
        if depth > 10:
            return None
        if isinstance(node, Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, JoinedStr):
            out = []
            for v in node.values:
                if isinstance(v, Constant):
                    out.append(str(v.value))
                elif isinstance(v, FormattedValue):
                    out.append(self.formatted(v.value, expected))
                else:
                    return None
            return "".join(out)
        if isinstance(node, BinOp) and isinstance(node.op, Add):
            a, b = self.string(node.left, expected, depth + 1), self.string(node.right, expected, depth + 1)
            return a + b if a is not None and b is not None else None
        if isinstance(node, Name):
            value = self.resolve(node.id, node.lineno)
            return self.string(value, expected, depth + 1) if value is not None else None
        return None

    def formatted(self, node: AST, expected: int) -> str:
        """An f-string field: a number it can read, else the field's own source text."""
        n = self.int_value(node)
        if n is not None:
            return str(n)
        if self.is_table_len(node):
            return str(expected)
        if isinstance(node, Constant):
            return str(node.value)
        return "{" + _source(node) + "}"

    def is_table_len(self, node: AST) -> bool:
        return (
            isinstance(node, Call)
            and _name(node.func) == "len"
            and len(node.args) == 1
            and _name(node.args[0]) is not None
            and _name(node.args[0]) == self.table_name
        )


def _keyword(kw: dict[str, AST], names: tuple[str, ...]) -> AST | None:
    """The value of the first of ``names`` given as a keyword."""
    for name in names:
        if name in kw:
            return kw[name]
    return None


def _source(node: AST) -> str:
    import ast  # only to quote a piece of source in a message

    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - only for a message
        text = type(node).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _looks_like_table(value: AST) -> bool:
    if isinstance(value, (List, Tuple)):
        elts = value.elts
    elif isinstance(value, Dict):
        elts = value.values
    else:
        return False
    if len(elts) < _MIN_TABLE:
        return False
    return all(
        _name(e) in _KNOWN or (isinstance(e, Call) and _name(e.func) in _KNOWN + ("partial",)) for e in elts
    )


def _all_of(parts: list[Constraint]) -> Constraint:
    """A multi constraint passes when every part passes: the intersection of their bounds."""
    words = [(c.min_words, c.max_words) for c in parts if c.has_words]
    images = [(c.min_images, c.max_images) for c in parts if c.has_images]
    w = (max(a for a, _ in words), min(b for _, b in words)) if words else (None, None)
    i = (max(a for a, _ in images), min(b for _, b in images)) if images else (None, None)
    return Constraint(w[0], w[1], i[0], i[1])


def _normalise_regex(pattern: str) -> str:
    return pattern.replace("\\!", "!")


# walks ---------------------------------------------------------------------------------------------
_NOT_NODES = frozenset(("ctx", "op", "ops", "id", "attr", "arg", "name", "names", "asname", "module", "level",
                        "is_async", "conversion", "kind", "type_comment", "simple", "tag", "kwd_attrs", "rest"))
_STATEMENT_HOLDERS = (stmt, excepthandler, match_case)


class _NodeFields(dict):
    """Node type -> the fields that can hold nodes the walks look for: ``_fields`` without the names,
    flags and counts (identifiers, ints), the expression contexts and the operators (leaves without
    strings or calls).  ``TypeAlias.name`` and ``Import.names`` hold nodes, but never a call or a
    string.  Filled in as the reading meets each type (one per reading); anything without ``_fields``
    (None, a name in ``Global.names``) has none."""

    def __init__(self):
        super().__init__({Name: (), Constant: ()})

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields = self[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f not in _NOT_NODES)
        return fields


def _statements(root: AST, parents: dict[AST, AST] | None = None) -> list[AST]:
    """``root`` and the statements under it (with the exception handlers and match cases that hold
    some), in ``ast.walk`` order; ``parents`` gets each one's parent."""
    out = [root]
    for node in out:  # grows while it is read: breadth first
        for name in node._fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, _STATEMENT_HOLDERS):
                        out.append(item)
                        if parents is not None:
                            parents[item] = node
    return out


def _calls_and_strings(root: AST, node_fields: _NodeFields) -> tuple[list[Call], list[str]]:
    """Every call and every string constant under ``root`` (``root`` included), in no set order."""
    calls: list[Call] = []
    strings: list[str] = []
    todo = [root]
    pop, push, extend = todo.pop, todo.append, todo.extend
    while todo:
        node = pop()
        kind = node.__class__
        if kind is Constant:
            if isinstance(node.value, str):
                strings.append(node.value)
            continue
        if kind is Call:
            calls.append(node)
        for name in node_fields[kind]:
            value = getattr(node, name, None)
            if value.__class__ is list:
                extend(value)
            else:
                push(value)
    return calls, strings


def _walk(root: AST, node_fields: _NodeFields) -> list[AST]:
    """The nodes under ``root`` as ``ast.walk`` meets them (without contexts and operators, leaves that
    change no other node's place)."""
    out = [root]
    for node in out:  # grows while it is read: breadth first
        for name in node_fields[node.__class__]:
            value = getattr(node, name, None)
            if value.__class__ is list:
                out.extend(item for item in value if isinstance(item, AST))
            elif isinstance(value, AST):
                out.append(value)
    return out


def read_report_py(source: str, path: str | None = None) -> ReportPyReading:
    """Read the constraint table out of a report.py's source, statically.

    ``path`` is only used in messages and as the table's ``source_path``.  Never raises on any
    input: a file it can't understand gives ``ReportPyReading(None, [reason])``.
    """
    label = (path.replace("\\", "/").rsplit("/", 1)[-1] or "report.py") if path else "report.py"
    if source.startswith("\ufeff"):
        source = source[1:]
    try:
        tree = compile(source, label, "exec", PyCF_ONLY_AST, True)  # ``ast.parse``, without importing ``ast``
    except SyntaxError as e:
        return ReportPyReading(None, [f"{label} line {e.lineno or '?'}: syntax error: {e.msg}"])
    except (ValueError, TypeError, RecursionError, MemoryError) as e:
        return ReportPyReading(None, [f"{label}: cannot be parsed ({type(e).__name__}: {e})"])
    try:
        return _read(tree, label, path)
    except RecursionError:
        return ReportPyReading(None, [f"{label}: nested too deeply to read"])


def _read(tree: Module, label: str, path: str | None) -> ReportPyReading:
    r = _Reader(tree)
    table_assign = r.find_table()
    if table_assign is None:
        return ReportPyReading(None, [f"{label}: no constraint list or dict found (an unknown report.py shape)"])
    try:
        elements = r.elements(table_assign.value)
        if len(elements) < _MIN_TABLE:
            raise _Unknown(f"{_line(table_assign)}: the constraint table has only {len(elements)} "
                           f"entr{'y' if len(elements) == 1 else 'ies'} (the course's have 27 or 31)")
        questions = tuple(r.constraint(e) for e in elements)
    except _Unknown as e:
        return ReportPyReading(None, [f"{label} {e}"])

    notes: list[str] = []
    scope = r.check_scope(table_assign)
    statements = r.statements if scope is r.tree else _statements(scope)  # in ``ast.walk`` order
    calls, strings = _calls_and_strings(scope, r.node_fields)  # every node of ``check()``, walked once

    # the answer count and the crash message
    expected = None
    message: str | None = None
    for node in statements:
        if not (isinstance(node, If) and isinstance(node.test, Compare)):
            continue
        test = node.test
        if not (
            len(test.ops) == 1
            and isinstance(test.ops[0], NotEq)
            and isinstance(test.left, Call)
            and _name(test.left.func) == "len"
        ):
            continue
        raises = [n for s in node.body for n in _statements(s) if isinstance(n, Raise)]
        if not raises:
            continue
        right = test.comparators[0]
        count = len(questions) if r.is_table_len(right) else r.int_value(right)
        if count is None:
            continue
        expected = count
        exc = raises[0].exc
        if isinstance(exc, Call) and exc.args:
            message = r.string(exc.args[0], expected)
        elif exc is not None:
            message = ""
        break
    if expected is None:
        expected = len(questions)
        notes.append(f"{label} does not check the number of answers; reportls still expects {expected}.")
    if not 1 <= expected <= 1000:
        return ReportPyReading(None, [f"{label}: expects {expected} answers, which no report template has"])

    # what check() reads and how it cuts the text
    split_receivers = set()
    markers = set()
    for call in calls:
        if isinstance(call.func, Attribute) and call.func.attr == "split" and call.args:
            marker = _const_str(call.args[0])
            if marker is not None:
                markers.add(marker)
                if marker == "Answer:" and isinstance(call.func.value, Name):
                    split_receivers.add(call.func.value.id)
    text_names = split_receivers or {"text"}
    click = False
    for node in statements:
        if (
            isinstance(node, Assign)
            and any(isinstance(t, Name) and t.id in text_names for t in node.targets)
            and isinstance(node.value, Subscript)
            and isinstance(node.value.slice, Slice)
            and node.value.slice.upper is None
            and node.value.slice.step is None
            and node.value.slice.lower is not None
        ):
            dropped = r.int_value(node.value.slice.lower)
            if dropped == 43:
                click = True
            else:
                notes.append(f"{label} drops the first {_source(node.value.slice.lower)} characters of the report, "
                             "not 43; reportls reads the report as the course's report.py does.")
    if "Answer:" not in markers:
        notes.append(f"{label} does not split the report on `Answer:`; reportls splits answers as the course's "
                     "report.py does.")
    elif "###" not in markers or "##" not in markers:
        notes.append(f"{label} cuts answers differently (not at `###` then `##`); reportls cuts them as the "
                     "course's report.py does.")
    zero_based = _first_number(r, scope, statements, calls) == 0
    md_paths = sorted({s for s in strings if s and s.lower().endswith(".md")})
    if md_paths and "README.md" not in md_paths:
        shown = ", ".join(f"`{p}`" for p in md_paths)
        notes.append(f"{label} reads {shown} (a fixed path) rather than the README.md beside it; reportls checks "
                     "this report.")

    # how the constraint functions count
    notes.extend(_counting_notes(r, label))

    if len(questions) < expected:
        notes.append(f"{label} lists {len(questions)} constraints for {expected} answers; report.py checks only the "
                     f"first {len(questions)}.")
        questions = questions + (NO_CONSTRAINT,) * (expected - len(questions))
    questions = questions[:expected]

    extra = {}
    if message is not None:
        extra["crash_message"] = message.replace("{", "{{").replace("}", "}}")
    table = ConstraintTable(
        name="report.py",
        answers=expected,
        questions=questions,
        click=click,
        zero_based_messages=zero_based,
        source="report.py",
        source_path=path,
        notes=tuple(notes),
        **extra,
    )
    return ReportPyReading(table, [], notes)


def _first_number(r: _Reader, scope: AST, statements: list[AST], calls: list[Call]) -> int | None:
    """The number report.py's messages give the first question: the ``start`` of the
    ``enumerate(zip(answers, constraints))`` its check loops over (0 without one, as in the
    report.py of 29 December 2022 / 6 January 2023), plus ``k`` when the loop hands the
    constraint ``i + k`` rather than ``i``.  None: no such loop.  Of several such calls, the first
    ``ast.walk`` meets."""
    loops = [c for c in calls if _name(c.func) == "enumerate" and c.args and isinstance(c.args[0], Call)
             and _name(c.args[0].func) == "zip"]
    if len(loops) > 1:
        found = {id(c) for c in loops}
        loops = [n for n in _walk(scope, r.node_fields) if id(n) in found]
    for call in loops[:1]:
        start = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "start"), None)
        first = 0 if start is None else r.int_value(start)
        if first is None:
            return None
        loop = next((n for n in statements if isinstance(n, For) and n.iter is call), None)
        index = loop.target.elts[0] if loop is not None and isinstance(loop.target, Tuple) and loop.target.elts \
            else None
        if isinstance(index, Name):
            for node in _walk(loop, r.node_fields):
                if isinstance(node, Call) and node is not call:
                    for arg in node.args:
                        if (isinstance(arg, BinOp) and isinstance(arg.op, Add)
                                and isinstance(arg.left, Name) and arg.left.id == index.id
                                and isinstance(arg.right, Constant) and isinstance(arg.right.value, int)):
                            return first + arg.right.value
        return first
    return None


def _counting_notes(r: _Reader, label: str) -> list[str]:
    notes: list[str] = []
    for kind in ("words", "images"):
        for name in sorted(r.used[kind]):
            defs = r.defs.get(name)
            if not defs:
                notes.append(f"`{name}` is not defined in {label}; reportls assumes it counts as the course's does.")
                continue
            body = defs[-1]
            calls, strings = _calls_and_strings(body, r.node_fields)
            if kind == "words":
                if not any(isinstance(c.func, Attribute) and c.func.attr == "split" and not c.args
                           and not c.keywords for c in calls):
                    notes.append(f"{label} counts words its own way (`{name}` does not use `.split()`); "
                                 "reportls counts whitespace-separated tokens as the course's report.py does.")
                continue
            patterns = [
                p for c in calls
                if isinstance(c.func, Attribute) and c.func.attr in _REGEX_FUNCS and c.args
                and (p := _const_str(c.args[0])) is not None and not (c.func.attr == "split" and
                                                                      _name(c.func.value) != "re")
            ]
            if any("<img" in s.lower() for s in strings):
                notes.append(f"{label} counts `<img>` tags as images (in `{name}`); reportls counts only "
                             "`![...](...)` links, as the course's report.py does.")
            elif not patterns:
                notes.append(f"{label} finds images without the course's pattern (in `{name}`); reportls counts "
                             "`![...](...)` links as the course's report.py does.")
            elif any(_normalise_regex(p) != _normalise_regex(STANDARD_IMAGE_REGEX) for p in patterns):
                notes.append(f"{label} uses its own image pattern (in `{name}`); reportls counts `![...](...)` "
                             "links as the course's report.py does.")
    return notes
