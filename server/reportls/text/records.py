"""Small value classes written out by hand: ``Record`` (compared by value, unhashable, like a
``@dataclass``) and ``FrozenRecord`` (also hashable, and assigning to a field raises
``FrozenInstanceError``, like ``@dataclass(frozen=True)``).  A subclass lists its fields in
``__slots__`` and writes its own ``__init__``; ``repr``, ``==`` and ``hash`` follow the fields in
that order, as a dataclass's would.

Why not ``@dataclass``: it writes and compiles these methods each time the program starts (0.5-1.5 ms
a class), and the records of the report model are imported by every ``reportls check``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError

set_field = object.__setattr__  # a FrozenRecord's ``__init__`` sets its fields with this


class Record:
    """Fields in ``__slots__``; ``_repr_skip`` names the fields ``repr`` leaves out, ``_compare_skip``
    the ones ``==`` leaves out (a memo computed on first use)."""

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
