"""The reading ``constraints.reportpy_reader.read_report_py`` did before it walked only what it needs:
one breadth-first walk of every node of the tree (``ast.walk`` order, with a parent map), then further
walks of ``check()`` and of the counting functions.  Kept here, unchanged but for its names, as the
reference the tests compare the package's reading with (the same ``ReportPyReading``, field by field,
note by note, on every input)."""

from __future__ import annotations

import ast
from collections import deque

from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable
from reportls.constraints.reportpy_reader import ReportPyReading

STANDARD_IMAGE_REGEX = r"\!\[.*?\]\(.*?\)"
TABLE_NAMES = ("question_constrains", "question_constraints")
_WORDS = ("length_constraints", "length_constrains", "LengthConstraints", "LengthConstrains")
_IMAGES = ("image_constrains", "image_constraints", "ImageConstraints", "ImageConstrains")
_MULTI = ("multi_constrains", "multi_constraints", "MultiConstraints", "MultiConstrains")
_NONE = ("no_constraints", "no_constrains", "NoConstraints", "NoConstrains")
_KNOWN = _WORDS + _IMAGES + _MULTI + _NONE
_MIN_TABLE = 5  # the course's tables have 27 or 31 entries; fewer is not the course's report.py
_REGEX_FUNCS = ("findall", "finditer", "search", "match", "fullmatch", "compile", "sub", "subn", "split")


class _Unknown(Exception):
    """Something in the table that can't be read statically; the message says what and where."""


