// End-to-end: the page at a glance, at a laptop's size and a phone's, with real pointer and
// touch input: the primary controls and the plane in the first screen; settings that apply
// live keep the run (and change its next updates); settings that need a new run wait for one;
// a refused value leaves the run playing; readouts follow the loss and the data; a WebGPU
// build that cannot load is said; links hold only what differs from the defaults.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start();
});
after(async () => env && env.close());

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Opens the page at `viewport` (with `touch`, a touch screen: Chromium's touch emulation, so
 * taps are real touch events) and waits for its run.
 */
async function open(hash = '', viewport = DESKTOP, { touch = false, route = null } = {}) {
  const page = await env.browser.newPage();
  await page.setViewportSize(viewport);
  if (touch) {
    page.cdp = await page.context().newCDPSession(page);
    await page.cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
  }
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (route) await page.route(route.url, route.handler);
  await page.goto(env.url + hash);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 60000 });
  return { page, problems };
}

/** A finger's tap at (x, y): touchstart and touchend, as a phone sends them. */
async function tap(page, x, y) {
  await page.cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await page.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

const stats = (page) => page.evaluate(() => window.playground.stats());

/** Resolves once the playing run has passed `step`. */
const passes = (page, step) => page.waitForFunction((n) => window.playground.last.step > n, step, { timeout: 60000 });

/** Types `value` into the input `id` with the keyboard, as a person does, and commits it. */
async function typeInto(page, id, value) {
  await page.click(`#${id}`, { clickCount: 3 });
  await page.keyboard.type(String(value));
  await page.keyboard.press('Enter');
  await page.locator(`#${id}`).blur();
}

test('the first screen holds the plane and the primary controls, at 1280 x 900 and at 390 x 844', async () => {
  for (const [viewport, name, touch] of [[DESKTOP, 'desktop', false], [PHONE, 'phone', true]]) {
    const { page, problems } = await open('', viewport, { touch });
    const boxes = await page.evaluate(() => Object.fromEntries(
      ['plane', 'data-thumbs', 'loss', 'lrD', 'lrG', 'play', 'step', 'reset', 'step-count', 'rate'].map((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return [id, { top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: r.height }];
      }),
    ));
    for (const [id, b] of Object.entries(boxes)) {
      assert.ok(b.h > 0 && b.top >= 0 && b.bottom <= viewport.height + 0.5 && b.right <= viewport.width + 0.5,
        `${name}: #${id} is not in the first screen: ${JSON.stringify(b)}`);
    }
    // Nothing is wider than the screen, and every lab's tab is on it.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: horizontal overflow`);
    const offTabs = await page.evaluate(() => [...document.querySelectorAll('nav.labs a')]
      .filter((a) => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; })
      .map((a) => a.textContent.trim()));
    assert.deepEqual(offTabs, [], `${name}: lab tabs past the screen's edge`);
    if (touch) {
      // Touch targets: the run's buttons, the data thumbnails and the layer chips are 40 px or more.
      const small = await page.evaluate(() => [...document.querySelectorAll('.run-bar button, .thumb, .layers .chip, #backend-chip')]
        .map((el) => ({ id: el.id || el.textContent.trim().slice(0, 20), h: el.getBoundingClientRect().height }))
        .filter((t) => t.h > 0 && t.h < 40)); // (0: another lab's, not shown)
      assert.deepEqual(small, [], 'touch targets under 40 px');
      // The run bar stays at the top while the page scrolls.
      await page.evaluate(() => window.scrollTo(0, 2500));
      const bar = await page.evaluate(() => document.querySelector('.run-bar').getBoundingClientRect().top);
      assert.ok(Math.abs(bar) < 1, `the run bar scrolled away (${bar})`);
      await page.evaluate(() => window.scrollTo(0, 0));
      // A tap on a thumbnail starts a run on that data.
      const box = await page.locator('#data-spiral').boundingBox();
      await tap(page, box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForFunction(() => window.playground.engineConfig.dataset === 'spiral');
      assert.equal(await page.getAttribute('#data-spiral', 'aria-checked'), 'true');
      // 360 px wide still fits.
      await page.setViewportSize({ width: 360, height: 740 });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'horizontal overflow at 360 px');
    }
    await page.screenshot({ path: `test-results/glance-${name}.png` });
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a learning rate typed while playing applies live: the step count goes on, and the next updates follow it', async () => {
  const { page, problems } = await open('#theoryEvery=0&probeEvery=0');
  await page.click('#play');
  await passes(page, 20);
  const before = (await stats(page)).step;
  await typeInto(page, 'lrG', '0.0005');
  await page.waitForFunction(() => window.playground.engineConfig.lrG === 0.0005);
  await passes(page, before + 10);
  const s = await stats(page);
  assert.ok(s.playing, 'still playing');
  assert.ok(s.step > before, `the run went on: ${before} -> ${s.step}`);
  assert.match(await page.textContent('#field-note'), /lrG = 0\.0005 from step \d+ on: the run goes on/);
  await page.click('#play'); // pause
  await page.waitForFunction(() => !window.playground.playing);
  // The next updates are the new rates': both at 1e-7, three steps move no sample visibly;
  // back at 1e-3, one step does.
  const samples = () => page.evaluate(async () => Array.from(await window.playground.samples(256)));
  const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  await typeInto(page, 'lrD', '0.0000001');
  await typeInto(page, 'lrG', '0.0000001');
  await page.waitForFunction(() => window.playground.engineConfig.lrG === 1e-7 && window.playground.engineConfig.lrD === 1e-7);
  const s0 = await samples();
  const step0 = (await stats(page)).step;
  for (let i = 0; i < 3; i++) await page.click('#step');
  assert.equal((await stats(page)).step, step0 + 3);
  const s1 = await samples();
  assert.ok(maxDiff(s0, s1) < 1e-3, `moved ${maxDiff(s0, s1)} at lr 1e-7`);
  await typeInto(page, 'lrG', '0.001');
  await page.waitForFunction(() => window.playground.engineConfig.lrG === 0.001);
  await page.click('#step');
  const s2 = await samples();
  assert.ok(maxDiff(s1, s2) > 3e-3, `moved only ${maxDiff(s1, s2)} at lr 1e-3`);
  // The link follows live changes.
  await page.waitForFunction(() => /lrG=0\.001/.test(location.hash) === false && /lrD=1e-7/.test(location.hash));
  // Slow motion and the speed are live too: the step count is kept.
  const kept = (await stats(page)).step;
  await page.check('#slowMotion');
  await page.selectOption('#stepsPerFrame', '5');
  await page.waitForFunction(() => window.playground.page.slowMotion && window.playground.page.stepsPerFrame === 5);
  assert.equal((await stats(page)).step, kept);
  assert.deepEqual(problems, []);
  await page.close();
});

test('settings that need a new run wait for one: the run goes on until "Restart with them"', async () => {
  const { page, problems } = await open('#theoryEvery=0&probeEvery=0');
  await page.click('#advanced > summary');
  await page.click('#play');
  await passes(page, 10);
  await typeInto(page, 'genWidth', '32');
  assert.equal(await page.isVisible('#pending'), true);
  assert.match(await page.textContent('#pending-text'), /G width 32: applies on restart \(the run goes on until then\)/);
  const at = (await stats(page)).step;
  await passes(page, at + 10);
  assert.equal((await page.evaluate(() => window.playground.engineConfig.genWidth)), 64, 'not yet');
  await page.click('#apply-restart');
  await page.waitForFunction(() => window.playground.engineConfig.genWidth === 32);
  assert.equal(await page.isVisible('#pending'), false);
  assert.ok((await stats(page)).playing, 'playing on after the restart');
  // Undo puts the control back.
  await typeInto(page, 'seed', '9');
  await page.click('#discard-pending');
  assert.equal(await page.inputValue('#seed'), '2');
  assert.equal(await page.isVisible('#pending'), false);
  await page.click('#play');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a refused value leaves the run playing and says why; an empty drawing does not play', async () => {
  const { page, problems } = await open('#theoryEvery=0&probeEvery=0');
  await page.click('#advanced > summary');
  await page.click('#play');
  await passes(page, 10);
  await typeInto(page, 'batchSize', '0');
  await page.waitForFunction(() => /batchSize = 0 is out of range/.test(document.getElementById('field-note').textContent));
  assert.match(await page.textContent('#field-note'), /the run goes on with batchSize = 256/);
  assert.equal(await page.inputValue('#batchSize'), '256');
  const at = (await stats(page)).step;
  await passes(page, at + 10);
  assert.ok((await stats(page)).playing, 'still playing');
  assert.equal(await page.isVisible('#error'), false);
  // A width of 0 waits for the restart; there it is refused and the run plays on.
  await typeInto(page, 'genWidth', '0');
  await page.click('#apply-restart');
  await page.waitForFunction(() => /genWidth = 0 is out of range/.test(document.getElementById('field-note').textContent));
  const at2 = (await stats(page)).step;
  await passes(page, at2 + 5);
  assert.equal(await page.evaluate(() => window.playground.engineConfig.genWidth), 64);
  // The brush: a blank canvas has nothing to train on, and Play says so.
  await page.click('#play');
  await page.waitForFunction(() => !window.playground.playing);
  await page.click('#data-drawn');
  assert.equal(await page.isVisible('#draw-hint'), true);
  await page.click('#play');
  assert.match(await page.textContent('#field-note'), /Nothing to train on yet: draw the data on the plane first/);
  assert.equal(await page.evaluate(() => window.playground.playing), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the strong-D preset, then G on Adam while it plays: Adam\'s rate, the fakes counted when they leave the view, and the minimax twin recovers', async () => {
  const { page, problems } = await open('#lab=losses&theoryEvery=0');
  await page.click('#preset-strong-d');
  await page.waitForFunction(() => window.playground.engineConfig.dPretrain === 500 && window.playground.playing);
  await passes(page, 700);
  await page.selectOption('#genOptimizer', 'adam');
  await page.waitForFunction(() => window.playground.engineConfig.genOptimizer === 'adam');
  assert.equal(await page.inputValue('#lrG'), '0.001');
  assert.equal(await page.evaluate(() => window.playground.engineConfig.lrG), 0.001);
  assert.match(await page.textContent('#field-note'), /G's learning rate set to 0\.001, Adam's usual rate here/);
  await page.click('#play');
  await page.waitForFunction(() => !window.playground.playing);
  const switched = (await stats(page)).step;
  assert.ok(switched > 700, 'the run was not restarted');
  const look = () => page.evaluate(async () => {
    const pg = window.playground;
    const f = await pg.samples(512);
    const ext = pg.view.extent;
    let out = 0;
    for (let i = 0; i < f.length; i += 2) if (Math.max(Math.abs(f[i]), Math.abs(f[i + 1])) > ext) out += 1;
    const st = await pg.stats();
    return { step: st.step, out, gradNorm: st.gradNormMinimax, shown: document.getElementById('offview').hidden ? 0 : Number(document.getElementById('offview').textContent.split(' ')[0]) };
  });
  const seen = [];
  for (const n of [40, 60, 100, 200]) {
    await page.evaluate((n) => window.playground.step(n), n);
    seen.push(await look());
  }
  // On the way, G overshoots: fakes leave the view for a while, and the page counts them.
  const overshoot = seen.find((s) => s.out > 0);
  assert.ok(overshoot, JSON.stringify(seen));
  assert.ok(seen.every((s) => s.out < 512), `every fake left the view: ${JSON.stringify(seen)}`);
  assert.ok(seen.some((s) => s.shown > 0), `the off-view count was never shown: ${JSON.stringify(seen)}`);
  // Then every fake is back on the plane, and the minimax gradient no longer vanishes.
  const last = seen[seen.length - 1];
  assert.equal(last.out, 0, JSON.stringify(seen));
  assert.equal(await page.isVisible('#offview'), false);
  assert.ok(last.gradNorm > 0.05, `minimax gradient norm ${last.gradNorm}`);
  const dFake = (await stats(page)).dFakeMean;
  const probes = await page.evaluate(() => window.playground.probes());
  const atSwitch = probes.main.filter((p) => p.step <= 700).pop();
  assert.ok(atSwitch.gradNormMinimax < 0.01, `before the switch ${atSwitch.gradNormMinimax}`);
  assert.ok(dFake === null || dFake > 0.2 || last.gradNorm > 100 * atSwitch.gradNormMinimax, `${dFake}`);
  await page.screenshot({ path: 'test-results/glance-adam-recovers.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('readouts per loss and data: the critic\'s caption, k = 5 for WGAN-GP, no gradient norms under hinge, no mode chart for a spiral', async () => {
  const { page, problems } = await open('#theoryEvery=100');
  await page.selectOption('#loss', 'wganGp');
  await page.waitForFunction(() => window.playground.engineConfig.loss === 'wganGp');
  assert.equal(await page.evaluate(() => window.playground.engineConfig.k), 5);
  assert.equal(await page.inputValue('#k'), '5');
  assert.match(await page.textContent('#heat-caption'), /the critic's value D\(x\), a score with no fixed scale/);
  assert.equal(await page.isDisabled('input[name=surface][value=diff]'), true);
  assert.doesNotMatch(await page.textContent('#heat-caption'), /belief that x is real/);
  await page.selectOption('#loss', 'hinge');
  await page.waitForFunction(() => window.playground.engineConfig.loss === 'hinge' && window.playground.engineConfig.k === 1);
  await page.evaluate(() => window.playground.step(30));
  assert.doesNotMatch(await page.textContent('#status'), /‖∇G‖/);
  await page.selectOption('#loss', 'minimax');
  await page.evaluate(() => window.playground.step(30));
  assert.match(await page.textContent('#status'), /‖∇G‖ minimax/);
  assert.equal(await page.isDisabled('input[name=surface][value=diff]'), false);
  // The mode chart: shown for the ring, not for a spiral (no modes to count).
  assert.equal(await page.isVisible('#modes-figure'), true);
  await page.click('#data-spiral');
  await page.waitForFunction(() => window.playground.engineConfig.dataset === 'spiral');
  await page.evaluate(() => window.playground.step(100));
  assert.equal(await page.isVisible('#modes-figure'), false);
  assert.equal(await page.isVisible('#no-modes-hint'), true);
  // The collapse alarm's rule: five readouts in a row below the best before them.
  const lost = await page.evaluate(async () => {
    const { modesLost } = await import('./www/toy2d/readouts.js');
    return [modesLost([8, 8, 7, 8, 8, 7]), modesLost([8, 8, 7, 7, 7, 7, 7]), modesLost([25, 24, 24, 25, 24, 24]), modesLost([6, 8, 7, 7, 6, 7, 7])];
  });
  assert.deepEqual(lost, [0, 1, 0, 1]);
  // The model: a D step lights D and its cost; a click on G goes to G's learning rate.
  await page.click('#step-d');
  assert.equal(await page.evaluate(() => document.getElementById('model').classList.contains('train-d')), true);
  await page.click('#model [data-part="g"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lrG');
  assert.deepEqual(problems, []);
  await page.close();
});

test('choosing WebGPU when its build cannot load: a notice says so, the menu says CPU, and it trains', async () => {
  const { page, problems } = await open('#backend=webgpu&seed=3&theoryEvery=0&probeEvery=0', DESKTOP, {
    route: { url: '**/pkg/webgpu/**', handler: (r) => r.fulfill({ status: 404, body: 'not here' }) },
  });
  const s = await page.evaluate(() => window.playground.step(5));
  assert.equal(s.step, 5);
  assert.match(s.backend, /^cpu/);
  assert.match(await page.textContent('#notice'), /WebGPU was chosen but cannot be used here: could not load the webgpu build of the engine .*The run trains on the CPU \(wasm\) instead/);
  assert.equal(await page.inputValue('#backend'), 'cpu');
  assert.match(await page.textContent('#backend-chip'), /backend: cpu/);
  await page.click('#backend-chip');
  assert.match(await page.textContent('#backend-detail'), /in a worker/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('links hold only what differs from the defaults (and the seed), and say bad values in the page\'s words', async () => {
  const { page, problems } = await open();
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, '#seed=2');
  await page.selectOption('#loss', 'hinge');
  await page.waitForFunction(() => /loss=hinge/.test(location.hash));
  assert.doesNotMatch(await page.evaluate(() => location.hash), /null/);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp' }));
  await page.waitForFunction(() => /img\.arch=mlp/.test(location.hash));
  const both = await page.evaluate(() => location.hash);
  assert.doesNotMatch(both, /null/);
  assert.ok(both.length < 80, `${both.length} characters: ${both}`);
  await page.close();
  const bad = await open('#loss=banana&seed=4');
  assert.match(await bad.page.textContent('#notice'), /ignored loss = "banana": "banana" is not one of minimax, nonSaturating, maxLikelihood, leastSquares, wganGp, hinge/);
  assert.doesNotMatch(await bad.page.textContent('#notice'), /line 1 column|unknown variant/);
  assert.deepEqual([...problems, ...bad.problems], []);
  await bad.page.close();
});
