// The page's JS API for an embedding page on another origin (www/embed.js): calls arrive by
// postMessage from the parent window only, name a method of window.playground or of its image
// lab from a fixed list, and are answered to the caller's origin only. The same calls as
// window.playground, each answered once its promise settles.

/**
 * What may be called: the 2-D labs' API, the image lab's (`images.<name>`), the CycleGAN
 * lab's (`cycle.<name>`, once `open('cycle')` has loaded it) and the StackGAN lab's
 * (`stack.<name>`, once `open('stack')` has).
 */
const CALLS = {
  '': ['configure', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'reset', 'step', 'stepPhase', 'stats',
    'theory', 'probes', 'samples', 'curvesCsv', 'config', 'open', 'memory'],
  images: ['configure', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'score', 'setTruncation',
    'setAnchorFromGrid', 'randomAnchors', 'images', 'anchorImages', 'drawPath', 'interpolateAnchors',
    'setInterpolation', 'stats', 'linkConfig', 'curvesCsv'],
  cycle: ['configure', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'stats', 'rows', 'translate',
    'linkConfig'],
  stack: ['configure', 'loadRun', 'saveRun', 'resume', 'play', 'pause', 'step', 'stats', 'images', 'setCaption',
    'newDraws', 'linkConfig'],
};
/** Why a lab's calls cannot be made yet. */
const NOT_YET = {
  images: 'no image run yet: call configure({mode: "images"}) first',
  cycle: 'no CycleGAN run yet: call open("cycle") first',
  stack: 'no StackGAN run yet: call open("stack") first',
};

/** Data a message can carry (functions, class instances with methods are not). */
const plain = (v) => (v === undefined ? null : v);

/**
 * Answers calls from the parent window on `pg` (window.playground). Listens from the start, so
 * that no early message is lost: each call waits for `wired` (the page's code has set up the
 * API); `ready()` gives the promise that resolves once the page's runs have started.
 */
export function listen(pg, wired, ready) {
  if (window.parent === window) return;
  window.addEventListener('message', async (e) => {
    const d = e.data;
    if (e.source !== window.parent || !d || d.ganPlayground !== 'call') return;
    const reply = (msg) => e.source.postMessage({ ganPlayground: 'answer', id: d.id, ...msg }, e.origin);
    try {
      await wired;
      const path = Array.isArray(d.path) ? d.path : [];
      let value;
      if (path.length === 1 && path[0] === 'ready') {
        await ready();
        value = true;
      } else {
        const [where, method] = path.length === 2 ? path : ['', path[0]];
        if (path.length < 1 || path.length > 2 || !Object.hasOwn(CALLS, where) || !CALLS[where].includes(method)) {
          throw new Error(`unknown call ${JSON.stringify(path.join('.').slice(0, 60))}`);
        }
        const target = where ? pg[where] : pg;
        if (!target) throw new Error(NOT_YET[where] || 'not ready');
        value = await target[method](...(Array.isArray(d.args) ? d.args : []));
      }
      reply({ ok: true, value: plain(value) });
    } catch (err) {
      reply({ ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  });
}
