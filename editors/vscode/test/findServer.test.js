"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const childProcess = require("child_process");
const {
  which, parseProbe, probePython, resolveServer, bundledLauncher, noPythonMessage, serverSettings, clientOptions,
  INSTALL_HINT,
} = require("../src/findServer");

const fakeFs = (existing) => (p) => existing.includes(p);
const LAUNCHER = "/ext/python/launch.py";

/** A machine: executables on PATH (name -> path) and what each interpreter answers to the probe. */
function machine({ onPath = {}, pythons = {} } = {}) {
  const probed = [];
  return {
    probed,
    deps: {
      platform: "linux",
      which: (name) => onPath[name] || null,
      probe: async (python) => {
        probed.push(python);
        return pythons[python] || null;
      },
    },
  };
}
const py = (major, minor, hasReportls = false) => ({ version: [major, minor], hasReportls });

test("server.path setting wins over everything (string form gets `serve`)", async () => {
  const m = machine({ onPath: { reportls: "/usr/bin/reportls", python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": py(3, 12) } });
  const r = await resolveServer({ serverPath: "/opt/reportls", pythonPath: "/usr/bin/python3", launcher: LAUNCHER }, m.deps);
  assert.deepEqual(r, { command: "/opt/reportls", args: ["serve"], source: "reportls.server.path" });
  assert.deepEqual(m.probed, []);
});

test("server.path array form is used as given", async () => {
  const r = await resolveServer({ serverPath: ["/venv/bin/python", "-m", "reportls", "serve"] }, machine().deps);
  assert.deepEqual(r, { command: "/venv/bin/python", args: ["-m", "reportls", "serve"], source: "reportls.server.path" });
});

test("pythonPath comes second: its installed reportls, else the bundled server with it", async () => {
  const withReportls = machine({ onPath: { reportls: "/usr/bin/reportls" }, pythons: { "/venv/bin/python": py(3, 11, true) } });
  assert.deepEqual(await resolveServer({ pythonPath: "/venv/bin/python", launcher: LAUNCHER }, withReportls.deps),
    { command: "/venv/bin/python", args: ["-m", "reportls", "serve"], source: "reportls.server.pythonPath" });
  const bare = machine({ pythons: { "/opt/py/bin/python3": py(3, 13) } });
  assert.deepEqual(await resolveServer({ pythonPath: "/opt/py/bin/python3", launcher: LAUNCHER }, bare.deps),
    { command: "/opt/py/bin/python3", args: ["-I", LAUNCHER, "serve"], source: "bundled server, reportls.server.pythonPath" });
});

test("a pythonPath that is too old is reported, not skipped", async () => {
  const m = machine({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/old/python": py(3, 10), "/usr/bin/python3": py(3, 12) } });
  const r = await resolveServer({ pythonPath: "/old/python", launcher: LAUNCHER }, m.deps);
  assert.equal(r.kind, "no-python");
  assert.match(r.error, /\/old\/python is Python 3\.10/);
  assert.deepEqual(m.probed, ["/old/python"]);
});

test("then reportls on PATH, before any interpreter is tried", async () => {
  const m = machine({ onPath: { reportls: "/b/reportls", python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": py(3, 12) } });
  assert.deepEqual(await resolveServer({ interpreter: "/venv/bin/python", launcher: LAUNCHER }, m.deps),
    { command: "/b/reportls", args: ["serve"], source: "PATH" });
  assert.deepEqual(m.probed, []);
});

test("then the Python extension's interpreter: its installed reportls wins over the bundle", async () => {
  const m = machine({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/venv/bin/python": py(3, 12, true), "/usr/bin/python3": py(3, 12) } });
  assert.deepEqual(await resolveServer({ interpreter: "/venv/bin/python", launcher: LAUNCHER }, m.deps),
    { command: "/venv/bin/python", args: ["-m", "reportls", "serve"], source: "reportls installed in the Python extension's interpreter" });
});

test("bundled server with the Python extension's interpreter, else the first python3 on PATH", async () => {
  const m = machine({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/venv/bin/python": py(3, 11), "/usr/bin/python3": py(3, 12) } });
  assert.deepEqual(await resolveServer({ interpreter: "/venv/bin/python", launcher: LAUNCHER }, m.deps),
    { command: "/venv/bin/python", args: ["-I", LAUNCHER, "serve"], source: "bundled server, the Python extension's interpreter" });
  const noExt = machine({ onPath: { python3: "/usr/bin/python3", python: "/usr/bin/python" },
    pythons: { "/usr/bin/python3": py(3, 12), "/usr/bin/python": py(3, 13) } });
  assert.deepEqual(await resolveServer({ launcher: LAUNCHER }, noExt.deps),
    { command: "/usr/bin/python3", args: ["-I", LAUNCHER, "serve"], source: "bundled server, `python3` on PATH" });
  assert.deepEqual(noExt.probed, ["/usr/bin/python3"]);
});

test("too-old and broken interpreters are skipped for a later one (python3.12 after an old python3)", async () => {
  const m = machine({
    onPath: { python3: "/usr/bin/python3", python: "/usr/bin/python3", "python3.12": "/usr/local/bin/python3.12" },
    pythons: { "/usr/bin/python3": py(3, 9), "/usr/local/bin/python3.12": py(3, 12) },
  });
  const r = await resolveServer({ interpreter: "/broken/python", launcher: LAUNCHER }, m.deps);
  assert.deepEqual(r, { command: "/usr/local/bin/python3.12", args: ["-I", LAUNCHER, "serve"], source: "bundled server, `python3.12` on PATH" });
  assert.deepEqual(m.probed, ["/broken/python", "/usr/bin/python3", "/usr/local/bin/python3.12"]); // /usr/bin/python3 once
});

test("no Python >= 3.11 at all: one error that says what was found and what to install", async () => {
  const m = machine({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": py(3, 10) } });
  const r = await resolveServer({ interpreter: "/venv/bin/python", launcher: LAUNCHER }, m.deps);
  assert.equal(r.kind, "no-python");
  assert.equal(r.error, noPythonMessage([{ python: "/venv/bin/python", version: null }, { python: "/usr/bin/python3", version: [3, 10] }]));
  assert.match(r.error, /needs Python 3\.11 or newer/);
  assert.match(r.error, /\/venv\/bin\/python does not run; \/usr\/bin\/python3 is Python 3\.10/);
  assert.match(r.error, /Install Python 3\.11 or newer/);
  const nothing = await resolveServer({ launcher: LAUNCHER }, machine().deps);
  assert.match(nothing.error, /no python3 on PATH/);
});

test("without the bundle (a development checkout) the message says to install reportls", async () => {
  const m = machine({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": py(3, 12) } });
  assert.deepEqual(await resolveServer({ launcher: null }, m.deps), { error: INSTALL_HINT, kind: "not-found" });
  assert.match(INSTALL_HINT, /pip install reportls/);
});

test("Windows tries `python` before `python3`", async () => {
  const m = machine({ onPath: { python: "C:\\Py\\python.exe", python3: "C:\\Store\\python3.exe" }, pythons: { "C:\\Py\\python.exe": py(3, 12) } });
  m.deps.platform = "win32";
  const r = await resolveServer({ launcher: "C:\\ext\\python\\launch.py" }, m.deps);
  assert.equal(r.command, "C:\\Py\\python.exe");
  assert.deepEqual(m.probed, ["C:\\Py\\python.exe"]);
});

test("PATH search: POSIX, and PATHEXT on Windows", () => {
  assert.equal(which("reportls", { env: { PATH: "/a:/b" }, platform: "linux", isExecutable: fakeFs(["/b/reportls"]) }), "/b/reportls");
  const found = which("reportls", { env: { PATH: "C:\\py\\Scripts;C:\\x", PATHEXT: ".COM;.EXE" }, platform: "win32",
    isExecutable: fakeFs(["C:\\py\\Scripts\\reportls.exe"]) });
  assert.equal(found, "C:\\py\\Scripts\\reportls.exe");
});

test("probe output parsing", () => {
  assert.deepEqual(parseProbe("3 12 1\n"), { version: [3, 12], hasReportls: true });
  assert.deepEqual(parseProbe("3 9 0"), { version: [3, 9], hasReportls: false });
  assert.equal(parseProbe("Python was not found; run without arguments to install from the Microsoft Store"), null);
  assert.equal(parseProbe(""), null);
});

test("the probe runs on a real interpreter, and fails cleanly on a missing one", async () => {
  const python = which("python3");
  if (!python) return;
  const info = await probePython(python);
  const [major, minor] = childProcess.execFileSync(python, ["-c", "import sys; print(*sys.version_info[:2])"]).toString().trim().split(" ").map(Number);
  assert.deepEqual(info.version, [major, minor]);
  assert.equal(await probePython("/nonexistent/python3"), null);
});

test("the bundled launcher is found only when the bundle is complete", () => {
  const ext = "/ext";
  const launcher = path.join(ext, "python", "launch.py");
  const lib = path.join(ext, "bundled", "libs", "reportls", "cli", "main.py");
  assert.equal(bundledLauncher(ext, fakeFs([launcher, lib])), launcher);
  assert.equal(bundledLauncher(ext, fakeFs([launcher])), null);
});

test("server settings pass through, unset ones are left out", () => {
  const values = { constraints: "2025", severity: { placeholder: "off" }, inlayHints: false, debounceMs: undefined };
  assert.deepEqual(serverSettings((k) => values[k]), { constraints: "2025", severity: { placeholder: "off" }, inlayHints: false });
});

test("client options select markdown files and pass initializationOptions", () => {
  const o = clientOptions({ debounceMs: 0 });
  assert.deepEqual(o.documentSelector.map((d) => d.language), ["markdown", "markdown"]);
  assert.deepEqual(o.initializationOptions, { reportls: { debounceMs: 0 } });
  assert.equal(o.synchronize.configurationSection, "reportls");
});
