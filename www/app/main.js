// The page shell: a home for the labs. A navigation bar; each lab its own route in the link
// (`lab=`, none for the 2-D playground), shown without restarting any run; a lab's code (and
// its data) loaded when it is first opened or when the link names its run; the link read on
// load and written after every (re)start; the embed's hides; notices. The engine runs in a
// worker (www/engine/): this thread loads no wasm and only draws.
//
// window.playground is the 2-D labs' controller (the documented JS API), with `images` (the
// image lab's controller once loaded, else null), `open(lab)`, `memory()`, `loseDevice()` and
// `ready` (true once the lab the link opened has started), and `cycle` (the CycleGAN lab's
// controller once loaded, else null; `openCycle()` loads it and resolves to it), and `stack`
// (the StackGAN lab's, the same way; `openStack()`).

import { EngineClient } from '../engine/client.js';
import { splitHash } from '../core/link.js';
import { HOME, LABS } from '../core/state.js';
import { Toy2dLab } from '../toy2d/lab.js';
import { listen } from './remote.js';
import { writeHash } from './share.js';

const $ = (id) => document.getElementById(id);
const client = new EngineClient();
const pg = new Toy2dLab(client);
pg.images = null;
pg.ready = false;
// The 2-D labs' page code (views, controls) loads while the worker starts the engine: the
// worker is made above, before this module waits for it. window.playground appears after the
// wait, so that the rest of this module (the API's wrappers) runs before any script's first
// call on it.
// Calls from an embedding page on another origin are listened for from now on (none is lost
// while the page code loads); they are answered once the page is wired and its runs started.
let wire;
const wired = new Promise((r) => { wire = r; });
let started = null;
listen(pg, wired, () => started);
const { mountToy2d } = await import('../toy2d/page.js');
window.playground = pg;

/** What the link said, kept for the labs not opened yet, and the embed's view. */
const state = { lab: HOME, main: '', image: '', evaluation: '', cycle: '', stack: '', view: { hide: [], hideText: false }, defaults: null };

/** Notices that stay while what they say holds (the backend in use is not the one chosen). */
const sticky = new Map();
let shown = [];
function showNotices(list) {
  shown = list;
  const box = $('notice');
  const all = [...list, ...sticky.values()];
  box.replaceChildren(...all.map((n) => Object.assign(document.createElement('div'), { textContent: n })));
  box.hidden = all.length === 0;
}
function setSticky(key, text) {
  if (text) sticky.set(key, text);
  else sticky.delete(key);
  showNotices(shown);
}

const toy2d = mountToy2d(pg, {
  showNotices,
  setSticky,
  beforePlay: () => {
    if (pg.images) pg.images.pause();
    if (pg.cycle) pg.cycle.pause();
    if (pg.stack) pg.stack.pause();
  },
});
pg.cycle = null;
pg.stack = null;

/** The image lab: its controller and page, loaded once, when first needed. */
let imagesLoaded = null;
function loadImages() {
  if (!imagesLoaded) {
    imagesLoaded = (async () => {
      const [{ ImageLab }, { mountImageLab }] = await Promise.all([import('../image/lab.js'), import('../image/page.js')]);
      const lab = new ImageLab(client);
      mountImageLab(lab);
      // One engine thread: the run a person starts pauses the other one.
      lab.addEventListener('playing', (e) => {
        if (!e.detail.playing) return;
        pg.pause();
        if (pg.cycle) pg.cycle.pause();
        if (pg.stack) pg.stack.pause();
      });
      lab.addEventListener('configured', () => { pg.pause(); save(); });
      lab.addEventListener('settings', save);
      pg.images = lab;
      return lab;
    })();
  }
  return imagesLoaded;
}

/** The CycleGAN lab: its controller and page, loaded once, its run started from the link's part. */
let cycleLoaded = null;
function loadCycle() {
  if (!cycleLoaded) {
    cycleLoaded = (async () => {
      const [{ CycleLab }, { mountCycleLab }] = await Promise.all([import('../cycle/lab.js'), import('../cycle/page.js')]);
      const lab = new CycleLab(client);
      lab.pad = mountCycleLab(lab);
      // One engine thread: the run a person starts pauses the others.
      lab.addEventListener('playing', (e) => {
        if (!e.detail.playing) return;
        pg.pause();
        if (pg.images) pg.images.pause();
        if (pg.stack) pg.stack.pause();
      });
      lab.addEventListener('configured', save);
      pg.cycle = lab;
      return lab;
    })();
    cycleLoaded.catch(() => { cycleLoaded = null; });
  }
  return cycleLoaded;
}

/** Starts the CycleGAN run from the link's part for it (each bad setting left out, with a notice). */
async function startCycle() {
  const lab = await loadCycle();
  try {
    return await lab.openLink(state.cycle);
  } catch (e) {
    await lab.configure({});
    return [`the link's CycleGAN settings were not used: ${e.message}`];
  }
}

