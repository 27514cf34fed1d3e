// The 2-D labs' presets: settings that set up an experiment of the notes in one click.

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
