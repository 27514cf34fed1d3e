// The image lab's SGAN view: held-out accuracy over rounds for the SGAN's D and for the
// baseline (the same network trained as a plain classifier on the labelled digits alone), each
// scored as the moving average of its weights when emaDecay > 0, the
// confusion matrix of the SGAN's D, and the labelled digits it learns from. It draws what the
// ImageLab (www/image/lab.js) emits, and reads the two SGAN controls of the toolbar.

import { ConfusionView } from '../views/confusion.js';
import { drawDigits } from '../views/digits.js';
import { SeriesChart } from '../views/series.js';

/** Odena (2016) reports 92.8 % for an SGAN at 100 labels: the chart's reference line. */
const ODENA = 0.928;

/** The SGAN controls' part of a config (null for the other families: the engine's defaults). */
export function semiControls($, family) {
  if (family !== 'sgan') return {};
  return {
    labelsPerClass: Number($('img-labels').value),
    featureMatching: $('img-fm').value === 'true',
  };
}

/** Shows the SGAN controls for `full`'s family and sets them from it. */
export function fillSemiControls($, full) {
  const semi = full.family === 'sgan';
  $('img-labels-box').hidden = !semi;
  $('img-fm-box').hidden = !semi;
  if (!semi) return;
  const labels = $('img-labels');
  if (![...labels.options].some((o) => Number(o.value) === full.labelsPerClass)) {
    labels.append(new Option(`${10 * full.labelsPerClass} (${full.labelsPerClass} per digit)`, String(full.labelsPerClass)));
  }
  labels.value = String(full.labelsPerClass);
  $('img-fm').value = String(full.featureMatching);
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

/**
 * Wires the SGAN figure to `lab`.
 * @param {import('./lab.js').ImageLab} lab
 */
export function mountSemi(lab, $) {
  const chart = new SeriesChart($('img-acc-chart'), {
    title: 'held-out accuracy on the test digits',
    series: [
      { key: 'sgan', color: '#2563eb', label: "SGAN's D" },
      { key: 'baseline', color: '#b45309', label: 'baseline: same net, labelled digits only' },
    ],
    refs: [{ value: ODENA, label: 'Odena 2016, SGAN at 100 labels: 92.8 %' }, { value: 0.1, label: 'chance' }],
    fixed: [0, 1],
    xLabel: (pts) => `round ${pts[pts.length - 1].step}`,
  });
  const confusion = new ConfusionView($('img-confusion'));

  function draw(h) {
    if (!h) {
      $('img-acc').textContent = 'held-out accuracy: — (measured every 5 s while training, and on pause)';
      confusion.draw(null, { title: "SGAN's D: true digit (row) → call", empty: 'appears once measured' });
      return;
    }
    const gap = h.sgan.accuracy - h.baseline.accuracy;
    $('img-acc').textContent = `held-out accuracy at round ${h.step}: SGAN's D ${pct(h.sgan.accuracy)}, baseline ${pct(h.baseline.accuracy)}` +
      ` (${gap >= 0 ? '+' : '−'}${(100 * Math.abs(gap)).toFixed(1)} points) on ${h.n.toLocaleString('en')} test digits` +
      (h.averaged ? ', both as moving averages of their weights' : '');
    confusion.draw(h.sgan.confusion, { title: "SGAN's D: true digit (row) → call" });
  }

  lab.addEventListener('configured', () => {
    const semi = lab.full.family === 'sgan';
    $('img-semi').hidden = !semi;
    chart.clear();
    if (!semi) return;
    const { pixels, labels } = lab.labelled;
    const perClass = labels.length / 10;
    const cell = Math.max(8, Math.min(32, Math.floor(464 / perClass)));
    const canvas = $('img-labelled');
    canvas.width = Math.max(perClass * cell, 120);
    canvas.height = 10 * cell;
    drawDigits(canvas, pixels, { cols: perClass, cell, n: labels.length });
    $('img-labelled-what').textContent = `The ${labels.length} labelled digits (${perClass} of each, one row per digit, drawn with the seed):` +
      ' all the labels D and the baseline see. The rest of the training digits reach D unlabelled.';
    chart.draw();
    draw(null);
  });
  lab.addEventListener('heldOut', (e) => {
    chart.push(e.detail.step, { sgan: e.detail.sgan.accuracy, baseline: e.detail.baseline.accuracy });
    chart.draw();
    draw(e.detail);
  });
}
