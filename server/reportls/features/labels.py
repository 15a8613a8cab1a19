"""How a question's counts and bounds are written in hints, lenses and outline details.

One place for the short forms: "✓ 143 words · 100-200", "✗ 250 words · 200-300 · 0/1-3 images"
(inlay hints) and "✗ 43 words · needs 50-100" (outline detail).  A question without constraints is
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


def _images_against(r: QuestionResult) -> str:
    """ "0/1-3 images", "1/1 image"."""
    c = r.constraint
    if c.min_images == c.max_images:
        return f"{r.images}/{plural(c.max_images, 'image')}"
    return f"{r.images}/{c.min_images}-{c.max_images} images"


def hint_label(r: QuestionResult) -> str:
    """Inlay hint after ``Answer:``: counts against bounds, images as "count/min-max"."""
    c = r.constraint
    label = plural(r.words, "word")
    if c.has_words:
        label += f" · {c.words_range}"
    if c.has_images:
        label += f" · {_images_against(r)}"
    return _mark(r) + label


def detail_label(r: QuestionResult) -> str:
    """Outline detail: each count with its bounds, "needs" before the bounds it misses."""
    c = r.constraint
    words = plural(r.words, "word")
    if c.has_words:
        words += f" · {'' if c.words_ok(r.words) else 'needs '}{c.words_range}"
    parts = [words]
    if c.has_images:
        parts.append(f"{plural(r.images, 'image')} · {'' if c.images_ok(r.images) else 'needs '}{c.images_range}")
    return _mark(r) + ", ".join(parts)
