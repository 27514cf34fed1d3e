// Playing against stepping, per lab (issue 27: "while playing, the page trains at >= 90 % of the
// steps per second that step(n) reaches through the API"): in one headless Chromium on wasm CPU,
// each lab's default run is timed through `step(n)`, then through Play for `--seconds` (the frame
// loop, its readouts and its views all running), and the two paces are written to the "play"
// section of BENCHMARKS.md. The StackGAN is timed in stage I (its first 10,000 rounds).
//
//   node scripts/bench/play.mjs [--seconds 20] [--out bench-results]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start } from '../lib/browser.mjs';
import { writeSection } from '../lib/bench-section.mjs';
import { option } from '../lib/bench-cli.mjs';

const seconds = Number(option('seconds', 20));
const out = option('out', 'bench-results');
mkdirSync(out, { recursive: true });

/** Each lab: its link, the rounds one timed step(n) trains, and what a round is. */
const LABS = [
  { lab: 'playground', n: 1000, what: '2-D reference step' },
  { lab: 'images', n: 20, what: 'DCGAN round (the image lab\'s default)' },
  { lab: 'cycle', n: 20, what: 'CycleGAN round' },
  { lab: 'stack', n: 100, what: 'StackGAN stage-I round' },
];

async function measure(env, { lab, n }) {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#lab=${lab}`);
  await page.waitForFunction((lab) => {
    const pg = window.playground;
    if (!pg || !pg.ready) return false;
    return lab === 'playground' || (pg[lab] && (lab === 'images' || pg[lab].run));
  }, lab, { timeout: 60000 });
  const r = await page.evaluate(async ([lab, n, seconds]) => {
    const l = lab === 'playground' ? window.playground : window.playground[lab];
    const at = async () => (await l.stats()).step;
    // The image lab makes its run when asked (its defaults: the DCGAN).
    if (lab === 'images' && !l.session) await l.configure({});
    await l.step(Math.max(2, n / 10));
    let t = performance.now();
    await l.step(n);
    const stepMs = (performance.now() - t) / n;
    const before = await at();
    t = performance.now();
    await l.play();
    await new Promise((res) => setTimeout(res, seconds * 1000));
    await l.pause();
    if (l.busy) await l.busy;
    const ms = performance.now() - t;
    const rounds = (await at()) - before;
    return { stepMs, playMs: ms / rounds, rounds };
  }, [lab, n, seconds]);
  await page.close();
  return { lab, ...r, ratio: r.stepMs / r.playMs };
}

const env = await start({ webgpu: false });
const rows = [];
try {
  for (const l of LABS) {
    const r = { ...l, ...(await measure(env, l)) };
    console.log(JSON.stringify(r));
    rows.push(r);
  }
} finally {
  await env.close();
}
const date = new Date().toISOString().slice(0, 10);
writeFileSync(join(out, 'play.json'), JSON.stringify({ date, seconds, rows }, null, 2));
writeSection('play', [
  '## Playing against stepping',
  '',
  `Written by \`node scripts/bench/play.mjs\` on ${date}: each lab's default run in headless Chromium on wasm CPU, timed through the API's \`step(n)\` (after a warm-up), then through Play for ${seconds} s with every view running (the frame loop: one request per display frame, readouts and pictures when due). Issue 27 asks that playing train at ≥ 90 % of step(n)'s pace. Before a frame that trained ≥ 12 ms went straight on to the next (instead of waiting for the display's next frame), the same session measured 84 % for the 2-D playground, 98 % DCGAN, 101 % CycleGAN and 92 % StackGAN stage I.`,
  '',
  '| lab | what a round is | step(n), ms per round | playing, ms per round | rounds played | playing / step(n) |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.lab} | ${r.what} | ${r.stepMs.toFixed(2)} | ${r.playMs.toFixed(2)} | ${r.rounds} | ${(100 * r.ratio).toFixed(0)} % |`),
]);
console.log('wrote the play section of BENCHMARKS.md');
