// The CycleGAN lab's page: the run bar and settings, the rows (A -> G(A) -> F(G(A)), B -> F(B)
// -> G(F(B))), the loss chart and the drawing pad, wired to the lab's controller
// (www/cycle/lab.js). Drawing only: the controller talks to the engine.

import { wireRunBar } from '../app/run-bar.js';
import { drawDigits } from '../views/digits.js';
import { SeriesChart } from '../views/series.js';
import { PIXELS } from './lab.js';

const SIDE = 28;
/** The rows' layout: a label column, then n digits of `CELL` pixels. */
const CELL = 32;
const LABEL_W = 72;
const ROW_NAMES = ['a (MNIST)', 'G(a)', 'F(G(a))', 'b (UCI)', 'F(b)', 'G(F(b))'];

/** Ink a brush lays on a cell at distance `d` (in cells) from the pointer: a soft 3-pixel stroke. */
const brush = (d) => Math.max(0, Math.min(1, 1.6 - d));

/** Draws the six rows of `n` digits each on `canvas`. */
export function drawRows(canvas, pixels, n) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.imageSmoothingEnabled = false;
  const gap = 12;
  for (let r = 0; r < 6; r++) {
    const y = r * CELL + (r >= 3 ? gap : 0);
    ctx.fillStyle = r % 3 === 0 ? '#1f2328' : '#59636e';
    ctx.fillText(ROW_NAMES[r], 4, y + CELL / 2 + 4);
    const block = pixels.subarray(r * n * PIXELS, (r + 1) * n * PIXELS);
    const row = document.createElement('canvas');
    row.width = n * CELL;
    row.height = CELL;
    drawDigits(row, block, { cols: n, cell: CELL });
    ctx.drawImage(row, LABEL_W, y);
  }
}

/**
 * Wires the CycleGAN lab's page to `lab`.
 * @param {import('./lab.js').CycleLab} lab
 */
