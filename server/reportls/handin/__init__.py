"""The hand-in page as the grader sees it (README, "What the grader sees"): the page ``report.py html`` writes
(Python-Markdown), and where it shows an answer differently from GitHub (CommonMark/GFM).

Modules: ``spec`` (how the group's report.py renders, read with ``ast``), ``page`` (the page itself),
``render`` (both renderers and the comparison), ``autolink`` (GitHub's bare-URL links), ``chunks``
(cutting an answer where neither renderer continues a block), ``constructs`` (the suspicious
constructs and their repairs), ``findings`` (``handin_findings``, proven by rendering, cached per
answer).  The quick fixes and the before/after hover live with the features
(``features.handin_fixes``, ``features.handin_hover``).  Python-Markdown is imported lazily, on
first rendering.
"""

from reportls.handin.findings import handin_findings
from reportls.handin.page import page_bytes, render_page
from reportls.handin.spec import DEFAULT_SPEC, HtmlSpec, read_html_spec

__all__ = ["DEFAULT_SPEC", "HtmlSpec", "handin_findings", "page_bytes", "read_html_spec", "render_page"]
