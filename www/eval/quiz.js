// The "real or fake?" quiz (HYPE, Zhou et al. 2019): 50 held-out digits and 50 of the image
// run's samples in a seeded random order; HYPE∞ (no time limit) or timed (each image shown for a
// set time, then masked). The score is the error rate (50 % = people cannot tell), on real, on
// fake and overall, with a bootstrap 95 % interval; the answers download as CSV, and several
// people's CSVs of the same deck combine, the interval then bootstrapped over evaluators as
// HYPE does.

/** Images per kind, exposure times offered (ms), bootstrap resamples. */
export const QUIZ = { perKind: 50, exposures: [100, 250, 500, 1000], resamples: 2000 };
const CSV_HEAD = 'deck,evaluator,mode,exposureMs,position,kind,index,answer,ms';

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of the deck's images (quantised to bytes): the same images, the same id. */
function fingerprint(real, fake) {
  let h = 0x811c9dc5;
  for (const px of [real, fake]) {
    for (let i = 0; i < px.length; i += 1) {
      h ^= Math.round(px[i] * 255);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A deck from the engine's images ({real, fake, step}: 784 pixels each) and `seed`: its id
 * (seed, round, fingerprint) and its cards in a seeded order, {kind, index, pixels}.
 */
export function makeDeck({ real, fake, step }, seed) {
  const n = real.length / 784;
  const cards = [];
  for (let i = 0; i < n; i += 1) cards.push({ kind: 'real', index: i, pixels: real.subarray(i * 784, (i + 1) * 784) });
  for (let i = 0; i < fake.length / 784; i += 1) cards.push({ kind: 'fake', index: i, pixels: fake.subarray(i * 784, (i + 1) * 784) });
  const rnd = random(seed);
  for (let i = cards.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [cards[i], cards[j]] = [cards[j], cards[i]];
  }
  return { id: `s${seed}-r${step}-${fingerprint(real, fake)}`, seed, step, cards };
}

/** Error rates of answers [{kind, answer}]: on real (called fake), on fake (called real), overall. */
export function errorRates(answers) {
  const rate = (list) => (list.length ? list.filter((a) => a.answer !== a.kind).length / list.length : NaN);
  return {
    real: rate(answers.filter((a) => a.kind === 'real')),
    fake: rate(answers.filter((a) => a.kind === 'fake')),
    overall: rate(answers),
    n: answers.length,
  };
}

/** The 2.5 and 97.5 percentiles of `stat` over `resamples` bootstrap draws of `items`. */
export function bootstrap(items, stat, seed = 1, resamples = QUIZ.resamples) {
  const rnd = random(seed);
  const values = [];
  for (let r = 0; r < resamples; r += 1) {
    const draw = items.map(() => items[Math.floor(rnd() * items.length)]);
    const v = stat(draw);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const at = (q) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
  return [at(0.025), at(0.975)];
}

/** One person's results: error rates and a 95 % interval for each (answers resampled). */
export function results(answers) {
  const rates = errorRates(answers);
  const ci = {};
  for (const k of ['real', 'fake', 'overall']) ci[k] = bootstrap(answers, (d) => errorRates(d)[k]);
  return { ...rates, ci };
}

/** The answers as CSV (CSV_HEAD's columns). */
export function toCsv(deck, evaluator, mode, exposureMs, answers) {
  const rows = answers.map((a, i) => [deck.id, evaluator, mode, exposureMs ?? '', i, a.kind, a.index, a.answer, Math.round(a.ms)].join(','));
  return `${[CSV_HEAD, ...rows].join('\n')}\n`;
}

/**
 * Several people's CSVs of `deckId` combined: per evaluator their error rates, and the mean
 * error with a 95 % interval bootstrapped over evaluators. A file from another deck, or not a
 * quiz CSV, is refused with its name and why.
 */
export function combine(files, deckId) {
  const byEvaluator = new Map();
  for (const { name, text } of files) {
    const lines = String(text).trim().split(/\r?\n/);
    if (lines[0] !== CSV_HEAD) throw new Error(`${name}: not a quiz CSV (its first line should be "${CSV_HEAD}")`);
    for (const [i, line] of lines.slice(1).entries()) {
      const c = line.split(',');
      if (c.length !== 9 || !['real', 'fake'].includes(c[5]) || !['real', 'fake'].includes(c[7])) {
        throw new Error(`${name}: line ${i + 2} is not a quiz answer`);
      }
      if (c[0] !== deckId) throw new Error(`${name}: answers to deck ${c[0]}, not to this quiz's deck ${deckId}`);
      const key = `${name}/${c[1]}`;
      if (!byEvaluator.has(key)) byEvaluator.set(key, []);
      byEvaluator.get(key).push({ kind: c[5], answer: c[7] });
    }
  }
  if (byEvaluator.size === 0) throw new Error('no answers in the files');
  const people = [...byEvaluator].map(([who, answers]) => ({ who, ...errorRates(answers) }));
  const mean = (list, k) => list.reduce((s, p) => s + p[k], 0) / list.length;
  const out = { evaluators: people.length, people, ci: {} };
  for (const k of ['real', 'fake', 'overall']) {
    out[k] = mean(people, k);
    out.ci[k] = bootstrap(people, (d) => mean(d, k));
  }
  return out;
}

/** A quiz in progress: the deck, the answers so far, and when the current card was shown. */
export class Quiz {
  /** Throws with a message for a mode other than 'infinity' or 'timed', or a timed quiz's exposure not offered. */
  static check(mode, exposureMs) {
    if (!['infinity', 'timed'].includes(mode)) throw new Error(`mode: "infinity" or "timed", not ${JSON.stringify(mode)}`);
    if (mode === 'timed' && !QUIZ.exposures.includes(exposureMs)) throw new Error(`exposureMs: one of ${QUIZ.exposures.join(', ')} for a timed quiz, not ${JSON.stringify(exposureMs)}`);
  }

  constructor(deck, { mode = 'infinity', exposureMs = null, evaluator = 'me' } = {}) {
    Quiz.check(mode, exposureMs);
    Object.assign(this, { deck, mode, exposureMs: mode === 'timed' ? exposureMs : null, evaluator, answers: [], shownAt: performance.now() });
  }

  get current() { return this.deck.cards[this.answers.length] || null; }

  get done() { return this.answers.length === this.deck.cards.length; }

  /** Records `answer` ('real' or 'fake') for the current card; returns whether it was right. */
  answer(answer) {
    if (!['real', 'fake'].includes(answer)) throw new Error(`an answer is "real" or "fake", not ${JSON.stringify(answer)}`);
    const card = this.current;
    if (!card) throw new Error('the quiz is over');
    this.answers.push({ kind: card.kind, index: card.index, answer, ms: performance.now() - this.shownAt });
    this.shownAt = performance.now();
    return card.kind === answer;
  }

  results() { return results(this.answers); }

  csv() { return toCsv(this.deck, this.evaluator, this.mode, this.exposureMs, this.answers); }
}
