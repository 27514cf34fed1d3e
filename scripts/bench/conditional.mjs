// The conditional GANs' figures (issue 24's targets): opens the served page in headless Chromium,
// trains the default DCGAN as an ACGAN, a cGAN and an unconditional GAN with the Train button for
// --seconds each (one fresh page each, wasm CPU), then in the page: the classifier's verdict on
// the digit asked for (260 samples, 26 per digit; the lab's own readout) and the evaluation lab's
// figures on 2,000 samples (FID, IS, precision, recall, digits covered); saves each run and,
// natively, measures Parzen windows on 10,000 samples (Goodfellow et al.'s protocol, beside
// Mirza and Osindero's 132 ± 1.8 for their cGAN).
//   node scripts/bench/conditional.mjs [--seconds 300] [--out bench-results] [--from bench-results/conditional.json]
// Prints and writes bench-results/conditional.json and the "conditional" section of BENCHMARKS.md.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadOf, start, trainWithButton } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { images, imagesJson, option } from '../lib/bench-cli.mjs';

const seconds = Number(option('seconds', 300));
const out = option('out', 'bench-results');
mkdirSync(out, { recursive: true });

async function one(env, family) {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#lab=images&img.family=${family}`);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  await trainWithButton(page, seconds);
  const r = await page.evaluate(async () => {
    const lab = window.playground.images;
    const score = await lab.score();
    const figures = await window.playground.evaluate({ run: 'current', n: 2000, metrics: 'is,fid,pr,digits' });
    return { family: lab.full.family, step: lab.stats().step, score, figures };
  });
  const saved = await downloadOf(page, '#img-save', out);
  const samples = join(out, `conditional-${family}-samples.npy`);
  images('sample', '--run', saved.path, '--n', '10000', '--out', samples);
  r.parzen = imagesJson('eval', '--samples', samples, '--metrics', 'parzen').parzen;
  await page.close();
  return r;
}

async function measure() {
  const env = await start({ webgpu: false });
  const result = { seconds, date: new Date().toISOString().slice(0, 10), runs: [] };
  try {
    for (const family of ['acgan', 'cgan', 'unconditional']) {
      result.runs.push(await one(env, family));
      console.log(JSON.stringify(result.runs.at(-1)));
    }
  } finally {
    await env.close();
  }
  return result;
}

const result = option('from', null) ? JSON.parse(readFileSync(option('from'), 'utf8')) : await measure();
writeFileSync(join(out, 'conditional.json'), JSON.stringify(result, null, 2));

const pct = (v) => `${(100 * v).toFixed(1)} %`;
const rows = result.runs.map((r) => {
  const i = r.score.intended;
  const asked = i ? `${pct(i.share)} (lowest digit ${i.perDigit.reduce((m, v, d) => (v < i.perDigit[m] ? d : m), 0)}: ${pct(Math.min(...i.perDigit))})` : '—';
  const f = r.figures;
  return `| ${r.family} | ${r.step} | ${asked} | ${pct(r.score.share)} | ${f.fid.toFixed(2)} | ${f.is.mean.toFixed(2)} | ${f.precision.toFixed(3)} / ${f.recall.toFixed(3)} | ${f.digits.covered} | ${r.parzen.mean.toFixed(1)} ± ${r.parzen.se.toFixed(1)} |`;
});
writeSection('conditional', [
  '## Conditional GANs (MNIST)',
  '',
  `Written by \`node scripts/bench/conditional.mjs\` on ${result.date}: the default DCGAN (seed 1) trained as each family for ${result.seconds} s with the Train button in the page (wasm CPU, one fresh page each), then the lab's verdict (260 samples, 26 asked for each digit: the share whose most likely digit is the one asked for) and the evaluation lab's figures on 2,000 samples (labels drawn uniformly); Parzen natively on 10,000 samples of the saved run (Mirza and Osindero report 132 ± 1.8 for their cGAN, on 10,000 test digits after a far longer run). Issue 24's targets: ACGAN ≥ 95 % of samples named as the digit asked for, every digit ≥ 85 %, and a FID below the unconditional DCGAN's.`,
  '',
  '| family | rounds | named as the digit asked for | recognised as some digit (≥ 0.9) | FID | IS | precision / recall | digits covered | Parzen (nats) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
]);
console.log('wrote the conditional section of BENCHMARKS.md');
