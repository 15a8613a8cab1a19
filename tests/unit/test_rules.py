"""The one table of diagnostic codes (``reportls.rules``): every code the checks give is in it,
its severities are the defaults the checks use, and the README's diagnostics table is exactly
what it generates (``python -m reportls.rules --write README.md`` regenerates that section)."""

import ast
from pathlib import Path

from reportls.findings import DEFAULT_SEVERITY
from reportls.rules import END, RULES, RULES_LIST, START, explain, markdown_table, readme_section, with_table

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCED = {"checklist-unbacked": "information", "checklist-unticked": "hint"}  # announced in the contract before the checks existed


def _finding_codes_in_source() -> set[str]:
    """Every code written as the first argument of ``Finding(...)`` anywhere in the package."""
    found = set()
    for path in (ROOT / "server" / "reportls").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Finding"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_code_is_explained_once_with_its_default_severity():
    assert len(RULES) == len(RULES_LIST)
    assert set(DEFAULT_SEVERITY) | set(ANNOUNCED) == set(RULES)
    assert _finding_codes_in_source() <= set(RULES)
    for code, rule in RULES.items():
        assert rule.severity == DEFAULT_SEVERITY.get(code, ANNOUNCED.get(code)), code
        assert rule.when and rule.why and rule.example and rule.fix, code
        assert "|" not in rule.when.replace("\\|", ""), code  # one markdown table cell


def test_the_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(START) == 1 and readme.count(END) == 1
    assert readme_section(readme) == markdown_table()
    assert with_table(readme) == readme


def test_table_rows_and_explanation():
    rows = markdown_table().splitlines()
    assert rows[:2] == ["| code | default | when |", "| --- | --- | --- |"]
    assert len(rows) == 2 + len(RULES)
    assert rows[2] == f"| `word-count` | warning | {RULES['word-count'].when} |"
    text = explain("handin-url")
    assert text.splitlines()[0] == "handin-url [hint]"
    assert f"Fix: {RULES['handin-url'].fix}" in text.splitlines()
