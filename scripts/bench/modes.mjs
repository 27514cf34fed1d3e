// Mode coverage by the VEEGAN / PacGAN protocol (the 2-D playground issue's numbers): PacGAN's
// ring (radius 1, sd 0.01) and grid (means {-4, ..., 4}^2, sd 0.05), the non-saturating,
// minimax and least-squares losses, this project's defaults and the page's mode-coverage
// preset for that dataset, each dataset at its fixed budget of steps, seeds 1-5, natively
// (`gan train`). Prints every row and writes the "modes" section of BENCHMARKS.md.
//   node scripts/bench/modes.mjs        (bash scripts/bench/run.sh runs it; ~35 minutes on 2 cores)
// Env: BENCH_MODE_SEEDS ("1 2 3 4 5"), BENCH_MODE_JOBS (runs at once, 2).

import { start, openPage } from '../lib/browser.mjs';
import { PACGAN_DATA, ganTrain, meanSd, pool } from '../lib/bench-cli.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { MODE_BUDGET, modePreset } from '../../www/toy2d/presets.js';

const SEEDS = (process.env.BENCH_MODE_SEEDS || '1 2 3 4 5').split(/\s+/).filter(Boolean).map(Number);
const DATA = PACGAN_DATA;
const LOSSES = ['nonSaturating', 'minimax', 'leastSquares'];
const JOBS = Number(process.env.BENCH_MODE_JOBS || 2);

// First, on a quiet machine: what a step of each preset costs in the page (wasm CPU), and so how
// long the page takes to train it for its budget.
const pageRows = [];
const env = await start({ webgpu: false });
try {
  for (const [name, data] of DATA) {
    const { page } = await openPage(env);
    const ms = await page.evaluate(async (config) => {
      const pg = window.playground;
      await pg.configure({ backend: 'cpu', ...config, theoryEvery: 0, probeEvery: 0 });
      await pg.step(20);
      const t0 = performance.now();
      await pg.step(500);
      return (performance.now() - t0) / 500;
    }, { ...data, ...modePreset(data.dataset) });
    const steps = MODE_BUDGET[data.dataset];
    pageRows.push({ name, ms, steps, minutes: (ms * steps) / 60000 });
    console.log(`${name} preset in the page: ${ms.toFixed(2)} ms per step, ${steps} steps in ${((ms * steps) / 60000).toFixed(1)} min`);
    await page.close();
  }
} finally {
  await env.close();
}

const rows = [];
for (const [name, data] of DATA) {
  const steps = MODE_BUDGET[data.dataset];
  const preset = modePreset(data.dataset);
  for (const [settings, extra] of [['defaults', {}], [`preset \`${JSON.stringify(preset)}\``, preset]]) {
    for (const loss of LOSSES) {
      const runs = await pool(SEEDS.map((seed) => () => ganTrain(steps, { ...data, loss, seed, ...extra })), JOBS);
      const modes = runs.map((r) => r.modes), hq = runs.map((r) => r.hq);
      const r = { name, steps, loss, settings, modes: meanSd(modes, 1), hq: meanSd(hq, 1), perSeed: modes.join(' '), hqPerSeed: hq.map((h) => h.toFixed(1)).join(' ') };
      rows.push(r);
      console.log(`${name} ${steps} steps ${loss} (${settings}): modes ${r.modes} (${r.perSeed}), high quality ${r.hq} % (${r.hqPerSeed})`);
    }
  }
}

writeSection('modes', [
  '## Mode coverage (VEEGAN / PacGAN protocol)',
  '',
  `Written by \`node scripts/bench/modes.mjs\` on ${new Date().toISOString().slice(0, 10)}. PacGAN's set-up: ring of 8 with radius 1 and sd 0.01, grid of 25 with means {-4, -2, 0, 2, 4}^2 and sd 0.05; 2,500 generated samples; a sample is high quality within 3 sd of its nearest mode's centre, a mode captured when one high-quality sample is nearest to it; mean ± sd over seeds ${SEEDS.join(', ')} (native, \`gan train\`). The defaults: G 2-64-64-2, D 2-64-64-1, ReLU, batch 256, Adam lr 1e-3, beta1 0.5, k 1. The presets are what the page's *Preset: cover every mode* sets for that dataset (www/toy2d/presets.js).`,
  'Published, as quoted in this project\'s issue: ring-8 — VEEGAN 8 / 52.9 %, PacGAN4 7.8 / 95.9 %; grid-25 — PacGAN4 24.8 / 93.6 % (PacGAN trained 400 epochs of 100,000 samples in batches of 100: 400,000 steps). Targets: ring-8 8 / 8 and ≥ 90 %; grid-25 ≥ 24.8 / 25 and ≥ 90 %.',
  '',
  '| data | steps | loss | settings | modes captured | % high quality | modes per seed | % high quality per seed |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.steps} | ${r.loss} | ${r.settings} | ${r.modes} | ${r.hq} | ${r.perSeed} | ${r.hqPerSeed} |`),
  '',
  'The presets in the page (wasm CPU in headless Chromium, `step(500)` after 20 warm-up steps, no theory readouts or probes):',
  '',
  '| data | ms per step | its budget | minutes for the budget |',
  '| --- | --- | --- | --- |',
  ...pageRows.map((r) => `| ${r.name} | ${r.ms.toFixed(2)} | ${r.steps} | ${r.minutes.toFixed(1)} |`),
  '',
  'Every setting tried (`bash scripts/research/sweep-modes.sh`), packing (`pack`) included: [docs/mode-sweep.md](docs/mode-sweep.md).',
]);
console.log('\nwrote the modes section of BENCHMARKS.md');
