// The image lab's page: the sample grid, the real digits, the losses, the classifier's verdict,
// the latent pad (pointer, pen or touch) and the filmstrip with its animation. The ImageLab
// (www/image/lab.js) does the work; this file only draws and forwards input.

import { wireBackendMenu } from '../app/backend-menu.js';
import { download } from '../app/download.js';
import { LossChart } from '../views/chart.js';
import { drawDigits } from '../views/digits.js';
import { GRID } from './lab.js';
import { gridShape } from '../core/state.js';
import { ANCHOR_COLORS, ANCHOR_NAMES, mountPad } from './pad.js';
import { fillSemiControls, mountSemi, semiControls } from './semi.js';

/**
 * Below this standard deviation of the grid's pixels, G's images are flat grey (an untrained
 * G's output is near zero: spread 0.000 at round 0, 0.014 at round 25, 0.08 at round 50 and
 * 0.2 at round 100 for the default DCGAN) and the grid says it is warming up.
 */
export const FLAT_SPREAD = 0.05;

/** The standard deviation of pixels in [0, 1]. */
export function pixelSpread(px) {
  let sum = 0;
  for (const v of px) sum += v;
  const mean = sum / px.length;
  let sq = 0;
  for (const v of px) sq += (v - mean) * (v - mean);
  return Math.sqrt(sq / px.length);
}

/** Grid cells: 2x digits with a 2-pixel gap. */
const CELL = 58;

/**
 * Wires the image section to `lab`.
 * @param {import('./lab.js').ImageLab} lab
 */
