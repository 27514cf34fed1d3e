// The 2-D view, in layers: D(x) (or D*, or |D - D*|) as a heatmap, G's manifold (the latent
// grid as G warps it), the real and generated points, the generator's pull on each fake as an
// arrow, and the brush's stroke while the user draws.

/** Colours shared with the legend in index.html. */
import { CanvasView } from './canvas.js';

export const COLORS = { real: '#0f8a6c', fake: '#c2410c', manifold: '#475569', arrow: '#111827', ink: '#1f2328' };

// D = 1 (judged real) tints towards the real colour, D = 0 (judged fake) towards the fake one,
// D = 1/2 (undecided, the equilibrium) is white.
const REAL_RGB = [15, 138, 108];
const FAKE_RGB = [194, 65, 12];
/** Where neither density has mass, D* is undefined: a neutral grey. */
const NO_DATA = [236, 236, 236];

/**
 * Colour of one heatmap cell.
 * @param {number} d D(x) in [0, 1]
 * @returns {[number, number, number]}
 */
export function heatColor(d) {
  const t = Math.min(1, Math.abs(d - 0.5) * 2) * 0.55;
  const c = d >= 0.5 ? REAL_RGB : FAKE_RGB;
  return [0, 1, 2].map((i) => Math.round(255 + (c[i] - 255) * t));
}

/**
 * The colour of label `c` of `k` in a conditional run: hues evenly round the wheel, dark enough
 * to read on the heatmap's pale tints.
 * @param {number} c
 * @param {number} k
 */
export function labelColor(c, k) {
  return `hsl(${Math.round((360 * c) / k)}, 75%, 40%)`;
}

/**
 * Colour of |D - D*| in [0, 1]: white at 0, deep purple at 1/2 and beyond.
 * @param {number} e
 */
export function diffColor(e) {
  const t = Math.min(1, e * 2);
  return [Math.round(255 - 150 * t), Math.round(255 - 200 * t), Math.round(255 - 60 * t)];
}

/**
 * The data units per unit of gradient that draw the 90th-percentile arrow of the given generator
 * fields at a tenth of the plot's half-width: one scale for the run and its twin, so their
 * arrows compare (a starving generator's arrows are visibly short). 0 if every arrow is zero.
 * @param {(Float32Array|null)[]} fields [x, y, u, v, ...] each
 * @param {number} extent
 */
export function arrowScale(fields, extent) {
  const lens = [];
  for (const f of fields) {
    if (!f) continue;
    for (let i = 0; i + 3 < f.length; i += 4) lens.push(Math.hypot(f[i + 2], f[i + 3]));
  }
  if (!lens.length) return 0;
  lens.sort((a, b) => a - b);
  const p90 = lens[Math.floor(0.9 * (lens.length - 1))];
  return p90 > 0 && Number.isFinite(p90) ? (0.1 * extent) / p90 : 0;
}

