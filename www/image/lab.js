// The image lab's controller (window.playground.images): one MNIST run in the engine's worker
// (www/engine/image.js), its training loop (one request and one answer per frame), the sample
// grid, truncation, the pad's anchors and paths through latent space, and the classifier's
// verdicts. The grid's latents and the anchors stay in the engine; they come here only to be
// shown. No drawing here: events tell the views what changed (www/image/page.js draws).

import { LabController, promised } from '../core/controller.js';
import { runBytes } from '../core/runfile.js';
import {
  IMAGE_PAGE_DEFAULTS, IMAGE_VIEW, PAD_ANCHORS, checkInterpolation, checkTruncation, gridShape,
} from '../core/state.js';

/** Samples in the grid (8 x 8; a conditional run's is 10 x 10, see gridShape), frames of a filmstrip, pixels per side of a digit. */
export const GRID = IMAGE_VIEW.grid;
export const FILM_FRAMES = IMAGE_VIEW.filmFrames;
export const SIDE = IMAGE_VIEW.side;
export { PAD_ANCHORS };

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

/** Most rounds one step() call trains, images one images() call makes, points a path holds. */
export const LIMITS = { rounds: 100000, images: 4096, pathPoints: 10000, frames: { min: 2, max: 256 } };

/** `v` for a message, whatever it is (a value whose toString throws included). */
function said(v) {
  try {
    return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v).slice(0, 40);
  } catch {
    return `a ${typeof v}`;
  }
}

/** Throws unless `v` is a whole number from `lo` to `hi`. */
function count(call, v, lo, hi) {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new Error(`${call}: a whole number from ${lo} to ${hi}, not ${said(v)}`);
  }
}

/** The image lab's API: each returns a promise and rejects with a message, never throws. */
const API = ['configure', 'openLink', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'score', 'accuracy',
  'setTruncation', 'setAnchorFromGrid', 'setAnchorDigit', 'randomAnchors', 'images', 'anchorImages', 'drawPath',
  'interpolateAnchors', 'redrawFilm', 'setInterpolation'];

export class ImageLab extends LabController {
  constructor(client) {
    super(client, 'image');
    /** What the engine said of the run: {id, backend, reason, real, params, step}. */
    this.run = null;
    this.full = null;
    this.page = { ...IMAGE_PAGE_DEFAULTS };
    this.labelled = null;
    this.reset();
    promised(this, API);
  }

  noRun() {
    return 'no image run yet: call configure({mode: "images"}) first';
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
    /** An SGAN run's held-out accuracy over rounds, oldest first: {step, n, sgan, baseline}. */
    this.heldOutLog = [];
    /** The pad's anchors as the engine holds them: {latent, source: 'grid' | 'random', index}. */
    this.anchors = [];
    /** The last filmstrip: {kind: 'path' | 'ab', points ([[u, v]...] on the pad), latents, pixels, frames}. */
    this.film = null;
  }

  /**
   * Validates `config` and starts a fresh image run: engine keys (arch, loss, zDim, codes,
   * infoWeight, prior, genWidth, discWidth, lrG, lrD, lrHalfLife, beta1, beta2, batchSize, k,
   * emaDecay, genRefine, seed) and page keys (backend, truncation: null or >= 0.05,
   * interpolation: 'lerp' | 'slerp'). Rejects, keeping the current run, on any bad key.
   * @returns {Promise<object>} the full engine config in force
   */
  configure(config = {}) {
    return this.exclusive(() => this.replaceRun({ config, page: this.page }));
  }

  /** Makes a run the engine started (open, resume, or a move to the CPU) the current one. */
  adopt(made) {
    this.run = { handle: this.session.id, backend: made.backend, reason: made.reason, real: made.real, params: made.params, step: made.step };
    this.full = made.full;
    this.page = made.page;
    this.reset();
    this.good = made.good === null || made.good === undefined ? null : { step: made.good };
    if (made.step) this.last = { step: made.step, lossD: NaN, lossG: NaN };
    this.gridLatents = made.gridLatents;
    this.anchors = made.anchors;
    /** An SGAN run's labelled digits: {pixels, labels}; null for the other families. */
    this.labelled = made.labelled || null;
    this.emit('configured', { full: made.full, backend: made.backend, reason: made.reason });
    this.takeGrid(made.gridPixels);
    if (made.heldOut) this.takeHeldOut(made.heldOut);
  }

