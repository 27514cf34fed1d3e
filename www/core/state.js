// The page's state, one schema for every section, each registered by the prefix of its keys
// in the link: the 2-D playground (and the loss lab, its other view) owns the keys without a
// prefix, the image lab the keys after `img.`. A section's settings are its engine config (the
// engine validates it) and its page keys (checked here); `lab` in the link says which lab the
// page shows. Pure data and checks: no DOM, no engine (the engine's worker imports it too).

/** The page-level keys of the 2-D labs that are not part of the engine's config. */
export const PAGE_KEYS = ['backend', 'stepsPerFrame', 'compare', 'probeEvery', 'theoryEvery', 'slowMotion'];

/**
 * Generator losses a twin run may use: the ones whose discriminator is the same cross-entropy
 * classifier, so that the twins differ in nothing but the generator's cost.
 */
export const COMPARABLE = ['minimax', 'nonSaturating', 'maxLikelihood'];

/**
 * A twin may also differ in the conditional switch alone (compare = 'conditional'): the same
 * config and seed with `conditional` flipped, on a mixture whose components are labels.
 */
export const CONDITIONAL_TWIN = 'conditional';

/** The mixtures whose components are a conditional run's labels, and how many they have. */
export const LABELLED_DATA = { ring8: 8, grid25: 25 };

/** The number of labels of a 2-D run's `config` (0 for an unconditional run). */
export const classesOf = (config) => (config && config.conditional ? LABELLED_DATA[config.dataset] || 0 : 0);

/** The config of a run's twin: the same, but for the generator loss or the conditional switch. */
export function twinConfig(config, compare) {
  return compare === CONDITIONAL_TWIN ? { ...config, conditional: !config.conditional } : { ...config, loss: compare };
}

/**
 * Backends a user may ask for: auto (the fastest real one), cpu (the faster CPU backend in
 * wasm: burn-flex), flex (the same, by name: links from before ndarray gave way to it),
 * ndarray (burn-ndarray in wasm, for comparison), webgpu (burn-wgpu on WebGPU).
 */
export const BACKENDS = ['auto', 'cpu', 'flex', 'ndarray', 'webgpu'];

/** The 2-D labs' defaults for their page keys. */
export const PAGE_DEFAULTS = {
  backend: 'auto', stepsPerFrame: 0, compare: 'off', probeEvery: 25, theoryEvery: 100, slowMotion: false,
};

/** What the 2-D plane reads of a run: the D heatmap's resolution, points per set, manifold lines. */
export const TOY2D_VIEW = { gridRes: 48, points: 512, manifoldRes: 21 };
/** A 2-D run keeps a snapshot every this many steps, or this many ms, whichever first. */
export const TOY2D_SNAPSHOTS = { every: 250, ms: 5000 };

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
  if (page.compare === CONDITIONAL_TWIN) {
    const data = engine.dataset ?? 'ring8';
    if (!(data in LABELLED_DATA)) {
      throw new Error(`invalid config: a conditional twin (compare = conditional) needs a mixture whose components are the labels (ring8 or grid25), and dataset = ${JSON.stringify(data)}`);
    }
  } else if ('compare' in page && page.compare !== 'off') {
    if (!COMPARABLE.includes(page.compare)) {
      throw new Error(`invalid config: compare = ${JSON.stringify(page.compare)} is not one of off, ${COMPARABLE.join(', ')}, ${CONDITIONAL_TWIN}`);
    }
    const loss = engine.loss ?? 'nonSaturating';
    if (!COMPARABLE.includes(loss)) {
      throw new Error(`invalid config: a twin run (compare = ${page.compare}) needs a cross-entropy loss on both sides, and loss = ${JSON.stringify(loss)}; pick minimax, nonSaturating or maxLikelihood`);
    }
  }
  return { engine, page };
}

/** The image lab's page keys (the rest go to the engine) and their defaults. */
export const IMAGE_PAGE_DEFAULTS = { backend: 'auto', truncation: null, interpolation: 'slerp' };

/** What the image lab shows: the grid (8 x 8, fixed latents), filmstrip frames, a digit's side. */
export const IMAGE_VIEW = { grid: 64, filmFrames: 32, side: 28 };
/**
 * The sample grid of a run's `config`: 8 x 8 fixed latents, or for a conditional run (cGAN,
 * ACGAN) one row per digit, 10 x 10, a column keeping its noise while the label changes.
 */
export const gridShape = (config) => (config && ['cgan', 'acgan'].includes(config.family) ? { n: 100, cols: 10 } : { n: IMAGE_VIEW.grid, cols: 8 });
/** Where the pad draws anchors A, B, C ([0, 1]^2, y down): the engine's PAD_ANCHORS. */
export const PAD_ANCHORS = [[0.15, 0.75], [0.85, 0.75], [0.5, 0.15]];
/** Half-width of a 2-D latent plane on the pad (the Gaussian's 99 % per axis; 1 for uniform). */
export const reachOf = (prior) => (prior === 'uniform' ? 1 : 2.5);
/** An image run keeps a snapshot every this many rounds, or this many ms, whichever first. */
export const IMAGE_SNAPSHOTS = { every: 100, ms: 10000 };
/** Samples the digit classifier judges, from fixed latents (this seed), and how often (ms). */
export const JUDGE = { samples: 256, seed: 20141, everyMs: 10000 };
/** An SGAN run's held-out accuracy (its D and the baseline on the test digits) is read this often while training (ms). */
export const HELD_OUT = { everyMs: 5000 };
/** The grid is read back at most this often while training (ms). */
export const GRID_EVERY_MS = 600;

