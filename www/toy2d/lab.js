// The 2-D labs' controller (the 2-D playground and the loss lab share one run): the documented
// JS API (window.playground), the logs of what was measured, and the view the plane draws. The
// run lives in the engine's worker (www/engine/toy2d.js); every frame of play is one request
// and one answer. Nothing here draws: events tell the views what changed.

import { LabController, isDeviceLoss, promised } from '../core/controller.js';
import { runBytes } from '../core/runfile.js';
import { PAGE_DEFAULTS, TOY2D_SNAPSHOTS, TOY2D_VIEW, twinConfig } from '../core/state.js';

/**
 * The settings a run changes while it trains (the engine's LIVE_KEYS, src/toy2d/train.rs, and
 * the page's own); every other key needs a new run.
 */
export const LIVE_KEYS = ['loss', 'lrD', 'lrG', 'lrHalfLife', 'beta1', 'beta2', 'k', 'gSteps', 'batchSize', 'gpWeight',
  'r1Weight', 'genOptimizer', 'discOptimizer', 'slowMotion', 'stepsPerFrame', 'probeEvery', 'theoryEvery'];

/** How often (in animation frames) a frame of play also reads the plane's view. */
const VIEW_EVERY_FRAMES = 3;
/** How long slow motion holds each half of a round on screen (ms). */
export const SLOW_MOTION_MS = 450;
/** Steps per engine chunk of step(n) (a log entry each). */
const STEP_CHUNK = 200;

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

/** Appends to a measurement log, keeping its newest 5,000 entries. */
function keep(log, entry) {
  log.push(entry);
  if (log.length > 5000) log.splice(0, log.length - 5000);
}

const slim = (p) => ({ step: p.step, gradNormMinimax: p.gradNormMinimax, gradNormNonSaturating: p.gradNormNonSaturating });

/** The 2-D labs' API: each returns a promise and rejects with a message, never throws. */
const API = ['configure', 'setLive', 'openLink', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'reset', 'step',
  'stepPhase', 'stats', 'theory', 'probes', 'samples', 'curvesCsv'];

export class Toy2dLab extends LabController {
  constructor(client) {
    super(client, 'toy2d');
    this.engineConfig = {};
    this.page = { ...PAGE_DEFAULTS };
    this.backendInfo = { backend: 'none', reason: 'not started', where: client.where };
    this.frame = 0;
    /** Play's next frame, asked for while the last was drawn: a promise of its answer, or null. */
    this.ahead = null;
    /** The theory panel's curves (cost and d cost / d logit over D), fetched once. */
    this.curves = null;
    this.clearRun(null, 3);
    promised(this, API);
  }

  noRun() {
    return 'no run: call configure() first';
  }

  /** The run's session, as the old API called it (truthy once a run exists). */
  get trainer() {
    return this.session;
  }

  /** Whether the run has a twin. */
  get twin() {
    return this.page.compare !== 'off' && this.session !== null;
  }

  /** Forgets everything measured of the previous run; `real` and `extent` are the new run's. */
  clearRun(real, extent) {
    this.last = { step: 0, lossD: NaN, lossG: NaN };
    this.twinLast = { step: 0, lossD: NaN, lossG: NaN };
    this.msPerStep = NaN;
    this.error = null;
    this.probeLog = { main: [], twin: [] };
    this.lossLog = [];
    this.theoryLog = [];
    /** The twin's theory readouts (a twin run only), as theoryLog. */
    this.twinTheoryLog = [];
    this.view = {
      fake: null, arrows: null, manifold: null, real, grid: null, extent,
      twinFake: null, twinArrows: null, twinManifold: null, twinGrid: null, dStar: null,
      /** In slow motion, the half of the round just shown: 'd', 'g' or null. */
      phase: null,
    };
  }

  /**
   * Validates `config` and starts a fresh run with it (in the engine: the one check). Keys left
   * out keep their defaults. Rejects (and keeps the current run) if any key is unknown or out
   * of range.
   * @returns {Promise<object>} the full config in force
   */
  configure(config = {}) {
    return this.exclusive(async () => this.adopt(await this.openRun({ config })));
  }

