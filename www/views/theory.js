// The theory panel: the generator's cost and its derivative with respect to D's logit, as
// functions of D(G(z)), for minimax, non-saturating and maximum likelihood (curves computed by
// the engine), with the current batch's D(G(z)) drawn under them as a histogram and a rug.

import { CanvasView } from './canvas.js';

export const CURVE_COLORS = { minimax: '#7c3aed', nonSaturating: '#2563eb', maxLikelihood: '#b45309' };
const NAMES = { minimax: 'minimax', nonSaturating: 'non-saturating', maxLikelihood: 'max. likelihood' };

export class TheoryPlot extends CanvasView {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    super(canvas);
    this.curves = null;
    this.batch = null;
  }

  draw() {
    const { ctx, canvas } = this;
    const W = canvas.width, H = canvas.height;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    if (!this.curves) return;
    const half = W / 2;
    this.panel(0, half, 'cost', 'generator cost', [-4, 4]);
    this.panel(half, half, 'grad', 'd cost / d logit', [-3, 0.25]);
    // Legend along the top.
    let x = 8;
    for (const key of Object.keys(CURVE_COLORS)) {
      ctx.fillStyle = CURVE_COLORS[key];
      ctx.fillRect(x, 6, 14, 3);
      ctx.fillStyle = '#333';
      ctx.fillText(NAMES[key], x + 18, 11);
      x += ctx.measureText(NAMES[key]).width + 34;
    }
    ctx.fillStyle = '#888';
    ctx.fillRect(x, 4, 8, 8);
    ctx.fillStyle = '#333';
    ctx.fillText('this batch: D(G(z))', x + 12, 11);
  }

  panel(x0, w, field, title, [lo, hi]) {
    const { ctx, canvas } = this;
    const H = canvas.height, top = 30, bottom = H - 26, left = x0 + 30, right = x0 + w - 8;
    const px = (d) => left + d * (right - left);
    const py = (v) => bottom - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (bottom - top);
    // Histogram of the batch's D(G(z)) (20 bins, scaled to the panel's height), then the rug.
    if (this.batch && this.batch.length) {
      const bins = new Array(20).fill(0);
      for (const d of this.batch) bins[Math.min(19, Math.max(0, Math.floor(d * 20)))] += 1;
      const most = Math.max(...bins);
      ctx.fillStyle = 'rgba(120,120,120,0.22)';
      bins.forEach((c, i) => {
        const h = (c / most) * (bottom - top) * 0.9;
        ctx.fillRect(px(i / 20), bottom - h, (right - left) / 20 - 1, h);
      });
      ctx.strokeStyle = 'rgba(60,60,60,0.55)';
      ctx.beginPath();
      for (const d of this.batch) { ctx.moveTo(px(d), bottom); ctx.lineTo(px(d), bottom + 6); }
      ctx.stroke();
    }
    // Axes, zero line, labels.
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
    if (lo < 0 && hi > 0) {
      ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(left, py(0)); ctx.lineTo(right, py(0)); ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#555';
    ctx.fillText(title, left + 4, top + 10);
    ctx.fillText(String(hi), x0 + 2, top + 4);
    ctx.fillText(String(lo), x0 + 2, bottom);
    ctx.fillText('0', left - 3, H - 8);
    ctx.fillText('D(G(z))', (left + right) / 2 - 18, H - 8);
    ctx.fillText('1', right - 4, H - 8);
    // The curves.
    const d = this.curves.d;
    for (const key of Object.keys(CURVE_COLORS)) {
      const ys = this.curves[key][field];
      ctx.strokeStyle = CURVE_COLORS[key];
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let i = 0; i < d.length; i++) {
        const X = px(d[i]), Y = py(ys[i]);
        if (i === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      }
      ctx.stroke();
    }
  }
}