export function mountImageLab(lab) {
  const $ = (id) => document.getElementById(id);
  const grid = $('img-grid');
  const chart = new LossChart($('img-losses'));
  let nextAnchor = 0;

  const status = (text) => { $('img-status').textContent = text; };
  const showError = (msg) => {
    $('img-error').hidden = !msg;
    $('img-error').textContent = msg ? `Image run: ${msg}` : '';
  };

  function readControls() {
    const family = $('img-family').value;
    const conditional = family === 'cgan' || family === 'acgan';
    // A 2-d latent is the pad's plane itself: no room for a code, nor for a label.
    if (conditional && $('img-zdim').value === '2') $('img-zdim').value = '100';
    const zDim = Number($('img-zdim').value);
    syncFamily(family, zDim);
    return {
      family,
      arch: $('img-arch').value,
      loss: $('img-loss').value,
      zDim,
      codes: conditional ? null : (zDim === 2 || family === 'sgan' ? 0 : Number($('img-codes').value)),
      ...semiControls($, family),
      interpolation: $('img-interp').value,
      truncation: $('img-trunc-on').checked ? Number($('img-trunc').value) : null,
    };
  }

  /** A conditional run's label takes the code's place, and needs more than a 2-d latent. */
  function syncFamily(family, zDim) {
    const conditional = family === 'cgan' || family === 'acgan';
    $('img-codes').disabled = zDim === 2 || family !== 'unconditional';
    if (conditional) $('img-codes').value = '10';
    else if (family === 'sgan') $('img-codes').value = '0';
    else if ($('img-codes').value === '10') $('img-codes').value = '64';
    $('img-zdim').querySelector('option[value="2"]').disabled = conditional;
  }

  function fillControls(full) {
    $('img-family').value = full.family;
    $('img-arch').value = full.arch;
    $('img-loss').value = full.loss;
    if ([...$('img-zdim').options].some((o) => Number(o.value) === full.zDim)) $('img-zdim').value = String(full.zDim);
    if ([...$('img-codes').options].some((o) => Number(o.value) === full.codes)) $('img-codes').value = String(full.codes);
    syncFamily(full.family, full.zDim);
    fillSemiControls($, full);
    const labelled = gridShape(full).cols === 10;
    $('img-anchor-digit').hidden = !labelled;
    $('img-anchor-digit').value = '';
    $('img-score-what').hidden = labelled;
    $('img-score-what-labelled').hidden = !labelled;
    $('img-grid-what').textContent = labelled
      ? 'Generated: one row per digit, 0 to 9, G(z, digit); a column keeps its z (the style) while the label changes.'
      : 'Generated: G(z) for 64 fixed z.';
    $('img-interp').value = lab.page.interpolation;
    const t = lab.page.truncation;
    $('img-trunc-on').checked = t !== null;
    $('img-trunc').disabled = t === null;
    if (t !== null) $('img-trunc').value = String(t);
    $('img-trunc-value').textContent = t === null ? 'off' : Number(t).toFixed(2);
  }

  function drawGrid() {
    if (!lab.gridPixels) return;
    const { n, cols } = gridShape(lab.full);
    const cell = Math.floor(grid.width / cols);
    drawDigits(grid, lab.gridPixels, { cols, cell, n });
    const spread = pixelSpread(lab.gridPixels);
    $('img-warm').hidden = spread >= FLAT_SPREAD;
    $('img-warm').textContent = `warming up: G's images are still nearly flat grey (pixel spread ${spread.toFixed(3)}); ` +
      'its output starts at zero, and digits take shape over the first ~100 rounds';
    const ctx = grid.getContext('2d');
    lab.anchors.forEach((a, i) => {
      if (a.source !== 'grid') return;
      ctx.strokeStyle = ANCHOR_COLORS[i];
      ctx.lineWidth = 3;
      ctx.strokeRect((a.index % cols) * cell + 1.5, Math.floor(a.index / cols) * cell + 1.5, cell - 3, cell - 3);
      ctx.fillStyle = ANCHOR_COLORS[i];
      ctx.font = 'bold 12px system-ui, sans-serif';
      ctx.fillText(ANCHOR_NAMES[i], (a.index % cols) * cell + 5, Math.floor(a.index / cols) * cell + 15);
    });
  }

  function drawScore(score) {
    const el = $('img-score');
    const c = $('img-classes');
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    if (!score) {
      el.textContent = 'recognised as digits: — (measured while training, and on pause)';
      return;
    }
    el.textContent = `recognised as digits: ${(100 * score.share).toFixed(1)} % of ${score.samples} samples at round ${score.step}` +
      ` (the classifier gives them one digit with confidence ≥ ${score.threshold}; it recognises ${(100 * score.testAccuracy).toFixed(1)} % of held-out real digits)`;
    if (score.intended) {
      drawIntended(score, el, c, ctx);
      return;
    }
    // One rule for the headline and the bars: a bar counts the samples recognised as its digit,
    // grey the rest (unsure, or no digit at all).
    const counts = score.recognised || score.classes;
    const top = Math.max(1, ...counts);
    const w = c.width / counts.length;
    ctx.font = '12px system-ui, sans-serif';
    counts.forEach((k, d) => {
      const h = ((c.height - 20) * k) / top;
      ctx.fillStyle = d === 10 ? '#9ca3af' : '#2563eb';
      ctx.fillRect(d * w + 6, c.height - 16 - h, w - 12, h);
      ctx.fillStyle = '#1f2328';
      ctx.fillText(d === 10 ? 'unsure' : String(d), d * w + w / 2 - (d === 10 ? 17 : 3), c.height - 3);
      ctx.fillStyle = '#59636e';
      ctx.fillText(String(k), d * w + w / 2 - 6, Math.max(11, c.height - 19 - h));
    });
  }

  /** A conditional run's verdict: per digit, the share the classifier names as the digit asked for. */
  function drawIntended(score, el, c, ctx) {
    const per = score.intended.perDigit;
    const worst = per.reduce((m, v, d) => (v < per[m] ? d : m), 0);
    el.textContent = `the digit asked for: the classifier names it for ${(100 * score.intended.share).toFixed(1)} % of ${score.samples} samples at round ${score.step}` +
      ` (worst: ${worst}, ${(100 * per[worst]).toFixed(0)} %); recognised as some digit: ${(100 * score.share).toFixed(1)} %`;
    const w = c.width / 10;
    ctx.font = '12px system-ui, sans-serif';
    per.forEach((v, d) => {
      const h = (c.height - 20) * v;
      ctx.fillStyle = '#16a34a';
      ctx.fillRect(d * w + 6, c.height - 16 - h, w - 12, h);
      ctx.fillStyle = '#1f2328';
      ctx.fillText(String(d), d * w + w / 2 - 3, c.height - 3);
      ctx.fillStyle = '#59636e';
      ctx.fillText(`${(100 * v).toFixed(0)}%`, d * w + w / 2 - 12, Math.max(11, c.height - 19 - h));
    });
  }

  function renderStatus() {
    const s = lab.stats();
    if (!lab.run) return;
    const fmt = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');
    const rate = Number.isFinite(s.stepsPerSec) ? s.stepsPerSec.toFixed(1) : '—';
    status(`round ${s.step} · loss D ${fmt(s.lossD)} · G ${fmt(s.lossG)} · ${rate} rounds/s · ${s.arch} on ${s.backend}` +
      ` (${s.params[0].toLocaleString('en')} + ${s.params[1].toLocaleString('en')} weights)`);
  }

  async function ensureRun() {
    if (lab.run) return true;
    try {
      status('starting the image run…');
      await lab.configure(readControls());
      return true;
    } catch (e) {
      showError(e.message);
      status('not started');
      return false;
    }
  }

  lab.addEventListener('configured', () => {
    showError('');
    $('img-notice').hidden = true;
    $('img-resume').hidden = true;
    fillControls(lab.full);
    chart.clear();
    chart.draw();
    drawDigits($('img-real'), lab.run.real, { cols: 8, cell: CELL, n: GRID });
    nextAnchor = 0;
    pad.clear();
    drawScore(null);
    renderStatus();
    pad.refreshAnchors();
  });
  lab.addEventListener('step', (e) => {
    for (const l of e.detail.losses || [e.detail]) chart.push(l.step, l.lossD, l.lossG);
    chart.draw();
    renderStatus();
  });
  lab.addEventListener('grid', () => drawGrid());
  lab.addEventListener('score', (e) => drawScore(e.detail));
  lab.addEventListener('anchors', () => {
    // Anchors made since (grid, random) have their own digits: the menu says so.
    if (!lab.anchors.some((a) => a.digit !== undefined)) $('img-anchor-digit').value = '';
    drawGrid();
    pad.refreshAnchors();
  });
  $('img-anchor-digit').addEventListener('change', () => {
    const v = $('img-anchor-digit').value;
    lab.setAnchorDigit(v === '' ? null : Number(v)).catch((e) => showError(e.message));
  });
  lab.addEventListener('error', (e) => {
    const diverged = /diverged/.test(e.detail) && lab.good;
    showError(diverged ? e.detail : `${e.detail}. Press New run to start again.`);
    if (diverged) {
      const { lrD, lrG } = lab.full;
      $('img-resume').textContent = `Resume from round ${lab.good.step} (the last good state) with the learning rates ÷ 10 (D ${lrD} → ${lrD / 10}, G ${lrG} → ${lrG / 10})`;
      $('img-resume').hidden = false;
    }
  });
  $('img-resume').addEventListener('click', () => {
    $('img-resume').hidden = true;
    const { lrD, lrG } = lab.full;
    lab.resume({ lrD: Math.max(1e-7, lrD / 10), lrG: Math.max(1e-7, lrG / 10) }).then(
      () => lab.play(),
      (err) => showError(err.message),
    );
  });
  $('img-csv').addEventListener('click', () => {
    if (!lab.full) return;
    download(`mnist-${lab.full.arch}-step${lab.last.step}.csv`, new Blob([lab.curvesCsv()], { type: 'text/csv' }));
  });
  lab.addEventListener('notice', (e) => {
    $('img-notice').textContent = e.detail.message;
    $('img-notice').hidden = false;
  });
  lab.addEventListener('playing', (e) => {
    $('img-play').textContent = e.detail.playing ? 'Pause' : 'Train';
    // A new grid is read after training pauses, and the film and anchors follow the new G.
    if (!e.detail.playing && lab.run) {
      pad.refreshAnchors();
      lab.redrawFilm().catch((err) => showError(err.message));
    }
  });

  $('img-play').addEventListener('click', async () => {
    if (lab.playing) { lab.pause(); return; }
    if (await ensureRun()) lab.play();
  });
  $('img-step').addEventListener('click', async () => {
    // As after a pause, the pad's anchor images follow the new G.
    if (await ensureRun()) lab.step(1).then(() => pad.refreshAnchors()).catch(() => {});
  });
  wireBackendMenu(lab, { prefix: 'img', readControls, showError });
  $('img-new').addEventListener('click', () => {
    lab.configure(readControls()).catch((e) => showError(e.message));
  });
  $('img-save').addEventListener('click', async () => {
    if (!(await ensureRun())) return;
    lab.saveRun().then(
      (bytes) => download(`mnist-${lab.full.arch}-step${lab.last.step}.ganimg`, new Blob([bytes], { type: 'application/octet-stream' })),
      (e) => showError(e.message),
    );
  });
  $('img-load').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      await lab.loadRun(file);
    } catch (err) {
      showError(`${file.name}: ${err.message}`);
    }
  });
  for (const id of ['img-family', 'img-arch', 'img-loss', 'img-zdim', 'img-codes', 'img-labels', 'img-fm']) {
    $(id).addEventListener('change', () => {
      if (lab.run) lab.configure(readControls()).catch((e) => showError(e.message));
    });
  }
  const truncationChanged = () => {
    const on = $('img-trunc-on').checked;
    $('img-trunc').disabled = !on;
    const t = on ? Number($('img-trunc').value) : null;
    $('img-trunc-value').textContent = t === null ? 'off' : t.toFixed(2);
    if (lab.run) lab.setTruncation(t).catch((e) => showError(e.message));
    else lab.page.truncation = t;
  };
  $('img-trunc-on').addEventListener('change', truncationChanged);
  $('img-trunc').addEventListener('input', truncationChanged);
  $('img-interp').addEventListener('change', () => lab.setInterpolation($('img-interp').value));

  grid.addEventListener('click', (e) => {
    if (!lab.run) return;
    const r = grid.getBoundingClientRect();
    const { cols } = gridShape(lab.full);
    const cell = (Math.floor(grid.width / cols) / grid.width) * r.width;
    const col = Math.floor((e.clientX - r.left) / cell);
    const row = Math.floor((e.clientY - r.top) / cell);
    if (col < 0 || col >= cols || row < 0 || row >= cols) return;
    lab.setAnchorFromGrid(nextAnchor, row * cols + col);
    nextAnchor = (nextAnchor + 1) % 3;
  });
  $('img-random').addEventListener('click', async () => {
    if (await ensureRun()) lab.randomAnchors(Math.floor(Math.random() * 1e9)).catch((e) => showError(e.message));
  });

  $('img-grid-png').addEventListener('click', () => grid.toBlob((b) => download(`mnist-${lab.full ? lab.full.arch : 'gan'}-step${lab.last.step}-grid.png`, b), 'image/png'));

  const pad = mountPad(lab, { showError, ensureRun });
  mountSemi(lab, $);
  chart.draw();
}
