// StackGAN's figures (issue 26): opens the served page in headless Chromium, times a round of
// each stage through the API (`step(n)` on fresh runs: stage I, then a run whose stage I is
// 0 rounds long), then trains the default StackGAN with the Train button for --minutes (wasm
// CPU), saves the run from the page and measures it with the native `images stack-eval` (the
// digit named, thickness and slant agreeing with the caption, FID of stage II against stage I
// upsampled: src/bin/images/stack.rs); then trains the same rounds of each stage natively
// (release build) and measures that run.
//   node scripts/bench/stack.mjs [--minutes 10] [--seed 1] [--out bench-results] [--from bench-results/stack.json]
// Prints and writes bench-results/stack.json and the "stack" section of BENCHMARKS.md.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { IMAGES_BIN, imagesJson, option } from '../lib/bench-cli.mjs';
import { header } from '../lib/runfile.mjs';

const minutes = Number(option('minutes', 10));
const seed = Number(option('seed', 1));
const out = option('out', 'bench-results');
mkdirSync(out, { recursive: true });

async function inPage(env) {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#lab=stack&stk.seed=${seed}`);
  await page.waitForFunction(() => window.playground && window.playground.ready && window.playground.stack && window.playground.stack.run, null, { timeout: 60000 });
  // ms per round of each stage through the API, on fresh runs (each remade after).
  const timing = await page.evaluate(async () => {
    const lab = window.playground.stack;
    const time = async (n) => {
      await lab.step(2);
      const t = performance.now();
      await lab.step(n);
      return (performance.now() - t) / n;
    };
    const one = await time(100);
    // configure() starts a fresh run of the config it is given: the link's keys go with it.
    const full = { ...lab.full };
    await lab.configure({ ...full, stageOneRounds: 0 });
    const two = await time(20);
    await lab.configure(full);
    return { one, two };
  });
  await page.click('#stk-play');
  await page.waitForFunction(() => window.playground.stack.playing);
  const t0 = Date.now();
  await page.waitForTimeout(minutes * 60000);
  await page.click('#stk-play');
  await page.waitForFunction(() => !window.playground.stack.playing);
  const seconds = (Date.now() - t0) / 1000;
  const r = await page.evaluate(async () => {
    const lab = window.playground.stack;
    await lab.busy;
    const s = lab.stats();
    const bytes = await lab.saveRun();
    return { step: s.step, roundsOne: s.roundsOne, roundsTwo: s.roundsTwo, stepsPerSec: s.stepsPerSec, backend: s.backend, bytes: Array.from(bytes) };
  });
  await page.close();
  const file = join(out, 'stack-page.ganstk');
  writeFileSync(file, Uint8Array.from(r.bytes));
  const { bytes, ...rest } = r;
  // The settings the page trained with, as its saved run records them.
  const { config } = header(Buffer.from(Uint8Array.from(bytes))).header;
  return { seconds, ...rest, config, msOne: timing.one, msTwo: timing.two, ...imagesJson('stack-eval', '--run', file) };
}

/** The same rounds of each stage natively: ms per round of each (median of its chunks) and the measures. */
function native(roundsOne, roundsTwo) {
  const set = JSON.stringify({ seed });
  const text = execFileSync(IMAGES_BIN, ['stack-train', '--set', set, '--rounds-one', String(roundsOne), '--rounds-two', String(roundsTwo), '--every', '200'], { encoding: 'utf8' });
  const median = (stage) => {
    const ms = [...text.matchAll(new RegExp(`${stage} round +\\d+ .* ([\\d.]+) ms/round`, 'g'))].map((m) => Number(m[1])).sort((a, b) => a - b);
    return ms.length ? ms[Math.floor(ms.length / 2)] : NaN;
  };
  return { roundsOne, roundsTwo, msOne: median('One'), msTwo: median('Two'), ...JSON.parse(text.trim().split('\n').pop()) };
}

async function measure() {
  const result = { minutes, date: new Date().toISOString().slice(0, 10) };
  const env = await start({ webgpu: false });
  try {
    result.page = await inPage(env);
    console.log(JSON.stringify(result.page));
  } finally {
    await env.close();
  }
  result.native = native(result.page.roundsOne, result.page.roundsTwo);
  console.log(JSON.stringify(result.native));
  return result;
}

const result = option('from', null) ? JSON.parse(readFileSync(option('from'), 'utf8')) : await measure();
// Results written before the config was kept: read it from the page's saved run.
result.page.config ??= header(readFileSync(join(out, 'stack-page.ganstk'))).header.config;
writeFileSync(join(out, 'stack.json'), JSON.stringify(result, null, 2));

const pct = (v) => `${(100 * v).toFixed(1)} %`;
const row = (where, r) => `| ${where} | ${r.rounds[0]} + ${r.rounds[1]} | ${r.msOne.toFixed(1)} / ${r.msTwo.toFixed(1)} | ${pct(r.digitTwo)} | ${pct(r.digitOne)} | ${pct(r.thickness)} | ${pct(r.slant)} | ${pct(r.attributes)} | ${r.fidTwo.toFixed(2)} / ${r.fidOneUpsampled.toFixed(2)} |`;
const c = result.page.config;
writeSection('stack', [
  '## StackGAN (digits from their measured captions)',
  '',
  `Written by \`node scripts/bench/stack.mjs\` on ${result.date}: the default StackGAN (z ${c.zDim}, code ${c.code}, embedding ${c.embed}, widths ${c.genWidth} / ${c.discWidth}, KL weight ${c.klWeight}, Adam G ${c.lrG} / D ${c.lrD} / β₁ ${c.beta1}, batch ${c.batchSize}, stage I for ${c.stageOneRounds} rounds then stage II, wrong captions ${c.attributeMismatch ? `${c.attributeMismatch} with a word changed` : "another digit's"}, samples from a moving average of each stage's weights ${c.emaDecay ? `(decay ${c.emaDecay})` : 'off'}, seed ${c.seed}), trained with the Train button in the page for ${result.minutes} minutes (wasm CPU; ms per round of each stage from \`step(n)\` on fresh runs before), then natively (release build) for the same rounds of each stage. Measured by \`images stack-eval\` with one sample per held-out test digit's caption (997): the shipped classifier names the caption's digit in stage II's image (and in stage I's, upsampled); thickness and slant measured on stage II's image agree with the caption's; FID (the shipped classifier's 64 features) against the test digits, of stage II and of stage I upsampled (the training digits stand ${result.page.fidTrain.toFixed(2)} from them). Issue 26's targets after 10 minutes in the page: digit ≥ 90 %, attributes ≥ 80 %, FID of stage II below stage I's.`,
  '',
  '| where | rounds (I + II) | ms / round (I / II) | digit (II) | digit (I) | thickness | slant | both attributes | FID II / I upsampled |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  row(`page, ${result.minutes} min`, result.page),
  row('native', result.native),
]);
console.log('wrote the stack section of BENCHMARKS.md');
