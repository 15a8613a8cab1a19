"""The hand-in construct kinds are one closed table (``handin/kinds.py``): every kind has its codes,
its message and its fix, and every kind the hand-in checks can create is declared there."""

import ast
from pathlib import Path

import pytest

from reportls.handin.constructs import Candidate
from reportls.handin.kinds import KINDS, Said, construct_kind
from reportls.findings import DEFAULT_SEVERITY

HANDIN = Path(__file__).resolve().parents[2] / "server" / "reportls" / "handin"


def test_every_kind_has_a_code_a_message_and_a_fix():
    assert len(KINDS) == 30
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.codes and all(code in DEFAULT_SEVERITY for code in kind.codes), name
        assert kind.fix.strip(), name
        message = kind.message(Said({}, kind.codes[0]))
        assert message.endswith((".", ")")) and len(message) > 40, name


def _created_kinds():
    """Every kind string written where a construct is created: the second argument of
    ``Candidate(...)``, ``LocalFinding(...)`` and the sink's ``add(...)``, both branches of an
    ``x if c else y``, and the kinds ``autolink.py`` gives a bare link."""
    found = set()
    for path in (HANDIN / "constructs.py", HANDIN / "findings.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("Candidate", "LocalFinding", "add"):
                continue
            for c in ast.walk(node.args[1]):
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    found.add(c.value)
    source = (HANDIN / "constructs.py").read_text(encoding="utf-8")
    found |= {c.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Assign)
              and any(getattr(t, "id", "") == "kind" for t in n.targets)
              for c in ast.walk(n.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_every_kind_the_checks_create_is_declared():
    created = _created_kinds() | {"url", "www", "email"}  # autolink.py's kinds (link.kind)
    assert created - set(KINDS) == set()
    assert {"fence", "marker-change", "setext", "nested-items", "item-content", "code-space"} <= created


def test_an_undeclared_kind_or_code_is_refused():
    with pytest.raises(ValueError, match="not declared"):
        Candidate("handin-list", "new-kind", 0, 1, ())
    with pytest.raises(ValueError, match="not reported under 'handin-code'"):
        Candidate("handin-code", "marker-change", 0, 1, ())
    assert construct_kind("setext", "handin-list") is construct_kind("setext", "handin-quote")


def test_a_message_names_the_details():
    said = Said({"from": "-", "to": "*"}, "handin-list")
    assert KINDS["marker-change"].message(said).startswith("The list marker changes from `-` to `*`:")
    assert KINDS["math"].message(Said({}, "handin-escape", places=3)).startswith("Math (3 formulas on this line)")
