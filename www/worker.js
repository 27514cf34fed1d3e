// The training worker: the engine runs here, off the page's main thread, so that the page stays
// responsive while it trains. Messages: {id, op, args} in, {id, ok, value | message} out, and
// {event: 'deviceLost', message} when the GPU device the engine trains on is lost.

import { OPS, onDeviceLost } from './host.js';

onDeviceLost((message) => self.postMessage({ event: 'deviceLost', message }));

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  try {
    if (!(op in OPS)) throw new Error(`unknown operation ${op}`);
    const value = await OPS[op](args);
    self.postMessage({ id, ok: true, value });
  } catch (err) {
    self.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
