"""The constraint table: what report.py demands of each answer, and where that table came from.

Plain frozen records (``text.records``); every source (built-in profile, report.py read with ``ast``, the user's
``.reportls.yaml``) produces a ``ConstraintTable``.
"""

from __future__ import annotations

from reportls.text.records import record


@record(frozen=True, slots=True)
class Constraint:
    """Bounds for one question; ``None`` means "no bound of that kind"."""

    min_words: int | None = None
    max_words: int | None = None
    min_images: int | None = None
    max_images: int | None = None

    @property
    def has_words(self) -> bool:
        return self.min_words is not None

    @property
    def has_images(self) -> bool:
        return self.min_images is not None

    def words_ok(self, words: int) -> bool:
        return not self.has_words or self.min_words <= words <= self.max_words

    def images_ok(self, images: int) -> bool:
        return not self.has_images or self.min_images <= images <= self.max_images

    def passes(self, words: int, images: int) -> bool:
        return self.words_ok(words) and self.images_ok(images)

    @property
    def words_range(self) -> str:
        """ "50-100", or "exactly 1 word" when both bounds are the same."""
        return bounds(self.min_words, self.max_words, "word")

    @property
    def images_range(self) -> str:
        """ "1-3", or "exactly 1 image"."""
        return bounds(self.min_images, self.max_images, "image")

    def describe(self) -> str:
        """Short human form: "100-200 words", "1-3 images", "200-300 words + exactly 1 image",
        "no constraint"."""
        parts = []
        if self.has_words:
            parts.append(with_noun(self.words_range, "word"))
        if self.has_images:
            parts.append(with_noun(self.images_range, "image"))
        return " + ".join(parts) if parts else "no constraint"


def plural(count: int, noun: str) -> str:
    """ "1 word", "0 words", "2 images"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def bounds(low: int | None, high: int | None, noun: str) -> str:
    """ "50-100" for a range, "exactly 1 image" when ``low == high`` (never "1-1")."""
    return f"exactly {plural(low, noun)}" if low == high else f"{low}-{high}"


def with_noun(range_text: str, noun: str) -> str:
    """A ``bounds`` text with its noun: "50-100 words"; "exactly 1 image" already has one."""
    return range_text if range_text.startswith("exactly") else f"{range_text} {noun}s"


NO_CONSTRAINT = Constraint()
CRASH_MESSAGE = "Number of answers are different from the expected {n}. Have you changed the template?"


@record(frozen=True, slots=True)
class ConstraintTable:
    """The per-question table report.py checks against.

    ``questions[i]`` is the constraint of question ``i + 1``; ``len(questions) == answers``.
    ``click`` is True for the click-based report.py that reads ``text[43:]`` and numbers questions
    from 0 in its messages (``zero_based_messages``).
    """

    name: str  # profile name ("2026", ...), "report.py" or "config"
    answers: int
    questions: tuple[Constraint, ...]
    click: bool = False
    zero_based_messages: bool = False
    source: str = "builtin"  # "builtin" | "report.py" | "config"
    source_path: str | None = None
    # The ValueError message report.py raises on a wrong answer count ("{n}" is filled in).
    crash_message: str = CRASH_MESSAGE
    # Notes about report.py changes that reportls can't model (shown as constraints-source info).
    notes: tuple[str, ...] = ()

    def constraint(self, number: int) -> Constraint:
        """Constraint of question ``number`` (1-based); no constraint outside the table."""
        if 1 <= number <= len(self.questions):
            return self.questions[number - 1]
        return NO_CONSTRAINT

    def crash_text(self) -> str:
        return self.crash_message.format(n=self.answers)
