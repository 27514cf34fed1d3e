// Wires the page: controls -> Playground (the controller), Playground events -> views.
// Exposes the controller as window.playground, the documented JS API.

import { LossChart } from './chart.js';
import { download } from './download.js';
import { loadBuild } from './engine.js';
import { IMAGE_PREFIX, decodeHash, encodeHash, splitHash } from './link.js';
import { LOSSES, renderFormula } from './losses.js';
import { PlanePlot, arrowScale } from './plot.js';
import { GRID_RES, Playground } from './playground.js';
import { IMAGE_LINK_PAGE, IMAGE_PAGE_DEFAULTS, ImageLab } from './images.js';
import { mountImageLab } from './imagepage.js';
import { ProbeChart } from './probe.js';
import { SeriesChart } from './series.js';
import { modePreset, PAGE_DEFAULTS, STRONG_D_PRESET } from './state.js';
import { TheoryPlot } from './theory.js';

const $ = (id) => document.getElementById(id);
const pg = new Playground();
window.playground = pg;
// The image GANs (MNIST) share the 2-D playground's engine worker. configure({mode: 'images',
// arch, ...}) starts an image run; every other configure is the 2-D playground's.
const imageLab = new ImageLab(pg.client);
pg.images = imageLab;
const configure2d = pg.configure.bind(pg);
pg.configure = (config = {}) => {
  if (config && config.mode === 'images') {
    document.getElementById('image-lab').scrollIntoView({ block: 'start' });
    return imageLab.configure(config);
  }
  return configure2d(config);
};
mountImageLab(imageLab);
// One engine thread: the run a person starts pauses the other one.
imageLab.addEventListener('playing', (e) => { if (e.detail.playing) pg.pause(); });
imageLab.addEventListener('configured', () => pg.pause());

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
const FIELDS = ['dataset', 'loss', 'gpWeight', 'r1Weight', 'lrD', 'lrG', 'discOptimizer', 'genOptimizer', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'backend', 'compare', 'probeEvery', 'slowMotion'];
const NUMERIC = new Set(['gpWeight', 'r1Weight', 'lrD', 'lrG', 'genLayers', 'genWidth', 'discLayers', 'discWidth', 'batchSize', 'k', 'gSteps', 'pack', 'lrHalfLife', 'dPretrain', 'seed', 'probeEvery']);
const BOOLEAN = new Set(['slowMotion']);
/** Half-width of the canvas a drawing is made on (the engine's default dataScale for "drawn"). */
const DRAW_EXTENT = 2.5;
/** A brush stroke leaves a point every this many data units. */
const BRUSH_SPACING = 0.05;
/** The most points a drawing may have (the engine's limit). */
const MAX_POINTS = 2000;
let bestModes = 0;

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
  if (c.dataset === 'drawn') c.points = brush.points.slice();
  else delete c.points;
  return c;
}

