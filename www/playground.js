// The controller: owns the run (engine handle, backend, pacing) and the documented JS API.
// The engine trains in a worker (www/worker.js): every call on a run is an awaited message, so
// the page's thread only draws. Nothing is read back synchronously; samples and the D grid are
// read only every few frames, when the view needs them.

import { EngineClient, RemoteRun } from './remote.js';
import { PAGE_DEFAULTS, splitConfig } from './state.js';

/** How often (in animation frames) the view reads generated points and the D grid. */
const VIEW_EVERY_FRAMES = 3;
/** Compute budget per animation frame when stepsPerFrame is automatic (ms). */
const FRAME_BUDGET_MS = 24;
/** Resolution of the D heatmap. */
export const GRID_RES = 48;
/** Points drawn per set. */
export const VIEW_POINTS = 512;
/** Latent grid lines of the generator's manifold (per axis). */
export const MANIFOLD_RES = 21;
/** How long slow motion holds each half of a round on screen (ms). */
export const SLOW_MOTION_MS = 450;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The points of a generator field [x, y, u, v, ...] as [x, y, ...]. */
function pointsOf(field) {
  const out = new Float32Array(field.length / 2);
  for (let i = 0, j = 0; i + 3 < field.length; i += 4, j += 2) {
    out[j] = field[i];
    out[j + 1] = field[i + 1];
  }
  return out;
}

/** A snapshot of the run (its saved file) is kept every this many steps, to resume from. */
export const SNAPSHOT_EVERY = 250;
/** ... and at least every this many ms of training (a WebGPU step can take most of a second). */
export const SNAPSHOT_MS = 5000;

/** Appends to a measurement log, keeping its newest 5,000 entries. */
function keep(log, entry) {
  log.push(entry);
  if (log.length > 5000) log.splice(0, log.length - 5000);
}

export class Playground extends EventTarget {
  constructor() {
    super();
    this.engineConfig = {};
    this.page = { ...PAGE_DEFAULTS };
    this.trainer = null;
    /** Where the engine runs: a worker (www/worker.js), or this thread if none can start. */
    this.client = new EngineClient();
    /** The theory panel's curves (cost and d cost / d logit over D), fetched once. */
    this.curves = null;
    this.backendInfo = { backend: 'none', reason: 'not started', where: 'worker' };
    this.playing = false;
    this.busy = Promise.resolve();
    this.frame = 0;
    this.stepsPerFrame = 1;
    /** The twin run (same config and seed, another generator loss), or null. */
    this.twin = null;
    /** Why the GPU device was lost, once it is (the run then continues on the CPU). */
    this.deviceLostMessage = null;
    this.client.addEventListener('devicelost', (e) => this.onDeviceLost(e.detail));
    this.clearRun(null, 3);
  }

