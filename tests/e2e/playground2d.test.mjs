// End-to-end: the 2-D playground's theory views — D*, |D - D*|, V(G, D*), the mode metrics —
// and the one-network steps, asserted from the JS API and from pixels.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openPage, start } from './browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start();
});
after(async () => env && env.close());

/** The plane canvas's pixels as one string-comparable array (sampled every 7th pixel). */
const planePixels = (page) => page.evaluate(() => {
  const c = document.getElementById('plane');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  return Array.from(d.filter((_, i) => i % 28 < 4));
});

test('theory readouts: modes, V(G, D*) and the JSD fall as the ring is learned', async () => {
  const { page, problems } = await openPage(env);
  await page.setViewportSize({ width: 1100, height: 1700 });
  const s0 = await page.evaluate(() => window.playground.stats());
  assert.equal(s0.modesTotal, 8);
  assert.equal(s0.theoryStep, 0);
  const s = await page.evaluate(() => window.playground.step(3000));
  assert.equal(s.theoryStep, 3000);
  assert.equal(s.modesTotal, 8);
  assert.ok(s.modesCaptured >= 7, JSON.stringify(s));
  assert.ok(s.highQualityPct > s0.highQualityPct + 40, `${s0.highQualityPct} -> ${s.highQualityPct}`);
  assert.ok(s.vOptimal < s0.vOptimal, `${s0.vOptimal} -> ${s.vOptimal}`);
  assert.ok(s.vOptimal >= -Math.log(4) - 0.02 && s.jsd >= -0.01 && s.jsd <= Math.log(2) + 0.01, JSON.stringify(s));
  assert.ok(Math.abs(s.jsd - (s.vOptimal + Math.log(4)) / 2) < 1e-9);
  const log = await page.evaluate(() => window.playground.theory());
  assert.equal(log.length, 31, 'a readout every 100 steps, and one at step 0');
  assert.match(await page.textContent('#modes'), /modes \d \/ 8 · high quality/);
  // The heatmap's surfaces: the learned D, D* and |D - D*| are three different pictures.
  const pics = {};
  for (const surface of ['d', 'dstar', 'diff']) {
    await page.check(`input[name=surface][value=${surface}]`);
    pics[surface] = (await planePixels(page)).join(',');
    await page.screenshot({ path: `test-results/plane-${surface}.png`, clip: await page.locator('#plane').boundingBox() });
  }
  assert.notEqual(pics.d, pics.dstar);
  assert.notEqual(pics.dstar, pics.diff);
  // Every layer toggles.
  for (const layer of ['heatmap', 'real', 'fake']) {
    const on = (await planePixels(page)).join(',');
    await page.uncheck(`#show-${layer}`);
    assert.notEqual((await planePixels(page)).join(','), on, `${layer} toggles`);
    await page.check(`#show-${layer}`);
  }
  await page.screenshot({ path: 'test-results/playground-2d.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('Step D trains the discriminator alone, Step G the generator alone', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ dataset: 'oneGaussian', probeEvery: 0, theoryEvery: 0 }));
  const fakes = () => page.evaluate(async () => Array.from(await window.playground.samples(64)));
  const grid = () => page.evaluate(() => Array.from(window.playground.view.grid));
  const [f0, g0] = [await fakes(), await grid()];
  await page.click('#step-d');
  assert.equal((await page.evaluate(() => window.playground.stats())).step, 1); // queued after the click's work
  const [f1, g1] = [await fakes(), await grid()];
  assert.deepEqual(f1, f0, 'G did not move');
  assert.notDeepEqual(g1, g0, 'D did');
  await page.click('#step-g');
  assert.equal((await page.evaluate(() => window.playground.stats())).step, 2);
  const [f2, g2] = [await fakes(), await grid()];
  assert.notDeepEqual(f2, f1, 'G moved');
  assert.deepEqual(g2, g1, 'D did not');
  const err = await page.evaluate(() => window.playground.stepPhase(1, 'x').then(() => 'ok', (e) => e.message));
  assert.match(err, /phase must be "d" or "g"/);
  assert.deepEqual(problems, []);
  await page.close();
});
