// Wires the page: controls -> Playground (the controller), Playground events -> views.
// Exposes the controller as window.playground, the documented JS API.

import { LossChart } from './chart.js';
import { PlanePlot } from './plot.js';
import { GRID_RES, Playground } from './playground.js';

const $ = (id) => document.getElementById(id);
const pg = new Playground();
window.playground = pg;

const plot = new PlanePlot($('plane'));
const chart = new LossChart($('losses'));
const FIELDS = ['dataset', 'loss', 'lrD', 'lrG', 'batchSize', 'k', 'seed', 'backend'];
const NUMERIC = new Set(['lrD', 'lrG', 'batchSize', 'k', 'seed']);

function showError(msg) {
  const box = $('error');
  box.textContent = msg || '';
  box.hidden = !msg;
}

function fillControls(config) {
  for (const f of FIELDS) if (f in config) $(f).value = String(config[f]);
}

function readControls() {
  const c = {};
  for (const f of FIELDS) {
    const v = $(f).value;
    c[f] = NUMERIC.has(f) ? Number(v) : v;
  }
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
    `backend: ${s.backend} (${s.backendReason}) · step ${s.step} · ${speed} · ` +
    `loss D ${fmt(s.lossD)} · loss G ${fmt(s.lossG)}`;
}

function setPlaying(on) {
  $('play').textContent = on ? 'Pause' : 'Play';
}

pg.addEventListener('reset', (e) => {
  showError(''); // a new run: an old run's error no longer applies
  fillControls(e.detail);
  chart.clear();
  chart.draw();
  plot.extent = pg.view.extent;
  renderStatus(pg.statsNow());
});
pg.addEventListener('view', (e) => {
  plot.extent = e.detail.extent;
  plot.real = e.detail.real;
  plot.fake = e.detail.fake;
  plot.setGrid(e.detail.grid, GRID_RES);
  plot.draw();
});
pg.addEventListener('losses', (e) => chart.push(e.detail.step, e.detail.lossD, e.detail.lossG));
pg.addEventListener('frame', (e) => { chart.draw(); renderStatus(e.detail); });
pg.addEventListener('play', () => setPlaying(true));
pg.addEventListener('pause', () => setPlaying(false));
pg.addEventListener('error', (e) => { setPlaying(false); showError(e.detail); });

$('play').addEventListener('click', () => (pg.playing ? pg.pause() : pg.play()));
$('step').addEventListener('click', () => pg.step(1).catch((e) => showError(e.message)));
$('reset').addEventListener('click', () => {
  const was = pg.playing;
  pg.pause();
  pg.reset().then(() => { showError(''); if (was) pg.play(); }, (e) => showError(e.message));
});
for (const f of FIELDS) {
  $(f).addEventListener('change', () => {
    const was = pg.playing;
    pg.pause();
    pg.configure(readControls()).then(
      () => { showError(''); if (was) pg.play(); },
      (e) => { showError(e.message); fillControls(pg.config()); },
    );
  });
}
for (const layer of ['heatmap', 'real', 'fake']) {
  $(`show-${layer}`).addEventListener('change', (e) => { plot.show[layer] = e.target.checked; plot.draw(); });
}

pg.configure({}).then(
  () => { for (const b of ['play', 'step', 'reset']) $(b).disabled = false; },
  (e) => { $('status').textContent = 'the engine could not start'; showError(e.message); },
);
