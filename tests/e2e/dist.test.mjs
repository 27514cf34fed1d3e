// End-to-end: the static site `scripts/dist.sh` writes works on its own, served from its folder
// (relative paths only; KaTeX from vendor/, nothing from node_modules/).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
let out;
before(async () => {
  out = join(mkdtempSync(join(tmpdir(), 'gan-dist-')), 'site');
  execFileSync('bash', ['scripts/dist.sh', out], { stdio: 'inherit' });
  env = await start({ root: out });
});
after(async () => env && env.close());

test('dist/ is a self-contained static site: the page loads, typesets and trains from it', async () => {
  for (const f of ['index.html', 'www/app/main.js', 'pkg/cpu/gan_playground_bg.wasm', 'pkg/webgpu/gan_playground_bg.wasm', 'vendor/katex/katex.mjs']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.ok(!existsSync(join(out, 'node_modules')));
  assert.doesNotMatch(readFileSync(join(out, 'index.html'), 'utf8'), /node_modules|="\//, 'relative paths only');
  const { page, problems } = await openPage(env, '#seed=5');
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await page.waitForSelector('#formula .katex');
  const s = await page.evaluate(() => window.playground.step(20));
  assert.equal(s.step, 20);
  assert.equal((await page.evaluate(() => window.playground.config())).seed, 5);
  assert.deepEqual(failed, []);
  // Everything the page loaded before the listeners, the stylesheet and fonts included, came back 200.
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name, e.responseStatus]));
  assert.ok(loaded.some(([u]) => u.endsWith('vendor/katex/katex.min.css')), JSON.stringify(loaded));
  assert.deepEqual(loaded.filter(([, st]) => st !== 200), []);
  assert.deepEqual(problems, []);
  await page.close();
});
