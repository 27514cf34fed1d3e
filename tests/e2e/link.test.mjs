// End-to-end: link state. The URL hash holds every setting; opening a link reproduces the run;
// bad links are refused setting by setting with a visible notice, and the page still trains.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => env && env.close());

const lossesAt = (page, n) => page.evaluate(async (n) => {
  const s = await window.playground.step(n);
  return { step: s.step, lossD: s.lossD, lossG: s.lossG };
}, n);

test('a link reproduces the run: same settings, same seed, same losses at step N', async () => {
  const { page, problems } = await openPage(env, '#dataset=grid25&loss=minimax&seed=7&lrD=0.002&probeEvery=0&theoryEvery=0');
  const c = await page.evaluate(() => window.playground.config());
  assert.equal(c.dataset, 'grid25');
  assert.equal(c.loss, 'minimax');
  assert.equal(c.seed, 7);
  assert.equal(c.lrD, 0.002);
  // The controls are filled when the run's reset event reaches the page: wait for it (5 s at most).
  await page.waitForFunction(() => document.getElementById('dataset').value === 'grid25', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.inputValue('#dataset'), 'grid25', 'the controls show the link');
  const a = await lossesAt(page, 300);
  // The page rewrote the hash; that link opens the same run elsewhere.
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /seed=7/);
  // Only what differs from the defaults (and the seed): the default width is left out.
  assert.doesNotMatch(hash, /genWidth/);
  assert.match(hash, /lrD=0\.002/);
  const other = await openPage(env, hash);
  const b = await lossesAt(other.page, 300);
  assert.deepEqual(b, a);
  // Another seed is another run.
  const third = await openPage(env, hash.replace('seed=7', 'seed=8'));
  const c3 = await lossesAt(third.page, 300);
  assert.notEqual(c3.lossD, a.lossD);
  // A change in the controls is written to the link at once.
  await page.selectOption('#loss', 'leastSquares');
  await page.waitForFunction(() => /loss=leastSquares/.test(location.hash));
  // A drawing travels in the link too.
  await page.evaluate(() => window.playground.configure({ dataset: 'drawn', points: [[0, 0], [1, 1.25], [-1, 0.5]] }));
  const drawn = await page.evaluate(() => location.hash);
  assert.match(drawn, /points=0%2C0%3B1%2C1\.25%3B-1%2C0\.5/);
  const d = await openPage(env, drawn);
  assert.deepEqual(await d.page.evaluate(() => window.playground.config().points), [[0, 0], [1, 1.25], [-1, 0.5]]);
  for (const p of [problems, other.problems, third.problems, d.problems]) assert.deepEqual(p, []);
  for (const p of [page, other.page, third.page, d.page]) await p.close();
});

