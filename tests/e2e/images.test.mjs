// End-to-end: the image GANs in the page. An image run (DCGAN on the shipped MNIST digits)
// trains in the worker and the sample grid's pixels change; a pointer stroke drawn on the latent
// pad gives a filmstrip whose frames change along the path; truncation bounds the grid's latents;
// the JS API returns images as pixel arrays; bad input is refused with a message. Screenshots go
// to test-results/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadOf, openPage, start } from '../../scripts/lib/browser.mjs';
import { reseal } from '../../scripts/lib/runfile.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start({ webgpu: false });
});
after(async () => env && env.close());

/** Mean absolute difference of two pixel arrays (0..1). */
const meanDiff = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** The pixels of a canvas, as numbers 0-255 (red channel). */
const canvasPixels = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  return Array.from(d.filter((_, i) => i % 4 === 0));
}, id);

test('image mode: a DCGAN trains on the digits and the sample grid changes', async () => {
  const { page, problems } = await openPage(env);
  const full = await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan' }));
  assert.equal(full.arch, 'dcgan');
  assert.equal(full.zDim, 100);
  const before = await page.evaluate(() => Array.from(window.playground.images.gridPixels));
  assert.equal(before.length, 64 * 784);
  const gridCanvas0 = await canvasPixels(page, 'img-grid');
  const s = await page.evaluate(() => window.playground.images.step(20));
  assert.equal(s.step, 20);
  assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG), JSON.stringify(s));
  const after = await page.evaluate(() => Array.from(window.playground.images.gridPixels));
  assert.ok(after.every((p) => p >= 0 && p <= 1));
  assert.ok(meanDiff(before, after) > 0.005, `grid moved by ${meanDiff(before, after)}`);
  const gridCanvas1 = await canvasPixels(page, 'img-grid');
  assert.ok(gridCanvas0.some((v, i) => v !== gridCanvas1[i]), 'the grid canvas was redrawn');
  // The real digits beside them: white strokes on black.
  const real = await canvasPixels(page, 'img-real');
  assert.ok(real.filter((v) => v > 200).length > 2000, 'real digits are drawn');
  const st = await page.evaluate(() => window.playground.images.stats());
  assert.equal(st.backend, 'cpu (flex)');
  assert.equal(st.engineThread, 'worker');
  assert.match(await page.textContent('#img-status'), /round 20 · loss D/);
  assert.equal(await page.evaluate(() => window.playground.playing), false, 'the 2-D run was paused');
  // The API: images of a seed, as pixel arrays; the same seed gives the same images.
  const a = await page.evaluate(() => window.playground.images.images({ seed: 7, n: 2 }).then((r) => Array.from(r.pixels)));
  const b = await page.evaluate(() => window.playground.images.images({ seed: 7, n: 2 }).then((r) => Array.from(r.pixels)));
  assert.equal(a.length, 2 * 784);
  assert.deepEqual(a, b);
  // The shipped classifier's verdict on 256 samples: counts that add up; after 20 rounds G
  // makes grey fog, which the classifier calls no digit at all.
  const sc = await page.evaluate(() => window.playground.images.score());
  assert.equal(sc.samples, 256);
  assert.equal(sc.classes.length, 11);
  assert.equal(sc.classes.reduce((a, b) => a + b, 0), 256);
  assert.ok(sc.share < 0.1, `grey fog recognised as digits: ${sc.share}`);
  assert.ok(sc.classes[10] > 200, `not-a-digit count ${sc.classes[10]}`);
  assert.ok(sc.testAccuracy >= 0.98, `classifier test accuracy ${sc.testAccuracy}`);
  assert.match(await page.textContent('#img-score'), /recognised as digits: \d+\.\d % of 256 samples at round 20/);
  // The bars follow the headline's rule: the digits' bars add up to its share, grey the rest.
  assert.equal(sc.recognised.reduce((a, b) => a + b, 0), 256);
  assert.equal(sc.recognised.slice(0, 10).reduce((a, b) => a + b, 0) / 256, sc.share);
  // A flat grey grid says it is warming up (and only then).
  const warm = await page.evaluate(() => {
    const px = window.playground.images.gridPixels;
    const mean = px.reduce((a, b) => a + b, 0) / px.length;
    const spread = Math.sqrt(px.reduce((a, b) => a + (b - mean) ** 2, 0) / px.length);
    const el = document.getElementById('img-warm');
    return { spread, shown: !el.hidden, text: el.textContent };
  });
  assert.equal(warm.shown, warm.spread < 0.05, JSON.stringify(warm));
  // After 20 rounds the default DCGAN's images are still flat (spread ~0.01, natively too).
  assert.ok(warm.shown, JSON.stringify(warm));
  assert.match(warm.text, /warming up: G's images are still nearly flat grey/);
  await page.locator('#image-lab').screenshot({ path: 'test-results/images-grid.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a stroke drawn on the latent pad gives a filmstrip that changes along the path', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', seed: 3 }));
  await page.evaluate(() => window.playground.images.step(30));
  // Anchors A, B, C: click three samples of the grid.
  const grid = await page.locator('#img-grid').boundingBox();
  const cell = grid.width / 8;
  for (const [r, c] of [[0, 0], [3, 5], [7, 2]]) {
    await page.mouse.click(grid.x + (c + 0.5) * cell, grid.y + (r + 0.5) * cell);
  }
  const anchors = await page.evaluate(() => window.playground.images.anchors.map((a) => a.index));
  assert.deepEqual(anchors, [0, 29, 58]);
  // A stroke from near A to near B, bowing up towards C, with the mouse (pointer events).
  const pad = await page.locator('#img-pad').boundingBox();
  const at = (u, v) => [pad.x + u * pad.width, pad.y + v * pad.height];
  await page.mouse.move(...at(0.15, 0.75));
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) {
    const t = i / 20;
    await page.mouse.move(...at(0.15 + 0.7 * t, 0.75 - 0.5 * Math.sin(Math.PI * t)));
  }
  await page.mouse.up();
  await page.waitForFunction(() => window.playground.images.film && window.playground.images.film.kind === 'path');
  const film = await page.evaluate(() => {
    const f = window.playground.images.film;
    return { frames: f.frames, n: f.pixels.length, latents: f.latents.length, pixels: Array.from(f.pixels) };
  });
  assert.equal(film.frames, 32);
  assert.equal(film.n, 32 * 784);
  assert.equal(film.latents, 32 * 100);
  const frame = (i) => film.pixels.slice(i * 784, (i + 1) * 784);
  assert.ok(meanDiff(frame(0), frame(31)) > 0.02, `first and last frames differ: ${meanDiff(frame(0), frame(31))}`);
  let moved = 0;
  for (let i = 1; i < 32; i++) if (meanDiff(frame(i - 1), frame(i)) > 1e-4) moved++;
  assert.ok(moved >= 28, `${moved} of 31 steps along the path change the image`);
  // The first frame is A's image (the stroke starts on A's pad position).
  const anchorA = await page.evaluate(() => window.playground.images.images({ latents: window.playground.images.anchors[0].latent }).then((r) => Array.from(r.pixels)));
  assert.ok(meanDiff(anchorA, frame(0)) < 1e-3);
  // The filmstrip canvas shows the frames; play animates the big frame.
  const strip = await canvasPixels(page, 'img-film');
  assert.ok(strip.some((v) => v > 100), 'the filmstrip is drawn');
  await page.click('#img-anim');
  await page.waitForTimeout(400);
  await page.click('#img-anim');
  // Download PNG: the grid and the filmstrip as files whose pixels are the canvases'.
  const dir = mkdtempSync(join(tmpdir(), 'gan-png-'));
  for (const [button, id, kind] of [['#img-grid-png', 'img-grid', 'grid'], ['#img-film-png', 'img-film', 'filmstrip']]) {
    const { path, name } = await downloadOf(page, button, dir);
    assert.equal(name, `mnist-mlp-step30-${kind}.png`);
    const png = readFileSync(path);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
    const same = await page.evaluate(async ({ id, b64 }) => {
      const c = document.getElementById(id);
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const back = new OffscreenCanvas(img.width, img.height).getContext('2d');
      back.drawImage(img, 0, 0);
      const want = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const got = back.getImageData(0, 0, img.width, img.height).data;
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) differ++;
      return { size: [img.width, img.height], canvas: [c.width, c.height], differ };
    }, { id, b64: png.toString('base64') });
    assert.deepEqual(same.size, same.canvas, `${name}: the canvas's size`);
    assert.equal(same.differ, 0, `${name}: the canvas's pixels`);
  }
  await page.locator('#image-lab').screenshot({ path: 'test-results/images-pad.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('an InfoGAN code: z ends in a one-hot category that truncation keeps; the code menu follows z', async () => {
  const { page, problems } = await openPage(env);
  const full = await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan' }));
  assert.equal(full.codes, 64, 'a 100-d z carries 64 categories by default');
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    await lab.setTruncation(0.5);
    const z = Array.from(lab.gridLatents);
    let error = null;
    try { await lab.configure({ mode: 'images', zDim: 50, codes: 64 }); } catch (e) { error = e.message; }
    return { z, error, codes: lab.stats().codes };
  });
  assert.equal(r.z.length % 100, 0);
  for (let i = 0; i < r.z.length; i += 100) {
    const noise = r.z.slice(i, i + 36);
    const code = r.z.slice(i + 36, i + 100);
    assert.ok(noise.every((x) => Math.abs(x) <= 0.5), 'noise components truncated at 0.5');
    assert.deepEqual(code.filter((x) => x !== 0), [1], 'the code is one-hot, its 1 kept by truncation');
  }
  assert.match(r.error, /codes = 64 is out of range/);
  assert.equal(r.codes, 64, 'the refused config kept the run');
  // The menu: a 2-d z has no room for a code.
  await page.selectOption('#img-zdim', '2');
  await page.waitForFunction(() => window.playground.images.full.zDim === 2);
  assert.equal(await page.evaluate(() => window.playground.images.full.codes), 0);
  assert.equal(await page.isDisabled('#img-codes'), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('truncation bounds the grid latents; bad settings are refused with a message', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', zDim: 2 }));
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    const g0 = Array.from(lab.gridPixels);
    const verdicts = lab.scoreLog.length;
    await lab.setTruncation(0.5);
    // Paused: the verdict follows the truncation at once (it judges truncated samples).
    const judged = lab.scoreLog.length - verdicts;
    const shown = document.getElementById('img-score').textContent;
    const z = Array.from(lab.gridLatents);
    const g1 = Array.from(lab.gridPixels);
    const errors = [];
    for (const bad of [() => lab.setTruncation(0.01), () => lab.configure({ mode: 'images', arch: 'resnet' }),
      () => lab.configure({ mode: 'images', loss: 'wganGp' }), () => lab.configure({ mode: 'images', zDim: 1000 })]) {
      try { await bad(); errors.push(null); } catch (e) { errors.push(e.message); }
    }
    // A 2-D latent space: the pad is the plane itself, corners at (-2.5, 2.5) and (2.5, -2.5).
    const film = await lab.drawPath([[0, 0], [1, 1]]);
    return { g0, g1, z, errors, judged, shown, first: Array.from(film.latents.slice(0, 2)), last: Array.from(film.latents.slice(62, 64)), zDim: lab.full.zDim };
  });
  assert.ok(r.z.every((x) => Math.abs(x) <= 0.5), 'every truncated component is within 0.5');
  assert.ok(meanDiff(r.g0, r.g1) > 0, 'the grid was redrawn from the truncated latents');
  assert.equal(r.judged, 1, 'one fresh verdict after the truncation changed');
  assert.match(r.shown, /recognised as digits: \d+\.\d % of 256 samples at round 0/);
  assert.match(r.errors[0], /truncation/);
  assert.match(r.errors[1], /unknown variant `resnet`/);
  assert.match(r.errors[2], /wganGp/);
  assert.match(r.errors[3], /zDim/);
  assert.equal(r.zDim, 2, 'the refused configs kept the run');
  // "cpu" is burn-flex for the MLP GAN too (as fast as ndarray on its matrix products since
  // burn's simd feature, and faster for everything else).
  assert.equal(await page.evaluate(() => window.playground.images.stats().backend), 'cpu (flex)');
  assert.deepEqual(r.first, [-2.5, 2.5]);
  assert.deepEqual(r.last, [2.5, -2.5]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Save run, then Load run… in a fresh page: the DCGAN continues exactly; bad files are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-img-run-'));
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan', seed: 11, batchSize: 16 }));
  await page.evaluate(() => window.playground.images.step(4));
  const { path, name } = await downloadOf(page, '#img-save', dir);
  assert.equal(name, 'mnist-dcgan-step4.ganimg');
  const file = readFileSync(path);
  assert.equal(file.subarray(0, 6).toString(), 'GANIMG');
  const more = (p) => p.evaluate(async () => {
    const s = await window.playground.images.step(3);
    return { s, pixels: Array.from(window.playground.images.gridPixels) };
  });
  const want = await more(page);
  // A fresh page opened on the image lab (its own route; no 2-D run is made there).
  const other = await openPage(env, '#lab=images');
  assert.equal(await other.page.evaluate(() => window.playground.trainer), null, 'the 2-D lab was not started');
  await other.page.setInputFiles('#img-load', path);
  await other.page.waitForFunction(() => window.playground.images.stats().step === 4);
  const st = await other.page.evaluate(() => window.playground.images.stats());
  assert.equal(st.arch, 'dcgan');
  assert.match(st.reason, /^a loaded run/);
  assert.equal(await other.page.inputValue('#img-arch'), 'dcgan');
  // Weights, batch-norm statistics, Adam's moments and the RNG came back: the same losses and
  // the same grid pixels, bit for bit, three rounds on.
  assert.deepEqual(await more(other.page), want);
  // Bad files: each refused with a message naming it; the loaded run trains on.
  const twoD = await page.evaluate(async () => Array.from(await window.playground.saveRun()));
  const bad = {
    'truncated.ganimg': [reseal(file.subarray(0, file.length - 100)), /truncated/],
    'cut.ganimg': [file.subarray(0, file.length - 100), /the file is damaged: its checksum does not match/],
    'playground.ganrun': [Buffer.from(twoD), /is a 2-D playground run, and this section loads an image-GAN run/],
    'notes.txt': [Buffer.from('hello'), /not a GAN Playground run file/],
  };
  for (const [n, [bytes, re]] of Object.entries(bad)) {
    const p = join(dir, n);
    writeFileSync(p, bytes);
    await other.page.setInputFiles('#img-load', p);
    await other.page.waitForSelector('#img-error:not([hidden])');
    const msg = await other.page.textContent('#img-error');
    assert.ok(msg.startsWith(`Image run: ${n}: `), msg);
    assert.match(msg, re, n);
    await other.page.evaluate(() => { document.getElementById('img-error').hidden = true; });
  }
  const s = await other.page.evaluate(() => window.playground.images.step(1));
  assert.equal(s.step, 8, 'the loaded run was kept and trains on');
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});