/** The StackGAN lab: its controller and page, loaded once, its run started from the link's part. */
let stackLoaded = null;
function loadStack() {
  if (!stackLoaded) {
    stackLoaded = (async () => {
      const [{ StackLab }, { mountStackLab }] = await Promise.all([import('../stack/lab.js'), import('../stack/page.js')]);
      const lab = new StackLab(client);
      mountStackLab(lab);
      // One engine thread: the run a person starts pauses the others.
      lab.addEventListener('playing', (e) => {
        if (!e.detail.playing) return;
        pg.pause();
        if (pg.images) pg.images.pause();
        if (pg.cycle) pg.cycle.pause();
      });
      lab.addEventListener('configured', save);
      lab.addEventListener('settings', save);
      pg.stack = lab;
      return lab;
    })();
    stackLoaded.catch(() => { stackLoaded = null; });
  }
  return stackLoaded;
}

/** Starts the StackGAN run from the link's part for it (each bad setting left out, with a notice). */
async function startStack() {
  const lab = await loadStack();
  try {
    return await lab.openLink(state.stack);
  } catch (e) {
    await lab.configure({});
    return [`the link's StackGAN settings were not used: ${e.message}`];
  }
}

/** The evaluation lab: its controller and page, on the image lab's session, loaded once. */
let evalLoaded = null;
let evalLab = null;
function loadEval() {
  if (!evalLoaded) {
    evalLoaded = (async () => {
      const images = await loadImages();
      const [{ EvalLab }, { mountEvalLab }, { readEvalLink, evalLinkText }] = await Promise.all([
        import('../eval/lab.js'), import('../eval/page.js'), import('../eval/settings.js')]);
      const ensureRun = async () => { if (!images.session) await images.configure({}); };
      const lab = new EvalLab(images, ensureRun);
      const linked = readEvalLink(state.evaluation);
      const ui = mountEvalLab(lab, ensureRun, linked.settings, save);
      lab.linkText = () => evalLinkText(ui.settings());
      /** What the link said that could not be used (said once, by `open`). */
      lab.linkNotices = linked.notices;
      lab.track = ui.track;
      lab.sweep = ui.sweep.run;
      lab.quiz = ui.quiz;
      evalLab = lab;
      return lab;
    })();
    evalLoaded.catch(() => { evalLoaded = null; });
  }
  return evalLoaded;
}
/**
 * The evaluation lab's figures (see www/eval/lab.js `evaluate`): {run: 'current' | 'file' |
 * 'train' | 'test' | 'digitK' | 'noise', n, metrics, seed, truncation, bytes}.
 */
pg.evaluate = async (args) => (await loadEval()).evaluate(args);
/** The truncation sweep: {n, thresholds} → rows {truncation, step, precision, recall, fid}. */
pg.truncationSweep = async (args) => (await loadEval()).sweep(args);
/** The metrics recorded over the image run's training so far: [{step, is, fid, kid, precision, recall, ms}]. */
pg.metricsOverTraining = async () => (await loadEval()).track.records.slice();
/** The "real or fake?" quiz: start({seed, mode, exposureMs}), answer('real' | 'fake'), results(), csv(), combine(files). */
pg.quiz = async () => (await loadEval()).quiz;

/** The page's state to the link and the share panel. */
function save() {
  if (!state.defaults) {
    // The first link waits for the defaults (it writes only what differs from them).
    defaultsReady.then(save, () => {});
    return;
  }
  const image = pg.images && pg.images.linkConfig();
  writeHash({
    toy2d: pg.session ? pg.config() : state.main,
    image: image || state.image || null,
    evaluation: evalLab ? evalLab.linkText() : state.evaluation,
    cycle: pg.cycle && pg.cycle.linkConfig() ? pg.cycle.linkConfig() : state.cycle,
    stack: pg.stack && pg.stack.linkConfig() ? pg.stack.linkConfig() : state.stack,
    lab: state.lab === HOME ? null : state.lab,
    view: state.view,
    defaults: state.defaults,
  });
}
pg.addEventListener('reset', save);
pg.addEventListener('live', save);

/** Starts the 2-D run from the link's text for it (each bad setting left out, with a notice). */
async function startToy2d() {
  let notices;
  try {
    notices = await pg.openLink(state.main);
  } catch (e) {
    notices = [`the link's settings were not used: ${e.message}`];
    await pg.configure({});
  }
  toy2d.ready();
  return notices;
}

