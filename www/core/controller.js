// A lab's controller on the page, written once for every lab: it owns the lab's run in the
// engine (a session, through the client it is given), queues the calls on it one at a time,
// and plays by asking the engine for one frame of training per display frame: one request and
// one answer each, holding the losses, the readouts that came due and the view. The engine keeps the
// snapshots and the resume and device-loss policy (www/engine/session.js); the controller says
// what happened. No DOM and no engine here: events tell the views what changed.

/** Resolves at the display's next frame (at once where there is no display, as in a worker). */
const nextFrame = () => new Promise((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(r) : setTimeout(r, 0)));

/** Whether an error is the loss of the GPU device (the run then moves to the CPU by itself). */
export const isDeviceLoss = (e) => /the GPU device was lost/.test(e instanceof Error ? e.message : String(e));

export class LabController extends EventTarget {
  /**
   * @param {{request: Function, session: Function, addEventListener: Function, where: string}} client
   *   the engine's client (www/engine/client.js), given by the page
   * @param {string} kind the lab's session kind ('toy2d', 'image')
   */
  constructor(client, kind) {
    super();
    this.client = client;
    this.kind = kind;
    this.session = null;
    this.busy = Promise.resolve();
    this.playing = false;
    this.error = null;
    /** The engine's last good state of the run: {step}, or null. */
    this.good = null;
    /** Whether to play on once a run that lost its GPU device has moved to the CPU. */
    this.playAfterMove = false;
    client.addEventListener('moved', (e) => this.moved(e.detail));
    client.addEventListener('lost', (e) => {
      if (!this.owns(e.detail)) return;
      this.error = e.detail.message;
      this.emit('error', this.error);
    });
  }

  owns(detail) {
    return this.session !== null && detail.id === this.session.id;
  }

  /** Runs `fn` after the controller's earlier calls: one at a time, in order. */
  exclusive(fn) {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => {});
    return run;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Asks the engine to start a run of this lab (`args`: a config, a link's text or a saved
   * file's bytes, and the page keys); the current run is replaced once the new one exists, and
   * kept if it cannot be made. Resolves to what the engine answered.
   */
  async openRun(args) {
    const made = await this.client.request('open', { lab: this.kind, replace: this.session ? this.session.id : null, ...args });
    this.session = this.client.session(this.kind, made.id);
    this.good = made.good === null || made.good === undefined ? null : { step: made.good };
    return made;
  }

  /**
   * Starts playing: frame after frame of training, each one request to the engine and one
   * answer, the next request at the display's next frame. Asking again as soon as an answer is
   * in trained ~30 % more steps a second, but a worker that never rests takes the CPU the page's
   * thread draws with: on 2 cores the page's longest tasks grew from ~20 to ~40 ms
   * (docs/reshape.md).
   */
  play() {
    if (!this.session) throw new Error(this.noRun());
    if (this.playing) return;
    this.playing = true;
    this.playAfterMove = false;
    this.emit('play');
    const token = {};
    this.loop = token;
    (async () => {
      while (this.playing && this.loop === token) {
        try {
          await this.exclusive(() => this.playFrame());
          await nextFrame();
        } catch (e) {
          this.fail(e);
          return;
        }
      }
    })();
  }

  /** Stops the loop after the frame in progress. */
  pause() {
    const was = this.playing;
    this.playing = false;
    this.emit('pause', { was });
  }

  fail(e) {
    const was = this.playing;
    this.playing = false;
    // A lost GPU device: the engine moves the run to the CPU and says so ('moved').
    if (isDeviceLoss(e)) {
      this.playAfterMove = this.playAfterMove || was;
      return;
    }
    this.error = e instanceof Error ? e.message : String(e);
    this.emit('error', this.error);
  }

  /** The engine moved this lab's run to the CPU from its last snapshot (its GPU was lost). */
  moved(detail) {
    if (!this.owns(detail)) return;
    const again = this.playing || this.playAfterMove;
    this.playing = false;
    this.exclusive(() => this.adoptMoved(detail)).then(() => {
      this.emit('notice', this.movedNotice(detail));
      if (again) this.play();
    }, (e) => this.fail(e));
  }

  /** The step of the last good state a diverged run can resume from, or null. */
  resumableStep() {
    return this.good ? this.good.step : null;
  }
}
