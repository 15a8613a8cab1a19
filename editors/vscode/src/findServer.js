// How the extension finds the reportls server, and the client options it builds.
// Pure functions (no `vscode` import) so they are unit-tested with node's test runner.
"use strict";

const path = require("path");
const fs = require("fs");

const INSTALL_HINT =
  "reportls server not found. Install it with `pip install reportls` (or `pip install -e .` in the reportls " +
  "repository), or set `reportls.server.path` / `reportls.server.pythonPath`.";

/**
 * Search PATH for an executable, as a shell would.
 * @param {string} name
 * @param {{env?: Record<string, string|undefined>, platform?: string, isExecutable?: (p: string) => boolean}} [opts]
 * @returns {string|null}
 */
function which(name, opts = {}) {
  const env = opts.env || process.env;
  const platform = opts.platform || process.platform;
  const isExecutable = opts.isExecutable || defaultIsExecutable(platform);
  const sep = platform === "win32" ? ";" : ":";
  const dirs = (env.PATH || env.Path || "").split(sep).filter(Boolean);
  const exts = platform === "win32" ? (env.PATHEXT || ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean) : [""];
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext.toLowerCase());
      if (isExecutable(candidate)) return candidate;
      if (ext && isExecutable(join(dir, name + ext))) return join(dir, name + ext);
    }
  }
  return null;
}

function defaultIsExecutable(platform) {
  return (p) => {
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) return false;
      if (platform === "win32") return true;
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * Resolve the server command: the `reportls.server.path` setting, then `reportls.server.pythonPath`
 * (`python -m reportls serve`), then `reportls` on PATH, then the Python extension's interpreter.
 * @param {{serverPath?: string|string[], pythonPath?: string, interpreter?: string|null}} settings
 * @param {Parameters<typeof which>[1]} [opts]
 * @returns {{command: string, args: string[], source: string} | {error: string}}
 */
function resolveServerCommand(settings, opts = {}) {
  const serverPath = settings.serverPath;
  if (Array.isArray(serverPath) && serverPath.length > 0 && serverPath[0]) {
    const args = serverPath.slice(1);
    return { command: serverPath[0], args: args.length ? args : ["serve"], source: "reportls.server.path" };
  }
  if (typeof serverPath === "string" && serverPath.trim()) {
    return { command: serverPath.trim(), args: ["serve"], source: "reportls.server.path" };
  }
  if (settings.pythonPath && settings.pythonPath.trim()) {
    return { command: settings.pythonPath.trim(), args: ["-m", "reportls", "serve"], source: "reportls.server.pythonPath" };
  }
  const onPath = which("reportls", opts);
  if (onPath) return { command: onPath, args: ["serve"], source: "PATH" };
  if (settings.interpreter) {
    return { command: settings.interpreter, args: ["-m", "reportls", "serve"], source: "Python extension interpreter" };
  }
  return { error: INSTALL_HINT };
}

const SERVER_SETTINGS = ["constraints", "severity", "inlayHints", "debounceMs"];

/**
 * The `reportls` settings the server understands, from a configuration getter.
 * @param {(key: string) => unknown} get
 */
function serverSettings(get) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of SERVER_SETTINGS) {
    const value = get(key);
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/**
 * Client options for vscode-languageclient (plain data; the extension adds the output channel
 * and the file watcher).
 * @param {Record<string, unknown>} settings
 */
function clientOptions(settings) {
  return {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    initializationOptions: { reportls: settings },
    synchronize: { configurationSection: "reportls" },
    watchGlob: "**/{figures/**,report.py,.reportls.yaml}",
  };
}

module.exports = { which, resolveServerCommand, serverSettings, clientOptions, INSTALL_HINT };