def _name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _line(node: ast.AST) -> str:
    return f"line {getattr(node, 'lineno', '?')}"


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Reader:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        self.bindings: dict[str, list[tuple[int, ast.AST]]] = {}
        self.defs: dict[str, list[ast.AST]] = {}
        self.nodes: list[ast.AST] = []  # every node, in ``ast.walk`` order: the one walk of the tree
        todo = deque([tree])
        while todo:  # ``ast.walk``, with each node's children listed once for the walk and the parents
            node = todo.popleft()
            self.nodes.append(node)
            children = list(ast.iter_child_nodes(node))
            for child in children:
                self.parents[child] = node
            todo.extend(children)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.bindings.setdefault(target.id, []).append((node.lineno, node.value))
            elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
                self.bindings.setdefault(node.target.id, []).append((node.lineno, node.value))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.defs.setdefault(node.name, []).append(node)
        self.table_name: str | None = None
        self.used: dict[str, set[str]] = {"words": set(), "images": set()}

    # names --------------------------------------------------------------------------------------
    def resolve(self, name: str, at: int) -> ast.AST | None:
        """The value last bound to ``name`` before line ``at`` (or anywhere, if none before)."""
        found = self.bindings.get(name)
        if not found:
            return None
        before = [value for line, value in found if line <= at]
        return before[-1] if before else found[-1]

    def int_value(self, node: ast.AST, depth: int = 0) -> int | None:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name) and depth < 5:
            value = self.resolve(node.id, node.lineno)
            return self.int_value(value, depth + 1) if value is not None else None
        return None

    # the table ----------------------------------------------------------------------------------
    def find_table(self) -> ast.AST | None:
        named = []
        shaped = []
        for node in self.nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if any(n in TABLE_NAMES for n in names):
                    named.append((node, next(n for n in names if n in TABLE_NAMES)))
                elif _looks_like_table(node.value):
                    shaped.append((node, names[0] if names else None))
        chosen = named[0] if named else shaped[0] if shaped else None
        if chosen is None:
            return None
        self.table_name = chosen[1]
        return chosen[0]

    def elements(self, node: ast.AST, depth: int = 0) -> list[ast.AST]:
        if depth > 20:
            raise _Unknown(f"{_line(node)}: the constraint table is built too indirectly")
        if isinstance(node, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                raise _Unknown(f"{_line(node)}: the constraint table unpacks another list (`*...`)")
            return list(node.elts)
        if isinstance(node, ast.Dict):
            # a dict literal keeps the first position of a repeated key and its last value
            order: list[object] = []
            values: dict[object, ast.AST] = {}
            for i, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
                if key is None:
                    raise _Unknown(f"{_line(node)}: the constraint dict unpacks another dict (`**...`)")
                k: object = key.value if isinstance(key, ast.Constant) else ("expr", i)
                if k not in values:
                    order.append(k)
                values[k] = value
            return [values[k] for k in order]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.elements(node.left, depth + 1) + self.elements(node.right, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            for seq, times in ((node.left, node.right), (node.right, node.left)):
                n = self.int_value(times)
                if n is not None and isinstance(seq, (ast.List, ast.Tuple, ast.Name, ast.BinOp)):
                    return self.elements(seq, depth + 1) * max(n, 0)
        if isinstance(node, ast.Name):
            value = self.resolve(node.id, node.lineno)
            if value is not None and value is not node:
                return self.elements(value, depth + 1)
        raise _Unknown(f"{_line(node)}: the constraint table is not a literal list or dict")

    def constraint(self, node: ast.AST, depth: int = 0) -> Constraint:
        """One entry of the table -> Constraint."""
        if depth > 10:
            raise _Unknown(f"{_line(node)}: a constraint nested too deeply")
        name = _name(node)
        if not isinstance(node, ast.Call):
            if name in _NONE:
                return NO_CONSTRAINT
            if isinstance(node, ast.Name):
                value = self.resolve(node.id, node.lineno)
                if value is not None:
                    return self.constraint(value, depth + 1)
            if isinstance(node, ast.Constant) and node.value is None:
                raise _Unknown(f"{_line(node)}: a `None` constraint (report.py would crash calling it)")
            raise _Unknown(f"{_line(node)}: unrecognised constraint `{_source(node)}`")
        func = _name(node.func)
        args = list(node.args)
        if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in node.keywords):
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
        lo = next((kw[n] for n in lo_names if n in kw), None)
        hi = next((kw[n] for n in hi_names if n in kw), None)
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
    def check_scope(self, table_assign: ast.AST) -> ast.AST:
        node = self.parents.get(table_assign)
        while node is not None:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
            node = self.parents.get(node)
        checks = [d for d in self.defs.get("check", []) if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))]
        return checks[0] if checks else self.tree

    # strings ------------------------------------------------------------------------------------
    def string(self, node: ast.AST, expected: int, depth: int = 0) -> str | None:
        if depth > 10:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            out = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    out.append(str(v.value))
                elif isinstance(v, ast.FormattedValue):
                    out.append(self.formatted(v.value, expected))
                else:
                    return None
            return "".join(out)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.string(node.left, expected, depth + 1), self.string(node.right, expected, depth + 1)
            return a + b if a is not None and b is not None else None
        if isinstance(node, ast.Name):
            value = self.resolve(node.id, node.lineno)
            return self.string(value, expected, depth + 1) if value is not None else None
        return None

    def formatted(self, node: ast.AST, expected: int) -> str:
        """An f-string field: a number it can read, else the field's own source text."""
        n = self.int_value(node)
        if n is not None:
            return str(n)
        if self.is_table_len(node):
            return str(expected)
        if isinstance(node, ast.Constant):
            return str(node.value)
        return "{" + _source(node) + "}"

    def is_table_len(self, node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and _name(node.func) == "len"
            and len(node.args) == 1
            and _name(node.args[0]) is not None
            and _name(node.args[0]) == self.table_name
        )


