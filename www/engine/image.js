// The image lab's session in the engine: one MNIST run, the sample grid's fixed latents and the
// pad's anchors (they stay here: the page gets their images, and their numbers only to show
// them), the digit classifier's verdicts, and paths through latent space. It trains in frames:
// with each, the grid's images when they are due (every 600 ms while playing, after every
// request otherwise) and the classifier's verdict every 10 s while playing.

import { decodeHash } from '../core/link.js';
import {
  GRID_EVERY_MS, HELD_OUT, IMAGE_PAGE_DEFAULTS, IMAGE_SNAPSHOTS, JUDGE, SECTIONS, checkTruncation, gridShape,
  reachOf, splitImageConfig,
} from '../core/state.js';
import { Session } from './session.js';
import {
  BASELINES, checkCount, generatorSamples, machineAnswers, theEvaluator,
} from './evaluate.js';

/** The shipped digit classifier on the CPU build, loaded once. */
let judge = null;
function digitJudge(host) {
  if (!judge) {
    judge = (async () => {
      const [mod, bytes] = await Promise.all([host.cpuBuild(), host.asset('classifier.bin', 'the digit classifier')]);
      return mod.DigitJudge.load(bytes);
    })();
    judge.catch(() => { judge = null; });
  }
  return judge;
}

export class ImageSession extends Session {
  constructor(host, id) {
    super(host, id, IMAGE_SNAPSHOTS);
    this.kind = 'image';
    this.page = { ...IMAGE_PAGE_DEFAULTS };
    this.lastGridAt = 0;
    this.lastScoreAt = 0;
    this.lastHeldOutAt = 0;
  }

  digits() {
    return this.host.asset('mnist.bin', 'the MNIST digits');
  }

