// End-to-end: the page as an attacker tries it. Crafted and damaged run files, links and
// settings that would exhaust the page, out-of-range API calls, hostile embed attributes,
// share-link injection, loose numbers, play/pause spam, calls before the engine loaded, a
// cross-origin embed driven by postMessage, and an engine that traps. Each case checks the
// message shown, that nothing ran in the host page, and that the run in progress is still
// there and still trains.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../scripts/lib/serve.mjs';
import { openPage, start } from '../../scripts/lib/browser.mjs';
import { header, reseal, withHeader } from '../../scripts/lib/runfile.mjs';

let env;
before(async () => { env = await start(); });
after(async () => env && env.close());

const LIGHT = '#seed=6&probeEvery=0&theoryEvery=0&batchSize=64';

/** A saved 2-D run of `page` (after `n` more steps), as a Buffer. */
async function savedRun(page, n = 10) {
  return Buffer.from(await page.evaluate(async (n) => {
    await window.playground.step(n);
    return Array.from(await window.playground.saveRun());
  }, n));
}

/** Loads `bytes` through the API; resolves to the message it was refused with, or 'loaded'. */
const loadMessage = (page, bytes, lab = '') => page.evaluate(async ([b, lab]) => {
  const target = lab ? window.playground[lab] : window.playground;
  return target.loadRun(new Uint8Array(b)).then(() => 'loaded', (e) => e.message);
}, [Array.from(bytes), lab]);

/** Asserts that the 2-D run still trains: n more steps from where it was. */
async function stillTrains(page, what) {
  const before = await page.evaluate(() => window.playground.last.step);
  const s = await page.evaluate(() => window.playground.step(3));
  assert.equal(s.step, before + 3, `${what}: the run goes on`);
  assert.ok(Number.isFinite(s.lossD), what);
}

test('crafted run files: sizes that wrap on wasm32 and bit flips are refused with a message; the run goes on', async () => {
  const { page, problems } = await openPage(env, LIGHT);
  const run = await savedRun(page);
  const id = header(run).header.genIds[0];
  // Four optimiser entries of 2^30 values: 2^32 doubled sizes, 0 on wasm32 (the trap of old).
  const wrap = withHeader(run, (h) => { for (let i = 0; i < 2; i++) h.optG.params.push([id, 1, 2 ** 31]); });
  assert.match(await loadMessage(page, wrap), /could not load the run: its (header declares more numbers|optimiser state)/);
  await stillTrains(page, 'after the crafted file');
  assert.equal((await page.evaluate(() => window.playground.stats())).engineThread, 'worker', 'still in the worker');
  // Bit flips anywhere: the checksum refuses every one.
  let seed = 12345;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const flips = [];
  for (let i = 0; i < 40; i++) {
    const b = Buffer.from(run);
    b[8 + rand(run.length - 8)] ^= 1 << rand(8);
    flips.push(b);
  }
  const messages = await page.evaluate(async (files) => {
    const out = [];
    for (const f of files) out.push(await window.playground.loadRun(new Uint8Array(f)).then(() => 'loaded', (e) => e.message));
    return out;
  }, flips.map((b) => Array.from(b)));
  for (const m of messages) assert.match(m, /could not load the run: (the file is damaged|its header|the file is truncated|this file has format version)/);
  // The same crafted file through the image section's Load while the 2-D run plays: it is
  // refused there too and the 2-D run plays on.
  await page.evaluate(() => window.playground.open('images'));
  await page.waitForFunction(() => window.playground.images !== null);
  await page.evaluate(() => window.playground.play());
  const ganimg = Buffer.concat([Buffer.from('GANIMG\x00\x02'), wrap.subarray(8)]);
  assert.match(await loadMessage(page, reseal(ganimg), 'images'), /could not load the run/);
  const step0 = await page.evaluate(() => window.playground.last.step);
  await page.waitForFunction((s) => window.playground.last.step > s, step0);
  await page.evaluate(() => window.playground.pause());
  await page.evaluate(() => window.playground.stats());
  // A file far too big is refused from its size, before it is read or copied to the engine.
  const before = (await page.evaluate(() => window.playground.memory())).wasm;
  const big = await page.evaluate(() => window.playground.loadRun(new Blob([new Uint8Array(300 * 1024 * 1024)])).then(() => 'loaded', (e) => e.message));
  assert.match(big, /the file is 315 MB, and a run file is at most 256 MB/);
  assert.deepEqual((await page.evaluate(() => window.playground.memory())).wasm, before, 'the engine\'s memory did not grow');
  await stillTrains(page, 'after the big file');
  assert.deepEqual(problems, []);
  await page.close();
});

