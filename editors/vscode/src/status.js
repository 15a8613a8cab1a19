// The status bar item's content for the question at the cursor ("Q7 · 43/50-100 words ✗"), the
// latest-only request runner that keeps at most one `reportls/questionStatus` request in flight,
// and where a click shows the question's hover. No `vscode` import.
"use strict";

/**
 * @typedef {{number: number, words: number, images: number, minWords: number|null, maxWords: number|null,
 *   minImages: number|null, maxImages: number|null, passed: boolean, crash: string|boolean|null,
 *   line?: number}} QuestionStatus  (crash: report.py's crash message; line: the question heading's line)
 */

const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/** "50-100", "50", "≥50", "≤100", or null when there is no bound. */
function bounds(min, max) {
  if (isNum(min) && isNum(max)) return min === max ? `${min}` : `${min}-${max}`;
  if (isNum(min)) return `≥${min}`;
  if (isNum(max)) return `≤${max}`;
  return null;
}

const plural = (n, word) => `${word}${n === 1 ? "" : "s"}`;

/**
 * Text, tooltip and failing flag for a questionStatus answer; null hides the item.
 * @param {QuestionStatus | null | undefined} s
 * @returns {{text: string, tooltip: string, failing: boolean} | null}
 */
function formatStatus(s) {
  if (!s || !isNum(s.number)) return null;
  const wordBounds = bounds(s.minWords, s.maxWords);
  const imageBounds = bounds(s.minImages, s.maxImages);
  const parts = [`Q${s.number}`];
  parts.push(wordBounds ? `${s.words}/${wordBounds} words` : `${s.words} ${plural(s.words, "word")}`);
  if (imageBounds) parts.push(`${s.images}/${imageBounds} ${plural(isNum(s.maxImages) ? s.maxImages : 2, "image")}`);
  const hasBounds = Boolean(wordBounds || imageBounds);
  const failing = Boolean(s.crash) || (hasBounds && !s.passed);
  let text = parts.join(" · ");
  if (hasBounds || s.crash) text += failing ? " ✗" : " ✓";

  const need = [];
  if (wordBounds) need.push(`${wordBounds} words`);
  if (imageBounds) need.push(`${imageBounds} ${plural(isNum(s.maxImages) ? s.maxImages : 2, "image")}`);
  const counts = `${s.words} ${plural(s.words, "word")}` + (imageBounds ? `, ${s.images} ${plural(s.images, "image")}` : "");
  let verdict;
  if (s.crash) verdict = `report.py check will crash on this report${typeof s.crash === "string" ? `: ${s.crash}` : ""}.`;
  else if (!hasBounds) verdict = "no word or image requirement.";
  else verdict = s.passed ? "report.py check passes." : "report.py check fails.";
  const tooltip = `Question ${s.number}: ${counts}` + (need.length ? `, needs ${need.join(" and ")}` : "") +
    ` as report.py counts; ${verdict} Click for details.`;
  return { text, tooltip, failing };
}

/**
 * Runs `run(args)` with at most one call in flight: requests made meanwhile collapse into one
 * follow-up call with the latest arguments. `onResult` gets only the answers that are still the
 * latest (none while a newer request waits).
 */
class LatestOnly {
  /**
   * @param {(args: any) => Promise<any>} run
   * @param {(result: any, args: any) => void} onResult
   * @param {(err: unknown) => void} [onError]
   */
  constructor(run, onResult, onError = () => {}) {
    this.run = run;
    this.onResult = onResult;
    this.onError = onError;
    this.inFlight = false;
    this.hasQueued = false;
    this.queued = undefined;
    /** @type {Promise<void>} settles when nothing is in flight or queued */
    this.idle = Promise.resolve();
    this._resolveIdle = () => {};
  }

  request(args) {
    if (this.inFlight) {
      this.hasQueued = true;
      this.queued = args;
      return;
    }
    this.idle = new Promise((r) => (this._resolveIdle = r));
    this._go(args);
  }

  /** Forget a queued request (e.g. the editor changed to a non-report file). */
  cancelQueued() {
    this.hasQueued = false;
    this.queued = undefined;
  }

  async _go(args) {
    this.inFlight = true;
    let result;
    let failed = false;
    try {
      result = await this.run(args);
    } catch (err) {
      failed = true;
      this.onError(err);
    }
    this.inFlight = false;
    if (this.hasQueued) {
      const next = this.queued;
      this.cancelQueued();
      this._go(next);
      return;
    }
    if (!failed) this.onResult(result, args);
    this._resolveIdle();
  }
}

const HEADING = /^ {0,3}#{1,6}\s+Question\s+(\d+)\b/i;
const IMAGE_LINK = /!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]|<img\b[^>]*>/gi;

/**
 * Where to show the question's hover: at the cursor (the server hovers a question anywhere in its
 * heading, prompt or answer), except on an image link, whose hover is about the file: then on the
 * question's heading (the status's `line`, else found by scanning up from the cursor).
 * @param {(line: number) => string} lineAt
 * @param {{line: number, character: number}} cursor
 * @param {{number: number, line?: number}} status
 * @returns {{line: number, character: number}}
 */
function hoverPosition(lineAt, cursor, status) {
  const text = lineAt(cursor.line);
  let onImage = false;
  for (const m of text.matchAll(IMAGE_LINK)) {
    if (cursor.character >= m.index && cursor.character <= m.index + m[0].length) onImage = true;
  }
  if (!onImage) return cursor;
  const onHeading = (line) => {
    const m = HEADING.exec(lineAt(line));
    return m && Number(m[1]) === status.number ? { line, character: m[0].length - m[1].length } : null;
  };
  if (Number.isInteger(status.line) && status.line >= 0 && status.line <= cursor.line) {
    return onHeading(status.line) || { line: status.line, character: 0 };
  }
  for (let line = cursor.line; line >= 0; line--) {
    const found = onHeading(line);
    if (found) return found;
  }
  return cursor;
}

module.exports = { formatStatus, bounds, LatestOnly, hoverPosition };
