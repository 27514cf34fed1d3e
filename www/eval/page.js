// The evaluation lab's page: pick a sample set, a count and the metrics, press Evaluate; a
// progress bar follows the engine's steps, then a table lists every figure beside the same
// figures for training digits (the floor a generator can reach), one digit only and noise.

import { METRICS } from './lab.js';

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
 * lab has a run (the generator a 'current' evaluation samples).
 */
export function mountEvalLab(lab, ensureRun) {
  const $ = (id) => document.getElementById(id);
  const status = (t) => { $('ev-status').textContent = t; };
  const showError = (msg) => {
    $('ev-error').hidden = !msg;
    $('ev-error').textContent = msg ? `Evaluation: ${msg}` : '';
  };
  let fileBytes = null;

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
      if (run === 'current') await ensureRun();
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
  return { render };
}
