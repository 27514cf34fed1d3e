// <gan-playground>: the playground as one element for course blogs that allow scripts.
//
//   <script type="module" src="https://example.org/gan/www/embed.js"></script>
//   <gan-playground dataset="grid25" loss="minimax" seed="3" hide="loss,play" hide-text></gan-playground>
//
// Every attribute but `hide`, `hide-text`, `height`, `src`, `any-origin` and `lab` is a setting
// (kebab-case or the config key itself: `lr-d` or `lrd` both mean lrD; `img.arch`,
// `img.batch-size`: the image run's settings, `cyc.lambda-cycle`: the CycleGAN run's,
// `stk.kl-weight`, `stk.caption`: the StackGAN run's, kebab-case); names that are no setting
// are ignored with a notice in the console. The element
// frames the page (index.html beside www/, or `src`: http(s) only, and only on the origin
// embed.js came from unless `any-origin` is set) with those settings in its link, so several
// embeds on one page run independently.
// `height` is a number with px (the default unit) or vh. A setting the element cannot read
// (`points` that are not JSON) is said inside the element.
//
// `element.playground` is the frame's JS API: the frame's own `window.playground` where the
// frame is on the embedding page's origin, and otherwise the same calls through postMessage
// (`await el.playground.step(10)`, `await el.playground.images.stats()`): each returns a
// promise. `element.ready()` resolves once the frame's runs have started.

import { IMAGE_PREFIX, encodeHash } from './core/link.js';
import {
  CYCLE_PAGE_DEFAULTS, IMAGE_PAGE_DEFAULTS, LABS, PAGE_KEYS, SECTIONS, STACK_PAGE_DEFAULTS,
} from './core/state.js';

/** Config keys as the page spells them, for attributes (which HTML lower-cases). */
const KEYS = [
  'dataset', 'dataScale', 'dataStd', 'points', 'loss', 'zDim', 'prior', 'genLayers', 'genWidth',
  'genActivation', 'discLayers', 'discWidth', 'discActivation', 'genOptimizer', 'discOptimizer',
  'lrG', 'lrD', 'lrHalfLife', 'beta1', 'beta2', 'batchSize', 'k', 'gSteps', 'pack', 'gpWeight', 'r1Weight', 'dPretrain',
  'seed', ...PAGE_KEYS,
];
/** The image run's keys (after `img.`). */
const IMAGE_KEYS = [
  'arch', 'loss', 'zDim', 'codes', 'infoWeight', 'prior', 'genWidth', 'discWidth', 'lrG', 'lrD', 'lrHalfLife',
  'beta1', 'beta2', 'batchSize', 'k', 'emaDecay', 'genRefine', 'seed', ...Object.keys(IMAGE_PAGE_DEFAULTS),
];
/** The CycleGAN run's keys (after `cyc.`). */
const CYCLE_KEYS = [
  'genWidth', 'blocks', 'discWidth', 'loss', 'lambdaCycle', 'lambdaIdentity', 'poolSize', 'lrG', 'lrD',
  'lrHalfLife', 'beta1', 'beta2', 'batchSize', 'seed', ...Object.keys(CYCLE_PAGE_DEFAULTS),
];
/** The StackGAN run's keys (after `stk.`; src/stack/config.rs). */
const STACK_KEYS = [
  'zDim', 'code', 'embed', 'genWidth', 'discWidth', 'klWeight', 'attributeMismatch', 'lrG', 'lrD', 'lrHalfLife',
  'beta1', 'beta2', 'batchSize', 'stageOneRounds', 'together', 'emaDecay', 'seed',
  ...Object.keys(STACK_PAGE_DEFAULTS),
];
const lower = (keys) => new Map(keys.map((k) => [k.toLowerCase(), k]));
const BY_LOWER = lower(KEYS);
/** The prefixed sections' keys by their lower-cased spelling. */
const PREFIXED = [
  [IMAGE_PREFIX, lower(IMAGE_KEYS)],
  [SECTIONS.cycle.prefix, lower(CYCLE_KEYS)],
  [SECTIONS.stack.prefix, lower(STACK_KEYS)],
];
const NOT_SETTINGS = new Set(['hide', 'hide-text', 'height', 'src', 'any-origin', 'lab', 'style', 'class', 'id', 'title']);
/** Where embed.js came from: frames go to this origin unless `any-origin` is set. */
const HOME = new URL(import.meta.url);

/** The setting an attribute name stands for, or null. */
function settingOf(name) {
  for (const [prefix, byLower] of PREFIXED) {
    if (!name.startsWith(prefix)) continue;
    const key = byLower.get(name.slice(prefix.length).replace(/-/g, ''));
    return key ? prefix + key : null;
  }
  return BY_LOWER.get(name.replace(/-/g, '')) || null;
}

/** `height` as CSS: a number with px or vh, or null. */
function heightOf(text) {
  const m = /^\s*(\d{1,5}(?:\.\d{1,3})?)\s*(px|vh)?\s*$/.exec(text);
  return m ? `${m[1]}${m[2] || 'px'}` : null;
}