function fmt(x, digits = 3) {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
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

function setPlaying(on) {
  $('play').textContent = on ? 'Pause' : 'Play';
}

const lossLabel = (name) => (LOSSES[name] ? LOSSES[name].label : name);

pg.addEventListener('reset', (e) => {
  showError(''); // a new run: an old run's error no longer applies
  const c = e.detail;
  fillControls(c);
  if (c.dataset === 'drawn') brush.points = c.points.map((p) => [p[0], p[1]]);
  else setBrush(false);
  renderFormula($('formula'), c.loss);
  const twin = c.compare !== 'off';
  $('twin-figure').hidden = !twin;
  $('twin-losses-figure').hidden = !twin;
  $('plane-title').textContent = `this run: ${lossLabel(c.loss)}`;
  $('twin-title').textContent = twin ? `twin: ${lossLabel(c.compare)}` : 'twin';
  for (const ch of [chart, twinChart]) { ch.clear(); ch.draw(); }
  probeChart.clear();
  probeChart.draw();
  for (const ch of [vChart, dChart, modeChart]) { ch.clear(); ch.draw(); }
  bestModes = 0;
  renderModes(null);
  plot.dStar = null;
  theory.curves = pg.curves;
  theory.batch = null;
  theory.draw();
  plot.extent = twinPlot.extent = pg.view.extent;
  renderStatus(pg.statsNow());
});
const PHASE_BANNER = { d: 'slow motion: D update (G frozen)', g: 'slow motion: G update (D frozen)' };
pg.addEventListener('view', (e) => {
  const v = e.detail;
  const scale = pg.engineConfig.loss === 'wganGp'; // a critic's values are unbounded
  const arrows = arrowScale([v.arrows, v.twinArrows], v.extent);
  const blank = brush.on && pg.engineConfig.dataset !== 'drawn'; // a fresh canvas being drawn on
  for (const [p, fake, grid, field, manifold] of [
    [plot, v.fake, v.grid, v.arrows, v.manifold],
    [twinPlot, v.twinFake, v.twinGrid, v.twinArrows, v.twinManifold],
  ]) {
    if (!fake || (blank && p === plot)) continue;
    p.extent = v.extent;
    p.real = v.real;
    p.fake = fake;
    p.arrows = field;
    p.arrowScale = arrows;
    p.manifold = manifold;
    p.manifoldRes = v.manifoldRes;
    p.zDim = v.zDim;
    p.banner = v.phase ? PHASE_BANNER[v.phase] : '';
    p.setGrid(grid, GRID_RES, scale);
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
  if (t.modesTotal !== null) {
    modeChart.push(t.step, { modes: t.modesCaptured / t.modesTotal, hq: t.highQualityPct / 100 });
  }
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
// While playing, the status line and the loss charts are redrawn at most every STATUS_MS: each
// redraw lays the status line out again and repaints a chart, and the engine's frames come
// faster than a reader can follow. Stepping and pausing draw at once.
const STATUS_MS = 100;
let statusDrawn = 0;
function drawStatus(stats) {
  statusDrawn = performance.now();
  chart.draw();
  if (pg.twin) twinChart.draw();
  renderStatus(stats);
}
pg.addEventListener('frame', (e) => {
  if (pg.playing && performance.now() - statusDrawn < STATUS_MS) return;
  drawStatus(e.detail);
});
pg.addEventListener('play', () => setPlaying(true));
pg.addEventListener('pause', () => { setPlaying(false); drawStatus(pg.statsNow()); });
pg.addEventListener('error', (e) => {
  setPlaying(false);
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
  showNotices([e.detail]);
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
  else { imageLab.pause(); pg.play(); }
});
$('step').addEventListener('click', () => pg.step(1).catch((e) => showError(e.message)));
$('step-d').addEventListener('click', () => pg.stepPhase(1, 'd').catch((e) => showError(e.message)));
$('step-g').addEventListener('click', () => pg.stepPhase(1, 'g').catch((e) => showError(e.message)));
for (const radio of document.querySelectorAll('input[name=surface]')) {
  radio.addEventListener('change', () => { plot.surface = radio.value; plot.draw(); });
}
$('reset').addEventListener('click', () => {
  if (brush.on && pg.engineConfig.dataset !== 'drawn') return; // nothing drawn yet
  const was = pg.playing;
  pg.pause();
  pg.reset().then(() => { showError(''); if (was) pg.play(); }, (e) => showError(e.message));
});
/** Applies `config` as a fresh run, resuming play if it was playing; a refusal is shown and
 * the controls go back to the run in force. */
function apply(config, { play = pg.playing } = {}) {
  pg.pause();
  return pg.configure(config).then(
    () => { showError(''); if (play) pg.play(); },
    (e) => { showError(e.message); fillControls(pg.config()); },
  );
}
for (const f of FIELDS) {
  $(f).addEventListener('change', () => {
    if (f === 'dataset' && $(f).value === 'drawn' && brush.points.length < 2) {
      startDrawing();
      return;
    }
    apply(readControls());
  });
}

// The brush: press and drag on the plane to draw a distribution (a point every BRUSH_SPACING
// units); each finished stroke restarts the run on the whole drawing.
const brush = { on: false, points: [], stroke: null };
function setBrush(on) {
  brush.on = on;
  $('draw').textContent = on ? 'Stop drawing' : 'Draw data';
  $('draw').setAttribute('aria-pressed', String(on));
  $('plane').classList.toggle('drawing', on);
  $('draw-hint').hidden = !on;
}
/** An empty canvas to draw on: the run pauses; training resumes on the first stroke. */
function startDrawing() {
  pg.pause();
  brush.points = [];
  setBrush(true);
  $('dataset').value = 'drawn';
  Object.assign(plot, { extent: DRAW_EXTENT, real: null, fake: null, grid: null, arrows: null, manifold: null, dStar: null, banner: '' });
  plot.draw();
}
$('draw').addEventListener('click', () => {
  if (brush.on) setBrush(false);
  else if (pg.engineConfig.dataset === 'drawn') setBrush(true); // add strokes to this drawing
  else startDrawing();
});
$('clear-drawing').addEventListener('click', startDrawing);
const plane = $('plane');
plane.addEventListener('pointerdown', (e) => {
  if (!brush.on || e.button !== 0) return;
  e.preventDefault();
  plane.setPointerCapture(e.pointerId);
  brush.stroke = [];
  addBrushPoint(e);
});
plane.addEventListener('pointermove', (e) => {
  if (brush.stroke) addBrushPoint(e);
});
function addBrushPoint(e) {
  const [x, y] = plot.fromClient(e.clientX, e.clientY);
  const q = (v) => Math.round(Math.max(-DRAW_EXTENT, Math.min(DRAW_EXTENT, v)) * 1000) / 1000;
  const p = [q(x), q(y)];
  const last = brush.stroke[brush.stroke.length - 1];
  if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < BRUSH_SPACING) return;
  if (brush.points.length + brush.stroke.length >= MAX_POINTS) {
    showError(`a drawing holds at most ${MAX_POINTS} points: clear it to draw anew`);
    return;
  }
  brush.stroke.push(p);
  plot.stroke = [...brush.points, ...brush.stroke].flat();
  plot.draw();
}
function endStroke() {
  if (!brush.stroke) return;
  brush.points.push(...brush.stroke);
  brush.stroke = null;
  plot.stroke = null;
  if (brush.points.length < 2) {
    showError('draw a little more: a drawing needs at least 2 points');
    return;
  }
  apply({ ...readControls(), dataset: 'drawn', points: brush.points.slice() }, { play: true });
}
plane.addEventListener('pointerup', endStroke);
plane.addEventListener('pointercancel', endStroke);

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

// Link state: the run's settings are mirrored into the URL hash after every (re)configure, and
// a hash (on load, or edited by hand) configures the run; what cannot be used is said, not thrown.
const linkView = { hide: [], hideText: false };
function showNotices(list) {
  const box = $('notice');
  box.replaceChildren(...list.map((n) => Object.assign(document.createElement('div'), { textContent: n })));
  box.hidden = list.length === 0;
}
/** Hides the controls named by `<name>_hide=true` and, with hideText, the prose. */
function applyHides(view) {
  for (const name of view.hide) {
    const el = document.getElementById(name);
    if (!el) continue;
    const box = el.closest('label') || el;
    box.hidden = true;
  }
  for (const el of document.querySelectorAll('.lede, .hint, figcaption, footer')) {
    if (view.hideText) el.dataset.hiddenText = '1';
    el.hidden = view.hideText && el.dataset.hiddenText === '1';
  }
}
async function fromHash() {
  let link = { config: {}, hide: [], hideText: false, notices: [] };
  let image = null;
  const parts = splitHash(location.hash);
  try {
    const mod = await loadBuild('cpu');
    defaults = { ...mod.defaultConfig(), ...PAGE_DEFAULTS };
    imageDefaults = { ...mod.validateImageConfig({}), ...IMAGE_PAGE_DEFAULTS };
    link = decodeHash(parts.main, defaults, (c) => mod.validateConfig(c));
    if (parts.image) {
      image = decodeHash(parts.image, imageDefaults, (c) => mod.validateImageConfig(c), IMAGE_LINK_PAGE);
      link.notices.push(...image.notices.map((n) => `image run: ${n.replace(/setting "/, `setting "${IMAGE_PREFIX}`)}`));
    }
  } catch (e) {
    link.notices.push(`the link's settings could not be read (${e.message})`);
  }
  Object.assign(linkView, { hide: link.hide, hideText: link.hideText });
  applyHides(linkView);
  pg.pause();
  try {
    await pg.configure(link.config);
  } catch (e) {
    link.notices.push(`the link's settings were not used: ${e.message}`);
    await pg.configure({});
  }
  if (image) {
    imageLab.pause();
    try {
      await imageLab.configure(image.config);
    } catch (e) {
      link.notices.push(`the link's image-run settings were not used: ${e.message}`);
    }
  }
  showNotices(link.notices);
}
/**
 * The settings that differ from the defaults, as element attributes (kebab-case); the image
 * run's, if any, as `img.` attributes.
 */
function elementSnippet(config, base, imageConfig) {
  const kebab = (k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const attrs = Object.entries(config)
    .filter(([k, v]) => k !== 'points' && v !== null && defaults[k] !== v)
    .map(([k, v]) => ` ${kebab(k)}="${esc(v)}"`);
  if (config.points) attrs.push(` points="${esc(JSON.stringify(config.points))}"`);
  if (imageConfig) {
    // The architecture always (it says there is an image run), then what differs.
    attrs.push(...Object.entries(imageConfig)
      .filter(([k, v]) => v !== null && (k === 'arch' || imageDefaults[k] !== v))
      .map(([k, v]) => ` ${IMAGE_PREFIX}${kebab(k)}="${esc(v)}"`));
  }
  return `<script type="module" src="${base}www/embed.js"></script>\n<gan-playground${attrs.join('')}></gan-playground>`;
}
let defaults = {};
let imageDefaults = {};
/** Writes every setting (the playground's, then the image run's, if any) to the hash and the share panel. */
function writeHash() {
  const config = pg.config();
  const imageConfig = imageLab.linkConfig();
  const hash = encodeHash(config, linkView) + (imageConfig ? `&${encodeHash(imageConfig, {}, IMAGE_PREFIX).slice(1)}` : '');
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  const base = new URL('.', location.href).href;
  $('share-link').value = location.href;
  $('share-iframe').value = `<iframe src="${location.href.replace(/"/g, '%22')}" title="GAN Playground" style="width: 100%; height: 900px; border: 0"></iframe>`;
  $('share-element').value = elementSnippet(config, base, imageConfig);
}
pg.addEventListener('reset', writeHash);
imageLab.addEventListener('configured', writeHash);
imageLab.addEventListener('settings', writeHash);
window.addEventListener('hashchange', () => { fromHash().catch((e) => showError(e.message)); });

// Save, load and export.
const runName = () => `gan-${pg.engineConfig.dataset}-${pg.engineConfig.loss}-step${pg.last.step}`;
$('save-run').addEventListener('click', () => {
  pg.saveRun().then(
    (bytes) => download(`${runName()}.ganrun`, new Blob([bytes], { type: 'application/octet-stream' })),
    (e) => showError(e.message),
  );
});
$('load-run').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  const was = pg.playing;
  pg.pause();
  try {
    await pg.loadRun(await file.arrayBuffer());
    showError('');
    if (was) pg.play();
  } catch (err) {
    showError(`${file.name}: ${err.message}`);
    if (was) pg.play();
  }
});
$('export-png').addEventListener('click', () => $('plane').toBlob((b) => download(`${runName()}.png`, b), 'image/png'));
$('export-csv').addEventListener('click', () => {
  pg.curvesCsv().then((csv) => download(`${runName()}.csv`, new Blob([csv], { type: 'text/csv' })));
});

fromHash().then(
  () => { for (const b of ['play', 'step', 'step-d', 'step-g', 'reset', 'preset-strong-d', 'draw', 'clear-drawing', 'save-run', 'export-png', 'export-csv', 'preset-modes']) $(b).disabled = false; },
  (e) => { $('status').textContent = 'the engine could not start'; showError(e.message); },
);
