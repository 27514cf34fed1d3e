// The StackGAN lab's session in the engine: one run on the shipped digits and their measured
// captions, trained on its schedule (stage I, then stage II with stage I frozen), and its
// pictures of the page's caption: a row of latents z with the caption's mean code, and a row
// of conditioning-augmentation draws ĉ for one z, each shown at both stages.

import { STACK_PAGE_DEFAULTS, STACK_SNAPSHOTS, STACK_VIEW, splitStackConfig } from '../core/state.js';
import { Session } from './session.js';

/** A seeded stream of standard normal draws (mulberry32 and Box–Muller): the pictures' z and ε. */
export function normals(seed, count) {
  let a = (seed >>> 0) || 1;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

export class StackSession extends Session {
  constructor(host, id) {
    super(host, id, STACK_SNAPSHOTS);
    this.kind = 'stack';
    this.page = { ...STACK_PAGE_DEFAULTS };
    this.lastImagesAt = 0;
    this.last = null;
  }

  digits() {
    return this.host.asset('mnist.bin', 'the MNIST digits');
  }

  /** Starts the run (see `Session.startFrom`); resolves to {notices, losses}. */
  start(args) {
    this.digits();
    return this.startFrom(args, { pageDefaults: STACK_PAGE_DEFAULTS, validate: 'validateStackConfig', noun: 'StackGAN' });
  }

  /** A fresh run of `config` (engine and page keys; page keys left out keep `page`'s). */
  async create(config, page = null) {
    const split = splitStackConfig(config, { ...STACK_PAGE_DEFAULTS, ...(page || {}) });
    const mnist = await this.digits();
    await this.adopt(split.page.backend, async (mod, backend) => ({ main: await mod.StackGanTrainer.create(split.engine, backend, mnist) }));
    this.page = split.page;
    this.wanted = split.page.backend;
  }

  /** The run saved in `bytes`, on `wanted`, with `learningRates` ({lrD, lrG}) if given. */
  async restore(bytes, wanted, learningRates) {
    const mnist = await this.digits();
    await this.adopt(wanted, async (mod, backend) => ({
      main: await Session.loaded(() => mod.StackGanTrainer.load(bytes, backend, mnist), learningRates),
    }));
    this.info.reason = `a loaded run: ${this.info.reason}`;
    this.wanted = wanted;
  }

  describe() {
    return { ...super.describe(), params: Array.from(this.run.main.parameterCounts()) };
  }

  /** What the lab shows of a run that (re)started here: the last losses. */
  async after() {
    this.lastImagesAt = 0;
    const main = this.run.main;
    this.last = main.stepCount() > 0 ? await this.guard(() => main.losses()) : null;
    return { losses: this.last };
  }

  /**
   * The pictures of `caption` with draw `draw` (the seed of z and ε): {one, two, unknown, n}.
   * `one` holds 2n stage-I images (196 pixels each: n latents with the caption's mean code,
   * then n draws of ĉ for the first latent), `two` the same at stage II (784 each).
   */
  async readImages({ caption, draw = 1 }) {
    this.lastImagesAt = performance.now();
    const c = this.run.main.config();
    const n = STACK_VIEW.n;
    const zs = normals(2 * draw + 1, n * c.zDim);
    const eps = normals(2 * draw + 2, n * c.code);
    const z = new Float32Array(2 * n * c.zDim);
    z.set(zs);
    for (let i = 0; i < n; i++) z.set(zs.subarray(0, c.zDim), (n + i) * c.zDim);
    const e = new Float32Array(2 * n * c.code);
    e.set(eps, n * c.code);
    const r = await this.guard(() => this.run.main.images(caption, z, e));
    return { one: r.one, two: r.two, unknown: Array.from(r.unknown), n };
  }

  /**
   * After the frame's rounds: the pictures of `view` ({caption, draw}), `readouts` 'always' or
   * 'due' every STACK_VIEW.everyMs.
   */
  async endFrame(answer, { readouts = 'due', view = null }) {
    if (view && (readouts === 'always' || performance.now() - this.lastImagesAt > STACK_VIEW.everyMs)) {
      try {
        answer.images = await this.readImages(view);
      } catch (e) {
        answer.imagesError = e.message;
      }
    }
    answer.stats = { ...this.last, good: this.good && this.good.step, msPerStep: this.msPerStep ?? NaN };
    return answer;
  }

  /** The pictures now (see `readImages`). */
  images(view) {
    return this.exclusive(() => this.readImages(view));
  }

  /** Keeps the caption in the page's state (the link and a rescued run carry it). */
  setCaption({ caption }) {
    this.page = { ...this.page, caption };
    return true;
  }
}
