// The share panel and the link: every setting of the runs on the page, written to the URL
// hash after each (re)start (history.replaceState: no reload, no restart), and offered as a
// link, an <iframe> snippet and a <gan-playground> element snippet.

import { IMAGE_PREFIX, encodeHash } from '../core/link.js';
import { PAGE_DEFAULTS } from '../core/state.js';

const $ = (id) => document.getElementById(id);

/**
 * The settings that differ from the defaults, as element attributes (kebab-case); the image
 * run's, if any, as `img.` attributes.
 */
function elementSnippet(config, base, imageConfig, defaults) {
  const kebab = (k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const attrs = Object.entries(config || {})
    .filter(([k, v]) => k !== 'points' && v !== null && defaults.toy2d[k] !== v)
    .map(([k, v]) => ` ${kebab(k)}="${esc(v)}"`);
  if (config && config.points) attrs.push(` points="${esc(JSON.stringify(config.points))}"`);
  if (imageConfig) {
    // The architecture always (it says there is an image run), then what differs.
    attrs.push(...Object.entries(imageConfig)
      .filter(([k, v]) => v !== null && (k === 'arch' || defaults.image[k] !== v))
      .map(([k, v]) => ` ${IMAGE_PREFIX}${kebab(k)}="${esc(v)}"`));
  }
  return `<script type="module" src="${base}www/embed.js"></script>\n<gan-playground${attrs.join('')}></gan-playground>`;
}

/**
 * Writes the page's state to the hash and the share panel: the 2-D run's settings (or, before
 * that lab was opened, the link's own text for it), the image run's, the lab shown (`lab=`,
 * left out for the home lab) and the embed's hides.
 * @param {{toy2d: object|string, image: object|string|null, lab: string|null, view: object, defaults: object}} state
 */
export function writeHash({ toy2d, image, evaluation, cycle = null, stack = null, lab, view, defaults }) {
  const d = defaults || { toy2d: null, image: null };
  const part = (c, prefix = '', known = d.image, always = ['seed', 'arch']) => (typeof c === 'string'
    ? c.split('&').filter(Boolean).map((p) => `${prefix}${p}`).join('&')
    : encodeHash(c, {}, prefix, known, always).slice(1));
  const parts = [typeof toy2d === 'string' ? part(toy2d) : encodeHash(toy2d, view, '', d.toy2d).slice(1)];
  // Before the 2-D lab has a run, its part is the link's own text, and the hides follow it.
  if (typeof toy2d === 'string') parts.push(encodeHash({}, view).slice(1));
  if (lab) parts.push(`lab=${lab}`);
  if (image) parts.push(part(image, IMAGE_PREFIX));
  if (evaluation) parts.push(part(evaluation, 'ev.'));
  if (cycle) parts.push(part(cycle, 'cyc.', d.cycle || null, ['seed']));
  if (stack) parts.push(part(stack, 'stk.', d.stack || null, ['seed']));
  history.replaceState(null, '', `${location.pathname}${location.search}#${parts.filter(Boolean).join('&')}`);
  const base = new URL('.', location.href).href;
  $('share-link').value = location.href;
  $('share-iframe').value = `<iframe src="${location.href.replace(/"/g, '%22')}" title="GAN Playground" style="width: 100%; height: 900px; border: 0"></iframe>`;
  const known = { toy2d: (defaults && defaults.toy2d) || PAGE_DEFAULTS, image: (defaults && defaults.image) || {} };
  $('share-element').value = elementSnippet(typeof toy2d === 'string' ? null : toy2d, base, typeof image === 'string' ? null : image, known);
}
