// The quiz's page: start a deck, show one digit at a time (masked after the exposure in the
// timed mode), take R / F keys or the buttons, then the error rates with their intervals beside
// the machines' (the run's D and the classifier two-sample test, which take the same deck while
// the person does), the answers as CSV, and several people's CSVs combined.

import { download } from '../app/download.js';
import { digitCanvas } from '../views/digits.js';
import { Quiz, combine, makeDeck, results } from './quiz.js';

const pct = (v) => `${(100 * v).toFixed(1)} %`;
const interval = (ci) => `[${pct(ci[0])}, ${pct(ci[1])}]`;

/** Wires the quiz block to the image lab's session; returns its API (start, answer, ...). */
export function mountQuiz(images, ensureRun, showError) {
  const $ = (id) => document.getElementById(id);
  let quiz = null;
  let maskTimer = null;
  /** The machines' results on the current deck (a promise). */
  let machines = null;

  function show() {
    const canvas = $('quiz-canvas');
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    clearTimeout(maskTimer);
    const card = quiz && quiz.current;
    $('quiz-progress').textContent = quiz ? `${Math.min(quiz.answers.length + 1, quiz.deck.cards.length)} / ${quiz.deck.cards.length}` : '';
    if (!card) return;
    ctx.drawImage(digitCanvas(card.pixels, 0), 0, 0, canvas.width, canvas.height);
    if (quiz.mode === 'timed') {
      maskTimer = setTimeout(() => {
        ctx.fillStyle = '#6b7280';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
      }, quiz.exposureMs);
    }
  }

  /** The machines' answers ({d, c2st}: real images first) as results, each with its error rates and intervals. */
  function machineResults(nReal, m) {
    const as = (answers) => answers.map((answer, i) => ({ kind: i < nReal ? 'real' : 'fake', answer }));
    return {
      d: { ...results(as(m.d.answers)), threshold: m.d.threshold },
      c2st: { ...results(as(m.c2st.answers)), accuracy: m.c2st.accuracy, pValue: m.c2st.pValue, train: m.c2st.train, test: m.c2st.test },
    };
  }

  function showMachines(r, m) {
    const row = (who, x) => {
      const tr = document.createElement('tr');
      const cells = [who, `${pct(x.overall)} ${interval(x.ci.overall)}`, pct(x.real), pct(x.fake)];
      tr.replaceChildren(...cells.map((c, i) => Object.assign(document.createElement(i ? 'td' : 'th'), { textContent: c })));
      return tr;
    };
    const p = m.c2st.pValue < 1e-4 ? m.c2st.pValue.toExponential(1) : m.c2st.pValue.toFixed(4);
    $('quiz-machines').tBodies[0].replaceChildren(
      row('you', r),
      row('the run\'s D', m.d),
      row(`two-sample test (accuracy ${pct(m.c2st.accuracy)}, p = ${p})`, m.c2st),
    );
    $('quiz-machines').hidden = false;
    $('quiz-machines-note').hidden = false;
  }

  function finish() {
    const r = quiz.results();
    const deck = quiz.deck.id;
    machines.then((m) => { if (quiz && quiz.deck.id === deck) showMachines(r, m); }, () => {});
    $('quiz-card').hidden = true;
    $('quiz-csv').hidden = false;
    $('quiz-result').textContent = `Your error rate: ${pct(r.overall)} ${interval(r.ci.overall)} overall (50 % = you cannot tell them apart); `
      + `on real digits ${pct(r.real)} ${interval(r.ci.real)}, on generated ones ${pct(r.fake)} ${interval(r.ci.fake)} `
      + `(95 % bootstrap intervals; deck ${quiz.deck.id}, ${quiz.mode === 'timed' ? `each shown ${quiz.exposureMs} ms` : 'HYPE∞, no time limit'}).`;
  }

  /** Starts a quiz: {seed, mode: 'infinity' | 'timed', exposureMs, evaluator}. */
  async function start({ seed = 1, mode = 'infinity', exposureMs = null, evaluator = 'me' } = {}) {
    Quiz.check(mode, exposureMs); // before any work
    await ensureRun();
    const pictures = await images.exclusive(() => images.session.quizDeck({ seed }));
    const deck = makeDeck(pictures, seed);
    quiz = new Quiz(deck, { mode, exposureMs, evaluator });
    // The machines take the same deck while the person does.
    machines = images.exclusive(() => images.session.quizMachines({ real: pictures.real, fake: pictures.fake, seed }))
      .then((m) => machineResults(pictures.real.length / 784, m));
    machines.catch((e) => showError(`the machines could not take the quiz: ${e.message}`));
    $('quiz-machines').hidden = true;
    $('quiz-machines-note').hidden = true;
    $('quiz-card').hidden = false;
    $('quiz-csv').hidden = true;
    // An untrained generator's fog is easy to spot: say so, and let the quiz run.
    $('quiz-result').textContent = deck.step < 200
      ? `The image run is at round ${deck.step}: its samples are easy to tell apart. Train it first (Image GANs tab) for a fair quiz.`
      : '';
    show();
    return { deck: deck.id, cards: deck.cards.length, step: deck.step };
  }

  /** Answers the current card ('real' or 'fake'); resolves to {right, done}. */
  function answer(a) {
    if (!quiz) throw new Error('no quiz started: start() first');
    const right = quiz.answer(a);
    if (quiz.done) finish();
    else show();
    return { right, done: quiz.done };
  }

  $('quiz-start').addEventListener('click', () => {
    showError(null);
    const mode = $('quiz-mode').value;
    start({ seed: Number($('quiz-seed').value), mode, exposureMs: mode === 'timed' ? Number($('quiz-exposure').value) : null })
      .catch((e) => showError(e.message));
  });
  for (const [id, a] of [['quiz-real', 'real'], ['quiz-fake', 'fake']]) $(id).addEventListener('click', () => answer(a));
  document.addEventListener('keydown', (e) => {
    if (!quiz || quiz.done || $('quiz-card').hidden || e.target.closest('input, select, textarea')) return;
    const k = e.key.toLowerCase();
    if (k === 'r' || k === 'f') {
      e.preventDefault();
      answer(k === 'r' ? 'real' : 'fake');
    }
  });
  $('quiz-csv').addEventListener('click', () => download(`quiz-${quiz.deck.id}.csv`, new Blob([quiz.csv()], { type: 'text/csv' })));
  $('quiz-load').addEventListener('change', async () => {
    showError(null);
    try {
      const files = await Promise.all([...$('quiz-load').files].map(async (f) => ({ name: f.name, text: await f.text() })));
      $('quiz-combined').textContent = describeCombined(combineFiles(files));
    } catch (e) {
      showError(e.message);
    }
    $('quiz-load').value = '';
  });

  function combineFiles(files) {
    if (!quiz) throw new Error('start the quiz first: answers combine with the deck they were given');
    return combine(files, quiz.deck.id);
  }

  function describeCombined(c) {
    return `${c.evaluators} evaluators: error rate ${pct(c.overall)} ${interval(c.ci.overall)} overall, `
      + `${pct(c.real)} on real, ${pct(c.fake)} on generated (95 % intervals bootstrapped over evaluators).`;
  }

  return {
    start,
    answer,
    results: () => (quiz ? quiz.results() : null),
    /** The machines' results on the deck: {d, c2st}, each {real, fake, overall, n, ci, ...}. */
    machines: () => (machines || Promise.reject(new Error('no quiz started: start() first'))),
    csv: () => (quiz ? quiz.csv() : null),
    combine: (files) => combineFiles(files),
    get current() { return quiz && quiz.current ? { position: quiz.answers.length } : null; },
    /** The kinds of the deck's cards in order (for tests and demonstrations). */
    kinds: () => (quiz ? quiz.deck.cards.map((c) => c.kind) : []),
  };
}
