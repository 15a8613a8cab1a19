"""Value classes that cost next to nothing to define: ``@record``, a drop-in for the part of
``@dataclass`` this package uses (fields from annotations, defaults, ``field(default_factory=...,
compare=..., hash=..., repr=...)``, ``frozen``, ``slots``, ``eq``, ``__post_init__``, ``replace``), and the hand-written bases
``Record``/``FrozenRecord``.

Why not ``@dataclass``: importing ``dataclasses`` costs about 10 ms (it imports ``inspect``), and
each decorated class about 0.6 ms (it writes and compiles five methods); a ``reportls check`` defines
some forty.  ``@record`` compiles only ``__init__`` (about 40 us a class); ``repr``, ``==`` and
``hash`` are shared functions that read the class's field list.  Semantics follow ``dataclass``:
fields in annotation order after those of record base classes, a ``ClassVar`` is not a field,
methods the class writes itself are kept, a frozen class raises ``FrozenInstanceError`` on
assignment, ``eq`` without ``frozen`` makes instances unhashable.
"""

from __future__ import annotations

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


def _init_source(flds: list[Field], frozen: bool, post_init: bool) -> tuple[str, dict]:
    """The source of ``__init__`` for these fields and the names it needs."""
    names: dict = {"_set": set_field, "_MISSING": MISSING}
    params, body = ["self"], []
    for k, f in enumerate(flds):
        if f.default_factory is not MISSING:
            names[f"_factory{k}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory{k}() if {f.name} is _MISSING else {f.name}"
        else:
            if f.default is not MISSING:
                names[f"_default{k}"] = f.default
                params.append(f"{f.name}=_default{k}")
            else:
                params.append(f.name)
            value = f.name
        body.append(f"    _set(self, {f.name!r}, {value})" if frozen else f"    self.{f.name} = {value}")
    if post_init:
        body.append("    self.__post_init__()")
    return f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n", names


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
    source, names = _init_source(flds, frozen, hasattr(cls, "__post_init__"))
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), names)  # noqa: S102 - our own source
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
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


# --- the hand-written bases ---------------------------------------------------------------------


class Record:
    """Fields in ``__slots__``, an ``__init__`` of the subclass's own; ``_repr_skip`` names the
    fields ``repr`` leaves out, ``_compare_skip`` the ones ``==`` leaves out."""

    __slots__ = ()
    _repr_skip: tuple[str, ...] = ()
    _compare_skip: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__
                          if name not in self._repr_skip)
        return f"{self.__class__.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            if not self._compare_skip:
                return self._values() == other._values()  # type: ignore[attr-defined]
            return all(getattr(self, name) == getattr(other, name)
                       for name in self.__slots__ if name not in self._compare_skip)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable: compared by value, not hashable


class FrozenRecord(Record):
    """A ``Record`` whose fields cannot be assigned after ``__init__`` (which uses ``set_field``)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple:  # copy and pickle, as a frozen dataclass's
        return self._values()

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            set_field(self, name, value)
