// Loads the engine (wasm) and picks the backend it trains on.
//
// Two builds of the same crate sit under pkg/: pkg/cpu (the CPU backends only, ~1 MB gzipped)
// and pkg/webgpu (adds burn-wgpu, several MB). A page loads the WebGPU build only when the
// browser offers a real GPU adapter: a software adapter (SwiftShader) is correct but ~200x
// slower than wasm CPU for these small networks, so it is never chosen automatically. With a
// real adapter, 'auto' is settled by calibration (www/engine/host.js): each model is timed on
// both backends once per adapter, and the faster is remembered.

const builds = new Map();
/** The linear memory of each loaded build (it only grows: its size is the engine's high-water mark). */
const memories = new Map();

/** Bytes of wasm linear memory of every loaded build, by build. */
export function wasmMemory() {
  return Object.fromEntries([...memories].map(([k, m]) => [k, m.buffer.byteLength]));
}

/**
 * Imports and initialises one build of the engine, once.
 * @param {'cpu'|'webgpu'} which
 */
export async function loadBuild(which) {
  if (!builds.has(which)) {
    builds.set(which, (async () => {
      const url = new URL(`../../pkg/${which}/gan_playground.js`, import.meta.url);
      const mod = await import(url.href);
      const exports = await mod.default({ module_or_path: new URL(`../../pkg/${which}/gan_playground_bg.wasm`, import.meta.url) });
      memories.set(which, exports.memory);
      return mod;
    })());
  }
  try {
    return await builds.get(which);
  } catch (e) {
    builds.delete(which);
    throw new Error(`could not load the ${which} build of the engine (${e.message})`);
  }
}

/**
 * What WebGPU this browser really has. `softwareIsReal` (a test-only switch) lets a software
 * adapter stand in for a real one, so that the calibration path runs on SwiftShader.
 * @returns {Promise<{gpu: boolean, reason: string, adapter?: string}>}
 */
export async function probeWebgpu({ softwareIsReal = false } = {}) {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { gpu: false, reason: 'this browser has no WebGPU' };
  }
  let adapter = null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { gpu: false, reason: `WebGPU adapter request failed (${e.message})` };
  }
  if (!adapter) return { gpu: false, reason: 'WebGPU offers no adapter' };
  const info = adapter.info || {};
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  if ((fallback || /swiftshader/i.test(name)) && !softwareIsReal) {
    return {
      gpu: false,
      reason: `WebGPU here is a software fallback${name ? ` (${name})` : ''}, far slower than the CPU`,
    };
  }
  const adapterName = name || 'an unnamed adapter';
  const real = softwareIsReal && (fallback || /swiftshader/i.test(name)) ? 'software adapter standing in for a real one (a test switch)' : 'real GPU adapter';
  return { gpu: true, reason: `${real}: ${adapterName}`, adapter: adapterName };
}

/**
 * Resolves the backend a run should use; for 'auto' with a real adapter, `calibrate` is set (the
 * host times the model on both backends, or recalls an earlier timing: www/engine/host.js).
 * @param {'auto'|'cpu'|'flex'|'ndarray'|'webgpu'} wanted
 * @param {{softwareIsReal?: boolean}} options
 * @returns {Promise<{build: 'cpu'|'webgpu', backend: string, reason: string, calibrate?: boolean, adapter?: string}>}
 */
export async function chooseBackend(wanted, options = {}) {
  if (wanted === 'cpu') return { build: 'cpu', backend: 'cpu', reason: 'CPU chosen by the user' };
  if (wanted === 'flex' || wanted === 'ndarray') return { build: 'cpu', backend: wanted, reason: `CPU (${wanted}) chosen by the user` };
  const probe = await probeWebgpu(options);
  if (wanted === 'webgpu') {
    const note = probe.gpu ? probe.reason : `${probe.reason}; WebGPU forced by the user`;
    return { build: 'webgpu', backend: 'webgpu', reason: note };
  }
  if (probe.gpu) return { build: 'webgpu', backend: 'webgpu', reason: probe.reason, calibrate: true, adapter: probe.adapter };
  return { build: 'cpu', backend: 'cpu', reason: `${probe.reason}: training on the CPU (wasm)` };
}