  /**
   * Starts the run from `bytes` (a saved image run), from `config`, or from a link's text `link`
   * (each bad setting left out, with a notice). Resolves to {notices, ...} with what the lab
   * shows first (see `after`).
   */
  async start({ config = {}, link = null, bytes = null, learningRates = null, page = null }) {
    const notices = [];
    // The digits download while the build loads.
    this.digits();
    if (bytes) {
      this.page = { ...IMAGE_PAGE_DEFAULTS, ...(page || {}) };
      await this.restore(bytes, this.page.backend, learningRates);
    } else {
      if (link !== null) {
        const mod = await this.host.cpuBuild();
        const defaults = { ...mod.validateImageConfig({}), ...IMAGE_PAGE_DEFAULTS };
        const decoded = decodeHash(link, defaults, (c) => mod.validateImageConfig(c), SECTIONS.image);
        notices.push(...decoded.notices.map((n) => `image run: ${n.replace(/setting "/, `setting "${SECTIONS.image.prefix}`)}`));
        config = decoded.config;
      }
      try {
        await this.create(config, page);
      } catch (e) {
        if (link === null) throw e;
        notices.push(`the link's image-run settings were not used: ${e.message}`);
        await this.create({});
      }
    }
    return { notices, ...(await this.after()) };
  }

  /** A fresh run of `config` (engine and page keys; page keys left out keep `page`'s). */
  async create(config, page = null) {
    const split = splitImageConfig(config, { ...IMAGE_PAGE_DEFAULTS, ...(page || {}) });
    const digits = await this.digits();
    await this.adopt(split.page.backend, async (mod, backend) => ({ main: await mod.ImageGanTrainer.create(split.engine, backend, digits) }));
    this.page = split.page;
    this.wanted = split.page.backend;
  }

  /** The run saved in `bytes`, on `wanted`, with `learningRates` ({lrD, lrG}) if given. */
  async restore(bytes, wanted, learningRates) {
    const digits = await this.digits();
    await this.adopt(wanted, async (mod, backend) => {
      const main = await Session.loaded(() => mod.ImageGanTrainer.load(bytes, backend, digits), learningRates);
      return { main };
    });
    this.info.reason = `a loaded run: ${this.info.reason}`;
    this.wanted = wanted;
  }

  describe() {
    return { ...super.describe(), params: Array.from(this.run.main.parameterCounts()) };
  }

  /** What the lab shows of a run that (re)started here: real digits, the grid, the anchors. */
  async after() {
    const main = this.run.main;
    this.gridLatents = this.viewLatents(this.page.truncation);
    // A conditional run's anchors: three digits (0, 3 and 7) in three styles.
    const cells = gridShape(main.config()).cols === 10 ? [0, 31, 72] : [0, 1, 2];
    this.anchors = cells.map((i) => ({ latent: this.gridLatent(i), source: 'grid', index: i }));
    this.last = null;
    this.lastScoreAt = 0;
    this.lastHeldOutAt = 0;
    const semi = this.semi() ? { labelled: main.labelledImages(), heldOut: await this.heldOut() } : {};
    return { real: main.realImages(64), gridLatents: this.gridLatents, gridPixels: await this.readGrid(), anchors: this.anchors, ...semi };
  }

  /** Whether the run is an SGAN's (its D classifies digits; a baseline trains beside it). */
  semi() {
    return this.run.main.config().family === 'sgan';
  }

  /** An SGAN run's D and baseline on the test digits (see ImageGanTrainer.heldOut). */
  async heldOut() {
    this.lastHeldOutAt = performance.now();
    return this.guard(() => this.run.main.heldOut());
  }

  /**
   * The sample grid's fixed latents with truncation `t` (null: none): 64 of them, or a
   * conditional run's 10 columns, each given every digit (a row per digit).
   */
  viewLatents(t) {
    const main = this.run.main;
    const shape = gridShape(main.config());
    return shape.cols === 10 ? main.labelRows(shape.cols, t ?? undefined) : main.viewLatents(shape.n, t ?? undefined);
  }

  /** Latent `i` of the sample grid. */
  gridLatent(i) {
    const d = this.run.main.config().zDim;
    return this.gridLatents.slice(i * d, (i + 1) * d);
  }

  async readGrid() {
    this.lastGridAt = performance.now();
    return this.guard(() => this.run.main.images(this.gridLatents));
  }

  /**
   * After the frame's rounds: the grid's images (`grid`: 'always', or 'due' every 600 ms) and,
   * with `judge`, the classifier's verdict every 10 s.
   */
  async endFrame(answer, { grid = 'always', judge: judging = false }) {
    if (grid === 'always' || (grid === 'due' && performance.now() - this.lastGridAt > GRID_EVERY_MS)) {
      answer.grid = await this.readGrid();
    }
    if (judging && performance.now() - this.lastScoreAt > JUDGE.everyMs) answer.score = await this.judge();
    if (judging && this.semi() && performance.now() - this.lastHeldOutAt > HELD_OUT.everyMs) answer.heldOut = await this.heldOut();
    answer.stats = { ...this.last, good: this.good && this.good.step, msPerStep: this.msPerStep ?? NaN };
    return answer;
  }

  /**
   * The digit classifier's verdict on JUDGE.samples fixed samples (see DigitJudge.score); for
   * a conditional run, on 26 columns of latents each given every digit, with the share named
   * as the digit asked for (`intended`).
   */
  async judge() {
    this.lastScoreAt = performance.now();
    const main = this.run.main;
    const t = this.page.truncation ?? undefined;
    // A conditional run: the grid's columns and more, each asked for every digit.
    const columns = Math.ceil(JUDGE.samples / 10);
    const labelled = gridShape(main.config()).cols === 10;
    const latents = labelled ? main.labelRows(columns, t) : main.seededLatents(JUDGE.samples, JUDGE.seed, t);
    const [j, pixels] = await Promise.all([digitJudge(this.host), this.guard(() => main.images(latents))]);
    const labels = labelled ? Uint8Array.from({ length: 10 * columns }, (_, k) => Math.floor(k / columns)) : undefined;
    return { step: main.stepCount(), ...(await j.score(pixels, labels)) };
  }

  /** The classifier's verdict now. */
  score() {
    return this.exclusive(() => this.judge());
  }

  /** An SGAN run's held-out accuracy now (its D's and the baseline's). */
  accuracy() {
    return this.exclusive(() => {
      if (!this.semi()) throw new Error('held-out accuracy is measured for an SGAN run (GAN: semi-supervised), whose D classifies digits');
      return this.heldOut();
    });
  }

  /**
   * G's images of `latents`, or of `n` latents drawn with `seed` (and `truncation`); with
   * `grid: true`, the sample grid's (its latents stay here: the answer has only the pixels).
   */
  images({ grid = false, latents = null, seed = 0, n = 1, truncation = this.page.truncation }) {
    if (grid) return this.exclusive(async () => ({ pixels: await this.readGrid() }));
    return this.exclusive(() => this.guard(async () => {
      const main = this.run.main;
      const z = latents ? Float32Array.from(latents) : main.seededLatents(n, seed ?? 0, truncation ?? undefined);
      return { latents: z, pixels: await main.images(z) };
    }));
  }

  /** Redraws the grid's latents with threshold `t` (null: none); grid anchors follow. */
  setTruncation({ t }) {
    checkTruncation(t);
    return this.exclusive(async () => {
      this.gridLatents = this.viewLatents(t);
      this.page = { ...this.page, truncation: t };
      for (const a of this.anchors) {
        if (a.source !== 'grid') continue;
        a.latent = this.gridLatent(a.index);
        delete a.own;
        delete a.digit;
      }
      return { gridLatents: this.gridLatents, gridPixels: await this.readGrid(), anchors: this.anchors };
    });
  }

  /** Makes grid sample `index` anchor `which` (0 = A, 1 = B, 2 = C). */
  setAnchor({ which, index }) {
    return this.exclusive(() => {
      const { n } = gridShape(this.run.main.config());
      if (![0, 1, 2].includes(which) || !Number.isInteger(index) || index < 0 || index >= n) {
        throw new Error(`an anchor is 0, 1 or 2 and a grid sample 0 to ${n - 1}, not ${JSON.stringify([which, index])}`);
      }
      this.anchors[which] = { latent: this.gridLatent(index), source: 'grid', index };
      return this.anchors;
    });
  }

  /**
   * A conditional run's anchors all asked for `digit` (0-9): the pad's plane and the filmstrip
   * then stay inside one class, the style alone changing; null gives each anchor its own digit
   * back (paths cross between digits through the label).
   */
  setAnchorDigit({ digit }) {
    return this.exclusive(() => {
      const main = this.run.main;
      if (gridShape(main.config()).cols !== 10) throw new Error('the anchors have a digit only in a conditional run (GAN: cGAN or ACGAN)');
      if (digit !== null && !(Number.isInteger(digit) && digit >= 0 && digit <= 9)) {
        throw new Error(`digit: 0 to 9, or null for each anchor's own, not ${JSON.stringify(digit)}`);
      }
      const d = main.config().zDim;
      this.anchors = this.anchors.map((a) => {
        const own = a.own || a.latent;
        if (digit === null) return { latent: own, source: a.source, index: a.index };
        const latent = Float32Array.from(own);
        latent.fill(0, d - 10);
        latent[d - 10 + digit] = 1;
        return { latent, own, digit, source: a.source, index: a.index };
      });
      return this.anchors;
    });
  }

  /** Three fresh anchors from the prior (seeded: the same seed gives the same anchors). */
  randomAnchors({ seed }) {
    return this.exclusive(() => {
      const z = this.run.main.seededLatents(3, seed, this.page.truncation ?? undefined);
      const d = this.run.main.config().zDim;
      this.anchors = [0, 1, 2].map((i) => ({ latent: z.slice(i * d, (i + 1) * d), source: 'random', index: i }));
      return this.anchors;
    });
  }

  /** The anchors' images (A, B, C in order). */
  anchorImages() {
    return this.exclusive(() => this.guard(() => this.run.main.images(this.anchorLatents())));
  }

  anchorLatents() {
    return Float32Array.from(this.anchors.flatMap((a) => Array.from(a.latent)));
  }

  /** The latents and images of pad points `points` ([[u, v], ...]) on the anchors' plane. */
  drawPath({ points, mode }) {
    return this.exclusive(() => this.guard(async () => {
      const mod = await this.host.cpuBuild();
      const latents = mod.pathLatents(this.anchorLatents(), Float32Array.from(points.flat()), mode, reachOf(this.run.main.config().prior));
      return { latents, pixels: await this.run.main.images(latents) };
    }));
  }

  /** `frames` latents from anchor A to anchor B by `mode`, and their images. */
  interpolate({ frames, mode }) {
    return this.exclusive(() => this.guard(async () => {
      const mod = await this.host.cpuBuild();
      const latents = mod.filmstripLatents(this.anchors[0].latent, this.anchors[1].latent, frames, mode);
      return { latents, pixels: await this.run.main.images(latents) };
    }));
  }

  /**
   * Makes the evaluation lab's sample set: `n` samples of `source` ('run': this run's G, from
   * latents drawn with `seed` and `truncation`; 'file': the saved image run `bytes`; or a set
   * without a generator, see BASELINES). Resolves to {count, step}.
   */
  evalPrepare({ source, n, seed = 0, truncation = null, bytes = null }) {
    return this.exclusive(async () => {
      checkCount(n);
      const ev = await theEvaluator(this.host);
      let pixels;
      let step = null;
      if (source === 'run') {
        const main = this.run.main;
        pixels = await this.guard(() => generatorSamples(main, n, seed, truncation));
        step = main.stepCount();
      } else if (source === 'file') {
        const mod = await this.host.cpuBuild();
        const loaded = await mod.ImageGanTrainer.load(bytes, 'cpu', await this.digits());
        try {
          pixels = await generatorSamples(loaded, n, seed, truncation);
          step = loaded.stepCount();
        } finally {
          loaded.free();
        }
      } else if (BASELINES.includes(source)) {
        pixels = ev.baseline(source, n, seed);
      } else {
        throw new Error(`unknown sample set "${source}"; expected run, file, ${BASELINES.join(', ')}`);
      }
      const prepared = await ev.prepare(pixels);
      if (this.evalSet) this.evalSet.free();
      this.evalSet = prepared;
      return { count: prepared.count(), step, source };
    });
  }

  /**
   * The "real or fake?" quiz's images: `n` held-out digits and `n` of this run's samples, both
   * drawn with `seed` (the run's with latents of seed + 7919 and the lab's truncation).
   */
  quizDeck({ seed = 0, n = 50 }) {
    return this.exclusive(async () => {
      if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw new Error(`seed: a whole number from 0 to 2^31, not ${JSON.stringify(seed)}`);
      const ev = await theEvaluator(this.host);
      const main = this.run.main;
      const fake = await this.guard(() => generatorSamples(main, n, seed + 7919, this.page.truncation));
      return { real: ev.baseline('test', n, seed), fake, step: main.stepCount() };
    });
  }

  /**
   * The quiz taken by machines (see machineAnswers) on a deck's images `real` and `fake` (784
   * pixels each, as quizDeck gave them), with the deck's `seed`: {d: {answers, threshold},
   * c2st: {answers, accuracy, pValue, train, test}}, answers for `real`'s
   * images, then `fake`'s.
   */
  quizMachines({ real, fake, seed = 0 }) {
    return this.exclusive(async () => {
      const ev = await theEvaluator(this.host);
      const deck = new Float32Array(real.length + fake.length);
      deck.set(real);
      deck.set(fake, real.length);
      return this.guard(() => machineAnswers(ev, this.run.main, deck, { seed, truncation: this.page.truncation }));
    });
  }

  /** One metric of the prepared set (see Evaluator.metric): {samples, <figures>}. */
  evalMetric({ metric, seed = 0 }) {
    return this.exclusive(async () => {
      if (!this.evalSet) throw new Error('no sample set prepared: evalPrepare first');
      return (await theEvaluator(this.host)).metric(this.evalSet, metric, seed);
    });
  }
}
