// Never freeze, never lose work (issue 6's figures): the main thread's longest task while the
// worker trains at full speed (2-D and DCGAN), saved-run sizes and restore times (2-D and DCGAN),
// memory over 10,000 steps on the CPU and GPU memory over BENCH_GPU_STEPS steps on WebGPU.
// Writes the "robust" section of BENCHMARKS.md. Needs a build (scripts/build.sh). About 10
// minutes (5 of them the 600 WebGPU steps on SwiftShader, BENCH_GPU_STEPS; 0 keeps the last
// run's rows; BENCH_PLAY_RUNS page loads, 3 by default, for each longest-task figure).

import { execFileSync } from 'node:child_process';
import { openPage, start, traceMainThread } from '../lib/browser.mjs';
import { sections, writeSection } from '../lib/bench-section.mjs';

const SECONDS = Number(process.env.BENCH_PLAY_SECONDS || 10);
const rows = [];
const row = (what, value, how) => { rows.push({ what, value, how }); console.log(`${what}: ${value}  (${how})`); };
const ms = (v) => v.toFixed(1);

const env = await start();

// The main thread while the worker trains: every task it ran, from a Chromium trace (long-task
// entries start at 50 ms, so they cannot give a figure below it).
async function longest(mode) {
  const { page } = await openPage(env);
  // The trace starts once the page has settled: the figure is for training, not loading.
  await page.waitForTimeout(1000);
  if (mode === 'images') {
    await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan' }));
    await page.waitForFunction(() => window.playground.images.stats().backend !== 'none', null, { timeout: 60000 });
  }
  const { result, tasks } = await traceMainThread(page, async ([m, seconds]) => {
    const pg = window.playground;
    const api = m === 'images' ? pg.images : pg;
    const long = [];
    const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration); });
    obs.observe({ type: 'longtask' });
    const before = (await api.stats()).step;
    api.play();
    await new Promise((res) => setTimeout(res, seconds * 1000));
    api.pause();
    obs.disconnect();
    const s = await api.stats();
    return { steps: s.step - before, long, thread: pg.stats ? (await pg.stats()).engineThread : '' };
  }, [mode, SECONDS]);
  await page.close();
  return { ...result, tasks };
}
// Several runs each: the longest task is a tail figure, and one run alone says little about it.
const RUNS = Number(process.env.BENCH_PLAY_RUNS || 3);
for (const [mode, label] of [['2d', '2-D reference GAN'], ['images', 'DCGAN (MNIST)']]) {
  const runs = [];
  for (let k = 0; k < RUNS; k++) runs.push(await longest(mode));
  const all = runs.flatMap((r) => r.tasks).sort((a, b) => b - a);
  const over = all.filter((t) => t >= 50).length;
  row(`main thread while the worker trains the ${label} at full speed (Play, ${SECONDS} s, ${RUNS} page loads): longest task of each run, ms`,
    `${runs.map((r) => ms(r.tasks[0])).join(', ')} (${all.length} tasks, ${over} of 50 ms or more; 99th percentile ${ms(all[Math.floor(all.length / 100)])})`,
    `Chromium trace of the renderer's main thread (RunTask), from 1 s after the page is ready; engine in: ${runs[0].thread}; ${runs.map((r) => r.steps).join(', ')} ${mode === 'images' ? 'rounds' : 'steps'} trained meanwhile`);
}

// A saved reference run: its size, the time to restore it, then memory over 10,000 steps.
{
  const { page } = await openPage(env);
  const r = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.configure({ backend: 'cpu' });
    await pg.step(500);
    const bytes = await pg.saveRun();
    const t0 = performance.now();
    await pg.loadRun(bytes);
    return { size: bytes.length, restore: performance.now() - t0 };
  });
  row('saved run, reference GAN (Adam on both, step 500), bytes', String(r.size), 'saveRun(): config + weights + optimiser state + step + RNG state');
  row('restore a saved reference run (loadRun, to the first view drawn), ms', ms(r.restore), 'page API, wasm CPU, in the worker');
  const mem = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.configure({ backend: 'cpu' });
    const out = [];
    for (let k = 1; k <= 10; k++) {
      await pg.step(1000);
      if (k === 1 || k === 10) out.push({ step: k * 1000, ...(await pg.memory()) });
    }
    return out;
  });
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  for (const m of mem) {
    row(`memory at step ${m.step}: wasm linear memory / page JS heap, MiB`, `${mb(m.wasm.cpu)} / ${mb(m.pageHeap)}`, 'pg.memory() on ring-8 defaults (theory every 100, probe every 25); the worker\'s JS heap is not measurable in Chromium');
  }
  await page.close();
}

