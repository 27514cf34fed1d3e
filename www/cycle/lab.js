// The CycleGAN lab's controller (window.playground.cycle): one run between MNIST (A) and the
// UCI digits (B) in the engine's worker (www/engine/cycle.js), its training loop (one request
// and one answer per frame), the rows on fixed test digits, the loss log, and translations of
// a drawn digit. No drawing here: events tell the views what changed (www/cycle/page.js draws).

import { LabController, promised } from '../core/controller.js';
import { runBytes } from '../core/runfile.js';
import { CYCLE_PAGE_DEFAULTS } from '../core/state.js';

/** Pixels of a 28 x 28 digit. */
export const PIXELS = 784;
/** Most rounds one step() call trains. */
const MAX_ROUNDS = 100000;
/** The least ink (sum of pixels in [0, 1]) a drawing needs to be a digit: about 3 pixels. */
export const MIN_INK = 3;

/** The API: each returns a promise and rejects with a message, never throws. */
const API = ['configure', 'openLink', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'rows', 'translate'];

/**
 * Checks a drawing (784 numbers in [0, 1]) before it goes to the engine; returns it as a
 * Float32Array or throws with what is wrong.
 */
export function checkDrawing(pixels) {
  if (!pixels || typeof pixels.length !== 'number' || typeof pixels === 'string') {
    throw new Error('translate: give 784 pixels (28 x 28, row by row) in [0, 1]');
  }
  if (pixels.length !== PIXELS) throw new Error(`translate: ${pixels.length} pixels; a digit is 784 (28 x 28)`);
  const v = Float32Array.from(pixels, Number);
  if (!v.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)) {
    throw new Error('translate: every pixel must be a number from 0 (black) to 1 (ink)');
  }
  const ink = v.reduce((a, x) => a + x, 0);
  if (ink < MIN_INK) throw new Error('the drawing is empty: draw a digit on the pad first');
  return v;
}

export class CycleLab extends LabController {
  constructor(client) {
    super(client, 'cycle');
    this.run = null;
    this.full = null;
    this.page = { ...CYCLE_PAGE_DEFAULTS };
    this.reset();
    promised(this, API);
  }

  noRun() {
    return 'no CycleGAN run yet: open the CycleGAN lab first';
  }

  reset() {
    /** The last round's losses: {step, lossDA, lossDB, lossG, lossF, cycleA, cycleB, identity}. */
    this.last = { step: 0 };
    this.lossLog = [];
    this.error = null;
    this.rate = { steps: 0, ms: 0 };
    this.rowPixels = null;
  }

  /**
   * Validates `config` and starts a fresh run: engine keys (genWidth, blocks, discWidth, loss,
   * lambdaCycle, lambdaIdentity, poolSize, lrG, lrD, lrHalfLife, beta1, beta2, batchSize, seed)
   * and the page key backend. Rejects, keeping the current run, on any bad key.
   * @returns {Promise<object>} the full engine config in force
   */
  configure(config = {}) {
    return this.exclusive(() => this.replaceRun({ config, page: this.page }));
  }

  /** Makes a run the engine started (open, resume, a move to the CPU) the current one. */
  adopt(made) {
    this.run = { handle: this.session.id, backend: made.backend, reason: made.reason, params: made.params };
    this.full = made.full;
    this.page = made.page;
    this.reset();
    this.good = made.good === null || made.good === undefined ? null : { step: made.good };
    this.last = made.losses || { step: made.step || 0 };
    this.emit('configured', { full: made.full, backend: made.backend, reason: made.reason });
    this.takeRows(made.rows);
  }

  async adoptRevived(detail) {
    this.adopt(detail);
  }

  async adoptMoved(detail) {
    this.adopt({ ...detail, page: { ...detail.page, backend: 'cpu' } });
  }

  movedNotice(detail) {
    return `${detail.message}. The CycleGAN run continues on the CPU from round ${detail.step}, its last snapshot.`;
  }

  takeRows(pixels) {
    this.rowPixels = pixels;
    this.emit('rows', { pixels, step: this.last.step });
  }

  take(answer, ms, rounds) {
    this.rate.steps += rounds;
    this.rate.ms += ms;
    for (const s of answer.losses) {
      this.lossLog.push(s);
      if (this.lossLog.length > 5000) this.lossLog.shift();
    }
    this.last = answer.stats;
    if (answer.stats.good !== null && answer.stats.good !== undefined) this.good = { step: answer.stats.good };
    this.emit('step', { ...this.last, losses: answer.losses });
    if (answer.rows) this.takeRows(answer.rows);
  }

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
    return this.lastLosses();
  }

  /** The last round's losses (without the page's bookkeeping). */
  lastLosses() {
    const { good, msPerStep, ...losses } = this.last;
    return losses;
  }

  /** Trains `rounds` rounds, then resolves to the losses (the rows are read after). */
  step(rounds = 1) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
      throw new Error(`step(rounds): a whole number from 1 to ${MAX_ROUNDS}, not ${String(rounds).slice(0, 40)}`);
    }
    return this.exclusive(() => this.train({ steps: rounds, maxChunk: rounds, rows: 'always' }));
  }

  playFrame() {
    return this.train({ rows: 'due' });
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
    this.exclusive(async () => {
      if (this.playing || !this.session) return;
      this.takeRows((await this.session.rows()).rows);
    }).catch(() => {});
    return Promise.resolve();
  }

  /** The rows now: {rows (6 blocks of n digits: A, G(A), F(G(A)), B, F(B), G(F(B))), n}. */
  rows() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(async () => {
      const r = await this.session.rows();
      this.takeRows(r.rows);
      return r;
    });
  }

  /**
   * A drawn digit (784 pixels in [0, 1]) translated to domain `to` ('b': MNIST -> UCI by G;
   * 'a': UCI -> MNIST by F) and back: {there, back}. Rejects an empty drawing with a message.
   */
  translate(pixels, to = 'b') {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (to !== 'a' && to !== 'b') throw new Error(`translate: to is 'a' or 'b', not ${String(to).slice(0, 20)}`);
    const v = checkDrawing(pixels);
    return this.exclusive(() => this.session.translate({ pixels: v, to }));
  }

  saveRun() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(() => this.session.save());
  }

  /**
   * Continues a run saved by saveRun() (the file's bytes) from its round; rejects with a message
   * for a file that is not a CycleGAN run (an image-GAN run, say), truncated or corrupt.
   */
  loadRun(file) {
    return this.exclusive(async () => this.replaceRun({ bytes: await runBytes(file, 'cycle'), page: this.page }));
  }

  resume(rates = {}) {
    if (!this.good) return Promise.reject(new Error('no good state to resume from'));
    return this.exclusive(async () => {
      const wasPlaying = this.playing;
      this.playing = false;
      this.adopt(await this.session.resume(rates));
      this.error = null;
      if (wasPlaying) this.play();
      return this.lastLosses();
    });
  }

  /** Every setting of the run (engine and page keys), as the link holds it; null before a run. */
  linkConfig() {
    if (!this.full) return null;
    return { ...this.full, ...this.page };
  }

  stats() {
    return {
      ...this.lastLosses(),
      stepsPerSec: this.rate.ms > 0 ? (1000 * this.rate.steps) / this.rate.ms : NaN,
      msPerRound: Number.isFinite(this.last.msPerStep) ? this.last.msPerStep : NaN,
      backend: this.run ? this.run.backend : 'none',
      reason: this.run ? this.run.reason : 'not started',
      params: this.run ? this.run.params : null,
      playing: this.playing,
      error: this.error,
    };
  }
}
