// End-to-end: the CycleGAN lab in the page. A link opens a run with its settings; the rows of
// translations are drawn and change as it trains; a digit drawn on the pad with the pointer is
// translated and translated back; an empty drawing and files of other kinds are refused with a
// message while the run keeps its state; save/load continues exactly; the settings' menus start
// new runs and the link follows. One browser for the file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openPage, start } from '../../scripts/lib/browser.mjs';
import { header, reseal } from '../../scripts/lib/runfile.mjs';

let env;
let page;
let problems;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start({ webgpu: false });
  ({ page, problems } = await openPage(env, '#lab=cycle&cyc.lambdaIdentity=0&cyc.seed=3&cyc.colour=red'));
  await page.waitForFunction(() => window.playground.cycle && window.playground.cycle.run, null, { timeout: 60000 });
});
after(async () => env && env.close());

/** The red channel of a canvas's pixels in a box (all of it by default). */
const canvasPixels = (id, box = null) => page.evaluate(([id, box]) => {
  const c = document.getElementById(id);
  const [x, y, w, h] = box || [0, 0, c.width, c.height];
  const d = c.getContext('2d').getImageData(x, y, w, h).data;
  return Array.from(d.filter((_, i) => i % 4 === 0));
}, [id, box]);

const meanDiff = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

test('a link opens the CycleGAN lab with its settings, and the rows are drawn', async () => {
  const full = await page.evaluate(() => window.playground.cycle.full);
  assert.equal(full.lambdaIdentity, 0);
  assert.equal(full.seed, 3);
  assert.equal(full.lambdaCycle, 10);
  assert.match(await page.textContent('#notice'), /CycleGAN run: ignored unknown setting "cyc\.colour"/);
  assert.match(await page.evaluate(() => location.hash), /lab=cycle.*cyc\.lambdaIdentity=0.*cyc\.seed=3/);
  assert.equal(await page.inputValue('#cyc-identity'), '0');
  const rows = await page.evaluate(() => Array.from(window.playground.cycle.rowPixels));
  assert.equal(rows.length, 6 * 10 * 784);
  assert.ok(rows.every((v) => v >= 0 && v <= 1));
  // Row a is ten MNIST test digits 0-9: white strokes on black, drawn in the canvas's top row
  // (a 72-pixel label column, then 32-pixel cells).
  const a = await canvasPixels('cyc-rows', [72, 0, 320, 32]);
  assert.ok(a.filter((v) => v > 200).length > 400, 'row a shows inked digits');
  // Row b: the UCI digits are blocks of 17 grey levels: 255 * v / 16 rounded.
  const levels = new Set(Array.from({ length: 17 }, (_, v) => Math.round((255 * v) / 16) / 255));
  const b = rows.slice(3 * 7840, 4 * 7840);
  assert.ok(b.every((v) => levels.has(Math.round(v * 255) / 255)), 'row b holds the UCI grey levels');
});

test('training changes the translations and draws the loss chart', async () => {
  const before = await page.evaluate(() => Array.from(window.playground.cycle.rowPixels));
  const chart0 = await canvasPixels('cyc-losses');
  const s = await page.evaluate(() => window.playground.cycle.step(12));
  assert.equal(s.step, 12);
  for (const k of ['lossDA', 'lossDB', 'lossG', 'lossF', 'cycleA', 'cycleB']) assert.ok(Number.isFinite(s[k]), `${k}: ${s[k]}`);
  assert.equal(s.identity, null, 'the identity loss is off in this run');
  const after = await page.evaluate(() => Array.from(window.playground.cycle.rowPixels));
  // a and b are fixed; G(a) moved.
  assert.deepEqual(after.slice(0, 7840), before.slice(0, 7840));
  assert.ok(meanDiff(after.slice(7840, 2 * 7840), before.slice(7840, 2 * 7840)) > 0.003, 'G(a) changed');
  assert.ok(meanDiff(await canvasPixels('cyc-losses'), chart0) > 0, 'the chart was redrawn');
  assert.match(await page.textContent('#cyc-status'), /round 12 · cycle A \d\.\d{3}/);
});

