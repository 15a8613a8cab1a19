"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { RestartPolicy, errorHandler, ServerController } = require("../src/serverControl");
const { resolveServer } = require("../src/findServer");

const ENUMS = { ErrorAction: { Continue: 1, Shutdown: 2 }, CloseAction: { DoNotRestart: 1, Restart: 2 } };

/** A controller whose resolution is the real resolveServer on a machine without Python >= 3.11. */
function noPythonController() {
  const calls = { notify: [], started: 0, log: [] };
  const controller = new ServerController({
    resolve: () => resolveServer({ launcher: "/ext/python/launch.py", interpreter: null }, {
      platform: "linux",
      which: (name) => (name === "python3" ? "/usr/bin/python3" : null),
      probe: async () => ({ version: [3, 10], hasReportls: false }),
    }),
    startClient: async () => {
      calls.started += 1;
      return {};
    },
    stopClient: async () => {},
    notify: (problem) => calls.notify.push(problem),
    log: (line) => calls.log.push(line),
  });
  return { controller, calls };
}

test("no Python: one notification naming what to install, and no server started", async () => {
  const { controller, calls } = noPythonController();
  assert.equal(await controller.start(), null);
  await controller.start(); // e.g. a second report opened, settings of another extension changed
  await Promise.all([controller.start(), controller.start()]);
  assert.equal(calls.notify.length, 1);
  assert.equal(calls.notify[0].kind, "no-python");
  assert.match(calls.notify[0].error, /needs Python 3\.11 or newer.*\/usr\/bin\/python3 is Python 3\.10.*Install Python 3\.11/);
  assert.equal(calls.started, 0);
  assert.equal(calls.log.length, 3); // each attempt is logged (the two concurrent ones are one)
});

test("no Python: the user's Restart says it again, once per request", async () => {
  const { controller, calls } = noPythonController();
  await controller.start();
  await controller.restart();
  assert.equal(calls.notify.length, 2);
  assert.equal(calls.started, 0);
});

test("a server is started once; concurrent starts share it", async () => {
  let started = 0;
  const client = { name: "client" };
  const controller = new ServerController({
    resolve: async () => ({ command: "/usr/bin/python3", args: ["-I", "/ext/python/launch.py", "serve"], source: "bundled" }),
    startClient: async () => {
      started += 1;
      return client;
    },
    stopClient: async () => {},
    notify: () => assert.fail("no notification expected"),
    log: () => {},
  });
  const [a, b] = await Promise.all([controller.start(), controller.start()]);
  assert.equal(a, client);
  assert.equal(b, client);
  assert.equal(await controller.start(), client);
  assert.equal(started, 1);
});

test("a server that keeps stopping is restarted 3 times, then left stopped with one message", () => {
  let now = 0;
  const policy = new RestartPolicy({ now: () => now });
  const gaveUp = [];
  const handler = errorHandler(policy, ENUMS, (m) => gaveUp.push(m));
  const actions = [];
  for (let i = 0; i < 4; i++) {
    now += 1000;
    actions.push(handler.closed().action);
  }
  assert.deepEqual(actions, [ENUMS.CloseAction.Restart, ENUMS.CloseAction.Restart, ENUMS.CloseAction.Restart, ENUMS.CloseAction.DoNotRestart]);
  assert.equal(gaveUp.length, 1);
  assert.match(gaveUp[0], /stopped 4 times within 3 minutes and will not be restarted/);
});

test("stops far apart do not add up", () => {
  let now = 0;
  const policy = new RestartPolicy({ now: () => now });
  for (let i = 0; i < 10; i++) {
    now += 4 * 60 * 1000;
    assert.equal(policy.stopped(), true);
  }
});

test("write errors: continue a few times, then shut down", () => {
  const handler = errorHandler(new RestartPolicy(), ENUMS, () => {});
  assert.equal(handler.error(new Error("x"), undefined, 1).action, ENUMS.ErrorAction.Continue);
  assert.equal(handler.error(new Error("x"), undefined, 4).action, ENUMS.ErrorAction.Shutdown);
});

test("restart stops the running client, resets the policy and starts a new one", async () => {
  const stopped = [];
  let n = 0;
  const policy = new RestartPolicy();
  const controller = new ServerController({
    policy,
    resolve: async () => ({ command: "reportls", args: ["serve"], source: "PATH" }),
    startClient: async () => ({ id: ++n }),
    stopClient: async (c) => stopped.push(c.id),
    notify: () => {},
    log: () => {},
  });
  await controller.start();
  policy.stopped();
  policy.stopped();
  const second = await controller.restart();
  assert.deepEqual(stopped, [1]);
  assert.equal(second.id, 2);
  assert.equal(policy.stops.length, 0);
});