  /**
   * Changes the settings that apply without a new run (LIVE_KEYS: the loss, learning rates and
   * their half-life, Adam's decays, optimisers, k, G steps, batch size, penalties; and the
   * page's slow motion, speed and readout intervals) from the next update on: the step count,
   * the weights and the curves go on, and play is not interrupted. Keys left out keep their
   * values. Rejects, naming the key, for a value out of range or a key that needs a new run
   * (configure() starts one); the run is unchanged then.
   * @returns {Promise<object>} the full config in force
   */
  setLive(changes = {}) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      return Promise.reject(new Error('setLive(changes): changes must be an object'));
    }
    for (const key of Object.keys(changes)) {
      if (!LIVE_KEYS.includes(key) && changes[key] !== this.config()[key]) {
        return Promise.reject(new Error(`${key} cannot change while a run trains: it needs a new run (configure() or Reset)`));
      }
    }
    return this.exclusive(async () => {
      const { full, page } = await this.session.live({ config: { ...this.config(), ...changes } });
      this.engineConfig = full;
      this.page = page;
      this.emit('live', this.config());
      return this.config();
    });
  }

  /** Starts the run a link's text describes (each bad setting left out); resolves to the notices. */
  openLink(link) {
    return this.exclusive(async () => {
      const made = await this.openRun({ link });
      await this.adopt(made);
      return made.notices;
    });
  }

  /**
   * Continues a run saved by saveRun() (the file, or its bytes: an ArrayBuffer or Uint8Array) from its
   * step; its twin, if it had one, is not part of the file. Rejects with a message for a file
   * that is not a run, is truncated or corrupt, or does not fit its architecture; the current
   * run is kept then.
   */
  loadRun(file) {
    return this.exclusive(async () => {
      const data = await runBytes(file, 'toy2d');
      return this.adopt(await this.openRun({ bytes: data, page: this.page }));
    });
  }

  /**
   * After a divergence: continues from the last good state (the engine keeps one every
   * TOY2D_SNAPSHOTS.every steps or .ms), with the learning rates given (the run's own where
   * left out).
   */
  resume(rates = {}) {
    if (!this.good) return Promise.reject(new Error('no good state to resume from'));
    return this.exclusive(async () => this.adopt({ ...(await this.session.resume(rates)), id: this.session.id }));
  }

  /** Resolves to the run as one file (a Uint8Array) that loadRun() continues exactly. */
  saveRun() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(() => this.session.save());
  }

  /** Makes a run the engine started (open, resume or a move to the CPU) the current one. */
  async adopt(made) {
    if (!this.curves) this.curves = await this.client.request('theoryCurves', { n: 200 });
    this.engineConfig = made.full;
    this.page = made.page;
    this.backendInfo = { backend: made.backend, reason: made.reason, where: this.client.where };
    this.good = made.good === null || made.good === undefined ? null : { step: made.good };
    this.clearRun(made.real, made.extent);
    this.last = { step: made.step, lossD: NaN, lossG: NaN };
    this.take(made.first);
    this.emit('reset', this.config());
    this.emit('frame', this.statsNow());
    return this.config();
  }

  async adoptRevived(detail) {
    await this.adopt(detail);
  }

  async adoptMoved(detail) {
    this.page = { ...this.page, backend: 'cpu' };
    await this.adopt(detail);
  }

  movedNotice(detail) {
    return `${detail.message}. The run continues on the CPU from step ${detail.step}, its last snapshot (one is kept every ${TOY2D_SNAPSHOTS.every} steps or ${TOY2D_SNAPSHOTS.ms / 1000} s).`;
  }

  /** Takes in an engine frame's answer: losses, probes, readouts, view and stats. */
  take(answer) {
    for (const s of answer.losses) {
      keep(this.lossLog, { step: s.step, lossD: s.lossD, lossG: s.lossG });
      this.emit('losses', s);
    }
    for (const p of answer.probes) {
      keep(this.probeLog.main, slim(p.main));
      if (p.twin) keep(this.probeLog.twin, slim(p.twin));
      this.emit('probe', p);
    }
    for (const t of answer.theory) {
      const { dStar, twin, ...rest } = t;
      keep(this.theoryLog, rest);
      if (twin) keep(this.twinTheoryLog, twin);
      this.view.dStar = dStar;
      this.emit('theory', t);
    }
    const st = answer.stats;
    this.last = { step: st.step, lossD: st.lossD, lossG: st.lossG };
    if (st.twin) this.twinLast = st.twin;
    if (Number.isFinite(st.msPerStep)) this.msPerStep = st.msPerStep;
    if (st.good !== null && st.good !== undefined) this.good = { step: st.good };
    if (answer.view) {
      const v = answer.view;
      Object.assign(this.view, {
        fake: pointsOf(v.arrows), arrows: v.arrows, grid: v.grid, manifold: v.manifold,
        twinFake: v.twinArrows && pointsOf(v.twinArrows), twinArrows: v.twinArrows, twinGrid: v.twinGrid, twinManifold: v.twinManifold,
        manifoldRes: TOY2D_VIEW.manifoldRes, zDim: this.engineConfig.zDim,
      });
      this.emit('view', this.view);
    }
  }

  /** The config in force: the engine's keys and the page's. */
  config() {
    return { ...this.engineConfig, ...this.page };
  }

  /** Restarts the current config from step 0 (same seed, so the same run). */
  reset() {
    return this.configure(this.config());
  }

  /**
   * One animation frame of play: a frame of training (or, in slow motion, a half round). While
   * playing, the next frame is asked for as soon as this one's answer is in, before it is drawn:
   * the worker trains it while this thread draws (without, the worker sat idle for the drawing
   * and the messages, and Play trained at ~85 % of step(n)'s pace). That frame ahead is taken by
   * the next frame, or, before anything else the controller does (a pause, a setting, a step),
   * by `settleAhead`.
   */
  async playFrame() {
    if (this.page.slowMotion) {
      await this.settleAhead();
      return this.slowRound();
    }
    this.view.phase = null;
    const pending = this.ahead || this.askFrame();
    this.ahead = null;
    const answer = await pending;
    if (this.playing) this.ahead = this.askFrame();
    this.take(answer);
    this.emit('frame', this.statsNow());
  }

  /** Asks the engine for one frame of play's training; resolves to its answer. */
  askFrame() {
    this.frame += 1;
    const request = { view: this.frame % VIEW_EVERY_FRAMES === 0 };
    if (this.page.stepsPerFrame) request.steps = this.page.stepsPerFrame;
    const answer = this.session.frame(request);
    answer.catch(() => {}); // its failure is reported by whoever takes it
    return answer;
  }

  /** Takes the frame asked for ahead, if one is out (its failure stops play, as a frame's does). */
  async settleAhead() {
    const pending = this.ahead;
    if (!pending) return;
    this.ahead = null;
    try {
      this.take(await pending);
      this.emit('frame', this.statsNow());
    } catch (e) {
      this.fail(e);
    }
  }

  /** As every lab's, but anything but a frame of play first takes the frame asked for ahead. */
  exclusive(fn, { ahead = false } = {}) {
    return super.exclusive(ahead ? fn : async () => {
      await this.settleAhead();
      return fn();
    });
  }

  /** Stops playing; resolves once the frame in progress (and the one asked for ahead) is taken. */
  pause() {
    super.pause();
    return this.exclusive(() => {});
  }

  /**
   * Slow motion: the D update, shown, then the G update, shown, each held SLOW_MOTION_MS (each
   * half counts as a step, as Step D and Step G do). While D pretrains, rounds are D-only anyway.
   */
  async slowRound() {
    const halves = this.last.step < this.engineConfig.dPretrain ? ['both'] : ['d', 'g'];
    for (const phase of halves) {
      if (!this.playing) return;
      this.take(await this.session.frame({ steps: 1, phase, view: true }));
      this.view.phase = phase === 'g' ? 'g' : 'd';
      this.emit('view', this.view);
      this.emit('frame', this.statsNow());
      await sleep(SLOW_MOTION_MS);
    }
  }

  /** Trains n rounds (k D updates + G updates each) and resolves with the stats. */
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

  /** step() and stepPhase(): one request; the engine trains in chunks that end on every readout. */
  trainSteps(call, n, phase) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      return Promise.reject(new Error(`${call}: n must be an integer from 1 to 100000`));
    }
    return this.exclusive(async () => {
      this.take(await this.session.frame({ steps: n, phase, view: true, maxChunk: STEP_CHUNK }));
      this.emit('frame', this.statsNow());
      return this.statsNow();
    }).catch((e) => {
      this.fail(e);
      throw e;
    });
  }

  /**
   * Resolves to every theory readout so far, oldest first (without the D* grids); with
   * `{twin: true}`, the twin's (empty without a twin).
   */
  theory({ twin = false } = {}) {
    return this.exclusive(async () => (twin ? this.twinTheoryLog : this.theoryLog).slice());
  }

  statsNow() {
    const th = this.theoryLog[this.theoryLog.length - 1];
    const probe = this.probeLog.main[this.probeLog.main.length - 1];
    const twinProbe = this.probeLog.twin[this.probeLog.twin.length - 1];
    const twinTheory = this.twinTheoryLog[this.twinTheoryLog.length - 1];
    const of = (o, k) => (o ? o[k] : null);
    return {
      step: this.last.step,
      loss: this.engineConfig.loss,
      gradNormMinimax: of(probe, 'gradNormMinimax'),
      gradNormNonSaturating: of(probe, 'gradNormNonSaturating'),
      probeStep: of(probe, 'step'),
      modesCaptured: of(th, 'modesCaptured'),
      modesTotal: of(th, 'modesTotal'),
      highQualityPct: of(th, 'highQualityPct'),
      onLabelPct: of(th, 'onLabelPct'),
      jsd: of(th, 'jsd'),
      vOptimal: of(th, 'vOptimal'),
      dRealMean: of(th, 'dRealMean'),
      dFakeMean: of(th, 'dFakeMean'),
      theoryStep: of(th, 'step'),
      twin: this.twin ? {
        loss: twinConfig(this.engineConfig, this.page.compare).loss,
        lossD: this.twinLast.lossD,
        lossG: this.twinLast.lossG,
        gradNormMinimax: of(twinProbe, 'gradNormMinimax'),
        gradNormNonSaturating: of(twinProbe, 'gradNormNonSaturating'),
        conditional: this.page.compare === 'conditional' ? !this.engineConfig.conditional : Boolean(this.engineConfig.conditional),
        modesCaptured: of(twinTheory, 'modesCaptured'),
        modesTotal: of(twinTheory, 'modesTotal'),
        highQualityPct: of(twinTheory, 'highQualityPct'),
        onLabelPct: of(twinTheory, 'onLabelPct'),
        jsd: of(twinTheory, 'jsd'),
        theoryStep: of(twinTheory, 'step'),
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
   * {main: [{step, gradNormMinimax, gradNormNonSaturating}], twin: [...]}.
   */
  probes() {
    return this.exclusive(async () => ({ main: this.probeLog.main.map(slim), twin: this.probeLog.twin.map(slim) }));
  }

  /** Resolves to n generated points, a flat Float32Array [x0, y0, x1, y1, ...]. */
  samples(n = TOY2D_VIEW.points) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      return Promise.reject(new Error('samples(n): n must be an integer from 1 to 100000'));
    }
    return this.exclusive(() => this.session.samples({ n }));
  }

  /**
   * The training curves as CSV: one row per measured step — the losses, and where a theory
   * readout was taken, V(G, D*), the JSD, D's means and the mode metrics.
   */
  curvesCsv() {
    return this.exclusive(async () => {
      const th = new Map(this.theoryLog.map((t) => [t.step, t]));
      const rows = new Map(this.lossLog.map((l) => [l.step, { ...l }]));
      for (const t of this.theoryLog) if (!rows.has(t.step)) rows.set(t.step, { step: t.step });
      const cols = ['step', 'lossD', 'lossG', 'vOptimal', 'jsd', 'dRealMean', 'dFakeMean', 'modesCaptured', 'highQualityPct'];
      if (this.engineConfig.conditional) cols.push('onLabelPct');
      const cell = (v) => (v === undefined || v === null || Number.isNaN(v) ? '' : String(v));
      const lines = [cols.join(',')];
      for (const step of [...rows.keys()].sort((a, b) => a - b)) {
        const r = { ...rows.get(step), ...(th.get(step) || {}) };
        lines.push(cols.map((c) => cell(r[c])).join(','));
      }
      return `${lines.join('\n')}\n`;
    });
  }
}

export { isDeviceLoss };
