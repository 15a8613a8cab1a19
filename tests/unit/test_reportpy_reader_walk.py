"""``read_report_py`` against the reading that walked every node (``reportpy_walked``): the same
``ReportPyReading`` (table, every constraint, notes, problems, messages) on every fixture, on the real
repositories' report.py (copied into the fixtures as ``real_*.py``), on hand-made files where the order
of the walk decides the answer, and on generated variants of the fixtures (numbers changed, the table
renamed, ``check()`` moved into a class, unrelated code added, lines deleted, the file cut short,
syntax errors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportls.constraints.reportpy_reader import read_report_py
from tests.unit.reportpy_walked import read_report_py_walking_everything

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reportpy"
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.py"))}


def same_reading(source: str, path: str | None = None):
    got = read_report_py(source, path)
    want = read_report_py_walking_everything(source, path)
    assert got == want
    assert repr(got) == repr(want)  # also the types (True is not 1 in a repr)
    return got


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_fixture_reads_as_the_whole_walk_reads_it(name):
    same_reading(SOURCES[name])
    same_reading(SOURCES[name], str(FIXTURES / name))


@pytest.mark.parametrize("name", ["real_2026_group128.py", "real_2026_ct_scan.py", "real_2026_autobird.py",
                                  "real_2024_fake_news.py"])
def test_the_real_repositories_report_py_is_read(name):
    reading = same_reading(SOURCES[name], f"reports/{name}")
    assert reading.problems == []
    assert reading.table.answers == (27 if "2024" in name else 31)


# files where the order of the walk (breadth first, as ``ast.walk``) decides the answer ------------

ORDERED = {
    # a name bound in a function (line 3) and at module level (line 9): the walk meets line 9 first,
    # and a bound read at line 20 takes the last binding before it *in walk order* (line 3's)
    "bindings": '''
def helper():
    LIMIT = 7
    return LIMIT

def words(a):
    return a.split()

LIMIT = 300
question_constraints = [partial(length_constraints, min=1, max=LIMIT)] * 31
def check():
    text = open("README.md").read()
    answers = text.split("Answer:")
    if len(answers) != 31:
        raise ValueError(f"expected {len(question_constraints)} got {len(answers)}")
    for i, (a, c) in enumerate(zip(answers, question_constraints)):
        c(a, i)
''',
    # two enumerate(zip(...)) loops at different depths, the deeper one first in the text
    "two_loops": '''
question_constrains = [no_constraints] * 5 + [partial(image_constrains, min=1, max=2)] * 22
def image_constrains(a, min, max):
    return re.findall(r"<img .*?>", a)
def check():
    text = open("README.md").read()
    text = text[43:]
    text = text[10:]
    if True:
        for j, (a, c) in enumerate(zip(x, question_constrains), 5):
            c(a, j + 2)
    for i, (a, c) in enumerate(zip(x, question_constrains), 1):
        c(a, i)
    if len(x) != 27:
        if y:
            raise RuntimeError("first " + "message")
        raise ValueError("second")
''',
    # two definitions of the counting function (nested one first in the text, module one last in the walk)
    "two_defs": '''
def check():
    def length_constraints(answer, min, max):
        return len(answer.split())
    question_constrains = [partial(length_constraints, min=1, max=2)] * 27
    for i, (a, c) in enumerate(zip(answers, question_constrains), start=3):
        c(a, i + 1)
def length_constraints(answer, min, max):
    return len(re.split(r"\\s+", answer))
class check:
    pass
''',
    # a table in a class inside check(), the check function found through the parents
    "table_in_class": '''
def check(path="other.md"):
    class Holder:
        question_constraints = {"a": NoConstraints(), "b": NoConstraints(), "c": NoConstraints(),
                                "d": NoConstraints(), "e": LengthConstraints(min_length=1, max_length=2)}
    answers = open(path).read().split("Answer:")
    answers = [a.split("###")[0] for a in answers]
    if len(answers) != len(Holder.question_constraints):
        raise ValueError("different")
''',
    # two loops at the same depth: the first in the text is the first in the walk
    "two_loops_same_depth": '''
def check():
    question_constraints = [NoConstraints()] * 31
    for i, (a, c) in enumerate(zip(answers, question_constraints)):
        c(a, i)
    for i, (a, c) in enumerate(zip(answers, question_constraints), 1):
        c(a, i)
''',
    # the shallower loop first in the text, the deeper one after it
    "two_loops_deeper_later": '''
def check():
    question_constraints = [NoConstraints()] * 31
    for i, (a, c) in enumerate(zip(answers, question_constraints), 1):
        c(a, i)
    while True:
        for i, (a, c) in enumerate(zip(answers, question_constraints)):
            c(a, i + 4)
''',
    # strings and calls in every kind of place check() can hold them: each `.md` path is in the note,
    # the markers are split on in keyword arguments, defaults and decorators
    "every_place": '''
@cli.command(help="a.md", x=text.split("##"))
def check(path: "b.md" = "c.md", *args: "d.md", key="e.md", cut=text.split("###"), **kw: "f.md") -> "g.md":
    """h.md"""
    question_constraints = [NoConstraints()] * 5
    x = {"i.md": [y for y in "j.md" if y != "k.md"], **{"l.md": 1}}
    f"{path!r:{'m.md'}}n.md"
    lambda q="o.md": "p.md"
    open(file="q.md")[lambda: "r.md":]
    (*"s.md",)
    with open("t.md") as f, open("u.md"):
        pass
    try:
        pass
    except (ValueError if "v.md" else E) as e:
        pass
    match "w.md":
        case {"x.md": 1, **rest}:
            pass
        case Point(x="y.md") if "z.md":
            pass
    global g
    del d["aa.md"]
    assert "bb.md", "cc.md"
    async def a():
        await foo("dd.md")
        async for z in "ee.md":
            pass
    yield "ff.md"
    class K(base("gg.md"), metaclass=m("hh.md")):
        pass
    x: "ii.md" = 1
    answers = open(key=text.split("Answer:"))
    for i, (a, c) in enumerate(zip(answers, question_constraints), start=f(key="jj.md")):
        c(a, i + 1)
''',
    # the counting functions' strings and patterns in decorators, keywords and defaults
    "counting_places": '''
question_constraints = [partial(image_constraints, 1, 2)] * 4 + [partial(length_constraints, 1, 2)] * 3
@decorate(lambda a: a.split())
def length_constraints(answer, min, max):
    return len(answer)
@decorate(pattern="<img")
def image_constraints(answer, min, max, found=re.findall(r"!\\[.*?\\]\\(.*?\\)", answer)):
    return found
''',
    # a shaped table (no table name) after a named one deeper down, and try/match/with bodies
    "shapes": '''
try:
    pass
except Exception as e:
    with open("x.MD") as f:
        match f:
            case 1:
                question_constraints = [NoConstraints()] * 6
            case _:
                pass
finally:
    table = [NoConstraints(), NoConstraints(), NoConstraints(), NoConstraints(), NoConstraints()]
''',
}


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_where_the_order_of_the_walk_decides(name):
    same_reading(ORDERED[name])


def test_errors_are_the_same():
    for source in ("x = 1\n\ndef check(:\n    pass\n", "a = 1\x00", "x = " + "(" * 5000 + ")" * 5000,
                   "x = [" + "[" * 150 + "]" * 151 + "\n", "\ufeff" + SOURCES["typer_2026.py"], "", "\n",
                   "question_constraints = " + "+".join(["[NoConstraints()]"] * 3000)):
        same_reading(source)


# generated variants -----------------------------------------------------------------------------

SNIPPETS = [
    "x = 5",
    "LIMIT = 12",
    "text = text[12:]",
    "text = text[43:]",
    "answers = text.split('Answer:')",
    "q = q.split('##')[0]",
    "README = 'reports/README.md'",
    "path = 'notes.md'",
    "@app.command()\ndef extra():\n    return 1",
    "@decorator(with_args=call('x.md'))\nclass Unrelated:\n    def __call__(self, a):\n        return a.split()",
    "def length_constraints(answer, min, max):\n    return len(answer.split(' '))",
    "def image_constrains(answer, min, max):\n    return re.findall(r'!\\[.*?\\]\\(.*?\\)', answer)",
    "class ImageConstraints:\n    def __call__(self, a):\n        return '<IMG' in a",
    "for i, (a, c) in enumerate(zip(answers, question_constraints), 1):\n    c(a, i + 1)",
    "for i, (a, c) in enumerate(zip(answers, question_constrains)):\n    c(a, i)",
    "if len(answers) != 27:\n    raise ValueError(f'expected {len(question_constrains)} answers')",
    "if len(answers) != LIMIT:\n    raise ValueError('only ' + str(LIMIT))",
    "question_constrains = [no_constraints, no_constraints, no_constraints, no_constraints, "
    "partial(length_constraints, 1, 2)]",
    "question_constraints = {'a': NoConstraints()}",
    "other = [NoConstraints()] * 9",
    "if __name__ == '__main__':\n    app()",
    "try:\n    y = 1\nexcept ValueError:\n    y = 2",
    "lambda a: a.split()",
    "(n := len(answers))",
]


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


# the fixtures with a table three times as often as those without; the edits that keep the file
# readable more often than those that break it
WEIGHTED = sorted(SOURCES) + 2 * [n for n in sorted(SOURCES) if not n.startswith(("html_", "syntax", "unknown"))]
KINDS = 3 * ["number", "snippet"] + 2 * ["class", "delete"] + ["rename", "main", "truncate", "syntax", "dedent"]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(WEIGHTED))
    source = SOURCES[name]
    for _ in range(draw(st.integers(1, 4))):
        lines = source.split("\n")
        kind = draw(st.sampled_from(KINDS))
        if kind == "number":
            spots = [m.span() for m in re.finditer(r"\d+", source)]
            if spots:
                a, b = draw(st.sampled_from(spots))
                source = source[:a] + str(draw(st.integers(0, 2000))) + source[b:]
        elif kind == "rename":
            new = draw(st.sampled_from(["question_constrains", "question_constraints", "constraints", "table"]))
            source = re.sub(r"question_constrai?nts", new, source, count=draw(st.integers(0, 3)))
        elif kind == "class":  # a top-level def (check() or another) moved into a class
            starts = [i for i, line in enumerate(lines) if line.startswith("def ")]
            if starts:
                i = draw(st.sampled_from(starts))
                j = next((k for k in range(i + 1, len(lines)) if lines[k] and not lines[k][0].isspace()), len(lines))
                body = ["class Holder:"] + ["    " + line if line else line for line in lines[i:j]]
                source = "\n".join(lines[:i] + body + lines[j:])
        elif kind == "main":  # the rest of the file under ``if __name__ == "__main__":``
            i = draw(st.integers(0, len(lines)))
            source = "\n".join(lines[:i] + ['if __name__ == "__main__":'] +
                               ["    " + line if line else line for line in lines[i:]] + ["    pass"])
        elif kind == "snippet":
            i = draw(st.integers(0, len(lines)))
            indent = _indent_of(lines[i]) if i < len(lines) else ""
            snippet = draw(st.sampled_from(SNIPPETS))
            source = "\n".join(lines[:i] + [indent + s for s in snippet.split("\n")] + lines[i:])
        elif kind == "delete":
            i = draw(st.integers(0, len(lines)))
            source = "\n".join(lines[:i] + lines[i + draw(st.integers(1, 5)):])
        elif kind == "truncate":
            source = source[: draw(st.integers(0, len(source)))]
        elif kind == "syntax":
            i = draw(st.integers(0, len(source)))
            source = source[:i] + draw(st.sampled_from(["(", ")", ":", " def ", "\x00", "'", '"""', "\t", "\\"])) + \
                source[i:]
        else:  # a line moved one level out
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            if lines and lines[i].startswith("    "):
                lines[i] = lines[i][4:]
            source = "\n".join(lines)
    return source


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_generated_variants_read_as_the_whole_walk_reads_them(source):
    same_reading(source, "reports/report.py")
