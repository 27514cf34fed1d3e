// The evaluation lab's engine side (in the training worker, beside the image session): the
// Evaluator (src/wasm/eval.rs: the shipped classifier, the digits, the held-out reference and
// its shipped statistics), made once, and the sample sets it measures: the current image run,
// a saved image run, or a set made without a generator (training or held-out digits, one digit,
// noise).

/** Samples are drawn in batches of this many, batch k with seed + k (as `images sample`). */
const BATCH = 500;
/** The sample sets made without a generator. */
export const BASELINES = ['train', 'test', 'noise', ...Array.from({ length: 10 }, (_, d) => `digit${d}`)];

let evaluator = null;
/** The Evaluator, made once (a failure is retried on the next call). */
export function theEvaluator(host) {
  if (!evaluator) {
    evaluator = (async () => {
      const [mod, cls, stats, digits] = await Promise.all([
        host.cpuBuild(),
        host.asset('classifier.bin', 'the digit classifier'),
        host.asset('real-stats.json', 'the held-out digits\' feature statistics'),
        host.asset('mnist.bin', 'the MNIST digits'),
      ]);
      return mod.Evaluator.create(cls, new TextDecoder().decode(stats), digits);
    })();
    evaluator.catch(() => { evaluator = null; });
  }
  return evaluator;
}

/** `n` of G's samples from seeded latents (truncated at `truncation` if given), in [0, 1]. */
export async function generatorSamples(trainer, n, seed, truncation) {
  const out = new Float32Array(n * 784);
  for (let k = 0, start = 0; start < n; k += 1, start += BATCH) {
    const m = Math.min(BATCH, n - start);
    const px = await trainer.images(trainer.seededLatents(m, seed + k, truncation ?? undefined));
    for (let i = 0; i < px.length; i += 1) out[start * 784 + i] = Math.min(1, Math.max(0, px[i]));
  }
  return out;
}

/** Checks a sample count: a whole number from 10 (the Inception Score's splits) to 10,000. */
export function checkCount(n) {
  if (!Number.isInteger(n) || n < 10 || n > 10000) {
    throw new Error(`the sample count must be a whole number from 10 to 10000, not ${JSON.stringify(n)}`);
  }
}

/** Training digits and run samples the two-sample test's classifier learns from (each). */
export const C2ST_SAMPLES = 1000;

/**
 * The "real or fake?" quiz taken by machines on the deck's images `deck` (784 pixels each,
 * half real, half the run's): the run's D, which ranks the deck by its score and calls the
 * higher-scoring half real (people are told half are real; D's scores have no reliable origin:
 * batch normalisation's running statistics shift them, and the WGAN critic has none), and the
 * classifier two-sample test, logistic regression on the classifier's features of C2ST_SAMPLES
 * training digits and as many of the run's samples (latents of seed + 104729, never the
 * deck's), which calls an image real when P(real) > 1/2. Answers are in the deck's order.
 */
export async function machineAnswers(ev, trainer, deck, { seed, truncation }) {
  const scores = await trainer.discriminate(deck);
  const sorted = Float64Array.from(scores).sort();
  const threshold = (sorted[(sorted.length >> 1) - 1] + sorted[sorted.length >> 1]) / 2;
  const d = { answers: Array.from(scores, (s) => (s > threshold ? 'real' : 'fake')), threshold };
  const sets = [];
  try {
    sets.push(await ev.prepare(ev.baseline('train', C2ST_SAMPLES, seed)));
    sets.push(await ev.prepare(await generatorSamples(trainer, C2ST_SAMPLES, seed + 104729, truncation)));
    sets.push(await ev.prepare(deck));
    const { probabilities, ...test } = ev.twoSampleTest(sets[0], sets[1], sets[2], seed);
    return { d, c2st: { ...test, answers: probabilities.map((p) => (p > 0.5 ? 'real' : 'fake')) } };
  } finally {
    sets.forEach((s) => s.free());
  }
}
