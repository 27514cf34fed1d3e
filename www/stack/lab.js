// The StackGAN lab's controller (window.playground.stack): one run in the engine's worker
// (www/engine/stack.js), its training loop (one request and one answer per frame), the
// caption the pictures show (in the link), the pictures of both stages and the loss log. No
// drawing here: events tell the views what changed (www/stack/page.js draws).

import { LabController, promised } from '../core/controller.js';
import { runBytes } from '../core/runfile.js';
import { STACK_PAGE_DEFAULTS, checkCaption } from '../core/state.js';

/** Most rounds one step() call trains. */
const MAX_ROUNDS = 100000;

/** The API: each returns a promise and rejects with a message, never throws. */
const API = ['configure', 'openLink', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'images', 'setCaption', 'newDraws'];

/** The digits' names, for the caption box's suggestions. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * Every caption the training digits carry, in the captions' own words (src/data/captions.rs
 * `Caption::text`): 10 digits x thin / normal / thick x slanted left / upright / slanted right.
 */
export function allCaptions() {
  const out = [];
  for (const digit of DIGIT_WORDS) {
    for (const thickness of ['thin', '', 'thick']) {
      for (const slant of ['left', 'upright', 'right']) {
        const words = [];
        if (thickness) words.push(thickness);
        if (slant === 'upright') words.push('upright');
        words.push(digit);
        if (slant !== 'upright') words.push('slanted', slant);
        out.push(`${['upright', 'eight'].includes(words[0]) ? 'an' : 'a'} ${words.join(' ')}`);
      }
    }
  }
  return out;
}

export class StackLab extends LabController {
  constructor(client) {
    super(client, 'stack');
    this.run = null;
    this.full = null;
    this.page = { ...STACK_PAGE_DEFAULTS };
    /** The seed of the pictures' z and ε draws (New draws changes it). */
    this.draw = 1;
    this.reset();
    promised(this, API);
  }

  noRun() {
    return 'no StackGAN run yet: open the StackGAN lab first';
  }

  reset() {
    /** The last round's losses: {step, roundsOne, roundsTwo, stage, lossD, lossG}. */
    this.last = { step: 0 };
    this.lossLog = [];
    this.error = null;
    this.rate = { steps: 0, ms: 0 };
    this.pictures = null;
  }

  /** What the pictures show: the caption and the draw. */
  view() {
    return { caption: this.page.caption, draw: this.draw };
  }

  /**
   * Validates `config` and starts a fresh run: engine keys (zDim, code, embed, genWidth,
   * discWidth, klWeight, lrG, lrD, lrHalfLife, beta1, beta2, batchSize, stageOneRounds,
   * together, seed) and the page keys backend and caption. Rejects, keeping the current run,
   * on any bad key.
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
    this.last = made.losses || { step: made.step || 0, roundsOne: 0, roundsTwo: 0, stage: made.full.together ? 0 : 1 };
    this.emit('configured', { full: made.full, backend: made.backend, reason: made.reason, page: made.page });
    this.refresh();
  }

  async adoptRevived(detail) {
    this.adopt(detail);
  }

  async adoptMoved(detail) {
    this.adopt({ ...detail, page: { ...detail.page, backend: 'cpu' } });
  }

  movedNotice(detail) {
    return `${detail.message}. The StackGAN run continues on the CPU from round ${detail.step}, its last snapshot.`;
  }

  /** Reads the pictures again (after a new run or a pause), reporting a caption it cannot read. */
  refresh() {
    if (!this.session) return;
    this.exclusive(async () => this.takeImages(await this.session.images(this.view()))).catch((e) => {
      this.emit('caption-error', e.message);
    });
  }

  takeImages(pictures) {
    this.pictures = pictures;
    this.emit('images', { ...pictures, step: this.last.step, caption: this.page.caption });
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
    if (answer.images) this.takeImages(answer.images);
    if (answer.imagesError) this.emit('caption-error', answer.imagesError);
  }

  async train(request) {
    const t0 = performance.now();
    const before = this.last.step;
    let answer;
    try {
      answer = await this.session.frame({ ...request, view: this.view() });
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

  /** Trains `rounds` rounds on the schedule, then resolves to the losses (pictures read after). */
  step(rounds = 1) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
      throw new Error(`step(rounds): a whole number from 1 to ${MAX_ROUNDS}, not ${String(rounds).slice(0, 40)}`);
    }
    return this.exclusive(() => this.train({ steps: rounds, maxChunk: rounds, images: 'always' }));
  }

  playFrame() {
    return this.train({ images: 'due' });
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
    this.refresh();
    return Promise.resolve();
  }

  /**
   * The pictures of `caption` (the lab's own if left out) with the run as it stands: {one,
   * two, unknown, n} (see www/engine/stack.js). Rejects a caption with no known word, or
   * over 200 characters, with a message.
   */
  images(caption = this.page.caption) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    checkCaption(caption);
    return this.exclusive(() => this.session.images({ caption, draw: this.draw }));
  }

  /**
   * Shows `caption` from now on (it goes in the link): resolves to the pictures, or rejects
   * with what is wrong with it (and the caption shown stays).
   */
  setCaption(caption) {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    checkCaption(caption);
    return this.exclusive(async () => {
      const pictures = await this.session.images({ caption, draw: this.draw });
      this.page = { ...this.page, caption };
      await this.session.setCaption({ caption });
      this.takeImages(pictures);
      this.emit('settings', { caption });
      return pictures;
    });
  }

  /** Draws new latents and augmentation noise for the pictures; resolves to them. */
  newDraws() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    this.draw += 1;
    return this.exclusive(async () => {
      const pictures = await this.session.images(this.view());
      this.takeImages(pictures);
      return pictures;
    });
  }

  saveRun() {
    if (!this.session) return Promise.reject(new Error(this.noRun()));
    return this.exclusive(() => this.session.save());
  }

  /**
   * Continues a run saved by saveRun() (the file's bytes) from its round; rejects with a message
   * for a file that is not a StackGAN run (a CycleGAN run, say), truncated or corrupt.
   */
  loadRun(file) {
    return this.exclusive(async () => this.replaceRun({ bytes: await runBytes(file, 'stack'), page: this.page }));
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
      caption: this.page.caption,
      playing: this.playing,
      error: this.error,
    };
  }
}
