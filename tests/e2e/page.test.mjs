// End-to-end: the served page in headless Chromium, driven through its JS API and its buttons,
// checked from stats() and from the canvas pixels. Screenshots go to test-results/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start();
});
after(async () => env && env.close());

/** Fraction of pixels of the plane canvas around (x, y) world coords that are "fake" orange. */
function fakePixelsNear(page, points, radiusPx = 7) {
  return page.evaluate(({ points, radiusPx }) => {
    const c = document.getElementById('plane');
    const ctx = c.getContext('2d');
    const e = window.playground.view.extent;
    return points.map(([x, y]) => {
      const px = Math.round(((x + e) / (2 * e)) * c.width);
      const py = Math.round(((e - y) / (2 * e)) * c.height);
      const img = ctx.getImageData(px - radiusPx, py - radiusPx, 2 * radiusPx + 1, 2 * radiusPx + 1).data;
      let n = 0;
      for (let i = 0; i < img.length; i += 4) {
        const [r, g, b] = [img[i], img[i + 1], img[i + 2]];
        // The generated points' colour (#c2410c at 75% over the heatmap): strongly red-orange.
        if (r > 150 && r - g > 70 && g - b > 20 && r - b > 120 && g < 120) n++;
      }
      return n;
    });
  }, { points, radiusPx });
}

test('the page loads, picks the CPU over a software WebGPU adapter and says why', async () => {
  const { page, problems } = await openPage(env);
  const s = await page.evaluate(() => window.playground.stats());
  assert.equal(s.step, 0);
  assert.match(s.backend, /^cpu/);
  assert.match(s.backendReason, /software fallback|no WebGPU|no adapter/);
  // The backend sits in its popover, with the reason; the status line keeps to the run.
  assert.match(await page.textContent('#backend-chip'), /backend: cpu/);
  assert.match(await page.textContent('#backend-detail'), /software fallback|no WebGPU|no adapter/);
  assert.match(await page.textContent('#status'), /^step 0 · /);
  assert.deepEqual(problems, []);
  await page.close();
});

