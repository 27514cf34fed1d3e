// End-to-end: save a run to a file and load it back (it continues exactly), refuse bad files
// with a message while the page trains on, and export the plane as PNG and the curves as CSV.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadOf, openPage, start } from '../../scripts/lib/browser.mjs';
import { reseal, withHeader } from '../../scripts/lib/runfile.mjs';

let env;
let dir;
before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), 'gan-files-'));
});
after(async () => env && env.close());

/** Clicks `selector` and saves what it downloads; resolves to the file's path. */
const saved = async (page, selector) => (await downloadOf(page, selector, dir)).path;

const losses = (page, n) => page.evaluate(async (n) => {
  const s = await window.playground.step(n);
  return [s.step, s.lossD, s.lossG];
}, n);

test('Save run, then Load run… in a fresh page: the run continues exactly', async () => {
  const { page, problems } = await openPage(env, '#seed=4&loss=leastSquares&probeEvery=0&theoryEvery=0');
  await losses(page, 150);
  const file = await saved(page, '#save-run');
  assert.match(readFileSync(file).subarray(0, 6).toString(), /^GANRUN/);
  const want = await losses(page, 50);
  const other = await openPage(env);
  await other.page.setInputFiles('#load-run', file);
  await other.page.waitForFunction(() => window.playground.last.step === 150);
  const cfg = await other.page.evaluate(() => window.playground.config());
  assert.equal(cfg.loss, 'leastSquares');
  assert.equal(cfg.seed, 4);
  assert.deepEqual(await losses(other.page, 50), want);
  assert.match(await other.page.evaluate(() => location.hash), /loss=leastSquares/);
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});

test('bad run files are refused with a message naming the file, and the page trains on', async () => {
  const { page, problems } = await openPage(env, '#seed=6&probeEvery=0&theoryEvery=0');
  await losses(page, 20);
  const run = readFileSync(await saved(page, '#save-run'));
  const png = readFileSync(await saved(page, '#export-png'));
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'the plane exports as PNG');
  // A run of another architecture: the header says genWidth 32, the weights are for 64.
  const other = withHeader(run, (h) => { h.config.genWidth = 32; });
  const flipped = Buffer.from(run);
  flipped[run.length >> 1] ^= 0x10;
  const files = {
    'cut.ganrun': [run.subarray(0, run.length - 1000), /checksum does not match/],
    'flipped.ganrun': [flipped, /the file is damaged: its checksum does not match/],
    'truncated.ganrun': [reseal(run.subarray(0, run.length - 1000)), /truncated/],
    'plane.png': [png, /not a GAN Playground run file/],
    'config.json': [Buffer.from('{"dataset": "ring8"}'), /not a GAN Playground run file/],
    'empty.ganrun': [Buffer.alloc(0), /not a GAN Playground run file/],
    'other-architecture.ganrun': [other, /do not fit its config's architecture/],
  };
  for (const [name, [bytes, want]] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    await page.setInputFiles('#load-run', path);
    await page.waitForSelector('#error:not([hidden])');
    const msg = await page.textContent('#error');
    assert.match(msg, want, name);
    assert.ok(msg.startsWith(`${name}: could not load the run`) || msg.startsWith(`${name}:`), msg);
    const s = await page.evaluate(() => window.playground.step(5));
    assert.equal(s.step, (await page.evaluate(() => window.playground.last.step)), name);
    assert.equal((await page.evaluate(() => window.playground.config())).seed, 6, `${name}: the run was kept`);
    await page.evaluate(() => { document.getElementById('error').hidden = true; });
  }
  const csv = readFileSync(await saved(page, '#export-csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'step,lossD,lossG,vOptimal,jsd,dRealMean,dFakeMean,modesCaptured,highQualityPct');
  assert.ok(csv.length > 2 && csv.slice(1).every((l) => /^\d+,[-\d.e]+,[-\d.e]+,/.test(l)), csv.slice(0, 4).join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('on WebGPU the run saves too (one asynchronous read), and the file continues on the CPU', async () => {
  const { page, problems } = await openPage(env, '#backend=webgpu&seed=5&probeEvery=0&theoryEvery=0');
  assert.equal((await page.evaluate(() => window.playground.stats())).backend, 'webgpu');
  await losses(page, 6);
  const file = await saved(page, '#save-run');
  const want = await losses(page, 4);
  const other = await openPage(env, '#backend=cpu&probeEvery=0&theoryEvery=0');
  await other.page.setInputFiles('#load-run', file);
  await other.page.waitForFunction(() => window.playground.last.step === 6);
  const s = await other.page.evaluate(() => window.playground.stats());
  assert.match(s.backend, /^cpu/);
  assert.match(s.backendReason, /^a loaded run/);
  // The same run (Adam's moments included) on another backend: the same losses to float rounding.
  const got = await losses(other.page, 4);
  assert.equal(got[0], want[0]);
  for (const i of [1, 2]) assert.ok(Math.abs(got[i] - want[i]) < 1e-3 * (1 + Math.abs(want[i])), `${got} vs ${want}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});
