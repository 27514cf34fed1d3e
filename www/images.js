// The image GANs' controller: one MNIST run in the engine (in the training worker), its training
// loop, the sample grid of fixed latents, truncation, and paths through latent space drawn on
// the pad. No drawing here: events tell the views what changed (www/imagepage.js draws).

import { BACKENDS } from './state.js';

/** Samples in the grid (8 x 8), the same latents all run long. */
export const GRID = 64;
/** Frames of a filmstrip. */
export const FILM_FRAMES = 32;
/** Pixels per side of a digit. */
export const SIDE = 28;
/** Where the pad draws anchors A, B, C ([0, 1]^2, y down): the engine's PAD_ANCHORS. */
export const PAD_ANCHORS = [[0.15, 0.75], [0.85, 0.75], [0.5, 0.15]];
/** Half-width of a 2-D latent plane on the pad (the Gaussian's 99 % per axis; 1 for uniform). */
export const reachOf = (prior) => (prior === 'uniform' ? 1 : 2.5);
/** The page's own keys of an image config (the rest go to the engine). */
const PAGE_KEYS = new Set(['mode', 'backend', 'truncation', 'interpolation']);
/** The image section's page settings and their defaults. */
export const IMAGE_PAGE_DEFAULTS = { backend: 'auto', truncation: null, interpolation: 'slerp' };

/** The image run in link state (www/link.js): its page keys, a check of one, the engine part. */
export const IMAGE_LINK_PAGE = {
  keys: Object.keys(IMAGE_PAGE_DEFAULTS),
  check(one) {
    if ('backend' in one && !BACKENDS.includes(one.backend)) {
      throw new Error(`backend = ${JSON.stringify(one.backend)} is not one of ${BACKENDS.join(', ')}`);
    }
    if ('interpolation' in one) checkInterpolation(one.interpolation);
    if ('truncation' in one) checkTruncation(one.truncation);
  },
  split(config) {
    return Object.fromEntries(Object.entries(config).filter(([k]) => !PAGE_KEYS.has(k)));
  },
};
/** The grid is read back at most this often while training (ms). */
const GRID_EVERY_MS = 600;
/** Samples the digit classifier judges, from fixed latents (this seed), and how often (ms). */
export const JUDGE_SAMPLES = 256;
const JUDGE_SEED = 20141;
const JUDGE_EVERY_MS = 10000;
/** An image run's state is kept every this many rounds, or this many ms, whichever first. */
const SNAPSHOT_ROUNDS = 100;
const SNAPSHOT_MS = 10000;

/**
 * `count` points evenly spaced by arc length along the polyline `points` ([[u, v], ...]).
 * @returns {number[][]}
 */
export function resample(points, count) {
  if (points.length === 0) return [];
  if (points.length === 1) return Array.from({ length: count }, () => [...points[0]]);
  const cum = [0];
  for (let i = 1; i < points.length; i++) {
    cum.push(cum[i - 1] + Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]));
  }
  const total = cum[cum.length - 1];
  const out = [];
  let j = 1;
  for (let k = 0; k < count; k++) {
    const s = count === 1 ? 0 : (total * k) / (count - 1);
    while (j < points.length - 1 && cum[j] < s) j++;
    const seg = cum[j] - cum[j - 1];
    const t = seg > 0 ? Math.min(1, Math.max(0, (s - cum[j - 1]) / seg)) : 0;
    out.push([
      points[j - 1][0] + t * (points[j][0] - points[j - 1][0]),
      points[j - 1][1] + t * (points[j][1] - points[j - 1][1]),
    ]);
  }
  return out;
}

export class ImageLab extends EventTarget {
  /** @param {import('./remote.js').EngineClient} client the engine (shared with the 2-D playground) */
  constructor(client) {
    super();
    this.client = client;
    this.run = null;
    this.full = null;
    this.page = { backend: 'auto', truncation: null, interpolation: 'slerp' };
    this.playing = false;
    this.busy = Promise.resolve();
    /** The last good state, to resume from after a divergence or a lost GPU: {step, bytes}. */
    this.good = null;
    /** When the last snapshot was taken: {step, at}. */
    this.lastSnapshot = null;
    this.deviceLostMessage = null;
    client.addEventListener('devicelost', (e) => this.onDeviceLost(e.detail));
    this.reset();
  }

