"""Credentials pasted into the report (the report is public on GitHub and handed in).

Owns the ``secret`` diagnostic: patterns for W&B keys, private key blocks, GCP ``private_key_id``,
AWS access keys, GitHub, Hugging Face and OpenAI-style tokens.  Messages say what the secret looks
like and to revoke it; they never repeat the secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reportls.findings import ERROR, Finding
from reportls.model import Span

# (what it is, pattern, group holding the secret)
_PATTERNS: tuple[tuple[str, re.Pattern[str], int | str], ...] = (
    ("a Weights & Biases API key", re.compile(r"\bwandb_v1_[A-Za-z0-9_]{20,}"), 0),
    (
        "a Weights & Biases API key",
        re.compile(r"(?i)wandb[\w.\-]*[^\n]{0,40}?(?<![0-9a-f])(?P<key>[0-9a-f]{40})(?![0-9a-f])"),
        "key",
    ),
    (
        "a private key block",
        re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z]+ )*PRIVATE KEY-----)?", re.S),
        0,
    ),
    ("a GCP service-account private_key_id", re.compile(r"\"private_key_id\"\s*:\s*\"(?P<key>[0-9a-f]{16,})\""), "key"),
    ("an AWS access key ID", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), 0),
    ("a GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b"), 0),
    ("a GitHub fine-grained token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}"), 0),
    ("a Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"), 0),
    ("an OpenAI-style API key", re.compile(r"(?<![\w-])sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}"), 0),
)


def find_secrets(text: str) -> Iterable[Finding]:
    seen: list[Span] = []
    for what, pattern, group in _PATTERNS:
        if what.startswith("a private key") and "PRIVATE KEY" not in text:
            continue
        for m in pattern.finditer(text):
            span = Span(m.start(group), m.end(group))
            if any(s.overlaps(span) for s in seen):
                continue
            seen.append(span)
            yield Finding(
                "secret",
                span,
                f"This looks like {what}. The report is public and handed in: revoke it now and remove it "
                "(deleting it from the file does not remove it from git history).",
                ERROR,
            )
