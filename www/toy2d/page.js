// The 2-D labs' page: the controls and the views of the 2-D playground and of the loss lab
// (one run, two views of it), wired to the lab's controller (www/toy2d/lab.js). Controls ->
// controller; controller events -> views. The brush and the files have files of their own.

import { LossChart } from '../views/chart.js';
import { PlanePlot, arrowScale } from '../views/plot.js';
import { ProbeChart } from '../views/probe.js';
import { SeriesChart } from '../views/series.js';
import { TheoryPlot } from '../views/theory.js';
import { TOY2D_VIEW } from '../core/state.js';
import { mountBrush } from './brush.js';
import { mountFiles } from './files.js';
import { LOSSES, renderFormula } from './formulas.js';
import { STRONG_D_PRESET, modePreset } from './presets.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['dataset', 'loss', 'gpWeight', 'r1Weight', 'lrD', 'lrG', 'discOptimizer', 'genOptimizer', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'backend', 'compare', 'probeEvery', 'slowMotion'];
const NUMERIC = new Set(['gpWeight', 'r1Weight', 'lrD', 'lrG', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'probeEvery']);
const BOOLEAN = new Set(['slowMotion']);
const PHASE_BANNER = { d: 'slow motion: D update (G frozen)', g: 'slow motion: G update (D frozen)' };
/**
 * While playing, the status line and the loss charts are redrawn at most every STATUS_MS: each
 * redraw lays the status line out again and repaints a chart, and the engine's frames come
 * faster than a reader can follow. Stepping and pausing draw at once.
 */
const STATUS_MS = 100;

const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/**
 * Wires the 2-D labs' controls and views to `pg`.
 * @param {import('./lab.js').Toy2dLab} pg
 * @param {{showNotices: (list: string[]) => void, beforePlay: () => void}} app the page shell
 */