// A saved DCGAN run (the page's default image config): its size and the time to restore it.
{
  const { page } = await openPage(env);
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    await window.playground.configure({ mode: 'images', arch: 'dcgan' });
    await lab.step(20);
    const bytes = await lab.saveRun();
    const t0 = performance.now();
    await lab.loadRun(bytes);
    return { size: bytes.length, restore: performance.now() - t0, params: lab.run.params, backend: lab.stats().backend };
  });
  row('saved run, DCGAN (MNIST, the default config, round 20), bytes', String(r.size), `images.saveRun(): config, G's and D's weights and batch-norm statistics (${r.params.join(' + ')} numbers), Adam's two moments of each weight, round, RNG state`);
  row('restore a saved DCGAN run (images.loadRun, to the sample grid drawn), ms', ms(r.restore), `page API, wasm CPU (${r.backend}), in the worker`);
  await page.close();
}
// GPU memory on WebGPU (SwiftShader here: ~0.5 s a step, so BENCH_GPU_STEPS sets the length):
// the page's own step(30) calls, views read after each, memory sampled every 300 steps.
// BENCH_GPU_STEPS=0 skips the run and keeps the rows of the last one.
const gpuSteps = Number(process.env.BENCH_GPU_STEPS ?? 600);
if (gpuSteps === 0) {
  const kept = sections().split('\n').filter((l) => l.startsWith('| GPU memory on WebGPU'));
  for (const l of kept) {
    const [what, value, how] = l.slice(2, -2).split(' | ');
    row(what, value, how);
  }
} else {
  const steps = gpuSteps;
  const { page } = await openPage(env, '#backend=webgpu&seed=4&probeEvery=0&theoryEvery=0');
  const mem = await page.evaluate(async (total) => {
    const pg = window.playground;
    const out = [];
    let peak = 0;
    for (let k = 1; k * 30 <= total; k++) {
      await pg.step(30);
      const m = await pg.memory();
      peak = Math.max(peak, m.gpuBuffers.bytes);
      if (k === 1 || (k * 30) % 300 === 0) out.push({ step: k * 30, peak, backend: (await pg.stats()).backend, ...m });
    }
    return out;
  }, steps);
  const first = mem[0];
  const last = mem[mem.length - 1];
  const mb = (b) => (b / 2 ** 20).toFixed(2);
  if (!/^webgpu/.test(last.backend)) throw new Error(`the WebGPU memory run trained on ${last.backend}`);
  row(`GPU memory on WebGPU (SwiftShader) at step ${first.step} and ${last.step}: burn's allocator, reserved, MiB`,
    `${mb(first.gpuPool.bytesReserved)} → ${mb(last.gpuPool.bytesReserved)} (in use ${mb(last.gpuPool.bytesInUse)})`,
    `pg.memory().gpuPool; page step(30) ${last.step / 30} times, views read after each; samples every 300 steps: ${mem.map((m) => mb(m.gpuPool.bytesReserved)).join(', ')}`);
  row(`GPU memory on WebGPU (SwiftShader) at step ${first.step} and ${last.step}: buffers neither destroyed nor collected, MiB`,
    `${mb(first.gpuBuffers.bytes)} → ${mb(last.gpuBuffers.bytes)} (largest seen ${mb(last.peak)})`,
    `pg.memory().gpuBuffers (host.js counts createBuffer, destroy and the garbage collector); samples: ${mem.map((m) => mb(m.gpuBuffers.bytes)).join(', ')}`);
  await page.close();
}
await env.close();

const machine = execFileSync('sh', ['-c', 'nproc; /usr/bin/chromium --version 2>/dev/null']).toString().trim().split('\n');
writeSection('robust', [
  '## Never freeze, never lose work',
  '',
  `Written by \`node scripts/bench/robust.mjs\` on ${new Date().toISOString().slice(0, 10)} (${machine[0]} cores, ${machine[1]}); the page's defaults unless a row says otherwise.`,
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((x) => `| ${x.what} | ${x.value} | ${x.how} |`),
]);
console.log('\nwrote the robust section of BENCHMARKS.md');
