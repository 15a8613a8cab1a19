"""The maintainer's command that writes ``text/recordshapes.py``: the ``__init__`` template of
every record shape the package defines, so that defining a record class compiles nothing (byte code
from the installed package's compiled files instead of about 80 us of ``compile`` per shape).

``python -m reportls.text.makerecords > server/reportls/text/recordshapes.py`` after adding a record
class of a new shape (``tests/unit/test_records.py`` fails until then; a shape the file does not
hold is compiled at run time meanwhile, with the same code).
"""

from __future__ import annotations

import importlib
import pkgutil

import reportls
from reportls.text.records import init_source
from reportls.text.records import shape as fields_shape

# Not imported: the server keeps ``@dataclass`` (and imports pygls); ``__main__`` runs the program.
SKIPPED = ("reportls.lsp", "reportls.__main__")


def shape(cls) -> tuple[int, bool, bool]:
    """A record class's shape, as ``records._make_init`` asks for it (``records.shape``)."""
    return fields_shape(cls.__record_fields__, hasattr(cls, "__post_init__"))


def _record_classes(namespace: dict, seen: set):
    for value in list(namespace.values()):
        if isinstance(value, type) and value not in seen and "__record_fields__" in value.__dict__:
            seen.add(value)
            yield value
            yield from _record_classes(dict(value.__dict__), seen)


def package_shapes() -> list[tuple[int, bool, bool]]:
    """The shapes of the record classes of every module of the package (but ``SKIPPED``), sorted."""
    seen: set = set()
    shapes = set()
    for info in pkgutil.walk_packages(reportls.__path__, "reportls."):
        if info.name.startswith(SKIPPED):
            continue
        module = importlib.import_module(info.name)
        shapes.update(shape(cls) for cls in _record_classes(vars(module), seen))
    return sorted(shapes)


def function_name(count: int, factories: bool, post_init: bool) -> str:
    """``init_3``, ``init_3_fill``, ``init_3_post``, ``init_3_fill_post``."""
    return f"init_{count}" + ("_fill" if factories else "") + ("_post" if post_init else "")


HEADER = '''"""The ``__init__`` template of every record shape the package defines, written by
``python -m reportls.text.makerecords > server/reportls/text/recordshapes.py`` (do not edit by hand;
``tests/unit/test_records.py`` fails when this file is behind the package's record classes).

``SHAPES``: (number of fields, whether some have a factory, whether the class has ``__post_init__``)
-> a function whose code ``records`` renames for each class of that shape (fields ``f0``, ``f1``,
...; ``_set`` and ``_fill`` are the globals ``records`` gives each ``__init__``).  A shape not here is
compiled at run time with the same source (``records.init_source``).
"""

_set = _fill = None  # replaced: records gives each __init__ its own globals
'''


def source(shapes: list[tuple[int, bool, bool]] | None = None) -> str:
    """The text of ``recordshapes.py``."""
    shapes = package_shapes() if shapes is None else shapes
    parts = [HEADER]
    for key in shapes:
        parts.append("\n" + init_source(*key, name=function_name(*key)))
    parts.append("\nSHAPES = {\n" + "".join(f"    {key!r}: {function_name(*key)},\n" for key in shapes) + "}\n")
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover - the maintainer's command
    print(source(), end="")
