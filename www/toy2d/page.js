// The 2-D labs' page: the controls and the views of the 2-D playground and of the loss lab
// (one run, two views of it), wired to the lab's controller (www/toy2d/lab.js). Controls ->
// controller; controller events -> views. The brush and the files have files of their own.

import { LossChart } from '../views/chart.js';
import { PlanePlot, arrowScale } from '../views/plot.js';
import { ProbeChart } from '../views/probe.js';
import { SeriesChart } from '../views/series.js';
import { TheoryPlot } from '../views/theory.js';
import { TOY2D_VIEW, classesOf, twinConfig } from '../core/state.js';
import { mountLabels } from './labels.js';
import { plainMessage } from '../core/link.js';
import { mountBrush } from './brush.js';
import { mountFiles } from './files.js';
import { CROSS_ENTROPY, LOSSES, renderFormula } from './formulas.js';
import { STRONG_D_PRESET, modePreset } from './presets.js';
import { mountThumbs } from './thumbs.js';
import { ALARM_READOUTS, heatmapFor, modesLost, outsideView } from './readouts.js';
import { goTo, mountModel } from './model.js';
import { LIVE_KEYS, SLOW_MOTION_MS } from './lab.js';
import { TIMED } from '../app/backend-menu.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['dataset', 'loss', 'gpWeight', 'r1Weight', 'lrD', 'lrG', 'discOptimizer', 'genOptimizer', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'backend', 'compare', 'probeEvery', 'slowMotion', 'stepsPerFrame', 'conditional'];
const NUMERIC = new Set(['gpWeight', 'r1Weight', 'lrD', 'lrG', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'probeEvery', 'stepsPerFrame']);
/** Settings whose change is a new run at once: picking them is asking for one. */
const NEW_RUN = new Set(['dataset', 'compare', 'conditional']);
/** Names of the settings in the page's words (the pending-restart list, notes). */
const NAMES = {
  genLayers: 'G hidden layers', genWidth: 'G width', discLayers: 'D hidden layers', discWidth: 'D width', pack: 'pack m',
  dPretrain: 'D pretraining', seed: 'seed', backend: 'backend', zDim: 'z dimension',
};
/** Each optimiser's usual learning rate here: switching optimiser picks the new one's. */
const USUAL_RATE = { adam: 0.001, sgd: 0.05 };
/** Whether `lr` is outside what `optimizer` trains these networks with (SGD needs larger steps). */
const unusualRate = (optimizer, lr) => (optimizer === 'adam' ? lr > 0.01 : lr < 0.005);
/** WGAN-GP's critic is trained k = n_critic = 5 times per G update (Gulrajani et al.). */
const WGAN_K = 5;
/** How long a model part stays lit after the update that lit it (ms). */
const LIGHT_MS = 350;
const BOOLEAN = new Set(['slowMotion', 'conditional']);
const PHASE_BANNER = { d: 'slow motion: D update (G frozen)', g: 'slow motion: G update (D frozen)' };
/**
 * While playing, the status line and the loss charts are redrawn at most every STATUS_MS: each
 * redraw lays the status line out again and repaints a chart, and the engine's frames come
 * faster than a reader can follow. Stepping and pausing draw at once.
 */
const STATUS_MS = 100;

const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const grouped = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
/** An engine message in the page's words (see plainMessage). */
const clean = (m) => plainMessage(m);

