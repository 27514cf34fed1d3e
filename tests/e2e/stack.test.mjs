// End-to-end: the StackGAN lab in the page. A link opens a run with its settings and its
// caption; the pictures of both stages are drawn; the schedule trains stage I, then stage II
// with stage I frozen (stage I's pictures stop changing); captions typed in the box are drawn,
// unknown words are named, and bad captions (markup, empty, 10,000 characters) get a message
// that reaches the page as text only; save/load continues exactly; a file of another kind is
// refused; a diverging run offers to resume; the settings start new runs and the link
// follows. One browser for the file.

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
  ({ page, problems } = await openPage(env, '#lab=stack&stk.stageOneRounds=3&stk.seed=3&stk.caption=a%20thick%20seven&stk.colour=red'));
  await page.waitForFunction(() => window.playground.stack && window.playground.stack.run && window.playground.stack.pictures, null, { timeout: 60000 });
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
const pictures = () => page.evaluate(() => {
  const p = window.playground.stack.pictures;
  return { one: Array.from(p.one), two: Array.from(p.two), n: p.n, unknown: p.unknown };
});

test('a link opens the StackGAN lab with its settings and caption, and both stages are drawn', async () => {
  const full = await page.evaluate(() => window.playground.stack.full);
  assert.equal(full.stageOneRounds, 3);
  assert.equal(full.seed, 3);
  assert.equal(full.klWeight, 0.2);
  assert.match(await page.textContent('#notice'), /StackGAN run: ignored unknown setting "stk\.colour"/);
  assert.match(await page.evaluate(() => location.hash), /lab=stack.*stk\.stageOneRounds=3.*stk\.seed=3.*stk\.caption=a%20thick%20seven/);
  assert.equal(await page.inputValue('#stk-caption'), 'a thick seven');
  // Every caption the digits carry is offered as one types: 10 digits x 3 widths x 3 slants.
  assert.equal(await page.locator('#stk-captions option').count(), 90);
  const p = await pictures();
  assert.equal(p.n, 8);
  assert.equal(p.one.length, 2 * 8 * 196);
  assert.equal(p.two.length, 2 * 8 * 784);
  assert.ok([...p.one, ...p.two].every((v) => v >= 0 && v <= 1));
  // Top rows: eight latents differ; bottom rows: one latent, eight draws of ĉ, which differ too.
  const img = (v, side, k) => v.slice(k * side * side, (k + 1) * side * side);
  assert.ok(meanDiff(img(p.one, 14, 0), img(p.one, 14, 1)) > 1e-4, 'two latents give two sketches');
  assert.ok(meanDiff(img(p.one, 14, 8), img(p.one, 14, 9)) > 1e-5, 'two draws of ĉ give two sketches');
  // The canvas: a 16-pixel heading, a label column of 92 pixels, then 36-pixel cells; stage II is the second row.
  const row = await canvasPixels('stk-pictures', [92, 52, 288, 36]);
  assert.ok(Math.max(...row) - Math.min(...row) > 20, 'stage II row is drawn');
  assert.match(await page.textContent('#stk-caption-msg'), /“a thick seven” after round 0/);
});

test('the schedule trains stage I, then stage II with stage I frozen', async () => {
  const s = await page.evaluate(() => window.playground.stack.step(5));
  assert.deepEqual([s.step, s.roundsOne, s.roundsTwo, s.stage], [5, 3, 2, 2]);
  assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG));
  assert.match(await page.textContent('#stk-status'), /stage II · round 2 \(stage I frozen after 3\) · D \d\.\d{3}/);
  const before = await pictures();
  await page.evaluate(() => window.playground.stack.step(2));
  const after = await pictures();
  assert.deepEqual(after.one, before.one, 'stage II rounds leave stage I as it was');
  assert.ok(meanDiff(after.two, before.two) > 1e-4, 'stage II changed');
});

