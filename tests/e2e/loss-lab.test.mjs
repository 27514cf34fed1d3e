// End-to-end: the loss lab in the served page — the strong-discriminator preset's twins, the
// gradient probe's figures, the formulas, the theory panel — asserted from the JS API and pixels.

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

const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;

/** Pixels of `id`'s canvas close to the colour `hex` (each channel within `tol`). */
function pixelsOf(page, id, hex, tol = 40) {
  return page.evaluate(({ id, hex, tol }) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - want[0]) < tol && Math.abs(d[i + 1] - want[1]) < tol && Math.abs(d[i + 2] - want[2]) < tol) n++;
    }
    return n;
  }, { id, hex, tol });
}

test('strong-discriminator preset: the minimax twin starves, the non-saturating twin learns', async () => {
  // The loss lab: the 2-D run's other view, its own route in the link.
  const { page, problems } = await openPage(env, '#lab=losses');
  assert.equal(await page.isVisible('#probe'), true);
  assert.equal(await page.isVisible('#chart-v'), false, 'the playground\'s readouts are on its own route');
  await page.setViewportSize({ width: 1100, height: 1500 });
  // The preset's button configures the twins and plays; pause once 200 generator steps are done
  // (after the 500 steps in which D trains alone).
  await page.click('#preset-strong-d');
  await page.waitForFunction(() => window.playground.last.step >= 720, null, { timeout: 240000, polling: 200 });
  await page.evaluate(() => window.playground.pause());
  const s = await page.evaluate(() => window.playground.stats());
  assert.equal(s.loss, 'minimax');
  assert.equal(s.twin.loss, 'nonSaturating');
  for (const v of [s.gradNormMinimax, s.gradNormNonSaturating, s.twin.gradNormMinimax, s.twin.gradNormNonSaturating]) {
    assert.ok(Number.isFinite(v) && v >= 0, JSON.stringify(s));
  }
  const p = await page.evaluate(() => window.playground.probes());
  const firstG = (log) => log.filter((q) => q.step >= 500 && q.step < 700);
  assert.equal(firstG(p.main).length, 20, 'a probe every 10 steps');
  // Each twin under its own cost, over its first 200 generator steps.
  const mm = mean(firstG(p.main).map((q) => q.gradNormMinimax));
  const ns = mean(firstG(p.twin).map((q) => q.gradNormNonSaturating));
  console.log(`first 200 generator steps: minimax twin ${mm.toExponential(3)}, non-saturating twin ${ns.toExponential(3)}, ratio ${(ns / mm).toFixed(0)}`);
  assert.ok(ns >= 10 * mm, `non-saturating ${ns} vs minimax ${mm}`);
  // While D trained alone the twins were the same networks: identical probes.
  const pre = (log) => log.filter((q) => q.step < 500).map((q) => q.gradNormMinimax);
  assert.deepEqual(pre(p.main), pre(p.twin));
  // The minimax twin's fakes have barely moved; the non-saturating twin's have spread out.
  const spread = await page.evaluate(() => {
    const sd = (pts) => {
      const xs = [], ys = [];
      for (let i = 0; i < pts.length; i += 2) { xs.push(pts[i]); ys.push(pts[i + 1]); }
      const m = (a) => a.reduce((x, y) => x + y, 0) / a.length;
      const v = (a) => m(a.map((x) => (x - m(a)) ** 2));
      return Math.sqrt(v(xs) + v(ys));
    };
    return { main: sd(window.playground.view.fake), twin: sd(window.playground.view.twinFake) };
  });
  assert.ok(spread.twin > 2 * spread.main, JSON.stringify(spread));
  // What a person sees: both planes, the formulas typeset, the curves and the probe lines drawn.
  assert.equal(await page.isVisible('#twin-plane'), true);
  assert.ok((await page.locator('#formula .katex').count()) >= 2, 'KaTeX rendered the two costs');
  assert.match(await page.textContent('#twin-title'), /Non-saturating/);
  assert.match(await page.textContent('#status'), /‖∇G‖ minimax/);
  for (const id of ['theory', 'probe']) {
    assert.ok(await pixelsOf(page, id, '#7c3aed') > 50, `${id}: minimax purple drawn`);
    assert.ok(await pixelsOf(page, id, '#2563eb') > 50, `${id}: non-saturating blue drawn`);
  }
  await page.screenshot({ path: 'test-results/loss-lab.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('every loss trains in the page, and a twin run is refused for a loss without a cross-entropy D', async () => {
  const { page, problems } = await openPage(env);
  for (const loss of ['maxLikelihood', 'leastSquares', 'wganGp', 'hinge']) {
    const s = await page.evaluate(async (loss) => {
      await window.playground.configure({ loss, k: loss === 'wganGp' ? 5 : 1 });
      return window.playground.step(30);
    }, loss);
    assert.equal(s.step, 30, loss);
    assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG), `${loss}: ${JSON.stringify(s)}`);
    assert.ok((await page.locator('#formula .katex').count()) >= 2, loss);
  }
  const err = await page.evaluate(() => window.playground.configure({ loss: 'hinge', compare: 'minimax' }).then(() => 'accepted', (e) => e.message));
  assert.match(err, /twin run .* needs a cross-entropy loss/);
  const bad = await page.evaluate(() => window.playground.configure({ compare: 'wganGp' }).then(() => 'accepted', (e) => e.message));
  assert.match(bad, /compare = "wganGp" is not one of/);
  // The run in force is untouched and still trains.
  const s = await page.evaluate(() => window.playground.step(5));
  assert.equal(s.step, 35);
  assert.deepEqual(problems, []);
  await page.close();
});