  async adoptRevived(detail) {
    this.adopt(detail);
  }

  async adoptMoved(detail) {
    this.adopt({ ...detail, page: { ...detail.page, backend: 'cpu' } });
  }

  movedNotice(detail) {
    return { message: `${detail.message}. The image run continues on the CPU from round ${detail.step}, its last snapshot.` };
  }

  takeGrid(pixels) {
    this.gridPixels = pixels;
    this.emit('grid', { pixels, step: this.last.step });
  }

  /** Resolves to the run as one file (a Uint8Array) that loadRun() continues exactly. */
  saveRun() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(() => this.session.save());
  }

  /**
   * Continues an image run saved by saveRun() (the file's bytes) from its round. Rejects with a
   * message for a file that is not an image run, is truncated or corrupt, or does not fit its
   * architecture; the current run is kept then.
   */
  loadRun(file) {
    return this.exclusive(async () => this.replaceRun({ bytes: await runBytes(file, 'image'), page: this.page }));
  }

  /**
   * After a divergence (or to go on with other steps): continues from the last good state (the
   * engine keeps one every IMAGE_SNAPSHOTS.every rounds or .ms) with the learning rates given.
   */
  resume(rates = {}) {
    if (!this.good) return Promise.reject(new Error('no good state to resume from'));
    return this.exclusive(async () => {
      const wasPlaying = this.playing;
      this.playing = false;
      this.adopt(await this.session.resume(rates));
      if (wasPlaying) this.play();
      return this.full;
    });
  }

  /** The losses of every round trained (the newest 5,000), the classifier's verdicts and an SGAN's accuracies, as CSV. */
  curvesCsv() {
    const share = new Map(this.scoreLog.map((s) => [s.step, s.share]));
    const cell = (v) => (v === undefined || v === null || Number.isNaN(v) ? '' : String(v));
    // An SGAN run's held-out accuracies in two more columns.
    const semi = this.labelled !== null;
    const held = new Map(this.heldOutLog.map((h) => [h.step, h]));
    const lines = [`step,lossD,lossG,recognisedShare${semi ? ',sganAccuracy,baselineAccuracy' : ''}`];
    const steps = new Set([...this.lossLog.map((l) => l.step), ...share.keys(), ...held.keys()]);
    const byStep = new Map(this.lossLog.map((l) => [l.step, l]));
    for (const step of [...steps].sort((a, b) => a - b)) {
      const l = byStep.get(step) || {};
      const h = held.get(step);
      const row = [step, l.lossD, l.lossG, share.get(step)];
      if (semi) row.push(h && h.sgan.accuracy, h && h.baseline.accuracy);
      lines.push(row.map(cell).join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  /** Takes in an engine frame's answer. */
  take(answer, ms, rounds) {
    this.rate.steps += rounds;
    this.rate.ms += ms;
    for (const s of answer.losses) {
      this.lossLog.push(s);
      if (this.lossLog.length > 5000) this.lossLog.shift();
    }
    this.last = { step: answer.stats.step, lossD: answer.stats.lossD, lossG: answer.stats.lossG };
    if (answer.stats.good !== null && answer.stats.good !== undefined) this.good = { step: answer.stats.good };
    this.emit('step', { ...this.last, losses: answer.losses });
    if (answer.grid) this.takeGrid(answer.grid);
    if (answer.score) this.takeScore(answer.score);
    if (answer.heldOut) this.takeHeldOut(answer.heldOut);
  }

  takeHeldOut(h) {
    const last = this.heldOutLog[this.heldOutLog.length - 1];
    if (!last || last.step !== h.step) this.heldOutLog.push(h);
    else this.heldOutLog[this.heldOutLog.length - 1] = h;
    this.emit('heldOut', h);
    return h;
  }

  takeScore(score) {
    this.scoreLog.push(score);
    this.emit('score', score);
    return score;
  }

  /** A frame of training: `request` for the engine; resolves to {step, lossD, lossG}. */
  async train(request) {
    const t0 = performance.now();
    const before = this.last.step;
    let answer;
    try {
      answer = await this.session.frame(request);
    } catch (e) {
      this.fail(e);
      throw e;
    }
    this.take(answer, performance.now() - t0, answer.stats.step - before);
    return this.last;
  }

  /** Trains `rounds` rounds, then resolves to {step, lossD, lossG} (the grid is read after). */
  step(rounds = 1) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    count('step(rounds)', rounds, 1, LIMITS.rounds);
    return this.exclusive(() => this.train({ steps: rounds, maxChunk: rounds, grid: 'always' }));
  }

  /** One frame of play: as many rounds as fit a frame, the grid when due, a verdict when due. */
  playFrame() {
    return this.train({ grid: 'due', judge: true });
  }

  play() {
    if (!this.session) return super.play();
    if (this.playing) return Promise.resolve();
    super.play();
    this.emit('playing', { playing: true });
    return Promise.resolve();
  }

  pause() {
    if (!this.playing) return Promise.resolve();
    super.pause();
    this.emit('playing', { playing: false });
    // On pause: a fresh grid and the classifier's verdict on the run as it stands.
    this.exclusive(async () => {
      if (this.playing || !this.session) return;
      this.takeGrid((await this.session.images({ grid: true })).pixels);
      this.takeScore(await this.session.score());
      if (this.labelled) this.takeHeldOut(await this.session.accuracy());
    }).catch(() => {});
    return Promise.resolve();
  }

  /**
   * Resolves to the shipped classifier's verdict on G's images of 256 fixed latents: {step,
   * share (of samples it gives one class with probability >= 0.9), classes (how many samples
   * each digit got), samples, threshold, testAccuracy (the classifier's, on held-out digits)}.
   */
  score() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(async () => this.takeScore(await this.session.score()));
  }

  /**
   * An SGAN run's held-out accuracy now: {step, n (test digits), sgan, baseline}, each
   * {accuracy, confusion (counts, row = true digit, column = the digit called, flat 100)}: the
   * SGAN's D and the plain classifier trained on the same labelled digits alone. Rejects for
   * the other families.
   */
  accuracy() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(async () => this.takeHeldOut(await this.session.accuracy()));
  }

  /** Sets the truncation threshold (null: none; else >= 0.05) and redraws the grid. */
  setTruncation(t) {
    checkTruncation(t);
    return this.exclusive(async () => {
      const r = await this.session.setTruncation({ t });
      this.page = { ...this.page, truncation: t };
      this.gridLatents = r.gridLatents;
      this.anchors = r.anchors;
      this.takeGrid(r.gridPixels);
      this.emit('anchors', { anchors: this.anchors });
      this.emit('settings', this.linkConfig());
      // The verdict is on truncated samples too: while paused it follows at once (while
      // playing, the next one is due within JUDGE.everyMs).
      if (!this.playing) this.takeScore(await this.session.score());
    });
  }

  /**
   * Makes grid sample `index` anchor `which` (0 = A, 1 = B, 2 = C): at once here (from the
   * grid's latents as shown), and in the engine, which holds the anchors the pad's paths use.
   */
  setAnchorFromGrid(which, index) {
    const { n } = gridShape(this.full);
    if (![0, 1, 2].includes(which) || !Number.isInteger(index) || index < 0 || index >= n || !this.gridLatents) {
      return Promise.reject(new Error(`an anchor is 0, 1 or 2 and a grid sample 0 to ${n - 1}, not ${said(which)}, ${said(index)}`));
    }
    const d = this.full.zDim;
    this.anchors = this.anchors.slice();
    this.anchors[which] = { latent: this.gridLatents.slice(index * d, (index + 1) * d), source: 'grid', index };
    this.emit('anchors', { anchors: this.anchors });
    return this.exclusive(async () => { await this.session.setAnchor({ which, index }); });
  }

  /**
   * A conditional run's anchors all asked for `digit` (0-9; null: each its own again): paths on
   * the pad stay inside one class, only the style changing.
   */
  setAnchorDigit(digit) {
    return this.exclusive(async () => {
      this.anchors = await this.session.setAnchorDigit({ digit });
      this.emit('anchors', { anchors: this.anchors });
    });
  }

  /** Three fresh anchors from the prior (seeded: the same seed gives the same anchors). */
  randomAnchors(seed) {
    count('randomAnchors(seed)', seed, 0, Number.MAX_SAFE_INTEGER);
    return this.exclusive(async () => {
      this.anchors = await this.session.randomAnchors({ seed });
      this.emit('anchors', { anchors: this.anchors });
    });
  }

  /**
   * G's images of the given latents (flat, a multiple of zDim), or of `n` latents drawn with
   * `seed` (and `truncation`): resolves to {latents, pixels} (Float32Arrays; 784 pixels per
   * image, row-major, in [0, 1], 0 black).
   */
  images({ latents = null, seed = null, n = 1, truncation = this.page.truncation } = {}) {
    if (!this.session) throw new Error(this.noRun());
    if (latents !== null) {
      const d = this.full.zDim;
      const len = latents && typeof latents.length === 'number' ? latents.length : -1;
      if (!(Array.isArray(latents) || ArrayBuffer.isView(latents)) || len < d || len % d !== 0 || len > LIMITS.images * d) {
        throw new Error(`images(): latents is a flat array of 1 to ${LIMITS.images} latents of ${d} numbers`);
      }
    } else {
      count('images(): n', n, 1, LIMITS.images);
      if (seed !== null) count('images(): seed', seed, 0, Number.MAX_SAFE_INTEGER);
    }
    if (truncation !== null) checkTruncation(truncation);
    return this.exclusive(() => this.session.images({ latents, seed, n, truncation }));
  }

  /** The anchors' images: {pixels} for A, B, C (in order). */
  anchorImages() {
    return this.exclusive(async () => ({ pixels: await this.session.anchorImages() }));
  }

  /**
   * The filmstrip of a path drawn on the pad (`points`: [[u, v], ...] in [0, 1]^2, y down, at
   * least one): resampled to FILM_FRAMES points evenly along it, each turned into a latent on the
   * anchors' plane (or, for zDim = 2, the latent plane itself) and through G.
   */
  drawPath(points) {
    if (!Array.isArray(points) || points.length === 0) return Promise.reject(new Error('a path needs at least one point'));
    if (points.length > LIMITS.pathPoints) throw new Error(`a path holds at most ${LIMITS.pathPoints} points, not ${points.length}`);
    if (!points.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite))) {
      throw new Error('a path is a list of [u, v] points, two finite numbers each');
    }
    const along = resample(points, FILM_FRAMES);
    return this.exclusive(async () => {
      const { latents, pixels } = await this.session.drawPath({ points: along, mode: this.page.interpolation });
      this.film = { kind: 'path', points: along, latents, pixels, frames: FILM_FRAMES };
      this.emit('film', this.film);
      return this.film;
    });
  }

  /** The filmstrip from anchor A to anchor B by the page's interpolation (lerp or slerp). */
  interpolateAnchors(frames = FILM_FRAMES) {
    if (!this.session) throw new Error(this.noRun());
    count('interpolateAnchors(frames)', frames, LIMITS.frames.min, LIMITS.frames.max);
    return this.exclusive(async () => {
      const { latents, pixels } = await this.session.interpolate({ frames, mode: this.page.interpolation });
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
    this.page = { ...this.page, interpolation: mode };
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
      heldOut: this.heldOutLog.length ? this.heldOutLog[this.heldOutLog.length - 1] : null,
      error: this.error,
      engineThread: this.client.where,
    };
  }
}

