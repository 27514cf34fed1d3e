// The controller every one-run lab of the later families shares (CycleGAN, StackGAN): one run
// in the engine's worker, trained a frame at a time, with the lab's readouts (rows, pictures)
// taken from each frame's answer; the loss log, the run file, the resume after a divergence,
// the link's settings and the stats. A lab says what its frames read (`view`, `takeReadouts`)
// and what a pause refreshes (`afterPause`); www/cycle/lab.js and www/stack/lab.js.

import { LabController } from './controller.js';
import { runBytes } from './runfile.js';

/** Most rounds one step() call trains. */
export const MAX_ROUNDS = 100000;

/**
 * How long a frame trains while playing (ms). Each frame costs a message each way, a read of the
 * losses and a wait for the display's next frame (~5 ms here); with the engine's 24 ms a frame
 * held one round of these labs' 30-150 ms, and playing trained at 85 % of step(n)'s pace.
 */
export const RUN_FRAME_MS = 100;

export class RunLab extends LabController {
  /**
   * @param {object} client the engine's client
   * @param {string} kind the lab's session kind ('cycle', 'stack')
   * @param {object} pageDefaults the lab's page keys and their defaults
   * @param {string} noun the run in words ('CycleGAN', 'StackGAN')
   */
  constructor(client, kind, pageDefaults, noun) {
    super(client, kind);
    this.noun = noun;
    this.run = null;
    this.full = null;
    this.page = { ...pageDefaults };
    this.reset();
  }

  noRun() {
    return `no ${this.noun} run yet: open the ${this.noun} lab first`;
  }

  /** A fresh run's bookkeeping (labs add their readouts). */
  reset() {
    this.last = { step: 0 };
    this.lossLog = [];
    this.error = null;
    this.rate = { steps: 0, ms: 0 };
  }

  /**
   * Validates `config` and starts a fresh run (engine and page keys); rejects, keeping the
   * current run, on any bad key. Resolves to the full engine config in force.
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
    this.last = made.losses || this.firstLosses(made);
    this.emit('configured', { full: made.full, backend: made.backend, reason: made.reason, page: made.page });
  }

  /** The losses of a run that has not trained yet. */
  firstLosses(made) {
    return { step: made.step || 0 };
  }

  async adoptRevived(detail) {
    this.adopt(detail);
  }

  async adoptMoved(detail) {
    this.adopt({ ...detail, page: { ...detail.page, backend: 'cpu' } });
  }

  movedNotice(detail) {
    return `${detail.message}. The ${this.noun} run continues on the CPU from round ${detail.step}, its last snapshot.`;
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
    this.takeReadouts(answer);
  }

  /** What a frame's request adds for the lab's readouts (none by default). */
  view() {
    return {};
  }

  /** The lab's readouts in a frame's answer. */
  takeReadouts() {}

  async train(request) {
    const t0 = performance.now();
    const before = this.last.step;
    let answer;
    try {
      answer = await this.session.frame({ ...request, ...this.view() });
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

  /** Trains `rounds` rounds, then resolves to the losses (the readouts are read after). */
  step(rounds = 1) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
      throw new Error(`step(rounds): a whole number from 1 to ${MAX_ROUNDS}, not ${String(rounds).slice(0, 40)}`);
    }
    return this.exclusive(() => this.train({ steps: rounds, maxChunk: rounds, readouts: 'always' }));
  }

  playFrame() {
    return this.train({ readouts: 'due', budgetMs: RUN_FRAME_MS });
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
    this.afterPause();
    return Promise.resolve();
  }

  /** What a pause reads again (the readouts as the run stands). */
  afterPause() {}

  saveRun() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(() => this.session.save());
  }

  /**
   * Continues a run saved by saveRun() (the file's bytes) from its round; rejects with a message
   * for a file that is not a run of this lab, truncated or corrupt.
   */
  loadRun(file) {
    return this.exclusive(async () => this.replaceRun({ bytes: await runBytes(file, this.kind), page: this.page }));
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
