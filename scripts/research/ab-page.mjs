// Two builds of the page against each other, alternated: the default DCGAN's ms per round through
// the image lab's step(20) on wasm CPU, one headless Chromium per build, in ABBA order (this
// machine's pace swings by 10-20 % from minute to minute; only alternated runs separate changes
// of a few per cent). Each root is a folder served as the page: give the old build its own one
// (links to index.html, www/, assets/, node_modules/ and its pkg/ copy). After a build:
//   node scripts/research/ab-page.mjs OLD_ROOT NEW_ROOT [PAIRS]
import { start } from '../lib/browser.mjs';

const [rootA, rootB, pairsArg] = process.argv.slice(2);
if (!rootA || !rootB) {
  console.error('usage: node scripts/research/ab-page.mjs OLD_ROOT NEW_ROOT [PAIRS]');
  process.exit(2);
}
const pairs = Number(pairsArg || 10);
const envs = {};
const pages = {};
for (const [k, root] of [['A', rootA], ['B', rootB]]) {
  envs[k] = await start({ webgpu: false, root });
  const p = await envs[k].browser.newPage();
  await p.goto(`${envs[k].url}#lab=images&img.backend=cpu`);
  await p.waitForFunction(() => window.playground && window.playground.ready && window.playground.images, null, { timeout: 60000 });
  await p.evaluate(async () => {
    const l = window.playground.images;
    if (!l.session) await l.configure({});
    await l.step(3);
  });
  pages[k] = p;
}
const ms = { A: [], B: [] };
try {
  for (let r = 0; r < pairs; r++) {
    for (const k of r % 2 ? ['B', 'A'] : ['A', 'B']) {
      ms[k].push(await pages[k].evaluate(async () => {
        const t = performance.now();
        await window.playground.images.step(20);
        return (performance.now() - t) / 20;
      }));
    }
  }
} finally {
  for (const e of Object.values(envs)) await e.close();
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const wins = ms.B.filter((b, i) => b < ms.A[i]).length;
console.log(JSON.stringify(ms));
console.log(`DCGAN ms per round, median: A ${median(ms.A).toFixed(1)}, B ${median(ms.B).toFixed(1)} (B/A ${(median(ms.B) / median(ms.A)).toFixed(3)}; B faster in ${wins} of ${pairs} pairs)`);
