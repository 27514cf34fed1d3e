// End-to-end: training runs in a Web Worker, and the page falls back to its own thread (saying
// so) where no worker can start. The main thread's longest task while training is measured here
// and saved to test-results/ (the figure is reported by the benchmark, not asserted).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openPage, start } from './browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start();
});
after(async () => env && env.close());

test('the engine trains in a worker: the status says so and the main thread only draws', async () => {
  const { page, problems } = await openPage(env);
  const s0 = await page.evaluate(() => window.playground.stats());
  assert.equal(s0.engineThread, 'worker');
  assert.match(await page.textContent('#status'), /in a worker/);
  // Play at full speed for 4 s while long tasks (> 50 ms) on the main thread are recorded.
  const r = await page.evaluate(() => new Promise((resolve) => {
    const long = [];
    const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); });
    obs.observe({ type: 'longtask', buffered: false });
    const pg = window.playground;
    pg.play();
    setTimeout(async () => {
      pg.pause();
      const s = await pg.stats();
      obs.disconnect();
      resolve({ steps: s.step, long, playing: s.playing });
    }, 4000);
  }));
  writeFileSync('test-results/longtasks.json', JSON.stringify(r, null, 2));
  assert.ok(r.steps > 20, `trained ${r.steps} steps in 4 s`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without Worker the page trains on its own thread and says so', async () => {
  const page = await env.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => { window.Worker = undefined; });
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.trainer, null, { timeout: 60000 });
  const s = await page.evaluate(() => window.playground.step(20));
  assert.equal(s.step, 20);
  assert.match(s.engineThread, /^main thread \(/);
  assert.match(await page.textContent('#status'), /on the main thread/);
  assert.deepEqual(problems, []);
  await page.close();
});
