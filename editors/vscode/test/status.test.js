"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { formatStatus, bounds, LatestOnly, hoverPosition } = require("../src/status");

const status = (over) => ({
  number: 7, words: 43, images: 0, minWords: 50, maxWords: 100, minImages: null, maxImages: null,
  passed: false, crash: false, ...over,
});

test("failing question: count/bounds and a cross", () => {
  const s = formatStatus(status());
  assert.equal(s.text, "Q7 · 43/50-100 words ✗");
  assert.equal(s.failing, true);
  assert.equal(s.tooltip, "Question 7: 43 words, needs 50-100 words as report.py counts; report.py check fails. Click for details.");
});

test("passing question: a check mark", () => {
  const s = formatStatus(status({ words: 73, passed: true }));
  assert.equal(s.text, "Q7 · 73/50-100 words ✓");
  assert.equal(s.failing, false);
  assert.match(s.tooltip, /report\.py check passes\./);
});

test("images are shown when the question has image bounds", () => {
  assert.equal(formatStatus(status({ number: 14, words: 250, images: 1, minWords: 200, maxWords: 300, minImages: 1, maxImages: 2, passed: true })).text,
    "Q14 · 250/200-300 words · 1/1-2 images ✓");
  const one = formatStatus(status({ number: 19, words: 3, images: 0, minWords: null, maxWords: null, minImages: 1, maxImages: 1 }));
  assert.equal(one.text, "Q19 · 3 words · 0/1 image ✗");
  assert.equal(one.tooltip, "Question 19: 3 words, 0 images, needs 1 image as report.py counts; report.py check fails. Click for details.");
});

test("no bounds: the number and the words only, no verdict", () => {
  const s = formatStatus(status({ number: 1, words: 1, minWords: null, maxWords: null, passed: true }));
  assert.equal(s.text, "Q1 · 1 word");
  assert.equal(s.failing, false);
  assert.match(s.tooltip, /no word or image requirement/);
});

test("report.py check would crash: a cross even if the counts are fine", () => {
  const s = formatStatus(status({ words: 70, passed: true, crash: true }));
  assert.equal(s.text, "Q7 · 70/50-100 words ✗");
  assert.equal(s.failing, true);
  assert.match(s.tooltip, /will crash/);
});

test("null hides the item", () => {
  assert.equal(formatStatus(null), null);
  assert.equal(formatStatus(undefined), null);
  assert.equal(formatStatus({}), null);
});

test("bounds text", () => {
  assert.equal(bounds(50, 100), "50-100");
  assert.equal(bounds(1, 1), "1");
  assert.equal(bounds(0, null), "≥0");
  assert.equal(bounds(null, 200), "≤200");
  assert.equal(bounds(null, null), null);
});

/** A run function whose calls finish only when the test says so. */
function deferredRun() {
  const calls = [];
  const run = (args) => new Promise((resolve, reject) => calls.push({ args, resolve, reject }));
  return { calls, run };
}
const tick = () => new Promise((r) => setImmediate(r));

test("at most one request in flight; requests meanwhile collapse into one with the latest arguments", async () => {
  const { calls, run } = deferredRun();
  const results = [];
  const runner = new LatestOnly(run, (result, args) => results.push([result, args]));
  runner.request("pos 1");
  runner.request("pos 2");
  runner.request("pos 3");
  runner.request("pos 4");
  assert.equal(calls.length, 1);
  calls[0].resolve("answer 1");
  await tick();
  assert.equal(calls.length, 2);
  assert.equal(calls[1].args, "pos 4");
  assert.deepEqual(results, []); // answer 1 is stale: not shown
  runner.request("pos 5");
  assert.equal(calls.length, 2);
  calls[1].resolve("answer 4");
  await tick();
  assert.equal(calls.length, 3);
  calls[2].resolve("answer 5");
  await runner.idle;
  assert.deepEqual(results, [["answer 5", "pos 5"]]);
  assert.equal(calls.length, 3);
});

test("a request after an idle period runs at once and its answer is shown", async () => {
  const { calls, run } = deferredRun();
  const results = [];
  const runner = new LatestOnly(run, (r) => results.push(r));
  runner.request("a");
  calls[0].resolve(1);
  await runner.idle;
  runner.request("b");
  assert.equal(calls.length, 2);
  calls[1].resolve(2);
  await runner.idle;
  assert.deepEqual(results, [1, 2]);
});

test("a failing request is reported and does not block the next one", async () => {
  const { calls, run } = deferredRun();
  const errors = [];
  const results = [];
  const runner = new LatestOnly(run, (r) => results.push(r), (e) => errors.push(e.message));
  runner.request("a");
  calls[0].reject(new Error("server gone"));
  await runner.idle;
  runner.request("b");
  calls[1].resolve("ok");
  await runner.idle;
  assert.deepEqual(errors, ["server gone"]);
  assert.deepEqual(results, ["ok"]);
});

test("a queued request can be dropped", async () => {
  const { calls, run } = deferredRun();
  const results = [];
  const runner = new LatestOnly(run, (r) => results.push(r));
  runner.request("a");
  runner.request("b");
  runner.cancelQueued();
  calls[0].resolve("A");
  await runner.idle;
  assert.equal(calls.length, 1);
  assert.deepEqual(results, ["A"]);
});

test("the hover is shown at the cursor, or at the heading when the cursor is on an image link", () => {
  const lines = ["### Question 7", "", "> Answer:", "", "Some text ![loss](figures/loss.png) more."];
  const lineAt = (i) => lines[i];
  assert.deepEqual(hoverPosition(lineAt, { line: 4, character: 3 }, { number: 7, line: 0 }), { line: 4, character: 3 });
  assert.deepEqual(hoverPosition(lineAt, { line: 4, character: 15 }, { number: 7, line: 0 }), { line: 0, character: 13 });
  assert.deepEqual(hoverPosition(lineAt, { line: 4, character: 15 }, { number: 7 }), { line: 0, character: 13 }); // scanned
  assert.deepEqual(hoverPosition(lineAt, { line: 4, character: 15 }, { number: 8 }), { line: 4, character: 15 }); // no Q8 heading
});

test("report.py's crash message goes into the tooltip", () => {
  const s = formatStatus(status({ crash: "expected 31 answers, found 30" }));
  assert.match(s.tooltip, /report\.py check will crash on this report: expected 31 answers, found 30\./);
});
