// The 2-D labs' session in the engine: a run of the 2-D playground and, for the loss lab, its
// twin (the same config and seed, another generator loss). It starts from a config, a link's
// text (read setting by setting, each checked by the engine) or a saved file; it trains in
// frames, and with each frame reads back what is due: the losses of every chunk, the gradient
// probes every `probeEvery` steps, the theory readouts every `theoryEvery`, and the plane's
// view when the page asks for it. One request and one answer per frame.

import { decodeHash } from '../core/link.js';
import { PAGE_DEFAULTS, SECTIONS, TOY2D_SNAPSHOTS, TOY2D_VIEW, splitConfig, twinConfig } from '../core/state.js';
import { Session } from './session.js';

/** Whether a readout taken every `every` steps (0: never), last at `last` (-1: never), is due at `step`. */
const due = (every, last, step) => every > 0 && (last < 0 || Math.floor(step / every) > Math.floor(last / every));
/** Steps from `step` to the next multiple of `every` (Infinity for 0). */
const stepsTo = (every, step) => (every ? every - (step % every) : Infinity);

export class Toy2dSession extends Session {
  constructor(host, id) {
    super(host, id, TOY2D_SNAPSHOTS);
    this.kind = 'toy2d';
    this.page = { ...PAGE_DEFAULTS };
  }

  /**
   * Starts the run: from `bytes` (a saved run, with `learningRates` if given, on the backend
   * `page.backend` resolves to), or from `config`, or from a link's text `link` (each bad
   * setting left out, with a notice). Resolves to {notices, real, first} (`first`: the step-0
   * readouts and view).
   */
  async start({ config = {}, link = null, bytes = null, learningRates = null, page = null }) {
    const notices = [];
    if (bytes) {
      this.page = { ...PAGE_DEFAULTS, ...(page || {}), compare: 'off' };
      await this.restore(bytes, this.page.backend, learningRates);
    } else {
      if (link !== null) {
        const mod = await this.host.cpuBuild();
        const decoded = decodeHash(link, { ...mod.defaultConfig(), ...PAGE_DEFAULTS }, (c) => mod.validateConfig(c), SECTIONS.toy2d);
        notices.push(...decoded.notices);
        config = decoded.config;
      }
      try {
        await this.create(config);
      } catch (e) {
        if (link === null) throw e;
        notices.push(`the link's settings were not used: ${e.message}`);
        await this.create({});
      }
    }
    return { notices, ...(await this.after()) };
  }

  /** What the page needs of a run that (re)started here: its real points and first frame. */
  async after() {
    return { real: this.run.main.realSamples(TOY2D_VIEW.points), first: await this.first() };
  }

  /**
   * A fresh run of `config` (engine and page keys), and its twin if `compare` asks for one:
   * another generator loss, or (compare = 'conditional') the conditional switch flipped.
   */
  async create(config) {
    const { engine, page } = splitConfig(config);
    const next = { ...PAGE_DEFAULTS, ...page };
    await this.adopt(next.backend, async (mod, backend) => {
      const main = await mod.GanTrainer.create(engine, backend);
      try {
        const twin = next.compare !== 'off' ? await mod.GanTrainer.create(twinConfig(main.config(), next.compare), backend) : null;
        return { main, twin };
      } catch (e) {
        main.free();
        throw e;
      }
    });
    this.page = next;
    this.wanted = next.backend;
  }

  /** The run saved in `bytes`, on `wanted`, with `learningRates` ({lrD, lrG}) if given. */
  async restore(bytes, wanted, learningRates) {
    await this.adopt(wanted, async (mod, backend) => {
      const main = await Session.loaded(() => mod.GanTrainer.load(bytes, backend), learningRates);
      return { main, twin: null };
    });
    this.info.reason = `a loaded run: ${this.info.reason}`;
    this.page = { ...this.page, compare: 'off' };
    this.wanted = wanted;
  }

  /** What the page shows of the run besides its frames. */
  describe() {
    return { ...super.describe(), extent: this.run.main.extent() };
  }

  /** The readouts due at the run's first step and its view (a fresh or a loaded run). */
  async first() {
    this.lastProbe = -1;
    this.lastTheory = -1;
    const answer = this.startFrame({});
    await this.readoutsDue(answer);
    answer.view = await this.readView();
    answer.stats = this.stats();
    return answer;
  }

