// Starting, restarting and giving up on the server: one notification when no server can be started
// (e.g. no Python >= 3.11), and a bounded number of restarts when the server keeps stopping, never a
// loop. No `vscode` import: the extension passes in how to resolve, start, stop and notify.
"use strict";

/** Allows `maxRestarts` restarts within `windowMs`; the next stop within the window gives up. */
class RestartPolicy {
  /** @param {{maxRestarts?: number, windowMs?: number, now?: () => number}} [opts] */
  constructor(opts = {}) {
    this.maxRestarts = opts.maxRestarts ?? 3;
    this.windowMs = opts.windowMs ?? 3 * 60 * 1000;
    this.now = opts.now || Date.now;
    /** @type {number[]} */
    this.stops = [];
  }

  /** Record that the server stopped; true if it may be restarted. */
  stopped() {
    const t = this.now();
    this.stops = this.stops.filter((s) => t - s < this.windowMs);
    this.stops.push(t);
    return this.stops.length <= this.maxRestarts;
  }

  reset() {
    this.stops = [];
  }
}

/**
 * The languageclient error handler over a RestartPolicy.
 * @param {RestartPolicy} policy
 * @param {{ErrorAction: {Continue: number, Shutdown: number}, CloseAction: {Restart: number, DoNotRestart: number}}} enums
 * @param {(message: string) => void} giveUp called once, when the policy says no more restarts
 */
function errorHandler(policy, enums, giveUp) {
  return {
    error: (_error, _message, count) => ({
      action: (count || 0) <= 3 ? enums.ErrorAction.Continue : enums.ErrorAction.Shutdown,
    }),
    closed: () => {
      if (policy.stopped()) return { action: enums.CloseAction.Restart };
      const message =
        `The reportls server stopped ${policy.stops.length} times within ${Math.round(policy.windowMs / 60000)} minutes ` +
        "and will not be restarted. See the reportls output, then run \"reportls: Restart server\".";
      giveUp(message);
      return { action: enums.CloseAction.DoNotRestart, handled: true };
    },
  };
}

/**
 * Owns the running client. `start()` resolves the server command; when that fails it logs and
 * notifies once per distinct problem (again only when the user asks, via `restart()`).
 */
class ServerController {
  /**
   * @param {{
   *   resolve: () => Promise<{command: string, args: string[], source: string} | {error: string, kind: string}>,
   *   startClient: (resolved: {command: string, args: string[], source: string}) => Promise<unknown>,
   *   stopClient: (client: unknown) => Promise<void>,
   *   notify: (problem: {error: string, kind: string}) => void,
   *   log: (line: string) => void,
   *   policy?: RestartPolicy,
   * }} deps
   */
  constructor(deps) {
    this.deps = deps;
    this.policy = deps.policy || new RestartPolicy();
    this.client = null;
    /** @type {string | null} the problem last shown to the user */
    this.notified = null;
    /** @type {Promise<unknown> | null} */
    this.pending = null;
  }

  /** Start unless running; concurrent calls share one attempt. */
  start(opts = {}) {
    if (this.client) return Promise.resolve(this.client);
    if (!this.pending) this.pending = this._start(opts).finally(() => (this.pending = null));
    return this.pending;
  }

  async _start({ userInitiated = false } = {}) {
    const resolved = await this.deps.resolve();
    if ("error" in resolved) {
      this.deps.log(resolved.error);
      if (userInitiated || this.notified !== resolved.error) {
        this.notified = resolved.error;
        this.deps.notify(resolved);
      }
      return null;
    }
    this.notified = null;
    this.deps.log(`Starting reportls server: ${resolved.command} ${resolved.args.join(" ")} (from ${resolved.source})`);
    this.client = await this.deps.startClient(resolved);
    return this.client;
  }

  async stop() {
    if (this.pending) await this.pending.catch(() => {});
    const client = this.client;
    this.client = null;
    if (client) await this.deps.stopClient(client);
  }

  /** The user asked (command, settings change, "Retry"): start afresh and say again what is wrong. */
  async restart() {
    await this.stop();
    this.policy.reset();
    return this.start({ userInitiated: true });
  }
}

module.exports = { RestartPolicy, errorHandler, ServerController };
