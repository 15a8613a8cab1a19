"""``@record``, the package's cheap ``@dataclass``: what it documents (fields, defaults, factories,
frozen, slots, ``__post_init__``, ``replace``, ``fields``, ``==``, ``hash``, ``repr``) against
``dataclasses`` itself, and ``recordshapes.py``: what ``makerecords`` writes today (it cannot drift),
each of its templates the byte code ``compile`` makes of the same source."""

import copy
import dataclasses
import pickle
from pathlib import Path
from typing import ClassVar

import pytest

from reportls.text import makerecords, records, recordshapes
from reportls.text.records import FrozenInstanceError, field, fields, record, replace


@record(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list, compare=False, repr=False)
    KIND: ClassVar[str] = "point"


@record(frozen=True, slots=True)
class Point3(Point):
    z: int = 5


@record
class Counter:
    name: str
    seen: dict = field(default_factory=dict)
    total: int = 0

    def __post_init__(self) -> None:
        self.total = len(self.name)


@record(frozen=True)
class Tagged:
    label: str
    weight: float = field(default=1.0, hash=False)


@record(eq=False)
class Plain:
    value: int


@dataclasses.dataclass(frozen=True)
class PointDataclass:
    x: int
    y: int = 0
    tags: list = dataclasses.field(default_factory=list, compare=False, repr=False)


def test_fields_defaults_and_factories_as_a_dataclass():
    p = Point(1)
    assert (p.x, p.y, p.tags) == (1, 0, [])
    assert Point(1).tags is not Point(1).tags
    assert [f.name for f in fields(Point)] == ["x", "y", "tags"] == [f.name for f in dataclasses.fields(PointDataclass)]
    assert Point.__match_args__ == ("x", "y", "tags")
    assert Point.KIND == "point" and "KIND" not in [f.name for f in fields(p)]
    assert Point(x=2, y=3, tags=[1]).tags == [1]
    assert Point.__init__.__name__ == "__init__"
    assert Point.__init__.__qualname__ == "Point.__init__" == PointDataclass.__init__.__qualname__.replace("Dataclass", "")
    assert Point.__init__.__code__.co_varnames[:4] == ("self", "x", "y", "tags")
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, wrong=2)


def test_inherited_fields_come_first():
    p = Point3(1, 2)
    assert [f.name for f in fields(p)] == ["x", "y", "tags", "z"]
    assert (p.x, p.y, p.tags, p.z) == (1, 2, [], 5)
    assert repr(p) == "Point3(x=1, y=2, z=5)"


def test_repr_eq_hash_as_a_dataclass():
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert repr(PointDataclass(1, 2)) == "PointDataclass(x=1, y=2)"
    assert Point(1, 2, [1]) == Point(1, 2, [2])  # compare=False
    assert Point(1, 2) != Point(2, 2)
    assert Point(1, 2) != PointDataclass(1, 2)
    assert hash(Tagged("a", 1.0)) == hash(Tagged("a", 2.0)) == hash(("a",))
    assert hash(Point(1, 2)) == hash((1, 2))
    with pytest.raises(TypeError):
        hash(Counter("abc"))  # eq without frozen: unhashable
    assert Plain(1) != Plain(1) and hash(Plain(1)) != 0


def test_frozen_and_slots():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 3
    with pytest.raises(FrozenInstanceError):
        del p.x
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    assert Point.__slots__ == ("x", "y", "tags") and not hasattr(p, "__dict__")
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p
    t = Tagged("a")
    with pytest.raises(FrozenInstanceError):
        t.label = "b"
    assert Tagged.weight == 1.0  # a class attribute holds the plain default


def test_post_init_and_factories_of_a_mutable_record():
    c = Counter("abcd")
    assert (c.seen, c.total) == ({}, 4)
    c.total = 9
    assert c.total == 9
    assert Counter("ab", {"k": 1}).seen == {"k": 1}
    assert "seen" not in Counter.__dict__  # a field without a plain default is no class attribute


def test_replace_and_fields():
    p = replace(Point(1, 2), y=7)
    assert (p.x, p.y) == (1, 7)
    with pytest.raises(TypeError, match="no field 'w'"):
        replace(p, w=1)
    with pytest.raises(TypeError):
        fields(int)
    with pytest.raises(ValueError):
        field(default=1, default_factory=list)


def test_written_methods_are_kept_and_order_of_defaults_checked():
    @record(frozen=True)
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "own" and Own(1) == Own(2) and hash(Own(1)) == 7
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        @record
        class Bad:
            a: int = 1
            b: int


def test_a_shape_the_generated_module_does_not_hold_is_compiled():
    key = (23, True, True)
    assert key not in recordshapes.SHAPES
    names = [f"n{k}" for k in range(23)]
    namespace = {"__annotations__": dict.fromkeys(names, "int"), **{n: field(default_factory=int) for n in names[1:]}}
    namespace["__post_init__"] = lambda self: None
    Wide = record(type("Wide", (), namespace))
    w = Wide(1)
    assert (w.n0, w.n22) == (1, 0)
    assert Wide.__init__.__code__.co_varnames[:3] == ("self", "n0", "n1")


# --- recordshapes.py ------------------------------------------------------------------------------


def test_recordshapes_file_is_what_makerecords_writes_today():
    written = Path(recordshapes.__file__).read_text(encoding="utf-8")
    assert written == makerecords.source(), \
        "run: python -m reportls.text.makerecords > server/reportls/text/recordshapes.py"


def test_every_record_class_of_the_package_has_its_shape_generated():
    assert set(makerecords.package_shapes()) <= set(recordshapes.SHAPES)
    assert len(recordshapes.SHAPES) >= 10


@pytest.mark.parametrize("key", sorted(recordshapes.SHAPES))
def test_each_generated_template_is_the_compiled_one(key):
    generated = recordshapes.SHAPES[key].__code__
    compiled = records._compiled_template(*key)
    assert generated.co_code == compiled.co_code
    assert generated.co_consts == compiled.co_consts
    assert generated.co_names == compiled.co_names
    assert generated.co_varnames == compiled.co_varnames
    assert generated.co_argcount == compiled.co_argcount == key[0] + 1
    assert records._init_template(*key) is generated
