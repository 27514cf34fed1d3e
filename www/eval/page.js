// The evaluation lab's page: pick a sample set, a count and the metrics, press Evaluate; a
// progress bar follows the engine's steps, then a table lists every figure beside the same
// figures for training digits (the floor a generator can reach), one digit only and noise.

import { download } from '../app/download.js';
import { SeriesChart } from '../views/series.js';
import { METRICS } from './lab.js';
import { mountQuiz } from './quiz-page.js';
import { EVAL_DEFAULTS } from './settings.js';
import { SWEEP, TRACK, TrainingTrack, truncationSweep } from './tracks.js';

/** The table's rows: label, which way is better, and how to read the figure from a result. */
const ROWS = [
  { metric: 'is', label: 'Inception Score', better: '↑ (10 at most)', get: (f) => f.is && `${f.is.mean.toFixed(2)} ± ${f.is.sd.toFixed(2)}` },
  { metric: 'fid', label: 'FID', better: '↓ (0 best)', get: (f) => f.fid !== undefined && f.fid.toFixed(2) },
  { metric: 'kid', label: 'KID', better: '↓ (≈ 0 best; unbiased, can dip below 0)', get: (f) => f.kid && `${f.kid.mean.toFixed(3)} ± ${f.kid.sd.toFixed(3)}` },
  { metric: 'parzen', label: 'Parzen log-likelihood (nats)', better: '↑ (misleading: see About)', get: (f) => f.parzen && `${f.parzen.mean.toFixed(1)} ± ${f.parzen.se.toFixed(1)} (σ ${f.parzen.sigma.toFixed(3)})` },
  { metric: 'pr', label: 'precision (fidelity)', better: '↑ (1 best)', get: (f) => f.precision !== undefined && f.precision.toFixed(3) },
  { metric: 'pr', label: 'recall (variety)', better: '↑ (1 best)', get: (f) => f.recall !== undefined && f.recall.toFixed(3) },
  { metric: 'dc', label: 'density', better: '↑ (≈ 1 for real data)', get: (f) => f.density !== undefined && f.density.toFixed(3) },
  { metric: 'dc', label: 'coverage', better: '↑ (1 best)', get: (f) => f.coverage !== undefined && f.coverage.toFixed(3) },
  { metric: 'digits', label: 'digits covered (entropy, bits)', better: '↑ (10, 3.32 bits)', get: (f) => f.digits && `${f.digits.covered} (${f.digits.entropyBits.toFixed(2)})` },
];

/**
 * Wires the evaluation section to `lab` (an EvalLab); `ensureRun()` resolves once the image
 * lab has a run (the generator a 'current' evaluation samples). `settings` (see settings.js)
 * set the controls; `onSettings()` hears each change of them.
 */
export function mountEvalLab(lab, ensureRun, settings = EVAL_DEFAULTS, onSettings = () => {}) {
  const $ = (id) => document.getElementById(id);
  const status = (t) => { $('ev-status').textContent = t; };
  const showError = (msg) => {
    $('ev-error').hidden = !msg;
    $('ev-error').textContent = msg ? `Evaluation: ${msg}` : '';
  };
  let fileBytes = null;

  $('ev-source').value = settings.source;
  $('ev-n').value = String(settings.n);
  for (const m of METRICS) $(`ev-m-${m}`).checked = settings.metrics.split(',').includes(m);
  $('quiz-mode').value = settings.quiz;
  $('quiz-exposure').value = String(settings.exposure);
  $('quiz-seed').value = String(settings.seed);
  /** The controls' settings, for the link (a file is not linkable: the current run stands in). */
  const current = () => ({
    source: $('ev-source').value === 'file' ? 'current' : $('ev-source').value,
    n: Number($('ev-n').value),
    metrics: METRICS.filter((m) => $(`ev-m-${m}`).checked).join(',') || EVAL_DEFAULTS.metrics,
    quiz: $('quiz-mode').value,
    exposure: Number($('quiz-exposure').value),
    seed: Number($('quiz-seed').value) || 0,
  });
  for (const id of ['ev-source', 'ev-n', 'quiz-mode', 'quiz-exposure', 'quiz-seed', ...METRICS.map((m) => `ev-m-${m}`)]) {
    $(id).addEventListener('change', () => onSettings());
  }
  $('ev-source').addEventListener('change', () => {
    if ($('ev-source').value === 'file') $('ev-file').click();
  });
  $('ev-file').addEventListener('change', async () => {
    const f = $('ev-file').files[0];
    if (!f) return;
    fileBytes = new Uint8Array(await f.arrayBuffer());
    $('ev-file-name').textContent = f.name;
  });

  function chosenMetrics() {
    return METRICS.filter((m) => $(`ev-m-${m}`).checked);
  }

  function render(result, baselines) {
    const head = $('ev-table').tHead.rows[0];
    head.replaceChildren(...['metric', describe(result), ...baselines.map((b) => b.title)]
      .map((t) => Object.assign(document.createElement('th'), { textContent: t })));
    const rows = ROWS.filter((r) => result[r.metric === 'pr' ? 'precision' : r.metric === 'dc' ? 'density' : r.metric] !== undefined);
    $('ev-table').tBodies[0].replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.metric = `${r.label} ${r.better[0]}`;
      const cells = [`${r.label} ${r.better[0]}`, r.get(result) || '—', ...baselines.map((b) => r.get(b.figures) || '—')];
      tr.replaceChildren(...cells.map((t, i) => Object.assign(document.createElement(i === 0 ? 'th' : 'td'), { textContent: t })));
      tr.cells[0].title = `better: ${r.better}`;
      return tr;
    }));
    $('ev-table').hidden = false;
  }

  function describe(r) {
    const names = { current: 'this run', file: 'the saved run', train: 'training digits', test: 'held-out digits', noise: 'noise' };
    const name = names[r.source] || (r.source.startsWith('digit') ? `only ${r.source.slice(5)}s` : r.source);
    return r.step === null || r.step === undefined ? `${name} (${r.samples})` : `${name}, round ${r.step} (${r.samples})`;
  }

  $('ev-run').addEventListener('click', async () => {
    showError(null);
    const run = $('ev-source').value;
    const n = Number($('ev-n').value);
    const metrics = chosenMetrics();
    if (run === 'file' && !fileBytes) {
      showError('choose a saved image run (.ganimg) first');
      return;
    }
    const bar = $('ev-progress');
    bar.hidden = false;
    $('ev-run').disabled = true;
    try {
      const progress = (part) => (d, t, what) => {
        bar.value = part[0] + (part[1] - part[0]) * (d / t);
        if (what) status(`measuring: ${what}`);
      };
      const result = await lab.evaluate({ run, n, metrics, bytes: fileBytes, onProgress: progress([0, 0.4]) });
      status('measuring the baselines (once per sample count)');
      const baselines = await lab.baselinesFor(n, metrics, progress([0.4, 1]));
      render(result, baselines);
      status(`${result.samples} samples measured against the held-out digits`);
    } catch (e) {
      showError(e.message);
      status('');
    } finally {
      bar.hidden = true;
      $('ev-run').disabled = false;
    }
  });
  const track = mountTrack(lab, $);
  const sweep = mountSweep(lab, $, showError);
  const quiz = mountQuiz(lab.images, ensureRun, showError);
  return { render, track, sweep, quiz, settings: current };
}