export function mountToy2d(pg, app) {
  const plot = new PlanePlot($('plane'));
  const chart = new LossChart($('losses'));
  const twinPlot = new PlanePlot($('twin-plane'));
  const twinChart = new LossChart($('twin-losses'));
  const theory = new TheoryPlot($('theory'));
  const probeChart = new ProbeChart($('probe'));
  const vChart = new SeriesChart($('chart-v'), {
    title: 'V(G, D*) — the game\'s value at the optimal D',
    series: [{ key: 'v', color: '#7c3aed', label: 'V(G, D*)' }, { key: 'jsd', color: '#b45309', label: 'JSD' }],
    refs: [{ value: -Math.log(4), label: '−log 4' }, { value: 0, label: '0' }],
  });
  const dChart = new SeriesChart($('chart-dmean'), {
    title: 'learned D, mean over samples',
    series: [{ key: 'real', color: '#0f8a6c', label: 'on real' }, { key: 'fake', color: '#c2410c', label: 'on generated' }],
    refs: [{ value: 0.5, label: '½' }],
    fixed: [0, 1],
  });
  const modeChart = new SeriesChart($('chart-modes'), {
    title: 'mode coverage',
    series: [{ key: 'modes', color: '#2563eb', label: 'modes captured (share)' }, { key: 'hq', color: '#0f8a6c', label: 'high quality (share)' }],
    refs: [{ value: 1, label: 'all' }],
    fixed: [0, 1.05],
  });
  let bestModes = 0;
  let statusDrawn = 0;


  function renderModes(t) {
    const el = $('modes');
    el.replaceChildren();
    if (!t) return;
    const parts = [`V(G, D*) ${t.vOptimal.toFixed(3)} (−log 4 = ${(-Math.log(4)).toFixed(3)}) · JSD ${t.jsd.toFixed(3)}`];
    if (t.modesTotal !== null) {
      parts.unshift(`modes ${t.modesCaptured} / ${t.modesTotal} · high quality ${t.highQualityPct.toFixed(1)} %`);
    }
    el.append(parts.join(' · '));
    if (t.modesTotal !== null && t.modesCaptured < bestModes) {
      const alarm = document.createElement('span');
      alarm.className = 'alarm';
      alarm.id = 'mode-alarm';
      alarm.textContent = `mode collapse: ${bestModes - t.modesCaptured} mode${bestModes - t.modesCaptured > 1 ? 's' : ''} lost`;
      el.append(alarm);
    }
  }

  function showError(msg) {
    const box = $('error');
    box.textContent = msg || '';
    box.hidden = !msg;
    if (!msg) $('resume').hidden = true;
  }

  function fillControls(config) {
    for (const f of FIELDS) {
      if (!(f in config)) continue;
      if (BOOLEAN.has(f)) $(f).checked = Boolean(config[f]);
      // 'flex' is what 'cpu' means now: old links show under its menu entry.
      else $(f).value = f === 'backend' && config[f] === 'flex' ? 'cpu' : String(config[f]);
    }
    const m = config.pack || 1;
    $('pack-note').hidden = m === 1;
    $('pack-m').textContent = String(m);
  }

  /** The run's config with the controls' values over it (and the drawing, for "drawn"). */
  function readControls() {
    const c = { ...pg.config() };
    for (const f of FIELDS) {
      const v = $(f).value;
      c[f] = BOOLEAN.has(f) ? $(f).checked : NUMERIC.has(f) ? Number(v) : v;
    }
    if (c.dataset === 'drawn') c.points = brush.points();
    else delete c.points;
    return c;
  }

  function renderStatus(s) {
    const speed = Number.isFinite(s.msPerStep)
      ? `${fmt(s.msPerStep, 2)} ms/step, ${Math.round(1000 / s.msPerStep)} steps/s`
      : 'not timed yet';
    $('status').textContent =
      `backend: ${s.backend} (${s.backendReason}), ${s.engineThread === 'worker' ? 'in a worker' : `on the ${s.engineThread}`} · step ${s.step} · ${speed} · ` +
      `loss D ${fmt(s.lossD)} · loss G ${fmt(s.lossG)}` +
      (s.gradNormMinimax !== null ? ` · ‖∇G‖ minimax ${s.gradNormMinimax.toExponential(2)}, non-sat. ${s.gradNormNonSaturating.toExponential(2)}` : '');
  }

  function drawStatus(stats) {
    statusDrawn = performance.now();
    chart.draw();
    if (pg.twin) twinChart.draw();
    renderStatus(stats);
  }

  /** Applies `config` as a fresh run, resuming play if it was playing; a refusal is shown and
   * the controls go back to the run in force. */
  function apply(config, { play = pg.playing } = {}) {
    pg.pause();
    return pg.configure(config).then(
      () => { showError(''); if (play) pg.play(); },
      (e) => { showError(e.message); fillControls(pg.config()); },
    );
  }

  const brush = mountBrush(pg, plot, { apply, readControls, showError });
  const lossLabel = (name) => (LOSSES[name] ? LOSSES[name].label : name);

  pg.addEventListener('reset', (e) => {
    showError(''); // a new run: an old run's error no longer applies
    const c = e.detail;
    fillControls(c);
    brush.follow(c);
    renderFormula($('formula'), c.loss);
    const twin = c.compare !== 'off';
    $('twin-figure').hidden = !twin;
    $('twin-losses-figure').hidden = !twin;
    $('plane-title').textContent = `this run: ${lossLabel(c.loss)}`;
    $('twin-title').textContent = twin ? `twin: ${lossLabel(c.compare)}` : 'twin';
    for (const ch of [chart, twinChart, probeChart, vChart, dChart, modeChart]) { ch.clear(); ch.draw(); }
    bestModes = 0;
    renderModes(null);
    plot.dStar = null;
    theory.curves = pg.curves;
    theory.batch = null;
    theory.draw();
    plot.extent = twinPlot.extent = pg.view.extent;
    renderStatus(pg.statsNow());
  });
  pg.addEventListener('view', (e) => {
    const v = e.detail;
    const scale = pg.engineConfig.loss === 'wganGp'; // a critic's values are unbounded
    const arrows = arrowScale([v.arrows, v.twinArrows], v.extent);
    for (const [p, fake, grid, field, manifold] of [
      [plot, v.fake, v.grid, v.arrows, v.manifold],
      [twinPlot, v.twinFake, v.twinGrid, v.twinArrows, v.twinManifold],
    ]) {
      if (!fake || (brush.blank() && p === plot)) continue;
      Object.assign(p, {
        extent: v.extent, real: v.real, fake, arrows: field, arrowScale: arrows, manifold,
        manifoldRes: v.manifoldRes, zDim: v.zDim, banner: v.phase ? PHASE_BANNER[v.phase] : '',
      });
      p.setGrid(grid, TOY2D_VIEW.gridRes, scale);
      p.draw();
    }
  });
  pg.addEventListener('losses', (e) => {
    chart.push(e.detail.step, e.detail.lossD, e.detail.lossG);
    if (e.detail.twin) twinChart.push(e.detail.twin.step, e.detail.twin.lossD, e.detail.twin.lossG);
  });
  pg.addEventListener('theory', (e) => {
    const t = e.detail;
    vChart.push(t.step, { v: t.vOptimal, jsd: t.jsd });
    dChart.push(t.step, { real: t.dRealMean, fake: t.dFakeMean });
    if (t.modesTotal !== null) modeChart.push(t.step, { modes: t.modesCaptured / t.modesTotal, hq: t.highQualityPct / 100 });
    renderModes(t);
    bestModes = Math.max(bestModes, t.modesCaptured ?? 0);
    for (const ch of [vChart, dChart, modeChart]) ch.draw();
    $('bandwidth').textContent = t.bandwidth.toFixed(3);
    plot.dStar = t.dStar;
    plot.draw();
  });
  pg.addEventListener('probe', (e) => {
    probeChart.push(e.detail.main);
    probeChart.draw();
    theory.batch = e.detail.main.dFake;
    theory.draw();
  });
  pg.addEventListener('frame', (e) => {
    if (pg.playing && performance.now() - statusDrawn < STATUS_MS) return;
    drawStatus(e.detail);
  });
  pg.addEventListener('play', () => { $('play').textContent = 'Pause'; });
  pg.addEventListener('pause', () => { $('play').textContent = 'Play'; drawStatus(pg.statsNow()); });
  pg.addEventListener('error', (e) => {
    $('play').textContent = 'Play';
    showError(e.detail);
    const step = /diverged/.test(e.detail) ? pg.resumableStep() : null;
    if (step !== null) {
      const { lrD, lrG } = pg.engineConfig;
      $('resume').textContent = `Resume from step ${step} (the last good state) with the learning rates ÷ 10 (D ${lrD} → ${lrD / 10}, G ${lrG} → ${lrG / 10})`;
      $('resume').hidden = false;
    }
  });
  pg.addEventListener('notice', (e) => {
    showError('');
    app.showNotices([e.detail]);
    renderStatus(pg.statsNow());
  });
  $('resume').addEventListener('click', () => {
    $('resume').hidden = true;
    const { lrD, lrG } = pg.engineConfig;
    pg.resume({ lrD: Math.max(1e-7, lrD / 10), lrG: Math.max(1e-7, lrG / 10) }).then(
      () => { showError(''); pg.play(); },
      (e) => showError(e.message),
    );
  });

  $('play').addEventListener('click', () => {
    if (pg.playing) pg.pause();
    else { app.beforePlay(); pg.play(); }
  });
  $('step').addEventListener('click', () => pg.step(1).catch((e) => showError(e.message)));
  $('step-d').addEventListener('click', () => pg.stepPhase(1, 'd').catch((e) => showError(e.message)));
  $('step-g').addEventListener('click', () => pg.stepPhase(1, 'g').catch((e) => showError(e.message)));
  for (const radio of document.querySelectorAll('input[name=surface]')) {
    radio.addEventListener('change', () => { plot.surface = radio.value; plot.draw(); });
  }
  $('reset').addEventListener('click', () => {
    if (brush.blank()) return; // nothing drawn yet
    const was = pg.playing;
    pg.pause();
    pg.reset().then(() => { showError(''); if (was) pg.play(); }, (e) => showError(e.message));
  });
  for (const f of FIELDS) {
    $(f).addEventListener('change', () => {
      if (f === 'dataset' && $(f).value === 'drawn' && !brush.hasDrawing()) {
        brush.start();
        return;
      }
      apply(readControls());
    });
  }
  for (const layer of ['heatmap', 'real', 'fake', 'manifold', 'arrows']) {
    $(`show-${layer}`).addEventListener('change', (e) => {
      for (const p of [plot, twinPlot]) { p.show[layer] = e.target.checked; p.draw(); }
    });
  }
  $('preset-modes').addEventListener('click', () => {
    const config = pg.config();
    apply({ ...config, ...modePreset(config.dataset) }, { play: true });
  });
  $('preset-strong-d').addEventListener('click', () => {
    apply({ ...pg.config(), ...STRONG_D_PRESET }, { play: true });
  });
  mountFiles(pg, { showError });

  return {
    /** Enables the buttons once the first run exists. */
    ready() {
      for (const b of ['play', 'step', 'step-d', 'step-g', 'reset', 'preset-strong-d', 'draw', 'clear-drawing', 'save-run', 'export-png', 'export-csv', 'preset-modes']) $(b).disabled = false;
    },
    showError,
  };
}
