"""reportls: a language server and checker for the DTU 02476 MLOps exam report.

The package is split into a pure core (no pygls/lsprotocol imports) and a thin protocol layer in
``reportls.lsp``.  The CLI (``reportls.cli.main``) only ever imports the core.
"""

__version__ = "0.1.0"
