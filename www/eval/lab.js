// The evaluation lab's controller: measures a sample set (the image lab's current run, a saved
// image run, or a set made without a generator) with the metrics of src/eval/, one metric per
// engine call so that a progress bar can follow, and places it beside baselines measured the
// same way (training digits, one digit only, noise), cached per sample count.

/** The metrics, in the order the table lists them. */
export const METRICS = ['is', 'fid', 'kid', 'parzen', 'pr', 'dc', 'digits'];
/** Sample counts offered (the KID-versus-FID bias shows across them). */
export const COUNTS = [500, 1000, 2000, 5000];
/** The baselines beside every figure: real digits (the floor), one digit only, noise. */
export const BASELINE_SETS = [
  { source: 'train', title: 'training digits' },
  { source: 'digit1', title: 'one digit only (1s)' },
  { source: 'noise', title: 'uniform noise' },
];

export class EvalLab extends EventTarget {
  /**
   * @param {import('../image/lab.js').ImageLab} images
   * @param {() => Promise<void>} ensureRun starts the image lab's run if it has none (every
   *   evaluation is an operation of its session)
   */
  constructor(images, ensureRun) {
    super();
    this.images = images;
    this.ensureRun = ensureRun;
    this.baselines = new Map();
    this.busy = 0;
  }

  /**
   * The figures of `n` samples of `run` ('current': the image run; 'file': the saved run
   * `bytes`; or 'train', 'test', 'digitK', 'noise') against the held-out digits, for `metrics`
   * (METRICS' names, an array or a comma-separated string). `onProgress(done, total, what)`
   * follows each step. Resolves to {source, samples, step, <figures>} (see `images eval`).
   */
  async evaluate({ run = 'current', n = 2000, metrics = METRICS, seed = 0, truncation, bytes = null, onProgress = () => {} } = {}) {
    const list = Array.isArray(metrics) ? metrics : String(metrics).split(',').map((m) => m.trim()).filter(Boolean);
    const bad = list.filter((m) => !METRICS.includes(m));
    if (bad.length || list.length === 0) {
      throw new Error(`metrics: some of ${METRICS.join(', ')}, not ${JSON.stringify(bad.length ? bad : list)}`);
    }
    await this.ensureRun();
    const session = this.images.session;
    const source = run === 'current' ? 'run' : run;
    const trunc = truncation === undefined ? this.images.page.truncation : truncation;
    // Evaluations queue behind each other (and behind the run's frames): `busy` counts them, so
    // that the recorder over training never adds one while another waits.
    this.busy += 1;
    try {
      return await this.images.exclusive(async () => {
        onProgress(0, list.length + 1, 'samples and their features');
        const prepared = await session.evalPrepare({ source, n, seed, truncation: trunc, bytes });
        const figures = { source: run, step: prepared.step, samples: prepared.count };
        for (const [i, m] of list.entries()) {
          onProgress(i + 1, list.length + 1, m);
          Object.assign(figures, await session.evalMetric({ metric: m, seed }));
        }
        onProgress(list.length + 1, list.length + 1, 'done');
        return figures;
      });
    } finally {
      this.busy -= 1;
    }
  }

  /** The baselines' figures for `n` samples and `metrics` (measured once per count). */
  async baselinesFor(n, metrics = METRICS, onProgress = () => {}) {
    const out = [];
    for (const [i, b] of BASELINE_SETS.entries()) {
      const key = `${b.source}:${n}:${metrics.join(',')}`;
      if (!this.baselines.has(key)) {
        this.baselines.set(key, await this.evaluate({
          run: b.source, n, metrics, onProgress: (d, t) => onProgress(i * t + d, BASELINE_SETS.length * t),
        }));
      }
      out.push({ ...b, figures: this.baselines.get(key) });
    }
    return out;
  }
}
