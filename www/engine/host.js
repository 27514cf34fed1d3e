// The engine's host: loads the engine's builds, picks the backend a run trains on (falling back
// to the CPU), watches the WebGPU device for loss, and keeps the labs' sessions (one run each,
// www/engine/session.js). It runs inside the training worker (www/engine/worker.js); a page that
// cannot start a worker runs it on its own thread. It answers the operations of
// www/engine/ops.js with plain data (numbers, objects, typed arrays).

import { CYCLE_PAGE_DEFAULTS, IMAGE_PAGE_DEFAULTS, PAGE_DEFAULTS, STACK_PAGE_DEFAULTS } from '../core/state.js';
import { chooseBackend, loadBuild, wasmMemory } from './backend.js';
import { EVENTS, HOST_OPS, isSessionOp } from './ops.js';
import { CycleSession } from './cycle.js';
import { ImageSession } from './image.js';
import { StackSession } from './stack.js';
import { Toy2dSession } from './toy2d.js';

/** The labs' sessions by kind. */
const LABS = { toy2d: Toy2dSession, image: ImageSession, cycle: CycleSession, stack: StackSession };
/** Sessions by id. */
const sessions = new Map();
let nextId = 1;
/** Who hears the events the host sends without a request (the worker, or the page's client). */
const listeners = [];

/** Calls `fn(event)` with every event ({event, ...}) the host sends. */
export function onEvent(fn) {
  listeners.push(fn);
}

function emit(detail) {
  for (const fn of listeners) fn(detail);
}

/**
 * The WebGPU devices the engine opened, and how the first was lost. burn-wgpu opens its device
 * itself, so the host watches `GPUAdapter.requestDevice` to see each device's `lost` promise.
 */
const gpu = { devices: [], lost: null, bufferBytes: 0, buffers: 0 };
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
      markLost();
      deviceLost(gpu.lost);
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

/** Every session on WebGPU moves to the CPU from its last snapshot, and the page is told. */
function deviceLost(message) {
  for (const s of sessions.values()) {
    if (!s.info || s.info.backend !== 'webgpu') continue;
    s.moveToCpu(message).then(
      (moved) => emit({ event: EVENTS.moved, id: s.id, ...s.describe(), ...moved }),
      (e) => emit({ event: EVENTS.lost, id: s.id, message: e.message }),
    );
  }
}

/** Resolves, within `ms`, to why the device was lost, or to null if it was not. */
export async function lostWithin(ms) {
  await Promise.race([deviceLoss, new Promise((res) => { setTimeout(res, ms); })]);
  return gpu.lost;
}

/** The reason given when a WebGPU build or device fails and the run goes to the CPU. */
const cpuFallback = (e) => ({ build: 'cpu', backend: 'cpu', reason: `${e.message}; training on the CPU (wasm)` });

/**
 * The page's backend preferences (op `prefs`): the calibrations remembered in its local
 * storage, by key (`calibrationKey`), and the test-only switch that lets a software adapter
 * stand in for a real one.
 */
const prefs = { choices: {}, softwareIsReal: false };

/** Takes in the page's backend preferences (sent once to every fresh worker). */
export function setPrefs({ choices = {}, softwareIsReal = false } = {}) {
  prefs.choices = { ...choices };
  prefs.softwareIsReal = Boolean(softwareIsReal);
}

/** How long calibration times a model on each backend, after one warm-up step (ms). */
export const CALIBRATION_MS = 300;
/** Config keys that change a model's numbers but not its cost (left out of the calibration key). */
const NOT_SIZE = /seed|^lr|beta|halflife|decay|weight|lambda|scale|std|caption|dataset|prior|truncation/i;

/** A model's calibration key: its lab, the config keys that set its cost, the adapter. */
export function calibrationKey(kind, config, adapter) {
  const size = Object.keys(config).sort().filter((k) => !NOT_SIZE.test(k)).map((k) => `${k}=${JSON.stringify(config[k])}`);
  return `${kind} ${size.join(' ')} @ ${adapter}`;
}

/** Frees every engine handle of a run ({main, twin, ...}). */
const freeRun = (run) => { for (const h of Object.values(run)) if (h) h.free(); };

/**
 * A run's pace: ms per step (a round of the image labs) on its backend, from one warm-up step
 * (shaders, first allocations) and then doubling chunks until `CALIBRATION_MS` have passed.
 * Training a chunk reads its losses back, so the GPU's work is inside the time.
 */
