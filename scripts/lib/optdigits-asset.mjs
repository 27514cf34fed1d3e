// Turns the UCI optical-recognition digits that scikit-learn bundles (1,797 digits, 8 x 8, 17
// grey levels, `sklearn/datasets/data/digits.csv.gz` inside the scikit-learn 1.9.1 wheel; the
// data: E. Alpaydin and C. Kaynak, UCI Machine Learning Repository, CC BY 4.0; scikit-learn:
// BSD-3-Clause) into the CycleGAN lab's second domain: assets/optdigits.bin (117 KB).
//
// Layout (read by src/data/optdigits.rs):
//   8 bytes  magic "UCIDIGS" + version byte 1
//   u32 LE   n, the number of digits (1,797)
//   n bytes  labels (0-9)
//   n bytes  split: 0 train, 1 validation, 2 test
//   n * 64   pixels, row-major 8 x 8, 0-16 (the count of inked cells of a 4 x 4 block)
// Digits keep the file's order. Within each class, in that order, every fifth digit (the 5th,
// 10th, ...) is test and every tenth from the 2nd (2nd, 12th, ...) validation, the rest train:
// interleaved, since the file runs writer by writer, and a split by position would hold
// writers out (a classifier trained on the first 70 % reached 99 % on validation, 90 % on them).
//   node scripts/lib/optdigits-asset.mjs WHEEL [OUT]

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

const ENTRY = 'sklearn/datasets/data/digits.csv.gz';

/** One stored or deflated file of a zip archive (a wheel), by name. */
function unzip(zip, name) {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const [nameLen, extraLen, commentLen] = [28, 30, 32].map((o) => zip.readUInt16LE(at + o));
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('latin1', at + 46, at + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const body = zip.subarray(start, start + size);
      if (method === 0) return body;
      if (method === 8) return inflateRawSync(body);
      throw new Error(`${name}: compression method ${method} is not stored or deflate`);
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} is not in the archive`);
}

const [wheel, out = 'assets/optdigits.bin'] = process.argv.slice(2);
if (!wheel) throw new Error('usage: node scripts/lib/optdigits-asset.mjs WHEEL [OUT]');
const csv = gunzipSync(unzip(readFileSync(wheel), ENTRY)).toString('utf8').trim().split('\n');
const rows = csv.map((line, r) => {
  const v = line.split(',').map(Number);
  if (v.length !== 65 || !v.every((x) => Number.isInteger(x) && x >= 0 && x <= 16) || v[64] > 9) {
    throw new Error(`${ENTRY} line ${r + 1}: expected 64 grey levels 0-16 and a digit`);
  }
  return v;
});
const n = rows.length;
const seen = Array(10).fill(0);
const buf = Buffer.alloc(12 + 2 * n + 64 * n);
buf.write('UCIDIGS', 0, 'latin1');
buf[7] = 1;
buf.writeUInt32LE(n, 8);
rows.forEach((v, i) => {
  const c = v[64];
  const k = seen[c]++;
  const test = k % 5 === 4;
  const validation = k % 10 === 1;
  buf[12 + i] = c;
  buf[12 + n + i] = test ? 2 : validation ? 1 : 0;
  Buffer.from(v.slice(0, 64)).copy(buf, 12 + 2 * n + 64 * i);
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, buf);
console.log(`wrote ${out}: ${n} digits, ${buf.length} bytes`);
