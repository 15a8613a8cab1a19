"""Integration tests: the real tools (the `reportls` command in a subprocess, the real `pre-commit`
from PyPI driving real git commits) on reports built from the template's structure."""


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: drives a real external tool (pre-commit, git, the reportls "
                                       "command in a subprocess); part of the normal pytest run")