export function mountCycleLab(lab) {
  const $ = (id) => document.getElementById(id);
  const status = (text) => { $('cyc-status').textContent = text; };
  const chart = new SeriesChart($('cyc-losses'), {
    title: 'losses by round',
    series: [
      { key: 'lossDA', color: '#0f8a6c', label: 'D_A' },
      { key: 'lossDB', color: '#2563eb', label: 'D_B' },
      { key: 'lossG', color: '#c2410c', label: 'G adv' },
      { key: 'lossF', color: '#a21caf', label: 'F adv' },
      { key: 'cycleA', color: '#1f2328', label: 'cycle A' },
      { key: 'cycleB', color: '#94a3b8', label: 'cycle B' },
    ],
    xLabel: (pts) => `round ${pts[pts.length - 1].step}`,
  });
  chart.draw();

  function readControls() {
    const seed = Number($('cyc-seed').value);
    return {
      lambdaCycle: Number($('cyc-cycle').value),
      lambdaIdentity: Number($('cyc-identity').value),
      poolSize: Number($('cyc-pool').value),
      loss: $('cyc-loss').value,
      seed: Number.isInteger(seed) && seed >= 0 ? seed : 1,
    };
  }

  /** Shows a run's settings in the controls (a value the menus lack is added as an option). */
  function showControls(full) {
    const set = (id, v) => {
      const sel = $(id);
      const text = String(v);
      if (![...sel.options].some((o) => o.value === text)) sel.add(new Option(text, text));
      sel.value = text;
    };
    set('cyc-cycle', full.lambdaCycle);
    set('cyc-identity', full.lambdaIdentity);
    set('cyc-pool', full.poolSize);
    set('cyc-loss', full.loss);
    $('cyc-seed').value = full.seed;
  }

  function renderStatus() {
    if (!lab.run) return;
    const s = lab.stats();
    const fmt = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');
    const ms = Number.isFinite(s.msPerRound) ? `${s.msPerRound.toFixed(0)} ms/round` : '';
    status(`round ${s.step} · cycle A ${fmt(s.cycleA)} · B ${fmt(s.cycleB)} · D_A ${fmt(s.lossDA)} · D_B ${fmt(s.lossDB)}` +
      ` · ${ms} on ${s.backend} (${s.params[0].toLocaleString('en')} + ${s.params[1].toLocaleString('en')} weights)`);
  }

  const rows = $('cyc-rows');
  lab.addEventListener('rows', (e) => {
    if (e.detail.pixels) drawRows(rows, e.detail.pixels, e.detail.pixels.length / 6 / PIXELS);
  });
  wireRunBar(lab, {
    prefix: 'cyc',
    fileName: (step) => `cyclegan-round${step}.gancyc`,
    settings: ['cyc-cycle', 'cyc-identity', 'cyc-pool', 'cyc-loss', 'cyc-seed'],
    readControls,
  });
  lab.addEventListener('configured', (e) => {
    showControls(e.detail.full);
    chart.clear();
    chart.draw();
    renderStatus();
    translateDrawing();
  });
  lab.addEventListener('step', (e) => {
    for (const l of e.detail.losses || []) chart.push(l.step, l);
    chart.draw();
    renderStatus();
  });
  lab.addEventListener('pause', translateDrawing);

  // The pad: a 28 x 28 drawing, ink in [0, 1], drawn with a soft brush along the pointer.
  const pad = $('cyc-pad');
  const ink = new Float32Array(PIXELS);
  let last = null;
  function drawPad() {
    const c = document.createElement('canvas');
    c.width = SIDE;
    c.height = SIDE;
    drawDigits(c, ink, { cols: 1, cell: SIDE, gap: 0 });
    const ctx = pad.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(c, 0, 0, pad.width, pad.height);
  }
  function paint(x, y) {
    for (let r = Math.max(0, Math.floor(y - 2)); r <= Math.min(SIDE - 1, Math.ceil(y + 2)); r++) {
      for (let c = Math.max(0, Math.floor(x - 2)); c <= Math.min(SIDE - 1, Math.ceil(x + 2)); c++) {
        const v = brush(Math.hypot(c + 0.5 - x, r + 0.5 - y));
        if (v > ink[r * SIDE + c]) ink[r * SIDE + c] = v;
      }
    }
  }
  function strokeTo(e) {
    const box = pad.getBoundingClientRect();
    const p = [((e.clientX - box.left) / box.width) * SIDE, ((e.clientY - box.top) / box.height) * SIDE];
    const from = last || p;
    const steps = Math.max(1, Math.ceil(Math.hypot(p[0] - from[0], p[1] - from[1]) / 0.3));
    for (let k = 1; k <= steps; k++) paint(from[0] + ((p[0] - from[0]) * k) / steps, from[1] + ((p[1] - from[1]) * k) / steps);
    last = p;
    drawPad();
  }
  pad.addEventListener('pointerdown', (e) => {
    pad.setPointerCapture(e.pointerId);
    last = null;
    strokeTo(e);
  });
  pad.addEventListener('pointermove', (e) => { if (last) strokeTo(e); });
  const end = () => {
    if (!last) return;
    last = null;
    translateDrawing();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  $('cyc-clear').addEventListener('click', () => {
    ink.fill(0);
    drawPad();
    for (const id of ['cyc-there', 'cyc-back']) drawDigits($(id), new Float32Array(PIXELS), { cols: 1, cell: 112, gap: 0 });
    $('cyc-pad-msg').textContent = '';
  });
  $('cyc-direction').addEventListener('change', () => {
    $('cyc-there-what').textContent = $('cyc-direction').value === 'b' ? 'G(drawing), in the UCI style' : 'F(drawing), in MNIST\'s style';
    translateDrawing();
  });

  /** Translates the drawing (if there is one) with the run as it stands. */
  function translateDrawing() {
    if (!lab.run || ink.every((v) => v === 0)) return;
    lab.translate(ink, $('cyc-direction').value).then(
      (r) => {
        drawDigits($('cyc-there'), r.there, { cols: 1, cell: 112, gap: 0 });
        drawDigits($('cyc-back'), r.back, { cols: 1, cell: 112, gap: 0 });
        $('cyc-pad-msg').textContent = `translated with round ${lab.last.step}'s generators`;
      },
      (e) => { $('cyc-pad-msg').textContent = e.message; },
    );
  }
  drawPad();
  return { drawPad, ink, translateDrawing };
}
