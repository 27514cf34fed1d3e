// Benchmarks of the reference step and of the page, printed and written to BENCHMARKS.md.
// Run with: bash scripts/bench/run.sh (it builds first). Nothing here is asserted: these are figures.
//
// Reference step = one D update + one G update; G 2-64-64-2, D 2-64-64-1 (ReLU), batch 256,
// Adam (lr 1e-3, beta1 0.5), non-saturating loss, ring-8: the engine's default config.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openPage, start } from '../lib/browser.mjs';
import { sections } from '../lib/bench-section.mjs';
import { STRONG_D_PRESET } from '../../www/toy2d/presets.js';

const STEPS = Number(process.env.BENCH_STEPS || 1000);
const rows = [];
const row = (what, value, how) => { rows.push({ what, value, how }); console.log(`${what}: ${value}  (${how})`); };
const target = process.env.CARGO_TARGET_DIR;

// Native CPU, through the command line's bench (20 untimed warm-up steps, then STEPS timed).
for (const backend of ['flex', 'ndarray']) {
  const out = execFileSync(`${target}/release/gan`, ['bench', '--steps', String(STEPS), '--backend', backend]).toString();
  const ms = Number(/ms_per_step=([\d.]+)/.exec(out)[1]);
  row(`native CPU (${backend}), ms per reference step`, ms.toFixed(3), `gan bench --steps ${STEPS} --backend ${backend}`);
}

// In headless Chromium: the page's own API, after a 20-step warm-up.
const env = await start();
async function inPage(backend, steps) {
  const { page } = await openPage(env);
  const r = await page.evaluate(async ({ backend, steps }) => {
    const pg = window.playground;
    const cfg = await pg.configure({ backend, probeEvery: 0, theoryEvery: 0 });
    await pg.step(20);
    const t0 = performance.now();
    await pg.step(steps);
    const ms = (performance.now() - t0) / steps;
    return { ms, backend: (await pg.stats()).backend, cfg };
  }, { backend, steps });
  await page.close();
  return r;
}
const wasmCpu = await inPage('cpu', STEPS);
row('wasm CPU (flex, the page default) in Chromium, ms per reference step', wasmCpu.ms.toFixed(3), `page API step(${STEPS}), backend ${wasmCpu.backend}`);
const wasmNdarray = await inPage('ndarray', STEPS);
row('wasm CPU (ndarray) in Chromium, ms per reference step', wasmNdarray.ms.toFixed(3), `page API step(${STEPS}), backend ${wasmNdarray.backend}`);
const nativeBest = Math.min(Number(rows[0].value), Number(rows[1].value));
row('wasm/native ratio (fastest CPU backend each side)', (wasmCpu.ms / nativeBest).toFixed(2), 'rows above');

// Loss lab: the probe's cost against a training step, and the strong-discriminator preset's
// gradient-norm ratios (non-saturating / minimax) at generator steps 0, 100 and 1000, 5 seeds.
{
  const { page } = await openPage(env);
  // Each readout's cost: the same steps with a readout after every one, less without.
  const r = await page.evaluate(async () => {
    const pg = window.playground;
    const per = async (config, n) => {
      await pg.configure({ backend: 'cpu', probeEvery: 0, theoryEvery: 0, ...config });
      await pg.step(20);
      const t0 = performance.now();
      await pg.step(n);
      return (performance.now() - t0) / n;
    };
    const step = await per({}, 500);
    const probe = (await per({ probeEvery: 1 }, 200)) - (await per({}, 200));
    const theory = (await per({ theoryEvery: 1 }, 20)) - (await per({}, 20));
    return { step, probe, theory };
  });
  row('theory readouts (D* on 48 x 48, V(G, D*), JSD, mode metrics of 2,500 samples), ms', r.theory.toFixed(1), 'page API: step(20) with theoryEvery 1 less step(20) with none, ring-8, wasm CPU; the page runs it every theoryEvery = 100 steps');
  row('gradient probe (minimax + non-saturating gradients on one batch, read back), ms', `${r.probe.toFixed(3)} = ${(r.probe / r.step).toFixed(2)}x a training step (${r.step.toFixed(3)} ms)`, 'page API: step(200) with probeEvery 1 less step(200) with none, vs step(500), wasm CPU');
  const pre = STRONG_D_PRESET.dPretrain;
  const at = [0, 100, 1000];
  const same = at.map(() => []);
  const twins = at.map(() => []);
  for (const seed of [1, 2, 3, 4, 5]) {
    const p = await page.evaluate(async ({ seed, preset, steps }) => {
      const pg = window.playground;
      await pg.configure({ backend: 'cpu', ...preset, seed, probeEvery: 100, theoryEvery: 0 });
      await pg.step(steps);
      return pg.probes();
    }, { seed, preset: STRONG_D_PRESET, steps: pre + 1000 });
    at.forEach((k, i) => {
      const m = p.main.find((q) => q.step === pre + k);
      const t = p.twin.find((q) => q.step === pre + k);
      same[i].push(m.gradNormNonSaturating / m.gradNormMinimax);
      twins[i].push(t.gradNormNonSaturating / m.gradNormMinimax);
    });
  }
  const ms = (a) => {
    const m = a.reduce((x, y) => x + y, 0) / a.length;
    const sd = Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1));
    const each = a.map((v) => (v >= 1000 ? v.toExponential(1) : v.toFixed(0))).join(', ');
    return `${m.toFixed(0)} ± ${sd.toFixed(0)} (seeds 1-5: ${each})`;
  };
  at.forEach((k, i) => {
    row(`strong-D preset, generator step ${k}: ‖∇ non-sat.‖ / ‖∇ minimax‖, same batch, minimax run`, ms(same[i]), `mean ± sd over seeds 1-5; preset ${JSON.stringify(STRONG_D_PRESET)}`);
    row(`strong-D preset, generator step ${k}: non-saturating twin / minimax twin, each under its own cost`, ms(twins[i]), 'same runs');
  });
  await page.close();
}

