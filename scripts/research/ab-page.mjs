// Two builds of the page against each other, alternated: one lab's ms per round through its
// step(n) on wasm CPU (the default DCGAN's step(20) unless LAB says: playground, the 2-D GAN's
// step(1000) with its readouts off; cycle; stack), one headless Chromium per build, in ABBA order (this
// machine's pace swings by 10-20 % from minute to minute; only alternated runs separate changes
// of a few per cent). Each root is a folder served as the page: give the old build its own one
// (links to index.html, www/, assets/, node_modules/ and its pkg/ copy). After a build:
//   node scripts/research/ab-page.mjs OLD_ROOT NEW_ROOT [PAIRS] [LAB]
import { start } from '../lib/browser.mjs';

const [rootA, rootB, pairsArg, labArg] = process.argv.slice(2);
if (!rootA || !rootB) {
  console.error('usage: node scripts/research/ab-page.mjs OLD_ROOT NEW_ROOT [PAIRS] [LAB]');
  process.exit(2);
}
const pairs = Number(pairsArg || 10);
/** Each lab's link, its controller, and the rounds one timed step(n) trains. */
const LABS = {
  images: { link: '#lab=images&img.backend=cpu', n: 20, what: 'DCGAN round' },
  playground: { link: '#lab=playground&probeEvery=0&theoryEvery=0&backend=cpu', n: 1000, what: '2-D step' },
  cycle: { link: '#lab=cycle&cyc.backend=cpu', n: 20, what: 'CycleGAN round' },
  stack: { link: '#lab=stack&stk.backend=cpu', n: 100, what: 'StackGAN stage-I round' },
};
const labName = labArg || 'images';
const lab = LABS[labName];
if (!lab) {
  console.error(`LAB is one of ${Object.keys(LABS).join(', ')}`);
  process.exit(2);
}
const envs = {};
const pages = {};
for (const [k, root] of [['A', rootA], ['B', rootB]]) {
  envs[k] = await start({ webgpu: false, root });
  const p = await envs[k].browser.newPage();
  await p.goto(`${envs[k].url}${lab.link}`);
  await p.waitForFunction((name) => {
    const pg = window.playground;
    return pg && pg.ready && (name === 'playground' || name === 'images' ? true : pg[name] && pg[name].run);
  }, labName, { timeout: 60000 });
  await p.evaluate(async ({ name, n }) => {
    window.lab = name === 'playground' ? window.playground : window.playground[name];
    if (name === 'images' && !window.lab.session) await window.lab.configure({});
    // Warm: V8 swaps its baseline code for optimised code while the engine runs.
    const t = performance.now();
    while (performance.now() - t < 4000) await window.lab.step(Math.max(1, n / 10));
  }, { name: labName, n: lab.n });
  pages[k] = p;
}
const ms = { A: [], B: [] };
try {
  for (let r = 0; r < pairs; r++) {
    for (const k of r % 2 ? ['B', 'A'] : ['A', 'B']) {
      ms[k].push(await pages[k].evaluate(async (n) => {
        const t = performance.now();
        await window.lab.step(n);
        return (performance.now() - t) / n;
      }, lab.n));
    }
  }
} finally {
  for (const e of Object.values(envs)) await e.close();
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const wins = ms.B.filter((b, i) => b < ms.A[i]).length;
console.log(JSON.stringify(ms));
const dp = median(ms.A) < 10 ? 3 : 1;
console.log(`${lab.what}, ms, median: A ${median(ms.A).toFixed(dp)}, B ${median(ms.B).toFixed(dp)} (B/A ${(median(ms.B) / median(ms.A)).toFixed(3)}; B faster in ${wins} of ${pairs} pairs)`);
