// The latent pad and the filmstrip: the plane through anchors A, B and C (or, for a 2-d z, the
// latent plane itself), a path drawn on it with a pointer, pen or finger, and G's images along
// the path, played as an animation.

import { download } from '../app/download.js';
import { digitCanvas, drawDigits } from '../views/digits.js';
import { PAD_ANCHORS, SIDE } from './lab.js';

export const ANCHOR_COLORS = ['#dc2626', '#2563eb', '#16a34a'];
export const ANCHOR_NAMES = ['A', 'B', 'C'];
const FILM_TILE = 56;
const ANIMATION_FPS = 12;

/**
 * Wires the pad and the filmstrip to `lab`.
 * @param {import('./lab.js').ImageLab} lab
 */
export function mountPad(lab, { showError, ensureRun }) {
  const $ = (id) => document.getElementById(id);
  const pad = $('img-pad');
  const film = $('img-film');
  const frame = $('img-frame');
  let stroke = null;
  let anchorPixels = null;
  let animation = null;
  let shownFrame = -1;

  function drawPad() {
    const ctx = pad.getContext('2d');
    const W = pad.width, H = pad.height;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#f8fafc';
    ctx.fillRect(0, 0, W, H);
    const two = lab.full && lab.full.zDim === 2;
    ctx.font = '12px system-ui, sans-serif';
    if (two) {
      ctx.strokeStyle = '#cbd5e1';
      ctx.beginPath();
      ctx.moveTo(W / 2, 0); ctx.lineTo(W / 2, H); ctx.moveTo(0, H / 2); ctx.lineTo(W, H / 2);
      ctx.stroke();
      ctx.fillStyle = '#64748b';
      ctx.fillText('z₁ →', W - 34, H / 2 - 4);
      ctx.fillText('z₂ ↑', W / 2 + 4, 12);
    } else {
      ctx.strokeStyle = '#cbd5e1';
      ctx.beginPath();
      PAD_ANCHORS.forEach(([u, v], i) => (i ? ctx.lineTo(u * W, v * H) : ctx.moveTo(u * W, v * H)));
      ctx.closePath();
      ctx.stroke();
      PAD_ANCHORS.forEach(([u, v], i) => {
        const s = 48;
        if (anchorPixels) ctx.drawImage(digitCanvas(anchorPixels, i * SIDE * SIDE), u * W - s / 2, v * H - s / 2, s, s);
        ctx.strokeStyle = ANCHOR_COLORS[i];
        ctx.lineWidth = 2;
        ctx.strokeRect(u * W - s / 2, v * H - s / 2, s, s);
        ctx.fillStyle = ANCHOR_COLORS[i];
        ctx.font = 'bold 13px system-ui, sans-serif';
        ctx.fillText(ANCHOR_NAMES[i], u * W - s / 2, v * H - s / 2 - 3);
      });
    }
    const path = stroke || (lab.film && lab.film.points);
    if (path && path.length) {
      ctx.strokeStyle = '#7c3aed';
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      path.forEach(([u, v], i) => (i ? ctx.lineTo(u * W, v * H) : ctx.moveTo(u * W, v * H)));
      ctx.stroke();
    }
    if (!stroke && lab.film && shownFrame >= 0) {
      const [u, v] = lab.film.points[shownFrame];
      ctx.fillStyle = '#7c3aed';
      ctx.beginPath();
      ctx.arc(u * W, v * H, 6, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  function drawFilm() {
    if (!lab.film) return;
    drawDigits(film, lab.film.pixels, { cols: 16, cell: FILM_TILE, gap: 0, n: lab.film.frames });
    showFrame(Math.max(0, shownFrame));
  }

  function showFrame(i) {
    if (!lab.film) return;
    shownFrame = Math.min(i, lab.film.frames - 1);
    const ctx = frame.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(digitCanvas(lab.film.pixels, shownFrame * SIDE * SIDE), 0, 0, frame.width, frame.height);
    drawPad();
  }

  async function refreshAnchors() {
    if (!lab.run || lab.full.zDim === 2) { anchorPixels = null; drawPad(); return; }
    try {
      anchorPixels = (await lab.anchorImages()).pixels;
    } catch (e) {
      showError(e.message);
    }
    drawPad();
  }

  const padPoint = (e) => {
    const r = pad.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  };
  pad.addEventListener('pointerdown', async (e) => {
    if (!lab.run) return;
    pad.setPointerCapture(e.pointerId);
    stroke = [padPoint(e)];
    drawPad();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!stroke) return;
    for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) stroke.push(padPoint(ev));
    drawPad();
  });
  const endStroke = () => {
    if (!stroke) return;
    const points = stroke;
    stroke = null;
    shownFrame = 0;
    lab.drawPath(points).catch((err) => showError(err.message));
  };
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);

  $('img-anim').addEventListener('click', () => {
    if (animation) {
      clearInterval(animation);
      animation = null;
      $('img-anim').textContent = 'Play';
      return;
    }
    if (!lab.film) return;
    $('img-anim').textContent = 'Stop';
    let i = 0;
    animation = setInterval(() => {
      showFrame(i % lab.film.frames);
      i += 1;
    }, 1000 / ANIMATION_FPS);
  });
  $('img-ab').addEventListener('click', async () => {
    if (await ensureRun()) lab.interpolateAnchors().catch((e) => showError(e.message));
  });
  $('img-film-png').addEventListener('click', () => film.toBlob((b) => download(`mnist-${lab.full ? lab.full.arch : 'gan'}-step${lab.last.step}-filmstrip.png`, b), 'image/png'));
  lab.addEventListener('film', () => drawFilm());
  drawPad();

  return {
    refreshAnchors,
    /** A new run: no filmstrip yet, and a word on how to make one. */
    clear() {
      shownFrame = -1;
      const ctx = film.getContext('2d');
      ctx.fillStyle = '#f8fafc';
      ctx.fillRect(0, 0, film.width, film.height);
      ctx.fillStyle = '#59636e';
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText('Draw a path on the latent pad (or press A → B): the filmstrip of G along it appears here.', 16, film.height / 2);
    },
  };
}
