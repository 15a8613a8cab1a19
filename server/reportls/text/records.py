"""Value classes that cost next to nothing to define: ``@record``, a drop-in for the part of
``@dataclass`` this package uses (fields from annotations, defaults, ``field(default_factory=...,
compare=..., hash=..., repr=...)``, ``frozen``, ``slots``, ``eq``, ``__post_init__``, ``replace``).

Why not ``@dataclass``: importing ``dataclasses`` costs about 10 ms (it imports ``inspect``), and
each decorated class about 0.6 ms (it writes and compiles five methods); a ``reportls check`` defines
some sixty.  ``@record`` takes one ``__init__`` per shape (number of fields, whether some have
factories, whether the class has ``__post_init__``) from ``recordshapes`` (byte code written ahead by
``makerecords`` for every shape the package defines; a new shape is compiled once) and renames it for
each class; ``repr``, ``==`` and ``hash`` are shared functions that read the class's field list; a
slotted class is made once, with everything the record adds.  Semantics follow ``dataclass``:
fields in annotation order after those of record base classes, a ``ClassVar`` is not a field,
methods the class writes itself are kept, a frozen class raises ``FrozenInstanceError`` on
assignment, ``eq`` without ``frozen`` makes instances unhashable.
"""

from __future__ import annotations

from functools import cache

from reportls.text.recordshapes import SHAPES