test('captions are drawn, unknown words named, and bad captions get a message as text', async () => {
  const thin = await page.evaluate(() => window.playground.stack.setCaption('a thin 1 fluffy'));
  assert.deepEqual(Array.from(thin.unknown), ['fluffy']);
  assert.match(await page.textContent('#stk-caption-msg'), /not in the vocabulary, left out: "fluffy"/);
  await page.waitForFunction(() => /stk\.caption=a%20thin%201%20fluffy/.test(location.hash));
  // The box: type and press Enter.
  await page.fill('#stk-caption', 'an upright eight');
  await page.press('#stk-caption', 'Enter');
  await page.waitForFunction(() => /“an upright eight”/.test(document.getElementById('stk-caption-msg').textContent));
  const eight = await pictures();
  assert.ok(meanDiff(eight.two, Object.values(thin.two)) > 1e-4, 'another caption, other pictures');
  // Markup: refused with the words named, never parsed as HTML.
  await page.fill('#stk-caption', '<img src=x onerror="window.hacked=true"><script>window.hacked=true</script>');
  await page.press('#stk-caption', 'Enter');
  await page.waitForFunction(() => /no word of the caption is known/.test(document.getElementById('stk-caption-msg').textContent));
  assert.equal(await page.evaluate(() => window.hacked), undefined);
  assert.equal(await page.locator('#stk-caption-msg *').count(), 0, 'the message is text only');
  const msg = (c) => page.evaluate((c) => window.playground.stack.setCaption(c).then(() => 'ok', (e) => e.message), c);
  assert.match(await msg(''), /the caption is empty: type a digit and how it looks/);
  assert.match(await msg('seven '.repeat(1667)), /the caption is 10002 characters long: keep it under 200/);
  assert.match(await msg(42), /caption: type a caption/);
  // The caption shown is still the last good one.
  assert.equal(await page.evaluate(() => window.playground.stack.page.caption), 'an upright eight');
});

test('save and load continue exactly, and a file of another kind is refused', async () => {
  const bytes = await page.evaluate(async () => Array.from(await window.playground.stack.saveRun()));
  assert.equal(String.fromCharCode(...bytes.slice(0, 6)), 'GANSTK');
  const go = await page.evaluate(() => window.playground.stack.step(2));
  const loaded = await page.evaluate((b) => window.playground.stack.loadRun(Uint8Array.from(b)), bytes);
  assert.equal(loaded.seed, 3);
  const again = await page.evaluate(() => window.playground.stack.step(2));
  assert.deepEqual(again, go);
  await page.evaluate(() => window.playground.open('playground'));
  const toy = await page.evaluate(async () => Array.from(await window.playground.saveRun()));
  await page.evaluate(() => window.playground.open('stack'));
  const refused = await page.evaluate((b) => window.playground.stack.loadRun(Uint8Array.from(b)).then(() => 'ok', (e) => e.message), toy);
  assert.match(refused, /this file is a 2-D playground run, and this section loads a StackGAN run/);
  await page.setInputFiles('#stk-load', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a run at all, just text') });
  await page.waitForFunction(() => /notes\.txt: could not load the run/.test(document.getElementById('stk-error').textContent));
  const s = await page.evaluate(() => window.playground.stack.step(1));
  assert.equal(s.step, go.step + 1);
});

test('a diverging run stops with a message and a Resume button, and a good file trains on', async () => {
  const good = await page.evaluate(async () => Array.from(await window.playground.stack.saveRun()));
  const step = await page.evaluate(() => window.playground.stack.last.step);
  // Every float of both judges set to 1e30 in the saved file: the next round's costs overflow.
  const file = Buffer.from(good);
  const { header: h, at } = header(file);
  for (let i = h.genFloats; i < h.genFloats + h.discFloats; i++) file.writeFloatLE(1e30, at + 4 * i);
  await page.evaluate((b) => window.playground.stack.loadRun(Uint8Array.from(b)), Array.from(reseal(file)));
  const msg = await page.evaluate(() => window.playground.stack.step(1).then(() => 'no divergence', (e) => e.message));
  assert.match(msg, /training diverged at step \d+: a loss became NaN or infinite; lower the learning rates/);
  await page.waitForSelector('#stk-error:not([hidden])');
  assert.ok(await page.isVisible('#stk-resume'), 'a Resume button is offered');
  assert.match(await page.textContent('#stk-resume'), new RegExp(`Resume from round ${step} \\(the last good state\\) with the learning rates ÷ 10`));
  await page.evaluate((b) => window.playground.stack.loadRun(Uint8Array.from(b)), good);
  const s = await page.evaluate(() => window.playground.stack.step(1));
  assert.equal(s.step, step + 1);
  assert.ok(Number.isFinite(s.lossD));
});

test('the settings start new runs, the link follows, and Train plays and pauses', async () => {
  await page.selectOption('#stk-kl', '0');
  await page.waitForFunction(() => window.playground.stack.full.klWeight === 0);
  assert.equal(await page.evaluate(() => window.playground.stack.last.step), 0);
  await page.waitForFunction(() => /stk\.klWeight=0/.test(location.hash));
  // The caption stays with the new run.
  assert.equal(await page.evaluate(() => window.playground.stack.page.caption), 'an upright eight');
  await page.click('#stk-play');
  await page.waitForFunction(() => window.playground.stack.last.step >= 3, null, { timeout: 60000 });
  await page.click('#stk-play');
  await page.waitForFunction(() => !window.playground.stack.playing);
  assert.equal(await page.textContent('#stk-play'), 'Train');
  await page.screenshot({ path: 'test-results/stack.png' });
  assert.deepEqual(problems, []);
});
