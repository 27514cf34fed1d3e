// End-to-end: the 2-D playground's theory views — D*, |D - D*|, V(G, D*), the mode metrics —
// and the one-network steps, asserted from the JS API and from pixels.

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
    await page.locator('#plane').screenshot({ path: `test-results/plane-${surface}.png` });
  }
  assert.notEqual(pics.d, pics.dstar);
  assert.notEqual(pics.dstar, pics.diff);
  // Every layer toggles.
  for (const layer of ['heatmap', 'real', 'fake', 'arrows', 'manifold']) {
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

/** Mean distance from each generated point to the nearest drawn point. */
function meanDistance(fakes, points) {
  let sum = 0;
  for (let i = 0; i < fakes.length; i += 2) {
    let best = Infinity;
    for (const [x, y] of points) best = Math.min(best, Math.hypot(fakes[i] - x, fakes[i + 1] - y));
    sum += best;
  }
  return sum / (fakes.length / 2);
}

test('the brush: a distribution drawn with the pointer is trained on, and the fakes move to it', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ theoryEvery: 0, probeEvery: 0 }));
  await page.click('#data-drawn'); // the data menu's drawing thumbnail starts the brush
  assert.equal(await page.getAttribute('#draw', 'aria-pressed'), 'true');
  assert.equal(await page.inputValue('#dataset'), 'drawn');
  // Two strokes with the mouse (real pointerdown / pointermove / pointerup events): an arc in
  // the upper left and a bar in the lower right of the plane.
  let box = await page.locator('#plane').boundingBox();
  const at = (x, y) => [box.x + ((x + 2.5) / 5) * box.width, box.y + ((2.5 - y) / 5) * box.height];
  await page.mouse.move(...at(-1.8, 0.8));
  await page.mouse.down();
  for (let i = 0; i <= 30; i++) {
    const a = Math.PI * i / 30;
    await page.mouse.move(...at(-1 + 0.8 * Math.cos(a + Math.PI), 0.8 + 0.8 * Math.sin(a)));
  }
  await page.mouse.up();
  await page.waitForFunction(() => window.playground.engineConfig.dataset === 'drawn');
  const first = await page.evaluate(() => window.playground.config().points.length);
  box = await page.locator('#plane').boundingBox(); // the status line above may have grown
  await page.mouse.move(...at(0.5, -1.5));
  await page.mouse.down();
  for (let i = 0; i <= 20; i++) await page.mouse.move(...at(0.5 + 0.07 * i, -1.5));
  await page.mouse.up();
  // The stroke's run starts playing: wait for it, then stop it for the measurements.
  await page.waitForFunction((n) => window.playground.engineConfig.points.length > n && window.playground.playing, first);
  await page.evaluate(() => window.playground.pause());
  const points = await page.evaluate(() => window.playground.config().points);
  assert.ok(first >= 20 && points.length >= first + 15, `${first} then ${points.length} points`);
  // The points are where the pointer went, in data coordinates (the arc and the bar).
  assert.ok(points.slice(0, first).every(([x, y]) => x < -0.1 && y > 0.7), JSON.stringify(points.slice(0, first)));
  assert.ok(points.slice(first).every(([x, y]) => x > 0.4 && Math.abs(y + 1.5) < 0.05), JSON.stringify(points.slice(first)));
  const real = await page.evaluate(() => Array.from(window.playground.view.real));
  assert.ok(meanDistance(real, points) < 0.1, 'the real samples are the drawing');
  const fakes = () => page.evaluate(async () => Array.from(await window.playground.samples(500)));
  await page.evaluate(() => window.playground.reset());
  const before = meanDistance(await fakes(), points);
  await page.evaluate(() => window.playground.step(2000));
  const afterwards = meanDistance(await fakes(), points);
  assert.ok(afterwards < before / 3 && afterwards < 0.25, `mean distance to the drawing ${before} -> ${afterwards}`);
  await page.locator('#plane').screenshot({ path: 'test-results/brush.png' });
  // A lone point is not a distribution: refused with the engine's message, the run kept.
  const kept = (await page.evaluate(() => window.playground.stats())).step;
  const err = await page.evaluate(() => window.playground.configure({ dataset: 'drawn', points: [[0, 0]] }).then(() => 'ok', (e) => e.message));
  assert.match(err, /needs at least 2 points to learn from, and has 1/);
  assert.equal((await page.evaluate(() => window.playground.stats())).step, kept, 'the run was kept');
  assert.ok(kept >= 2000);
  assert.deepEqual(problems, []);
  await page.close();
});

