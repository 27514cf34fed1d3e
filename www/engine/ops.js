// The one table of engine operations, shared by the worker's host (www/engine/host.js, which
// answers them) and the page's client (www/engine/client.js, which builds its calls from it):
// no operation name is written anywhere else. Host operations act on the engine; a session's
// operations act on one lab's run in the engine (www/engine/session.js and its labs).

/** Operations of the host: `client.request(op, args)` (`call` runs a session's operation). */
export const HOST_OPS = ['open', 'free', 'call', 'defaults', 'memory', 'loseDevice', 'theoryCurves', 'revive', 'trap', 'prefs'];

/**
 * Operations of a lab's session: `client.session(kind, id).method(args)`. Every session has
 * the base's; each lab adds its own.
 */
export const SESSION_OPS = {
  base: ['frame', 'save', 'resume', 'describe'],
  toy2d: ['samples', 'view', 'live'],
  image: ['images', 'setTruncation', 'setAnchor', 'setAnchorDigit', 'randomAnchors', 'anchorImages', 'drawPath', 'interpolate', 'score', 'accuracy', 'evalPrepare', 'evalMetric', 'quizDeck', 'quizMachines'],
  cycle: ['rows', 'translate'],
  stack: ['images', 'setCaption'],
};

/** Whether `method` is an operation of sessions of `kind`. */
export function isSessionOp(kind, method) {
  return SESSION_OPS.base.includes(method) || (SESSION_OPS[kind] || []).includes(method);
}

/** Events the worker sends without a request: {event, ...}. */
export const EVENTS = {
  /** A session's run moved to the CPU after its GPU device was lost: {id, step, message}. */
  moved: 'moved',
  /** A session could not move after its GPU device was lost: {id, message}. */
  lost: 'lost',
  /**
   * The engine trapped; a fresh worker continues the session's run from its last snapshot:
   * {id, step, message, ...what open answers} (sent by the page's client, not the worker).
   */
  revived: 'revived',
  /**
   * A model was timed on both backends ('auto' with a real adapter): {key, record: {backend,
   * cpuMs, gpuMs, at}}, for the page to remember in its local storage.
   */
  calibrated: 'calibrated',
};