set_field = object.__setattr__  # a frozen record's ``__init__`` sets its fields with this


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (an ``AttributeError``, as dataclasses' own)."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class Field:
    """One field of a record: its name, default (or factory) and whether ``repr``, ``==`` and
    ``hash`` read it."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare", "hash")

    def __init__(self, default=MISSING, default_factory=MISSING, repr: bool = True, compare: bool = True,
                 hash: bool | None = None) -> None:
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.repr, self.compare = repr, compare
        self.hash = compare if hash is None else hash

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default=MISSING, default_factory=MISSING, repr: bool = True, compare: bool = True,
          hash: bool | None = None) -> Field:
    """A field with options, as ``dataclasses.field``."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, repr, compare, hash)


def fields(class_or_instance) -> tuple[Field, ...]:
    """The fields of a record class (or instance), in order."""
    try:
        return class_or_instance.__record_fields__
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def replace(obj, /, **changes):
    """A copy of the record ``obj`` with ``changes`` to some fields, as ``dataclasses.replace``."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no field {sorted(unknown)[0]!r}")
    return type(obj)(**{**values, **changes})


def _is_class_var(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return text.startswith(("ClassVar", "typing.ClassVar"))


# --- the shared methods -------------------------------------------------------------------------


def _repr(self) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__ if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self, other: object) -> bool:
    if other.__class__ is self.__class__:
        names = self.__record_compared__
        return all(getattr(self, n) == getattr(other, n) for n in names)
    return NotImplemented


def _hash(self) -> int:
    return hash(tuple([getattr(self, n) for n in self.__record_hashed__]))


def _frozen_setattr(self, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self) -> tuple:  # copy and pickle of a frozen record with slots
    return tuple([getattr(self, f.name) for f in self.__record_fields__])


def _setstate(self, state: tuple) -> None:
    for f, value in zip(self.__record_fields__, state, strict=True):
        set_field(self, f.name, value)


def init_source(count: int, factories: bool, post_init: bool, name: str = "__init__") -> str:
    """The source of the ``__init__`` template of one shape: it sets ``count`` fields named ``f0``,
    ``f1``, ... (then fills those left to a factory, then calls ``__post_init__``)."""
    body = [f"    _set(self, 'f{k}', f{k})" for k in range(count)]
    if factories:
        body.append("    _fill(self)")
    if post_init:
        body.append("    self.__post_init__()")
    params = ", ".join(["self", *(f"f{k}" for k in range(count))])
    return f"def {name}({params}):\n" + ("\n".join(body) or "    pass") + "\n"


@cache
def _compiled_template(count: int, factories: bool, post_init: bool):
    """The code of a shape ``recordshapes`` does not hold, compiled (about 80 us; once per shape)."""
    names: dict = {}
    exec(compile(init_source(count, factories, post_init), "<record>", "exec"), {}, names)  # noqa: S102
    return names["__init__"].__code__


def _init_template(count: int, factories: bool, post_init: bool):
    """The code of the ``__init__`` of a shape (number of fields, whether some have factories,
    whether the class has ``__post_init__``): the byte code ``recordshapes`` holds for every shape
    the package defines, else compiled once; then given each record's own names with
    ``code.replace`` (compiling a function costs about 80 us, renaming 20)."""
    found = SHAPES.get((count, factories, post_init))
    return found.__code__ if found is not None else _compiled_template(count, factories, post_init)


def shape(flds: tuple[Field, ...], post_init: bool) -> tuple[int, bool, bool]:
    """The shape of a record's ``__init__``: (number of fields, whether some have a factory, whether
    the class has ``__post_init__``), the key of ``recordshapes.SHAPES``."""
    return len(flds), any(f.default_factory is not MISSING for f in flds), post_init


def _make_init(qualname: str, flds: tuple[Field, ...], post_init: bool):
    """The ``__init__`` of the class ``qualname``: the template of its shape with its field names,
    defaults and factories."""
    made = tuple((f.name, f.default_factory) for f in flds if f.default_factory is not MISSING)
    template = _init_template(*shape(flds, post_init))
    placeholder = {f"f{k}": f.name for k, f in enumerate(flds)}
    code = template.replace(co_varnames=("self", *placeholder.values()),
                            co_consts=tuple(placeholder.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
                            co_name="__init__", co_qualname=f"{qualname}.__init__")

    def fill(self) -> None:  # the fields not given whose default is made by a factory
        for name, factory in made:
            if getattr(self, name) is MISSING:
                set_field(self, name, factory())

    defaults = [MISSING if f.default_factory is not MISSING else f.default for f in flds
                if f.default_factory is not MISSING or f.default is not MISSING]
    return type(_make_init)(code, {"_set": set_field, "_fill": fill}, "__init__", tuple(defaults) or None)


def _build(cls, frozen: bool, slots: bool, eq: bool):
    body = cls.__dict__  # what the class statement wrote
    inherited: dict[str, Field] = {}
    for base in cls.__mro__[-2:0:-1]:
        for f in base.__dict__.get("__record_fields__", ()):
            inherited[f.name] = f
    own: dict[str, Field] = {}
    for name, annotation in body.get("__annotations__", {}).items():
        if _is_class_var(annotation):
            continue
        value = body.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(value)
        f.name = name
        own[name] = f
    flds = tuple({**inherited, **own}.values()) if inherited else tuple(own.values())
    seen_default = False
    for f in flds:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default
    # what the record adds to the class: set at once (a slotted class is made with them)
    added = {"__record_fields__": flds,
             "__record_compared__": tuple([f.name for f in flds if f.compare]),
             "__record_hashed__": tuple([f.name for f in flds if f.hash]),
             "__match_args__": tuple([f.name for f in flds])}
    if "__init__" not in body:
        added["__init__"] = _make_init(cls.__qualname__, flds, hasattr(cls, "__post_init__"))
    if "__repr__" not in body:
        added["__repr__"] = _repr
    writes_eq = "__eq__" in body
    if eq and not writes_eq:
        added["__eq__"] = _eq
    written_hash = body.get("__hash__", MISSING)  # a body with __eq__ alone has __hash__ = None
    explicit_hash = not (written_hash is MISSING or (written_hash is None and (writes_eq or eq)))
    if eq and not explicit_hash:
        added["__hash__"] = _hash if frozen else None
    if frozen:
        added["__setattr__"] = _frozen_setattr
        added["__delattr__"] = _frozen_delattr
        if slots:
            added["__getstate__"], added["__setstate__"] = _getstate, _setstate
    if slots:
        namespace = {k: v for k, v in body.items() if k not in own and k not in ("__dict__", "__weakref__")}
        namespace["__slots__"] = tuple(own)
        namespace["__qualname__"] = cls.__qualname__
        namespace.update(added)
        return type(cls)(cls.__name__, cls.__bases__, namespace)
    for name, f in own.items():  # a class attribute holds the plain default, as a dataclass's
        if isinstance(body.get(name), Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    for name, value in added.items():
        setattr(cls, name, value)
    return cls


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, eq: bool = True):
    """``@record`` or ``@record(frozen=True, slots=True)``: make ``cls`` a value class (see the
    module's docstring)."""
    def wrap(c):
        return _build(c, frozen, slots, eq)

    return wrap if cls is None else wrap(cls)
