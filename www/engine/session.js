// One lab's run in the engine (inside the training worker): the policy every lab shares,
// written once. A session trains in frames the page asks for, keeps the last good state of its
// run (a saved file, kept here: it never crosses to the page), resumes from it after a
// divergence, and moves to the CPU from it when the GPU device is lost. A lab's session
// (www/engine/toy2d.js, www/engine/image.js) says how to make its run, how to train a chunk,
// and what a frame reads back.

import { decodeHash } from '../core/link.js';
import { SECTIONS } from '../core/state.js';

/** How long a frame trains when the page gives a time budget and no step count (ms). */
export const FRAME_BUDGET_MS = 24;

export class Session {
  /**
   * @param {object} host the engine's host (www/engine/host.js): builds, backends, the GPU watch
   * @param {number} id this session's id
   * @param {{every: number, ms: number}} snapshots keep a state every `every` steps or `ms`
   */
  constructor(host, id, snapshots) {
    this.host = host;
    this.id = id;
    this.snapshots = snapshots;
    this.busy = Promise.resolve();
    /** The engine handle(s) of the run, set by `adopt`. */
    this.run = null;
    /** The backend info of the run: {backend, reason}. */
    this.info = null;
    /** The last good state: {step, bytes, at}, or null. */
    this.good = null;
    /** Why the run's GPU device was lost, once it is. */
    this.lostMessage = null;
  }

