// The CycleGAN lab's session in the engine: one run between MNIST (domain A) and the UCI digits
// (domain B), its rows on fixed test digits (A -> G(A) -> F(G(A)) and B -> F(B) -> G(F(B))),
// refreshed with the frames that are due, and translations of what a person draws.

import { CYCLE_PAGE_DEFAULTS, CYCLE_SNAPSHOTS, CYCLE_VIEW, splitCycleConfig } from '../core/state.js';
import { Session } from './session.js';

/** Pixels of a 28 x 28 digit. */
const PIXELS = 784;

export class CycleSession extends Session {
  constructor(host, id) {
    super(host, id, CYCLE_SNAPSHOTS);
    this.kind = 'cycle';
    this.page = { ...CYCLE_PAGE_DEFAULTS };
    this.lastRowsAt = 0;
    this.last = null;
  }

  /** Both domains' assets: a promise of [MNIST bytes, UCI bytes]. */
  domains() {
    return Promise.all([
      this.host.asset('mnist.bin', 'the MNIST digits'),
      this.host.asset('optdigits.bin', 'the UCI digits (CycleGAN\'s second domain)'),
    ]);
  }

  /** Starts the run (see `Session.startFrom`); resolves to {notices, rows, n, losses}. */
  start(args) {
    this.domains();
    return this.startFrom(args, { pageDefaults: CYCLE_PAGE_DEFAULTS, validate: 'validateCycleConfig', noun: 'CycleGAN' });
  }

  /** A fresh run of `config` (engine and page keys; page keys left out keep `page`'s). */
  async create(config, page = null) {
    const split = splitCycleConfig(config, { ...CYCLE_PAGE_DEFAULTS, ...(page || {}) });
    const [mnist, uci] = await this.domains();
    await this.adopt(split.page.backend, async (mod, backend) => ({ main: await mod.CycleGanTrainer.create(split.engine, backend, mnist, uci) }));
    this.page = split.page;
    this.wanted = split.page.backend;
  }

  /** The run saved in `bytes`, on `wanted`, with `learningRates` ({lrD, lrG}) if given. */
  async restore(bytes, wanted, learningRates) {
    const [mnist, uci] = await this.domains();
    await this.adopt(wanted, async (mod, backend) => {
      const main = await Session.loaded(() => mod.CycleGanTrainer.load(bytes, backend, mnist, uci), learningRates);
      return { main };
    });
    this.info.reason = `a loaded run: ${this.info.reason}`;
    this.wanted = wanted;
  }

  describe() {
    return { ...super.describe(), params: Array.from(this.run.main.parameterCounts()) };
  }

  /** What the lab shows of a run that (re)started here: the rows and the last losses. */
  async after() {
    this.lastRowsAt = 0;
    const main = this.run.main;
    this.last = main.stepCount() > 0 ? await this.guard(() => main.losses()) : null;
    return { rows: await this.readRows(), n: CYCLE_VIEW.rows, losses: this.last };
  }

  async readRows() {
    this.lastRowsAt = performance.now();
    return this.guard(() => this.run.main.rows(CYCLE_VIEW.rows));
  }

  /** After the frame's rounds: the rows (`readouts`: 'always', or 'due' every CYCLE_VIEW.everyMs). */
  async endFrame(answer, { readouts = 'always' }) {
    if (readouts === 'always' || (readouts === 'due' && performance.now() - this.lastRowsAt > CYCLE_VIEW.everyMs)) {
      answer.rows = await this.readRows();
    }
    answer.stats = { ...this.last, good: this.good && this.good.step, msPerStep: this.msPerStep ?? NaN };
    return answer;
  }

  /** The rows now: {rows, n}. */
  rows() {
    return this.exclusive(async () => ({ rows: await this.readRows(), n: CYCLE_VIEW.rows }));
  }

  /**
   * `pixels` (784 per image, in [0, 1]) translated to domain `to` ('b': by G, 'a': by F) and
   * back: {there, back}, each 784 per image.
   */
  translate({ pixels, to }) {
    return this.exclusive(() => this.guard(async () => {
      const v = await this.run.main.translate(Float32Array.from(pixels), to);
      const n = v.length / 2;
      return { there: v.slice(0, n), back: v.slice(n), count: n / PIXELS };
    }));
  }
}
