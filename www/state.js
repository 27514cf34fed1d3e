// The page's state: one object holding every setting, the seed included. Everything that
// changes a run goes through here, so that a later URL hash (and embeds) can serialise it.

/** Page-level keys that are not part of the engine's config. */
export const PAGE_KEYS = ['backend', 'stepsPerFrame', 'compare', 'probeEvery', 'theoryEvery', 'slowMotion'];

/**
 * Generator losses a twin run may use: the ones whose discriminator is the same cross-entropy
 * classifier, so that the twins differ in nothing but the generator's cost.
 */
export const COMPARABLE = ['minimax', 'nonSaturating', 'maxLikelihood'];

/**
 * Backends a user may ask for: auto (the fastest real one), cpu (the faster CPU backend in
 * wasm: burn-flex), flex (the same, by name: links from before ndarray gave way to it),
 * ndarray (burn-ndarray in wasm, for comparison), webgpu (burn-wgpu on WebGPU).
 */
export const BACKENDS = ['auto', 'cpu', 'flex', 'ndarray', 'webgpu'];

/** The page's defaults for its own keys. */
export const PAGE_DEFAULTS = {
  backend: 'auto', stepsPerFrame: 0, compare: 'off', probeEvery: 25, theoryEvery: 100, slowMotion: false,
};

/**
 * The loss lab's preset: D trained alone for 500 steps, then minimax and non-saturating twins.
 * G uses plain SGD here: Adam divides each step by the gradient's running size and so hides a
 * vanishing gradient (with Adam the minimax twin recovers within a few dozen steps).
 */
export const STRONG_D_PRESET = {
  loss: 'minimax', compare: 'nonSaturating', dPretrain: 500, probeEvery: 10, genOptimizer: 'sgd', lrG: 0.05,
};

/**
 * The 2-D playground's mode-coverage preset: two D updates per round, 128-unit networks, and
 * learning rates that halve every 2,500 steps. With PacGAN's ring (radius 1, sd 0.01), 5,000
 * steps and the non-saturating loss it captured all 8 modes on each of seeds 1-5 with 90.5 %
 * high-quality samples on average (the defaults: 6.8 of 8, 59 %). On the grid of 25 that
 * captures ~16 modes; there the preset adds the R1 penalty on D's gradient at real points
 * (gamma 1; Mescheder et al., 2018) and a half-life of 7,500 steps: all 25 modes on each of
 * seeds 1-5 with 91 % high-quality samples after 30,000 steps (docs/mode-sweep.md;
 * BENCHMARKS.md measures both presets at their budgets, MODE_BUDGET).
 */
export const MODE_PRESET = { k: 2, genWidth: 128, discWidth: 128, lrHalfLife: 2500, r1Weight: 0 };
export const GRID_MODE_PRESET = { ...MODE_PRESET, lrHalfLife: 7500, r1Weight: 1 };
/** Steps the mode-coverage benchmark gives each preset (BENCHMARKS.md). */
export const MODE_BUDGET = { ring8: 5000, grid25: 30000 };

/** The mode-coverage preset for `dataset` (grid-25 has its own). */
export function modePreset(dataset) {
  return dataset === 'grid25' ? GRID_MODE_PRESET : MODE_PRESET;
}

/**
 * Splits a user config into the engine's part and the page's part, checking the page's keys.
 * @param {object} config
 * @returns {{engine: object, page: object}}
 */
export function splitConfig(config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error('invalid config: the config must be an object');
  }
  const engine = {};
  const page = {};
  for (const [k, v] of Object.entries(config)) {
    if (PAGE_KEYS.includes(k)) page[k] = v;
    else engine[k] = v;
  }
  if ('backend' in page && !BACKENDS.includes(page.backend)) {
    throw new Error(`invalid config: backend = ${JSON.stringify(page.backend)} is not one of ${BACKENDS.join(', ')}`);
  }
  if ('stepsPerFrame' in page) {
    const s = page.stepsPerFrame;
    if (!Number.isInteger(s) || s < 0 || s > 1000) {
      throw new Error('invalid config: stepsPerFrame must be an integer from 0 (automatic) to 1000');
    }
  }
  if ('probeEvery' in page) {
    const s = page.probeEvery;
    if (!Number.isInteger(s) || s < 0 || s > 100000) {
      throw new Error('invalid config: probeEvery must be an integer from 0 (no probe) to 100000');
    }
  }
  if ('theoryEvery' in page) {
    const s = page.theoryEvery;
    if (!Number.isInteger(s) || s < 0 || s > 100000) {
      throw new Error('invalid config: theoryEvery must be an integer from 0 (no readouts) to 100000');
    }
  }
  if ('slowMotion' in page && typeof page.slowMotion !== 'boolean') {
    throw new Error(`invalid config: slowMotion must be true or false, not ${JSON.stringify(page.slowMotion)}`);
  }
  if ('compare' in page && page.compare !== 'off') {
    if (!COMPARABLE.includes(page.compare)) {
      throw new Error(`invalid config: compare = ${JSON.stringify(page.compare)} is not one of off, ${COMPARABLE.join(', ')}`);
    }
    const loss = engine.loss ?? 'nonSaturating';
    if (!COMPARABLE.includes(loss)) {
      throw new Error(`invalid config: a twin run (compare = ${page.compare}) needs a cross-entropy loss on both sides, and loss = ${JSON.stringify(loss)}; pick minimax, nonSaturating or maxLikelihood`);
    }
  }
  return { engine, page };
}
