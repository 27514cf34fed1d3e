// Benchmarks of the image GANs, printed and written to BENCHMARKS.md (its "Image GANs" section,
// replaced in place): ms per round (one D update + one G update, batch 64) of DCGAN and the MLP
// GAN natively, on wasm CPU in headless Chromium and on WebGPU (SwiftShader here); a 32-frame
// filmstrip; and the quality after a fixed in-page budget (scripts/bench/image-quality.mjs), scored
// by the shipped classifier. Run with: bash scripts/bench/run.sh (it builds first), or on its own
// after a build: node scripts/bench/images.mjs. BENCH_IMAGE_SECONDS sets the budget (300).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { start } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';

const target = process.env.CARGO_TARGET_DIR;
const SECONDS = Number(process.env.BENCH_IMAGE_SECONDS || 300);
const rows = [];
const row = (what, value, how) => { rows.push({ what, value, how }); console.log(`${what}: ${value}  (${how})`); };
const ARCHS = [['DCGAN', { arch: 'dcgan' }], ['MLP GAN', { arch: 'mlp' }]];

// Native CPU.
for (const [name, cfg] of ARCHS) {
  const steps = cfg.arch === 'dcgan' ? 30 : 100;
  const out = execFileSync(`${target}/release/images`, ['bench', '--steps', String(steps), '--set', JSON.stringify(cfg)]).toString();
  const ms = Number(/ms_per_step=([\d.]+)/.exec(out)[1]);
  row(`${name}, native CPU (flex, one thread), ms per round`, ms.toFixed(1), `images bench --steps ${steps} --set '${JSON.stringify(cfg)}'`);
}

/** ms per round of `cfg` on `backend` in a page that loaded `build`, after `warm` untimed rounds. */
async function pageRounds(env, build, backend, cfg, warm, timed) {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/tests/e2e/fixtures/embed.html`).catch(() => {});
  const ms = await page.evaluate(async ({ build, backend, cfg, warm, timed }) => {
    const mod = await import(`/pkg/${build}/gan_playground.js`);
    await mod.default({ module_or_path: `/pkg/${build}/gan_playground_bg.wasm` });
    const bytes = new Uint8Array(await (await fetch('/assets/mnist.bin')).arrayBuffer());
    const t = await mod.ImageGanTrainer.create(cfg, backend, bytes);
    await t.step(warm);
    const t0 = performance.now();
    await t.step(timed);
    const ms = (performance.now() - t0) / timed;
    t.free();
    return ms;
  }, { build, backend, cfg, warm, timed });
  await page.close();
  return ms;
}

let env = await start({ webgpu: false });
for (const [name, cfg] of ARCHS) {
  for (const backend of cfg.arch === 'dcgan' ? ['cpu'] : ['cpu', 'ndarray']) {
    const ms = await pageRounds(env, 'cpu', backend, cfg, 2, cfg.arch === 'dcgan' ? 10 : 30);
    const label = backend === 'cpu' ? `flex: the page's "cpu"` : backend;
    row(`${name}, wasm CPU (${label}) in Chromium, ms per round`, ms.toFixed(1), `ImageGanTrainer.step, backend ${backend}`);
  }
}

// A 32-frame filmstrip: a drawn path's latents on the anchors' plane, G on them, read back.
{
  const page = await env.browser.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  const times = await page.evaluate(async () => {
    const lab = window.playground.images;
    await lab.configure({ mode: 'images', arch: 'dcgan' });
    const path = Array.from({ length: 60 }, (_, i) => [0.1 + (0.8 * i) / 59, 0.5 + 0.3 * Math.sin(i / 9)]);
    const out = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      await lab.drawPath(path);
      out.push(performance.now() - t0);
    }
    return out.slice(2).sort((a, b) => a - b);
  });
  row('filmstrip of 32 frames (DCGAN, wasm CPU, in the worker), ms', `${times[2].toFixed(1)} (median of 5)`, 'page API images.drawPath(60 pointer points): path latents, G, readback, to the page');
  await page.close();
}
await env.close();

env = await start({ webgpu: true });
for (const [name, cfg] of ARCHS) {
  const ms = await pageRounds(env, 'webgpu', 'webgpu', cfg, 1, 3);
  row(`${name}, WebGPU (SwiftShader: software) in Chromium, ms per round`, ms.toFixed(0), 'ImageGanTrainer.step(3), backend webgpu, pkg/webgpu');
}
await env.close();

// Quality after a fixed in-page budget, judged by the shipped classifier.
execFileSync('node', ['scripts/bench/image-quality.mjs', '--seconds', String(SECONDS), '--arch', 'dcgan', '--out', 'bench-results'], { stdio: 'inherit' });
const q = JSON.parse(readFileSync('bench-results/image-quality-dcgan.json', 'utf8'));
const score = execFileSync(`${target}/release/images`, ['score', '--samples', 'bench-results/samples-dcgan.u8']).toString();
const share = Number(/confident_share=([\d.]+)/.exec(score)[1]);
const classes = /classes=(\[[^\]]*\])/.exec(score)[1];
const testAcc = Number(/classifier_test_accuracy=([\d.]+)/.exec(score)[1]);
row(`DCGAN after ${SECONDS} s of in-page training (wasm CPU): rounds trained`, `${q.step} (${q.stepsPerSec.toFixed(2)} rounds/s)`, 'scripts/bench/image-quality.mjs: the Train button, a person\'s way');
row(`DCGAN after ${SECONDS} s: samples the classifier gives one digit with confidence ≥ 0.9`, `${(100 * share).toFixed(1)} % of 1,000 (per digit 0-9, then none: ${classes})`, 'images score --samples bench-results/samples-dcgan.u8');
row('the classifier\'s own accuracy on the 997 held-out test digits', `${(100 * testAcc).toFixed(2)} %`, 'assets/classifier.bin, made by images classifier-train');
if (existsSync('bench-results/grid-dcgan.png')) {
  writeFileSync('docs/images-grid.png', readFileSync('bench-results/grid-dcgan.png'));
}

writeSection('images', [
  '## Image GANs (MNIST)',
  '',
  `Written by \`node scripts/bench/images.mjs\` on ${new Date().toISOString().slice(0, 10)}. A round is one D update and one G update, batch 64, on the shipped training digits; the default configs (DCGAN: base width 16, G with its 3x3 convolution at 14 x 14 (genRefine) and shown as a moving average (emaDecay 0.999); MLP: 2 hidden layers of 256, LeakyReLU, also averaged; both with z of 100 ending in an InfoGAN code of 64 categories). The sample grid after the in-page budget is docs/images-grid.png.`,
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.how} |`),
]);
console.log('\nwrote the image section of BENCHMARKS.md');
