#!/usr/bin/env bash
# Build, lint, unit-test and package the VS Code extension. Only the npm and pip registries are
# contacted: npm ci from the lockfile, and `vsce package` runs scripts/bundle.py (vscode:prepublish),
# which fills bundled/libs with the server and its pinned pure-Python dependencies.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run lint
npm test
npm run package
# the .vsix must carry the server: the launcher, reportls and its dependencies
python3 - reportls-0.1.0.vsix <<'PY'
import sys, zipfile, os
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["extension/python/launch.py", "extension/bundled/libs/reportls/cli/main.py", "extension/bundled/libs/pygls/__init__.py",
        "extension/bundled/libs/yaml/__init__.py", "extension/bundled/libs/markdown/__init__.py", "extension/LICENSE.txt"]
missing = [n for n in need if n not in names]
if missing:
    sys.exit(f"reportls-0.1.0.vsix lacks {missing}")
print(f"reportls-0.1.0.vsix: {len(names)} files, {os.path.getsize(sys.argv[1]) / 1e6:.1f} MB")
PY
