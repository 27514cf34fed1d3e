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

/**
 * The WebGPU devices the engine opened, and how the first was lost. burn-wgpu opens its device
 * itself, so the host watches `GPUAdapter.requestDevice` to see each device's `lost` promise.
 */
const gpu = { devices: [], lost: null, listeners: [], bufferBytes: 0, buffers: 0 };
/** The size of each GPU buffer the engine made and has not destroyed. */
const bufferSizes = new WeakMap();
/**
 * A buffer is gone when destroyed or when the garbage collector takes it: wgpu's web backend
 * drops a buffer without destroying it (cubecl returns its pages that way), and the browser
 * frees a collected buffer's memory.
 */
const released = (buffer) => {
  const size = bufferSizes.get(buffer);
  if (size === undefined) return;
  bufferSizes.delete(buffer);
  gpu.bufferBytes -= size;
  gpu.buffers -= 1;
};
const collected = globalThis.FinalizationRegistry
  ? new FinalizationRegistry((size) => { gpu.bufferBytes -= size; gpu.buffers -= 1; })
  : null;
let markLost;
/** Resolves when a device is lost. */
const deviceLoss = new Promise((res) => { markLost = res; });

/** Calls `fn(message)` when a WebGPU device the engine uses is lost. */
export function onDeviceLost(fn) {
  gpu.listeners.push(fn);
}

