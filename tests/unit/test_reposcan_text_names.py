"""Which listed files the scanner may read: ``reposcan._is_text_name`` answers as it did with
``os.path.splitext`` (a name of dots and then one, ``.env``, has no extension)."""

from __future__ import annotations

import os
import random

from reportls.files import reposcan


def _with_splitext(name: str) -> bool:
    lower = name.lower()
    if lower in reposcan.TEXT_NAMES or lower.startswith("dockerfile") or lower.endswith("dockerfile"):
        return True
    if lower.endswith(".ipynb"):
        return False
    return os.path.splitext(lower)[1] in reposcan.TEXT_SUFFIXES or lower.startswith(".pre-commit")


def test_text_names_as_splitext_reads_them():
    names = {".env", "..env", "a.env", ".py", "..py", "x..py", "a.b.py", "...", ".", "", "a.", "x.PY", "README.md",
             ".pre-commit-config.yaml", "Dockerfile", "api.dockerfile", "a.ipynb", "config", ".x.yml", "..x.yml"}
    rng = random.Random(2)
    names |= {"".join(rng.choice(".apymlPYd") for _ in range(rng.randrange(0, 8))) for _ in range(20000)}
    for name in names:
        assert reposcan._is_text_name(name) == _with_splitext(name), name
    assert reposcan._is_text_name("a.py") and not reposcan._is_text_name(".env") and reposcan._is_text_name("x.env")
