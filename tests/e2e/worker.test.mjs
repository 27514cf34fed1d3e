// End-to-end: training runs in a Web Worker, and the page falls back to its own thread (saying
// so) where no worker can start. The main thread's longest task while training is measured here
// and saved to test-results/ (the figure is reported by the benchmark, not asserted).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openPage, start, traceMainThread } from '../../scripts/lib/browser.mjs';

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
  assert.match(await page.textContent('#backend-detail'), /in a worker/);
  // Play at full speed for 4 s while Chromium traces the main thread: every task's length is
  // recorded (long-task entries would only say which passed 50 ms).
  const { result: r, tasks } = await traceMainThread(page, () => new Promise((resolve) => {
    const pg = window.playground;
    pg.play();
    setTimeout(async () => {
      pg.pause();
      const s = await pg.stats();
      resolve({ steps: s.step, playing: s.playing });
    }, 4000);
  }));
  const longest = { longestTaskMs: tasks[0], tasks: tasks.length, atLeast50ms: tasks.filter((t) => t >= 50).length, steps: r.steps };
  writeFileSync('test-results/longtasks.json', JSON.stringify(longest, null, 2));
  assert.ok(tasks.length > 100, `the trace holds the main thread's tasks (${tasks.length})`);
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
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  const s = await page.evaluate(() => window.playground.step(20));
  assert.equal(s.step, 20);
  assert.match(s.engineThread, /^main thread \(/);
  assert.match(await page.textContent('#backend-detail'), /on the main thread/);
  assert.deepEqual(problems, []);
  await page.close();
});

/** The bound on growth from step 1,000 to step 10,000 (documented in the README). */
const GROWTH_BOUND = { wasm: 8 * 2 ** 20, heap: 16 * 2 ** 20, gpu: 8 * 2 ** 20, gpuPool: 1 * 2 ** 20 };

test('10,000 steps: wasm memory and JS heaps stay within the documented bound after step 1,000', async () => {
  const { page, problems } = await openPage(env);
  const samples = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.configure({ backend: 'cpu', theoryEvery: 1000, probeEvery: 100 });
    const out = [];
    for (let k = 1; k <= 10; k++) {
      await pg.step(1000);
      out.push({ step: (await pg.stats()).step, ...(await pg.memory()) });
    }
    return out;
  });
  writeFileSync('test-results/memory.json', JSON.stringify(samples, null, 2));
  const first = samples[0];
  const last = samples[samples.length - 1];
  assert.equal(last.step, 10000);
  assert.ok(first.wasm.cpu > 0 && first.pageHeap > 0, JSON.stringify(first));
  assert.ok(last.wasm.cpu - first.wasm.cpu <= GROWTH_BOUND.wasm, `wasm ${first.wasm.cpu} -> ${last.wasm.cpu}`);
  // A worker's JS heap is not exposed to it in Chromium (performance.memory is window-only): null.
  if (first.engineHeap !== null) assert.ok(last.engineHeap - first.engineHeap <= GROWTH_BOUND.heap, `worker heap ${first.engineHeap} -> ${last.engineHeap}`);
  assert.ok(last.pageHeap - first.pageHeap <= GROWTH_BOUND.heap, `page heap ${first.pageHeap} -> ${last.pageHeap}`);
  assert.deepEqual(problems, []);
  await page.close();
});

