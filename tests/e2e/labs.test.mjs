// End-to-end: the page as a home for the labs. Each lab is a route in the link, shown without
// restarting any run; a lab's code loads when it is first opened; the page's own thread loads
// no wasm (the engine lives in the worker); a frame of play is one request and one answer.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start({ webgpu: false });
});
after(async () => env && env.close());

/** The page's own resource requests (the worker's are not in the page's timeline). */
const loaded = (page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));

test('the labs are routes: switching shows each lab, keeps every run, and the link names the lab', async () => {
  const { page, problems } = await openPage(env, '#seed=7');
  assert.equal((await page.evaluate(() => window.playground.step(30))).step, 30);
  assert.equal(await page.evaluate(() => window.playground.images), null, 'the image lab is not loaded yet');
  assert.ok(!(await loaded(page)).some((p) => p.endsWith('/www/image/lab.js')), 'no image-lab code fetched');
  assert.equal(await page.isVisible('#chart-v'), true);
  assert.equal(await page.isVisible('#probe'), false);
  await page.click('nav.labs [data-lab=losses]');
  await page.waitForFunction(() => /lab=losses/.test(location.hash));
  assert.equal(await page.isVisible('#probe'), true);
  assert.equal(await page.isVisible('#chart-v'), false);
  assert.equal(await page.getAttribute('nav.labs [data-lab=losses]', 'aria-current'), 'page');
  assert.equal((await page.evaluate(() => window.playground.stats())).step, 30, 'the same run');
  await page.click('nav.labs [data-lab=images]');
  await page.waitForFunction(() => window.playground.images !== null && /lab=images/.test(location.hash));
  assert.ok((await loaded(page)).some((p) => p.endsWith('/www/image/lab.js')), 'its code loaded on opening');
  assert.equal(await page.isVisible('#image-lab'), true);
  assert.equal(await page.isVisible('#plane'), false);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', batchSize: 16 }));
  await page.evaluate(() => window.playground.images.step(2));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /seed=7/);
  assert.match(hash, /lab=images/);
  assert.match(hash, /img\.arch=mlp/);
  await page.click('nav.labs [data-lab=playground]');
  await page.waitForFunction(() => !/lab=/.test(location.hash));
  assert.equal((await page.evaluate(() => window.playground.stats())).step, 30, 'the 2-D run kept its steps');
  assert.equal(await page.evaluate(() => window.playground.images.stats().step), 2, 'and the image run its rounds');
  // The link opens the lab it names, with both runs.
  const other = await openPage(env, hash);
  assert.equal(await other.page.isVisible('#image-lab'), true);
  assert.equal(await other.page.evaluate(() => window.playground.images.full.arch), 'mlp');
  // An unknown lab is said, and the home lab opens.
  const third = await openPage(env, '#lab=cyclegan&seed=4');
  assert.match(await third.page.textContent('#notice'), /ignored lab = "cyclegan": not one of playground, losses, images/);
  assert.equal((await third.page.evaluate(() => window.playground.config())).seed, 4);
  await page.screenshot({ path: 'test-results/labs-home.png' });
  for (const p of [problems, other.problems, third.problems]) assert.deepEqual(p, []);
  for (const p of [page, other.page, third.page]) await p.close();
});

test('the page thread loads no wasm, and each frame of play is one request and one answer', async () => {
  const page = await env.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    window.__wasm = 0;
    for (const f of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
      const orig = WebAssembly[f];
      WebAssembly[f] = (...a) => { window.__wasm += 1; return orig.apply(WebAssembly, a); };
    }
  });
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  const r = await page.evaluate(() => new Promise((resolve) => {
    const pg = window.playground;
    const t0 = { ...pg.client.traffic };
    let frames = 0;
    pg.addEventListener('frame', () => { frames += 1; });
    pg.play();
    setTimeout(() => {
      pg.pause();
      pg.stats().then(() => {
        const t = pg.client.traffic;
        resolve({ frames, sent: t.sent - t0.sent, received: t.received - t0.received, wasm: window.__wasm, step: pg.last.step });
      });
    }, 2000);
  }));
  assert.equal(r.wasm, 0, 'no wasm instantiated on the page thread');
  assert.ok(r.frames > 10 && r.step > 10, JSON.stringify(r));
  // One request and one answer per frame (the stats() after pause asks nothing of the engine).
  assert.ok(r.sent <= r.frames + 1 && r.received <= r.frames + 1, JSON.stringify(r));
  assert.deepEqual(problems, []);
  await page.close();
});
