// The CycleGAN lab's controller (window.playground.cycle): one run between MNIST (A) and the
// UCI digits (B) in the engine's worker (www/engine/cycle.js), its training loop (one request
// and one answer per frame), the rows on fixed test digits, the loss log, and translations of
// a drawn digit. No drawing here: events tell the views what changed (www/cycle/page.js draws).

import { promised } from '../core/controller.js';
import { RunLab } from '../core/run-lab.js';
import { CYCLE_PAGE_DEFAULTS } from '../core/state.js';

/** Pixels of a 28 x 28 digit. */
export const PIXELS = 784;
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

export class CycleLab extends RunLab {
  constructor(client) {
    super(client, 'cycle', CYCLE_PAGE_DEFAULTS, 'CycleGAN');
    promised(this, API);
  }

  /** The last round's losses are {step, lossDA, lossDB, lossG, lossF, cycleA, cycleB, identity}. */
  reset() {
    super.reset();
    this.rowPixels = null;
  }

  /**
   * Validates `config` and starts a fresh run: engine keys (genWidth, blocks, discWidth, loss,
   * lambdaCycle, lambdaIdentity, poolSize, lrG, lrD, lrHalfLife, beta1, beta2, batchSize, seed)
   * and the page key backend. Rejects, keeping the current run, on any bad key.
   * @returns {Promise<object>} the full engine config in force
   */
  configure(config = {}) {
    return super.configure(config);
  }

  adopt(made) {
    super.adopt(made);
    this.takeRows(made.rows);
  }

  takeRows(pixels) {
    this.rowPixels = pixels;
    this.emit('rows', { pixels, step: this.last.step });
  }

  takeReadouts(answer) {
    if (answer.rows) this.takeRows(answer.rows);
  }

  afterPause() {
    this.exclusive(async () => {
      if (this.playing || !this.session) return;
      this.takeRows((await this.session.rows()).rows);
    }).catch(() => {});
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
}
