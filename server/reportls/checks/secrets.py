"""Credentials pasted into the report (the report is public on GitHub and handed in).

Owns the ``secret`` diagnostic: where the text holds one (``report.secrets``, read with the report),
what it looks like and to revoke it.  Messages never repeat the secret.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportls.findings import ERROR, Finding
from reportls.report.model import Span


def secret_findings(secrets: Iterable[tuple[Span, str]]) -> Iterable[Finding]:
    for span, what in secrets:
        yield Finding(
            "secret",
            span,
            f"This looks like {what}. The report is public and handed in: revoke it now and remove it "
            "(deleting it from the file does not remove it from git history).",
            ERROR,
        )

