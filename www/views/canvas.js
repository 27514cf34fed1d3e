// What every view shares: a canvas and its 2-D context, and a history it can clear. Views are
// drawn from data the page hands them; none of them knows the engine.

export class CanvasView {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.clear();
  }

  /** Forgets what was pushed (views with a history override it). */
  clear() {}

  /**
   * Starts a panel `w` wide at `x0`: its title at the top and its axis lines (`yAxis`: a left
   * axis as well as the bottom one); returns the plot box {H, top, bottom, left, right}.
   */
  panel(x0, w, title, inset, yAxis) {
    const { ctx, canvas } = this;
    const H = canvas.height, top = 22, bottom = H - 20, left = x0 + inset, right = x0 + w - 8;
    ctx.fillStyle = '#333';
    ctx.fillText(title, left, 12);
    ctx.strokeStyle = '#ccc';
    ctx.beginPath();
    if (yAxis) {
      ctx.moveTo(left, top);
      ctx.lineTo(left, bottom);
    } else {
      ctx.moveTo(left, bottom);
    }
    ctx.lineTo(right, bottom);
    ctx.stroke();
    return { H, top, bottom, left, right };
  }
}
