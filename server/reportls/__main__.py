"""``python -m reportls``: the same entry point as the ``reportls`` command."""

from reportls.cli.main import main

raise SystemExit(main())