test('a digit drawn on the pad is translated and translated back', async () => {
  const box = await page.locator('#cyc-pad').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let k = 0; k <= 10; k++) await page.mouse.move(box.x + box.width * (0.5 + 0.01 * k), box.y + box.height * (0.2 + 0.06 * k));
  await page.mouse.up();
  await page.waitForFunction(() => /translated with round 12/.test(document.getElementById('cyc-pad-msg').textContent));
  const ink = await page.evaluate(() => Array.from(window.playground.cycle.pad.ink));
  assert.ok(ink.reduce((a, v) => a + v, 0) > 20, 'the stroke laid ink');
  const there = await canvasPixels('cyc-there');
  assert.ok(Math.max(...there) - Math.min(...there) > 40, 'the translation is drawn');
  // The API gives the same translation for the same drawing, and a different one through F.
  const r = await page.evaluate((ink) => window.playground.cycle.translate(ink, 'b'), ink);
  const r2 = await page.evaluate((ink) => window.playground.cycle.translate(ink, 'b'), ink);
  const f = await page.evaluate((ink) => window.playground.cycle.translate(ink, 'a'), ink);
  assert.equal(Object.keys(r.there).length, 784);
  assert.deepEqual(r, r2);
  assert.ok(meanDiff(Object.values(r.there), Object.values(f.there)) > 0.001);
  // The other direction, from the menu.
  await page.selectOption('#cyc-direction', 'a');
  await page.waitForFunction(() => /MNIST's style/.test(document.getElementById('cyc-there-what').textContent));
});

