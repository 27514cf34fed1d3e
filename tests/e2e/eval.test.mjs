// End-to-end: the evaluation lab in the page. The held-out digits measured against themselves
// give the ideal figures (FID 0, precision and recall 1); the page's figures equal the native
// command line's (`images eval`, the same engine code) on the same sample set; the lab's table
// places a set beside training digits, one digit and noise; bad input gets a message and the
// image run still trains.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { openPage, start } from '../../scripts/lib/browser.mjs';

let env;
before(async () => {
  mkdirSync('test-results', { recursive: true });
  env = await start({ webgpu: false });
});
after(async () => env && env.close());

const close = (got, want, rel, what) => {
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-9), `${what}: ${got} in the page, ${want} natively`);
};

test('held-out digits against themselves: FID 0, precision and recall 1, IS of real digits', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  const f = await page.evaluate(() => window.playground.evaluate({ run: 'test', n: 997, metrics: 'fid,pr,is,digits' }));
  assert.equal(f.samples, 997);
  assert.ok(Math.abs(f.fid) < 1e-6, `FID(test, test) = ${f.fid}`);
  assert.equal(f.precision, 1);
  assert.equal(f.recall, 1);
  assert.ok(f.is.mean > 8.5 && f.is.mean < 10, JSON.stringify(f.is));
  assert.equal(f.digits.covered, 10);
  assert.equal(f.kid, undefined, 'only the metrics asked for');
  assert.deepEqual(problems, []);
});

test('the page computes what the command line computes on the same samples', async () => {
  const bin = join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/gan-playground/target'), 'release', 'images');
  assert.ok(existsSync(bin), `${bin}: the native tests build it (scripts/test.sh runs them first)`);
  const native = JSON.parse(execFileSync(bin, ['eval', '--baseline', 'train', '--n', '500', '--seed', '3'], { encoding: 'utf8' }));
  const { page } = await openPage(env, '#lab=eval');
  const f = await page.evaluate(() => window.playground.evaluate({ run: 'train', n: 500, seed: 3 }));
  assert.equal(f.samples, 500);
  close(f.is.mean, native.is.mean, 1e-4, 'IS');
  close(f.fid, native.fid, 1e-4, 'FID');
  close(f.kid.mean, native.kid.mean, 1e-3, 'KID');
  close(f.parzen.mean, native.parzen.mean, 1e-4, 'Parzen');
  assert.equal(f.parzen.sigma, native.parzen.sigma);
  for (const k of ['precision', 'recall', 'density', 'coverage']) {
    assert.ok(Math.abs(f[k] - native[k]) <= 0.004, `${k}: ${f[k]} in the page, ${native[k]} natively`);
  }
  assert.deepEqual(f.digits.histogram, native.digits.histogram);
});

