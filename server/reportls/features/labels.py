"""How a question's counts and bounds are written in hints, lenses and outline details.

One place for the short forms: "✓ 143 words · 100-200", "✗ 250 words · 200-300 · 0/1-3 images"
(inlay hints) and "✗ 43 words · needs 50-100" (outline detail).  A question without constraints is
just "12 words": there is nothing to pass or fail.
"""

from __future__ import annotations

from reportls.checks import QuestionResult


def _mark(r: QuestionResult) -> str:
    c = r.constraint
    if not (c.has_words or c.has_images):
        return ""
    return "✓ " if r.passed else "✗ "


def hint_label(r: QuestionResult) -> str:
    """Inlay hint after ``Answer:``: counts against bounds, images as "count/min-max"."""
    c = r.constraint
    label = f"{r.words} words"
    if c.has_words:
        label += f" · {c.min_words}-{c.max_words}"
    if c.has_images:
        label += f" · {r.images}/{c.min_images}-{c.max_images} images"
    return _mark(r) + label


def detail_label(r: QuestionResult) -> str:
    """Outline detail: each count with its bounds, "needs" before the bounds it misses."""
    c = r.constraint
    words = f"{r.words} words"
    if c.has_words:
        words += f" · {'' if c.words_ok(r.words) else 'needs '}{c.min_words}-{c.max_words}"
    parts = [words]
    if c.has_images:
        noun = "image" if r.images == 1 else "images"
        parts.append(
            f"{r.images} {noun} · {'' if c.images_ok(r.images) else 'needs '}{c.min_images}-{c.max_images}"
        )
    return _mark(r) + ", ".join(parts)
