// Unbreakable for real (issue 21's figures): the run-file fuzz counts, natively (the fuzz of
// tests/run_file.rs and tests/image_files.rs, printed by them) and in the page (bit flips in
// every header byte and at random payload positions, and the crafted files, each loaded through
// window.playground.loadRun), and the engine's memory after a refused 1.5 GB and 3 GB file.
// Writes the "hostile" section of BENCHMARKS.md. Needs a build (scripts/build.sh); ~2 minutes.
//   node scripts/bench/hostile.mjs

import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, start } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { header, reseal, withHeader } from '../lib/runfile.mjs';

const lines = [];
const say = (s) => { lines.push(s); console.log(s); };

// Natively: the fuzz tests print their counts.
let nativeLines = [];
try {
  const out = execFileSync('bash', ['-c', 'cargo test --release --test run_file --test image_files hostile -- --nocapture 2>&1'], { encoding: 'utf8' });
  nativeLines = out.split('\n').filter((l) => l.startsWith('fuzz ('));
} catch (e) {
  nativeLines = [`the native fuzz failed: ${String(e.stdout || e.message).slice(-400)}`];
}

const env = await start();
const { page, problems } = await openPage(env, '#seed=6&probeEvery=0&theoryEvery=0&batchSize=64');
const run = Buffer.from(await page.evaluate(async () => {
  await window.playground.step(20);
  return Array.from(await window.playground.saveRun());
}));
const { at } = header(run);
// Bit flips are described (byte, mask) and applied in the page to a copy of the run; the
// crafted files (sealed again) travel whole.
const flips = [];
for (let i = 0; i < at; i++) for (const x of [0x01, 0x80]) flips.push([i, x]);
let seed = 99;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
for (let i = 0; i < 500; i++) flips.push([at + rand(run.length - at), 1 << rand(8)]);
const id = header(run).header.genIds[0];
const crafted = [];
for (const n of [2 ** 29, 2 ** 30, 2 ** 31]) {
  crafted.push(withHeader(run, (h) => { for (let k = 0; k < 2 ** 32 / (2 * n); k++) h.optG.params.push([id, 1, n]); }));
}
crafted.push(withHeader(run, (h) => { h.genFloats = 2 ** 32; }));
crafted.push(reseal(Buffer.concat([run.subarray(0, run.length - 8), run.subarray(run.length - 4)])));
const cases = { length: flips.length + crafted.length + 1 };
const t0 = Date.now();
const counts = await page.evaluate(async ([flips, crafted, original]) => {
  const c = { refused: 0, identical: 0, other: 0, notes: [] };
  const pg = window.playground;
  const orig = new Uint8Array(original);
  const tryLoad = async (bytes, same) => {
    try {
      await pg.loadRun(bytes);
      if (same) c.identical += 1;
      else { c.other += 1; c.notes.push(`loaded a changed file (${bytes.length} bytes)`); }
    } catch (e) {
      if (/^could not load the run: /.test(e.message)) c.refused += 1;
      else { c.other += 1; c.notes.push(e.message); }
    }
  };
  for (const [i, mask] of flips) {
    const b = orig.slice();
    b[i] ^= mask;
    await tryLoad(b, false);
  }
  for (const f of crafted) await tryLoad(new Uint8Array(f), false);
  await tryLoad(orig.slice(), true);
  return c;
}, [flips, crafted.map((b) => Array.from(b)), Array.from(run)]);
const secs = (Date.now() - t0) / 1000;
const still = await page.evaluate(() => window.playground.step(5).then((s) => s.step));

// Big files: refused from their size before they are read (sparse files: no disk used).
const dir = mkdtempSync(join(tmpdir(), 'gan-big-'));
const memRows = [];
for (const gb of [1.5, 3]) {
  const path = join(dir, `big-${gb}.ganrun`);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, Math.round(gb * 2 ** 30));
  closeSync(fd);
  const before = await page.evaluate(() => window.playground.memory());
  const t = Date.now();
  await page.setInputFiles('#load-run', path);
  await page.waitForFunction(() => /at most 256 MB/.test(document.getElementById('error').textContent), null, { timeout: 120000 });
  const ms = Date.now() - t;
  const afterMem = await page.evaluate(() => window.playground.memory());
  const msg = await page.textContent('#error');
  const mb = (m) => (m.wasm ? Object.values(m.wasm).filter(Number.isFinite).reduce((a, b) => a + b, 0) / 1e6 : NaN);
  memRows.push(`| ${gb} GB of zeros | ${ms} ms | ${mb(before).toFixed(1)} MB | ${mb(afterMem).toFixed(1)} MB | ${msg.replace(/\|/g, '\\|')} |`);
}
await page.close();
await env.close();

say('## Unbreakable: hostile run files, big files');
say('');
say(`Measured ${new Date().toISOString().slice(0, 10)} with \`node scripts/bench/hostile.mjs\` (~2 minutes). Every case must be`);
say('refused with a message or load exactly the file that was saved: "other" must be 0.');
say('');
say('| Fuzz | cases | refused | identical | other |');
say('|---|---|---|---|---|');
for (const l of nativeLines) {
  const m = /^fuzz \((.+?), (\d+) bytes\): (\d+) cases: (\d+) refused, (\d+) identical, (\d+) other/.exec(l);
  if (m) say(`| native, ${m[1]} (${m[2]} bytes): every header byte ^ 0x01/0x80/0xFF, every magic bit (raw and resealed), random payload flips, structured header mutations resealed | ${m[3]} | ${m[4]} | ${m[5]} | ${m[6]} |`);
  else say(`| ${l} | | | | |`);
}
say(`| in the page (wasm32, through \`loadRun\`; ${run.length} bytes): every header byte ^ 0x01/0x80, 500 payload flips, optimiser entries adding up to 2^32, genFloats 2^32, a float cut, the file itself (${secs.toFixed(0)} s) | ${cases.length} | ${counts.refused} | ${counts.identical} | ${counts.other} |`);
if (counts.notes.length) say(`\nOther: ${counts.notes.slice(0, 5).join('; ')}`);
say('');
say(`After the page's fuzz the run still trains (step ${still}), no page errors: ${problems.length === 0 ? 'none' : problems.join('; ')}.`);
say('');
say('| A file of | refused after | engine (wasm) memory before | after | message |');
say('|---|---|---|---|---|');
for (const r of memRows) say(r);
writeSection('hostile', lines);
