// <gan-playground>: the playground as one element for course blogs that allow scripts.
//
//   <script type="module" src="https://example.org/gan/www/embed.js"></script>
//   <gan-playground dataset="grid25" loss="minimax" seed="3" hide="loss,play" hide-text></gan-playground>
//
// Every attribute but `hide`, `hide-text`, `height` and `src` is a setting (kebab-case or the
// config key itself: `lr-d` or `lrd` both mean lrD; `img.arch`, `img.batch-size`: the image
// run's settings, kebab-case). The element frames the page (index.html
// beside www/, or `src`) with those settings in its link, so several embeds on one page run
// independently; `element.playground` is that frame's JS API (configure, play, pause, step,
// reset, stats).

import { IMAGE_PREFIX, encodeHash } from './core/link.js';
import { PAGE_KEYS } from './core/state.js';

/** Config keys as the page spells them, for attributes (which HTML lower-cases). */
const KEYS = [
  'dataset', 'dataScale', 'dataStd', 'points', 'loss', 'zDim', 'prior', 'genLayers', 'genWidth',
  'genActivation', 'discLayers', 'discWidth', 'discActivation', 'genOptimizer', 'discOptimizer',
  'lrG', 'lrD', 'lrHalfLife', 'beta1', 'beta2', 'batchSize', 'k', 'gSteps', 'pack', 'gpWeight', 'r1Weight', 'dPretrain',
  'seed', ...PAGE_KEYS,
];
const BY_LOWER = new Map(KEYS.map((k) => [k.toLowerCase(), k]));
const NOT_SETTINGS = new Set(['hide', 'hide-text', 'height', 'src', 'style', 'class', 'id']);

class GanPlaygroundElement extends HTMLElement {
  connectedCallback() {
    if (this.frame) return;
    const settings = {};
    for (const { name, value } of this.attributes) {
      if (NOT_SETTINGS.has(name)) continue;
      // Unknown names travel on: the page ignores them with a notice, as it does for links.
      // `img.<key>` (kebab-case: img.batch-size) is a setting of the image run.
      const key = name.startsWith(IMAGE_PREFIX)
        ? IMAGE_PREFIX + name.slice(IMAGE_PREFIX.length).replace(/-([a-z])/g, (_, c) => c.toUpperCase())
        : BY_LOWER.get(name.replace(/-/g, '')) || name;
      settings[key] = key === 'points' ? JSON.parse(value) : value;
    }
    const hide = (this.getAttribute('hide') || '').split(',').map((s) => s.trim()).filter(Boolean);
    const src = new URL(this.getAttribute('src') || '../index.html', import.meta.url);
    src.hash = encodeHash(settings, { hide, hideText: this.hasAttribute('hide-text') }).slice(1);
    this.frame = document.createElement('iframe');
    this.frame.src = src.href;
    this.frame.title = 'GAN Playground';
    this.frame.style.cssText = `width: 100%; height: ${this.getAttribute('height') || '900px'}; border: 0;`;
    this.style.display = 'block';
    this.append(this.frame);
  }

  /** The embedded page's JS API (window.playground), once it has loaded. */
  get playground() {
    return this.frame && this.frame.contentWindow ? this.frame.contentWindow.playground : undefined;
  }
}

if (!customElements.get('gan-playground')) customElements.define('gan-playground', GanPlaygroundElement);