test('bad links: each bad setting is ignored with a notice, nothing is injected, the page trains', async () => {
  const cases = [
    ['#batchSize=0', /ignored batchSize = "0": batchSize = 0 is out of range/],
    ['#batchSize=-3', /ignored batchSize = "-3"/],
    ['#lrD=1e9', /ignored lrD = "1e9": lrD = 1000000000 is out of range \(1e-7 to 1\)/],
    ['#zDim=0&genWidth=64', /ignored zDim = "0"/],
    ['#zDim=100000', /ignored zDim = "100000"/],
    ['#loss=wasserstein', /ignored loss = "wasserstein": "wasserstein" is not one of minimax, nonSaturating, maxLikelihood, leastSquares, wganGp, hinge/],
    ['#seed=abc', /ignored seed = "abc": seed must be a plain decimal number/],
    ['#lossy=1', /ignored unknown setting "lossy"/],
    ['#dataset=ring8&lrG=%E0%A4%A', /not valid URL encoding/],
    ['#%FF%FE%00garbage&&&==', /not valid URL encoding/],
    ['#dataset=drawn', /ignored dataset = "drawn": dataset "drawn" needs at least 2 points/],
    ['#dataset=drawn&points=0,0', /needs at least 2 points to learn from, and has 1/],
    ['#dataset=drawn&points=0,0;1', /points must be x,y pairs/],
    ['#slowMotion=maybe', /slowMotion must be true or false/],
    ['#loss=hinge&compare=minimax', /ignored the link's settings: a twin run/],
    ['#batchSize=1' + '0'.repeat(400), /ignored batchSize/],
    ['#' + 'x'.repeat(70000), /too long/],
    ['#seed=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E', /ignored seed = "<script>window.pwned=1<\/script>"/],
    ['#dataset=%22%3E%3Cimg%20src%3Dx%20onerror%3D%22window.pwned%3D1%22%3E', /ignored dataset = "\\">\<img src=x onerror=/],
    ['#loss=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E&backend=%3Cscript%3E', /ignored loss = "<img src=x onerror=window.pwned=1>"[\s\S]*ignored backend = "<script>"/],
  ];
  for (const [hash, want] of cases) {
    const { page, problems } = await openPage(env, hash);
    await page.waitForSelector('#notice:not([hidden])');
    const notice = await page.textContent('#notice');
    assert.match(notice, want, `${hash.slice(0, 60)}: ${notice}`);
    const s = await page.evaluate(() => window.playground.step(5));
    assert.equal(s.step, 5, `${hash.slice(0, 60)} still trains`);
    assert.ok(Number.isFinite(s.lossD) && Number.isFinite(s.lossG));
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0, 'no element injected');
    assert.equal(await page.evaluate(() => window.pwned), undefined, 'no script ran');
    assert.deepEqual(problems, [], hash.slice(0, 60));
    await page.close();
  }
  // The good settings of a partly bad link are kept.
  const { page } = await openPage(env, '#seed=11&batchSize=0&loss=minimax');
  const c = await page.evaluate(() => window.playground.config());
  assert.equal(c.seed, 11);
  assert.equal(c.loss, 'minimax');
  assert.equal(c.batchSize, 256);
  await page.close();
});

