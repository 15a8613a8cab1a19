"""The checklist's progress: code lens on its heading and hover with the count per week."""

import pytest

from reportls import features
from reportls.analysis import analyze
from reportls.features.checklist import checklist
from reportls.report.parse import parse_report
from tests.e2e.conftest import SHARED
from tests.reportgen import make_report

CHECKLIST = """## Overall project checklist

Tick what you did.

### Week 1

* [x] Create a git repository (M5)
* [ ] Make sure that all team members have write access (M5)
- [X] Use ruff (M7)

### Week 2

* [ ] Write unit tests (M16)
    * [x] nested items count too

```
* [x] not an item: inside a code block
```

### Extra

* [ ] Write some documentation (M32)

"""


def with_checklist(text: str, checklist_text: str = CHECKLIST) -> str:
    start = text.index("## Overall project checklist")
    end = text.index("## ", start + 3)
    return text[:start] + checklist_text + text[end:]


def test_counts_per_week_and_in_all():
    report = parse_report(with_checklist(make_report({})))
    cl = checklist(report)
    assert [(g.name, g.done, g.total) for g in cl.groups] == [("Week 1", 2, 3), ("Week 2", 1, 2), ("Extra", 0, 1)]
    assert (cl.done, cl.total, cl.title) == (3, 6, "Checklist: 3/6 done")
    assert report.text[cl.heading.span.start : cl.heading.span.end] == "## Overall project checklist"


def test_every_marker_groups_write_is_an_item_and_only_x_is_done():
    marked = CHECKLIST.replace("* [ ] Write some documentation (M32)",
                               "* [(X)] Write some documentation (M32)\n* ❌ Publish the documentation (M32)")
    cl = checklist(parse_report(with_checklist(make_report({}), marked)))
    assert [(g.name, g.done, g.total) for g in cl.groups] == [("Week 1", 2, 3), ("Week 2", 1, 2), ("Extra", 0, 2)]
    assert cl.title == "Checklist: 3/7 done"


def test_lens_on_the_heading_and_hover_per_week():
    text = with_checklist(make_report({}))
    a = analyze(text)
    lenses = {lens.title: lens for lens in features.code_lenses(a)}
    lens = lenses["Checklist: 3/6 done"]
    assert text[lens.span.start : lens.span.end] == "## Overall project checklist"
    h = features.hover(a, text.index("Overall project checklist"), None)
    assert h.markdown.startswith("**Checklist: 3/6 done**")
    assert "| Week 1 | 2/3 |" in h.markdown and "| Week 2 | 1/2 |" in h.markdown and "| Extra | 0/1 |" in h.markdown


def test_no_checklist_no_lens():
    text = make_report({})
    start = text.index("## Overall project checklist")
    text = text[:start] + text[text.index("## ", start + 3) :]
    a = analyze(text)
    assert checklist(a.report) is None
    assert [lens.title for lens in features.code_lenses(a)] == [f"{a.passed}/31 questions pass"]


@pytest.mark.skipif(not (SHARED / "templates").is_dir(), reason="needs ../shared/templates")
def test_blank_2026_template_has_53_items_none_done():
    cl = checklist(parse_report((SHARED / "templates" / "2026.md").read_text()))
    assert (cl.done, cl.total) == (0, 53)
    assert [g.name for g in cl.groups] == ["Week 1", "Week 2", "Week 3", "Extra"]


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared/seeds")
@pytest.mark.parametrize("seed", sorted(p.name for p in (SHARED / "seeds").glob("*.md")) or ["none"])
def test_seeds_agree_with_a_plain_count(seed):
    text = (SHARED / "seeds" / seed).read_text()
    cl = checklist(parse_report(text))
    section = text[text.index("## Overall project checklist") :]
    section = section[: section.index("\n## ")]
    lines = [line.strip() for line in section.splitlines()]
    assert cl.total == sum(line[:5] in ("* [ ]", "* [x]", "- [ ]", "- [x]", "* [X]", "- [X]") for line in lines)
    assert cl.done == sum(line[:5].lower() in ("* [x]", "- [x]") for line in lines)