test('settings that would exhaust the page are refused before they run, naming what to lower', async () => {
  const heavy = '#genWidth=1024&discWidth=1024&genLayers=8&discLayers=8&batchSize=4096&k=100&seed=3';
  const { page, problems } = await openPage(env, heavy);
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /ignored the link's settings: these settings make one training step about [\d.]+e\d+ FLOPs \(~[\d.]+ (hours|minutes) on a laptop core\), over the playground's budget of 3e10 \(~3 s\): lower batchSize, k, gSteps, genWidth, discWidth or the layers/);
  assert.equal((await page.evaluate(() => window.playground.config())).batchSize, 256, 'the default run instead');
  const refused = await page.evaluate(() => window.playground.configure({ batchSize: 4096, k: 100, genWidth: 1024, genLayers: 8 }).then(() => 'ran', (e) => e.message));
  assert.match(refused, /over the playground's budget/);
  await stillTrains(page, 'after the heavy configure');
  // The image lab: in range one by one, over the memory budget together.
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', batchSize: 16 }));
  await page.evaluate(() => window.playground.images.step(2));
  const img = await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'dcgan', genWidth: 128, discWidth: 128, batchSize: 512, k: 10 }).then(() => 'ran', (e) => e.message));
  assert.match(img, /these settings make one training step about .* lower batchSize, k, genWidth or discWidth/);
  const s = await page.evaluate(() => window.playground.images.step(2));
  assert.equal(s.step, 4, 'the image run goes on');
  assert.equal(await page.evaluate(() => window.playground.images.full.arch), 'mlp');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the image lab\'s API refuses bad counts with a message and never throws', async () => {
  const { page, problems } = await openPage(env, LIGHT);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', batchSize: 16 }));
  await page.evaluate(() => window.playground.images.step(1));
  const results = await page.evaluate(async () => {
    const im = window.playground.images;
    const calls = {
      'step(-1)': () => im.step(-1),
      'step(1e9)': () => im.step(1e9),
      'images(200000)': () => im.images({ n: 200000 }),
      'images(latents 7)': () => im.images({ latents: [1, 2, 3, 4, 5, 6, 7] }),
      'interpolateAnchors(3e7)': () => im.interpolateAnchors(3e7),
      'setAnchorFromGrid(0, "x")': () => im.setAnchorFromGrid(0, 'x'),
      'setAnchorFromGrid(0, 1n)': () => im.setAnchorFromGrid(0, 1n),
      'setTruncation(1n)': () => im.setTruncation(1n),
      'drawPath(bad)': () => im.drawPath([[0, 'a']]),
      'resume(null)': () => im.resume(null),
      'randomAnchors(-1)': () => im.randomAnchors(-1),
    };
    const out = {};
    for (const [name, call] of Object.entries(calls)) {
      let r;
      try {
        r = call();
      } catch (e) {
        out[name] = `threw: ${e.message}`;
        continue;
      }
      out[name] = r && typeof r.then === 'function' ? await r.then(() => 'resolved', (e) => `rejected: ${e.message}`) : 'no promise';
    }
    return out;
  });
  const want = {
    'step(-1)': /rejected: step\(rounds\): a whole number from 1 to 100000, not -1/,
    'step(1e9)': /rejected: step\(rounds\): a whole number from 1 to 100000/,
    'images(200000)': /rejected: images\(\): n: a whole number from 1 to 4096/,
    'images(latents 7)': /rejected: images\(\): latents is a flat array/,
    'interpolateAnchors(3e7)': /rejected: interpolateAnchors\(frames\): a whole number from 2 to 256/,
    'setAnchorFromGrid(0, "x")': /rejected: an anchor is 0, 1 or 2 and a grid sample 0 to 63, not 0, "x"/,
    'setAnchorFromGrid(0, 1n)': /rejected: an anchor is 0, 1 or 2/,
    'setTruncation(1n)': /rejected: truncation: null \(none\) or a number of at least 0.05, not a bigint/,
    'drawPath(bad)': /rejected: a path is a list of \[u, v\] points/,
    'resume(null)': /^(resolved|rejected: .+)$/,
    'randomAnchors(-1)': /rejected: randomAnchors\(seed\): a whole number/,
  };
  for (const [name, re] of Object.entries(want)) assert.match(results[name], re, name);
  // A filmstrip of 4 frames, then its Play: the animation runs over those 4 without errors.
  await page.evaluate(() => window.playground.images.interpolateAnchors(4));
  await page.click('#img-anim');
  await page.evaluate(() => new Promise((r) => { let n = 0; const f = () => (++n > 30 ? r() : requestAnimationFrame(f)); f(); }));
  await page.click('#img-anim');
  const at = await page.evaluate(() => window.playground.images.last.step);
  assert.equal((await page.evaluate(() => window.playground.images.step(1))).step, at + 1, 'the image run goes on');
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed attributes: no script, no CSS, no smuggled settings; bad values said inside the element', async () => {
  const page = await env.browser.newPage();
  const problems = [];
  const warnings = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.setViewportSize({ width: 760, height: 900 });
  await page.goto(new URL('tests/e2e/fixtures/hostile-embed.html', env.url).href);
  const ids = ['js', 'css', 'amp', 'pts', 'far'];
  await page.waitForFunction((ids) => ids.every((id) => { const p = document.getElementById(id).playground; return p && p.ready; }), ids, { timeout: 90000 });
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no script ran in the host page');
  const info = await page.evaluate((ids) => ids.map((id) => {
    const el = document.getElementById(id);
    const f = el.querySelector('iframe');
    const alert = el.querySelector('[role=alert]');
    return { id, src: f.src, height: f.style.height, position: f.style.position, alert: alert ? alert.textContent : null };
  }), ids);
  const by = Object.fromEntries(info.map((i) => [i.id, i]));
  const home = new URL('index.html', env.url).href;
  assert.ok(by.js.src.startsWith(home), by.js.src);
  assert.match(by.js.alert, /src: only http\(s\) addresses can be framed/);
  assert.equal(by.css.height, '900px');
  assert.equal(by.css.position, '');
  assert.match(by.css.alert, /height: a number with px or vh/);
  assert.equal(by.amp.alert, null);
  assert.ok(warnings.some((w) => /ignored the attribute "x&play_hide": not a setting/.test(w)), warnings.join('\n'));
  assert.doesNotMatch(by.amp.src, /play_hide/);
  assert.match(by.pts.alert, /points: not JSON/);
  assert.ok(by.far.src.startsWith(home), by.far.src);
  assert.equal(by.far.height, '30vh');
  assert.match(by.far.alert, /https:\/\/example\.org is not the origin embed\.js came from/);
  const frame = page.frames().find((f) => f.url().includes('seed=5'));
  assert.equal(await frame.isVisible('#play'), true, 'the smuggled hide did not reach the frame');
  assert.equal((await frame.evaluate(() => window.playground.config())).lrG, 0.002);
  assert.deepEqual(problems, []);
  await page.close();
});