test('a diverging image run stops with a message and a Resume button; resume() goes back to the last good state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-img-div-'));
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', loss: 'leastSquares', batchSize: 16, seed: 3 }));
  await page.evaluate(() => window.playground.images.step(3));
  // resume(): back to the last good state (the snapshot kept when the run started), new rates.
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    await lab.resume({ lrD: 1e-4, lrG: 2e-4 });
    await lab.step(1);
    const s = await lab.step(1);
    return { step: s.step, lossD: s.lossD, lrD: lab.full.lrD, lrG: lab.full.lrG };
  });
  assert.deepEqual([r.step, r.lrD, r.lrG], [2, 1e-4, 2e-4]);
  assert.ok(Number.isFinite(r.lossD));
  // The curves as CSV: a row per round, the classifier's share where it was measured.
  const csv = readFileSync((await downloadOf(page, '#img-csv', dir)).path, 'utf8').trim().split('\n');
  assert.equal(csv[0], 'step,lossD,lossG,recognisedShare');
  assert.deepEqual(csv.slice(1).map((l) => Number(l.split(',')[0])), [1, 2], 'the rounds after the resume');
  // A run whose D has exploded (its weights scaled by 10^8 in a saved file): the first round's
  // least-squares cost overflows, training stops and says what to change.
  const file = readFileSync((await downloadOf(page, '#img-save', dir)).path);
  const n = file.readUInt32LE(8);
  const h = JSON.parse(file.subarray(12, 12 + n).toString());
  const at = 12 + n + 4 * h.genFloats;
  for (let i = 0; i < h.discFloats; i++) file.writeFloatLE(file.readFloatLE(at + 4 * i) * 1e8, at + 4 * i);
  const exploded = join(dir, 'exploded.ganimg');
  writeFileSync(exploded, reseal(file));
  const before = await page.evaluate(() => window.playground.images.run.handle);
  await page.setInputFiles('#img-load', exploded);
  await page.waitForFunction((h) => window.playground.images.run.handle !== h, before);
  const msg = await page.evaluate(() => window.playground.images.step(1).then(() => 'no divergence', (e) => e.message));
  assert.match(msg, /training diverged at step \d+: a loss became NaN or infinite; lower the learning rates/);
  assert.match(await page.textContent('#img-error'), /training diverged/);
  assert.match(await page.textContent('#img-resume'), /Resume from round 2 \(the last good state\) with the learning rates ÷ 10 \(D 0\.0001 → 0\.00001, G 0\.0002 → 0\.00002\)/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('conditional GANs: ACGAN draws a row per digit, scored by the digit asked for; the family survives the link and a saved run; bad settings are said', async () => {
  const { page, problems } = await openPage(env, '#lab=images&img.family=acgan&img.arch=mlp&img.seed=3');
  await page.waitForFunction(() => window.playground.images.full && window.playground.images.gridPixels);
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    await lab.step(40);
    const score = await lab.score();
    return { full: lab.full, z: Array.from(lab.gridLatents), n: lab.gridPixels.length / 784, score, anchors: lab.anchors.map((a) => a.index) };
  });
  assert.equal(r.full.family, 'acgan');
  assert.equal(r.full.codes, 10, 'the label is the one-hot tail');
  assert.equal(r.n, 100, 'ten rows of ten');
  const d = r.full.zDim;
  for (let i = 0; i < 100; i += 1) {
    const latent = r.z.slice(i * d, (i + 1) * d);
    const hot = latent.slice(d - 10).flatMap((v, k) => (v === 1 ? [k] : []));
    assert.deepEqual(hot, [Math.floor(i / 10)], `row ${Math.floor(i / 10)} asks for its digit`);
    assert.deepEqual(latent.slice(0, d - 10), r.z.slice((i % 10) * d, (i % 10) * d + d - 10), 'a column keeps its noise');
  }
  assert.deepEqual(r.anchors, [0, 31, 72], 'anchors on three digits');
  assert.equal(r.score.intended.perDigit.length, 10);
  assert.ok(r.score.intended.perDigit.every((v) => v >= 0 && v <= 1));
  const mean = r.score.intended.perDigit.reduce((a, b) => a + b, 0) / 10;
  assert.ok(Math.abs(mean - r.score.intended.share) < 1e-9, 'as many samples per digit: the share is the mean');
  assert.match(await page.textContent('#img-score'), /^the digit asked for: the classifier names it for \d+\.\d % of 260 samples/);
  assert.equal(await page.inputValue('#img-family'), 'acgan');
  assert.equal(await page.isDisabled('#img-codes'), true);
  assert.match(await page.evaluate(() => location.hash), /img\.family=acgan/);
  // The anchors asked for one digit: A -> B stays inside the class, the noise kept.
  const film = await page.evaluate(async () => {
    const lab = window.playground.images;
    const before = lab.anchors.map((a) => Array.from(a.latent));
    await lab.setAnchorDigit(5);
    const f = await lab.interpolateAnchors(4);
    const after = lab.anchors.map((a) => Array.from(a.latent));
    const bad = await lab.setAnchorDigit(12).then(() => 'set', (e) => e.message);
    await lab.setAnchorDigit(null);
    return { before, after, latents: Array.from(f.latents), bad, back: lab.anchors.map((a) => Array.from(a.latent)) };
  });
  for (let i = 0; i < 3; i += 1) {
    assert.deepEqual(film.after[i].slice(0, d - 10), film.before[i].slice(0, d - 10), 'the style kept');
    assert.deepEqual(film.after[i].slice(d - 10), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  }
  for (let k = 0; k < film.latents.length; k += d) {
    // slerp scales the tail with the norm it interpolates: a 5, and nothing else, in every frame.
    const tail = film.latents.slice(k + d - 10, k + d);
    assert.deepEqual(tail.map((v, j) => (j === 5 ? 'five' : v)), [0, 0, 0, 0, 0, 'five', 0, 0, 0, 0], 'every frame asks for a 5');
    assert.ok(tail[5] > 0.5 && tail[5] < 1.5, `the label's weight ${tail[5]}`);
  }
  assert.equal(film.bad, 'digit: 0 to 9, or null for each anchor\'s own, not 12');
  assert.deepEqual(film.back, film.before, 'null gives each anchor its own digit back');
  assert.equal(await page.isVisible('#img-anchor-digit'), true);
  // A saved run keeps its family; bad settings are refused and the run kept.
  const out = await page.evaluate(async () => {
    const lab = window.playground.images;
    await lab.loadRun(await lab.saveRun());
    const msg = (c) => lab.configure(c).then(() => 'configured', (e) => e.message);
    return {
      loaded: lab.full.family,
      step: lab.stats().step,
      zDim2: await msg({ family: 'cgan', zDim: 2 }),
      sgan: await msg({ family: 'sgn' }),
      kept: lab.full.family,
    };
  });
  assert.equal(out.loaded, 'acgan');
  assert.equal(out.step, 40);
  assert.match(out.zDim2, /zDim = 2 is out of range \(12 to 256 for a conditional run: its last 10 components are the label\)/);
  assert.match(out.sgan, /unknown variant `sgn`/);
  assert.equal(out.kept, 'acgan');
  // Back to unconditional from the menu: the 8 x 8 grid.
  await page.selectOption('#img-family', 'unconditional');
  await page.waitForFunction(() => window.playground.images.full.family === 'unconditional' && window.playground.images.gridPixels.length === 64 * 784);
  assert.deepEqual(problems, []);
  await page.close();
});

