// The live loss chart: the discriminator's and the generator's cost over training steps.

import { CanvasView } from './canvas.js';

/**
 * Keeps a chart's history bounded: past 2,000 points, every other one of the oldest 1,500 goes.
 * @template T
 * @param {T[]} points
 * @returns {T[]}
 */
export function thin(points) {
  return points.length > 2000 ? points.filter((_, i) => i % 2 === 0 || i > 1500) : points;
}

export class LossChart extends CanvasView {
  clear() {
    /** @type {{step: number, d: number, g: number}[]} */
    this.points = [];
  }

  /**
   * Appends one reading (a cost may be NaN, e.g. G's while D pretrains alone), thinning old
   * points (see `thin`).
   */
  push(step, d, g) {
    if (!Number.isFinite(d) && !Number.isFinite(g)) return;
    this.points.push({ step, d, g });
    this.points = thin(this.points);
  }

  draw() {
    const { ctx, canvas, points } = this;
    const W = canvas.width, H = canvas.height, pad = 28;
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    if (points.length < 2) {
      ctx.fillStyle = '#777';
      ctx.fillText('losses appear here once training runs', pad, H / 2);
      return;
    }
    const s0 = points[0].step, s1 = points[points.length - 1].step || 1;
    let lo = Infinity, hi = -Infinity;
    for (const p of points) {
      for (const v of [p.d, p.g]) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    if (hi - lo < 1e-6) { hi += 0.5; lo -= 0.5; }
    const x = (s) => pad + ((s - s0) / Math.max(1, s1 - s0)) * (W - pad - 8);
    const y = (v) => H - pad + 8 - ((v - lo) / (hi - lo)) * (H - pad - 8);
    ctx.strokeStyle = '#ddd';
    ctx.beginPath(); ctx.moveTo(pad, 4); ctx.lineTo(pad, H - pad + 8); ctx.lineTo(W - 4, H - pad + 8); ctx.stroke();
    ctx.fillStyle = '#555';
    ctx.fillText(hi.toFixed(2), 2, 12);
    ctx.fillText(lo.toFixed(2), 2, H - pad + 6);
    ctx.fillText(`step ${s1}`, W - 70, H - 6);
    for (const [key, color] of [['d', '#0f8a6c'], ['g', '#c2410c']]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let pen = false;
      for (const p of points) {
        if (!Number.isFinite(p[key])) { pen = false; continue; }
        if (pen) ctx.lineTo(x(p.step), y(p[key])); else ctx.moveTo(x(p.step), y(p[key]));
        pen = true;
      }
      ctx.stroke();
    }
  }
}