test('links: hide names are checked and written back encoded; numbers are plain decimal; repeats are said', async () => {
  // A hide name carrying an encoded & and =: not a control's id, so left out, not written back.
  const { page, problems } = await openPage(env, '#seed=3&x%26lrG%3D1_hide=true&loss_hide=true&nosuch_hide=true');
  await page.waitForSelector('#notice:not([hidden])');
  const notice = await page.textContent('#notice');
  assert.match(notice, /ignored the hide name "x&lrG=1": not a control's id/);
  assert.match(notice, /ignored nosuch_hide: the page has no control with that id/);
  const share = await page.inputValue('#share-link');
  assert.doesNotMatch(share, /lrG=1(&|$)/);
  assert.match(share, /loss_hide=true/);
  const other = await openPage(env, new URL(share).hash);
  assert.equal((await other.page.evaluate(() => window.playground.config())).lrG, 0.001, 'the shared link runs what was seen');
  assert.equal(await other.page.isVisible('#loss'), false);
  const cases = [
    ['#seed=0x10', /ignored seed = "0x10": seed must be a plain decimal number/],
    ['#k=0b11', /ignored k = "0b11": k must be a plain decimal number/],
    ['#lrG=0o7', /ignored lrG = "0o7": lrG must be a plain decimal number/],
    ['#batchSize=%207%20', /ignored batchSize = " 7 ": batchSize must be a plain decimal number/],
    ['#seed=9007199254740993', /ignored seed = "9007199254740993": seed must be at most 2\^53 - 1/],
    ['#seed=3&seed=4', /seed is given twice in the link: the last value, "4", is used/],
  ];
  for (const [hash, want] of cases) {
    const p = await openPage(env, hash);
    await p.page.waitForSelector('#notice:not([hidden])');
    assert.match(await p.page.textContent('#notice'), want, hash);
    assert.deepEqual(p.problems, [], hash);
    await p.page.close();
  }
  const z = await openPage(env, '#seed=-0&lrD=2e-3');
  const c = await z.page.evaluate(() => window.playground.config());
  assert.ok(Object.is(c.seed, 0), 'seed -0 is 0');
  assert.equal(c.lrD, 0.002);
  assert.equal(await z.page.isVisible('#notice'), false, 'and says nothing');
  for (const p of [problems, other.problems, z.problems]) assert.deepEqual(p, []);
  for (const p of [page, other.page, z.page]) await p.close();
});

test('play/pause spam leaves one loop; pause stops within a frame; early calls are queued, and all return promises', async () => {
  // Calls made the moment window.playground exists, before the page has read its link.
  const page = await env.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.addInitScript(() => {
    let pg;
    Object.defineProperty(window, 'playground', {
      configurable: true,
      get: () => pg,
      set: (v) => {
        pg = v;
        const early = window.early = {};
        queueMicrotask(() => {
          const r = v.play();
          early.playIsPromise = r instanceof Promise;
          const r2 = v.resume(null);
          early.resumeIsPromise = r2 instanceof Promise;
          r2.catch((e) => { early.resume = e.message; });
          v.configure({ mode: 'images', arch: 'mlp', batchSize: 8, seed: 9 }).then(() => { early.configured = true; }, (e) => { early.configured = e.message; });
        });
      },
    });
  });
  await page.goto(`${env.url}#seed=2&probeEvery=0&theoryEvery=0&img.arch=dcgan&img.seed=1`);
  await page.waitForFunction(() => window.playground && window.playground.ready && window.early.configured, null, { timeout: 60000 });
  const early = await page.evaluate(() => window.early);
  assert.equal(early.playIsPromise, true);
  assert.equal(early.resumeIsPromise, true);
  assert.equal(early.configured, true);
  assert.deepEqual(await page.evaluate(() => [window.playground.images.full.arch, window.playground.images.full.seed]), ['mlp', 9], 'the link did not replace the explicit configure');
  assert.match(await page.textContent('#notice'), /the link's image-run settings were not used: a script chose the image run first/);
  // 200 x play/pause, then play: one loop, one engine frame per display frame at most.
  const rate = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.open('playground');
    for (let i = 0; i < 200; i++) { pg.play(); pg.pause(); }
    pg.play();
    const c = pg.client.traffic;
    await new Promise((r) => requestAnimationFrame(r));
    const sent0 = c.sent;
    let frames = 0;
    await new Promise((r) => { const f = () => (++frames >= 60 ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); });
    return { frames, requests: c.sent - sent0 };
  });
  assert.ok(rate.requests <= rate.frames + 2, `${rate.requests} engine requests in ${rate.frames} display frames`);
  assert.ok(rate.requests > 0);
  const after = await page.evaluate(async () => {
    const pg = window.playground;
    await pg.pause();
    const s1 = (await pg.stats()).step;
    await new Promise((r) => { let n = 0; const f = () => (++n >= 20 ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); });
    return [s1, (await pg.stats()).step];
  });
  assert.equal(after[1], after[0], 'no steps after pause()');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a cross-origin embed is driven through postMessage, with promises', async () => {
  // A second local origin: the same files from another port.
  const other = await serve({ port: 0, root: '.' });
  try {
    const page = await env.browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${other.url}tests/e2e/fixtures/cross-origin.html?from=${encodeURIComponent(env.url)}`);
    await page.waitForFunction(() => customElements.get('gan-playground') && document.getElementById('x').frame, null, { timeout: 30000 });
    const out = await page.evaluate(async () => {
      const el = document.getElementById('x');
      let direct;
      try {
        direct = typeof el.frame.contentWindow.playground;
      } catch (e) {
        direct = e.name;
      }
      await el.ready();
      const s = await el.playground.step(5);
      const cfg = await el.playground.config();
      const bad = await el.playground.step(-1).then(() => 'resolved', (e) => e.message);
      const unknown = await el.playground.constructor().then(() => 'resolved', (e) => e.message);
      const images = await el.playground.images.stats().then(() => 'resolved', (e) => e.message);
      const early = await el.playground.cycle.stats().then(() => 'resolved', (e) => e.message);
      await el.playground.open('cycle');
      const cycle = await el.playground.cycle.step(2);
      const cycleLink = await el.playground.cycle.linkConfig();
      const empty = await el.playground.cycle.translate(new Array(784).fill(0)).then(() => 'resolved', (e) => e.message);
      const earlyStack = await el.playground.stack.stats().then(() => 'resolved', (e) => e.message);
      await el.playground.open('stack');
      const stack = await el.playground.stack.step(2);
      const stackLink = await el.playground.stack.linkConfig();
      const pictures = await el.playground.stack.setCaption('a thin two slanted left');
      const noWord = await el.playground.stack.setCaption('<b>xyzzy</b>').then(() => 'resolved', (e) => e.message);
      const stackStats = await el.playground.stack.stats();
      return {
        direct, step: s.step, seed: cfg.seed, bad, unknown, images, early, cycle, cycleLink, empty,
        earlyStack, stack, stackLink, pictures: { n: pictures.n, two: pictures.two.length }, noWord, caption: stackStats.caption,
      };
    });
    assert.equal(out.direct, 'SecurityError', 'the frame is on another origin');
    assert.equal(out.step, 5);
    assert.equal(out.seed, 8);
    assert.match(out.bad, /n must be an integer from 1 to 100000/);
    assert.match(out.unknown, /unknown call "constructor"/);
    assert.match(out.images, /no image run yet/);
    assert.match(out.early, /no CycleGAN run yet: call open\("cycle"\) first/);
    assert.equal(out.cycle.step, 2, 'the CycleGAN lab trains through postMessage');
    assert.ok(Number.isFinite(out.cycle.cycleA), 'and answers its losses');
    assert.equal(out.cycleLink.lambdaCycle, 0, 'cyc.lambda-cycle reached the run');
    assert.equal(out.cycleLink.poolSize, 5, 'cyc.pool-size too');
    assert.match(out.empty, /drawing|empty|ink/i, 'an empty drawing is refused with a message');
    assert.match(out.earlyStack, /no StackGAN run yet: call open\("stack"\) first/);
    assert.equal(out.stack.step, 2, 'the StackGAN lab trains through postMessage');
    assert.equal(out.stackLink.klWeight, 0, 'stk.kl-weight reached the run');
    assert.equal(out.stackLink.caption, 'a thick seven', 'stk.caption too');
    assert.equal(out.pictures.two, 2 * out.pictures.n * 784, 'setCaption answers the pictures');
    assert.match(out.noWord, /xyzzy/, 'a caption with no known word is refused, naming the word');
    assert.equal(out.caption, 'a thin two slanted left', 'the caption set through postMessage is the lab\'s');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    other.server.close();
  }
});

test('an engine that traps is restarted in a fresh worker; both labs continue from their snapshots', async () => {
  const { page, problems } = await openPage(env, LIGHT);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', batchSize: 8 }));
  await page.evaluate(() => window.playground.images.step(3));
  await page.evaluate(() => window.playground.open('playground'));
  await page.evaluate(() => window.playground.step(300));
  // The 2-D run keeps a snapshot every 250 steps (here at 300, the end of a chunk), the image
  // run one at its start at least.
  const good = await page.evaluate(() => window.playground.good.step);
  assert.ok(good >= 250, `snapshot at ${good}`);
  const trapped = await page.evaluate(() => window.playground.client.request('trap', {}).then(() => 'no trap', (e) => e.message));
  assert.match(trapped, /the training engine crashed \(a panic in its wasm code\); the engine was restarted in a fresh worker/);
  await page.waitForFunction(() => window.playground.client.restarts === 1 && !window.playground.client.restarting);
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), new RegExp(`The engine was restarted in a fresh worker: the run continues from step ${good}, its last snapshot`));
  const s = await page.evaluate(() => window.playground.step(5));
  assert.equal(s.step, good + 5);
  const st = await page.evaluate(() => window.playground.stats());
  assert.equal(st.engineThread, 'worker', 'not moved to the page\'s thread');
  assert.match(st.backendReason, /^continued from its last snapshot after the engine crashed/);
  const im = await page.evaluate(() => window.playground.images.step(1));
  assert.ok(im.step >= 1, 'the image run continues too');
  assert.match(await page.textContent('#img-notice'), /The engine was restarted/);
  // Console errors from the trap itself are the engine's panic message, said once.
  assert.deepEqual(problems.filter((p) => !/trapForTests|unreachable|panicked/.test(p)), []);
  await page.close();
});
