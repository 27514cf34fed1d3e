// The engine's host: makes runs (picking the backend, falling back to the CPU) and answers
// calls on them. It runs inside the training worker (www/worker.js); a page that cannot start a
// worker runs it on its own thread. Every answer is plain data (numbers, objects, Float32Arrays).

import { chooseBackend, loadBuild, wasmMemory } from './engine.js';

/** Runs by handle. */
const runs = new Map();
let nextHandle = 1;

/** The methods of a run a caller may call, with their wasm names. */
const METHODS = new Set(['stepPhase', 'probe', 'theory', 'generatorField', 'discriminatorGrid', 'manifold', 'samples', 'stepCount']);

/**
 * Starts a run (and its twin, if `twinLoss`) of the validated `engine` config on the backend
 * `wanted` resolves to; a WebGPU build or device that fails falls back to the CPU with the reason.
 * @returns {Promise<{handle, twinHandle, backend, reason, full, real, extent}>}
 */
export async function create({ engine, wanted, twinLoss, viewPoints }) {
  const choice = await chooseBackend(wanted);
  let info = choice;
  let mod;
  try {
    mod = await loadBuild(choice.build);
  } catch (e) {
    if (choice.build === 'cpu') throw e;
    mod = await loadBuild('cpu');
    info = { build: 'cpu', backend: 'cpu', reason: `${e.message}; training on the CPU (wasm)` };
  }
  const full = mod.validateConfig(engine); // throws with the bad key's name
  let trainer;
  try {
    trainer = await mod.GanTrainer.create(full, info.backend);
  } catch (e) {
    if (info.backend !== 'webgpu') throw e;
    mod = await loadBuild('cpu');
    info = { build: 'cpu', backend: 'cpu', reason: `${e.message}; training on the CPU (wasm)` };
    trainer = await mod.GanTrainer.create(full, 'cpu');
  }
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

export const OPS = { create, load, save, call, free, theoryCurves, memory };
