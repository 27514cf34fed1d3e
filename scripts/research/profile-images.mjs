// Where a wasm image-GAN round spends its time: trains 8 rounds of CFG (JSON, default the DCGAN)
// on pkg/cpu in headless Chromium under the DevTools sampling profiler, prints ms per round and
// the 40 functions with the most self time, and writes bench-results/profile-images.cpuprofile
// (open it in Chromium's DevTools, Performance panel). After a build:
//   CFG='{"arch":"dcgan"}' node scripts/research/profile-images.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { start } from '../lib/browser.mjs';

const cfg = JSON.parse(process.env.CFG || '{"arch":"dcgan"}');
const env = await start({ webgpu: false });
const page = await env.browser.newPage();
await page.goto(`${env.url}/tests/e2e/fixtures/embed.html`).catch(() => {});
await page.evaluate(async (cfg) => {
  const mod = await import(`/pkg/cpu/gan_playground.js`);
  await mod.default({ module_or_path: `/pkg/cpu/gan_playground_bg.wasm` });
  const bytes = new Uint8Array(await (await fetch('/assets/mnist.bin')).arrayBuffer());
  window.t = await mod.ImageGanTrainer.create(cfg, 'cpu', bytes);
  await window.t.step(2);
}, cfg);
const client = await page.context().newCDPSession(page);
await client.send('Profiler.enable');
await client.send('Profiler.setSamplingInterval', { interval: 200 });
await client.send('Profiler.start');
const ms = await page.evaluate(async () => { const t0 = performance.now(); await window.t.step(8); return (performance.now() - t0) / 8; });
const { profile } = await client.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName || '(anon)'; self.set(k, (self.get(k) || 0) + profile.timeDeltas[i]); });
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('ms per round', ms.toFixed(1));
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((100 * v / total).toFixed(1).padStart(5), '%', k.slice(0, 150));
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/profile-images.cpuprofile', JSON.stringify(profile));
await env.close();
