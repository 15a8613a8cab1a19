"""How a question's counts and bounds are written in hints, lenses and outline details.

One place for the short forms: "✓ 143 words · 100-200", "✗ 250 words · 200-300 · 0/1-3 images"
(inlay hints) and "fails: 43/50-100 words" (outline and workspace-symbol detail).  A question without constraints is
just "12 words": there is nothing to pass or fail.
"""

from __future__ import annotations

from reportls.checks import QuestionResult
from reportls.constraints.table import plural


def _mark(r: QuestionResult) -> str:
    c = r.constraint
    if not (c.has_words or c.has_images):
        return ""
    return "✓ " if r.passed else "✗ "


def hint_label(r: QuestionResult) -> str:
    """Inlay hint after ``Answer:``: counts against bounds, images as "count/min-max"."""
    c = r.constraint
    label = plural(r.words, "word")
    if c.has_words:
        label += f" · {c.words_range}"
    if c.has_images:
        label += f" · {_against(r.images, c.min_images, c.max_images, 'image')}"
    return _mark(r) + label


def _against(count: int, low: int, high: int, noun: str) -> str:
    """ "43/50-100 words", "1/1 image"."""
    if low == high:
        return f"{count}/{plural(high, noun)}"
    return f"{count}/{low}-{high} {noun}s"


def verdict_label(r: QuestionResult) -> str:
    """Outline and workspace-symbol detail: "fails: 43/50-100 words", "passes: 250/200-300 words,
    1/1-3 images"; a question without constraints is just "12 words"."""
    c = r.constraint
    if not (c.has_words or c.has_images):
        return plural(r.words, "word")
    parts = []
    if c.has_words:
        parts.append(_against(r.words, c.min_words, c.max_words, "word"))
    if c.has_images:
        parts.append(_against(r.images, c.min_images, c.max_images, "image"))
    return ("passes: " if r.passed else "fails: ") + ", ".join(parts)
