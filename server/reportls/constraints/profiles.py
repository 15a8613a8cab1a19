"""Built-in constraint profiles and the table mapping form they (and the config) are written in.

Owns: the profile YAML files in ``profiles/`` (package data, read with ``yaml.safe_load`` through
``importlib.resources``), ``load_profile``, ``choose_profile`` (docs/reportpy.md: 27 questions ->
2023, 31 -> 2025 or 2026 by the Q3 prompt, anything else -> 2026), ``table_from_mapping`` (the
``answers`` / ``click`` / ``questions: {n: {words: [a, b], images: [a, b]}}`` form) and
``ConfigError``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from reportls.constraints.table import NO_CONSTRAINT, Constraint, ConstraintTable

PROFILE_NAMES = ("2023-pre", "2023", "2025-pre", "2025", "2026")
Q3_2025 = "A requirement to the project is that you include a third-party package"
Q3_2026 = "Did you end up using any open-source frameworks/packages not covered"
TABLE_KEYS = ("answers", "click", "questions", "zero_based_messages", "crash_message")


class ConfigError(Exception):
    """A config file or constraint table that can't be used.

    ``str()`` is ``"<path>:<line + 1>: <message>"`` (``line`` is 0-based), or ``"<path>: <message>"``
    without a line, or just the message without a path.  ``key`` is where in the mapping the bad
    value sits (e.g. ``("questions", "14", "words")``), so a caller that knows the lines of its
    YAML can point at it.
    """

    def __init__(self, path: str | None, line: int | None, message: str, *, key: tuple[str, ...] = ()):
        self.path, self.line, self.message, self.key = path, line, message, key
        if path and line is not None:
            text = f"{path}:{line + 1}: {message}"
        elif path:
            text = f"{path}: {message}"
        else:
            text = message
        super().__init__(text)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bounds(value: object, what: str, number: int, where: str | None) -> tuple[int, int]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(_is_int(v) and v >= 0 for v in value)
        or value[0] > value[1]
    ):
        raise ConfigError(
            where, None, f"question {number}: {what} must be [min, max] with 0 <= min <= max, got {value!r}",
            key=("questions", str(number), what),
        )
    return value[0], value[1]


def table_from_mapping(
    data: dict, *, name: str, source: str, source_path: str | None = None
) -> ConstraintTable:
    """Turn ``{answers: 31, click: false, questions: {3: {words: [0, 200]}, ...}}`` into a table.

    Unlisted questions have no constraint; ``answers`` defaults to 31, ``click`` to false.  Also
    accepted (used by the built-in profiles): ``zero_based_messages`` and ``crash_message`` (the
    ValueError text, ``{n}`` standing for the answer count).  Raises ``ConfigError`` on any other
    key or a bad shape; its ``path`` is ``source_path``.
    """
    where = source_path
    if not isinstance(data, dict):
        raise ConfigError(where, None, f"a constraint table must be a mapping with {', '.join(TABLE_KEYS[:3])}")
    for key in data:
        if key not in TABLE_KEYS:
            raise ConfigError(where, None, f"unknown table key `{key}` (known: {', '.join(TABLE_KEYS)})",
                              key=(str(key),))
    answers = data.get("answers", 31)
    if not _is_int(answers) or not 1 <= answers <= 1000:
        raise ConfigError(where, None, f"answers must be a number from 1 to 1000, got {answers!r}", key=("answers",))
    for flag in ("click", "zero_based_messages"):
        if flag in data and not isinstance(data[flag], bool):
            raise ConfigError(where, None, f"{flag} must be true or false, got {data[flag]!r}", key=(flag,))
    crash_message = data.get("crash_message")
    if crash_message is not None:
        try:
            if not isinstance(crash_message, str):
                raise TypeError
            crash_message.format(n=answers)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            raise ConfigError(where, None, "crash_message must be text (with {n} for the answer count)",
                              key=("crash_message",)) from None
    questions = data.get("questions")
    if questions is None:
        questions = {}
    if not isinstance(questions, dict):
        raise ConfigError(where, None, "questions must be a mapping of question number to {words, images}",
                          key=("questions",))
    table = [NO_CONSTRAINT] * answers
    for key, spec in questions.items():
        try:
            if isinstance(key, (bool, float)):
                raise ValueError
            number = int(key)
        except (TypeError, ValueError):
            raise ConfigError(where, None, f"question key {key!r} is not a question number",
                              key=("questions", str(key))) from None
        if not 1 <= number <= answers:
            raise ConfigError(where, None, f"question {number} is outside 1-{answers}", key=("questions", str(key)))
        if spec is None:
            spec = {}
        if not isinstance(spec, dict) or set(spec) - {"words", "images"}:
            raise ConfigError(where, None, f"question {number}: expected {{words: [min, max], images: [min, max]}}, "
                              f"got {spec!r}", key=("questions", str(key)))
        w = _bounds(spec["words"], "words", number, where) if "words" in spec else (None, None)
        i = _bounds(spec["images"], "images", number, where) if "images" in spec else (None, None)
        table[number - 1] = Constraint(w[0], w[1], i[0], i[1])
    extra = {"crash_message": crash_message} if crash_message is not None else {}
    return ConstraintTable(
        name=name,
        answers=answers,
        questions=tuple(table),
        click=data.get("click", False),
        zero_based_messages=data.get("zero_based_messages", False),
        source=source,
        source_path=source_path,
        **extra,
    )


@cache
def load_profile(name: str) -> ConstraintTable:
    """The built-in table ``name`` (one of ``PROFILE_NAMES``); ``source="builtin"``.  Cached."""
    if name not in PROFILE_NAMES:
        raise ConfigError(None, None, f"unknown profile {name!r}; use one of {', '.join(PROFILE_NAMES)}")
    beside = Path(__file__).with_name("profiles") / f"{name}.yaml"
    if beside.is_file():
        text = beside.read_text("utf-8")
    else:  # installed inside a zip: through the package's resources
        from importlib.resources import files

        text = (files("reportls.constraints") / "profiles" / f"{name}.yaml").read_text("utf-8")
    data = read_profile_yaml(text)
    if data is None:  # not the plain shape below: the YAML library (safe loading)
        import yaml

        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return table_from_mapping(data, name=name, source="builtin")


# a built-in profile's lines (read only when a check needs a profile's file): compiled when needed
_SCALAR = r'^([a-z_]+): (?:(\d+)|(true|false)|"([^"\\]*)")$'
_QUESTION = r"^  (\d+): \{((?:words|images): \[\d+, \d+\](?:, (?:words|images): \[\d+, \d+\])?)\}$"
_BOUNDS = r"(words|images): \[(\d+), (\d+)\]"


def read_profile_yaml(text: str) -> dict | None:
    """The built-in profile files' plain shape (comments, ``key: 31``/``true``/``"text"``,
    ``questions:`` with ``  7: {words: [50, 100]}`` lines), read without importing a YAML library
    (importing PyYAML costs more than the rest of a ``reportls check``).  None for anything else;
    ``tests/unit/test_constraints.py`` holds it equal to ``yaml.safe_load`` on every profile."""
    data: dict = {}
    questions: dict | None = None
    scalar, question, bounds = re.compile(_SCALAR), re.compile(_QUESTION), re.compile(_BOUNDS)
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line == "questions:":
            questions = data["questions"] = {}
            continue
        m = question.match(line)
        if m and questions is not None:
            questions[int(m.group(1))] = {k: [int(a), int(b)] for k, a, b in bounds.findall(m.group(2))}
            continue
        m = scalar.match(line)
        if m is None or m.group(1) in data:
            return None
        key, number, flag, quoted = m.groups()
        data[key] = int(number) if number is not None else (flag == "true") if flag is not None else quoted
        questions = None
    return data


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def choose_profile(question_count: int, q3_prompt: str) -> str:
    """The built-in profile for a document: 27 questions -> ``2023``; 31 -> ``2025`` when the Q3
    prompt is the 2025 one ("A requirement to the project is that you include a third-party
    package"), else ``2026``; any other count -> ``2026``."""
    if question_count == 27:
        return "2023"
    if question_count == 31:
        prompt = _flat(q3_prompt or "")
        if _flat(Q3_2025) in prompt and _flat(Q3_2026) not in prompt:
            return "2025"
    return "2026"
