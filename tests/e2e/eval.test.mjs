// End-to-end: the evaluation lab in the page. The held-out digits measured against themselves
// give the ideal figures (FID 0, precision and recall 1); the page's figures equal the native
// command line's (`images eval`, the same engine code) on the same sample set; the lab's table
// places a set beside training digits, one digit and noise; bad input gets a message and the
// image run still trains.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start({ webgpu: false });
});
after(async () => env && env.close());

const close = (got, want, rel, what) => {
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-9), `${what}: ${got} in the page, ${want} natively`);
};

test('held-out digits against themselves: FID 0, precision and recall 1, IS of real digits', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  const f = await page.evaluate(() => window.playground.evaluate({ run: 'test', n: 997, metrics: 'fid,pr,is,digits' }));
  assert.equal(f.samples, 997);
  assert.ok(Math.abs(f.fid) < 1e-6, `FID(test, test) = ${f.fid}`);
  assert.equal(f.precision, 1);
  assert.equal(f.recall, 1);
  assert.ok(f.is.mean > 8.5 && f.is.mean < 10, JSON.stringify(f.is));
  assert.equal(f.digits.covered, 10);
  assert.equal(f.kid, undefined, 'only the metrics asked for');
  assert.deepEqual(problems, []);
});

test('the page computes what the command line computes on the same samples', async () => {
  const bin = join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/gan-playground/target'), 'release', 'images');
  assert.ok(existsSync(bin), `${bin}: the native tests build it (scripts/test.sh runs them first)`);
  const native = JSON.parse(execFileSync(bin, ['eval', '--baseline', 'train', '--n', '500', '--seed', '3'], { encoding: 'utf8' }));
  const { page } = await openPage(env, '#lab=eval');
  const f = await page.evaluate(() => window.playground.evaluate({ run: 'train', n: 500, seed: 3 }));
  assert.equal(f.samples, 500);
  close(f.is.mean, native.is.mean, 1e-4, 'IS');
  close(f.fid, native.fid, 1e-4, 'FID');
  close(f.kid.mean, native.kid.mean, 1e-3, 'KID');
  close(f.parzen.mean, native.parzen.mean, 1e-4, 'Parzen');
  assert.equal(f.parzen.sigma, native.parzen.sigma);
  for (const k of ['precision', 'recall', 'density', 'coverage']) {
    assert.ok(Math.abs(f[k] - native[k]) <= 0.004, `${k}: ${f[k]} in the page, ${native[k]} natively`);
  }
  assert.deepEqual(f.digits.histogram, native.digits.histogram);
});

test('the lab: Evaluate shows a table beside training digits, one digit and noise', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => window.playground && window.playground.ready);
  await page.selectOption('#ev-source', 'current');
  await page.selectOption('#ev-n', '500');
  await page.uncheck('#ev-m-parzen');
  await page.click('#ev-run');
  await page.waitForSelector('#ev-table:not([hidden])', { timeout: 120000 });
  const header = await page.$$eval('#ev-table thead th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(header.slice(2), ['training digits', 'one digit only (1s)', 'uniform noise']);
  assert.match(header[1], /^this run, round 0 \(500\)$/);
  const rows = await page.$$eval('#ev-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.metric, Array.from(tr.cells).map((c) => c.textContent)])));
  assert.equal(rows['FID ↓'][0], 'FID ↓', 'the label carries which way is better');
  assert.equal(rows['Parzen log-likelihood (nats) ↑'], undefined, 'unchecked metrics are left out');
  const fid = rows['FID ↓'].slice(1).map(Number);
  assert.ok(fid[1] < 2, `FID of training digits ${fid[1]}`);
  assert.ok(fid[2] > 20 && fid[3] > 100, `one digit ${fid[2]}, noise ${fid[3]}`);
  assert.ok(fid[0] > fid[1], 'an untrained generator is further than real digits');
  assert.match(rows['digits covered (entropy, bits) ↑'][3], /^1 \(0\.[01]\d\)$/, 'one digit: one covered, entropy near 0');
  assert.match(rows['digits covered (entropy, bits) ↑'][2], /^10 \(3\.3\d\)$/, 'training digits: all ten');
  assert.equal(await page.isHidden('#ev-progress'), true);
  await page.screenshot({ path: 'test-results/eval-lab.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('bad input: a message each, nothing lost, the image run still trains', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  const err = (args) => page.evaluate((a) => window.playground.evaluate(a).then(() => 'resolved', (e) => e.message), args);
  assert.equal(await err({ run: 'test', n: 20000 }), 'the sample count must be a whole number from 10 to 10000, not 20000');
  assert.equal(await err({ run: 'test', n: 5000 }), '5000 samples asked for; the held-out digits hold 997');
  assert.match(await err({ run: 'train', n: 100, metrics: 'fid,bogus' }), /metrics: some of is, fid, .* not \["bogus"\]/);
  assert.match(await err({ run: 'digit11', n: 100 }), /unknown sample set "digit11"/);
  assert.match(await err({ run: 'file', n: 100, bytes: new Uint8Array([1, 2, 3]) }), /not an image run|too short|magic|file/i);
  // The UI: a saved run not chosen yet.
  await page.selectOption('#ev-source', 'train');
  await page.evaluate(() => { document.getElementById('ev-source').value = 'file'; });
  await page.click('#ev-run');
  assert.equal(await page.textContent('#ev-error'), 'Evaluation: choose a saved image run (.ganimg) first');
  // The image run trains on after the refusals.
  const s = await page.evaluate(() => window.playground.images.step(2));
  assert.equal(s.step, 2);
  const ok = await page.evaluate(() => window.playground.evaluate({ run: 'current', n: 100, metrics: ['is', 'digits'] }));
  assert.equal(ok.step, 2);
  assert.equal(ok.samples, 100);
  writeFileSync('test-results/eval-bad-input.txt', JSON.stringify(ok));
  assert.deepEqual(problems, []);
});
