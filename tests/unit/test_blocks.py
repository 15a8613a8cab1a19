"""The line scan of ``report.blocks`` against markdown-it-py: wherever the scan decides a segment's
blocks, they are exactly markdown-it's; and it decides almost every segment of a real report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportls.report.blocks import CODE, FRONT_MATTER, HEADING, HTML, markdown_blocks, plain_blocks, segment_blocks
from reportls.report.parse import _markdown, split_segments

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
REPORTS = sorted((SHARED / "seeds").glob("*.md")) + sorted((SHARED / "templates").glob("*.md")) if SHARED.is_dir() else []


def reference(seg: str, first: bool):
    return markdown_blocks(_markdown().parse(seg), first) if seg.strip() else []


def segments(text: str):
    bounds = [*split_segments(text), len(text)]
    return [(text[bounds[k] : bounds[k + 1]], k == 0) for k in range(len(bounds) - 1)]


@pytest.mark.parametrize(
    ("seg", "first", "blocks"),
    [
        ("## Question 1\n\nSome text.\n", False, [(HEADING, 0, 1, 2)]),
        ("### Question 2\r\n\r\nWe ran:\r\n```bash\r\nuv run train\r\n```\r\nDone.\r\n", False,
         [(HEADING, 0, 1, 3), (CODE, 3, 6, None)]),
        ("# Title\n\n    indented code\n\n    more\n\nprose\n", True, [(HEADING, 0, 1, 1), (CODE, 2, 5, None)]),
        ("## Q\n\ntext\n    still the paragraph\n", False, [(HEADING, 0, 1, 2)]),
        ("## Q\n\n* [x] an item that\n    goes on\n* [ ] another\n", False, [(HEADING, 0, 1, 2)]),
        ("## Q\n\n~~~~\nopen to the end\n~~~\n", False, [(HEADING, 0, 1, 2), (CODE, 2, 5, None)]),
        ("## Q\n```--- question 1 fill here ---```\n", False, [(HEADING, 0, 1, 2)]),
        ("---\nlayout: default\n---\n\nIntro.\n", True, [(FRONT_MATTER, 0, 3, None)]),
        ("- a list\n```\ncode after it\n```\n", True, [(CODE, 1, 4, None)]),
        ("### Question 15\n\n> prompt\n>\n> Answer:\n\nWe ran:\n\n    docker build .\nThen\n", False,
         [(HEADING, 0, 1, 3), (CODE, 8, 9, None)]),  # a quote ends at a blank line
        ("## Q\n\n<div>\n\n    x\n</div>\n", False, [(HEADING, 0, 1, 2), (HTML, 2, 3, False), (CODE, 4, 5, None), (HTML, 5, 6, False)]),
        ("### Question 25\n\nOur diagram:\n\n<img src=\"figures/overview.png\" width=\"1000\">\n\nIt shows\n", False,
         [(HEADING, 0, 1, 3), (HTML, 4, 5, False)]),  # a lone tag after a blank line
        ("## Q\n\ntext\n<img src=\"figures/a.png\">\n", False, [(HEADING, 0, 1, 2)]),  # goes on the paragraph
        ("## Q\ntext\n<p align=\"center\">\n  <img src=a.png>\n</p>\n\nafter\n", False,
         [(HEADING, 0, 1, 2), (HTML, 2, 5, False)]),  # a block tag interrupts a paragraph
        ("<!-- a comment\n\n```\nnot a fence\n-->\n    code\n", True, [(HTML, 0, 5, True), (CODE, 5, 6, None)]),
        ("## Q\n\n<SCRIPT>\nx\n\n</script> y\ntext\n", False, [(HEADING, 0, 1, 2), (HTML, 2, 6, False)]),
        ("## Q\n\n<https://example.com>\n    still the paragraph\n", False, [(HEADING, 0, 1, 2)]),  # an autolink
        ("## Q\n\n- item\n\n    the item's paragraph\n", False, [(HEADING, 0, 1, 2)]),
        ("## Q\n\n- item\n\nprose\n\n    code: the list ended\n", False, [(HEADING, 0, 1, 2), (CODE, 6, 7, None)]),
        ("## Q\n\n- item\n  ```\n  code\n  ```\n", False, [(HEADING, 0, 1, 2), (CODE, 3, 6, None)]),
    ],
)
def test_plain_segments_are_read_by_the_scan(seg, first, blocks):
    assert plain_blocks(seg, first) == blocks
    assert reference(seg, first) == blocks


@pytest.mark.parametrize(
    "seg",
    [
        "## Q\n\n> <div>\n",  # an HTML block in a quote
        "## Q\n\n- item\n\n  <img src=a.png>\n",  # an HTML block that may sit in a list item
        "## Q\n\n[a]: /url\n<div>\n",  # after a link definition
        "## Q\n\n- item\n\n      code in the item\n",  # indented code in a list item
        "## Q\n\n> - item\n>   ```\n",  # a list in a quote
        "## Q\n\n- > quote\n  ```\n",  # a quote in a list item
        "## Q\n\n-\n  ```\n",  # an empty item
        "## Q\n\n1. a\n   - b\n     - c\n       - d\n         - e\n           ```\n",  # nested too deep
        "## Q\n\n- item\n  ```\n\tcode\n",  # a tab in the indent of a fence's line
        "## Q\n\n> ```\n> quoted code\n",  # a fence in a quote
        "## Q\n10. ten\n- > q\n-     five spaces\n",  # a new item whose first line is indented code
        "## Q\n   1. 2. b\nstep\n     *\n[x] done\n",  # "*" ends two items: code at the top level
        "## Q\n2.   x\n   1.    y\n           10.  z\n         ===\n                code\n",  # a setext underline
        "## Q\n\n[a]: /url\n'title'\n    code\n",  # after a link definition
        "## Q\n\n\tcode\n",  # a tab in the indent
        "## Q\r\rlone CR\n",
    ],
)
def test_what_the_scan_cannot_be_sure_of_goes_to_markdown_it(seg):
    assert plain_blocks(seg, False) is None
    assert segment_blocks(seg, False, _markdown) == reference(seg, False)


@pytest.mark.skipif(not REPORTS, reason="../shared not available")
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_real_reports_agree_and_are_scanned(path, ending):
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", ending)
    undecided = 0
    for seg, first in segments(text):
        blocks = plain_blocks(seg, first) if seg.strip() else []
        if blocks is None:
            undecided += 1
        else:
            assert blocks == reference(seg, first), seg[:80]
    # the prompts' quotes, the checklist, prose, fences and indented code: none needs markdown-it
    assert undecided == 0, path.name


STEPS = "1. **Initialize Terraform:**\n   ```bash\n   terraform init\n   ```\n2. Next step\n"


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(
    ("seg", "blocks"),
    [
        (STEPS, [(CODE, 3, 6, None)]),
        # an unclosed fence ends at a line indented less than the item's content
        ("1. step\n   ```bash\n   code\n  cut\n", [(CODE, 3, 5, None)]),
        # a closing fence 4 past the content column is content
        ("- a\n  ```\n  x\n      ```\n  y\n", [(CODE, 3, 7, None)]),
        ("1. a\n   ```\n   x\n\n   y\n   ```\n", [(CODE, 3, 8, None)]),  # a blank line in the fence
        # a fence after a blank line in the item
        ("1. **Pull:**\n\n   ```bash\n   git pull\n   ```\n\n2. **Branch:**\n\n   ```bash\n   git switch\n   ```\n",
         [(CODE, 4, 7, None), (CODE, 10, 13, None)]),
        ("- a\nlazy\n  ```\n  x\n  ```\n", [(CODE, 4, 7, None)]),  # a lazy line goes on the item's paragraph
        ("1. step\ngoes on\n```\nx\n```\n", [(CODE, 4, 7, None)]),  # a fence ends the item
        ("- item\n  ~~~\n  x\n  ~~~\n", [(CODE, 3, 6, None)]),
        ("1. a\n    - b\n      ```\n      x\n      ```\n", [(CODE, 4, 7, None)]),  # in a nested item
        # a fence less indented than a nested item's content ends it and opens in the outer item
        ("- `cloudbuild.yaml`\n    - build locally:\n    ```sh\n    docker build .\n\n    ```\n- next\n",
         [(CODE, 4, 8, None)]),
        # "   ```" is less indented than the item's content: it ends the fence and opens one at the top
        ("10. ten\n    ```\n    x\n   ```\n", [(CODE, 3, 5, None), (CODE, 5, 6, None)]),
        ("- a\n  ```\n  x\n  ```\n  # not a top-level heading\n", [(CODE, 3, 6, None)]),
        ("text\n2. not an item\n   ```\n   x\n   ```\n", [(CODE, 4, 7, None)]),  # "2." cannot interrupt text
        # a thematic break and a setext underline in items, then a fence in the item
        ("-   card\n\n    ---\n\n    text\n    ---\n    ```\n    x\n", [(CODE, 8, 10, None)]),
    ],
)
def test_fences_in_list_items_are_read_by_the_scan(seg, blocks, ending):
    seg = ("## Question 7\n\n" + seg).replace("\n", ending)
    expected = [(HEADING, 0, 1, 2), *blocks]
    assert plain_blocks(seg, False) == expected
    assert reference(seg, False) == expected


REAL = [Path(f"/tmp/real{k}") for k in range(1, 5)]
REAL_FILES = sorted(p for root in REAL if root.is_dir() for p in root.rglob("*.md") if p.is_file())


def _fence_in_list_item(seg: str) -> bool:
    """Whether markdown-it finds a fence inside a list item of ``seg`` (with no quote, HTML block
    or tab around, which the scan leaves to markdown-it)."""
    items = fenced = 0
    for tok in _markdown().parse(seg):
        if tok.type in ("blockquote_open", "html_block"):
            return False
        items += tok.type == "list_item_open"
        items -= tok.type == "list_item_close"
        fenced = fenced or (tok.type == "fence" and items > 0)
    return bool(fenced) and "\t" not in seg


@pytest.mark.skipif(not REAL_FILES, reason="the real repositories (/tmp/real1..4) are not available")
def test_the_real_repositories_markdown_agrees_and_fences_in_list_items_are_scanned():
    decided = undecided = fenced = 0
    for path in REAL_FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for seg, first in segments(text):
            if not seg.strip():
                continue
            blocks = plain_blocks(seg, first)
            if blocks is None:
                undecided += 1
                assert not _fence_in_list_item(seg), (path, seg[:200])
            else:
                decided += 1
                assert blocks == reference(seg, first), (path, seg[:200])
                fenced += _fence_in_list_item(seg)
    assert fenced > 0  # the numbered steps with code in them are there, and read by the scan
    assert undecided < decided


LINES = [
    "", "   ", "text", "more text here", "  two spaces", "    four spaces", "      six", "\tcode",
    "```", "```py", "````", "~~~", "~~~~ info", "```a`b", "  ```", "   ~~~", "    ```",
    "- item", "* [x] done", "1. first", "2) second", "-", "- ", "  - nested", "    - deep",
    "> quote", ">", "> ```", "> - item", "- ```", "- > q", "<div>", "<!-- c -->", "text <b>x</b>",
    "# h", "  ## h2", "#hashtag", "- # in item", "---", "***", "===", "- - -", "___",
    "[a]: /u", "[x] not a def", "[", "...", "'title'", "--- question 1 fill here ---", "1234567890. x",
    '<img src="figures/a.png" width="500">', "<img src=a.png/>", '  <p align="center">', "</p>", "<br>", "<br/>",
    "<img src='a'> text", "<details>", "<summary>More</summary>", "</DIV>", "<div", "<x-y z>", "<a href=\"u\">l</a>",
    "<https://example.com>", "<", "<1>", "<!--", "-->", "a --> b", "<!-->", "<!---->", "<script>", "</script>",
    "<pre>x</pre>", "<style", "<?php", "?>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<textarea >", "<img\u00a0src=a>",
    "<table><tr><td>", "<img src=a.png>\u3000",
    # list items and fences in them, at the indents students write numbered steps with
    "1. step", "2. **Next:**", "10. ten", "1.", "3) three", "- a", "+ b", "*   wide", "-     five spaces",
    "   ```bash", "   code", "   ```", "  ```", "    ```", "     ```", "       ```", "  ~~~", "  ~~~~",
    "   - nested", "     ```", "      ```", "      code", "    - deeper", "        ```", " 2. next",
    "  text", "   <img src=a.png>", "   <div>", "   # h", "   > q", "   ---", "   [a]: /u", "   1. sub",
    "   2) sub", "- ```", "1. - x", "  - ", "   *", "    code", "\t```", "   \tx",
    "   ===", "   * * *", "  -", "    ---", "-   card",
]


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), max_size=12), st.booleans(), st.sampled_from(["\n", "\r\n"]),
       st.booleans())
@example(["---", "a", "   ---"], True, "\n", True)
@example(["text", "    ```", "x"], False, "\n", True)
def test_the_scan_never_disagrees_with_markdown_it(lines, first, ending, heading):
    head = [] if first and not heading else ["## Question 3"]
    seg = ending.join(head + lines) + ending
    blocks = plain_blocks(seg, first)
    if blocks is not None:
        assert blocks == reference(seg, first)
