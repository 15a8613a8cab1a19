"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { which, resolveServerCommand, serverSettings, clientOptions, INSTALL_HINT } = require("../src/findServer");

const fakeFs = (existing) => (p) => existing.includes(p);

test("server.path setting wins (string form gets `serve`)", () => {
  const r = resolveServerCommand({ serverPath: "/opt/reportls", pythonPath: "/usr/bin/python3" },
    { env: { PATH: "/usr/bin" }, platform: "linux", isExecutable: fakeFs(["/usr/bin/reportls"]) });
  assert.deepEqual(r, { command: "/opt/reportls", args: ["serve"], source: "reportls.server.path" });
});

test("server.path array form is used as given", () => {
  const r = resolveServerCommand({ serverPath: ["/venv/bin/python", "-m", "reportls", "serve"] }, { env: {}, platform: "linux" });
  assert.deepEqual(r.args, ["-m", "reportls", "serve"]);
  assert.equal(r.command, "/venv/bin/python");
});

test("pythonPath comes second", () => {
  const r = resolveServerCommand({ serverPath: "", pythonPath: "/venv/bin/python" },
    { env: { PATH: "/usr/bin" }, platform: "linux", isExecutable: fakeFs(["/usr/bin/reportls"]) });
  assert.deepEqual(r, { command: "/venv/bin/python", args: ["-m", "reportls", "serve"], source: "reportls.server.pythonPath" });
});

test("then reportls on PATH (POSIX)", () => {
  const r = resolveServerCommand({}, { env: { PATH: "/a:/b" }, platform: "linux", isExecutable: fakeFs(["/b/reportls"]) });
  assert.deepEqual(r, { command: "/b/reportls", args: ["serve"], source: "PATH" });
});

test("PATH search on Windows uses PATHEXT", () => {
  const found = which("reportls", { env: { PATH: "C:\\py\\Scripts;C:\\x", PATHEXT: ".COM;.EXE" }, platform: "win32",
    isExecutable: fakeFs(["C:\\py\\Scripts\\reportls.exe"]) });
  assert.equal(found, "C:\\py\\Scripts\\reportls.exe");
});

test("then the Python extension's interpreter, else a clear install message", () => {
  const viaInterp = resolveServerCommand({ interpreter: "/home/u/.venv/bin/python" }, { env: { PATH: "" }, platform: "linux" });
  assert.equal(viaInterp.source, "Python extension interpreter");
  const missing = resolveServerCommand({}, { env: { PATH: "/nothing" }, platform: "linux", isExecutable: () => false });
  assert.deepEqual(missing, { error: INSTALL_HINT });
  assert.match(missing.error, /pip install reportls/);
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
