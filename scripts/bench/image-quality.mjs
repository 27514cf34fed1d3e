// The image GANs' quality after a fixed in-page training budget: opens the served page in
// headless Chromium, starts an image run (as a person would, with the Train button), trains for
// --seconds, then saves a screenshot of the sample grid and 1,000 generated digits (seeded
// latents, untruncated) as a .u8 file for the native classifier to score, and 1,000 more for
// each --truncation threshold (latent components beyond it resampled), samples-<arch>-t<T>.u8:
//   node scripts/bench/image-quality.mjs [--seconds 300] [--arch dcgan] [--seed N] [--out bench-results] [--truncation 1,0.5]
// (--seed: the run's seed, set through the page API before Train; the files then end in -s<N>)
// then: cargo run --release --bin images -- score --samples bench-results/samples-dcgan.u8
// Prints and writes bench-results/image-quality-<arch>.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { start, trainWithButton } from '../lib/browser.mjs';

const seconds = Number(option('seconds', 300));
const arch = option('arch', 'dcgan');
const seed = option('seed', null);
if (seed !== null && !/^\d+$/.test(seed)) throw new Error('--seed: a whole number');
const out = option('out', 'bench-results');
const truncations = option('truncation', '').split(',').filter(Boolean).map(Number);
if (truncations.some((t) => !(t >= 0.05))) throw new Error('--truncation: thresholds of at least 0.05, comma-separated');
const SAMPLES = 1000;
mkdirSync(out, { recursive: true });

const env = await start({ webgpu: false });
try {
  const page = await env.browser.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  await page.selectOption('#img-arch', arch);
  if (seed !== null) await page.evaluate(([a, s]) => window.playground.configure({ mode: 'images', arch: a, seed: s }), [arch, Number(seed)]);
  const elapsed = await trainWithButton(page, seconds);
  await page.evaluate(() => window.playground.images.readGrid());
  const stats = await page.evaluate(() => window.playground.images.stats());
  await page.locator('#img-grid').screenshot({ path: `${out}/grid-${arch}.png` });
  await page.locator('#image-lab').screenshot({ path: `${out}/image-lab-${arch}.png` });
  for (const truncation of [null, ...truncations]) {
    const pixels = await page.evaluate(async ([n, truncation]) => {
      const lab = window.playground.images;
      const parts = [];
      for (let k = 0; k < n; k += 100) {
        const r = await lab.images({ seed: 1000 + k, n: 100, truncation });
        parts.push(...Array.from(r.pixels, (v) => Math.round(255 * v)));
      }
      return parts;
    }, [SAMPLES, truncation]);
    const suffix = (seed === null ? '' : `-s${seed}`) + (truncation === null ? '' : `-t${truncation}`);
    writeFileSync(`${out}/samples-${arch}${suffix}.u8`, Uint8Array.from(pixels));
  }
  const result = { arch, seed: seed === null ? 1 : Number(seed), seconds: elapsed, step: stats.step, stepsPerSec: stats.step / elapsed, lossD: stats.lossD, lossG: stats.lossG, backend: stats.backend, samples: SAMPLES, truncations };
  writeFileSync(`${out}/image-quality-${arch}${seed === null ? '' : `-s${seed}`}.json`, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
} finally {
  await env.close();
}
