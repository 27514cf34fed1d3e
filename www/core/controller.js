// A lab's controller on the page, written once for every lab: it owns the lab's run in the
// engine (a session, through the client it is given), queues the calls on it one at a time,
// and plays by asking the engine for one frame of training per display frame (back to back when
// a frame trains longer than a display frame lasts): one request and one answer each, holding
// the losses, the readouts that came due and the view. The engine keeps the snapshots and the
// resume and device-loss policy (www/engine/session.js); the controller says what happened. No DOM and no engine here: events tell the views what changed.

/** Resolves at the display's next frame (at once where there is no display, as in a worker). */
const nextFrame = () => new Promise((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(r) : setTimeout(r, 0)));
/** Resolves after the tasks already queued (input, drawing): a yield, not a wait. */
const nextTask = () => new Promise((r) => { setTimeout(r, 0); });
/**
 * A frame of play that took at least this long (ms) goes straight on to the next: waiting for
 * the display's next frame after it would leave the engine idle for half a display frame on
 * average (the 2-D playground played at 81 % of step(n)'s pace so). A shorter one waits, so
 * that play never asks for more frames than the display shows.
 */
const LONG_FRAME_MS = 12;

/** Whether an error is the loss of the GPU device (the run then moves to the CPU by itself). */
export const isDeviceLoss = (e) => /the GPU device was lost/.test(e instanceof Error ? e.message : String(e));
/** Whether an error is the engine's restart after a trap (the run then continues by itself). */
export const isRestart = (e) => /the engine was restarted/.test(e instanceof Error ? e.message : String(e));

/**
 * Wraps the methods `names` of `obj` so that each returns a promise and never throws: a bad
 * argument rejects with its message, as a failed call does (the API's promise).
 */
export function promised(obj, names) {
  for (const name of names) {
    const f = obj[name];
    if (typeof f !== 'function') continue;
    obj[name] = function api(...args) {
      try {
        return Promise.resolve(f.apply(obj, args));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
  }
}

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
    client.addEventListener('revived', (e) => this.revived(e.detail));
    client.addEventListener('lost', (e) => {
      if (!this.owns(e.detail)) return;
      this.error = e.detail.message;
      this.emit('error', this.error);
    });
  }

  owns(detail) {
    return this.session !== null && detail.id === this.session.id;
  }

  /**
   * Runs `fn` after the controller's earlier calls: one at a time, in order. The play loop
   * passes a second argument, `{ahead: true}`: a frame of play, which may leave the next frame
   * asked for (the 2-D lab's, www/toy2d/lab.js); other labs ignore it.
   */
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
   * Pauses, has the engine start a run (`args` for the engine's `open`) and makes it the
   * current one (the lab's `adopt`); if the engine refuses, the current run is kept, and plays
   * on if it was playing. Resolves to the full config in force.
   */
  async replaceRun(args) {
    const wasPlaying = this.playing;
    this.playing = false;
    let made;
    try {
      made = await this.openRun(args);
    } catch (e) {
      if (wasPlaying) this.play();
      throw e;
    }
    this.linkNotices = made.notices || [];
    this.adopt(made);
    if (wasPlaying) this.play();
    return made.full;
  }

  /**
   * Starts the run a link's text describes (each bad setting left out); resolves to the
   * notices. The 2-D labs read their links their own way.
   */
  openLink(link) {
    return this.exclusive(async () => {
      await this.replaceRun({ link });
      return this.linkNotices;
    });
  }

  /**
   * Starts playing: frame after frame of training, each one request to the engine and one
   * answer, the next request at the display's next frame. Asking again as soon as an answer is
   * in trained ~30 % more steps a second, but a worker that never rests takes the CPU the page's
   * thread draws with: on 2 cores the page's longest tasks grew from ~20 to ~40 ms
   * (docs/reshape.md).
   */
  play() {
    // Before a run exists (the page still reading its link): after the calls queued before.
    if (!this.session) {
      return this.exclusive(() => {
        if (!this.session) throw new Error(this.noRun());
      }).then(() => this.play());
    }
    if (this.playing) return Promise.resolve();
    this.playing = true;
    this.playAfterMove = false;
    this.emit('play');
    // One loop token: a loop whose token is not the current one stops, and a frame is only
    // asked for while its loop is current, so play/pause in quick succession never leaves two
    // loops, and pause() stops within the frame in progress.
    const token = {};
    this.loop = token;
    const current = () => this.playing && this.loop === token;
    (async () => {
      while (current()) {
        try {
          const t0 = performance.now();
          await this.exclusive(() => (current() ? this.playFrame() : null), { ahead: true });
          await (performance.now() - t0 >= LONG_FRAME_MS ? nextTask() : nextFrame());
        } catch (e) {
          // A newer loop reports its own failures.
          if (this.loop === token || this.loop === null) this.fail(e);
          return;
        }
      }
    })();
    return Promise.resolve();
  }

  /** Stops the loop: no frame starts after this (the one in progress finishes). */
  pause() {
    const was = this.playing;
    this.playing = false;
    this.loop = null;
    this.emit('pause', { was });
    return Promise.resolve();
  }

  fail(e) {
    const was = this.playing;
    this.playing = false;
    // A lost GPU device: the engine moves the run to the CPU and says so ('moved'); a trap:
    // a fresh engine continues the run and says so ('revived').
    if (isDeviceLoss(e) || isRestart(e)) {
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

  /**
   * The engine trapped and a fresh one continues this lab's run from its last snapshot: the
   * run is adopted as it is now, the page is told, and play goes on if it was playing.
   */
  revived(detail) {
    if (!this.owns(detail)) return;
    const again = this.playing || this.playAfterMove;
    this.playing = false;
    this.loop = null;
    this.exclusive(() => this.adoptRevived(detail)).then(() => {
      this.error = null;
      this.emit('notice', this.revivedNotice(detail));
      if (again) this.play();
    }, (e) => this.fail(e));
  }

  /** The notice of a run continued after a trap. */
  revivedNotice(detail) {
    const text = `${detail.message}. The engine was restarted in a fresh worker: the run continues from step ${detail.step}, its last snapshot.`;
    return this.kind === 'image' ? { message: text } : text;
  }

  /** The step of the last good state a diverged run can resume from, or null. */
  resumableStep() {
    return this.good ? this.good.step : null;
  }
}
