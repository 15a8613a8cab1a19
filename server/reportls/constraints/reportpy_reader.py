"""Reading a group's ``report.py`` statically with ``ast`` (never imported, never executed).

Understands both shapes seen in the wild: the click-era list of ``partial(length_constraints,
min=.., max=..)`` / ``image_constrains`` / ``multi_constrains`` / ``no_constraints`` (keywords
``min``/``max`` or ``min_length``/``max_length``, functions at module level or nested in
``check()``), and the typer-era dict of ``LengthConstraints(...)``, ``ImageConstraints(...)``,
``MultiConstraints(constrains=[...])``, ``NoConstraints()``.  Reads the numbers, the expected answer
count, the crash message, ``text[43:]`` and 0-based numbering; where the counting logic itself
was edited it says so in ``notes`` instead of guessing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable

STANDARD_IMAGE_REGEX = r"\!\[.*?\]\(.*?\)"
_WORDS = ("length_constraints", "length_constrains", "LengthConstraints")
_IMAGES = ("image_constrains", "image_constraints", "ImageConstraints")
_MULTI = ("multi_constrains", "multi_constraints", "MultiConstraints")
_NONE = ("no_constraints", "no_constrains", "NoConstraints")


class _Unknown(Exception):
    pass


@dataclass
class ReportPyReading:
    table: ConstraintTable | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _int(node: ast.AST) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    raise _Unknown(f"line {getattr(node, 'lineno', '?')}: a bound that is not a plain number")


def _pair(args: list[ast.AST], kw: dict[str, ast.AST], names: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[int, int]:
    lo = next((kw[n] for n in names[0] if n in kw), None)
    hi = next((kw[n] for n in names[1] if n in kw), None)
    if lo is None and args:
        lo = args[0]
    if hi is None and len(args) > 1:
        hi = args[1]
    if lo is None or hi is None:
        raise _Unknown("a constraint without both bounds")
    return _int(lo), _int(hi)


def _constraint(node: ast.AST) -> Constraint:
    """One element of the list/dict -> Constraint."""
    name = _name(node)
    if name in _NONE:
        return NO_CONSTRAINT
    if not isinstance(node, ast.Call):
        raise _Unknown(f"line {getattr(node, 'lineno', '?')}: unrecognised constraint `{ast.unparse(node)[:60]}`")
    func = _name(node.func)
    args = list(node.args)
    kw = {k.arg: k.value for k in node.keywords if k.arg}
    if func == "partial":
        if not args:
            raise _Unknown(f"line {node.lineno}: partial() without a function")
        func = _name(args[0])
        args = args[1:]
    if func in _NONE:
        return NO_CONSTRAINT
    if func in _WORDS:
        lo, hi = _pair(args, kw, (("min", "min_length"), ("max", "max_length")))
        return Constraint(lo, hi)
    if func in _IMAGES:
        lo, hi = _pair(args, kw, (("min", "min_images", "min_length"), ("max", "max_images", "max_length")))
        return Constraint(min_images=lo, max_images=hi)
    if func in _MULTI:
        inner = kw.get("constrains") or kw.get("constraints") or (args[0] if args else None)
        if not isinstance(inner, (ast.List, ast.Tuple)):
            raise _Unknown(f"line {node.lineno}: multi constraint without a literal list")
        merged = Constraint()
        for part in inner.elts:
            c = _constraint(part)
            merged = Constraint(
                c.min_words if c.has_words else merged.min_words,
                c.max_words if c.has_words else merged.max_words,
                c.min_images if c.has_images else merged.min_images,
                c.max_images if c.has_images else merged.max_images,
            )
        return merged
    raise _Unknown(f"line {node.lineno}: unrecognised constraint function `{func}`")


def _looks_like_table(value: ast.AST) -> bool:
    if isinstance(value, (ast.List, ast.Tuple)):
        elts = value.elts
    elif isinstance(value, ast.Dict):
        elts = value.values
    else:
        return False
    if len(elts) < 5:
        return False
    known = _WORDS + _IMAGES + _MULTI + _NONE + ("partial",)
    return all(
        (_name(e) in known) or (isinstance(e, ast.Call) and _name(e.func) in known) for e in elts
    )


def _string(node: ast.AST, strings: dict[str, str], count: int | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            elif isinstance(v, ast.FormattedValue) and count is not None:
                out.append(str(count))
            else:
                return None
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _string(node.left, strings, count), _string(node.right, strings, count)
        return a + b if a is not None and b is not None else None
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    return None


def read_report_py(source: str, path: str | None = None) -> ReportPyReading:
    label = path or "report.py"
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        return ReportPyReading(None, [f"{label} line {e.lineno}: syntax error: {e.msg}"])
    except (ValueError, RecursionError) as e:
        return ReportPyReading(None, [f"{label}: cannot be read ({e})"])

    table_node = None
    strings: dict[str, str] = {}
    expected = None
    click = False
    zero_based = None
    notes: list[str] = []
    raise_node = None
    split_markers: list[str] = []
    regexes: list[str] = []
    uses_split_count = False
    img_tags = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            if table_node is None and _looks_like_table(node.value):
                table_node = node.value
            if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    strings[node.targets[0].id] = node.value.value
                v = node.value
                if (
                    isinstance(v, ast.Subscript)
                    and isinstance(v.slice, ast.Slice)
                    and isinstance(v.slice.lower, ast.Constant)
                    and v.slice.lower.value == 43
                    and _name(node.targets[0]) == "text"
                ):
                    click = True
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.NotEq, ast.Eq)):
            left = node.left
            right = node.comparators[0]
            if (
                isinstance(left, ast.Call)
                and _name(left.func) == "len"
                and isinstance(right, ast.Constant)
                and isinstance(right.value, int)
            ):
                expected = right.value
        elif isinstance(node, ast.Raise) and node.exc is not None and isinstance(node.exc, ast.Call):
            if _name(node.exc.func) == "ValueError" and node.exc.args:
                raise_node = node.exc.args[0]
        elif isinstance(node, ast.Call):
            fname = _name(node.func)
            if fname == "split" and isinstance(node.func, ast.Attribute):
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    split_markers.append(node.args[0].value)
                elif not node.args:
                    uses_split_count = True
            elif fname in ("findall", "finditer", "compile", "search", "match", "sub") and node.args:
                if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    regexes.append(node.args[0].value)
            elif fname == "enumerate" and node.args and isinstance(node.args[0], ast.Call) and _name(node.args[0].func) == "zip":
                zero_based = len(node.args) == 1 and not node.keywords
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "<img" in node.value.lower():
            img_tags = True

    if table_node is None:
        return ReportPyReading(None, [f"{label}: no constraint list or dict found (an unknown report.py shape)"])
    try:
        if isinstance(table_node, ast.Dict):
            elements = list(table_node.values)
        else:
            elements = list(table_node.elts)
        questions = tuple(_constraint(e) for e in elements)
    except _Unknown as e:
        return ReportPyReading(None, [f"{label} {e}"])

    answers = expected if expected is not None else len(questions)
    if len(questions) < answers:
        questions = questions + (NO_CONSTRAINT,) * (answers - len(questions))
    if "Answer:" not in split_markers:
        notes.append(f"{label} does not split the report on `Answer:`; reportls counts as the course's report.py does.")
    if not uses_split_count:
        notes.append(f"{label} does not count words with `.split()`; reportls counts as the course's report.py does.")
    if regexes and STANDARD_IMAGE_REGEX not in regexes:
        notes.append(f"{label} uses its own image pattern; reportls counts images as the course's report.py does.")
    if img_tags:
        notes.append(f"{label} looks like it counts `<img>` tags; reportls counts only `![...](...)` as the course's report.py does.")
    message = None
    if raise_node is not None:
        message = _string(raise_node, strings, answers)
    kwargs = {}
    if message:
        kwargs["crash_message"] = message.replace("{", "{{").replace("}", "}}").replace(str(answers), "{n}")
    table = ConstraintTable(
        name="report.py",
        answers=answers,
        questions=questions,
        click=click,
        zero_based_messages=bool(zero_based),
        source="report.py",
        source_path=path,
        notes=tuple(notes),
        **kwargs,
    )
    return ReportPyReading(table, [], notes)
