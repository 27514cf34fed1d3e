// A small line chart of named series over training steps, with dashed reference lines: the
// theory readouts (V(G, D*) beside -log 4, D's means beside 1/2, modes captured beside their total).

import { CanvasView } from './canvas.js';
import { thin } from './chart.js';

export class SeriesChart extends CanvasView {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{title: string, series: {key: string, color: string, label: string}[],
   *          refs?: {value: number, label: string}[], fixed?: [number, number],
   *          xLabel?: (points: object[]) => string}} spec (xLabel: the text under the x axis;
   *          default the last step)
   */
  constructor(canvas, spec) {
    super(canvas);
    this.spec = spec;
  }

  clear() {
    this.points = [];
  }

  /** Appends the values of one step (an object keyed like the series). */
  push(step, values) {
    this.points.push({ step, ...values });
    this.points = thin(this.points);
  }

  draw() {
    const { ctx, canvas, points, spec } = this;
    const W = canvas.width, H = canvas.height, left = 42, right = W - 8, top = 36, bottom = H - 18;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#333';
    ctx.fillText(spec.title, 6, 12);
    let x = 6;
    for (const s of spec.series) {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, 21, 12, 3);
      ctx.fillStyle = '#555';
      ctx.fillText(s.label, x + 15, 26);
      x += ctx.measureText(s.label).width + 26;
    }
    ctx.strokeStyle = '#ccc';
    ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
    const refs = spec.refs || [];
    let [lo, hi] = spec.fixed || [Infinity, -Infinity];
    if (!spec.fixed) {
      for (const p of points) for (const s of spec.series) if (Number.isFinite(p[s.key])) { lo = Math.min(lo, p[s.key]); hi = Math.max(hi, p[s.key]); }
      for (const r of refs) { lo = Math.min(lo, r.value); hi = Math.max(hi, r.value); }
      if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
      const pad = Math.max(1e-3, (hi - lo) * 0.08);
      lo -= pad; hi += pad;
    }
    const s0 = points.length ? points[0].step : 0;
    const s1 = points.length ? Math.max(points[points.length - 1].step, s0 + 1) : 1;
    const px = (s) => left + ((s - s0) / (s1 - s0)) * (right - left);
    const py = (v) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
    ctx.fillStyle = '#666';
    ctx.fillText(hi.toFixed(2), 2, top + 4);
    ctx.fillText(lo.toFixed(2), 2, bottom);
    for (const r of refs) {
      ctx.strokeStyle = '#888';
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(left, py(r.value)); ctx.lineTo(right, py(r.value)); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#666';
      ctx.fillText(r.label, right - ctx.measureText(r.label).width - 2, py(r.value) - 3);
    }
    const xLabel = spec.xLabel || ((pts) => `step ${pts[pts.length - 1].step}`);
    if (points.length) ctx.fillText(xLabel(points), left + 4, H - 4);
    for (const s of spec.series) {
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = 1.8;
      ctx.beginPath();
      let pen = false;
      for (const p of points) {
        const v = p[s.key];
        if (!Number.isFinite(v)) { pen = false; continue; }
        if (pen) ctx.lineTo(px(p.step), py(v)); else ctx.moveTo(px(p.step), py(v));
        pen = true;
      }
      ctx.stroke();
      if (points.length === 1 && Number.isFinite(points[0][s.key])) {
        ctx.beginPath(); ctx.arc(px(points[0].step), py(points[0][s.key]), 2.5, 0, 2 * Math.PI); ctx.fill();
      }
    }
  }
}