test('slow motion shows the D update, then the G update, one at a time', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ slowMotion: true, theoryEvery: 0 }));
  assert.equal(await page.isChecked('#slowMotion'), true);
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const pg = window.playground;
    const log = [];
    pg.addEventListener('frame', (e) => {
      log.push({ phase: pg.view.phase, step: e.detail.step, banner: pg.view.phase ? document.getElementById('plane').getContext('2d').getImageData(12, 12, 1, 1).data[0] : null });
      if (log.length === 4) { pg.pause(); resolve(log); }
    });
    pg.play();
  }));
  assert.deepEqual(seen.map((f) => f.phase), ['d', 'g', 'd', 'g']);
  assert.deepEqual(seen.map((f) => f.step), [1, 2, 3, 4]);
  await page.locator('#plane').screenshot({ path: 'test-results/slow-motion.png' });
  const err = await page.evaluate(() => window.playground.configure({ slowMotion: 'yes' }).then(() => 'ok', (e) => e.message));
  assert.match(err, /slowMotion must be true or false/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the arrows: after a strong D start, the minimax twin pulls its fakes a sliver as hard as the non-saturating twin', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({
    loss: 'minimax', compare: 'nonSaturating', dPretrain: 500, genOptimizer: 'sgd', lrG: 0.05, theoryEvery: 0, probeEvery: 0,
  }));
  await page.evaluate(() => window.playground.step(500));
  const mean = (f) => { let s = 0; for (let i = 0; i < f.length; i += 4) s += Math.hypot(f[i + 2], f[i + 3]); return s / (f.length / 4); };
  const [mm, ns] = await page.evaluate(() => [Array.from(window.playground.view.arrows), Array.from(window.playground.view.twinArrows)]);
  assert.equal(mm.length, 4 * 512);
  const ratio = mean(ns) / mean(mm);
  assert.ok(ratio > 10, `non-saturating / minimax arrow length ${ratio}`);
  await page.screenshot({ path: 'test-results/arrows-twins.png', fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the mode-coverage preset sets k = 2, 128-unit networks and an LR half-life, and on the grid R1 too', async () => {
  for (const [hash, expected] of [
    ['#seed=3', { dataset: 'ring8', k: 2, genWidth: 128, discWidth: 128, lrHalfLife: 2500, r1Weight: 0, seed: 3 }],
    ['#dataset=grid25&r1Weight=0.5&seed=4', { dataset: 'grid25', k: 2, genWidth: 128, discWidth: 128, lrHalfLife: 7500, r1Weight: 1, seed: 4 }],
  ]) {
    const { page, problems } = await openPage(env, hash);
    await page.click('#preset-modes');
    await page.waitForFunction(() => window.playground.engineConfig.k === 2 && window.playground.playing);
    await page.evaluate(() => window.playground.pause());
    const c = await page.evaluate(() => window.playground.config());
    const got = Object.fromEntries(Object.keys(expected).map((key) => [key, c[key]]));
    assert.deepEqual(got, expected);
    assert.equal(await page.inputValue('#genWidth'), '128');
    assert.equal(await page.inputValue('#r1Weight'), String(expected.r1Weight));
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a packed discriminator (PacGAN) trains, and the caption says what the heatmap shows', async () => {
  const { page, problems } = await openPage(env, '#pack=4&lrHalfLife=1000');
  // The controls are filled once the run's first views are drawn.
  await page.waitForFunction(() => document.getElementById('pack').value === '4');
  assert.equal((await page.evaluate(() => window.playground.config())).pack, 4);
  assert.equal(await page.inputValue('#lrHalfLife'), '1000');
  assert.equal(await page.isVisible('#pack-note'), true);
  assert.match(await page.textContent('#pack-note'), /judges 4 samples at once/);
  const s = await page.evaluate(() => window.playground.step(200));
  assert.equal(s.step, 200);
  assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG), JSON.stringify(s));
  // A batch that packs do not divide is refused with the engine's message, and the run goes on.
  const err = await page.evaluate(() => window.playground.configure({ pack: 3 }).then(() => null, (e) => e.message));
  assert.match(err, /batchSize \(256\) must be a multiple of pack \(3\)/);
  assert.equal((await page.evaluate(() => window.playground.step(10))).step, 210);
  await page.evaluate(() => window.playground.configure({ pack: 1 }));
  await page.waitForFunction(() => document.getElementById('pack').value === '1');
  assert.equal(await page.isVisible('#pack-note'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

/** Saturated pixels of a canvas counted into 12 hue bins of 30 degrees (bins with 30+ pixels). */
const hueBins = (page, id) => page.evaluate((canvasId) => {
  const c = document.getElementById(canvasId);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const bins = new Array(12).fill(0);
  for (let i = 0; i < d.length; i += 4) {
    const [r, g, b] = [d[i] / 255, d[i + 1] / 255, d[i + 2] / 255];
    const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2;
    const s = max === min ? 0 : (max - min) / (1 - Math.abs(2 * l - 1));
    if (s < 0.5 || l < 0.2 || l > 0.6) continue;
    let h = max === r ? ((g - b) / (max - min)) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
    h = (h * 60 + 360) % 360;
    bins[Math.floor(h / 30)] += 1;
  }
  return bins.filter((n) => n >= 30).length;
}, id);

test('the conditional switch: a labelled grid beside its unconditional twin, link, file and refusals', async () => {
  const { page, problems } = await openPage(env, '#dataset=grid25&conditional=true&compare=conditional&seed=1');
  await page.setViewportSize({ width: 1280, height: 900 });
  const c = await page.evaluate(() => window.playground.config());
  assert.equal(c.conditional, true);
  assert.equal(c.compare, 'conditional');
  assert.equal(await page.textContent('#twin-title'), 'twin: unconditional');
  assert.ok(await page.isChecked('#conditional'));
  assert.ok(await page.isChecked('#conditional-twin'));
  assert.ok(await page.isVisible('#twin-plane'), 'the twin stands in the playground');
  const s = await page.evaluate(() => window.playground.step(800));
  // The labelled run finds every mode of the grid and puts its samples on their labels' modes;
  // the twin, the same run without labels, puts almost none there (measured: 25 / 25 and 88 % on
  // label, against the twin's 24 / 25 with 2 % high quality).
  assert.equal(s.modesCaptured, 25, JSON.stringify(s));
  assert.ok(s.onLabelPct > 50 && s.onLabelPct <= s.highQualityPct + 1e-9, JSON.stringify(s));
  assert.equal(s.twin.conditional, false);
  assert.equal(s.twin.onLabelPct, null);
  assert.ok(s.twin.highQualityPct < s.highQualityPct - 30, JSON.stringify(s.twin));
  assert.match(await page.textContent('#modes'), /modes 25 \/ 25 · high quality [\d.]+ % · on its label [\d.]+ %/);
  assert.match(await page.textContent('#twin-modes'), /Twin at step 800: modes \d+ \/ 25 · high quality [\d.]+ % · JSD/);
  const twinLog = await page.evaluate(() => window.playground.theory({ twin: true }));
  assert.equal(twinLog.length, 9, 'the twin is measured with the run: step 0, then every 100 steps');
  assert.ok(twinLog.every((t) => t.onLabelPct === null && t.dStar === undefined));
  // Pictures: the labelled fakes and meshes take a hue per label; the twin's fakes are all orange.
  const [mainHues, twinHues] = [await hueBins(page, 'plane'), await hueBins(page, 'twin-plane')];
  assert.ok(mainHues >= 6 && twinHues <= 3, `hue bins: run ${mainHues}, twin ${twinHues}`);
  assert.equal(await page.isVisible('#cond-note'), true);
  await page.screenshot({ path: 'test-results/conditional-2d.png' });
  const csv = await page.evaluate(() => window.playground.curvesCsv());
  assert.match(csv.split('\n')[0], /,onLabelPct$/);
  assert.match(await page.evaluate(() => location.hash), /conditional=true/);
  // A saved conditional run loads back conditional (a loaded run has no twin).
  const back = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.loadRun(await pg.saveRun());
    return { conditional: pg.config().conditional, compare: pg.config().compare, step: (await pg.stats()).step };
  });
  assert.deepEqual([back.conditional, back.compare, back.step], [true, 'off', 800]);
  // Refused with the reason, and the run goes on: labels only where the data has components.
  const refused = await page.evaluate(async () => {
    try { await window.playground.configure({ dataset: 'spiral', conditional: true }); return 'accepted'; } catch (e) { return e.message; }
  });
  assert.match(refused, /conditional needs a mixture whose components are the labels \(ring8 or grid25\), and dataset is "spiral"/);
  const twinRefused = await page.evaluate(async () => {
    try { await window.playground.configure({ dataset: 'twoMoons', compare: 'conditional' }); return 'accepted'; } catch (e) { return e.message; }
  });
  assert.match(twinRefused, /a conditional twin \(compare = conditional\) needs a mixture whose components are the labels/);
  assert.equal((await page.evaluate(() => window.playground.stats())).step, 800);
  // The boxes: the twin box starts a twin, and picking the spiral switches labels off.
  await page.check('#conditional-twin');
  await page.waitForFunction(() => window.playground.config().compare === 'conditional');
  assert.equal(await page.textContent('#twin-title'), 'twin: unconditional');
  await page.click('#data-thumbs [data-value=spiral]');
  await page.waitForFunction(() => window.playground.config().dataset === 'spiral');
  const after = await page.evaluate(() => ({ c: window.playground.config(), disabled: document.getElementById('conditional').disabled }));
  assert.deepEqual([after.c.conditional, after.c.compare, after.disabled], [false, 'off', true]);
  assert.equal(await page.isVisible('#twin-plane'), false);
  assert.deepEqual(problems, []);
  await page.close();
});
