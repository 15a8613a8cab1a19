"""The constraint table: what report.py demands of each answer, and where that table came from.

Plain frozen dataclasses; every source (built-in profile, report.py read with ``ast``, the user's
``.reportls.yaml``) produces a ``ConstraintTable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
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

    def describe(self) -> str:
        """Short human form: "100-200 words", "1-3 images", "200-300 words + 1-3 images", "none"."""
        parts = []
        if self.has_words:
            parts.append(f"{self.min_words}-{self.max_words} words")
        if self.has_images:
            parts.append(f"{self.min_images}-{self.max_images} images")
        return " + ".join(parts) if parts else "no constraint"


NO_CONSTRAINT = Constraint()


@dataclass(frozen=True)
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
    crash_message: str = (
        "Number of answers are different from the expected {n}. Have you changed the template?"
    )
    # Notes about report.py changes that reportls can't model (shown as constraints-source info).
    notes: tuple[str, ...] = field(default=())

    def constraint(self, number: int) -> Constraint:
        """Constraint of question ``number`` (1-based); no constraint outside the table."""
        if 1 <= number <= len(self.questions):
            return self.questions[number - 1]
        return NO_CONSTRAINT

    def crash_text(self) -> str:
        return self.crash_message.format(n=self.answers)