/**
 * Wires the 2-D labs' controls and views to `pg`.
 * @param {import('./lab.js').Toy2dLab} pg
 * @param {{showNotices: (list: string[]) => void, setSticky: (key: string, text: string|null) => void,
 *          beforePlay: () => void}} app the page shell
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
    title: 'mode coverage (share)',
    series: [{ key: 'modes', color: '#2563eb', label: 'modes captured' }, { key: 'hq', color: '#0f8a6c', label: 'high quality' }],
    refs: [{ value: 1, label: 'all' }],
    fixed: [0, 1],
  });
  /** Modes captured at each theory readout of the run. */
  let modeHistory = [];
  let statusDrawn = 0;
  /** Settings changed in the controls that apply when the run restarts. */
  const pending = new Set();
  /** Steps and times while playing, for the steps-per-second counter: [[ms, step], ...]. */
  let pace = [];
  /** The phase a button asked for (Step D / Step G), lighting the model while it runs. */
  let asked = null;
  const light = mountModel(pg, () => (pg.page.slowMotion ? SLOW_MOTION_MS + 150 : LIGHT_MS));

  function renderModes(t) {
    const el = $('modes');
    el.replaceChildren();
    if (!t) return;
    const parts = [`V(G, D*) ${t.vOptimal.toFixed(3)} (−log 4 = ${(-Math.log(4)).toFixed(3)}) · JSD ${t.jsd.toFixed(3)}`];
    if (t.modesTotal !== null) {
      const onLabel = t.onLabelPct !== null && t.onLabelPct !== undefined ? ` · on its label ${t.onLabelPct.toFixed(1)} %` : '';
      parts.unshift(`modes ${t.modesCaptured} / ${t.modesTotal} · high quality ${t.highQualityPct.toFixed(1)} %${onLabel}`);
    }
    el.append(parts.join(' · '));
    const lost = t.modesTotal !== null ? modesLost(modeHistory) : 0;
    if (lost > 0) {
      const alarm = document.createElement('span');
      alarm.className = 'alarm';
      alarm.id = 'mode-alarm';
      alarm.textContent = `mode collapse: ${lost} mode${lost > 1 ? 's' : ''} lost for ${ALARM_READOUTS} readouts`;
      el.append(alarm);
    }
  }

  function showError(msg) {
    const box = $('error');
    box.textContent = msg || '';
    box.hidden = !msg;
    if (!msg) $('resume').hidden = true;
  }

  /** A line under the live settings: what a change did, or why it was refused (the run goes on). */
  function note(text, refused = false) {
    const el = $('field-note');
    el.textContent = text || '';
    el.classList.toggle('refused', refused);
  }

  const fieldValue = (f) => (BOOLEAN.has(f) ? $(f).checked : NUMERIC.has(f) ? Number($(f).value) : $(f).value);
  const shownValue = (f, config) => (f === 'backend' && config[f] === 'flex' ? 'cpu' : String(config[f]));

  function fillField(f, config) {
    if (!(f in config)) return;
    if (BOOLEAN.has(f)) $(f).checked = Boolean(config[f]);
    // 'flex' is what 'cpu' means now: old links show under its menu entry.
    else $(f).value = shownValue(f, config);
    $(f).removeAttribute('aria-invalid');
  }

  function fillControls(config) {
    for (const f of FIELDS) fillField(f, config);
    thumbs.sync();
    labels.follow(config);
    const m = config.pack || 1;
    $('pack-note').hidden = m === 1;
    $('pack-m').textContent = String(m);
  }

  /** The run's config with the controls' values over it (and the drawing, for "drawn"). */
  function readControls() {
    const c = { ...pg.config() };
    for (const f of FIELDS) c[f] = fieldValue(f);
    if (c.dataset === 'drawn') c.points = brush.points();
    else delete c.points;
    return c;
  }

  function renderPending() {
    const names = [...pending].map((f) => `${NAMES[f] || f} ${BOOLEAN.has(f) ? $(f).checked : $(f).value}`);
    $('pending').hidden = names.length === 0;
    $('pending-text').textContent = names.length
      ? `${names.join(', ')}: ${names.length > 1 ? 'apply' : 'applies'} on restart (the run goes on until then).`
      : '';
  }

  function renderStatus(s) {
    const speed = Number.isFinite(s.msPerStep) ? `${fmt(s.msPerStep, 2)} ms/step` : 'not timed yet';
    const parts = [`step ${s.step}`, speed, `loss D ${fmt(s.lossD)}`, `loss G ${fmt(s.lossG)}`];
    // The probe compares the cross-entropy generators' gradients: it means nothing elsewhere.
    if (CROSS_ENTROPY.includes(s.loss) && s.gradNormMinimax !== null) {
      parts.push(`‖∇G‖ minimax ${s.gradNormMinimax.toExponential(2)}, non-sat. ${s.gradNormNonSaturating.toExponential(2)}`);
    }
    $('status').textContent = parts.join(' · ');
    $('step-count').textContent = grouped(s.step);
    const now = performance.now();
    if (pg.playing) {
      pace.push([now, s.step]);
      while (pace.length > 2 && now - pace[0][0] > 2000) pace.shift();
    }
    const [t0, s0] = pace[0] || [now, s.step];
    $('rate').textContent = pg.playing && now - t0 > 250 ? grouped((1000 * (s.step - s0)) / (now - t0)) : '—';
    const where = s.engineThread === 'worker' ? 'in a worker' : `on the ${s.engineThread}`;
    $('backend-chip').textContent = `backend: ${s.backend}`;
    $('backend-detail').textContent = `${s.backend}, ${where}: ${s.backendReason}. Changing it applies on restart.`;
    $('recalibrate').hidden = !TIMED.test(s.backendReason);
  }

  function drawStatus(stats) {
    statusDrawn = performance.now();
    chart.draw();
    if (pg.twin) twinChart.draw();
    renderStatus(stats);
  }

  /**
   * Applies `config` as a fresh run, playing afterwards if it was playing; a refusal is said
   * beside the settings, the controls go back to the run in force, and that run plays on.
   */
  function apply(config, { play = pg.playing } = {}) {
    pg.pause();
    return pg.configure(config).then(
      () => { showError(''); if (play) pg.play(); },
      (e) => {
        note(`${clean(e.message)}: not applied, the run goes on as it was`, true);
        fillControls(pg.config());
        renderPending();
        if (play) pg.play();
      },
    );
  }

  /** A live setting changed in the controls: applied to the run now, without a restart. */
  function applyLive(f) {
    const config = pg.config();
    const raw = $(f).value;
    const value = fieldValue(f);
    if (NUMERIC.has(f) && (raw.trim() === '' || !Number.isFinite(value))) {
      note(`${f}: "${raw}" is not a number; the run goes on with ${config[f]}`, true);
      fillField(f, config);
      return Promise.resolve();
    }
    const changes = { [f]: value };
    const said = [];
    if (f === 'genOptimizer' || f === 'discOptimizer') {
      const [key, who] = f === 'genOptimizer' ? ['lrG', 'G'] : ['lrD', 'D'];
      const lr = Number($(key).value);
      if (unusualRate(value, lr)) {
        changes[key] = USUAL_RATE[value];
        $(key).value = String(USUAL_RATE[value]);
        said.push(`${who}'s learning rate set to ${USUAL_RATE[value]}, ${value === 'adam' ? "Adam's" : "SGD's"} usual rate here (${lr} would ${value === 'adam' ? 'throw the fakes far off' : 'barely move'}).`);
      }
    }
    if (f === 'loss') {
      const k = Number($('k').value);
      if (value === 'wganGp' && k < WGAN_K) {
        changes.k = WGAN_K;
        $('k').value = String(WGAN_K);
        said.push(`k set to ${WGAN_K}: WGAN-GP trains its critic ${WGAN_K} times per G update (Gulrajani et al.).`);
      } else if (config.loss === 'wganGp' && value !== 'wganGp' && k === WGAN_K) {
        changes.k = 1;
        $('k').value = '1';
        said.push('k back to 1, as for the other losses.');
      }
    }
    const step = pg.last.step;
    return pg.setLive(changes).then(
      () => note(said.length ? said.join(' ') : `${f} = ${value} from step ${step} on: the run goes on.`),
      (e) => {
        note(`${clean(e.message)}: the run goes on with ${f} = ${config[f]}`, true);
        for (const key of Object.keys(changes)) fillField(key, pg.config());
        $(f).setAttribute('aria-invalid', 'true');
      },
    );
  }

  /** A control changed: live, a new run at once (data, twin), or pending until a restart. */
  function changed(f) {
    if (f === 'dataset') return chooseData($(f).value);
    if (NEW_RUN.has(f)) return apply(readControls());
    if (LIVE_KEYS.includes(f)) return applyLive(f);
    if (fieldValue(f) === (f === 'backend' ? shownValue(f, pg.config()) : pg.config()[f])) pending.delete(f);
    else pending.add(f);
    renderPending();
    return Promise.resolve();
  }

  function chooseData(value) {
    if (value === 'drawn' && !brush.hasDrawing()) {
      brush.start();
      thumbs.sync();
      return Promise.resolve();
    }
    $('dataset').value = value;
    thumbs.sync();
    return apply(labels.fit(readControls()));
  }

  const brush = mountBrush(pg, plot, { apply, readControls, showError });
  const labels = mountLabels({ apply, readControls });
  const thumbs = mountThumbs((value) => chooseData(value));
  const lossLabel = (name) => (LOSSES[name] ? LOSSES[name].label : name);

  /** The readouts that depend on the loss: captions, the heatmap's surfaces, titles, formula. */
  function followLoss(c) {
    const heat = heatmapFor(c.loss);
    $('heat-caption').textContent = heat.caption;
    $('surface-d-label').textContent = heat.label;
    const diff = document.querySelector('input[name=surface][value=diff]');
    diff.disabled = !heat.diff;
    $('surface-diff').title = heat.diff ? '' : 'does not apply to this loss: its D is not a probability';
    if (!heat.diff && diff.checked) {
      document.querySelector('input[name=surface][value=d]').checked = true;
      plot.surface = twinPlot.surface = 'd';
    }
    $('plane-title').textContent = `this run: ${lossLabel(c.loss)}`;
    renderFormula($('formula'), c.loss);
  }

  /** Says when the run trains elsewhere than the backend menu asked (WebGPU that cannot load). */
  function followBackend(c) {
    const info = pg.backendInfo;
    const missed = c.backend === 'webgpu' && info.backend !== 'webgpu';
    app.setSticky('backend', missed
      ? `WebGPU was chosen but cannot be used here: ${info.reason.replace(/; training on the CPU \(wasm\)$/, '')}. The run trains on the CPU (wasm) instead; the backend menu says so.`
      : null);
    if (missed) $('backend').value = 'cpu';
    $('backend-chip').classList.toggle('warn', missed);
  }

  pg.addEventListener('reset', (e) => {
    showError(''); // a new run: an old run's error no longer applies
    const c = e.detail;
    fillControls(c);
    pending.clear();
    renderPending();
    brush.follow(c);
    followLoss(c);
    followBackend(c);
    const twin = c.compare !== 'off';
    $('twin-figure').hidden = !twin;
    $('twin-losses-figure').hidden = !twin;
    if (!labels.twinTitle(c)) {
      $('twin-title').textContent = twin ? `twin: ${lossLabel(c.compare)}` : 'twin';
      $('twin-caption').textContent = 'same seed, same networks, same D loss; only the generator\'s cost differs.';
    }
    for (const ch of [chart, twinChart, probeChart, vChart, dChart, modeChart]) { ch.clear(); ch.draw(); }
    modeHistory = [];
    pace = [];
    renderModes(null);
    $('offview').hidden = true;
    plot.dStar = null;
    theory.curves = pg.curves;
    theory.batch = null;
    theory.draw();
    plot.extent = twinPlot.extent = pg.view.extent;
    renderStatus(pg.statsNow());
  });
  pg.addEventListener('live', (e) => {
    const c = e.detail;
    for (const f of LIVE_KEYS) if (FIELDS.includes(f)) fillField(f, c);
    followLoss(c);
    renderStatus(pg.statsNow());
  });
  pg.addEventListener('view', (e) => {
    const v = e.detail;
    const scale = pg.engineConfig.loss === 'wganGp'; // a critic's values are unbounded
    const arrows = arrowScale([v.arrows, v.twinArrows], v.extent);
    const main = pg.engineConfig;
    for (const [p, fake, grid, field, manifold, config] of [
      [plot, v.fake, v.grid, v.arrows, v.manifold, main],
      [twinPlot, v.twinFake, v.twinGrid, v.twinArrows, v.twinManifold, twinConfig(main, pg.page.compare)],
    ]) {
      if (!fake || (brush.blank() && p === plot)) continue;
      Object.assign(p, {
        labels: classesOf(config),
        extent: v.extent, real: v.real, fake, arrows: field, arrowScale: arrows, manifold,
        manifoldRes: v.manifoldRes, zDim: v.zDim, banner: v.phase ? PHASE_BANNER[v.phase] : '',
      });
      p.setGrid(grid, TOY2D_VIEW.gridRes, scale);
      p.draw();
    }
    if (v.fake && !brush.blank()) {
      const out = outsideView(v.fake, v.extent);
      $('offview').hidden = out.n === 0;
      if (out.n > 0) {
        const far = Number.isFinite(out.far) ? grouped(out.far) : 'infinity';
        $('offview').textContent = `${out.n} of ${v.fake.length / 2} generated points lie outside the view (as far as ${far} from the centre; marked at the edge)`;
      }
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
    const modes = t.modesTotal !== null;
    $('modes-figure').hidden = !modes;
    $('modes-hint').hidden = !modes;
    $('no-modes-hint').hidden = modes;
    if (modes) {
      modeChart.push(t.step, { modes: t.modesCaptured / t.modesTotal, hq: t.highQualityPct / 100 });
      modeHistory.push(t.modesCaptured);
    }
    renderModes(t);
    labels.twinReadout(t.twin);
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
    const c = pg.engineConfig;
    light(asked || pg.view.phase || (e.detail.step <= (c.dPretrain || 0) ? 'd' : 'both'));
    if (pg.playing && performance.now() - statusDrawn < STATUS_MS) return;
    drawStatus(e.detail);
  });
  pg.addEventListener('play', () => { $('play').textContent = 'Pause'; pace = []; });
  pg.addEventListener('pause', () => { $('play').textContent = 'Play'; pace = []; drawStatus(pg.statsNow()); });
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
  // Forgets the remembered calibrations and times both backends again, in a new run.
  $('recalibrate').addEventListener('click', () => {
    $('recalibrate').disabled = true;
    $('backend-detail').textContent = 'Timing both backends…';
    pg.client.forgetCalibrations()
      .then(() => apply({ ...pg.config(), backend: 'auto' }))
      .catch((e) => showError(e.message))
      .finally(() => { $('recalibrate').disabled = false; });
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
    if (pg.playing) { pg.pause(); return; }
    if (brush.blank()) {
      note('Nothing to train on yet: draw the data on the plane first (press and drag), or pick another dataset.', true);
      goTo('plane');
      return;
    }
    app.beforePlay();
    pg.play();
  });
  const phaseStep = (phase, call) => {
    asked = phase;
    call().catch((e) => showError(e.message)).finally(() => { asked = null; });
  };
  $('step').addEventListener('click', () => phaseStep('both', () => pg.step(1)));
  $('step-d').addEventListener('click', () => phaseStep('d', () => pg.stepPhase(1, 'd')));
  $('step-g').addEventListener('click', () => phaseStep('g', () => pg.stepPhase(1, 'g')));
  for (const radio of document.querySelectorAll('input[name=surface]')) {
    radio.addEventListener('change', () => { plot.surface = twinPlot.surface = radio.value; plot.draw(); twinPlot.draw(); });
  }
  $('reset').addEventListener('click', () => {
    if (brush.blank()) return; // nothing drawn yet
    // Reset restarts with what the controls say, settings waiting for a restart included.
    apply(readControls());
  });
  $('apply-restart').addEventListener('click', () => apply(readControls()));
  $('discard-pending').addEventListener('click', () => {
    for (const f of pending) fillField(f, pg.config());
    pending.clear();
    renderPending();
  });
  for (const f of FIELDS) $(f).addEventListener('change', () => { changed(f); });
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