export class PlanePlot extends CanvasView {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    super(canvas);
    this.extent = 3;
    this.grid = null;
    this.gridRes = 0;
    this.real = null;
    this.fake = null;
    this.show = { heatmap: true, real: true, fake: true, manifold: true, arrows: true };
    /** G over the latent grid, flat [x, y, ...], `manifoldRes` per axis (one line for zDim 1). */
    this.manifold = null;
    this.manifoldRes = 0;
    this.zDim = 2;
    /**
     * A conditional run's number of labels (0 for none): fake i has label i mod `labels` and is
     * drawn in its label's colour, and the manifold holds one latent grid per label.
     */
    this.labels = 0;
    /** The generator field [x, y, u, v, ...] and the data units an arrow takes per unit of u. */
    this.arrows = null;
    this.arrowScale = 0;
    /** Points of the drawing in progress (brush), flat [x, y, ...], or null. */
    this.stroke = null;
    /** A caption drawn over the plane's top-left corner (slow motion's "D update"), or ''. */
    this.banner = '';
    /** Which surface the heatmap shows: 'd' (the learned D), 'dstar' (D*) or 'diff' (|D - D*|). */
    this.surface = 'd';
    this.dStar = null;
  }

  /** World x/y to canvas pixels. */
  toPx(x, y) {
    const { width, height } = this.canvas;
    return [((x + this.extent) / (2 * this.extent)) * width, ((this.extent - y) / (2 * this.extent)) * height];
  }

  /** Client (CSS pixel) coordinates of a pointer to world x/y. */
  fromClient(clientX, clientY) {
    const r = this.canvas.getBoundingClientRect();
    const u = (clientX - r.left) / r.width;
    const v = (clientY - r.top) / r.height;
    return [(2 * u - 1) * this.extent, (1 - 2 * v) * this.extent];
  }

  /**
   * @param {Float32Array} values D on the grid, row-major, top row first
   * @param {number} res
   * @param {boolean} scale map the grid's own range onto [0, 1] (for a critic's unbounded values)
   */
  setGrid(values, res, scale = false) {
    if (values && scale) {
      let lo = Infinity, hi = -Infinity;
      for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      const span = hi - lo > 1e-12 ? hi - lo : 1;
      values = values.map((v) => (v - lo) / span);
    }
    this.grid = values;
    this.gridRes = res;
  }

  draw() {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (this.show.heatmap && this.grid) this.drawHeatmap();
    this.drawAxes();
    if (this.show.manifold && this.manifold) this.drawManifold();
    if (this.show.real && this.real) this.drawPoints(this.real, COLORS.real, 2.2);
    if (this.show.fake && this.fake) {
      if (this.labels > 0) this.drawLabelled(this.fake, this.labels, 2.4);
      else this.drawPoints(this.fake, COLORS.fake, 2.2);
      this.drawOutside(this.fake);
    }
    if (this.show.arrows && this.arrows && this.arrowScale > 0) this.drawArrows();
    if (this.stroke) this.drawPoints(this.stroke, COLORS.ink, 2.6);
    if (this.banner) this.drawBanner();
  }

  /**
   * The latent grid's lines through G: rows and columns (or the one line for zDim 1); a
   * conditional run's one grid per label, each in its label's colour.
   */
  drawManifold() {
    const { ctx } = this;
    const m = this.manifold;
    const res = this.manifoldRes;
    const blocks = Math.max(1, this.labels);
    const per = m.length / 2 / blocks;
    const line = (at, idx) => {
      ctx.beginPath();
      idx.forEach((k, i) => {
        const [x, y] = this.toPx(m[2 * (at + k)], m[2 * (at + k) + 1]);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
    };
    ctx.globalAlpha = 0.55;
    const seq = [...Array(res).keys()];
    for (let b = 0; b < blocks; b++) {
      const at = b * per;
      ctx.strokeStyle = this.labels > 0 ? labelColor(b, this.labels) : COLORS.manifold;
      if (this.zDim === 1 || per < res * res) {
        ctx.lineWidth = 1.5;
        line(at, seq);
      } else {
        ctx.lineWidth = 1;
        for (let r = 0; r < res; r++) line(at, seq.map((c) => r * res + c));
        for (let c = 0; c < res; c++) line(at, seq.map((r) => r * res + c));
      }
    }
    ctx.globalAlpha = 1;
  }

  /** An arrow from each fake along -d cost_G / dx, `arrowScale` data units per unit. */
  drawArrows() {
    const { ctx } = this;
    const a = this.arrows;
    const cap = 0.3 * this.extent;
    ctx.strokeStyle = COLORS.arrow;
    ctx.globalAlpha = 0.8;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (let i = 0; i + 3 < a.length; i += 4) {
      let u = a[i + 2] * this.arrowScale;
      let v = a[i + 3] * this.arrowScale;
      const len = Math.hypot(u, v);
      if (!(len > 0)) continue;
      if (len > cap) { u *= cap / len; v *= cap / len; }
      const [x0, y0] = this.toPx(a[i], a[i + 1]);
      const [x1, y1] = this.toPx(a[i] + u, a[i + 1] + v);
      const px = Math.hypot(x1 - x0, y1 - y0);
      if (px < 1) continue;
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      // The head: two short strokes back from the tip.
      const h = Math.min(5, 0.4 * px);
      const ang = Math.atan2(y1 - y0, x1 - x0);
      for (const s of [-0.45, 0.45]) {
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - h * Math.cos(ang + s), y1 - h * Math.sin(ang + s));
      }
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  /**
   * Fakes outside the view, each marked where it left: a tick on the border in its direction
   * (G's points can fly far off; the page also says how many).
   */
  drawOutside(pts) {
    const { ctx, canvas } = this;
    const e = this.extent;
    ctx.fillStyle = COLORS.fake;
    ctx.beginPath();
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const x = pts[i];
      const y = pts[i + 1];
      const r = Math.max(Math.abs(x), Math.abs(y));
      if (r <= e) continue;
      // Towards the point, onto the border (a point at infinity or NaN: the border's middle).
      const s = Number.isFinite(r) ? e / r : 0;
      const [px, py] = this.toPx(Number.isFinite(x * s) ? x * s : 0, Number.isFinite(y * s) ? y * s : 0);
      const cx = Math.min(canvas.width - 4, Math.max(4, px));
      const cy = Math.min(canvas.height - 4, Math.max(4, py));
      ctx.moveTo(cx + 4, cy);
      ctx.arc(cx, cy, 4, 0, 2 * Math.PI);
    }
    ctx.fill();
  }

  drawBanner() {
    const { ctx } = this;
    ctx.font = '600 15px system-ui, sans-serif';
    const w = ctx.measureText(this.banner).width + 16;
    ctx.fillStyle = 'rgba(31, 35, 40, 0.82)';
    ctx.fillRect(8, 8, w, 26);
    ctx.fillStyle = '#fff';
    ctx.fillText(this.banner, 16, 26);
  }

  drawHeatmap() {
    const res = this.gridRes;
    if (this.surface !== 'd' && !this.dStar) return;
    if (!this.off || this.off.width !== res) {
      this.off = new OffscreenCanvas(res, res);
      this.img = new ImageData(res, res);
    }
    const img = this.img;
    const px = img.data;
    for (let i = 0; i < res * res; i++) {
      // D* is NaN where neither density has mass: drawn as a neutral grey ("no data").
      const star = this.dStar ? this.dStar[i] : 0.5;
      const [r, g, b] = this.surface === 'd' ? heatColor(this.grid[i])
        : !Number.isFinite(star) ? NO_DATA
          : this.surface === 'dstar' ? heatColor(star)
            : diffColor(Math.abs(this.grid[i] - star));
      px[4 * i] = r;
      px[4 * i + 1] = g;
      px[4 * i + 2] = b;
      px[4 * i + 3] = 255;
    }
    this.off.getContext('2d').putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(this.off, 0, 0, this.canvas.width, this.canvas.height);
  }

  drawAxes() {
    const { ctx } = this;
    ctx.strokeStyle = 'rgba(0,0,0,0.12)';
    ctx.lineWidth = 1;
    const step = this.extent > 4 ? 2 : 1;
    for (let v = -Math.floor(this.extent); v <= this.extent; v += step) {
      const [x0, y0] = this.toPx(v, -this.extent);
      const [x1, y1] = this.toPx(v, this.extent);
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      const [a0, b0] = this.toPx(-this.extent, v);
      const [a1, b1] = this.toPx(this.extent, v);
      ctx.beginPath(); ctx.moveTo(a0, b0); ctx.lineTo(a1, b1); ctx.stroke();
    }
  }

  /** Fake i in the colour of its label, i mod `k`, ringed in white so that it reads on any tint. */
  drawLabelled(pts, k, r) {
    const { ctx } = this;
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const [x, y] = this.toPx(pts[i], pts[i + 1]);
      if (x < -10 || y < -10 || x > this.canvas.width + 10 || y > this.canvas.height + 10) continue;
      ctx.fillStyle = labelColor((i / 2) % k, k);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }

  drawPoints(pts, color, r) {
    if (!pts) return;
    const { ctx } = this;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.75;
    // A fill per dot, so that overlapping dots darken: dense clusters read as dense.
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const [x, y] = this.toPx(pts[i], pts[i + 1]);
      if (x < -10 || y < -10 || x > this.canvas.width + 10 || y > this.canvas.height + 10) continue;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }
}
