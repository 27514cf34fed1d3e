// The engine's host: makes runs (picking the backend, falling back to the CPU) and answers
// calls on them. It runs inside the training worker (www/worker.js); a page that cannot start a
// worker runs it on its own thread. Every answer is plain data (numbers, objects, Float32Arrays).

import { chooseBackend, loadBuild, wasmMemory } from './engine.js';

/** Runs by handle. */
const runs = new Map();
let nextHandle = 1;

/** The methods of a run a caller may call, with their wasm names. */
const METHODS = new Set([
  'stepPhase', 'probe', 'theory', 'generatorField', 'discriminatorGrid', 'manifold', 'samples', 'stepCount',
  // image runs (ImageGanTrainer)
  'step', 'losses', 'viewLatents', 'seededLatents', 'images', 'realImages',
]);

/** The shipped MNIST digits (assets/mnist.bin, made at set-up), fetched once. */
let mnist = null;
function mnistBytes() {
  if (!mnist) {
    mnist = (async () => {
      const url = new URL('../assets/mnist.bin', import.meta.url);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`the MNIST digits (assets/mnist.bin) could not be loaded: HTTP ${res.status}; run scripts/setup.sh`);
      return new Uint8Array(await res.arrayBuffer());
    })();
    mnist.catch(() => { mnist = null; });
  }
  return mnist;
}

/** The reason given when a WebGPU build or device fails and the run goes to the CPU. */
const cpuFallback = (e) => ({ build: 'cpu', backend: 'cpu', reason: `${e.message}; training on the CPU (wasm)` });

/**
 * Loads the build `wanted` resolves to, validates the config with `validate(mod)` (it throws
 * with the bad key's name) and makes a trainer with `make(mod, full, backend)`; a WebGPU build or
 * device that fails falls back to the CPU, with the reason.
 * @returns {Promise<{mod, info, full, trainer}>}
 */
async function startRun(wanted, validate, make) {
  const choice = await chooseBackend(wanted);
  let info = choice;
  let mod;
  try {
    mod = await loadBuild(choice.build);
  } catch (e) {
    if (choice.build === 'cpu') throw e;
    mod = await loadBuild('cpu');
    info = cpuFallback(e);
  }
  const full = validate(mod);
  let trainer;
  try {
    trainer = await make(mod, full, info.backend);
  } catch (e) {
    if (info.backend !== 'webgpu') throw e;
    mod = await loadBuild('cpu');
    info = cpuFallback(e);
    trainer = await make(mod, full, 'cpu');
  }
  return { mod, info, full, trainer };
}

/**
 * Starts a run (and its twin, if `twinLoss`) of the validated `engine` config on the backend
 * `wanted` resolves to; a WebGPU build or device that fails falls back to the CPU with the reason.
 * @returns {Promise<{handle, twinHandle, backend, reason, full, real, extent}>}
 */
export async function create({ engine, wanted, twinLoss, viewPoints }) {
  const { mod, info, full, trainer } = await startRun(
    wanted,
    (m) => m.validateConfig(engine),
    (m, cfg, backend) => m.GanTrainer.create(cfg, backend),
  );
  let twin = null;
  try {
    twin = twinLoss ? await mod.GanTrainer.create({ ...full, loss: twinLoss }, info.backend) : null;
  } catch (e) {
    trainer.free();
    throw e;
  }
  const handle = nextHandle++;
  runs.set(handle, trainer);
  let twinHandle = null;
  if (twin) {
    twinHandle = nextHandle++;
    runs.set(twinHandle, twin);
  }
  return {
    handle,
    twinHandle,
    backend: trainer.backend(),
    reason: info.reason,
    full,
    real: trainer.realSamples(viewPoints),
    extent: trainer.extent(),
  };
}

/**
 * Starts an image run (MNIST) of the validated `config` on the backend `wanted` resolves to,
 * falling back to the CPU as `create` does.
 * @returns {Promise<{handle, backend, reason, full, real, params}>} `real`: 64 training digits
 */
export async function createImage({ config, wanted }) {
  // The digits download while the build loads and the config is checked.
  const bytes = mnistBytes();
  const { info, full, trainer } = await startRun(
    wanted,
    (m) => m.validateImageConfig(config),
    async (m, cfg, backend) => m.ImageGanTrainer.create(cfg, backend, await bytes),
  );
  const handle = nextHandle++;
  runs.set(handle, trainer);
  return {
    handle,
    backend: trainer.backend(),
    reason: info.reason,
    full,
    real: trainer.realImages(64),
    params: Array.from(trainer.parameterCounts()),
  };
}

