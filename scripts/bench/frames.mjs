// The page's frame loop, measured (the reshape issue's figures): page ready, the 2-D reference
// step through the page API, a DCGAN round through the wasm API, and, while playing for 10 s
// (3 page loads each, the 2-D reference GAN and the DCGAN), the main thread's longest task (a
// Chromium trace) and the messages between the page and the training worker per engine frame
// (every Worker the page starts is wrapped to count messages both ways, and the requests whose
// method is 'frame'). Prints every figure
// and writes the "frames" section of BENCHMARKS.md. After a build:
//   node scripts/bench/frames.mjs [ROOT]      (ROOT: the served folder, . by default)
import { start, traceMainThread } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';

const root = process.argv[2] || '.';
const SECONDS = Number(process.env.BENCH_PLAY_SECONDS || 10);
const env = await start({ root });
const rows = [];
const row = (what, value, how) => { rows.push({ what, value, how }); console.log(`${what}: ${value}  (${how})`); };

/** Counts messages both ways across every Worker the page starts, and the frame requests. */
function counting() {
  window.__msgs = { sent: 0, received: 0, frames: 0 };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', () => { window.__msgs.received += 1; });
    }
    postMessage(...a) {
      window.__msgs.sent += 1;
      const m = a[0];
      if (m && m.op === 'call' && m.args && m.args.method === 'frame') window.__msgs.frames += 1;
      return super.postMessage(...a);
    }
  };
}

async function open(hash = '') {
  const page = await env.browser.newPage();
  await page.addInitScript(counting);
  const t0 = Date.now();
  await page.goto(env.url + hash);
  await page.waitForFunction(() => window.playground && (window.playground.ready || window.playground.trainer), null, { timeout: 90000 });
  await page.evaluate(() => window.playground.step(1));
  return { page, ready: Date.now() - t0 };
}

const readies = [];
for (let i = 0; i < 3; i++) {
  const { page, ready } = await open();
  readies.push(ready);
  await page.close();
}
row('page ready (load, wasm start in the worker, first step), ms, median of 3', String(readies.sort((a, b) => a - b)[1]), 'navigation to the first step() resolved, localhost');
{
  const { page } = await open();
  const ms = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.configure({ backend: 'cpu', probeEvery: 0, theoryEvery: 0 });
    await pg.step(20);
    const t0 = performance.now();
    await pg.step(1000);
    return (performance.now() - t0) / 1000;
  });
  row('2-D reference step in the page (wasm CPU, flex), ms', ms.toFixed(3), 'page API step(1000) after step(20)');
  await page.close();
}
{
  const page = await env.browser.newPage();
  await page.goto(`${env.url}tests/e2e/fixtures/embed.html`).catch(() => {});
  const ms = await page.evaluate(async () => {
    const mod = await import('/pkg/cpu/gan_playground.js');
    await mod.default({ module_or_path: '/pkg/cpu/gan_playground_bg.wasm' });
    const bytes = new Uint8Array(await (await fetch('/assets/mnist.bin')).arrayBuffer());
    const t = await mod.ImageGanTrainer.create({ arch: 'dcgan' }, 'cpu', bytes);
    await t.step(2);
    const t0 = performance.now();
    await t.step(10);
    const ms = (performance.now() - t0) / 10;
    t.free();
    return ms;
  });
  row('DCGAN round (wasm CPU, flex), ms', ms.toFixed(1), 'ImageGanTrainer.step(10) after step(2), batch 64');
  await page.close();
}
for (const [mode, label, unit] of [['2d', '2-D reference GAN', 'steps'], ['images', 'DCGAN', 'rounds']]) {
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const { page } = await open();
    await page.waitForTimeout(1000);
    if (mode === 'images') await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan' }));
    const { result, tasks } = await traceMainThread(page, async ([m, seconds]) => {
      const pg = window.playground;
      const api = m === 'images' ? pg.images : pg;
      const before = (await api.stats()).step;
      const m0 = { ...window.__msgs };
      api.play();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      api.pause();
      const m1 = { ...window.__msgs };
      const s = await api.stats();
      return { steps: s.step - before, frames: m1.frames - m0.frames, messages: (m1.sent - m0.sent) + (m1.received - m0.received) };
    }, [mode, SECONDS]);
    runs.push({ ...result, longest: tasks[0] });
    await page.close();
  }
  const perFrame = runs.map((r) => (r.frames ? r.messages / r.frames : NaN));
  row(`${label}, Play ${SECONDS} s: longest main-thread task of each load, ms`, runs.map((r) => r.longest.toFixed(1)).join(', '), `Chromium trace (RunTask on CrRendererMain), from 1 s after ready; ${runs.map((r) => r.steps).join(', ')} ${unit} trained`);
  row(`${label}, Play: messages page <-> worker per engine frame`, perFrame.map((v) => v.toFixed(2)).join(', '), `${runs.map((r) => `${r.messages} messages / ${r.frames} frames`).join('; ')}`);
}
await env.close();
writeSection('frames', [
  '## The frame loop: one request and one answer per frame',
  '',
  `Written by \`node scripts/bench/frames.mjs\` on ${new Date().toISOString().slice(0, 10)}. The worker owns the training loop: each frame of play is one request (train for the frame's budget, 24 ms, with the readouts and the view that are due) and one answer; the next request goes out at the display's next frame.`,
  '',
  '| what | figure | how |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.how} |`),
  '',
]);
