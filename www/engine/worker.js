// The training worker: the engine runs here, off the page's main thread, so that the page stays
// responsive while it trains. Messages: {id, op, args} in (the operations of www/engine/ops.js),
// {id, ok, value | message} out, and events {event, ...} that no request asked for (a run moved
// to the CPU after its GPU device was lost).
//
// A wasm trap (a panic in the engine, memory exhausted) leaves the engine's instance unusable:
// the call that trapped is answered with `trapped: true` and the last snapshot of every run
// (`rescue`), every later call is refused, and the page starts a fresh worker that continues
// the runs from those snapshots (www/engine/client.js).

import { handle, onEvent, rescue } from './host.js';

onEvent((detail) => self.postMessage(detail));

/** Whether `err` is a trap of the wasm instance, or the poisoned state a trap leaves behind. */
function isTrap(err) {
  if (typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError) return true;
  const m = err instanceof Error ? err.message : String(err);
  return /unreachable|recursive use of an object detected|memory access out of bounds|out of memory|already (mutably )?borrowed/i.test(m);
}

/** Why the engine stopped, once it has. */
let dead = null;

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  if (dead) {
    self.postMessage({ id, ok: false, message: dead, trapped: true });
    return;
  }
  try {
    const value = await handle(op, args);
    self.postMessage({ id, ok: true, value });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!isTrap(err) || dead) {
      self.postMessage({ id, ok: false, message, trapped: Boolean(dead) });
      return;
    }
    dead = `the training engine crashed (${message === 'unreachable' ? 'a panic in its wasm code' : message.slice(0, 200)})`;
    self.postMessage({ id, ok: false, message: dead, trapped: true, rescue: rescue() });
  }
};
