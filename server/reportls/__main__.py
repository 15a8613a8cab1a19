"""``python -m reportls``: the same entry point as the ``reportls`` command."""

from reportls.cli import main

raise SystemExit(main())