test('an empty drawing and files of other kinds get a message, and the run goes on', async () => {
  const empty = await page.evaluate(() => window.playground.cycle.translate(new Array(784).fill(0), 'b').then(() => 'ok', (e) => e.message));
  assert.match(empty, /the drawing is empty: draw a digit on the pad first/);
  const ragged = await page.evaluate(() => window.playground.cycle.translate([0.5, 0.5], 'b').then(() => 'ok', (e) => e.message));
  assert.match(ragged, /2 pixels; a digit is 784/);
  const nan = await page.evaluate(() => window.playground.cycle.translate(new Array(784).fill(NaN), 'b').then(() => 'ok', (e) => e.message));
  assert.match(nan, /every pixel must be a number from 0/);
  // A 2-D run's file (the playground opened and left: the CycleGAN run waits meanwhile), and
  // bytes that are no run at all.
  await page.evaluate(() => window.playground.open('playground'));
  const toy = await page.evaluate(async () => Array.from(await window.playground.saveRun()));
  await page.evaluate(() => window.playground.open('cycle'));
  const step = await page.evaluate(() => window.playground.cycle.last.step);
  const refused = await page.evaluate((bytes) => window.playground.cycle.loadRun(Uint8Array.from(bytes)).then(() => 'ok', (e) => e.message), toy);
  assert.match(refused, /this file is a 2-D playground run, and this section loads a CycleGAN run/);
  const junk = await page.evaluate(() => window.playground.cycle.loadRun(new TextEncoder().encode('hello, this is not a run file')).then(() => 'ok', (e) => e.message));
  assert.match(junk, /not a GAN Playground run file/);
  // The page's file input says the same, with the file's name.
  await page.setInputFiles('#cyc-load', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a run at all, just text') });
  await page.waitForFunction(() => /notes\.txt: could not load the run/.test(document.getElementById('cyc-error').textContent));
  // The run is the same one, and it trains on.
  const s = await page.evaluate(() => window.playground.cycle.step(1));
  assert.equal(s.step, step + 1);
});

test('save and load continue exactly', async () => {
  const bytes = await page.evaluate(async () => Array.from(await window.playground.cycle.saveRun()));
  assert.equal(String.fromCharCode(...bytes.slice(0, 6)), 'GANCYC');
  const go = await page.evaluate(() => window.playground.cycle.step(2));
  const loaded = await page.evaluate((b) => window.playground.cycle.loadRun(Uint8Array.from(b)), bytes);
  assert.equal(loaded.seed, 3);
  const again = await page.evaluate(() => window.playground.cycle.step(2));
  assert.deepEqual(again, go);
});

test('a diverging run stops with a message and a Resume button, and a good file trains on', async () => {
  const good = await page.evaluate(async () => Array.from(await window.playground.cycle.saveRun()));
  const step = await page.evaluate(() => window.playground.cycle.last.step);
  // D_B's last float (its head's bias) set to 1e30 in the saved file: D_B's least-squares
  // cost overflows in the first round.
  const file = Buffer.from(good);
  const { header: h, at } = header(file);
  file.writeFloatLE(1e30, at + 4 * (h.genFloats + h.discFloats - 1));
  await page.evaluate((b) => window.playground.cycle.loadRun(Uint8Array.from(b)), Array.from(reseal(file)));
  const msg = await page.evaluate(() => window.playground.cycle.step(1).then(() => 'no divergence', (e) => e.message));
  assert.match(msg, /training diverged at step \d+: a loss became NaN or infinite; lower the learning rates/);
  await page.waitForSelector('#cyc-error:not([hidden])');
  assert.match(await page.textContent('#cyc-error'), /training diverged/);
  assert.ok(await page.isVisible('#cyc-resume'), 'a Resume button is offered');
  assert.match(await page.textContent('#cyc-resume'), new RegExp(`Resume from round ${step} \\(the last good state\\) with the learning rates ÷ 10`));
  // The good file loads and trains on from its round.
  await page.evaluate((b) => window.playground.cycle.loadRun(Uint8Array.from(b)), good);
  const s = await page.evaluate(() => window.playground.cycle.step(1));
  assert.equal(s.step, step + 1);
  assert.ok(Number.isFinite(s.lossDB));
});

test('the settings start new runs, the link follows, and Train plays and pauses', async () => {
  await page.selectOption('#cyc-cycle', '0');
  await page.waitForFunction(() => window.playground.cycle.full.lambdaCycle === 0);
  assert.equal(await page.evaluate(() => window.playground.cycle.last.step), 0);
  await page.waitForFunction(() => /cyc\.lambdaCycle=0/.test(location.hash));
  await page.click('#cyc-play');
  await page.waitForFunction(() => window.playground.cycle.last.step >= 3, null, { timeout: 60000 });
  await page.click('#cyc-play');
  await page.waitForFunction(() => !window.playground.cycle.playing);
  assert.equal(await page.textContent('#cyc-play'), 'Train');
  await page.screenshot({ path: 'test-results/cycle.png' });
  assert.deepEqual(problems, []);
});

test('the backend menu in the run bar says which backend trains and why, and a choice there is a new run on it', async () => {
  await page.click('#cyc-backend-chip');
  assert.match(await page.textContent('#cyc-backend-chip'), /^backend: cpu/);
  // This browser has WebGPU turned off: the reason says so, and nothing was timed.
  assert.match(await page.textContent('#cyc-backend-detail'), /^cpu \(flex\): .*WebGPU.*\. Changing the menu starts a new run\.$/);
  assert.equal(await page.isHidden('#cyc-recalibrate'), true);
  assert.equal(await page.inputValue('#cyc-backend'), 'auto');
  const seed = await page.evaluate(() => window.playground.cycle.full.seed);
  // WebGPU asked for where there is none: the run trains on the CPU, and the chip warns.
  await page.selectOption('#cyc-backend', 'webgpu');
  await page.waitForFunction(() => window.playground.cycle.page.backend === 'webgpu');
  assert.match(await page.getAttribute('#cyc-backend-chip', 'class'), /warn/);
  assert.match(await page.textContent('#cyc-backend-detail'), /^cpu \(flex\): /);
  await page.selectOption('#cyc-backend', 'cpu');
  await page.waitForFunction(() => window.playground.cycle.page.backend === 'cpu');
  const s = await page.evaluate(() => window.playground.cycle.stats());
  assert.equal(s.reason, 'CPU chosen by the user');
  assert.equal(s.step, 0);
  assert.doesNotMatch(await page.getAttribute('#cyc-backend-chip', 'class'), /warn/);
  assert.match(await page.textContent('#cyc-backend-detail'), /^cpu \(flex\): CPU chosen by the user\./);
  // The run's other settings are kept, and the link carries the choice.
  assert.equal(await page.evaluate(() => window.playground.cycle.full.seed), seed);
  await page.waitForFunction(() => /cyc\.backend=cpu/.test(location.hash));
  assert.deepEqual(problems, []);
});
