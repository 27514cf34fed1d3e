// The 2-D playground's conditional switch against mode collapse (issue 24): modes captured, the
// share of high-quality samples and (conditional runs) the share on their own label's mode, with
// the switch on and off, seeds 1-5, on PacGAN's ring and grid with this project's defaults.
// Natively (`gan train`) at 2,000 steps and at each dataset's mode budget; then in the page
// (wasm CPU), each seed one run with its twin (compare = conditional), 2,000 steps. Prints every
// row and writes the "modes-conditional" section of BENCHMARKS.md.
//   node scripts/bench/modes-conditional.mjs   (bash scripts/bench/run.sh runs it; ~8 minutes)
// Env: BENCH_MODE_SEEDS ("1 2 3 4 5"), BENCH_MODE_JOBS (native runs at once, 2).

import { openPage, start } from '../lib/browser.mjs';
import { PACGAN_DATA, ganTrain, meanSd, pool } from '../lib/bench-cli.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { MODE_BUDGET } from '../../www/toy2d/presets.js';

const SEEDS = (process.env.BENCH_MODE_SEEDS || '1 2 3 4 5').split(/\s+/).filter(Boolean).map(Number);
const JOBS = Number(process.env.BENCH_MODE_JOBS || 2);
const PAGE_STEPS = 2000;
const switchName = (on) => (on ? 'conditional' : 'unconditional');

/** A table row from per-seed results `{modes, hq, onLabel}`. */
function row(name, steps, where, on, runs) {
  const modes = runs.map((r) => r.modes), hq = runs.map((r) => r.hq);
  const onLabel = on ? meanSd(runs.map((r) => r.onLabel), 1) : '—';
  const r = `| ${name} | ${steps} | ${where} | ${switchName(on)} | ${meanSd(modes, 1)} | ${meanSd(hq, 1)} | ${onLabel} | ${modes.join(' ')} | ${hq.map((h) => h.toFixed(1)).join(' ')} |`;
  console.log(r);
  return r;
}

const rows = [];
for (const [name, data] of PACGAN_DATA) {
  for (const steps of [PAGE_STEPS, MODE_BUDGET[data.dataset]]) {
    for (const on of [false, true]) {
      const runs = await pool(SEEDS.map((seed) => () => ganTrain(steps, { ...data, conditional: on, seed })), JOBS);
      rows.push(row(name, steps, 'native', on, runs));
    }
  }
}

// The page: each seed's run is conditional and its twin is not (the twin box), both measured
// by the page's own theory readouts after step(2000).
const pageRows = [];
let msPerStep = [];
const env = await start({ webgpu: false });
try {
  for (const [name, data] of PACGAN_DATA) {
    const main = [], twin = [];
    for (const seed of SEEDS) {
      const hash = Object.entries({ ...data, conditional: true, compare: 'conditional', seed, backend: 'cpu' }).map(([k, v]) => `${k}=${v}`).join('&');
      const { page } = await openPage(env, `#${hash}`);
      const s = await page.evaluate(async (n) => {
        const t0 = performance.now();
        const out = await window.playground.step(n);
        return { ...out, ms: (performance.now() - t0) / n };
      }, PAGE_STEPS);
      main.push({ modes: s.modesCaptured, hq: s.highQualityPct, onLabel: s.onLabelPct });
      twin.push({ modes: s.twin.modesCaptured, hq: s.twin.highQualityPct, onLabel: null });
      msPerStep.push(s.ms);
      await page.close();
    }
    pageRows.push(row(name, PAGE_STEPS, 'page, the run', true, main), row(name, PAGE_STEPS, 'page, its twin', false, twin));
  }
} finally {
  await env.close();
}
msPerStep = msPerStep.reduce((a, b) => a + b, 0) / msPerStep.length;

writeSection('modes-conditional', [
  '## The conditional switch against mode collapse (2-D playground)',
  '',
  `Written by \`node scripts/bench/modes-conditional.mjs\` on ${new Date().toISOString().slice(0, 10)}. The conditional GAN of Mirza and Osindero (2014) on PacGAN's data (ring of 8, radius 1, sd 0.01; grid of 25, sd 0.05): the mode a point came from is its label, one-hot to G beside z and to D beside the point. This project's defaults otherwise (G 2-64-64-2 and D 2-64-64-1 widened by the label, non-saturating loss, batch 256, Adam lr 1e-3, beta1 0.5), mean ± sd over seeds ${SEEDS.join(', ')}. The mode metrics are the VEEGAN / PacGAN protocol's on 2,500 samples (labels in turn); *on label*: the share within 3 sd of their own label's mode. In the page (wasm CPU), each seed's conditional run trains beside its twin with the switch off (*with a twin beside it*), ${PAGE_STEPS} steps of both in ${msPerStep.toFixed(2)} ms per step on average.`,
  '',
  '| data | steps | where | switch | modes captured | % high quality | % on label | modes per seed | % high quality per seed |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  ...pageRows,
]);
console.log('\nwrote the modes-conditional section of BENCHMARKS.md');
