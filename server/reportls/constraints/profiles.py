"""Built-in constraint profiles (YAML data files in ``profiles/``) and choosing one for a document."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable

PROFILES_DIR = Path(__file__).with_name("profiles")  # package data, installed with the package
PROFILE_NAMES = ("2023-pre", "2023", "2025-pre", "2025", "2026")
Q3_2025 = "A requirement to the project is that you include a third-party package"
Q3_2026 = "Did you end up using any open-source frameworks/packages not covered"


class ConfigError(Exception):
    """A constraint table or config file that can't be used; ``str()`` names file and line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message, self.path, self.line = message, path, line
        where = f"{path}:{line + 1}: " if path and line is not None else f"{path}: " if path else ""
        super().__init__(where + message)


def _bounds(value, what: str, number) -> tuple[int, int]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        or value[0] > value[1]
    ):
        raise ConfigError(f"question {number}: {what} must be [min, max] with 0 <= min <= max, got {value!r}")
    return value[0], value[1]


def table_from_mapping(data: dict, *, name: str, source: str, source_path: str | None = None) -> ConstraintTable:
    """The YAML form (``answers``, ``click``, ``questions: {n: {words: [a, b], images: [a, b]}}``)."""
    if not isinstance(data, dict):
        raise ConfigError("a constraint table must be a mapping with answers/click/questions", source_path)
    answers = data.get("answers", 31)
    if not isinstance(answers, int) or isinstance(answers, bool) or not 1 <= answers <= 500:
        raise ConfigError(f"answers must be a positive number, got {answers!r}", source_path)
    questions = data.get("questions") or {}
    if not isinstance(questions, dict):
        raise ConfigError("questions must be a mapping of question number to {words, images}", source_path)
    table = [NO_CONSTRAINT] * answers
    for key, spec in questions.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise ConfigError(f"question key {key!r} is not a number", source_path) from None
        if not 1 <= number <= answers:
            raise ConfigError(f"question {number} is outside 1-{answers}", source_path)
        spec = spec or {}
        if not isinstance(spec, dict) or set(spec) - {"words", "images"}:
            raise ConfigError(f"question {number}: expected {{words: [a, b], images: [a, b]}}, got {spec!r}", source_path)
        w = _bounds(spec["words"], "words", number) if "words" in spec else (None, None)
        i = _bounds(spec["images"], "images", number) if "images" in spec else (None, None)
        table[number - 1] = Constraint(w[0], w[1], i[0], i[1])
    click = bool(data.get("click", False))
    kwargs = {}
    if isinstance(data.get("crash_message"), str):
        kwargs["crash_message"] = data["crash_message"]
    return ConstraintTable(
        name=name,
        answers=answers,
        questions=tuple(table),
        click=click,
        zero_based_messages=bool(data.get("zero_based_messages", False)),
        source=source,
        source_path=source_path,
        **kwargs,
    )


@cache
def load_profile(name: str) -> ConstraintTable:
    if name not in PROFILE_NAMES:
        raise ConfigError(f"unknown profile {name!r}; use one of {', '.join(PROFILE_NAMES)}")
    import yaml

    text = (PROFILES_DIR / f"{name}.yaml").read_text("utf-8")
    return table_from_mapping(yaml.safe_load(text), name=name, source="builtin")


def choose_profile(question_count: int, q3_prompt: str) -> str:
    """27 questions -> 2023; 31 -> 2025 or 2026 by the Q3 prompt; anything else -> 2026."""
    if question_count == 27:
        return "2023"
    if question_count == 31 and Q3_2025.lower() in " ".join(q3_prompt.split()).lower():
        return "2025"
    return "2026"