  /**
   * The GPU device the run trained on was lost, and its state with it: the run continues on the
   * CPU from its last snapshot (one is kept every SNAPSHOT_EVERY steps or SNAPSHOT_MS, read
   * back asynchronously), playing on if it was. Emits 'notice' with what happened, or 'error' if it
   * cannot continue.
   */
  async onDeviceLost(message) {
    this.deviceLostMessage = message;
    if (this.backendInfo.backend !== 'webgpu') return;
    const wasPlaying = this.playing;
    this.playing = false;
    const good = this.good;
    this.page = { ...this.page, backend: 'cpu' };
    if (!good) {
      this.error = `${message}, before any state was kept: press Reset to start again on the CPU`;
      this.emit('error', this.error);
      return;
    }
    try {
      await this.loadRun(good.bytes);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.emit('notice', `${message}. The run continues on the CPU from step ${good.step}, its last snapshot (one is kept every ${SNAPSHOT_EVERY} steps or ${SNAPSHOT_MS / 1000} s).`);
    if (wasPlaying) this.play();
  }

  /** Forgets everything measured of the previous run; `real` and `extent` are the new run's. */
  clearRun(real, extent) {
    this.last = { step: 0, lossD: NaN, lossG: NaN };
    this.twinLast = { step: 0, lossD: NaN, lossG: NaN };
    this.msPerStep = NaN;
    this.error = null;
    /** The last good state: {step, bytes} of a saved run, or null (none yet). */
    this.good = null;
    /** Probe results, oldest first: {main: [...], twin: [...]}. */
    this.probeLog = { main: [], twin: [] };
    this.lastProbeStep = -1;
    /** Losses after every batch of rounds, oldest first (the newest 5,000). */
    this.lossLog = [];
    /** Theory readouts, oldest first (without their D* grids). */
    this.theoryLog = [];
    this.lastTheoryStep = -1;
    this.view = {
      fake: null, arrows: null, manifold: null, real, grid: null, extent,
      twinFake: null, twinArrows: null, twinManifold: null, twinGrid: null, dStar: null,
      /** In slow motion, the half of the round just shown: 'd', 'g' or null. */
      phase: null,
    };
  }

  /** Serialises engine calls: one at a time, in order. */
  exclusive(fn) {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => {});
    return run;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Validates `config` and starts a fresh run with it. Keys left out keep their defaults.
   * Rejects (and keeps the current run) if any key is unknown or out of range.
   * @param {object} config
   * @returns {Promise<object>} the full config in force
   */
  configure(config = {}) {
    return this.exclusive(async () => {
      const { engine, page } = splitConfig(config);
      const nextPage = { ...PAGE_DEFAULTS, ...page };
      const made = await this.client.request('create', {
        engine,
        wanted: nextPage.backend,
        twinLoss: nextPage.compare !== 'off' ? nextPage.compare : null,
        viewPoints: VIEW_POINTS,
      });
      return this.adopt(made, nextPage);
    });
  }

  /**
   * Continues a run saved by saveRun() (the file's bytes: an ArrayBuffer or Uint8Array) from its
   * step; its twin, if it had one, is not part of the file. Rejects with a message for a file
   * that is not a run, is truncated or corrupt, or does not fit its architecture; the current
   * run is kept then.
   * @returns {Promise<object>} the loaded run's config
   */
  loadRun(bytes, learningRates = null) {
    return this.exclusive(async () => {
      const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      const wanted = this.page ? this.page.backend : 'auto';
      const made = await this.client.request('load', { bytes: data, viewPoints: VIEW_POINTS, learningRates, wanted });
      const cfg = await this.adopt(made, { ...this.page, compare: 'off' });
      this.last = { step: made.step, lossD: NaN, lossG: NaN };
      this.emit('frame', this.statsNow());
      return cfg;
    });
  }

  /**
   * After a divergence: continues from the last good state (the newest snapshot, taken every
   * SNAPSHOT_EVERY steps), with the learning rates given (the run's own where left out).
   * @param {{lrD?: number, lrG?: number}} rates
   */
  resume(rates = {}) {
    if (!this.good) return Promise.reject(new Error('no good state to resume from'));
    const { bytes } = this.good;
    const lr = { lrD: rates.lrD ?? this.engineConfig.lrD, lrG: rates.lrG ?? this.engineConfig.lrG };
    return this.loadRun(bytes, lr);
  }

  /** Keeps the run's current state (read back asynchronously, on every backend) as the last good one. */
  async snapshot() {
    this.good = { step: this.last.step, bytes: await this.trainer.save(), at: performance.now() };
  }

  /**
   * Resolves to the run as one file (a Uint8Array: config, weights, optimiser state, step, RNG
   * state) that loadRun() continues exactly, on whichever backend it trains.
   */
  saveRun() {
    if (!this.trainer) return Promise.reject(new Error('no run: call configure() first'));
    return this.exclusive(() => this.trainer.save());
  }

  /** Makes a run the engine built (create or load) the current one. */
  async adopt(made, nextPage) {
    if (!this.curves) this.curves = await this.client.request('theoryCurves', { n: 200 });
    if (this.trainer) this.trainer.free();
    if (this.twin) this.twin.free();
    this.trainer = new RemoteRun(this.client, made.handle, made);
    this.twin = made.twinHandle ? new RemoteRun(this.client, made.twinHandle, made) : null;
    this.engineConfig = made.full;
    this.page = nextPage;
    this.backendInfo = { backend: made.backend, reason: made.reason, where: this.client.where };
    this.stepsPerFrame = nextPage.stepsPerFrame || 1;
    this.clearRun(made.real, made.extent);
    if (made.step) this.last.step = made.step;
    await this.probeIfDue();
    await this.theoryIfDue();
    await this.refreshView();
    await this.snapshot();
    this.emit('reset', this.config());
    return this.config();
  }

  /**
   * Resolves to the memory in use: `{wasm: {cpu: bytes, ...}, engineHeap, pageHeap, gpuBuffers,
   * gpuPool}` — the engine's wasm linear memory per loaded build, the JS heap of the engine's
   * thread and of the page (Chromium only; null elsewhere), the GPU buffers the engine made that
   * are neither destroyed nor garbage-collected yet (`{bytes, count}`), and what burn's allocator
   * holds (`{allocs, bytesInUse, bytesReserved}`); the last two null until a WebGPU device is open.
   */
  memory() {
    return this.exclusive(async () => {
      const m = await this.client.request('memory', {});
      const page = performance.memory ? performance.memory.usedJSHeapSize : null;
      return { wasm: m.wasm, engineHeap: m.jsHeap, pageHeap: page, gpuBuffers: m.gpuBuffers, gpuPool: m.gpuPool };
    });
  }

  /**
   * The training curves as CSV: one row per measured step — the losses, and where a theory
   * readout was taken, V(G, D*), the JSD, D's means and the mode metrics.
   * @returns {Promise<string>}
   */
  curvesCsv() {
    return this.exclusive(async () => {
      const th = new Map(this.theoryLog.map((t) => [t.step, t]));
      const rows = new Map(this.lossLog.map((l) => [l.step, { ...l }]));
      for (const t of this.theoryLog) if (!rows.has(t.step)) rows.set(t.step, { step: t.step });
      const cols = ['step', 'lossD', 'lossG', 'vOptimal', 'jsd', 'dRealMean', 'dFakeMean', 'modesCaptured', 'highQualityPct'];
      const cell = (v) => (v === undefined || v === null || Number.isNaN(v) ? '' : String(v));
      const lines = [cols.join(',')];
      for (const step of [...rows.keys()].sort((a, b) => a - b)) {
        const r = { ...rows.get(step), ...(th.get(step) || {}) };
        lines.push(cols.map((c) => cell(r[c])).join(','));
      }
      return `${lines.join('\n')}\n`;
    });
  }

  /** The config in force: the engine's keys and the page's. */
  config() {
    return { ...this.engineConfig, ...this.page };
  }

  /** Restarts the current config from step 0 (same seed, so the same run). */
  reset() {
    return this.configure(this.config());
  }

  /** Starts the animation loop. */
  play() {
    if (!this.trainer) throw new Error('no run: call configure() first');
    if (this.playing) return;
    this.playing = true;
    this.emit('play');
    const tick = () => {
      if (!this.playing) return;
      this.exclusive(() => this.frameWork()).then(
        () => requestAnimationFrame(tick),
        (e) => this.fail(e),
      );
    };
    requestAnimationFrame(tick);
  }

  /**
   * Destroys the engine's WebGPU device, as a driver reset or an unplugged GPU would lose it;
   * the run then moves to the CPU (onDeviceLost). For the browser tests and for demonstrations.
   */
  loseDevice() {
    // The loss itself answers every call in flight, this one too, with its reason.
    return this.client.request('loseDevice', {}).catch((e) => {
      if (e.message !== this.deviceLostMessage) throw e;
      return e.message;
    });
  }

  /** Stops the loop after the frame in progress. */
  pause() {
    this.playing = false;
    this.emit('pause');
  }

  fail(e) {
    this.playing = false;
    // A lost GPU device is handled by onDeviceLost (the run moves to the CPU), not an error.
    if (this.deviceLostMessage && e instanceof Error && e.message === this.deviceLostMessage) return;
    this.error = e instanceof Error ? e.message : String(e);
    this.emit('error', this.error);
  }

  /** The step of the last good state a diverged run can resume from, or null. */
  resumableStep() {
    return this.good ? this.good.step : null;
  }

  /** One animation frame of training: a batch of rounds sized to the frame budget. */
  async frameWork() {
    if (this.page.slowMotion) return this.slowRound();
    this.view.phase = null;
    const n = this.stepsPerFrame;
    // In chunks that end on every probe and readout step, as step(n) trains: a frame of more
    // steps than probeEvery must not skip a probe.
    for (let left = n; left > 0;) {
      const chunk = Math.min(left, this.stepsTo(this.page.probeEvery), this.stepsTo(this.page.theoryEvery));
      await this.trainRounds(chunk);
      left -= chunk;
    }
    if (!this.page.stepsPerFrame) {
      // Aim the frame's compute at the budget; grow or shrink gently.
      const target = Math.max(1, Math.round(FRAME_BUDGET_MS / Math.max(this.msPerStep, 0.05)));
      this.stepsPerFrame = Math.max(1, Math.min(500, Math.round(0.7 * n + 0.3 * target)));
    }
    this.frame += 1;
    if (this.frame % VIEW_EVERY_FRAMES === 0) await this.refreshView();
    this.emit('frame', this.statsNow());
  }

  /**
   * Slow motion: the D update, shown, then the G update, shown, each held SLOW_MOTION_MS (each
   * half counts as a step, as Step D and Step G do). While D pretrains, rounds are D-only anyway.
   */
  async slowRound() {
    const halves = this.last.step < this.engineConfig.dPretrain ? ['both'] : ['d', 'g'];
    for (const phase of halves) {
      if (!this.playing) return;
      await this.trainRounds(1, phase);
      this.view.phase = phase === 'g' ? 'g' : 'd';
      await this.refreshView();
      this.emit('frame', this.statsNow());
      await sleep(SLOW_MOTION_MS);
    }
  }

  /** Trains n rounds of `phase` ('both', 'd' or 'g') on the run and its twin, then probes and
   * measures if due. */
  async trainRounds(n, phase = 'both') {
    const t0 = performance.now();
    const s = await this.trainer.stepPhase(n, phase);
    const t = this.twin ? await this.twin.stepPhase(n, phase) : null;
    const dt = performance.now() - t0;
    const per = dt / n;
    this.msPerStep = Number.isFinite(this.msPerStep) ? 0.8 * this.msPerStep + 0.2 * per : per;
    this.last = s;
    keep(this.lossLog, { step: s.step, lossD: s.lossD, lossG: s.lossG });
    if (this.good && (s.step - this.good.step >= SNAPSHOT_EVERY || performance.now() - this.good.at >= SNAPSHOT_MS)) {
      await this.snapshot();
    }
    if (t) this.twinLast = t;
    this.emit('losses', { ...s, twin: t });
    await this.probeIfDue();
    await this.theoryIfDue();
    return s;
  }

  /** Whether a measurement taken every `every` steps (0: never), last at `lastStep` (-1: never), is due now. */
  due(every, lastStep) {
    return every > 0 && (lastStep < 0 || Math.floor(this.last.step / every) > Math.floor(lastStep / every));
  }

  /** Steps from now to the next multiple of `every` (Infinity for 0). */
  stepsTo(every) {
    return every ? every - (this.last.step % every) : Infinity;
  }

  /** Computes the theory readouts (D*, V(G, D*), JSD, mode metrics) every `theoryEvery` steps. */
  async theoryIfDue() {
    if (!this.due(this.page.theoryEvery, this.lastTheoryStep)) return;
    this.lastTheoryStep = this.last.step;
    const t = await this.trainer.theory(GRID_RES);
    const { dStar, ...rest } = t;
    keep(this.theoryLog, rest);
    this.view.dStar = dStar;
    this.emit('theory', t);
  }

  /** Runs the gradient probe (on both twins) when `probeEvery` steps have passed since the last. */
  async probeIfDue() {
    if (!this.due(this.page.probeEvery, this.lastProbeStep)) return;
    this.lastProbeStep = this.last.step;
    const [main, twin] = await Promise.all([this.trainer.probe(), this.twin ? this.twin.probe() : null]);
    // The log keeps the norms; the per-sample arrays only travel with the event (the charts
    // draw the newest), so a long run's log stays small.
    const slim = (p) => ({ step: p.step, gradNormMinimax: p.gradNormMinimax, gradNormNonSaturating: p.gradNormNonSaturating });
    keep(this.probeLog.main, slim(main));
    if (twin) keep(this.probeLog.twin, slim(twin));
    this.emit('probe', { main, twin });
  }

  /**
   * Reads (async) what the plane shows, for the run and its twin: the generated points with the
   * generator's pull on each (-d cost_G / dx), D on the grid, and G's manifold.
   */
  async refreshView() {
    const read = (t) => (t ? [t.generatorField(VIEW_POINTS), t.discriminatorGrid(GRID_RES), t.manifold(MANIFOLD_RES)] : [null, null, null]);
    const [arrows, grid, manifold, twinArrows, twinGrid, twinManifold] = await Promise.all([
      ...read(this.trainer), ...read(this.twin),
    ]);
    Object.assign(this.view, {
      fake: pointsOf(arrows), arrows, grid, manifold,
      twinFake: twinArrows && pointsOf(twinArrows), twinArrows, twinGrid, twinManifold,
      manifoldRes: MANIFOLD_RES, zDim: this.engineConfig.zDim,
    });
    this.emit('view', this.view);
  }

  /**
   * Trains n rounds (one D update(s) + G update(s) each) and resolves with the stats.
   * @param {number} n
   */
  step(n = 1) {
    return this.trainSteps('step(n)', n, 'both');
  }

  /**
   * Trains n rounds of one network only — `phase` 'd' (the discriminator, k updates a round)
   * or 'g' (the generator) — and resolves with the stats, as step(n) does.
   */
  stepPhase(n, phase) {
    if (phase !== 'd' && phase !== 'g') return Promise.reject(new Error('stepPhase(n, phase): phase must be "d" or "g"'));
    return this.trainSteps('stepPhase(n, phase)', n, phase);
  }

  /** step() and stepPhase(): n rounds in chunks that end on every probe and readout step. */
  trainSteps(call, n, phase) {
    if (!this.trainer) return Promise.reject(new Error('no run: call configure() first'));
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      return Promise.reject(new Error(`${call}: n must be an integer from 1 to 100000`));
    }
    return this.exclusive(async () => {
      let left = n;
      while (left > 0) {
        const chunk = Math.min(left, 200, this.stepsTo(this.page.probeEvery), this.stepsTo(this.page.theoryEvery));
        await this.trainRounds(chunk, phase);
        left -= chunk;
      }
      await this.refreshView();
      this.emit('frame', this.statsNow());
      return this.statsNow();
    }).catch((e) => {
      this.fail(e);
      throw e;
    });
  }