const gpuSteps = Number(process.env.BENCH_GPU_STEPS || 20);
const gpu = await inPage('webgpu', gpuSteps);
row('WebGPU (SwiftShader, with burn fusion: the page\'s build) in Chromium, ms per reference step', gpu.ms.toFixed(1), `page API step(${gpuSteps}), backend ${gpu.backend}`);
if (existsSync('pkg/webgpu-nofusion/gan_playground_bg.wasm')) {
  // The same page, served from a folder whose pkg/webgpu is the build without fusion.
  const root = mkdtempSync(join(tmpdir(), 'gan-fusion-'));
  for (const f of ['index.html', 'www', 'node_modules']) symlinkSync(resolve(f), join(root, f));
  mkdirSync(join(root, 'pkg'));
  symlinkSync(resolve('pkg/cpu'), join(root, 'pkg/cpu'));
  symlinkSync(resolve('pkg/webgpu-nofusion'), join(root, 'pkg/webgpu'));
  const fusedEnv = await start({ root });
  const { page } = await openPage(fusedEnv);
  const ms = await page.evaluate(async (steps) => {
    const pg = window.playground;
    await pg.configure({ backend: 'webgpu', probeEvery: 0, theoryEvery: 0 });
    await pg.step(3);
    const t0 = performance.now();
    await pg.step(steps);
    return (performance.now() - t0) / steps;
  }, gpuSteps);
  row('WebGPU (SwiftShader, without fusion) in Chromium, ms per reference step', ms.toFixed(1), `page API step(${gpuSteps}), pkg/webgpu-nofusion (scripts/bench/run.sh builds it)`);
  await fusedEnv.close();
} else {
  // Not built (BENCH_FUSION=0, or this script run alone): keep the last measured row, saying so.
  const old = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
  const date = /Written by `bash scripts\/bench(?:\/run)?.sh` on (\d{4}-\d{2}-\d{2})/.exec(old);
  const last = /^\| WebGPU \(SwiftShader, without fusion\)[^|]*\| ([^|]+) \| ([^|]+?)( \(from [^)]*\))? \|$/m.exec(old);
  if (last) {
    const from = last[3] || ` (from ${date ? date[1] : 'an earlier run'}: pkg/webgpu-nofusion not built this time)`;
    row('WebGPU (SwiftShader, without fusion) in Chromium, ms per reference step', last[1], `${last[2]}${from}`);
  }
}

// Page ready: navigation start to the first trained step, fresh page, CPU path.
{
  const page = await env.browser.newPage();
  const t0 = Date.now();
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.playground.step(1));
  row('page ready (load, wasm start, first step), ms', String(Date.now() - t0), 'navigation to the first step() resolved, localhost');
  await page.close();
}
await env.close();

for (const build of ['cpu', 'webgpu']) {
  const wasm = readFileSync(`pkg/${build}/gan_playground_bg.wasm`);
  const js = readFileSync(`pkg/${build}/gan_playground.js`);
  const raw = wasm.length + js.length;
  const gz = gzipSync(wasm, { level: 9 }).length + gzipSync(js, { level: 9 }).length;
  row(`download, pkg/${build} (wasm + glue), MB`, `${(raw / 1e6).toFixed(2)} raw / ${(gz / 1e6).toFixed(2)} gzipped`, 'gzip -9');
}

const machine = execFileSync('sh', ['-c', 'nproc; uname -m; /usr/bin/chromium --version 2>/dev/null']).toString().trim().split('\n');
const md = [
  '# Benchmarks',
  '',
  `Written by \`bash scripts/bench/run.sh\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine[0]} cores, ${machine[1]}, ${machine[2]}.`,
  'Reference step: one D update + one G update; G 2-64-64-2, D 2-64-64-1 (ReLU), batch 256, Adam (lr 1e-3, beta1 0.5), non-saturating loss, ring-8.',
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.how} |`),
  '',
].join('\n');
writeFileSync('BENCHMARKS.md', `${md}\n${sections()}`);
console.log('\nwrote BENCHMARKS.md');
