// The page's side of the training worker: requests by id, answered by www/engine/worker.js,
// with the calls built from the one table of operations (www/engine/ops.js). If the browser
// cannot start a module worker (or the worker fails to load), the same host code runs on the
// page's own thread instead, and `where` says so. Events the engine sends unasked (a run that
// moved to the CPU after its GPU device was lost) are dispatched as 'moved' and 'lost'.
//
// A worker whose engine traps (a panic, memory exhausted) is not a reason to move to this
// thread: the call that trapped rejects with the reason, the calls waiting on that worker
// reject too, a fresh worker starts and continues every run from the last snapshot the old
// one rescued ('revived', one per run), and the calls made meanwhile wait for it.

import { EVENTS, SESSION_OPS } from './ops.js';

/** Where the page remembers its backend calibrations (www/engine/host.js `calibrated`). */
export const CHOICES_KEY = 'gan-playground.backend-calibrations';

/** The calibrations this browser remembers ({} where local storage is missing or refused). */
export function rememberedChoices() {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(CHOICES_KEY) || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** Remembers one calibration (silently not, where storage is refused: embeds, private modes). */
function remember(key, record) {
  try {
    globalThis.localStorage.setItem(CHOICES_KEY, JSON.stringify({ ...rememberedChoices(), [key]: record }));
  } catch {
    // The next visit calibrates again.
  }
}

/** Forgets every calibration: the next run of each model is timed again. */
export function forgetChoices() {
  try {
    globalThis.localStorage.removeItem(CHOICES_KEY);
  } catch {
    // Nothing was remembered.
  }
}

/**
 * The engine's backend preferences: the remembered calibrations, and the test-only switch
 * (`?calibrate=software` in the page's address) that lets SwiftShader stand in for a real GPU.
 */
function prefs() {
  const search = globalThis.location ? globalThis.location.search : '';
  return { choices: rememberedChoices(), softwareIsReal: new URLSearchParams(search).get('calibrate') === 'software' };
}

export class EngineClient extends EventTarget {
  constructor() {
    super();
    this.pending = new Map();
    this.nextId = 1;
    this.where = 'worker';
    /** Messages posted to the worker and received from it (for the benchmarks). */
    this.traffic = { sent: 0, received: 0 };
    /** Workers started after a trap. */
    this.restarts = 0;
    /** While a fresh worker takes over after a trap: resolves once it has. */
    this.restarting = null;
    try {
      this.startWorker();
    } catch (e) {
      this.useMainThread(e.message);
    }
  }

  startWorker() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => { if (worker === this.worker) this.answer(e.data); };
    worker.onerror = (e) => {
      if (worker !== this.worker) return;
      // A worker that has answered is running: an error it did not catch is not a reason to
      // leave it (a trap shows on the next call, and the worker is replaced then).
      if (this.traffic.received > 0) {
        e.preventDefault();
        console.warn(`the training worker: ${e.message}`);
        return;
      }
      this.workerFailed(e.message || 'the training worker failed to load');
    };
    this.worker = worker;
    // The first message every fresh worker reads.
    this.send('prefs', prefs()).catch(() => {});
  }

  /**
   * The worker's engine trapped: every call waiting on it rejects, a fresh worker starts, and
   * the runs it rescued continue there from their last snapshots, each announced as 'revived'.
   */
  async restart(message, runs) {
    const old = this.worker;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(new Error(`${message}; the engine was restarted`));
    old.terminate();
    this.restarts += 1;
    this.startWorker();
    let revived = [];
    try {
      revived = await this.send('revive', { runs: runs || [] });
    } catch (e) {
      revived = (runs || []).map((r) => ({ id: r.id, message: e.message }));
    }
    for (const r of revived) {
      if (r.message && r.kind === undefined) this.event({ event: 'lost', id: r.id, message: `${message}, and the run could not be restored: ${r.message}` });
      else this.event({ event: 'revived', ...r, message });
    }
  }

  useMainThread(why) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.where = `main thread (${why})`;
    if (!this.host) {
      this.host = import('./host.js');
      this.host.then((h) => {
        h.onEvent((detail) => this.event(detail));
        h.setPrefs(prefs());
      });
    }
  }

  /** The worker died or never started: the calls in flight run on this thread instead. */
  workerFailed(why) {
    this.useMainThread(why);
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this.local(p.op, p.args).then(p.resolve, p.reject);
  }

  /**
   * An event from the engine. When a session's run moved (its GPU device was lost), the calls
   * still waiting on it are answered with the reason: a lost device's work may never finish.
   */
  event(detail) {
    if (detail.event === EVENTS.calibrated) remember(detail.key, detail.record);
    if (detail.event === 'moved' || detail.event === 'lost') {
      for (const [id, p] of this.pending) {
        if (p.args && p.args.id === detail.id && p.op === 'call') {
          this.pending.delete(id);
          p.reject(new Error(detail.message));
        }
      }
    }
    this.dispatchEvent(new CustomEvent(detail.event, { detail }));
  }

  answer(data) {
    this.traffic.received += 1;
    if (data.event) {
      this.event(data);
      return;
    }
    const { id, ok, value, message } = data;
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    if (data.trapped) {
      if (p) p.reject(new Error(`${message}; the engine was restarted in a fresh worker, and the runs continue from their last snapshots`));
      if (!this.restarting) {
        this.restarting = this.restart(message, data.rescue).finally(() => { this.restarting = null; });
      }
      return;
    }
    if (!p) return;
    if (ok) p.resolve(value);
    else p.reject(new Error(message));
  }

  async local(op, args) {
    const host = await this.host;
    return host.handle(op, args);
  }

  /**
   * Runs host operation `op` with `args` where the engine lives; resolves to its answer. While a
   * fresh worker takes over after a trap, the call waits for it.
   */
  async request(op, args) {
    if (this.restarting) await this.restarting;
    return this.send(op, args);
  }

  send(op, args) {
    if (!this.worker) return this.local(op, args);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { op, args, resolve, reject });
      this.traffic.sent += 1;
      this.worker.postMessage({ id, op, args });
    });
  }

  /**
   * Forgets every backend calibration, here and in the engine: the next run of each model on a
   * real GPU is timed on both backends again (the backend menus' "Time both backends again").
   */
  forgetCalibrations() {
    forgetChoices();
    return this.request('prefs', prefs());
  }

  /**
   * Session `id` of lab `kind` as an object whose methods are the session's operations
   * (ops.js): `client.session('toy2d', 3).frame({steps: 10})`.
   */
  session(kind, id) {
    const s = { id, kind };
    for (const method of [...SESSION_OPS.base, ...(SESSION_OPS[kind] || [])]) {
      s[method] = (args = {}) => this.request('call', { id, method, args });
    }
    return s;
  }
}
