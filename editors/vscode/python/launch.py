"""Start the reportls server bundled in the VS Code extension: ``python launch.py [serve ...]``.

The extension runs this with ``python -I`` (no PYTHONPATH, no user site-packages), so the server's
dependencies come from ``../bundled/libs`` (filled by ``scripts/bundle.py``) and nothing installed
in the interpreter can shadow them.  Written to parse on any Python, so that an old one prints
what to install instead of a SyntaxError.
"""

import os
import sys

MIN_VERSION = (3, 11)
EXIT_TOO_OLD = 3  # the extension shows its own "install Python 3.11+" message before this happens
EXIT_NO_BUNDLE = 4


def main():
    if sys.version_info < MIN_VERSION:
        found = str(sys.version_info[0]) + "." + str(sys.version_info[1])
        sys.stderr.write(
            "reportls: needs Python 3.11 or newer; " + sys.executable + " is Python " + found + ". Install "
            "Python 3.11+ (python.org or your package manager) or set reportls.server.pythonPath.\n"
        )
        return EXIT_TOO_OLD
    libs = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "bundled", "libs")
    libs = os.path.normpath(libs)
    if not os.path.isfile(os.path.join(libs, "reportls", "cli", "main.py")):
        sys.stderr.write("reportls: the bundled server is missing from " + libs + " (run scripts/bundle.py)\n")
        return EXIT_NO_BUNDLE
    sys.path.insert(0, libs)
    from reportls.cli.main import main as reportls_main

    return reportls_main(sys.argv[1:] or ["serve"])


if __name__ == "__main__":
    sys.exit(main())
