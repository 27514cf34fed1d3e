// Two measurements the evaluation lab makes over something that varies: the metrics recorded
// while the image run trains (every N rounds, N sized so that measuring costs at most a tenth
// of the training time), and the truncation sweep (precision, recall and FID at each threshold:
// the fidelity-versus-variety trade-off, measured).

/** What is recorded over training, and on how many samples. */
/** (`share`: the bound on the time spent measuring; intervals are sized for `aim`, below it,
 * since a record's time varies and the run's ms per round is measured over whole frames.) */
export const TRACK = { metrics: ['is', 'fid', 'kid', 'pr'], n: 500, share: 0.1, aim: 0.075, minRounds: 20 };
/** The thresholds of the sweep, loosest first (null: no truncation). */
export const SWEEP = { thresholds: [null, 2, 1.5, 1, 0.75, 0.5, 0.25], n: 1000, metrics: ['pr', 'fid'] };

/**
 * Records TRACK's metrics of the image run while it trains. After each record, with `e` the
 * longest of the last three records' times, the next waits for at least `e * (1 - aim) / aim` ms
 * of training (and TRACK.minRounds rounds), so measuring costs less than `share` of the time; `every` is the resulting interval in
 * rounds, re-estimated each time from the run's measured ms per round (the first interval is
 * TRACK.minRounds: the first record's time includes making the evaluator).
 */
export class TrainingTrack extends EventTarget {
  constructor(evalLab) {
    super();
    this.lab = evalLab;
    this.images = evalLab.images;
    this.on = true;
    this.clear();
    this.images.addEventListener('configured', () => this.clear());
    this.images.addEventListener('step', (e) => this.maybeRecord(e.detail.step));
  }

  clear() {
    /** @type {{step: number, is: number, fid: number, kid: number, precision: number, recall: number, ms: number}[]} */
    this.records = [];
    this.nextAt = 0;
    this.every = null;
    this.trainedFrom = null;
    this.dispatchEvent(new CustomEvent('records', { detail: this.records }));
  }

  /** ms per round of the run, as measured while it plays (null before any). */
  msPerRound() {
    const r = this.images.rate;
    return r && r.steps > 0 ? r.ms / r.steps : null;
  }

  maybeRecord(step) {
    if (!this.on || this.pending || !this.images.playing || step < this.nextAt || this.lab.busy) return;
    this.pending = this.record(step).finally(() => { this.pending = null; });
  }

  /** Measures the run now; resolves to the record. */
  async record(step = this.images.last.step) {
    const t0 = performance.now();
    const f = await this.lab.evaluate({ run: 'current', n: TRACK.n, metrics: TRACK.metrics });
    const ms = performance.now() - t0;
    const rec = { step: f.step ?? step, is: f.is.mean, fid: f.fid, kid: f.kid.mean, precision: f.precision, recall: f.recall, ms };
    if (this.records.length && this.records[this.records.length - 1].step === rec.step) return rec;
    this.records.push(rec);
    const perRound = this.msPerRound();
    const recent = this.records.slice(1).slice(-3).map((r) => r.ms);
    const trainMs = Math.max(...recent) * (1 - TRACK.aim) / TRACK.aim;
    // The first record's time includes making the evaluator (once per page): the second comes
    // after TRACK.minRounds, and each later interval is sized from the last record's time.
    const first = this.records.length === 1;
    this.every = first || !perRound ? TRACK.minRounds : Math.max(TRACK.minRounds, Math.ceil(trainMs / perRound));
    this.nextAt = rec.step + this.every;
    this.dispatchEvent(new CustomEvent('records', { detail: this.records }));
    return rec;
  }

  /**
   * The measured share of time spent measuring over the intervals the rule sized (from the
   * second record on; null before a third): evaluations over evaluations plus training.
   */
  costShare() {
    const perRound = this.msPerRound();
    const r = this.records;
    if (!perRound || r.length < 3) return null;
    const evalMs = r.slice(2).reduce((sum, x) => sum + x.ms, 0);
    const trainMs = (r[r.length - 1].step - r[1].step) * perRound;
    return evalMs / (evalMs + trainMs);
  }

  /** The records as CSV (`step,is,fid,kid,precision,recall,ms`). */
  csv() {
    const keys = ['step', 'is', 'fid', 'kid', 'precision', 'recall', 'ms'];
    return `${[keys.join(','), ...this.records.map((r) => keys.map((k) => r[k]).join(','))].join('\n')}\n`;
  }
}

/**
 * The truncation sweep: precision, recall and FID of `n` of the run's samples at each threshold
 * (SWEEP.thresholds). `onProgress(done, total)` follows each threshold. Resolves to rows
 * {truncation, precision, recall, fid}.
 */
export async function truncationSweep(lab, { n = SWEEP.n, thresholds = SWEEP.thresholds, onProgress = () => {} } = {}) {
  if (!Array.isArray(thresholds) || thresholds.length === 0 || thresholds.some((t) => t !== null && !(t >= 0.05 && t <= 10))) {
    throw new Error(`thresholds: a list of null (no truncation) or numbers from 0.05 to 10, not ${JSON.stringify(thresholds)}`);
  }
  const rows = [];
  for (const [i, t] of thresholds.entries()) {
    onProgress(i, thresholds.length);
    const f = await lab.evaluate({ run: 'current', n, metrics: SWEEP.metrics, truncation: t });
    rows.push({ truncation: t, step: f.step, precision: f.precision, recall: f.recall, fid: f.fid });
  }
  onProgress(thresholds.length, thresholds.length);
  return rows;
}
