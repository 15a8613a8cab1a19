#!/usr/bin/env bash
# Build, lint, unit-test and package the VS Code extension (offline from the lockfile).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run lint
npm test
npm run package
