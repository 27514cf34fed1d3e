// The gradient probe's chart: the generator's gradient norm under the minimax and the
// non-saturating cost, measured on the same batch at each probe, on a log scale; and beside it
// the distribution of per-sample |d cost / d logit| for both at the last probe.

import { CanvasView } from './canvas.js';
import { thin } from './chart.js';
import { CURVE_COLORS } from './theory.js';

export class ProbeChart extends CanvasView {
  clear() {
    /** @type {{step: number, mm: number, ns: number}[]} */
    this.points = [];
    this.last = null;
  }

  /** Appends one probe result (as returned by the engine's probe()). */
  push(p) {
    this.last = p;
    if (!(p.gradNormMinimax > 0) || !(p.gradNormNonSaturating > 0)) return;
    this.points.push({ step: p.step, mm: p.gradNormMinimax, ns: p.gradNormNonSaturating });
    this.points = thin(this.points);
  }

  draw() {
    const { ctx, canvas, points } = this;
    const W = canvas.width, H = canvas.height;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    const split = Math.round(W * 0.62);
    this.drawNorms(0, split);
    this.drawHistogram(split, W - split);
    if (!points.length) {
      ctx.fillStyle = '#777';
      ctx.fillText('gradient norms appear here at the first probe', 40, H / 2);
    }
  }

  drawNorms(x0, w) {
    const { ctx, points } = this;
    const { H, top, bottom, left, right } = this.panel(x0, w, '‖∇θ cost‖ (log scale)', 44, true);
    if (!points.length) return;
    let lo = Infinity, hi = -Infinity;
    for (const p of points) { lo = Math.min(lo, p.mm, p.ns); hi = Math.max(hi, p.mm, p.ns); }
    let l0 = Math.floor(Math.log10(lo)), l1 = Math.ceil(Math.log10(hi));
    if (l1 <= l0) l1 = l0 + 1;
    const s0 = points[0].step, s1 = Math.max(points[points.length - 1].step, s0 + 1);
    const px = (s) => left + ((s - s0) / (s1 - s0)) * (right - left);
    const py = (v) => bottom - ((Math.log10(v) - l0) / (l1 - l0)) * (bottom - top);
    ctx.fillStyle = '#666';
    for (let e = l0; e <= l1; e++) {
      ctx.fillText(`1e${e}`, x0 + 4, py(10 ** e) + 4);
      ctx.strokeStyle = '#eee';
      ctx.beginPath(); ctx.moveTo(left, py(10 ** e)); ctx.lineTo(right, py(10 ** e)); ctx.stroke();
    }
    ctx.fillText(`step ${points[points.length - 1].step}`, right - 60, H - 6);
    for (const [key, color] of [['mm', CURVE_COLORS.minimax], ['ns', CURVE_COLORS.nonSaturating]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.8;
      ctx.beginPath();
      points.forEach((p, i) => (i ? ctx.lineTo(px(p.step), py(p[key])) : ctx.moveTo(px(p.step), py(p[key]))));
      ctx.stroke();
    }
  }

  drawHistogram(x0, w) {
    const { ctx, last } = this;
    const { H, top, bottom, left, right } = this.panel(x0, w, 'per sample |d cost / d logit|', 6, false);
    ctx.fillStyle = '#666';
    ctx.fillText('0', left, H - 6);
    ctx.fillText('1', right - 6, H - 6);
    if (!last) return;
    const BINS = 20;
    const count = (vals) => {
      const b = new Array(BINS).fill(0);
      for (const v of vals) b[Math.min(BINS - 1, Math.max(0, Math.floor(v * BINS)))] += 1;
      return b;
    };
    const mm = count(last.dlogitMinimax), ns = count(last.dlogitNonSaturating);
    const most = Math.max(1, ...mm, ...ns);
    const bw = (right - left) / BINS;
    for (const [bins, color] of [[mm, CURVE_COLORS.minimax], [ns, CURVE_COLORS.nonSaturating]]) {
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.45;
      bins.forEach((c, i) => {
        const h = (c / most) * (bottom - top);
        ctx.fillRect(left + i * bw, bottom - h, bw - 1, h);
      });
    }
    ctx.globalAlpha = 1;
  }
}
