"""The ``__init__`` template of every record shape the package defines, written by
``python -m reportls.text.makerecords > server/reportls/text/recordshapes.py`` (do not edit by hand;
``tests/unit/test_records.py`` fails when this file is behind the package's record classes).

``SHAPES``: (number of fields, whether some have a factory, whether the class has ``__post_init__``)
-> a function whose code ``records`` renames for each class of that shape (fields ``f0``, ``f1``,
...; ``_set`` and ``_fill`` are the globals ``records`` gives each ``__init__``).  A shape not here is
compiled at run time with the same source (``records.init_source``).
"""

_set = _fill = None  # replaced: records gives each __init__ its own globals


def init_1(self, f0):
    _set(self, 'f0', f0)


def init_2(self, f0, f1):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)


def init_3(self, f0, f1, f2):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)


def init_3_fill(self, f0, f1, f2):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _fill(self)


def init_4(self, f0, f1, f2, f3):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)


def init_4_fill(self, f0, f1, f2, f3):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _fill(self)


def init_5(self, f0, f1, f2, f3, f4):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)


def init_5_fill(self, f0, f1, f2, f3, f4):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _fill(self)


def init_6(self, f0, f1, f2, f3, f4, f5):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)


def init_6_fill(self, f0, f1, f2, f3, f4, f5):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _fill(self)


def init_7(self, f0, f1, f2, f3, f4, f5, f6):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)


def init_7_post(self, f0, f1, f2, f3, f4, f5, f6):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    self.__post_init__()


def init_7_fill(self, f0, f1, f2, f3, f4, f5, f6):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _fill(self)


def init_8(self, f0, f1, f2, f3, f4, f5, f6, f7):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)


def init_9(self, f0, f1, f2, f3, f4, f5, f6, f7, f8):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)


def init_10(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)


def init_10_post(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    self.__post_init__()


def init_10_fill(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    _fill(self)


def init_10_fill_post(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    _fill(self)
    self.__post_init__()


def init_12_fill(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    _set(self, 'f10', f10)
    _set(self, 'f11', f11)
    _fill(self)


def init_13_fill(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    _set(self, 'f10', f10)
    _set(self, 'f11', f11)
    _set(self, 'f12', f12)
    _fill(self)


def init_28(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23, f24, f25, f26, f27):
    _set(self, 'f0', f0)
    _set(self, 'f1', f1)
    _set(self, 'f2', f2)
    _set(self, 'f3', f3)
    _set(self, 'f4', f4)
    _set(self, 'f5', f5)
    _set(self, 'f6', f6)
    _set(self, 'f7', f7)
    _set(self, 'f8', f8)
    _set(self, 'f9', f9)
    _set(self, 'f10', f10)
    _set(self, 'f11', f11)
    _set(self, 'f12', f12)
    _set(self, 'f13', f13)
    _set(self, 'f14', f14)
    _set(self, 'f15', f15)
    _set(self, 'f16', f16)
    _set(self, 'f17', f17)
    _set(self, 'f18', f18)
    _set(self, 'f19', f19)
    _set(self, 'f20', f20)
    _set(self, 'f21', f21)
    _set(self, 'f22', f22)
    _set(self, 'f23', f23)
    _set(self, 'f24', f24)
    _set(self, 'f25', f25)
    _set(self, 'f26', f26)
    _set(self, 'f27', f27)


SHAPES = {
    (1, False, False): init_1,
    (2, False, False): init_2,
    (3, False, False): init_3,
    (3, True, False): init_3_fill,
    (4, False, False): init_4,
    (4, True, False): init_4_fill,
    (5, False, False): init_5,
    (5, True, False): init_5_fill,
    (6, False, False): init_6,
    (6, True, False): init_6_fill,
    (7, False, False): init_7,
    (7, False, True): init_7_post,
    (7, True, False): init_7_fill,
    (8, False, False): init_8,
    (9, False, False): init_9,
    (10, False, False): init_10,
    (10, False, True): init_10_post,
    (10, True, False): init_10_fill,
    (10, True, True): init_10_fill_post,
    (12, True, False): init_12_fill,
    (13, True, False): init_13_fill,
    (28, False, False): init_28,
}
