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