def _source(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - only for a message
        text = type(node).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _looks_like_table(value: ast.AST) -> bool:
    if isinstance(value, (ast.List, ast.Tuple)):
        elts = value.elts
    elif isinstance(value, ast.Dict):
        elts = value.values
    else:
        return False
    if len(elts) < _MIN_TABLE:
        return False
    return all(
        _name(e) in _KNOWN or (isinstance(e, ast.Call) and _name(e.func) in _KNOWN + ("partial",)) for e in elts
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


def _walk_calls(node: ast.AST):
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            yield n


def read_report_py_walking_everything(source: str, path: str | None = None) -> ReportPyReading:
    """Read the constraint table out of a report.py's source, statically.

    ``path`` is only used in messages and as the table's ``source_path``.  Never raises on any
    input: a file it can't understand gives ``ReportPyReading(None, [reason])``.
    """
    label = (path.replace("\\", "/").rsplit("/", 1)[-1] or "report.py") if path else "report.py"
    if source.startswith("\ufeff"):
        source = source[1:]
    try:
        tree = ast.parse(source, filename=label)
    except SyntaxError as e:
        return ReportPyReading(None, [f"{label} line {e.lineno or '?'}: syntax error: {e.msg}"])
    except (ValueError, TypeError, RecursionError, MemoryError) as e:
        return ReportPyReading(None, [f"{label}: cannot be parsed ({type(e).__name__}: {e})"])
    try:
        return _read(tree, label, path)
    except RecursionError:
        return ReportPyReading(None, [f"{label}: nested too deeply to read"])


def _read(tree: ast.Module, label: str, path: str | None) -> ReportPyReading:
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
    in_scope = r.nodes if scope is r.tree else list(ast.walk(scope))  # walked once, read below
    calls = [n for n in in_scope if isinstance(n, ast.Call)]

    # the answer count and the crash message
    expected = None
    message: str | None = None
    for node in in_scope:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)):
            continue
        test = node.test
        if not (
            len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotEq)
            and isinstance(test.left, ast.Call)
            and _name(test.left.func) == "len"
        ):
            continue
        raises = [n for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Raise)]
        if not raises:
            continue
        right = test.comparators[0]
        count = len(questions) if r.is_table_len(right) else r.int_value(right)
        if count is None:
            continue
        expected = count
        exc = raises[0].exc
        if isinstance(exc, ast.Call) and exc.args:
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
        if isinstance(call.func, ast.Attribute) and call.func.attr == "split" and call.args:
            marker = _const_str(call.args[0])
            if marker is not None:
                markers.add(marker)
                if marker == "Answer:" and isinstance(call.func.value, ast.Name):
                    split_receivers.add(call.func.value.id)
    text_names = split_receivers or {"text"}
    click = False
    for node in in_scope:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in text_names for t in node.targets)
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.slice, ast.Slice)
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
    zero_based = _first_number(r, in_scope, calls) == 0
    md_paths = sorted({s for n in in_scope if (s := _const_str(n)) and s.lower().endswith(".md")})
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


def _first_number(r: _Reader, in_scope: list[ast.AST], calls: list[ast.Call]) -> int | None:
    """The number report.py's messages give the first question: the ``start`` of the
    ``enumerate(zip(answers, constraints))`` its check loops over (0 without one, as in the
    report.py of 29 December 2022 / 6 January 2023), plus ``k`` when the loop hands the
    constraint ``i + k`` rather than ``i``.  None: no such loop."""
    for call in calls:
        if not (_name(call.func) == "enumerate" and call.args and isinstance(call.args[0], ast.Call)
                and _name(call.args[0].func) == "zip"):
            continue
        start = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "start"), None)
        first = 0 if start is None else r.int_value(start)
        if first is None:
            return None
        loop = next((n for n in in_scope if isinstance(n, ast.For) and n.iter is call), None)
        index = loop.target.elts[0] if loop is not None and isinstance(loop.target, ast.Tuple) and loop.target.elts \
            else None
        if isinstance(index, ast.Name):
            for node in ast.walk(loop):
                if isinstance(node, ast.Call) and node is not call:
                    for arg in node.args:
                        if (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add)
                                and isinstance(arg.left, ast.Name) and arg.left.id == index.id
                                and isinstance(arg.right, ast.Constant) and isinstance(arg.right.value, int)):
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
            calls = list(_walk_calls(body))
            if kind == "words":
                if not any(isinstance(c.func, ast.Attribute) and c.func.attr == "split" and not c.args
                           and not c.keywords for c in calls):
                    notes.append(f"{label} counts words its own way (`{name}` does not use `.split()`); "
                                 "reportls counts whitespace-separated tokens as the course's report.py does.")
                continue
            patterns = [
                p for c in calls
                if isinstance(c.func, ast.Attribute) and c.func.attr in _REGEX_FUNCS and c.args
                and (p := _const_str(c.args[0])) is not None and not (c.func.attr == "split" and
                                                                      _name(c.func.value) != "re")
            ]
            strings = [s for n in ast.walk(body) if (s := _const_str(n)) is not None]
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
