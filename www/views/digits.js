// Digits on a canvas: one 28 x 28 digit (784 values in [0, 1], 0 black) as a small canvas, and
// a grid of them.

const SIDE = 28;

/** One `side` x `side` digit (values in [0, 1], 0 black; 28 x 28 by default) as a canvas its size. */
export function digitCanvas(pixels, offset, side = SIDE) {
  const c = document.createElement('canvas');
  c.width = side;
  c.height = side;
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, pixels[offset + i])));
    img.data[4 * i] = v;
    img.data[4 * i + 1] = v;
    img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

/** Draws `n` digits of `pixels` in a `cols`-wide grid of `cell`-pixel cells (digit `cell - gap`). */
export function drawDigits(canvas, pixels, { cols, cell, gap = 2, n = pixels.length / (SIDE * SIDE) }) {
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let k = 0; k < n; k++) {
    const x = (k % cols) * cell + gap / 2;
    const y = Math.floor(k / cols) * cell + gap / 2;
    ctx.drawImage(digitCanvas(pixels, k * SIDE * SIDE), x, y, cell - gap, cell - gap);
  }
}
