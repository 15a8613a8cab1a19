"""The command line: ``reportls check``, ``html``, ``rule`` and ``serve`` (main), what the PATH arguments name (targets), the output forms (formats), the console (console), ``--fix`` (fixing)."""
