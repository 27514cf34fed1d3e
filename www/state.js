// The page's state: one object holding every setting, the seed included. Everything that
// changes a run goes through here, so that a later URL hash (and embeds) can serialise it.

/** Page-level keys that are not part of the engine's config. */
export const PAGE_KEYS = ['backend', 'stepsPerFrame'];

/**
 * Backends a user may ask for: auto (the fastest real one), cpu (the faster CPU backend in
 * wasm: burn-ndarray), flex (burn-flex in wasm, for comparison), webgpu (burn-wgpu on WebGPU).
 */
export const BACKENDS = ['auto', 'cpu', 'flex', 'webgpu'];

/** The page's defaults for its own keys. */
export const PAGE_DEFAULTS = { backend: 'auto', stepsPerFrame: 0 };

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
  return { engine, page };
}