  /** Resolves to every theory readout so far, oldest first (without the D* grids). */
  theory() {
    return this.exclusive(async () => this.theoryLog.slice());
  }

  statsNow() {
    const th = this.theoryLog[this.theoryLog.length - 1];
    const probe = this.probeLog.main[this.probeLog.main.length - 1];
    const twinProbe = this.probeLog.twin[this.probeLog.twin.length - 1];
    return {
      step: this.last.step,
      loss: this.engineConfig.loss,
      gradNormMinimax: probe ? probe.gradNormMinimax : null,
      gradNormNonSaturating: probe ? probe.gradNormNonSaturating : null,
      probeStep: probe ? probe.step : null,
      modesCaptured: th ? th.modesCaptured : null,
      modesTotal: th ? th.modesTotal : null,
      highQualityPct: th ? th.highQualityPct : null,
      jsd: th ? th.jsd : null,
      vOptimal: th ? th.vOptimal : null,
      dRealMean: th ? th.dRealMean : null,
      dFakeMean: th ? th.dFakeMean : null,
      theoryStep: th ? th.step : null,
      twin: this.twin ? {
        loss: this.page.compare,
        lossD: this.twinLast.lossD,
        lossG: this.twinLast.lossG,
        gradNormMinimax: twinProbe ? twinProbe.gradNormMinimax : null,
        gradNormNonSaturating: twinProbe ? twinProbe.gradNormNonSaturating : null,
      } : null,
      backend: this.backendInfo.backend,
      backendReason: this.backendInfo.reason,
      engineThread: this.backendInfo.where,
      msPerStep: this.msPerStep,
      lossD: this.last.lossD,
      lossG: this.last.lossG,
      playing: this.playing,
      error: this.error,
    };
  }

  /** Resolves to {step, backend, msPerStep, lossD, lossG, ...} once pending work is done. */
  stats() {
    return this.exclusive(async () => this.statsNow());
  }

  /**
   * Resolves to every probe so far, oldest first, of the run and of its twin:
   * {main: [{step, gradNormMinimax, gradNormNonSaturating}], twin: [...]} (the twin's list is
   * empty without a twin). Each run's probe measures both costs on its own networks.
   */
  probes() {
    const slim = (p) => ({ step: p.step, gradNormMinimax: p.gradNormMinimax, gradNormNonSaturating: p.gradNormNonSaturating });
    return this.exclusive(async () => ({ main: this.probeLog.main.map(slim), twin: this.probeLog.twin.map(slim) }));
  }

  /**
   * Resolves to n generated points, a flat Float32Array [x0, y0, x1, y1, ...].
   * @param {number} n
   */
  samples(n = VIEW_POINTS) {
    if (!this.trainer) return Promise.reject(new Error('no run: call configure() first'));
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      return Promise.reject(new Error('samples(n): n must be an integer from 1 to 100000'));
    }
    return this.exclusive(() => this.trainer.samples(n));
  }
}