// GPU memory on WebGPU (SwiftShader), sampled every 30 steps of the page's own step() (views
// read each time, as Play does): what burn's allocator reserves must not grow at all after the
// first sample, and the buffers the engine made that are neither destroyed nor collected yet
// (host.js counts them) stay within the bound. wgpu's web backend drops a buffer without
// destroying it, so pages burn returns wait for the garbage collector: the count would grow by
// 576 KiB per call if collected buffers were not subtracted. Figures: test-results/memory-webgpu.json.
test('on WebGPU the allocator does not grow and the live GPU buffers stay within a bound over 150 steps', async () => {
  const { page, problems } = await openPage(env, '#backend=webgpu&seed=4&probeEvery=0&theoryEvery=0');
  const samples = await page.evaluate(async () => {
    const pg = window.playground;
    const out = [];
    for (let k = 1; k <= 5; k++) {
      await pg.step(30);
      out.push({ step: (await pg.stats()).step, ...(await pg.memory()) });
    }
    return out;
  });
  writeFileSync('test-results/memory-webgpu.json', JSON.stringify(samples, null, 2));
  const first = samples[0];
  const last = samples[samples.length - 1];
  assert.equal(last.step, 150);
  assert.ok(first.gpuBuffers && first.gpuBuffers.bytes > 0, JSON.stringify(first.gpuBuffers));
  assert.ok(first.gpuPool && first.gpuPool.bytesReserved > 0, JSON.stringify(first.gpuPool));
  assert.ok(first.gpuPool.bytesInUse <= first.gpuPool.bytesReserved, JSON.stringify(first.gpuPool));
  for (const s of samples) {
    assert.ok(s.gpuPool.bytesReserved - first.gpuPool.bytesReserved <= GROWTH_BOUND.gpuPool,
      `allocator ${first.gpuPool.bytesReserved} -> ${s.gpuPool.bytesReserved} at step ${s.step}`);
    assert.ok(s.gpuBuffers.bytes - first.gpuBuffers.bytes <= GROWTH_BOUND.gpu,
      `GPU buffers ${first.gpuBuffers.bytes} -> ${s.gpuBuffers.bytes} at step ${s.step}`);
  }
  assert.ok(last.wasm.webgpu - first.wasm.webgpu <= GROWTH_BOUND.wasm, `wasm ${first.wasm.webgpu} -> ${last.wasm.webgpu}`);
  assert.deepEqual(problems, []);
  await page.close();
});

// Calibration ('auto' with a real adapter, issue 27): SwiftShader stands in for a real GPU
// behind the test-only switch `?calibrate=software`. The 2-D model trains ~100x faster on the
// CPU than on SwiftShader, so the calibration must pick the CPU and give both figures.
const CALIBRATED = /calibrated for this model: WebGPU ([\d.]+) ms a step, CPU \(wasm\) ([\d.]+) ms, so training on the CPU \(wasm\)/;

test('calibration: with a GPU adapter, auto times the model on both backends, the faster is used, and both figures are shown', async () => {
  const { page, problems } = await openPage(env, '?calibrate=software#seed=3&probeEvery=0&theoryEvery=0');
  const s = await page.evaluate(() => window.playground.stats());
  assert.match(s.backend, /^cpu/);
  const m = CALIBRATED.exec(s.backendReason);
  assert.ok(m, s.backendReason);
  const [gpuMs, cpuMs] = [Number(m[1]), Number(m[2])];
  assert.ok(gpuMs > cpuMs && cpuMs > 0, `${gpuMs} > ${cpuMs} > 0`);
  assert.match(s.backendReason, /software adapter standing in for a real one/);
  assert.match(await page.textContent('#backend-detail'), CALIBRATED);
  // Remembered in this browser, keyed by the lab, the model's size and the adapter.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gan-playground.backend-calibrations')));
  const keys = Object.keys(stored);
  assert.equal(keys.length, 1, JSON.stringify(stored));
  assert.match(keys[0], /^toy2d .*genWidth=\d+.* @ .+/);
  assert.doesNotMatch(keys[0], /seed=|lrG=/);
  assert.equal(stored[keys[0]].backend, 'cpu');
  assert.equal(Number(fixedMs(stored[keys[0]].cpuMs)), cpuMs);
  assert.equal((await page.evaluate(() => window.playground.step(5))).step, 5);
  // "Time both backends again" forgets every remembered calibration (another model's too) and
  // times this model afresh, in a new run of the same settings.
  await page.evaluate(() => {
    const all = JSON.parse(localStorage.getItem('gan-playground.backend-calibrations'));
    localStorage.setItem('gan-playground.backend-calibrations', JSON.stringify({ ...all, 'toy2d another model @ x': { backend: 'webgpu', gpuMs: 1, cpuMs: 2 } }));
  });
  await page.click('#backend-chip');
  assert.equal(await page.isVisible('#recalibrate'), true);
  await page.click('#recalibrate');
  await page.waitForFunction(() => !localStorage.getItem('gan-playground.backend-calibrations'));
  await page.waitForFunction(() => localStorage.getItem('gan-playground.backend-calibrations'));
  const again = await page.evaluate(() => window.playground.stats());
  assert.match(again.backendReason, CALIBRATED);
  assert.doesNotMatch(again.backendReason, /earlier calibration/);
  assert.equal(again.step, 0);
  assert.equal(await page.evaluate(() => window.playground.config().seed), 3);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('gan-playground.backend-calibrations')));
  assert.deepEqual(Object.keys(kept), keys);
  assert.equal(kept[keys[0]].backend, 'cpu');
  assert.deepEqual(problems, []);
  await page.close();
});

