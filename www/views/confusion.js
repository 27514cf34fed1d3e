// A confusion matrix: counts of (true class, class called) as a heat map, the diagonal green,
// the mistakes red, each cell's count written in it.

import { CanvasView } from './canvas.js';

export class ConfusionView extends CanvasView {
  /**
   * Draws `counts` (flat k x k, row = true class, column = class called) under `title`; null
   * draws the empty frame with `empty` said in it.
   */
  draw(counts, { title = '', empty = '' } = {}) {
    const { ctx, canvas } = this;
    const W = canvas.width, H = canvas.height, left = 18, top = 32;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#333';
    ctx.fillText(title, 4, 12);
    if (!counts) {
      ctx.fillStyle = '#777';
      ctx.fillText(empty, left, H / 2);
      return;
    }
    const k = Math.round(Math.sqrt(counts.length));
    const cell = Math.floor(Math.min(W - left - 2, H - top - 2) / k);
    const rows = Array.from({ length: k }, (_, r) => counts.slice(r * k, (r + 1) * k).reduce((a, b) => a + b, 0));
    for (let r = 0; r < k; r++) {
      ctx.fillStyle = '#59636e';
      ctx.fillText(String(r), 6, top + r * cell + cell / 2 + 4);
      for (let c = 0; c < k; c++) {
        const n = counts[r * k + c];
        const share = rows[r] ? n / rows[r] : 0;
        // Right calls in green, mistakes in red, their depth the share of the row.
        const a = r === c ? share : Math.min(1, 3 * share);
        ctx.fillStyle = r === c ? `rgba(22, 163, 74, ${a})` : `rgba(220, 38, 38, ${a})`;
        ctx.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
        if (r === 0) {
          ctx.fillStyle = '#59636e';
          ctx.fillText(String(c), left + c * cell + cell / 2 - 3, top - 2);
        }
        if (n > 0 && cell >= 16) {
          ctx.fillStyle = a > 0.55 ? '#fff' : '#1f2328';
          const text = String(n);
          ctx.fillText(text, left + c * cell + (cell - ctx.measureText(text).width) / 2, top + r * cell + cell / 2 + 4);
        }
      }
    }
  }
}
