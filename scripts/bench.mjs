// Benchmarks of the reference step and of the page, printed and written to BENCHMARKS.md.
// Run with: bash scripts/bench.sh (it builds first). Nothing here is asserted: these are figures.
//
// Reference step = one D update + one G update; G 2-64-64-2, D 2-64-64-1 (ReLU), batch 256,
// Adam (lr 1e-3, beta1 0.5), non-saturating loss, ring-8: the engine's default config.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { openPage, start } from '../tests/e2e/browser.mjs';

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
    const cfg = await pg.configure({ backend });
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
row('wasm CPU (ndarray, the page default) in Chromium, ms per reference step', wasmCpu.ms.toFixed(3), `page API step(${STEPS}), backend ${wasmCpu.backend}`);
const wasmFlex = await inPage('flex', STEPS);
row('wasm CPU (flex) in Chromium, ms per reference step', wasmFlex.ms.toFixed(3), `page API step(${STEPS}), backend ${wasmFlex.backend}`);
const nativeBest = Math.min(Number(rows[0].value), Number(rows[1].value));
row('wasm/native ratio (fastest CPU backend each side)', (wasmCpu.ms / nativeBest).toFixed(2), 'rows above');
const gpuSteps = Number(process.env.BENCH_GPU_STEPS || 20);
const gpu = await inPage('webgpu', gpuSteps);
row('WebGPU (SwiftShader, no fusion) in Chromium, ms per reference step', gpu.ms.toFixed(1), `page API step(${gpuSteps}), backend ${gpu.backend}`);

// Page ready: navigation start to the first trained step, fresh page, CPU path.
{
  const page = await env.browser.newPage();
  const t0 = Date.now();
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.trainer, null, { timeout: 60000 });
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
  `Written by \`bash scripts/bench.sh\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine[0]} cores, ${machine[1]}, ${machine[2]}.`,
  'Reference step: one D update + one G update; G 2-64-64-2, D 2-64-64-1 (ReLU), batch 256, Adam (lr 1e-3, beta1 0.5), non-saturating loss, ring-8.',
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.how} |`),
  '',
].join('\n');
writeFileSync('BENCHMARKS.md', md);
console.log('\nwrote BENCHMARKS.md');
