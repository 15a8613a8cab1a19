// How the extension finds the reportls server, and the client options it builds.
// Pure functions (no `vscode` import; processes and the file system come in as arguments) so they
// are unit-tested with node's test runner.
//
// Order: `reportls.server.path`, then `reportls.server.pythonPath`, then `reportls` on PATH, then an
// interpreter (the Python extension's, else the first `python3`/`python` on PATH) that has reportls
// installed, else that interpreter running the server bundled in the extension (python/launch.py
// with bundled/libs). An installed reportls always wins over the bundled one.
"use strict";

const path = require("path");
const fs = require("fs");
const childProcess = require("child_process");

const MIN_PYTHON = [3, 11];

const INSTALL_HINT =
  "reportls server not found. Install it with `pip install reportls` (or `pip install -e .` in the reportls " +
  "repository), or set `reportls.server.path` / `reportls.server.pythonPath`.";

// Prints "major minor has_reportls"; parses on any Python, so an old one still answers.
const PROBE_CODE = [
  "import sys",
  "found = 0",
  "try:",
  "    import importlib.util",
  "    found = int(importlib.util.find_spec('reportls') is not None)",
  "except Exception:",
  "    pass",
  "sys.stdout.write('%d %d %d\\n' % (sys.version_info[0], sys.version_info[1], found))",
].join("\n");

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
 * Parse the probe's output ("3 12 0").
 * @param {string} stdout
 * @returns {{version: [number, number], hasReportls: boolean} | null}
 */
function parseProbe(stdout) {
  const m = /^\s*(\d+) (\d+) ([01])\s*$/.exec(String(stdout));
  return m ? { version: [Number(m[1]), Number(m[2])], hasReportls: m[3] === "1" } : null;
}

/**
 * Run an interpreter once to learn its version and whether reportls is importable.
 * @param {string} python
 * @param {{timeoutMs?: number}} [opts]
 * @returns {Promise<ReturnType<typeof parseProbe>>}
 */
function probePython(python, opts = {}) {
  return new Promise((resolve) => {
    childProcess.execFile(python, ["-c", PROBE_CODE], { timeout: opts.timeoutMs || 15000, windowsHide: true },
      (err, stdout) => resolve(err ? null : parseProbe(stdout)));
  });
}

const versionOk = (v) => v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);

/** The interpreters to try for the bundled server, in order, without duplicates. */
function pythonCandidates(interpreter, whichFn, platform) {
  const names = platform === "win32" ? ["python", "python3"] : ["python3", "python"];
  names.push("python3.14", "python3.13", "python3.12", "python3.11");
  const out = [];
  if (interpreter) out.push({ python: interpreter, origin: "the Python extension's interpreter" });
  for (const name of names) {
    const found = whichFn(name);
    if (found) out.push({ python: found, origin: `\`${name}\` on PATH` });
  }
  return out.filter((c, i) => out.findIndex((d) => d.python === c.python) === i);
}

/**
 * The "no usable Python" notification: what was found and what to install.
 * @param {{python: string, version: [number, number] | null}[]} tried
 */
function noPythonMessage(tried) {
  const seen = tried.map((t) => (t.version ? `${t.python} is Python ${t.version.join(".")}` : `${t.python} does not run`));
  return (
    "reportls needs Python 3.11 or newer to run its checks, and found none" +
    (seen.length ? ` (${seen.join("; ")})` : " (no python3 on PATH, no interpreter selected in the Python extension)") +
    ". Install Python 3.11 or newer (python.org, or your system's package manager), or set " +
    "`reportls.server.pythonPath` to one; then run \"reportls: Restart server\"."
  );
}

/**
 * Resolve the server command.
 * @param {{serverPath?: string|string[], pythonPath?: string, interpreter?: string|null, launcher?: string|null}} settings
 *   `interpreter`: the Python extension's; `launcher`: the bundled python/launch.py, null when the bundle is absent.
 * @param {{which?: (name: string) => string|null, probe?: (python: string) => Promise<ReturnType<typeof parseProbe>>,
 *   platform?: string}} [deps]
 * @returns {Promise<{command: string, args: string[], source: string} | {error: string, kind: string}>}
 */
async function resolveServer(settings, deps = {}) {
  const whichFn = deps.which || ((name) => which(name));
  const probe = deps.probe || probePython;
  const platform = deps.platform || process.platform;
  const launcher = settings.launcher || null;
  const bundled = (python, source) => ({ command: python, args: ["-I", launcher, "serve"], source });
  const installed = (python, source) => ({ command: python, args: ["-m", "reportls", "serve"], source });

  const serverPath = settings.serverPath;
  if (Array.isArray(serverPath) && serverPath.length > 0 && serverPath[0]) {
    const args = serverPath.slice(1);
    return { command: serverPath[0], args: args.length ? args : ["serve"], source: "reportls.server.path" };
  }
  if (typeof serverPath === "string" && serverPath.trim()) {
    return { command: serverPath.trim(), args: ["serve"], source: "reportls.server.path" };
  }
  const pythonPath = (settings.pythonPath || "").trim();
  if (pythonPath) {
    const info = await probe(pythonPath);
    if (!info || !versionOk(info.version)) {
      return { error: noPythonMessage([{ python: pythonPath, version: info && info.version }]), kind: "no-python" };
    }
    if (info.hasReportls) return installed(pythonPath, "reportls.server.pythonPath");
    if (launcher) return bundled(pythonPath, "bundled server, reportls.server.pythonPath");
    return { error: `reportls is not installed in ${pythonPath} (reportls.server.pythonPath). ${INSTALL_HINT}`, kind: "not-found" };
  }
  const onPath = whichFn("reportls");
  if (onPath) return { command: onPath, args: ["serve"], source: "PATH" };

  const tried = [];
  for (const { python, origin } of pythonCandidates(settings.interpreter, whichFn, platform)) {
    const info = await probe(python);
    tried.push({ python, version: info ? info.version : null });
    if (!info || !versionOk(info.version)) continue;
    if (info.hasReportls) return installed(python, `reportls installed in ${origin}`);
    if (launcher) return bundled(python, `bundled server, ${origin}`);
  }
  if (!launcher) return { error: INSTALL_HINT, kind: "not-found" };
  return { error: noPythonMessage(tried), kind: "no-python" };
}

/**
 * The bundled launcher if the extension carries its server (python/launch.py and bundled/libs/reportls).
 * @param {string} extensionDir
 * @param {(p: string) => boolean} [exists]
 */
function bundledLauncher(extensionDir, exists = fs.existsSync) {
  const launcher = path.join(extensionDir, "python", "launch.py");
  const lib = path.join(extensionDir, "bundled", "libs", "reportls", "cli", "main.py");
  return exists(launcher) && exists(lib) ? launcher : null;
}

const SERVER_SETTINGS = ["constraints", "severity", "inlayHints", "debounceMs", "git"];

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

module.exports = {
  which,
  parseProbe,
  probePython,
  resolveServer,
  bundledLauncher,
  noPythonMessage,
  serverSettings,
  clientOptions,
  INSTALL_HINT,
  PROBE_CODE,
};
