// Shared set-up of the browser tests and the benchmarks (scripts/bench/): the static server and headless Chromium (Debian's), with
// the flags this closed-network machine needs and WebGPU switched on (SwiftShader here).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Starts the server (on `root`) on a free port and a fresh headless Chromium. */
export async function start({ webgpu = true, root = '.' } = {}) {
  const { server, url } = await serve({ port: 0, root });
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gan-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: { width: 1100, height: 900 },
  });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Opens the page and collects console errors and uncaught exceptions. */
export async function openPage(env, hash = '') {
  const page = await env.browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(env.url + hash);
  // Ready once the lab the link opens has started (the 2-D playground's run, by default).
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  return { page, problems };
}

/**
 * Trains the image lab as a person does: the Train button, `seconds` of play, the button again;
 * resolves once training has paused, to the seconds it played.
 */
export async function trainWithButton(page, seconds) {
  await page.click('#img-play');
  await page.waitForFunction(() => window.playground.images.playing, null, { timeout: 60000 });
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  await page.click('#img-play');
  await page.waitForFunction(() => !window.playground.images.playing);
  return (Date.now() - t0) / 1000;
}

/**
 * Clicks `selector` and saves what the page downloads into `dir`; resolves to the file's path
 * and the name the page offered.
 */
export async function downloadOf(page, selector, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return { path, name: dl.suggestedFilename() };
}

/**
 * Runs `fn` in the page while Chromium traces its main thread; resolves to `fn`'s result and
 * the durations (ms, longest first) of every task the renderer's main thread ran meanwhile.
 * PerformanceObserver's long-task entries start at 50 ms, so this is how a figure under 50 ms
 * is measured at all.
 */
export async function traceMainThread(page, fn, arg) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
  const result = await page.evaluate(fn, arg);
  const complete = new Promise((res) => cdp.once('Tracing.tracingComplete', res));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  await cdp.detach();
  const events = JSON.parse(text).traceEvents;
  const main = new Set(events
    .filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const tasks = events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => e.dur / 1000)
    .sort((a, b) => b - a);
  return { result, tasks };
}
