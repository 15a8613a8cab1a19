"""Where credentials appear in the report's text: patterns for W&B keys, private key blocks, GCP
``private_key_id``, AWS access keys, GitHub, Hugging Face and OpenAI-style tokens.

Read with each segment of the report (``parse``), so that a keystroke re-scans only the segment it
changed; the ``secret`` diagnostic itself is written by ``checks.secrets``.
"""

from __future__ import annotations

import re


# (what it is, a substring every match contains (cheap pre-check), pattern, its flags, group holding
# the secret).  The patterns stay text: one is compiled (once, in ``re``'s cache) only when the
# report holds its substring, and most reports hold none.
_PATTERNS: tuple[tuple[str, tuple[str, ...], str, int, int | str], ...] = (
    ("a Weights & Biases API key", ("wandb_v1_",), r"\bwandb_v1_[A-Za-z0-9_]{20,}", 0, 0),
    (
        "a Weights & Biases API key",
        ("wandb",),
        r"(?i)wandb[\w.\-]*[^\n]{0,40}?(?<![0-9a-f])(?P<key>[0-9a-f]{40})(?![0-9a-f])",
        0,
        "key",
    ),
    (
        "a private key block",
        ("PRIVATE KEY",),
        r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z]+ )*PRIVATE KEY-----)?",
        re.DOTALL,
        0,
    ),
    ("a GCP service-account private_key_id", ('"private_key_id"',), r"\"private_key_id\"\s*:\s*\"(?P<key>[0-9a-f]{16,})\"", 0,
     "key"),
    ("an AWS access key ID", ("AKIA", "ASIA"), r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 0, 0),
    ("a GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b", 0, 0),
    ("a GitHub fine-grained token", ("github_pat_",), r"\bgithub_pat_[A-Za-z0-9_]{22,}", 0, 0),
    ("a Hugging Face token", ("hf_",), r"\bhf_[A-Za-z0-9]{30,}\b", 0, 0),
    ("an OpenAI-style API key", ("sk-",), r"(?<![\w-])sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}", 0, 0),
)


def _matches(pattern: re.Pattern[str], needles: tuple[str, ...], text: str, lowered: str):
    """Matches of ``pattern``; where every match starts with one of ``needles`` the pattern is only
    tried at the needles' occurrences, which is far cheaper than a scan of the whole report."""
    if pattern.pattern.lstrip("(?i)").startswith("-----"):
        yield from pattern.finditer(text)
        return
    case_blind = pattern.flags & re.IGNORECASE
    haystack = lowered if case_blind else text
    starts = sorted({i for n in needles for i in _find_all(haystack, n.lower() if case_blind else n)})
    end = -1
    for i in starts:
        if i < end:
            continue
        m = pattern.match(text, i)
        if m:
            end = m.end()
            yield m


def _find_all(haystack: str, needle: str):
    i = haystack.find(needle)
    while i != -1:
        yield i
        i = haystack.find(needle, i + 1)


def scan(text: str) -> list[tuple[int, int, str]]:
    """(start, end, what it looks like) of every secret in ``text``."""
    found: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for what, needles, regex, flags, group in _PATTERNS:
        if not any(n.lower() in lowered for n in needles):
            continue
        for m in _matches(re.compile(regex, flags), needles, text, lowered):
            start, end = m.start(group), m.end(group)
            if any(s < end and start < e for s, e, _ in found):
                continue
            found.append((start, end, what))
    found.sort()
    return found