/** Shows lab `name` (its route), loading its code and starting its run if it has none yet. */
async function open(name) {
  if (!LABS[name]) throw new Error(`unknown lab ${JSON.stringify(name)}: ${Object.keys(LABS).join(', ')}`);
  state.lab = name;
  document.body.dataset.lab = name;
  for (const a of document.querySelectorAll('nav.labs [data-lab]')) {
    if (a.dataset.lab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const notices = [];
  if (LABS[name].section === 'toy2d' && !pg.session) notices.push(...await startToy2d());
  if (LABS[name].section === 'image') await loadImages();
  if (name === 'eval') notices.push(...(await loadEval()).linkNotices.splice(0));
  if (LABS[name].section === 'cycle' && !(pg.cycle && pg.cycle.session)) notices.push(...await startCycle());
  if (LABS[name].section === 'stack' && !(pg.stack && pg.stack.session)) notices.push(...await startStack());
  save();
  return notices;
}
pg.open = open;
pg.openCycle = async () => {
  await open('cycle');
  return pg.cycle;
};
pg.openStack = async () => {
  await open('stack');
  return pg.stack;
};

// configure({mode: 'images', ...}) starts an image run (and shows its lab); every other
// configure is the 2-D labs'.
const configure2d = pg.configure;
/** Whether a script chose the image run (configure or loadRun) before the link's was made. */
let imageChosen = false;
pg.configure = async (config = {}) => {
  if (config && config.mode === 'images') {
    if (!pg.ready) imageChosen = true;
    await open('images');
    return pg.images.configure(config);
  }
  return configure2d(config);
};
pg.memory = async () => {
  const m = await client.request('memory', {});
  const page = performance.memory ? performance.memory.usedJSHeapSize : null;
  return { wasm: m.wasm, engineHeap: m.jsHeap, pageHeap: page, gpuBuffers: m.gpuBuffers, gpuPool: m.gpuPool };
};
pg.loseDevice = () => client.request('loseDevice', {}).catch((e) => {
  if (/the GPU device was lost/.test(e.message)) return e.message;
  throw e;
});

/**
 * Hides the controls named by `<name>_hide=true` and, with hideText, the prose; returns a
 * notice for each name that is not a control of the page (it is then not written back).
 */
function applyHides(view) {
  const notices = [];
  view.hide = view.hide.filter((name) => {
    const el = document.getElementById(name);
    if (!el) {
      notices.push(`ignored ${name}_hide: the page has no control with that id`);
      return false;
    }
    const box = el.closest('label') || el;
    box.hidden = true;
    return true;
  });
  for (const el of document.querySelectorAll('.lede, .hint, .about, figcaption, footer')) {
    if (view.hideText) el.dataset.hiddenText = '1';
    el.hidden = view.hideText && el.dataset.hiddenText === '1';
  }
  return notices;
}

/**
 * Reads the link: the lab it shows, the 2-D run's settings (used when a 2-D lab opens), the
 * image run's (its run starts now if the link has any), the hides. The engine checks each
 * setting; what cannot be used is said in a notice.
 */
async function fromHash() {
  const parts = splitHash(location.hash);
  const notices = [...parts.notices];
  let lab = parts.lab ?? HOME;
  if (!LABS[lab]) {
    notices.push(`ignored lab = ${JSON.stringify(String(lab).slice(0, 40))}: not one of ${Object.keys(LABS).join(', ')}`);
    lab = HOME;
  }
  Object.assign(state, { main: parts.main, image: parts.image, evaluation: parts.evaluation, cycle: parts.cycle, stack: parts.stack, view: { hide: parts.hide, hideText: parts.hideText } });
  notices.push(...applyHides(state.view));
  pg.pause();
  if (pg.images) pg.images.pause();
  if (pg.cycle) pg.cycle.pause();
  if (pg.stack) pg.stack.pause();
  // A CycleGAN or StackGAN run is remade from the link when one ran already (a link edited by hand).
  if (pg.cycle && pg.cycle.session) notices.push(...await startCycle());
  if (pg.stack && pg.stack.session) notices.push(...await startStack());
  // A 2-D run is (re)made from the link when a 2-D lab shows, or when one ran already.
  if (LABS[lab].section === 'toy2d' || pg.session) notices.push(...await startToy2d());
  if (parts.image && imageChosen) {
    notices.push("the link's image-run settings were not used: a script chose the image run first");
  } else if (parts.image) {
    const images = await loadImages();
    images.pause();
    try {
      notices.push(...await images.openLink(parts.image));
    } catch (e) {
      notices.push(`the link's image-run settings were not used: ${e.message}`);
    }
  }
  notices.push(...await open(lab));
  showNotices(notices);
}

for (const a of document.querySelectorAll('nav.labs [data-lab]')) {
  a.addEventListener('click', (e) => {
    e.preventDefault();
    open(a.dataset.lab).then(showNotices, (err) => showNotices([err.message]));
  });
}
window.addEventListener('hashchange', () => { fromHash().catch((e) => toy2d.showError(e.message)); });
const defaultsReady = client.request('defaults', {}).then(
  (d) => { state.defaults = d; },
  () => { state.defaults = { toy2d: null, image: null }; }, // then every key is written
);
started = fromHash().then(
  () => { pg.ready = true; },
  (e) => { $('status').textContent = 'the engine could not start'; toy2d.showError(e.message); },
);
wire();
