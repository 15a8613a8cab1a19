"""Value classes that cost next to nothing to define: ``@record``, a drop-in for the part of
``@dataclass`` this package uses (fields from annotations, defaults, ``field(default_factory=...,
compare=..., hash=..., repr=...)``, ``frozen``, ``slots``, ``eq``, ``__post_init__``, ``replace``).

Why not ``@dataclass``: importing ``dataclasses`` costs about 10 ms (it imports ``inspect``), and
each decorated class about 0.6 ms (it writes and compiles five methods); a ``reportls check`` defines
some sixty.  ``@record`` compiles one ``__init__`` per shape (number of fields, which have
factories) and renames it for each class; ``repr``, ``==`` and ``hash`` are shared functions that
read the class's field list.  Semantics follow ``dataclass``:
fields in annotation order after those of record base classes, a ``ClassVar`` is not a field,
methods the class writes itself are kept, a frozen class raises ``FrozenInstanceError`` on
assignment, ``eq`` without ``frozen`` makes instances unhashable.
"""

from __future__ import annotations

from functools import cache

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


@cache
def _init_template(count: int, factories: bool, post_init: bool):
    """The code of an ``__init__`` setting ``count`` fields named ``f0``, ``f1``, ... (then filling
    those left to a factory, then ``__post_init__``): compiled once per shape, then given each
    record's own names with ``code.replace`` (compiling a function costs about 80 us, renaming 20)."""
    body = [f"    _set(self, 'f{k}', f{k})" for k in range(count)]
    if factories:
        body.append("    _fill(self)")
    if post_init:
        body.append("    self.__post_init__()")
    params = ", ".join(["self", *(f"f{k}" for k in range(count))])
    names: dict = {}
    exec(compile(f"def __init__({params}):\n" + ("\n".join(body) or "    pass") + "\n", "<record>", "exec"),  # noqa: S102
         {}, names)
    return names["__init__"].__code__


def _make_init(cls, flds: list[Field], post_init: bool):
    """``cls``'s ``__init__``: the template of its shape with its field names, defaults and factories."""
    made = tuple((f.name, f.default_factory) for f in flds if f.default_factory is not MISSING)
    template = _init_template(len(flds), bool(made), post_init)
    placeholder = {f"f{k}": f.name for k, f in enumerate(flds)}
    code = template.replace(co_varnames=("self", *placeholder.values()),
                            co_consts=tuple(placeholder.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
                            co_qualname=f"{cls.__qualname__}.__init__")

    def fill(self) -> None:  # the fields not given whose default is made by a factory
        for name, factory in made:
            if getattr(self, name) is MISSING:
                set_field(self, name, factory())

    defaults = [MISSING if f.default_factory is not MISSING else f.default for f in flds
                if f.default_factory is not MISSING or f.default is not MISSING]
    return type(_make_init)(code, {"_set": set_field, "_fill": fill}, "__init__", tuple(defaults) or None)


def _build(cls, frozen: bool, slots: bool, eq: bool):
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            inherited[f.name] = f
    own: dict[str, Field] = {}
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        own[name] = f
    flds = list({**inherited, **own}.values())
    seen_default = False
    for f in flds:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default
    if slots:
        namespace = {k: v for k, v in cls.__dict__.items() if k not in own and k not in ("__dict__", "__weakref__")}
        namespace["__slots__"] = tuple(own)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, namespace)
        cls.__qualname__ = qualname
    else:
        for name, f in own.items():  # a class attribute holds the plain default, as a dataclass's
            if isinstance(cls.__dict__.get(name), Field):
                if f.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, f.default)
    init = _make_init(cls, flds, hasattr(cls, "__post_init__"))
    own_methods = cls.__dict__
    cls.__record_fields__ = tuple(flds)
    cls.__record_compared__ = tuple(f.name for f in flds if f.compare)
    cls.__record_hashed__ = tuple(f.name for f in flds if f.hash)
    cls.__match_args__ = tuple(f.name for f in flds)
    if "__init__" not in own_methods:
        cls.__init__ = init
    if "__repr__" not in own_methods:
        cls.__repr__ = _repr
    if eq and "__eq__" not in own_methods:
        cls.__eq__ = _eq
    written_hash = own_methods.get("__hash__", MISSING)  # a body with __eq__ alone has __hash__ = None
    explicit_hash = not (written_hash is MISSING or (written_hash is None and "__eq__" in own_methods))
    if eq and not explicit_hash:
        cls.__hash__ = _hash if frozen else None
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
        if slots:
            cls.__getstate__, cls.__setstate__ = _getstate, _setstate
    return cls


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, eq: bool = True):
    """``@record`` or ``@record(frozen=True, slots=True)``: make ``cls`` a value class (see the
    module's docstring)."""
    def wrap(c):
        return _build(c, frozen, slots, eq)

    return wrap if cls is None else wrap(cls)
