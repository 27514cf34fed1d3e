// Never freeze, never lose work (issue 6's figures): the main thread's longest task while the
// worker trains at full speed (2-D and DCGAN), saved-run sizes and restore times (2-D and DCGAN),
// and memory over 10,000 steps. Writes the "robust" section of BENCHMARKS.md. Needs a build
// (scripts/build.sh). About 3 minutes.

import { execFileSync } from 'node:child_process';
import { openPage, start, traceMainThread } from '../tests/e2e/browser.mjs';
import { writeSection } from './bench-section.mjs';

const SECONDS = Number(process.env.BENCH_PLAY_SECONDS || 10);
const rows = [];
const row = (what, value, how) => { rows.push({ what, value, how }); console.log(`${what}: ${value}  (${how})`); };
const ms = (v) => v.toFixed(1);

const env = await start();

// The main thread while the worker trains: every task it ran, from a Chromium trace (long-task
// entries start at 50 ms, so they cannot give a figure below it).
async function longest(mode) {
  const { page } = await openPage(env);
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
for (const [mode, label] of [['2d', '2-D reference GAN'], ['images', 'DCGAN (MNIST)']]) {
  const r = await longest(mode);
  const over = r.tasks.filter((t) => t >= 50).length;
  row(`main thread while the worker trains the ${label} at full speed (Play, ${SECONDS} s): longest task, ms`,
    `${ms(r.tasks[0])} (${r.tasks.length} tasks, ${over} of 50 ms or more; 99th percentile ${ms(r.tasks[Math.floor(r.tasks.length / 100)])})`,
    `Chromium trace of the renderer's main thread (RunTask); engine in: ${r.thread}; ${r.steps} ${mode === 'images' ? 'rounds' : 'steps'} trained meanwhile`);
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
await env.close();

const machine = execFileSync('sh', ['-c', 'nproc; /usr/bin/chromium --version 2>/dev/null']).toString().trim().split('\n');
writeSection('robust', [
  '## Never freeze, never lose work',
  '',
  `Written by \`node scripts/bench-robust.mjs\` on ${new Date().toISOString().slice(0, 10)} (${machine[0]} cores, ${machine[1]}); the page's defaults unless a row says otherwise.`,
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((x) => `| ${x.what} | ${x.value} | ${x.how} |`),
]);
console.log('\nwrote the robust section of BENCHMARKS.md');