test('SGAN: D learns the digits from a few labels beside its baseline; accuracy, confusion and labelled digits shown; link, saved run and bad settings', async () => {
  const { page, problems } = await openPage(env, '#lab=images&img.family=sgan&img.arch=mlp&img.labelsPerClass=3&img.seed=2');
  await page.waitForFunction(() => window.playground.images.full && window.playground.images.labelled);
  assert.equal(await page.isVisible('#img-semi'), true);
  assert.equal(await page.inputValue('#img-labels'), '3');
  assert.equal(await page.isDisabled('#img-codes'), true);
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    const start = lab.heldOutLog.map((h) => h.step);
    await lab.step(80);
    const h = await lab.accuracy();
    return { full: lab.full, labels: Array.from(lab.labelled.labels), start, h, log: lab.heldOutLog.map((x) => x.step), csv: lab.curvesCsv() };
  });
  assert.equal(r.full.family, 'sgan');
  assert.equal(r.full.codes, 0, 'G is given no label');
  assert.deepEqual(r.labels, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9], 'three of each digit, class by class');
  assert.deepEqual(r.start, [0], 'measured when the run starts');
  assert.deepEqual(r.log, [0, 80]);
  assert.equal(r.h.step, 80);
  assert.equal(r.h.n, 997, 'the test split');
  for (const s of [r.h.sgan, r.h.baseline]) {
    assert.equal(s.confusion.length, 100);
    assert.equal(s.confusion.reduce((a, b) => a + b, 0), 997);
    const diagonal = [...Array(10).keys()].reduce((a, k) => a + s.confusion[11 * k], 0);
    assert.equal(diagonal / 997, s.accuracy, 'accuracy is the diagonal');
  }
  // Chance is 10 % (measured with this seed and 30 labels: 57.9 % and 58.9 %).
  assert.ok(r.h.sgan.accuracy > 0.3 && r.h.baseline.accuracy > 0.2, JSON.stringify([r.h.sgan.accuracy, r.h.baseline.accuracy]));
  assert.match(r.csv.split('\n')[0], /sganAccuracy,baselineAccuracy$/);
  assert.match(r.csv, new RegExp(`\\n80,[^\\n]*,${r.h.sgan.accuracy},${r.h.baseline.accuracy}\\n`));
  assert.match(await page.textContent('#img-acc'), /^held-out accuracy at round 80: SGAN's D \d+\.\d %, baseline \d+\.\d % \([+−]\d+\.\d points\) on 997 test digits, both as moving averages of their weights$/);
  // The labelled digits are drawn (ink on white), the matrix's diagonal in green.
  const labelled = await canvasPixels(page, 'img-labelled');
  assert.ok(labelled.some((v) => v > 200) && labelled.some((v) => v < 50), 'labelled digits drawn');
  const green = await page.evaluate(() => {
    const c = document.getElementById('img-confusion');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 1] > d[i] + 40 && d[i + 1] > d[i + 2] + 40) n += 1;
    return n;
  });
  assert.ok(green > 100, `green diagonal cells: ${green} pixels`);
  assert.match(await page.evaluate(() => location.hash), /img\.family=sgan/);
  assert.match(await page.evaluate(() => location.hash), /img\.labelsPerClass=3/);
  await page.screenshot({ path: 'test-results/images-sgan.png', fullPage: false });
  // A saved run keeps its family, labels, D and baseline; bad settings are said, the run kept.
  const out = await page.evaluate(async () => {
    const lab = window.playground.images;
    const before = await lab.accuracy();
    await lab.loadRun(await lab.saveRun());
    const msg = (c) => lab.configure(c).then(() => 'configured', (e) => e.message);
    return {
      same: JSON.stringify(await lab.accuracy()) === JSON.stringify(before),
      loaded: [lab.full.family, lab.full.labelsPerClass, lab.labelled.labels.length],
      tooMany: await msg({ family: 'sgan', labelsPerClass: 5000 }),
      overSplit: await msg({ family: 'sgan', labelsPerClass: 900 }),
      fmElsewhere: await msg({ family: 'acgan', featureMatching: true }),
      kept: lab.full.family,
    };
  });
  assert.equal(out.same, true, 'D and the baseline come back as saved');
  assert.deepEqual(out.loaded, ['sgan', 3, 30]);
  assert.match(out.tooMany, /labelsPerClass = 5000 is out of range \(1 to 1000/);
  assert.match(out.overSplit, /^labelsPerClass: 900 labelled digits per class is more than the training split holds of digit \d \(\d+\); pick 1 to \d+$/);
  assert.match(out.fmElsewhere, /featureMatching: only an SGAN run's G matches D's features/);
  assert.equal(out.kept, 'sgan');
  // The labels menu starts a run with 100 labels; another family's run has no held-out accuracy.
  await page.selectOption('#img-labels', '10');
  await page.waitForFunction(() => window.playground.images.full.labelsPerClass === 10 && window.playground.images.labelled.labels.length === 100);
  await page.selectOption('#img-family', 'unconditional');
  await page.waitForFunction(() => window.playground.images.full.family === 'unconditional');
  assert.equal(await page.isVisible('#img-semi'), false);
  assert.equal(await page.isVisible('#img-labels'), false);
  const refused = await page.evaluate(() => window.playground.images.accuracy().then(() => 'measured', (e) => e.message));
  assert.match(refused, /held-out accuracy is measured for an SGAN run/);
  assert.deepEqual(problems, []);
  await page.close();
});