async function pace(run) {
  const main = run.main;
  const train = (n) => (main.stepPhase ? main.stepPhase(n, 'both') : main.step(n));
  await train(1);
  let steps = 0;
  let ms = 0;
  for (let n = 1; ms < CALIBRATION_MS; n *= 2) {
    const t0 = performance.now();
    await train(n);
    ms += performance.now() - t0;
    steps += n;
  }
  return ms / steps;
}

const fixed = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
/** Both calibration figures, in words. */
const figures = (c) => `WebGPU ${fixed(c.gpuMs)} ms a step, CPU (wasm) ${fixed(c.cpuMs)} ms`;
const backendWords = (b) => (b === 'webgpu' ? 'WebGPU' : 'the CPU (wasm)');

/**
 * 'auto' with a real adapter: the backend this model trains faster on. A calibration this page
 * remembers for the model and adapter is used as it is; otherwise the model is made on each
 * backend, timed (`pace`) and freed, the faster is chosen, and the page is told (event
 * 'calibrated') so that it remembers. Resolves to a choice as `chooseBackend` gives, with `run`
 * (the run itself) where the remembered backend is the CPU.
 */
async function calibrated(choice, make, kind) {
  const cpuMod = await loadBuild('cpu');
  const cpuRun = await make(cpuMod, 'cpu');
  const key = calibrationKey(kind, cpuRun.main.config(), choice.adapter);
  const known = prefs.choices[key];
  if (known && (known.backend === 'cpu' || known.backend === 'webgpu')) {
    const reason = `${choice.reason}; training on ${backendWords(known.backend)}, the faster for this model in this browser's earlier calibration (${figures(known)}; the backend menu overrides)`;
    // Remembered as the CPU: the run just made (untrained) is the run.
    if (known.backend === 'cpu') return { build: 'cpu', backend: 'cpu', reason, run: cpuRun };
    freeRun(cpuRun);
    return { build: 'webgpu', backend: 'webgpu', reason };
  }
  let cpuMs;
  try {
    cpuMs = await pace(cpuRun);
  } finally {
    freeRun(cpuRun);
  }
  let gpuMs;
  try {
    const gpuRun = await make(await loadBuild('webgpu'), 'webgpu');
    try {
      gpuMs = await pace(gpuRun);
    } finally {
      freeRun(gpuRun);
    }
  } catch (e) {
    return cpuFallback(e);
  }
  const backend = gpuMs < cpuMs ? 'webgpu' : 'cpu';
  const record = { backend, cpuMs, gpuMs, at: new Date().toISOString().slice(0, 10) };
  prefs.choices[key] = record;
  emit({ event: EVENTS.calibrated, key, record });
  return { build: backend, backend, reason: `${choice.reason}; calibrated for this model: ${figures(record)}, so training on ${backendWords(backend)} (remembered; the backend menu overrides)` };
}

/**
 * Makes a run with `make(mod, backend)` (a promise of `{main, ...}` engine handles) on the
 * backend `wanted` resolves to (for 'auto' with a real adapter, the calibrated one: `kind`
 * names the lab for its key); a WebGPU build or device that fails falls back to the CPU, with
 * the reason. Resolves to `{run, info: {backend, reason}}`.
 */
export async function startRun(wanted, make, kind = 'run') {
  watchDevices();
  let choice = gpu.lost && !['cpu', 'flex', 'ndarray'].includes(wanted)
    ? { build: 'cpu', backend: 'cpu', reason: `${gpu.lost} earlier: training on the CPU (wasm)` }
    : await chooseBackend(wanted, prefs);
  if (choice.calibrate) choice = await calibrated(choice, make, kind);
  if (choice.run) return { run: choice.run, info: { backend: choice.run.main.backend(), reason: choice.reason } };
  let info = choice;
  let mod;
  try {
    mod = await loadBuild(choice.build);
  } catch (e) {
    if (choice.build === 'cpu') throw e;
    mod = await loadBuild('cpu');
    info = cpuFallback(e);
  }
  let run;
  try {
    run = await make(mod, info.backend);
  } catch (e) {
    if (info.backend !== 'webgpu' || !/backend unavailable|WebGPU|GPU/.test(e.message)) throw e;
    mod = await loadBuild('cpu');
    info = cpuFallback(e);
    run = await make(mod, 'cpu');
  }
  return { run, info: { backend: run.main.backend(), reason: info.reason } };
}

/** The CPU build of the engine (pure arithmetic, config checks, the classifier). */
export function cpuBuild() {
  return loadBuild('cpu');
}