test('step(n) trains exactly n rounds and the fakes visibly cover all 8 modes of the ring', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ dataset: 'ring8', loss: 'nonSaturating' }));
  const ringModes = Array.from({ length: 8 }, (_, i) => [2 * Math.cos((2 * Math.PI * i) / 8), 2 * Math.sin((2 * Math.PI * i) / 8)]);
  const before = await fakePixelsNear(page, ringModes);
  const s = await page.evaluate(() => window.playground.step(3000));
  assert.equal(s.step, 3000);
  assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG), JSON.stringify(s));
  assert.ok(s.msPerStep > 0);
  // From the API: most generated points lie near a mode.
  const pts = await page.evaluate(async () => Array.from(await window.playground.samples(1000)));
  assert.equal(pts.length, 2000);
  let near = 0;
  for (let i = 0; i < pts.length; i += 2) {
    const d = Math.min(...ringModes.map(([x, y]) => Math.hypot(pts[i] - x, pts[i + 1] - y)));
    if (d < 0.3) near++;
  }
  assert.ok(near > 600, `only ${near} of 1000 fakes within 0.3 of a mode`);
  // From the pixels: generated (orange) dots cover every mode, which they did not at step 0.
  const afterPx = await fakePixelsNear(page, ringModes);
  assert.ok(before.filter((n) => n > 0).length < 8, `before: ${before}`);
  assert.ok(afterPx.every((n) => n > 0), `orange pixels near each mode after training: ${afterPx}`);
  await page.screenshot({ path: 'test-results/ring8-step3000.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('Play trains in the animation loop and repaints the plane; Pause stops it', async () => {
  const { page, problems } = await openPage(env);
  const pixels = () => page.evaluate(() => {
    const c = document.getElementById('plane');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 97 === 0));
  });
  const p0 = await pixels();
  await page.click('#play');
  await page.waitForFunction(() => window.playground.last.step > 150, null, { timeout: 60000 });
  await page.click('#play');
  const s1 = await page.evaluate(() => window.playground.stats());
  assert.equal(s1.playing, false);
  assert.equal(await page.textContent('#play'), 'Play');
  const p1 = await pixels();
  let changed = 0;
  for (let i = 0; i < p0.length; i++) if (p0[i] !== p1[i]) changed++;
  assert.ok(changed > p0.length / 20, `only ${changed} of ${p0.length} sampled canvas values changed`);
  await page.waitForTimeout(300);
  const s2 = await page.evaluate(() => window.playground.stats());
  assert.equal(s2.step, s1.step, 'paused: no more steps');
  assert.match(await page.textContent('#status'), new RegExp(`step ${s2.step}`));
  await page.screenshot({ path: 'test-results/played.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the same seed gives the same run, another seed another', async () => {
  const { page } = await openPage(env);
  const run = (seed) => page.evaluate(async (seed) => {
    await window.playground.configure({ seed, batchSize: 64 });
    return window.playground.step(30);
  }, seed);
  const [a, b, c] = [await run(5), await run(5), await run(6)];
  assert.equal(a.lossD, b.lossD);
  assert.equal(a.lossG, b.lossG);
  assert.notEqual(a.lossD, c.lossD);
  await page.close();
});

test('bad settings are refused with a message naming them, and the run goes on', async () => {
  const { page, problems } = await openPage(env);
  const cases = [
    [{ batchSize: 0 }, /batchSize = 0 is out of range/],
    [{ lrD: 1e9 }, /lrD = 1000000000 is out of range/],
    [{ loss: 'wasserstein-ish' }, /unknown variant `wasserstein-ish`/],
    [{ zDim: 100000 }, /zDim = 100000 is out of range/],
    [{ colour: 'red' }, /unknown field `colour`/],
    [{ backend: 'tpu' }, /backend = "tpu" is not one of/],
    [{ batchSize: -3 }, /invalid value/],
  ];
  for (const [config, pattern] of cases) {
    const msg = await page.evaluate((c) => window.playground.configure(c).then(() => 'accepted', (e) => e.message), config);
    assert.match(msg, pattern, JSON.stringify(config));
  }
  // Through the UI: a bad batch size typed in the box (under Advanced) is said beside the
  // settings, the box goes back to the value in force, and no error stops the run.
  await page.click('#advanced > summary');
  await page.fill('#batchSize', '0');
  await page.dispatchEvent('#batchSize', 'change');
  await page.waitForFunction(() => /batchSize = 0 is out of range \(1 to 4096\)/.test(document.getElementById('field-note').textContent));
  assert.equal(await page.inputValue('#batchSize'), '256');
  assert.equal(await page.isVisible('#error'), false);
  // The run still trains.
  const s = await page.evaluate(() => window.playground.step(5));
  assert.equal(s.step, 5);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a diverging run stops with a message saying what to change, and a new config trains again', async () => {
  const { page, problems } = await openPage(env);
  const msg = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.configure({ lrD: 1, lrG: 1, genOptimizer: 'sgd', discOptimizer: 'sgd', loss: 'leastSquares' });
    return pg.step(2000).then(() => 'no divergence', (e) => e.message);
  });
  assert.match(msg, /training diverged at step \d+: a loss became NaN or infinite; lower the learning rates/);
  assert.match(await page.textContent('#error'), /training diverged/);
  // Resume from the last good state with smaller steps: the run goes on from that step.
  assert.match(await page.textContent('#resume'), /Resume from step 0 \(the last good state\) with the learning rates ÷ 10 \(D 1 → 0.1, G 1 → 0.1\)/);
  await page.click('#resume');
  await page.waitForFunction(() => window.playground.engineConfig.lrD === 0.1 && window.playground.last.step > 0);
  await page.evaluate(() => window.playground.pause());
  const r = await page.evaluate(() => window.playground.step(100));
  assert.ok(Number.isFinite(r.lossD) && Number.isFinite(r.lossG), JSON.stringify(r));
  const c = await page.evaluate(() => window.playground.config());
  assert.deepEqual([c.lrD, c.lrG, c.loss, c.genOptimizer], [0.1, 0.1, 'leastSquares', 'sgd'], 'the same run, with the new rates');
  const s = await page.evaluate(async () => {
    await window.playground.configure({});
    return window.playground.step(10);
  });
  assert.equal(s.step, 10);
  assert.ok(Number.isFinite(s.lossD));
  assert.equal(await page.isHidden('#error'), true, 'the new run cleared the old error');
  assert.deepEqual(problems, []);
  await page.close();
});