  startFrame() {
    return { losses: [], probes: [], theory: [] };
  }

  async trainChunk(n, request, answer) {
    const { main, twin } = this.run;
    const phase = request.phase || 'both';
    const s = await main.stepPhase(n, phase);
    const t = twin ? await twin.stepPhase(n, phase) : null;
    this.last = s;
    this.twinLast = t;
    answer.losses.push({ ...s, twin: t });
  }

  /** Steps to the next probe or theory readout. */
  untilDue() {
    const step = this.run.main.stepCount();
    return Math.min(stepsTo(this.page.probeEvery, step), stepsTo(this.page.theoryEvery, step));
  }

  async readoutsDue(answer) {
    const { main, twin } = this.run;
    const step = main.stepCount();
    if (due(this.page.probeEvery, this.lastProbe, step)) {
      this.lastProbe = step;
      const [m, t] = await Promise.all([main.probe(), twin ? twin.probe() : null]);
      answer.probes.push({ main: m, twin: t });
    }
    if (due(this.page.theoryEvery, this.lastTheory, step)) {
      this.lastTheory = step;
      // The twin's readouts too, without its D* grid: the mode metrics side by side.
      const [m, t] = await Promise.all([main.theory(TOY2D_VIEW.gridRes), twin ? twin.theory(2) : null]);
      if (t) delete t.dStar;
      answer.theory.push({ ...m, twin: t });
    }
  }

  async endFrame(answer, request) {
    if (request.view) answer.view = await this.readView();
    answer.stats = this.stats();
    return answer;
  }

  /** The run's numbers after a frame. */
  stats() {
    return {
      step: this.run.main.stepCount(),
      lossD: this.last ? this.last.lossD : NaN,
      lossG: this.last ? this.last.lossG : NaN,
      twin: this.twinLast || null,
      msPerStep: this.msPerStep ?? NaN,
      good: this.good && this.good.step,
    };
  }

  /**
   * What the plane shows, for the run and its twin: the generated points with the generator's
   * pull on each (-d cost_G / dx), D on the grid, and G's manifold.
   */
  readView() {
    return this.guard(async () => {
      const { points, gridRes, manifoldRes } = TOY2D_VIEW;
      const read = (t) => (t ? [t.generatorField(points), t.discriminatorGrid(gridRes), t.manifold(manifoldRes)] : [null, null, null]);
      const [arrows, grid, manifold, twinArrows, twinGrid, twinManifold] = await Promise.all([
        ...read(this.run.main), ...read(this.run.twin),
      ]);
      return { arrows, grid, manifold, twinArrows, twinGrid, twinManifold };
    });
  }

  /**
   * Changes the run's live settings (`config`: the whole config, engine and page keys) from
   * the next update on: the engine's (the loss, learning rates, optimisers, k, G steps, batch,
   * penalties) on the run and its twin (which keeps its own generator loss), and the page's
   * (slow motion, speed, probe and readout intervals). The step, weights and logs go on.
   * Rejects, naming the key, for a change that needs a new run or a value out of range; the
   * run is then as it was. Resolves to the full config in force.
   */
  live({ config }) {
    return this.exclusive(async () => {
      const { engine, page } = splitConfig(config);
      const next = { ...this.page, ...page };
      for (const key of ['compare', 'backend']) {
        if (next[key] !== this.page[key]) throw new Error(`${key} cannot change while a run trains: it needs a new run`);
      }
      const { main, twin } = this.run;
      const was = main.config();
      const full = { ...was, ...engine };
      splitConfig({ ...full, ...next }); // a twin needs a cross-entropy loss on both sides
      main.setLive(full);
      if (twin) {
        try {
          twin.setLive(twinConfig(full, next.compare));
        } catch (e) {
          main.setLive(was);
          throw e;
        }
      }
      this.page = next;
      return { full: main.config(), page: this.page };
    });
  }

  /** The plane's view now (see `readView`). */
  view() {
    return this.exclusive(() => this.readView());
  }

  /** `n` generated points (fixed noise: the same fakes on every call), flat. */
  samples({ n }) {
    return this.exclusive(() => this.guard(() => this.run.main.samples(n)));
  }
}