test('embeds: <name>_hide=true hides that control, hideText=true the prose, and both stay in the link', async () => {
  const { page, problems } = await openPage(env, '#loss_hide=true&play_hide=true&hideText=true&seed=3');
  assert.equal(await page.isVisible('#loss'), false);
  assert.equal(await page.isVisible('#play'), false);
  assert.equal(await page.isVisible('#data-thumbs'), true);
  assert.equal(await page.isVisible('.lede'), false);
  assert.equal(await page.isVisible('footer'), false);
  assert.equal(await page.isVisible('#plane'), true);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /loss_hide=true/);
  assert.match(hash, /hideText=true/);
  assert.equal((await page.evaluate(() => window.playground.step(3))).step, 3, 'the JS API works on an embed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('two <gan-playground> elements on one blog page run independently, each with its own API', async () => {
  const page = await env.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setViewportSize({ width: 760, height: 1600 });
  await page.goto(new URL("tests/e2e/fixtures/embed.html", env.url).href);
  const api = (id) => `document.getElementById('${id}').playground`;
  await page.waitForFunction(() => ['a', 'b'].every((id) => { const p = document.getElementById(id).playground; return p && p.ready; }), null, { timeout: 60000 });
  const [ca, cb] = await page.evaluate(`Promise.all([${api('a')}.config(), ${api('b')}.config()])`);
  assert.deepEqual([ca.dataset, ca.loss, ca.seed, ca.probeEvery], ['grid25', 'minimax', 3, 0]);
  assert.deepEqual([cb.dataset, cb.loss, cb.seed, cb.theoryEvery], ['ring8', 'nonSaturating', 9, 0]);
  const sa = await page.evaluate(`${api('a')}.step(40)`);
  const sb0 = await page.evaluate(`${api('b')}.stats()`);
  assert.equal(sa.step, 40);
  assert.equal(sb0.step, 0, 'training one embed leaves the other alone');
  // Embed a hides its loss control, its Play button and its prose; b hides nothing.
  const frame = (i) => page.frames()[i + 1];
  assert.equal(await frame(0).isVisible('#loss'), false);
  assert.equal(await frame(0).isVisible('#play'), false);
  assert.equal(await frame(0).isVisible('.lede'), false);
  assert.equal(await frame(1).isVisible('#loss'), true);
  // Embed b's img. attributes started its image run with those settings.
  await frame(1).waitForFunction(() => window.playground.images.full !== null, null, { timeout: 30000 });
  assert.deepEqual(await frame(1).evaluate(() => [window.playground.images.full.arch, window.playground.images.full.batchSize]), ['mlp', 32]);
  assert.equal(await frame(0).evaluate(() => window.playground.images), null, 'embed a has no image run (its lab was never loaded)');
  // Each frame's share panel offers the same run as an element snippet.
  const snippet = await frame(0).inputValue('#share-element');
  assert.match(snippet, /<gan-playground[^>]* dataset="grid25"[^>]* loss="minimax"/);
  assert.match(snippet, /seed="3"/);
  await page.screenshot({ path: 'test-results/embeds.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page fits a 360 px column: no sideways scrolling, the plane visible', async () => {
  const { page, problems } = await openPage(env);
  await page.setViewportSize({ width: 360, height: 800 });
  const [scroll, plane] = await page.evaluate(() => [document.scrollingElement.scrollWidth, document.getElementById('plane').getBoundingClientRect().width]);
  assert.ok(scroll <= 360, `page is ${scroll} px wide`);
  assert.ok(plane > 250 && plane <= 340, `plane ${plane} px`);
  await page.screenshot({ path: 'test-results/narrow-360.png', fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the image run is in the link too (img. keys): the link reproduces it, bad keys get a notice', async () => {
  const { page, problems } = await openPage(env, '#seed=3&img.arch=mlp&img.seed=5&img.batchSize=16&img.truncation=0.8&img.interpolation=lerp&img.bogus=1&img.lrD=9&img.zDim=%3Cscript%3E');
  // The notices are shown once both runs have started.
  await page.waitForSelector('#notice:not([hidden])', { timeout: 30000 });
  const st = await page.evaluate(() => window.playground.images.stats());
  assert.deepEqual([st.arch, st.truncation, st.interpolation], ['mlp', 0.8, 'lerp']);
  assert.equal(await page.evaluate(() => window.playground.images.full.seed), 5);
  assert.equal(await page.evaluate(() => window.playground.images.full.lrD), 5e-4, 'the bad lrD was left out');
  const notice = await page.textContent('#notice');
  assert.match(notice, /image run: ignored unknown setting "img\.bogus"/);
  assert.match(notice, /image run: ignored lrD = "9"/);
  assert.match(notice, /image run: ignored zDim = "<script>"/);
  assert.equal(await page.locator('#notice script').count(), 0, 'nothing was injected');
  assert.equal((await page.evaluate(() => window.playground.config())).seed, 3, 'the 2-D part of the link still applies');
  // The page rewrote the hash with both runs' settings; that link opens the same image run.
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&img\.arch=mlp&/);
  assert.match(hash, /img\.truncation=0\.8/);
  assert.doesNotMatch(hash, /bogus/);
  // The share panel's element snippet carries the image run as img. attributes.
  const snippet = await page.inputValue('#share-element');
  assert.match(snippet, / img\.arch="mlp"/);
  assert.match(snippet, / img\.batch-size="16"/);
  assert.match(snippet, / img\.truncation="0\.8"/);
  const steps = (p) => p.evaluate(async () => {
    const s = await window.playground.images.step(4);
    return [s.step, s.lossD, s.lossG];
  });
  const a = await steps(page);
  const other = await openPage(env, hash);
  await other.page.waitForFunction(() => window.playground.images.full !== null, null, { timeout: 30000 });
  assert.deepEqual(await steps(other.page), a, 'same seed, same losses at round 4');
  // A change of truncation is written to the link at once.
  await other.page.evaluate(() => window.playground.images.setTruncation(1.5));
  assert.match(await other.page.evaluate(() => location.hash), /img\.truncation=1\.5/);
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});
