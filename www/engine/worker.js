// The training worker: the engine runs here, off the page's main thread, so that the page stays
// responsive while it trains. Messages: {id, op, args} in (the operations of www/engine/ops.js),
// {id, ok, value | message} out, and events {event, ...} that no request asked for (a run moved
// to the CPU after its GPU device was lost).

import { handle, onEvent } from './host.js';

onEvent((detail) => self.postMessage(detail));

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  try {
    const value = await handle(op, args);
    self.postMessage({ id, ok: true, value });
  } catch (err) {
    self.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
