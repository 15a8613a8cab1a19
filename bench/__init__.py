"""The reportls benchmark (not part of the package): ``python bench/run.py`` or ``python -m bench``."""