/** The metrics-over-training charts, fed by a TrainingTrack. */
function mountTrack(lab, $) {
  const track = new TrainingTrack(lab);
  const xLabel = (pts) => `round ${pts[pts.length - 1].step}`;
  const charts = [
    new SeriesChart($('ev-chart-fid'), { title: 'FID over rounds (↓)', series: [{ key: 'fid', color: '#c2410c', label: 'FID' }], refs: [{ value: 0, label: '0' }], xLabel }),
    new SeriesChart($('ev-chart-kid'), { title: 'KID over rounds (↓)', series: [{ key: 'kid', color: '#b45309', label: 'KID' }], refs: [{ value: 0, label: '0' }], xLabel }),
    new SeriesChart($('ev-chart-is'), { title: 'Inception Score over rounds (↑)', series: [{ key: 'is', color: '#7c3aed', label: 'IS' }], xLabel }),
    new SeriesChart($('ev-chart-pr'), { title: 'fidelity and variety (↑)', series: [{ key: 'precision', color: '#0f8a6c', label: 'precision' }, { key: 'recall', color: '#2563eb', label: 'recall' }], fixed: [0, 1], xLabel }),
  ];
  track.addEventListener('records', (e) => {
    const records = e.detail;
    for (const c of charts) {
      c.clear();
      for (const r of records) c.push(r.step, r);
      c.draw();
    }
    const share = track.costShare();
    $('ev-track-note').textContent = records.length === 0 ? 'no records yet: train the image run'
      : `${records.length} records, every ${track.every} rounds on ${TRACK.n} samples` +
        (share === null ? '' : `; measuring took ${(100 * share).toFixed(1)} % of the time`);
  });
  $('ev-track').addEventListener('change', () => { track.on = $('ev-track').checked; });
  $('ev-track-csv').addEventListener('click', () => download('metrics-over-training.csv', new Blob([track.csv()], { type: 'text/csv' })));
  for (const c of charts) c.draw();
  return track;
}

/** The truncation sweep's button and charts. */
function mountSweep(lab, $, showError) {
  const x = (t) => (t === null ? 2.5 : t);
  const xLabel = () => 'threshold: 0.25 … 2, none (right)';
  const prChart = new SeriesChart($('ev-sweep-pr'), { title: 'precision and recall by threshold', series: [{ key: 'precision', color: '#0f8a6c', label: 'precision' }, { key: 'recall', color: '#2563eb', label: 'recall' }], fixed: [0, 1], xLabel });
  const fidChart = new SeriesChart($('ev-sweep-fid'), { title: 'FID by threshold (↓)', series: [{ key: 'fid', color: '#c2410c', label: 'FID' }], xLabel });
  const show = (rows) => {
    for (const c of [prChart, fidChart]) {
      c.clear();
      for (const r of [...rows].sort((a, b) => x(a.truncation) - x(b.truncation))) c.push(x(r.truncation), { precision: r.precision, recall: r.recall, fid: r.fid });
      c.draw();
    }
  };
  show([]);
  const run = async (opts = {}) => {
    const bar = $('ev-sweep-progress');
    bar.hidden = false;
    try {
      const rows = await truncationSweep(lab, { ...opts, onProgress: (d, t) => { bar.value = d / t; } });
      show(rows);
      return rows;
    } finally {
      bar.hidden = true;
    }
  };
  $('ev-sweep').addEventListener('click', () => {
    showError(null);
    $('ev-sweep').disabled = true;
    run().catch((e) => showError(e.message)).finally(() => { $('ev-sweep').disabled = false; });
  });
  return { run, thresholds: SWEEP.thresholds };
}