let nextCall = 1;

class GanPlaygroundElement extends HTMLElement {
  connectedCallback() {
    if (this.frame) return;
    this.style.display = 'block';
    const problems = [];
    const settings = {};
    for (const { name, value } of this.attributes) {
      if (NOT_SETTINGS.has(name)) continue;
      const key = settingOf(name);
      if (!key) {
        console.warn(`<gan-playground>: ignored the attribute ${JSON.stringify(name.slice(0, 40))}: not a setting`);
        continue;
      }
      if (key === 'points') {
        try {
          settings.points = JSON.parse(value);
        } catch {
          problems.push('points: not JSON ([[x, y], ...]); the drawing was left out');
        }
        continue;
      }
      settings[key] = value;
    }
    const hide = (this.getAttribute('hide') || '').split(',').map((s) => s.trim()).filter(Boolean);
    let src;
    try {
      src = new URL(this.getAttribute('src') || '../index.html', HOME);
    } catch {
      src = null;
    }
    if (!src || !['http:', 'https:'].includes(src.protocol)) {
      problems.push('src: only http(s) addresses can be framed; the playground beside embed.js is shown');
      src = new URL('../index.html', HOME);
    } else if (src.origin !== HOME.origin && !this.hasAttribute('any-origin')) {
      problems.push(`src: ${src.origin} is not the origin embed.js came from (${HOME.origin}); add any-origin to allow it. The playground beside embed.js is shown`);
      src = new URL('../index.html', HOME);
    }
    const lab = this.getAttribute('lab');
    const labPart = lab && LABS[lab] ? `&lab=${lab}` : '';
    if (lab && !LABS[lab]) problems.push(`lab: one of ${Object.keys(LABS).join(', ')}`);
    src.hash = encodeHash(settings, { hide, hideText: this.hasAttribute('hide-text') }).slice(1) + labPart;
    const height = heightOf(this.getAttribute('height') || '900px');
    if (!height) problems.push('height: a number with px or vh (e.g. 700px, 90vh); 900px is used');
    if (problems.length) {
      const box = document.createElement('p');
      box.setAttribute('role', 'alert');
      box.style.cssText = 'margin: 0 0 0.5em; padding: 0.5em; border: 1px solid #b91c1c; color: #b91c1c; font: 14px system-ui, sans-serif;';
      box.textContent = `GAN playground embed: ${problems.join('; ')}.`;
      this.append(box);
    }
    this.frame = document.createElement('iframe');
    this.frame.src = src.href;
    this.frame.title = 'GAN Playground';
    this.frame.style.cssText = `width: 100%; height: ${height || '900px'}; border: 0;`;
    this.origin = src.origin;
    this.calls = new Map();
    // Messages go to the frame once its page is there (before, it is about:blank, another origin).
    this.loaded = new Promise((res) => { this.frame.addEventListener('load', res, { once: true }); });
    this.listener = (e) => this.answer(e);
    window.addEventListener('message', this.listener);
    this.append(this.frame);
  }

  disconnectedCallback() {
    if (this.listener) window.removeEventListener('message', this.listener);
  }

  /** An answer from this element's frame (and only from it: its window and its origin). */
  answer(e) {
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== this.origin) return;
    const d = e.data;
    if (!d || d.ganPlayground !== 'answer' || !this.calls.has(d.id)) return;
    const { resolve, reject } = this.calls.get(d.id);
    this.calls.delete(d.id);
    if (d.ok) resolve(d.value);
    else reject(new Error(d.message));
  }

  /** Calls `path` (['step'], ['images', 'stats']) of the frame's API with `args` by postMessage. */
  async call(path, args) {
    if (!this.frame) throw new Error('the embed has no frame yet: add the element to the page first');
    await this.loaded;
    return new Promise((resolve, reject) => {
      const id = nextCall++;
      this.calls.set(id, { resolve, reject });
      this.frame.contentWindow.postMessage({ ganPlayground: 'call', id, path, args }, this.origin);
    });
  }

  /** Resolves once the frame's runs have started (through postMessage: any origin). */
  ready() {
    return this.call(['ready'], []);
  }

  /**
   * The frame's JS API: its window.playground on the same origin (undefined until its page has
   * made it), else the same calls through postMessage.
   */
  get playground() {
    if (!this.frame) return undefined;
    try {
      const w = this.frame.contentWindow;
      return w ? w.playground : undefined;
    } catch {
      // Another origin: reading the frame's window is refused; the postMessage API instead.
      return this.remote([]);
    }
  }

  /** A stand-in for the API at `path`: property reads go deeper, a call is sent. */
  remote(path) {
    return new Proxy(() => {}, {
      get: (_, prop) => (typeof prop !== 'string' || prop === 'then' ? undefined : this.remote([...path, prop])),
      apply: (_, __, args) => this.call(path, args),
    });
  }
}

if (!customElements.get('gan-playground')) customElements.define('gan-playground', GanPlaygroundElement);