export function checkInterpolation(mode) {
  if (mode !== 'lerp' && mode !== 'slerp') throw new Error(`interpolation: "lerp" or "slerp", not ${JSON.stringify(mode)}`);
}

export function checkTruncation(t) {
  if (t === null || t === undefined) return;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0.05) {
    throw new Error(`truncation: null (none) or a number of at least 0.05, not ${typeof t === 'number' ? t : `a ${typeof t}`}`);
  }
}

/** Splits an image config into the engine's part and the page's (checked); `mode` is dropped. */
export function splitImageConfig(config, page = IMAGE_PAGE_DEFAULTS) {
  const engine = {};
  const out = { ...page };
  for (const [k, v] of Object.entries(config || {})) {
    if (k === 'mode') continue;
    if (k in IMAGE_PAGE_DEFAULTS) out[k] = v;
    else engine[k] = v;
  }
  if (!BACKENDS.includes(out.backend)) {
    throw new Error(`backend = ${JSON.stringify(out.backend)} is not one of ${BACKENDS.join(', ')}`);
  }
  checkInterpolation(out.interpolation);
  checkTruncation(out.truncation);
  return { engine, page: out };
}

/** The CycleGAN lab's page keys and their defaults. */
export const CYCLE_PAGE_DEFAULTS = { backend: 'auto' };
/** Fixed test digits per row of the CycleGAN lab (one of each digit). */
export const CYCLE_VIEW = { rows: 10, everyMs: 800 };
/** How often the engine keeps a CycleGAN run's last good state: rounds, or ms. */
export const CYCLE_SNAPSHOTS = { every: 100, ms: 10000 };

/** Splits a CycleGAN config into the engine's part and the page's (checked). */
export function splitCycleConfig(config, page = CYCLE_PAGE_DEFAULTS) {
  const engine = {};
  const out = { ...page };
  for (const [k, v] of Object.entries(config || {})) {
    if (k in CYCLE_PAGE_DEFAULTS) out[k] = v;
    else engine[k] = v;
  }
  if (!BACKENDS.includes(out.backend)) {
    throw new Error(`backend = ${JSON.stringify(out.backend)} is not one of ${BACKENDS.join(', ')}`);
  }
  return { engine, page: out };
}

/** The StackGAN lab's page keys and their defaults: the caption shown is shared in the link. */
export const STACK_PAGE_DEFAULTS = { backend: 'auto', caption: 'a thin two slanted left' };
/** The longest caption read (src/data/captions.rs MAX_CAPTION_CHARS). */
export const MAX_CAPTION_CHARS = 200;
/** Latents per row of the StackGAN lab, and how often its images refresh while training. */
export const STACK_VIEW = { n: 8, everyMs: 800 };
/** How often the engine keeps a StackGAN run's last good state: rounds, or ms. */
export const STACK_SNAPSHOTS = { every: 50, ms: 10000 };

/** Checks a caption's form (the engine reads its words): a string of at most 200 characters. */
export function checkCaption(caption) {
  if (typeof caption !== 'string') throw new Error('caption: type a caption, e.g. "a thin two slanted left"');
  const n = [...caption].length;
  if (n > MAX_CAPTION_CHARS) {
    throw new Error(`the caption is ${n} characters long: keep it under ${MAX_CAPTION_CHARS} (e.g. "a thick seven slanted right")`);
  }
  return caption;
}

/** Splits a StackGAN config into the engine's part and the page's (checked). */
export function splitStackConfig(config, page = STACK_PAGE_DEFAULTS) {
  const engine = {};
  const out = { ...page };
  for (const [k, v] of Object.entries(config || {})) {
    if (k in STACK_PAGE_DEFAULTS) out[k] = v;
    else engine[k] = v;
  }
  if (!BACKENDS.includes(out.backend)) {
    throw new Error(`backend = ${JSON.stringify(out.backend)} is not one of ${BACKENDS.join(', ')}`);
  }
  checkCaption(out.caption);
  return { engine, page: out };
}

/**
 * The sections of the page's state by lab kind: the prefix of their keys in the link, their
 * page keys' defaults, a check of one page setting, and the engine part of a whole config.
 */
export const SECTIONS = {
  toy2d: {
    prefix: '',
    defaults: PAGE_DEFAULTS,
    keys: PAGE_KEYS,
    check: (one) => splitConfig(one),
    split: (c) => splitConfig(c).engine,
  },
  image: {
    prefix: 'img.',
    defaults: IMAGE_PAGE_DEFAULTS,
    keys: Object.keys(IMAGE_PAGE_DEFAULTS),
    check: (one) => splitImageConfig(one),
    split: (c) => splitImageConfig(c).engine,
  },
  cycle: {
    prefix: 'cyc.',
    defaults: CYCLE_PAGE_DEFAULTS,
    keys: Object.keys(CYCLE_PAGE_DEFAULTS),
    check: (one) => splitCycleConfig(one),
    split: (c) => splitCycleConfig(c).engine,
  },
  stack: {
    prefix: 'stk.',
    defaults: STACK_PAGE_DEFAULTS,
    keys: Object.keys(STACK_PAGE_DEFAULTS),
    check: (one) => splitStackConfig(one),
    split: (c) => splitStackConfig(c).engine,
  },
};

/** The labs the page shows, by route (`lab=` in the link), and which section each uses. */
export const LABS = {
  playground: { section: 'toy2d', title: '2-D playground' },
  losses: { section: 'toy2d', title: 'Loss lab' },
  images: { section: 'image', title: 'Image GANs' },
  eval: { section: 'image', title: 'Evaluation' },
  cycle: { section: 'cycle', title: 'CycleGAN' },
  stack: { section: 'stack', title: 'StackGAN' },
};
/** The lab a link without `lab=` opens. */
export const HOME = 'playground';