/** A figure as the status line writes it. */
function fixedMs(ms) {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(0);
}

test('a remembered calibration is used without timing again; another seed is the same model; the backend menu overrides', async () => {
  // The calibration above is in this browser's storage; pretend WebGPU had been the faster.
  const page0 = await env.browser.newPage();
  await page0.goto(env.url);
  const key = await page0.evaluate(() => {
    const all = JSON.parse(localStorage.getItem('gan-playground.backend-calibrations'));
    const [k] = Object.keys(all);
    all[k] = { ...all[k], backend: 'webgpu', gpuMs: 0.5 };
    localStorage.setItem('gan-playground.backend-calibrations', JSON.stringify(all));
    return k;
  });
  await page0.close();
  const { page, problems } = await openPage(env, '?calibrate=software#seed=8&probeEvery=0&theoryEvery=0');
  const s = await page.evaluate(() => window.playground.stats());
  assert.equal(s.backend, 'webgpu', s.backendReason);
  assert.match(s.backendReason, /training on WebGPU, the faster for this model in this browser's earlier calibration \(WebGPU 0\.50 ms a step, CPU \(wasm\) [\d.]+ ms; the backend menu overrides\)/);
  assert.equal((await page.evaluate(() => window.playground.step(2))).step, 2);
  // The backend menu's choice is the user's: no calibration is consulted.
  await page.evaluate(() => window.playground.configure({ backend: 'cpu' }));
  const c = await page.evaluate(() => window.playground.stats());
  assert.match(c.backend, /^cpu/);
  assert.equal(c.backendReason, 'CPU chosen by the user');
  // A wider generator is another model: timed afresh, and remembered beside the first.
  await page.evaluate(() => window.playground.configure({ backend: 'auto', genWidth: 24 }));
  const w = await page.evaluate(() => window.playground.stats());
  assert.match(w.backendReason, CALIBRATED);
  const keys = await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('gan-playground.backend-calibrations'))));
  assert.equal(keys.length, 2);
  assert.ok(keys.includes(key));
  // The same wider model again (another seed): remembered as the CPU, trained there at once.
  await page.evaluate(() => window.playground.configure({ backend: 'auto', genWidth: 24, seed: 5 }));
  const again = await page.evaluate(() => window.playground.stats());
  assert.match(again.backend, /^cpu/);
  assert.match(again.backendReason, /training on the CPU \(wasm\), the faster for this model in this browser's earlier calibration/);
  assert.equal((await page.evaluate(() => window.playground.step(3))).step, 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without the switch, a software adapter is not calibrated: auto trains on the CPU and says why', async () => {
  const { page, problems } = await openPage(env, '#seed=3&probeEvery=0&theoryEvery=0');
  const s = await page.evaluate(() => window.playground.stats());
  assert.match(s.backend, /^cpu/);
  assert.match(s.backendReason, /software fallback.*training on the CPU \(wasm\)/);
  assert.doesNotMatch(s.backendReason, /calibrat/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('WebGPU disabled: the page says so, and a run that asks for WebGPU trains on the CPU', async () => {
  const plain = await start({ webgpu: false });
  try {
    const { page, problems } = await openPage(plain, '#backend=webgpu&seed=2');
    const s = await page.evaluate(() => window.playground.step(10));
    assert.equal(s.step, 10);
    assert.match(s.backend, /^cpu/);
    assert.match(s.backendReason, /no WebGPU|no adapter|WebGPU/);
    assert.match(await page.textContent('#backend-chip'), /backend: cpu/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await plain.close();
  }
});

test('the GPU device lost mid-run: the page says so and trains on, on the CPU, from the last snapshot', async () => {
  const { page, problems } = await openPage(env, '#backend=webgpu&seed=3&probeEvery=0&theoryEvery=0');
  assert.equal((await page.evaluate(() => window.playground.stats())).backend, 'webgpu');
  // Train on the GPU (SwiftShader here) past a snapshot: one is kept every 250 steps or 5 s.
  const before = await page.evaluate(async () => {
    const pg = window.playground;
    pg.play();
    await new Promise((res) => {
      const poll = () => (pg.good && pg.good.step > 0 ? res() : setTimeout(poll, 100));
      poll();
    });
    return { snapshot: pg.good.step, step: pg.last.step };
  });
  assert.ok(before.snapshot > 0, JSON.stringify(before));
  // The device goes (as a driver reset would take it); the run moves to the CPU and plays on.
  await page.evaluate(() => window.playground.loseDevice());
  await page.waitForSelector('#notice:not([hidden])', { timeout: 60000 });
  const notice = await page.textContent('#notice');
  assert.match(notice, /the GPU device was lost \(destroyed/);
  assert.match(notice, /continues on the CPU from step \d+, its last snapshot/);
  const from = Number(/from step (\d+)/.exec(notice)[1]);
  assert.ok(from >= before.snapshot, `${from} >= ${before.snapshot}`);
  await page.waitForFunction((from) => window.playground.last.step > from + 20, from, { timeout: 60000 });
  const s = await page.evaluate(async () => {
    window.playground.pause();
    return window.playground.stats();
  });
  assert.match(s.backend, /^cpu/);
  assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG), JSON.stringify(s));
  assert.equal(await page.isHidden('#error'), true, 'no error is shown');
  // A new run asks for WebGPU again and is told why it trains on the CPU.
  await page.evaluate(() => window.playground.configure({ backend: 'webgpu' }));
  assert.match((await page.evaluate(() => window.playground.stats())).backendReason, /device was lost .* earlier: training on the CPU/);
  await page.evaluate(() => window.playground.step(5));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the GPU device lost during an image run: it continues on the CPU from its last snapshot', async () => {
  const { page, problems } = await openPage(env);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', backend: 'webgpu', batchSize: 16, seed: 9 }));
  assert.equal(await page.evaluate(() => window.playground.images.stats().backend), 'webgpu');
  // Train on the GPU (SwiftShader) until a snapshot is kept mid-run (one is kept at the start,
  // then every 100 rounds or 10 s).
  await page.evaluate(() => window.playground.images.play());
  await page.waitForFunction(() => window.playground.images.good && window.playground.images.good.step > 0, null, { timeout: 120000 });
  const kept = await page.evaluate(() => window.playground.images.good.step);
  await page.evaluate(() => window.playground.loseDevice());
  await page.waitForSelector('#img-notice:not([hidden])', { timeout: 60000 });
  const notice = await page.textContent('#img-notice');
  assert.match(notice, /the GPU device was lost \(destroyed.*continues on the CPU from round \d+, its last snapshot/);
  const from = Number(/from round (\d+)/.exec(notice)[1]);
  assert.ok(from >= kept && from > 0, `${from} >= ${kept} > 0`);
  await page.waitForFunction((from) => window.playground.images.stats().step > from + 5, from, { timeout: 60000 });
  const s = await page.evaluate(() => { window.playground.images.pause(); return window.playground.images.stats(); });
  assert.match(s.backend, /^cpu/);
  assert.equal(s.arch, 'mlp');
  assert.ok(Number.isFinite(s.lossD), JSON.stringify(s));
  assert.equal(await page.isHidden('#img-error'), true, 'no error is shown');
  assert.deepEqual(problems, []);
  await page.close();
});
