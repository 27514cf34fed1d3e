// The 2-D view: D(x) as a heatmap under the real and generated points.

/** Colours shared with the legend in index.html. */
export const COLORS = { real: '#0f8a6c', fake: '#c2410c' };

// D = 1 (judged real) tints towards the real colour, D = 0 (judged fake) towards the fake one,
// D = 1/2 (undecided, the equilibrium) is white.
const REAL_RGB = [15, 138, 108];
const FAKE_RGB = [194, 65, 12];

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
 * Colour of |D - D*| in [0, 1]: white at 0, deep purple at 1/2 and beyond.
 * @param {number} e
 */
export function diffColor(e) {
  const t = Math.min(1, e * 2);
  return [Math.round(255 - 150 * t), Math.round(255 - 200 * t), Math.round(255 - 60 * t)];
}

export class PlanePlot {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.extent = 3;
    this.grid = null;
    this.gridRes = 0;
    this.real = null;
    this.fake = null;
    this.show = { heatmap: true, real: true, fake: true };
    /** Which surface the heatmap shows: 'd' (the learned D), 'dstar' (D*) or 'diff' (|D - D*|). */
    this.surface = 'd';
    this.dStar = null;
  }

  /** World x/y to canvas pixels. */
  toPx(x, y) {
    const { width, height } = this.canvas;
    return [((x + this.extent) / (2 * this.extent)) * width, ((this.extent - y) / (2 * this.extent)) * height];
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
    if (this.show.real && this.real) this.drawPoints(this.real, COLORS.real, 2.2);
    if (this.show.fake && this.fake) this.drawPoints(this.fake, COLORS.fake, 2.2);
  }

  drawHeatmap() {
    const res = this.gridRes;
    if (this.surface !== 'd' && !this.dStar) return;
    const img = new ImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      // D* is NaN where neither density has mass: drawn as a neutral grey ("no data").
      const star = this.dStar ? this.dStar[i] : 0.5;
      const [r, g, b] = this.surface === 'd' ? heatColor(this.grid[i])
        : !Number.isFinite(star) ? [236, 236, 236]
          : this.surface === 'dstar' ? heatColor(star)
            : diffColor(Math.abs(this.grid[i] - star));
      img.data.set([r, g, b, 255], 4 * i);
    }
    if (!this.off || this.off.width !== res) {
      this.off = new OffscreenCanvas(res, res);
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

  drawPoints(pts, color, r) {
    const { ctx } = this;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.75;
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