/** A file shipped in assets/, fetched once: a promise of its bytes. */
const assets = new Map();
export function asset(name, what) {
  if (!assets.has(name)) {
    const p = (async () => {
      const res = await fetch(new URL(`../../assets/${name}`, import.meta.url));
      if (!res.ok) throw new Error(`${what} (assets/${name}) could not be loaded: HTTP ${res.status}; run scripts/setup.sh`);
      return new Uint8Array(await res.arrayBuffer());
    })();
    p.catch(() => assets.delete(name));
    assets.set(name, p);
  }
  return assets.get(name);
}

const host = { startRun, lostWithin, cpuBuild, asset };

/**
 * Starts a lab's run: `lab` is 'toy2d', 'image', 'cycle' or 'stack', the rest is the lab's (a config, a link's
 * text, or a saved file's bytes; the backend wanted). The old session `replace`, if given, is
 * freed once the new run exists (and kept if it cannot be made). Resolves to {id, ...} with
 * what the page shows of the run.
 */
export async function open({ lab, replace = null, ...args }) {
  const Lab = LABS[lab];
  if (!Lab) throw new Error(`unknown lab ${JSON.stringify(lab)}`);
  const id = nextId++;
  const s = new Lab(host, id);
  const extra = await s.exclusive(() => s.start(args));
  sessions.set(id, s);
  if (replace !== null) free({ id: replace });
  return { id, ...s.describe(), ...extra };
}

/** Frees session `id` (no-op if already freed). */
export function free({ id }) {
  const s = sessions.get(id);
  if (!s) return;
  sessions.delete(id);
  s.exclusive(() => s.free());
}

/** Calls `method` of session `id` with `args`. */
export function call({ id, method, args }) {
  const s = sessions.get(id);
  if (!s) throw new Error(`no run ${id} (it was replaced by a newer one)`);
  if (!isSessionOp(s.kind, method)) throw new Error(`unknown call ${method}`);
  return s[method](args);
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

/** Every config key's default, for each lab's section (engine and page keys). */
export async function defaults() {
  const mod = await cpuBuild();
  return {
    toy2d: { ...mod.defaultConfig(), ...PAGE_DEFAULTS },
    image: { ...mod.validateImageConfig({}), ...IMAGE_PAGE_DEFAULTS },
    cycle: { ...mod.validateCycleConfig({}), ...CYCLE_PAGE_DEFAULTS },
    stack: { ...mod.validateStackConfig({}), ...STACK_PAGE_DEFAULTS },
  };
}

/** The theory panel's curves (from the CPU build: pure arithmetic). */
export async function theoryCurves({ n }) {
  return (await cpuBuild()).theoryCurves(n);
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
  for (const s of sessions.values()) {
    if (!s.info || s.info.backend !== 'webgpu' || gpu.lost) continue;
    pool = s.main().memoryPool();
    break;
  }
  return { wasm: wasmMemory(), jsHeap: heap, gpuBuffers: buffers, gpuPool: pool };
}

/**
 * The last snapshot of every run, for a fresh worker to continue them after this one's engine
 * trapped: [{id, lab, bytes, page, wanted, step}] (runs without a snapshot are left out).
 */
export function rescue() {
  const out = [];
  for (const s of sessions.values()) {
    if (!s.good) continue;
    out.push({ id: s.id, lab: s.kind, bytes: s.good.bytes, page: s.page, wanted: s.wanted, step: s.good.step });
  }
  return out;
}

/**
 * Continues runs rescued from a worker whose engine trapped, each under its old id, from its
 * last snapshot. Resolves to [{id, ...what open answers}] for those that could be made, and
 * [{id, message}] for those that could not.
 */
export async function revive({ runs }) {
  const out = [];
  for (const r of runs) {
    const Lab = LABS[r.lab];
    if (!Lab) continue;
    nextId = Math.max(nextId, r.id + 1);
    const s = new Lab(host, r.id);
    try {
      const extra = await s.exclusive(() => s.start({ bytes: r.bytes, page: { ...r.page, backend: r.wanted || r.page.backend } }));
      s.info.reason = s.info.reason.replace(/^a loaded run: /, 'continued from its last snapshot after the engine crashed: ');
      sessions.set(r.id, s);
      out.push({ id: r.id, ...s.describe(), ...extra });
    } catch (e) {
      out.push({ id: r.id, message: e.message });
    }
  }
  return out;
}

/** Traps the engine on purpose (a panic in the CPU build): for the browser tests of recovery. */
export async function trap() {
  (await cpuBuild()).trapForTests();
}

const HOST = { open, free, call, defaults, loseDevice, theoryCurves, memory, revive, trap, prefs: setPrefs };

/** Answers one request: a host operation (`call` is a session's). */
export function handle(op, args) {
  if (HOST_OPS.includes(op)) return HOST[op](args);
  throw new Error(`unknown operation ${op}`);
}
