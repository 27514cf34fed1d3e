// The StackGAN lab's controller (window.playground.stack): one run in the engine's worker
// (www/engine/stack.js), its training loop (one request and one answer per frame), the
// caption the pictures show (in the link), the pictures of both stages and the loss log. No
// drawing here: events tell the views what changed (www/stack/page.js draws).

import { promised } from '../core/controller.js';
import { RunLab } from '../core/run-lab.js';
import { STACK_PAGE_DEFAULTS, checkCaption } from '../core/state.js';

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

export class StackLab extends RunLab {
  constructor(client) {
    super(client, 'stack', STACK_PAGE_DEFAULTS, 'StackGAN');
    /** The seed of the pictures' z and ε draws (New draws changes it). */
    this.draw = 1;
    promised(this, API);
  }

  /** The last round's losses are {step, roundsOne, roundsTwo, stage, lossD, lossG}. */
  reset() {
    super.reset();
    this.pictures = null;
  }

  /** What the pictures show: the caption and the draw. */
  pictureView() {
    return { caption: this.page.caption, draw: this.draw };
  }

  view() {
    return { view: this.pictureView() };
  }

  /**
   * Validates `config` and starts a fresh run: engine keys (zDim, code, embed, genWidth,
   * discWidth, klWeight, attributeMismatch, lrG, lrD, lrHalfLife, beta1, beta2, batchSize,
   * stageOneRounds, together, emaDecay, seed) and the page keys backend and caption. Rejects, keeping the current run,
   * on any bad key.
   * @returns {Promise<object>} the full engine config in force
   */
  configure(config = {}) {
    return super.configure(config);
  }

  adopt(made) {
    super.adopt(made);
    this.refresh();
  }

  firstLosses(made) {
    return { step: made.step || 0, roundsOne: 0, roundsTwo: 0, stage: made.full.together ? 0 : 1 };
  }

  /** Reads the pictures again (after a new run or a pause), reporting a caption it cannot read. */
  refresh() {
    if (!this.session) return;
    this.exclusive(async () => this.takeImages(await this.session.images(this.pictureView()))).catch((e) => {
      this.emit('caption-error', e.message);
    });
  }

  afterPause() {
    this.refresh();
  }

  takeImages(pictures) {
    this.pictures = pictures;
    this.emit('images', { ...pictures, step: this.last.step, caption: this.page.caption });
  }

  takeReadouts(answer) {
    if (answer.images) this.takeImages(answer.images);
    if (answer.imagesError) this.emit('caption-error', answer.imagesError);
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
      const pictures = await this.session.images(this.pictureView());
      this.takeImages(pictures);
      return pictures;
    });
  }

  stats() {
    return { ...super.stats(), caption: this.page.caption };
  }
}