  /**
   * The GPU device the image run trained on was lost, and its state with it: the run continues
   * on the CPU from its last snapshot (kept when the run starts, then every SNAPSHOT_ROUNDS
   * rounds or SNAPSHOT_MS), or starts again there if none was kept; either way the page says so.
   */
  async onDeviceLost(message) {
    this.deviceLostMessage = message;
    if (!this.run || this.run.backend !== 'webgpu') return;
    const wasPlaying = this.playing;
    this.playing = false;
    const good = this.good;
    const page = { ...this.page, backend: 'cpu' };
    try {
      await this.exclusive(() => this.replaceRun(
        () => (good
          ? this.client.request('loadImage', { bytes: good.bytes, wanted: 'cpu' })
          : this.client.request('createImage', { config: this.full, wanted: 'cpu' })),
        page,
      ));
    } catch (e) {
      this.error = e.message;
      this.emit('error', { message: e.message });
      return;
    }
    this.emit('notice', {
      message: good
        ? `${message}. The image run continues on the CPU from round ${good.step}, its last snapshot.`
        : `${message} before a snapshot was kept: the image run starts again on the CPU.`,
    });
    if (wasPlaying) this.play();
  }

  reset() {
    this.last = { step: 0, lossD: NaN, lossG: NaN };
    this.lossLog = [];
    this.error = null;
    this.rate = { steps: 0, ms: 0 };
    this.gridLatents = null;
    this.gridPixels = null;
    /** The classifier's verdicts, oldest first: {step, share, classes, samples, threshold, testAccuracy}. */
    this.scoreLog = [];
    this.lastScoreAt = 0;
    /** The three anchors of the pad's plane: {latent: Float32Array, source: 'grid' | 'random', index}. */
    this.anchors = [];
    /** The last filmstrip: {kind: 'path' | 'ab', points ([[u, v]...] on the pad), latents, pixels, frames}. */
    this.film = null;
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

  call(method, ...args) {
    if (!this.run) return Promise.reject(new Error('no image run yet: call configure({mode: "images"}) first'));
    return this.client.request('call', { handle: this.run.handle, method, args });
  }

  /**
   * Validates `config` and starts a fresh image run: engine keys (arch, loss, zDim, codes,
   * infoWeight, prior, genWidth, discWidth, lrG, lrD, lrHalfLife, beta1, beta2, batchSize, k,
   * emaDecay, genRefine, seed) and page keys (backend,
   * truncation: null or >= 0.05, interpolation: 'lerp' | 'slerp'). Rejects, keeping the current
   * run, on any bad key.
   * @returns {Promise<object>} the full engine config in force
   */
  configure(config = {}) {
    return this.exclusive(async () => {
      const engine = {};
      const page = { ...this.page };
      for (const [k, v] of Object.entries(config || {})) {
        if (PAGE_KEYS.has(k)) page[k] = v;
        else engine[k] = v;
      }
      delete page.mode;
      checkInterpolation(page.interpolation);
      checkTruncation(page.truncation);
      return this.replaceRun(() => this.client.request('createImage', { config: engine, wanted: page.backend }), page);
    });
  }

  /**
   * Pauses, has the engine build a run with `make` (createImage or loadImage) and makes it the
   * current one; if the engine refuses, the current run is kept, and plays on if it was playing.
   * Inside `exclusive`.
   */
  async replaceRun(make, page) {
    const wasPlaying = this.playing;
    this.playing = false;
    let made;
    try {
      made = await make();
    } catch (e) {
      if (wasPlaying) this.play();
      throw e;
    }
    return this.adopt(made, page, wasPlaying);
  }

  /** Makes a run the engine built the current one (inside `exclusive`). */
  async adopt(made, page, wasPlaying) {
    if (this.run) this.client.request('free', { handle: this.run.handle }).catch(() => {});
    this.run = made;
    this.full = made.full;
    this.page = page;
    this.reset();
    // The first snapshot; then one every SNAPSHOT_ROUNDS rounds or SNAPSHOT_MS (see step).
    this.good = { step: made.step || 0, bytes: await this.client.request('save', { handle: made.handle }) };
    this.lastSnapshot = { step: this.good.step, at: performance.now() };
    if (made.step) this.last = { step: made.step, lossD: NaN, lossG: NaN };
    this.gridLatents = await this.call('viewLatents', GRID, page.truncation ?? undefined);
    this.anchors = [0, 1, 2].map((i) => ({ latent: this.gridLatent(i), source: 'grid', index: i }));
    this.emit('configured', { full: made.full, backend: made.backend, reason: made.reason });
    await this.readGrid();
    if (wasPlaying) this.play();
    return made.full;
  }

  /**
   * Resolves to the run as one file (a Uint8Array: config, weights and batch-norm statistics,
   * optimiser state, step, RNG state) that loadRun() continues exactly.
   */
  saveRun() {
    if (!this.run) return Promise.reject(new Error('no image run yet: call configure({mode: "images"}) first'));
    return this.exclusive(() => this.client.request('save', { handle: this.run.handle }));
  }

  /**
   * Continues an image run saved by saveRun() (the file's bytes) from its round. Rejects with a
   * message for a file that is not an image run, is truncated or corrupt, or does not fit its
   * architecture; the current run is kept then.
   * @returns {Promise<object>} the loaded run's config
   */
  loadRun(bytes) {
    return this.exclusive(async () => {
      const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      return this.replaceRun(() => this.client.request('loadImage', { bytes: data, wanted: this.page.backend }), { ...this.page });
    });
  }

  /**
   * After a divergence (or to go on with other steps): continues from the last good state (a
   * snapshot is kept every SNAPSHOT_ROUNDS rounds or SNAPSHOT_MS) with the learning rates given
   * (the run's own where left out).
   * @param {{lrD?: number, lrG?: number}} rates
   */
  resume(rates = {}) {
    if (!this.good) return Promise.reject(new Error('no good state to resume from'));
    const { bytes } = this.good;
    const learningRates = { lrD: rates.lrD ?? this.full.lrD, lrG: rates.lrG ?? this.full.lrG };
    return this.exclusive(() => this.replaceRun(
      () => this.client.request('loadImage', { bytes, wanted: this.page.backend, learningRates }),
      { ...this.page },
    ));
  }

  /** The losses of every round trained (the newest 5,000) and the classifier's verdicts, as CSV. */
  curvesCsv() {
    const share = new Map(this.scoreLog.map((s) => [s.step, s.share]));
    const cell = (v) => (v === undefined || v === null || Number.isNaN(v) ? '' : String(v));
    const lines = ['step,lossD,lossG,recognisedShare'];
    const steps = new Set([...this.lossLog.map((l) => l.step), ...share.keys()]);
    const byStep = new Map(this.lossLog.map((l) => [l.step, l]));
    for (const step of [...steps].sort((a, b) => a - b)) {
      const l = byStep.get(step) || {};
      lines.push([step, l.lossD, l.lossG, share.get(step)].map(cell).join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  /** Latent `i` of the sample grid. */
  gridLatent(i) {
    const d = this.full.zDim;
    return this.gridLatents.slice(i * d, (i + 1) * d);
  }

  /** Reads the grid's images (one readback) and tells the views. */
  async readGrid() {
    this.gridPixels = await this.call('images', this.gridLatents);
    this.lastGridAt = performance.now();
    this.emit('grid', { pixels: this.gridPixels, step: this.last.step });
  }

  /** Trains `rounds` rounds, then resolves to {step, lossD, lossG}. */
  step(rounds = 1) {
    return this.exclusive(async () => {
      const t0 = performance.now();
      let s;
      try {
        s = await this.call('step', rounds);
      } catch (e) {
        this.playing = false;
        if (e.message === this.deviceLostMessage) throw e; // onDeviceLost moves the run
        this.error = e.message;
        this.emit('error', { message: e.message });
        throw e;
      }
      this.rate.steps += rounds;
      this.rate.ms += performance.now() - t0;
      this.last = s;
      this.lossLog.push(s);
      if (this.lossLog.length > 5000) this.lossLog.shift();
      this.emit('step', s);
      const snap = this.lastSnapshot;
      // A diverged round never becomes the good state: step() rejected above.
      if (snap && (s.step - snap.step >= SNAPSHOT_ROUNDS || performance.now() - snap.at >= SNAPSHOT_MS)) {
        this.good = { step: s.step, bytes: await this.client.request('save', { handle: this.run.handle }) };
        this.lastSnapshot = { step: s.step, at: performance.now() };
      }
      if (!this.playing || performance.now() - this.lastGridAt > GRID_EVERY_MS) await this.readGrid();
      if (this.playing && performance.now() - this.lastScoreAt > JUDGE_EVERY_MS) await this.judge();
      return s;
    });
  }

  /** The digit classifier's verdict on JUDGE_SAMPLES fixed samples (inside `exclusive`). */
  async judge() {
    this.lastScoreAt = performance.now();
    const s = await this.client.request('judgeRun', {
      handle: this.run.handle, n: JUDGE_SAMPLES, seed: JUDGE_SEED, truncation: this.page.truncation,
    });
    const entry = { step: this.last.step, ...s };
    this.scoreLog.push(entry);
    this.emit('score', entry);
    return entry;
  }

  /**
   * Resolves to the shipped classifier's verdict on G's images of 256 fixed latents: {step,
   * share (of samples it gives one class with probability >= 0.9), classes (how many samples
   * each digit got), samples, threshold, testAccuracy (the classifier's, on held-out digits)}.
   */
  score() {
    return this.exclusive(() => this.judge());
  }

  /** Trains until `pause()`, one round per engine call (a DCGAN round is ~0.3 s in wasm). */
  play() {
    if (this.playing || !this.run) return;
    this.playing = true;
    this.emit('playing', { playing: true });
    const run = this.run;
    // One loop at a time: a pause then play before the old loop's last round ends starts a new
    // loop, and the old one stops.
    const token = {};
    this.loopToken = token;
    const loop = async () => {
      let failed = false;
      while (this.playing && this.loopToken === token) {
        try {
          await this.step(1);
        } catch {
          failed = true;
          break;
        }
      }
      if (this.loopToken !== token) return;
      this.emit('playing', { playing: false });
      if (!failed && this.run === run) this.score().catch(() => {});
    };
    loop();
  }

  pause() {
    this.playing = false;
  }

  /** Sets the truncation threshold (null: none; else >= 0.05) and redraws the grid. */
  setTruncation(t) {
    checkTruncation(t);
    return this.exclusive(async () => {
      this.gridLatents = await this.call('viewLatents', GRID, t ?? undefined);
      this.page.truncation = t;
      for (const a of this.anchors) if (a.source === 'grid') a.latent = this.gridLatent(a.index);
      await this.readGrid();
      this.emit('anchors', { anchors: this.anchors });
      this.emit('settings', this.linkConfig());
    });
  }

  /** Makes grid sample `index` anchor `which` (0 = A, 1 = B, 2 = C). */
  setAnchorFromGrid(which, index) {
    this.anchors[which] = { latent: this.gridLatent(index), source: 'grid', index };
    this.emit('anchors', { anchors: this.anchors });
  }

  /** Three fresh anchors from the prior (seeded: the same seed gives the same anchors). */
  randomAnchors(seed) {
    return this.exclusive(async () => {
      const z = await this.call('seededLatents', 3, seed, this.page.truncation ?? undefined);
      const d = this.full.zDim;
      this.anchors = [0, 1, 2].map((i) => ({ latent: z.slice(i * d, (i + 1) * d), source: 'random', index: i }));
      this.emit('anchors', { anchors: this.anchors });
    });
  }

  /**
   * G's images of the given latents (flat, a multiple of zDim), or of `n` latents drawn with
   * `seed` (and `truncation`): resolves to {latents, pixels} (Float32Arrays; 784 pixels per
   * image, row-major, in [0, 1], 0 black).
   */
  images({ latents = null, seed = null, n = 1, truncation = this.page.truncation } = {}) {
    return this.exclusive(async () => {
      const z = latents ? Float32Array.from(latents) : await this.call('seededLatents', n, seed ?? 0, truncation ?? undefined);
      return { latents: z, pixels: await this.call('images', z) };
    });
  }

  /** The anchors' images: {pixels} for A, B, C (in order). */
  anchorImages() {
    return this.images({ latents: this.anchors.flatMap((a) => Array.from(a.latent)) });
  }

  /**
   * The filmstrip of a path drawn on the pad (`points`: [[u, v], ...] in [0, 1]^2, y down, at
   * least one): resampled to FILM_FRAMES points evenly along it, each turned into a latent on the
   * anchors' plane (or, for zDim = 2, the latent plane itself) and through G.
   */
  drawPath(points) {
    if (!Array.isArray(points) || points.length === 0) return Promise.reject(new Error('a path needs at least one point'));
    const along = resample(points, FILM_FRAMES);
    return this.exclusive(async () => {
      const latents = await this.client.request('pathLatents', {
        anchors: Float32Array.from(this.anchors.flatMap((a) => Array.from(a.latent))),
        points: Float32Array.from(along.flat()),
        mode: this.page.interpolation,
        reach: reachOf(this.full.prior),
      });
      const pixels = await this.call('images', latents);
      this.film = { kind: 'path', points: along, latents, pixels, frames: FILM_FRAMES };
      this.emit('film', this.film);
      return this.film;
    });
  }

  /** The filmstrip from anchor A to anchor B by the page's interpolation (lerp or slerp). */
  interpolateAnchors(frames = FILM_FRAMES) {
    return this.exclusive(async () => {
      const latents = await this.client.request('filmstripLatents', {
        a: this.anchors[0].latent, b: this.anchors[1].latent, frames, mode: this.page.interpolation,
      });
      const pixels = await this.call('images', latents);
      const points = resample([PAD_ANCHORS[0], PAD_ANCHORS[1]], frames);
      this.film = { kind: 'ab', points, latents, pixels, frames };
      this.emit('film', this.film);
      return this.film;
    });
  }

  /** Remakes the last filmstrip through the current G (after training moved it). */
  redrawFilm() {
    if (!this.film) return Promise.resolve(null);
    return this.film.kind === 'path' ? this.drawPath(this.film.points) : this.interpolateAnchors(this.film.frames);
  }

  setInterpolation(mode) {
    checkInterpolation(mode);
    this.page.interpolation = mode;
    this.emit('settings', this.linkConfig());
  }

  /** Every setting of the run (engine and page keys), as the link state holds it; null before a run. */
  linkConfig() {
    if (!this.full) return null;
    return { ...this.full, ...this.page };
  }

  /** The run's numbers. */
  stats() {
    return {
      mode: 'images',
      step: this.last.step,
      lossD: this.last.lossD,
      lossG: this.last.lossG,
      stepsPerSec: this.rate.ms > 0 ? (1000 * this.rate.steps) / this.rate.ms : NaN,
      backend: this.run ? this.run.backend : 'none',
      reason: this.run ? this.run.reason : 'not started',
      params: this.run ? this.run.params : null,
      arch: this.full ? this.full.arch : null,
      zDim: this.full ? this.full.zDim : null,
      codes: this.full ? this.full.codes : null,
      truncation: this.page.truncation,
      interpolation: this.page.interpolation,
      playing: this.playing,
      recognised: this.scoreLog.length ? this.scoreLog[this.scoreLog.length - 1].share : null,
      error: this.error,
      engineThread: this.client.where,
    };
  }
}

function checkInterpolation(mode) {
  if (mode !== 'lerp' && mode !== 'slerp') throw new Error(`interpolation: "lerp" or "slerp", not ${JSON.stringify(mode)}`);
}

function checkTruncation(t) {
  if (t === null || t === undefined) return;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0.05) {
    throw new Error(`truncation: null (none) or a number of at least 0.05, not ${JSON.stringify(t)}`);
  }
}
