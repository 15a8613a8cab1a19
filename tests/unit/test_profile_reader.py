"""The built-in profiles are read without PyYAML (``profiles.read_profile_yaml``), and read the
same as ``yaml.safe_load`` reads them; anything outside their plain shape goes to PyYAML."""

from pathlib import Path

import pytest
import yaml

from reportls.constraints.profiles import PROFILE_NAMES, load_profile, read_profile_yaml, table_from_mapping

PROFILES = Path(__file__).resolve().parents[2] / "server" / "reportls" / "constraints" / "profiles"


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_every_profile_reads_as_yaml_does(name):
    text = (PROFILES / f"{name}.yaml").read_text("utf-8")
    assert read_profile_yaml(text) == yaml.safe_load(text)
    assert load_profile(name) == table_from_mapping(yaml.safe_load(text), name=name, source="builtin")


@pytest.mark.parametrize("text", [
    "answers: 31\nanswers: 27\n",  # a duplicate key
    "answers: [31]\n",  # a flow sequence
    "crash_message: 'single quotes'\n",
    "questions:\n  3: {words: [0, 200], pages: [1, 2]}\n",
    "questions:\n    3: {words: [0, 200]}\n",  # other indentation
    'crash_message: "an \\"escaped\\" quote"\n',
])
def test_anything_else_is_left_to_pyyaml(text):
    assert read_profile_yaml(text) is None