  /** Runs `fn` after the session's earlier calls: one engine call at a time, in order. */
  exclusive(fn) {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => {});
    return run;
  }

  /**
   * Makes the run with `make(backend)` (a promise of engine handles) on the backend `wanted`
   * resolves to, falling back to the CPU where a WebGPU build or device fails; then keeps the
   * first snapshot. Subclasses call this from `start`.
   */
  async adopt(wanted, make) {
    const { run, info } = await this.host.startRun(wanted, make, this.kind);
    this.free();
    this.run = run;
    this.info = info;
    this.lostMessage = null;
    await this.snapshot();
  }

  /**
   * A run loaded with `load()` (a promise of the main handle), with `learningRates` ({lrD, lrG},
   * either may be left out) set if given; the handle is freed if they are refused.
   */
  static async loaded(load, learningRates) {
    const main = await load();
    if (!learningRates) return main;
    const c = main.config();
    try {
      main.setLearningRates(learningRates.lrD ?? c.lrD, learningRates.lrG ?? c.lrG);
    } catch (e) {
      main.free();
      throw e;
    }
    return main;
  }

  /**
   * Starts the run from `bytes` (a saved run), from `config`, or from a link's text `link`
   * (each bad setting left out, with a notice; settings the engine refuses together give the
   * defaults, with a notice): the start of the labs whose link is one section of `stk.`-like
   * keys. `spec`: the lab's page defaults, the name of the build's config check, the run in
   * words. The lab gives `create(config, page)`, `restore(bytes, backend, rates)` and `after()`.
   * Resolves to {notices, ...after()}.
   */
  async startFrom({ config = {}, link = null, bytes = null, learningRates = null, page = null }, { pageDefaults, validate, noun }) {
    const notices = [];
    if (bytes) {
      this.page = { ...pageDefaults, ...(page || {}) };
      await this.restore(bytes, this.page.backend, learningRates);
    } else {
      if (link !== null) {
        const mod = await this.host.cpuBuild();
        const section = SECTIONS[this.kind];
        const defaults = { ...mod[validate]({}), ...pageDefaults };
        const decoded = decodeHash(link, defaults, (c) => mod[validate](c), section);
        notices.push(...decoded.notices.map((n) => `${noun} run: ${n.replace(/setting "/, `setting "${section.prefix}`)}`));
        config = decoded.config;
      }
      try {
        await this.create(config, page);
      } catch (e) {
        if (link === null) throw e;
        notices.push(`the link's ${noun} settings were not used: ${e.message}`);
        await this.create({});
      }
    }
    return { notices, ...(await this.after()) };
  }

  /** What every lab's page is told of a run besides its frames (labs add their own keys). */
  describe() {
    const main = this.run.main;
    return {
      kind: this.kind,
      full: main.config(),
      page: this.page,
      backend: this.info.backend,
      reason: this.info.reason,
      step: main.stepCount(),
      good: this.good && this.good.step,
    };
  }

  /** The run's main handle (the one that saves). */
  main() {
    return this.run.main;
  }

  /** Every engine handle of the run. */
  handles() {
    return Object.values(this.run).filter(Boolean);
  }

  /** Keeps the run's current state as the last good one (one asynchronous read). */
  async snapshot() {
    const bytes = await this.guard(() => this.main().save());
    this.good = { step: this.main().stepCount(), bytes, at: performance.now() };
  }

  /** Keeps a snapshot when `every` steps or `ms` have passed since the last. */
  async snapshotIfDue() {
    const step = this.main().stepCount();
    const { every, ms } = this.snapshots;
    if (!this.good || step - this.good.step >= every || performance.now() - this.good.at >= ms) {
      await this.snapshot();
    }
  }

  /**
   * Runs `fn` on the run; if it fails on WebGPU because the device is being lost (burn's
   * readback fails before the device's `lost` promise settles), fails with the loss's reason.
   */
  async guard(fn) {
    if (this.lostMessage) throw new Error(this.lostMessage);
    try {
      return await fn();
    } catch (e) {
      if (this.info.backend !== 'webgpu') throw e;
      const lost = await this.host.lostWithin(1000);
      throw lost ? new Error(lost) : e;
    }
  }

  /** The run as one file (a Uint8Array). */
  save() {
    return this.exclusive(() => this.guard(() => this.main().save()));
  }

  /**
   * After a divergence: continues from the last good state with `learningRates` ({lrD, lrG};
   * the run's own where left out). Resolves to the session's description.
   */
  resume(learningRates = {}) {
    return this.exclusive(async () => {
      if (!this.good) throw new Error('no good state to resume from');
      await this.restore(this.good.bytes, this.wanted, learningRates);
      return { ...this.describe(), ...(await this.after()) };
    });
  }

  /**
   * The run's GPU device was lost, and its state with it: the run continues on the CPU from
   * its last snapshot. Resolves to {step, message}; rejects if there is nothing to continue from.
   */
  async moveToCpu(message) {
    this.lostMessage = message;
    // A lost device's work may never finish: the move does not wait for it.
    this.busy = Promise.resolve();
    return this.exclusive(async () => {
      const good = this.good;
      if (!good) throw new Error(`${message}, before any state was kept: start the run again`);
      this.wanted = 'cpu';
      await this.restore(good.bytes, 'cpu', null);
      return { step: good.step, message, ...(await this.after()) };
    });
  }

  /**
   * Trains for one frame of the page, in chunks that end on every step a readout is due at:
   * `steps` steps (or, without, as many as fit `budgetMs`, sized by the measured time a step
   * takes). Resolves to the lab's frame answer.
   */
  frame(request = {}) {
    return this.exclusive(() => this.guard(async () => {
      const { steps = null, budgetMs = FRAME_BUDGET_MS, maxChunk = Infinity } = request;
      const total = steps ?? this.stepsFor(budgetMs);
      const answer = this.startFrame(request);
      for (let left = total; left > 0;) {
        const chunk = Math.max(1, Math.min(left, maxChunk, this.untilDue()));
        const t0 = performance.now();
        await this.trainChunk(chunk, request, answer);
        this.timed(chunk, performance.now() - t0);
        left -= chunk;
        await this.snapshotIfDue();
        await this.readoutsDue(answer, request);
      }
      return this.endFrame(answer, request);
    }));
  }

  /** A frame's answer before its chunks (labs with more readouts add to it). */
  startFrame() {
    return { losses: [] };
  }

  /** Trains one chunk of `n` steps, its losses to the answer (the image labs' way). */
  async trainChunk(n, request, answer) {
    const s = await this.run.main.step(n);
    this.last = s;
    answer.losses.push(s);
  }

  /** Steps until the next readout is due between chunks (none by default). */
  untilDue() {
    return Infinity;
  }

  /** The readouts due between chunks (none by default). */
  async readoutsDue() {}

  /** Steps that fit `budgetMs` at the measured pace (grown and shrunk gently). */
  stepsFor(budgetMs) {
    const ms = Number.isFinite(this.msPerStep) ? this.msPerStep : null;
    if (ms === null) return 1;
    const target = Math.max(1, Math.round(budgetMs / Math.max(ms, 0.05)));
    this.perFrame = Math.max(1, Math.min(500, Math.round(0.7 * (this.perFrame || 1) + 0.3 * target)));
    return this.perFrame;
  }

  /** Records the time `n` steps took. */
  timed(n, ms) {
    const per = ms / n;
    this.msPerStep = Number.isFinite(this.msPerStep) ? 0.8 * this.msPerStep + 0.2 * per : per;
  }

  /** Frees the run's engine handles. */
  free() {
    if (!this.run) return;
    for (const h of this.handles()) h.free();
    this.run = null;
  }
}