/** The shipped digit classifier (assets/classifier.bin), loaded once, on the CPU build. */
let judge = null;
function digitJudge() {
  if (!judge) {
    judge = (async () => {
      const [mod, res] = await Promise.all([loadBuild('cpu'), fetch(new URL('../assets/classifier.bin', import.meta.url))]);
      if (!res.ok) throw new Error(`the digit classifier (assets/classifier.bin) could not be loaded: HTTP ${res.status}`);
      return mod.DigitJudge.load(new Uint8Array(await res.arrayBuffer()));
    })();
    judge.catch(() => { judge = null; });
  }
  return judge;
}

/**
 * Scores image run `handle`'s images of `n` latents drawn with `seed` (components beyond
 * `truncation` redrawn) with the shipped classifier, here in the engine's thread (no pixels
 * cross to the page): see DigitJudge.score.
 */
export async function judgeRun({ handle, n, seed, truncation }) {
  const run = runs.get(handle);
  if (!run) throw new Error(`no run ${handle}`);
  const [j, pixels] = await Promise.all([digitJudge(), run.images(run.seededLatents(n, seed, truncation ?? undefined))]);
  return j.score(pixels);
}

/** Latents of a path on the pad (see the engine's pathLatents). */
export async function pathLatents({ anchors, points, mode, reach }) {
  const mod = await loadBuild('cpu');
  return mod.pathLatents(anchors, points, mode, reach);
}

/** `frames` latents from `a` to `b` (see the engine's filmstripLatents). */
export async function filmstripLatents({ a, b, frames, mode }) {
  const mod = await loadBuild('cpu');
  return mod.filmstripLatents(a, b, frames, mode);
}

/**
 * Continues a saved run (the file's bytes) on the CPU: run files are saved from the CPU
 * backends, and burn restores an optimiser's state on its default device, which is only a CPU
 * one in the CPU build.
 * @returns {Promise<{handle, twinHandle, backend, reason, full, real, extent, step}>}
 */
export async function load({ bytes, viewPoints, learningRates }) {
  const mod = await loadBuild('cpu');
  const trainer = await mod.GanTrainer.load(bytes, 'cpu');
  if (learningRates) {
    try {
      trainer.setLearningRates(learningRates.lrD, learningRates.lrG);
    } catch (e) {
      trainer.free();
      throw e;
    }
  }
  const handle = nextHandle++;
  runs.set(handle, trainer);
  return {
    handle,
    twinHandle: null,
    backend: trainer.backend(),
    reason: 'a loaded run continues on the CPU (wasm)',
    full: trainer.config(),
    real: trainer.realSamples(viewPoints),
    extent: trainer.extent(),
    step: trainer.stepCount(),
  };
}

/** Saves run `handle`: resolves to the file's bytes (a Uint8Array). */
export async function save({ handle }) {
  const run = runs.get(handle);
  if (!run) throw new Error(`no run ${handle}`);
  return run.save();
}

/** Calls `method` on run `handle`. */
export async function call({ handle, method, args }) {
  const run = runs.get(handle);
  if (!run) throw new Error(`no run ${handle} (it was replaced by a newer one)`);
  if (!METHODS.has(method)) throw new Error(`unknown call ${method}`);
  return run[method](...args);
}

/** Frees run `handle` (no-op if already freed). */
export function free({ handle }) {
  const run = runs.get(handle);
  if (run) {
    runs.delete(handle);
    run.free();
  }
}

/** The theory panel's curves (from the CPU build: pure arithmetic). */
export async function theoryCurves({ n }) {
  const mod = await loadBuild('cpu');
  return mod.theoryCurves(n);
}

/** The engine's memory: wasm linear memory per build and this thread's JS heap (Chromium). */
export async function memory() {
  const heap = globalThis.performance && performance.memory ? performance.memory.usedJSHeapSize : null;
  return { wasm: wasmMemory(), jsHeap: heap };
}

export const OPS = { create, createImage, judgeRun, load, save, call, free, theoryCurves, memory, pathLatents, filmstripLatents };