function watchDevices() {
  const proto = globalThis.GPUAdapter && GPUAdapter.prototype;
  if (!proto || proto.requestDevice.watched) return;
  const open = proto.requestDevice;
  proto.requestDevice = async function requestDevice(...args) {
    const device = await open.apply(this, args);
    gpu.devices.push(device);
    // GPU memory in buffers, for memory(): every buffer made, less those destroyed.
    const createBuffer = device.createBuffer.bind(device);
    device.createBuffer = (desc) => {
      const buffer = createBuffer(desc);
      bufferSizes.set(buffer, desc.size);
      gpu.bufferBytes += desc.size;
      gpu.buffers += 1;
      if (collected) collected.register(buffer, desc.size, buffer);
      return buffer;
    };
    device.lost.then((info) => {
      if (gpu.lost) return;
      gpu.lost = `the GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
      for (const fn of gpu.listeners) fn(gpu.lost);
      markLost();
    });
    return device;
  };
  proto.requestDevice.watched = true;
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function destroyBuffer() {
    if (bufferSizes.has(this) && collected) collected.unregister(this);
    released(this);
    return destroy.call(this);
  };
}

/** Refuses to use a WebGPU run once its device is lost (its state went with the GPU). */
function alive(run) {
  if (gpu.lost && run.backend() === 'webgpu') throw new Error(gpu.lost);
  return run;
}

/**
 * Runs `fn` on `run`; if it fails on WebGPU because the device is being lost (burn's readback
 * fails before the device's `lost` promise settles), fails with the loss's reason instead.
 */
async function onRun(run, fn) {
  try {
    return await fn(alive(run));
  } catch (e) {
    if (run.backend() !== 'webgpu') throw e;
    await Promise.race([deviceLoss, new Promise((res) => { setTimeout(res, 1000); })]);
    throw gpu.lost ? new Error(gpu.lost) : e;
  }
}

/**
 * Destroys the engine's WebGPU devices, as a driver reset or a removed GPU would lose them: for
 * the browser tests and for teachers who want to show what the page does then.
 */
export async function loseDevice() {
  if (!gpu.devices.length) throw new Error('no WebGPU device is open');
  for (const d of gpu.devices) d.destroy();
  await Promise.all(gpu.devices.map((d) => d.lost));
  return gpu.lost;
}

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
  watchDevices();
  const choice = gpu.lost && !['cpu', 'flex', 'ndarray'].includes(wanted)
    ? { build: 'cpu', backend: 'cpu', reason: `${gpu.lost} earlier: training on the CPU (wasm)` }
    : await chooseBackend(wanted);
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
  return imageRun(trainer, info.reason, full);
}

/** Registers an image run and describes it to the page. */
function imageRun(trainer, reason, full) {
  const handle = nextHandle++;
  runs.set(handle, trainer);
  return {
    handle,
    backend: trainer.backend(),
    reason,
    full,
    real: trainer.realImages(64),
    params: Array.from(trainer.parameterCounts()),
    step: trainer.stepCount(),
  };
}

/** Gives a loaded run `learningRates` ({lrD, lrG}) if any; frees it and throws if they are refused. */
function withLearningRates(trainer, learningRates) {
  if (!learningRates) return;
  try {
    trainer.setLearningRates(learningRates.lrD, learningRates.lrG);
  } catch (e) {
    trainer.free();
    throw e;
  }
}

/**
 * Continues a saved image run (the file's bytes) on the backend `wanted` resolves to, falling
 * back to the CPU as `create` does; `learningRates`, if given, replace the run's own.
 * @returns {Promise<{handle, backend, reason, full, real, params, step}>}
 */
export async function loadImage({ bytes, wanted, learningRates }) {
  const digits = mnistBytes();
  const { info, trainer } = await startRun(
    wanted,
    () => null,
    async (m, _, backend) => m.ImageGanTrainer.load(bytes, backend, await digits),
  );
  withLearningRates(trainer, learningRates);
  return imageRun(trainer, `a loaded run: ${info.reason}`, trainer.config());
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
  const [j, pixels] = await Promise.all([digitJudge(), onRun(run, (r) => r.images(r.seededLatents(n, seed, truncation ?? undefined)))]);
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
 * Continues a saved run (the file's bytes) on the backend `wanted` resolves to (a WebGPU build
 * or device that fails falls back to the CPU, with the reason); `learningRates`, if given,
 * replace the run's own.
 * @returns {Promise<{handle, twinHandle, backend, reason, full, real, extent, step}>}
 */
export async function load({ bytes, viewPoints, learningRates, wanted = 'cpu' }) {
  const { info, trainer } = await startRun(wanted, () => null, (m, _, backend) => m.GanTrainer.load(bytes, backend));
  withLearningRates(trainer, learningRates);
  const handle = nextHandle++;
  runs.set(handle, trainer);
  return {
    handle,
    twinHandle: null,
    backend: trainer.backend(),
    reason: `a loaded run: ${info.reason}`,
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
  return onRun(run, (r) => r.save());
}

/** Calls `method` on run `handle`. */
export async function call({ handle, method, args }) {
  const run = runs.get(handle);
  if (!run) throw new Error(`no run ${handle} (it was replaced by a newer one)`);
  if (!METHODS.has(method)) throw new Error(`unknown call ${method}`);
  return onRun(run, (r) => r[method](...args));
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

/**
 * The engine's memory: wasm linear memory per build, this thread's JS heap (Chromium), the GPU
 * buffers the engine made that are neither destroyed nor garbage-collected (bytes and count),
 * and what burn's allocator holds of them (`{allocs, bytesInUse, bytesReserved}`); the last two
 * are null before a WebGPU device is open.
 */
export async function memory() {
  const heap = globalThis.performance && performance.memory ? performance.memory.usedJSHeapSize : null;
  const buffers = gpu.devices.length ? { bytes: gpu.bufferBytes, count: gpu.buffers } : null;
  let pool = null;
  for (const run of runs.values()) {
    if (run.backend() !== 'webgpu' || gpu.lost) continue;
    pool = run.memoryPool();
    break;
  }
  return { wasm: wasmMemory(), jsHeap: heap, gpuBuffers: buffers, gpuPool: pool };
}

export const OPS = { create, createImage, loadImage, judgeRun, load, save, loseDevice, call, free, theoryCurves, memory, pathLatents, filmstripLatents };
