// CycleGAN's figures (issue 25): opens the served page in headless Chromium and trains the
// default CycleGAN with the Train button for --minutes (wasm CPU), with the cycle loss on and
// then off (a fresh page each), saves each run from the page and measures it with the native
// `images cycle-eval` (content kept, style changed, cycle L1, FID: src/bin/images/cycle.rs);
// then trains the same two natively (release build) for --rounds rounds and measures them.
//   node scripts/bench/cycle.mjs [--minutes 10] [--rounds 6000] [--out bench-results] [--from bench-results/cycle.json]
// Prints and writes bench-results/cycle.json and the "cycle" section of BENCHMARKS.md.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { IMAGES_BIN, imagesJson, option } from '../lib/bench-cli.mjs';

const minutes = Number(option('minutes', 10));
const rounds = Number(option('rounds', 6000));
const out = option('out', 'bench-results');
mkdirSync(out, { recursive: true });

const SETTINGS = [['cycle loss on (λ = 10)', ''], ['cycle loss off (λ = 0)', '&cyc.lambdaCycle=0']];

async function inPage(env, [name, hash], k) {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#lab=cycle&cyc.seed=1${hash}`);
  await page.waitForFunction(() => window.playground && window.playground.ready && window.playground.cycle && window.playground.cycle.run, null, { timeout: 60000 });
  await page.click('#cyc-play');
  await page.waitForFunction(() => window.playground.cycle.playing);
  const t0 = Date.now();
  await page.waitForTimeout(minutes * 60000);
  await page.click('#cyc-play');
  await page.waitForFunction(() => !window.playground.cycle.playing);
  const seconds = (Date.now() - t0) / 1000;
  const r = await page.evaluate(async () => {
    const lab = window.playground.cycle;
    await lab.busy;
    const s = lab.stats();
    const bytes = await lab.saveRun();
    // ms per round from the API's step(), beside the playing rate.
    const t = performance.now();
    await lab.step(20);
    return { step: s.step, stepsPerSec: s.stepsPerSec, msPerRound: (performance.now() - t) / 20, backend: s.backend, bytes: Array.from(bytes) };
  });
  await page.close();
  const file = join(out, `cycle-page-${k}.gancyc`);
  writeFileSync(file, Uint8Array.from(r.bytes));
  return { name, seconds, step: r.step, stepsPerSec: r.stepsPerSec, msPerRound: r.msPerRound, backend: r.backend, ...imagesJson('cycle-eval', '--run', file) };
}

/** A native run of `rounds` rounds: its ms per round (median of its chunks) and measures. */
function native([name, hash]) {
  const set = JSON.stringify(hash ? { lambdaCycle: 0 } : {});
  const text = execFileSync(IMAGES_BIN, ['cycle-train', '--set', set, '--rounds', String(rounds), '--every', '200'], { encoding: 'utf8' });
  const ms = [...text.matchAll(/([\d.]+) ms\/round/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  return { name, rounds, msPerRound: ms[Math.floor(ms.length / 2)], ...JSON.parse(text.trim().split('\n').pop()) };
}

async function measure() {
  const result = { minutes, rounds, date: new Date().toISOString().slice(0, 10), page: [], native: [] };
  const env = await start({ webgpu: false });
  try {
    for (const [k, s] of SETTINGS.entries()) {
      result.page.push(await inPage(env, s, k));
      console.log(JSON.stringify(result.page.at(-1)));
    }
  } finally {
    await env.close();
  }
  for (const s of SETTINGS) {
    result.native.push(native(s));
    console.log(JSON.stringify(result.native.at(-1)));
  }
  return result;
}

const result = option('from', null) ? JSON.parse(readFileSync(option('from'), 'utf8')) : await measure();
writeFileSync(join(out, 'cycle.json'), JSON.stringify(result, null, 2));

const pct = (v) => `${(100 * v).toFixed(1)} %`;
const row = (where, r) => `| ${where} | ${r.name} | ${r.step} | ${r.msPerRound.toFixed(1)} | ${pct(r.contentAb)} | ${pct(r.contentBa)} | ${pct(r.styleAb)} | ${pct(r.styleBa)} | ${r.cycleL1A.toFixed(3)} / ${r.cycleL1B.toFixed(3)} | ${r.fidAb.toFixed(2)} / ${r.fidBa.toFixed(2)} |`;
const c = (result.page[0] || result.native[0]).classifiers;
writeSection('cycle', [
  '## CycleGAN (MNIST ↔ UCI digits)',
  '',
  `Written by \`node scripts/bench/cycle.mjs\` on ${result.date}: the default CycleGAN (ResNet generators of base width 8 with 2 blocks, patch discriminators of width 16, least squares, λ = 10, identity 0.5 λ, pool of 50, batch 8, Adam 2e-4 / β₁ 0.5, seed 1), with the cycle loss on and off, trained with the Train button in the page for ${result.minutes} minutes (wasm CPU; ms per round from \`step(20)\` after), then natively (release build, ${result.rounds} rounds). Measured by \`images cycle-eval\` on the held-out test digits (997 MNIST, 355 UCI): content kept, the share of translations whose digit a classifier names as the source's (G(a): the UCI classifier, test accuracy ${pct(c[0])}; F(b): the shipped MNIST classifier, ${pct(c[1])}); style changed, the share the domain classifier (${pct(c[2])}) gives the other collection; the cycles' L1 error (pixels in [0, 1]); FID (the shipped classifier's 64 features) of G(a) against the UCI test digits and of F(b) against the MNIST ones; untouched, the collections stand ${result.page.length ? result.page[0].fidUntranslated.toFixed(2) : '—'} apart. The UCI preprocessing done by hand on each MNIST test digit (\`to_cells\`, a translation made without learning) keeps ${pct(result.page.length ? result.page[0].byHandAb[0] : result.native[0].byHandAb[0])} of the digits by the same reader, and the domain classifier calls ${pct(result.page.length ? result.page[0].byHandAb[1] : result.native[0].byHandAb[1])} of it UCI. Issue 25's targets after 10 minutes in the page: content ≥ 90 % and style ≥ 90 % both ways.`,
  '',
  '| where | run | rounds | ms / round | content A → B | content B → A | style A → B | style B → A | cycle L1 A / B | FID G(a) / F(b) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...result.page.map((r) => row(`page, ${result.minutes} min`, r)),
  ...result.native.map((r) => row('native', { ...r, step: r.step })),
]);
console.log('wrote the cycle section of BENCHMARKS.md');
