// Screenshots of each lab at a laptop's size (1280 x 900) and a phone's (390 x 844), after a
// short run, into docs/screens/ (the README shows them). Rerun: node scripts/screenshots.mjs
// [OUT] [LAB...] (only the labs named, e.g. cycle; all by default)
import { mkdirSync } from 'node:fs';
import { openPage, start } from './lib/browser.mjs';

const OUT = process.argv[2] || 'docs/screens';
mkdirSync(OUT, { recursive: true });
const ONLY = process.argv.slice(3);
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const env = await start();
try {
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const [lab, hash, prepare] of [
      ['playground', '', (pg) => pg.step(600)],
      ['losses', '#lab=losses', (pg) => pg.configure({ loss: 'minimax', compare: 'nonSaturating', dPretrain: 500, genOptimizer: 'sgd', lrG: 0.05 }).then(() => pg.step(700))],
      ['images', '#lab=images', async (pg) => {
        await pg.configure({ mode: 'images', arch: 'mlp', seed: 1 });
        for (let i = 0; i < 40; i++) await pg.images.step(5); // a point on the loss chart each
        await pg.images.score();
      }],
      ['eval', '#lab=eval', async () => {
        document.getElementById('ev-source').value = 'train';
        document.getElementById('ev-n').value = '500';
        document.getElementById('ev-run').click();
        while (document.getElementById('ev-table').hidden && !document.getElementById('ev-error').textContent) {
          await new Promise((r) => setTimeout(r, 200));
        }
      }],
      ['cycle', '#lab=cycle', async (pg) => {
        const lab = pg.cycle;
        for (let i = 0; i < 40; i++) await lab.step(10);
        // A 7 on the pad: a bar, then a slanted stroke.
        const { ink, drawPad, translateDrawing } = lab.pad;
        for (let x = 8; x <= 20; x++) for (const y of [7, 8]) ink[y * 28 + x] = 1;
        for (let k = 0; k <= 13; k++) {
          const [x, y] = [Math.round(19 - 0.45 * k), 9 + k];
          ink[y * 28 + x] = 1;
          ink[y * 28 + x + 1] = 0.7;
        }
        drawPad();
        translateDrawing();
        await new Promise((r) => { setTimeout(r, 1500); });
      }],
      ['stack', '#lab=stack&stk.stageOneRounds=2000&stk.caption=a%20thick%20seven%20slanted%20right', async (pg) => {
        // Stage I's shortest schedule, then 300 rounds of stage II (about 2 minutes): a younger
        // stage I leaves stage II painting stripes.
        const lab = pg.stack;
        for (let i = 0; i < 23; i++) await lab.step(100);
        await new Promise((r) => { setTimeout(r, 500); });
      }],
    ]) {
      if (ONLY.length && !ONLY.includes(lab)) continue;
      const { page, problems } = await openPage(env, hash);
      await page.setViewportSize(viewport);
      await page.evaluate(`(${prepare.toString()})(window.playground)`);
      // The model's parts stay lit for 350 ms after the last update: let them go dark.
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${OUT}/${lab}-${size}.png` });
      if (problems.length) console.log(lab, size, problems);
      await page.close();
      console.log(`${OUT}/${lab}-${size}.png`);
    }
  }
} finally {
  await env.close();
}
