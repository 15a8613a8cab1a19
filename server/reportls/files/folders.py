"""Which folders a walk of the user's files never enters: dependencies, virtual environments and
git's own folder (hidden folders are skipped by the walks themselves)."""

SKIPPED_FOLDERS = frozenset({"node_modules", ".venv", "venv", ".git", "site-packages"})
