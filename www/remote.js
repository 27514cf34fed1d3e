// The page's side of the training worker: requests by id, answered by www/worker.js. If the
// browser cannot start a module worker (or the worker fails to load), the same host code runs on
// the page's own thread instead, and `where` says so.

export class EngineClient extends EventTarget {
  constructor() {
    super();
    this.pending = new Map();
    this.nextId = 1;
    this.where = 'worker';
    try {
      this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e) => this.answer(e.data);
      this.worker.onerror = (e) => this.workerFailed(e.message || 'the training worker failed to load');
    } catch (e) {
      this.useMainThread(e.message);
    }
  }

  useMainThread(why) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.where = `main thread (${why})`;
    if (!this.host) {
      this.host = import('./host.js');
      this.host.then((h) => h.onDeviceLost((message) => this.deviceLost(message)));
    }
  }

  /**
   * The GPU device was lost: the calls in flight are answered with the reason (a lost device's
   * work may never finish), and listeners of 'devicelost' are told.
   */
  deviceLost(message) {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(new Error(message));
    this.dispatchEvent(new CustomEvent('devicelost', { detail: message }));
  }

  /** The worker died or never started: the calls in flight run on this thread instead. */
  workerFailed(why) {
    this.useMainThread(why);
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this.local(p.op, p.args).then(p.resolve, p.reject);
  }

  answer({ id, ok, value, message, event }) {
    if (event === 'deviceLost') {
      this.deviceLost(message);
      return;
    }
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(new Error(message));
  }

  async local(op, args) {
    const host = await this.host;
    return host.OPS[op](args);
  }

  /** Runs `op` of www/host.js with `args` where the engine lives; resolves to its answer. */
  request(op, args) {
    if (!this.worker) return this.local(op, args);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { op, args, resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}

/** One run in the engine, with the methods of the wasm GanTrainer the controller uses. */
export class RemoteRun {
  constructor(client, handle, { backend, real, extent }) {
    this.client = client;
    this.handle = handle;
    this.info = { backend, real, extent };
  }

  call(method, ...args) {
    return this.client.request('call', { handle: this.handle, method, args });
  }

  stepPhase(n, phase) { return this.call('stepPhase', n, phase); }
  probe() { return this.call('probe'); }
  theory(res) { return this.call('theory', res); }
  generatorField(n) { return this.call('generatorField', n); }
  discriminatorGrid(res) { return this.call('discriminatorGrid', res); }
  manifold(res) { return this.call('manifold', res); }
  samples(n) { return this.call('samples', n); }
  save() { return this.client.request('save', { handle: this.handle }); }
  /** The real points of the view (read once, when the run was made). */
  realSamples() { return this.info.real; }
  extent() { return this.info.extent; }
  backend() { return this.info.backend; }
  free() { this.client.request('free', { handle: this.handle }).catch(() => {}); }
}