test('the lab: Evaluate shows a table beside training digits, one digit and noise', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => window.playground && window.playground.ready);
  await page.selectOption('#ev-source', 'current');
  await page.selectOption('#ev-n', '500');
  await page.uncheck('#ev-m-parzen');
  await page.click('#ev-run');
  await page.waitForSelector('#ev-table:not([hidden])', { timeout: 120000 });
  const header = await page.$$eval('#ev-table thead th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(header.slice(2), ['training digits', 'one digit only (1s)', 'uniform noise']);
  assert.match(header[1], /^this run, round 0 \(500\)$/);
  const rows = await page.$$eval('#ev-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.metric, Array.from(tr.cells).map((c) => c.textContent)])));
  assert.equal(rows['FID ↓'][0], 'FID ↓', 'the label carries which way is better');
  assert.equal(rows['Parzen log-likelihood (nats) ↑'], undefined, 'unchecked metrics are left out');
  const fid = rows['FID ↓'].slice(1).map(Number);
  assert.ok(fid[1] < 2, `FID of training digits ${fid[1]}`);
  assert.ok(fid[2] > 20 && fid[3] > 100, `one digit ${fid[2]}, noise ${fid[3]}`);
  assert.ok(fid[0] > fid[1], 'an untrained generator is further than real digits');
  assert.match(rows['digits covered (entropy, bits) ↑'][3], /^1 \(0\.[01]\d\)$/, 'one digit: one covered, entropy near 0');
  assert.match(rows['digits covered (entropy, bits) ↑'][2], /^10 \(3\.3\d\)$/, 'training digits: all ten');
  assert.equal(await page.isHidden('#ev-progress'), true);
  await page.screenshot({ path: 'test-results/eval-lab.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('bad input: a message each, nothing lost, the image run still trains', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  const err = (args) => page.evaluate((a) => window.playground.evaluate(a).then(() => 'resolved', (e) => e.message), args);
  assert.equal(await err({ run: 'test', n: 20000 }), 'the sample count must be a whole number from 10 to 10000, not 20000');
  assert.equal(await err({ run: 'test', n: 5000 }), '5000 samples asked for; the held-out digits hold 997');
  assert.match(await err({ run: 'train', n: 100, metrics: 'fid,bogus' }), /metrics: some of is, fid, .* not \["bogus"\]/);
  assert.match(await err({ run: 'digit11', n: 100 }), /unknown sample set "digit11"/);
  assert.match(await err({ run: 'file', n: 100, bytes: new Uint8Array([1, 2, 3]) }), /not an image run|too short|magic|file/i);
  // The UI: a saved run not chosen yet.
  await page.selectOption('#ev-source', 'train');
  await page.evaluate(() => { document.getElementById('ev-source').value = 'file'; });
  await page.click('#ev-run');
  assert.equal(await page.textContent('#ev-error'), 'Evaluation: choose a saved image run (.ganimg) first');
  // The image run trains on after the refusals.
  const s = await page.evaluate(() => window.playground.images.step(2));
  assert.equal(s.step, 2);
  const ok = await page.evaluate(() => window.playground.evaluate({ run: 'current', n: 100, metrics: ['is', 'digits'] }));
  assert.equal(ok.step, 2);
  assert.equal(ok.samples, 100);
  writeFileSync('test-results/eval-bad-input.txt', JSON.stringify(ok));
  assert.deepEqual(problems, []);
});

test('metrics over training: recorded every N rounds while the run plays, charted; the truncation sweep', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  await page.waitForFunction(() => window.playground && window.playground.ready);
  await page.evaluate(() => window.playground.configure({ mode: 'images', arch: 'mlp', seed: 4 }));
  await page.evaluate(() => window.playground.images.play());
  await page.waitForFunction(() => /^([3-9]|\d{2,}) records/.test(document.getElementById('ev-track-note').textContent), null, { timeout: 120000 });
  await page.evaluate(() => window.playground.images.pause());
  const records = await page.evaluate(() => window.playground.metricsOverTraining());
  assert.ok(records[1].step - records[0].step >= 20 && records[2].step - records[1].step >= 20, `records at rounds ${records.map((r) => r.step)}`);
  for (const r of records) {
    assert.ok(Number.isFinite(r.fid) && r.fid >= 0 && r.is >= 1 && r.precision >= 0 && r.recall <= 1, JSON.stringify(r));
  }
  assert.match(await page.textContent('#ev-track-note'), /^\d+ records, every \d+ rounds on 500 samples; measuring took [\d.]+ % of the time$/);
  const inked = await page.evaluate(() => {
    const c = document.getElementById('ev-chart-fid');
    const d = c.getContext('2d').getImageData(0, 40, c.width, c.height - 60).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 120 && d[i + 2] < 80) n += 1;
    return n;
  });
  assert.ok(inked > 20, `the FID line is drawn (${inked} orange pixels)`);
  // The sweep: tighter thresholds, measured on the same run.
  const rows = await page.evaluate(() => window.playground.truncationSweep({ n: 200, thresholds: [null, 1, 0.25] }));
  assert.deepEqual(rows.map((r) => r.truncation), [null, 1, 0.25]);
  for (const r of rows) assert.ok(r.precision >= 0 && r.precision <= 1 && r.recall >= 0 && r.recall <= 1 && r.fid > 0, JSON.stringify(r));
  const bad = await page.evaluate(() => window.playground.truncationSweep({ thresholds: [0.01] }).then(() => 'resolved', (e) => e.message));
  assert.match(bad, /thresholds: a list of null \(no truncation\) or numbers from 0.05 to 10/);
  await page.evaluate(() => window.playground.open('eval'));
  await page.screenshot({ path: 'test-results/eval-tracks.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('real or fake? the quiz: a seeded deck, keys and buttons, error rates with intervals, the machines beside the person, CSVs combined', async () => {
  const { page, problems } = await openPage(env, '#lab=eval');
  await page.waitForFunction(() => window.playground && window.playground.ready);
  const started = await page.evaluate(() => window.playground.quiz().then((q) => q.start({ seed: 3 })));
  assert.equal(started.cards, 100);
  const kinds = await page.evaluate(() => window.playground.quiz().then((q) => q.kinds()));
  assert.equal(kinds.filter((k) => k === 'real').length, 50);
  assert.notDeepEqual(kinds.slice(0, 10), Array(10).fill(kinds[0]), 'shuffled');
  // The same seed and round, the same deck.
  const again = await page.evaluate(() => window.playground.quiz().then((q) => q.start({ seed: 3 }).then((s) => [s.deck, q.kinds()])));
  assert.equal(again[0], started.deck);
  assert.deepEqual(again[1], kinds);
  // Keys: R answers the shown card.
  await page.keyboard.press('r');
  assert.equal(await page.textContent('#quiz-progress'), '2 / 100');
  await page.click('#quiz-fake');
  assert.equal(await page.textContent('#quiz-progress'), '3 / 100');
  // Calling everything real: no error on real digits, every generated one missed, 50 % overall.
  const r = await page.evaluate(async () => {
    const q = await window.playground.quiz();
    while (!q.answer('real').done);
    return q.results();
  });
  const given = kinds.map((_, i) => (i === 1 ? 'fake' : 'real'));
  const wrong = (kind) => kinds.filter((k, i) => k === kind && given[i] !== k).length / 50;
  assert.equal(r.n, 100);
  assert.equal(r.real, wrong('real'));
  assert.equal(r.fake, wrong('fake'));
  assert.equal(r.overall, (wrong('real') + wrong('fake')) / 2);
  assert.ok(r.real <= 0.02 && r.fake >= 0.98, JSON.stringify(r));
  assert.ok(r.ci.overall[0] <= r.overall && r.overall <= r.ci.overall[1] && r.ci.overall[1] - r.ci.overall[0] > 0.1, JSON.stringify(r.ci));
  assert.match(await page.textContent('#quiz-result'), /^Your error rate: \d+\.\d % \[\d+\.\d %, \d+\.\d %\] overall/);
  // The machines took the same deck: the untrained run's fog is no contest for the two-sample
  // test; D calls the higher-scoring half real.
  const m = await page.evaluate(() => window.playground.quiz().then((q) => q.machines()));
  assert.equal(m.d.n, 100);
  assert.equal(m.d.real, m.d.fake, 'half called real: as many real ones missed as fakes taken');
  assert.equal(m.c2st.n, 100);
  assert.equal(m.c2st.train + m.c2st.test, 1000);
  assert.ok(m.c2st.accuracy >= 0.95 && m.c2st.pValue < 1e-6, JSON.stringify(m.c2st));
  assert.ok(m.c2st.overall <= 0.05, JSON.stringify(m.c2st));
  assert.ok(m.d.overall >= 0 && m.d.overall <= 1 && Math.abs(m.d.overall - (m.d.real + m.d.fake) / 2) < 1e-12);
  await page.waitForSelector('#quiz-machines:not([hidden])');
  const table = await page.$$eval('#quiz-machines tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(table.map((r) => r[0].replace(/ \(.*/, '')), ['you', 'the run\'s D', 'two-sample test']);
  assert.equal(table[0][1].split(' ')[0], `${(100 * r.overall).toFixed(1)}`);
  assert.equal(table[2][1].split(' ')[0], `${(100 * m.c2st.overall).toFixed(1)}`);
  // CSVs: two people combine; another deck's file and a stranger file are refused by name.
  const out = await page.evaluate(async () => {
    const q = await window.playground.quiz();
    const mine = q.csv();
    const lines = mine.trim().split('\n');
    const flipped = [lines[0], ...lines.slice(1).map((l) => l.replace(/,(real|fake),(\d+)$/, (m, a, ms) => `,${a === 'real' ? 'fake' : 'real'},${ms}`))].join('\n');
    const other = mine.replaceAll(/^s3-/gm, 's4-');
    const msg = (files) => { try { q.combine(files); return 'combined'; } catch (e) { return e.message; } };
    return {
      rows: lines.length,
      both: q.combine([{ name: 'ann.csv', text: mine }, { name: 'bob.csv', text: flipped }]),
      other: msg([{ name: 'ann.csv', text: mine }, { name: 'cy.csv', text: other }]),
      stranger: msg([{ name: 'x.csv', text: 'a,b\n1,2\n' }]),
    };
  });
  assert.equal(out.rows, 101);
  assert.equal(out.both.evaluators, 2);
  assert.ok(Math.abs(out.both.overall - 0.5) < 1e-9, 'a person and their opposite average 50 %');
  assert.match(out.other, /^cy\.csv: answers to deck s4-r0-[0-9a-f]{8}, not to this quiz's deck s3-r0-[0-9a-f]{8}$/);
  assert.match(out.stranger, /^x\.csv: not a quiz CSV/);
  // Timed: the digit is masked after its exposure; a bad exposure is refused.
  await page.evaluate(() => window.playground.quiz().then((q) => q.start({ seed: 5, mode: 'timed', exposureMs: 100 })));
  await page.waitForFunction(() => {
    const d = document.getElementById('quiz-canvas').getContext('2d').getImageData(84, 84, 1, 1).data;
    return d[0] === 107 && d[1] === 114 && d[2] === 128;
  }, null, { timeout: 10000 });
  const bad = await page.evaluate(() => window.playground.quiz().then((q) => q.start({ mode: 'timed', exposureMs: 42 })).then(() => 'started', (e) => e.message));
  assert.equal(bad, 'exposureMs: one of 100, 250, 500, 1000 for a timed quiz, not 42');
  assert.deepEqual(problems, []);
});

test('the link: the lab\'s settings come from ev. keys, bad ones are said, changes are written back', async () => {
  const { page, problems } = await openPage(env, '#lab=eval&ev.source=train&ev.n=500&ev.metrics=fid,kid&ev.quiz=timed&ev.exposure=100&ev.seed=9&ev.bogus=1&ev.n=7');
  await page.waitForFunction(() => window.playground && window.playground.ready);
  assert.equal(await page.inputValue('#ev-source'), 'train');
  assert.equal(await page.inputValue('#ev-n'), '500', 'the good n stands; the bad one after it is left out');
  assert.equal(await page.isChecked('#ev-m-fid'), true);
  assert.equal(await page.isChecked('#ev-m-is'), false);
  assert.equal(await page.inputValue('#quiz-mode'), 'timed');
  assert.equal(await page.inputValue('#quiz-exposure'), '100');
  assert.equal(await page.inputValue('#quiz-seed'), '9');
  const notice = await page.textContent('#notice');
  assert.match(notice, /ignored ev\.bogus: the evaluation lab has no such setting/);
  assert.match(notice, /ignored ev\.n = "7": expected one of 500, 1000, 2000, 5000/);
  await page.selectOption('#ev-n', '1000');
  await page.waitForFunction(() => location.hash.includes('ev.n=1000'));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /lab=eval/);
  assert.match(hash, /ev\.source=train/);
  assert.match(hash, /ev\.metrics=fid,kid/);
  assert.doesNotMatch(hash, /ev\.bogus/);
  assert.deepEqual(problems, []);
});
