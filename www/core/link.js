// Link state: every setting of a run, the seed included, in the URL hash as `#key=value&...`,
// so that a link reproduces the run. Reading a hash never throws: what cannot be used is left
// out and said in a notice; the rest is applied.
//
// Besides the config keys (the engine's and the page's), a hash may hold `<name>_hide=true`
// (hide the control or button with that id) and `hideText=true` (hide the prose), for embeds.
// The image section's run, if there is one, follows with its keys prefixed `img.`
// (`#seed=2&…&img.arch=dcgan&img.seed=1&…`), and `lab=` says which lab the page shows (none:
// the 2-D playground). Decoding a section's part checks every setting with the engine: it
// runs where the engine is (the training worker), once, when the run starts.

import { SECTIONS } from './state.js';

/** The prefix of the image run's keys in a hash. */
export const IMAGE_PREFIX = SECTIONS.image.prefix;

/** What a control's id may be, and so a hide name: a letter, then letters, digits, - and _. */
export const HIDE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** `text` URL-decoded, or null where it is not valid URL encoding. */
function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * A hash cut by section: the lab it shows (`lab=`, or null), the 2-D labs' part, the image
 * run's (its `img.` keys, prefix removed), the evaluation lab's (`ev.` keys, prefix removed) and
 * the CycleGAN run's (`cyc.` keys, prefix removed), the StackGAN run's (`stk.` keys, prefix removed),
 * each a hash string without '#'; and the embed's view
 * (`<name>_hide=true`, `hideText=true`), which need no engine to read. Hide names are decoded
 * and must look like a control's id (HIDE_NAME); others are left out with a notice.
 */
export function splitHash(hash) {
  const main = [];
  const image = [];
  const evaluation = [];
  const cycle = [];
  const stack = [];
  let lab = null;
  const hide = [];
  const notices = [];
  let hideText = false;
  for (const part of String(hash || '').replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decoded(eq < 0 ? part : part.slice(0, eq));
    const v = decoded(eq < 0 ? '' : part.slice(eq + 1));
    if (k !== null && k.endsWith('_hide')) {
      const name = k.slice(0, -5);
      if (!HIDE_NAME.test(name)) notices.push(`ignored the hide name ${shown(name)}: not a control's id`);
      else if (v === 'true' && !hide.includes(name)) hide.push(name);
      continue;
    }
    if (k === 'hideText') {
      hideText = v === 'true';
      continue;
    }
    if (part.startsWith(IMAGE_PREFIX)) image.push(part.slice(IMAGE_PREFIX.length));
    else if (part.startsWith('ev.')) evaluation.push(part.slice(3));
    else if (part.startsWith(SECTIONS.cycle.prefix)) cycle.push(part.slice(SECTIONS.cycle.prefix.length));
    else if (part.startsWith(SECTIONS.stack.prefix)) stack.push(part.slice(SECTIONS.stack.prefix.length));
    else if (part.startsWith('lab=')) lab = decoded(part.slice(4));
    else main.push(part);
  }
  return { lab, main: main.join('&'), image: image.join('&'), evaluation: evaluation.join('&'), cycle: cycle.join('&'), stack: stack.join('&'), hide, hideText, notices };
}

/** Longest hash read, in characters (a drawing of 2,000 points takes ~30,000). */
export const MAX_HASH = 60000;

/** A value for a notice: quoted, shortened, never markup (notices are set as text anyway). */
function shown(v) {
  const s = String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** `[[x, y], ...]` as `x,y;x,y`. */
function encodePoints(points) {
  return points.map((p) => `${p[0]},${p[1]}`).join(';');
}

/** `x,y;x,y` back to `[[x, y], ...]`, or null if any pair is not two finite numbers. */
function decodePoints(text) {
  if (!text) return [];
  const out = [];
  for (const pair of text.split(';')) {
    const xy = pair.split(',');
    if (xy.length !== 2) return null;
    const [x, y] = xy.map(Number);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    out.push([x, y]);
  }
  return out;
}

/**
 * The hash for `config`: with `defaults`, only the keys whose value differs from its default
 * and the ones in `always` (the seed: a link names its run's randomness even where it is the
 * default), so that a link stays short and readable; without, every key.
 * @param {object} config
 * @param {{hide?: Iterable<string>, hideText?: boolean}} [view]
 * @param {string} [prefix] the section's prefix (`img.`)
 * @param {object|null} [defaults] the section's defaults
 * @param {string[]} [always] keys written even at their default
 */
export function encodeHash(config, view = {}, prefix = '', defaults = null, always = ['seed']) {
  const parts = [];
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (defaults && k in defaults && !always.includes(k) && sameValue(defaults[k], v)) continue;
    const text = k === 'points' ? encodePoints(v) : v === null ? 'null' : String(v);
    parts.push(`${prefix}${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  for (const name of view.hide || []) {
    if (HIDE_NAME.test(name)) parts.push(`${encodeURIComponent(name)}_hide=true`);
  }
  if (view.hideText) parts.push('hideText=true');
  return `#${parts.join('&')}`;
}

/** Whether a setting's value is its default ('flex' is what the backend 'cpu' means). */
function sameValue(d, v) {
  if (Array.isArray(d) || Array.isArray(v)) return JSON.stringify(d) === JSON.stringify(v);
  return d === v;
}

/**
 * An engine's refusal in the page's words: without "invalid config: " and the JSON parser's
 * "at line 1 column 19", and a menu value that is not one of the menu's as
 * `loss: "banana" is not one of minimax, nonSaturating, …` (`key`: the setting, where known).
 */
export function plainMessage(message, key = null) {
  let m = String(message).replace(/^(invalid config: )+/, '').replace(/ at line \d+ column \d+$/, '');
  // The engine names the key of a value that did not read ("loss: unknown variant …"); the
  // page's callers say it themselves (`key`, or the link's "ignored loss = …").
  const named = /^\w+: ((?:unknown variant|invalid type).*)$/.exec(m);
  if (named) m = named[1];
  const variant = /^unknown variant `([^`]*)`, expected (?:one of )?(.*)$/.exec(m);
  if (variant) {
    const names = variant[2].replace(/`/g, '');
    m = `${key ? `${key}: ` : ''}${JSON.stringify(variant[1])} is not one of ${names}`;
  }
  const type = /^invalid type: (.*), expected (.*)$/.exec(m);
  if (type) m = `${key ? `${key}: ` : ''}${type[1]} is not ${/^(a |an )/.test(type[2]) ? type[2] : `a ${type[2]}`}`;
  return m;
}

/** A hash value as the type its default has. Returns {ok, value} or {ok: false, why}. */
function typed(key, text, defaults) {
  const d = key in defaults ? defaults[key] : undefined;
  if (key === 'points') {
    const p = decodePoints(text);
    return p ? { ok: true, value: p } : { ok: false, why: 'points must be x,y pairs separated by ;' };
  }
  if (typeof d === 'boolean') {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    return { ok: false, why: `${key} must be true or false` };
  }
  if (typeof d === 'number' || d === null) {
    if (d === null && text === 'null') return { ok: true, value: null };
    return readNumber(key, text);
  }
  return { ok: true, value: text };
}

/**
 * Numbers in links and attributes: plain decimal (an optional minus, digits with an optional
 * point, an optional exponent: `0.001`, `1e-7`, as JavaScript writes numbers), nothing else —
 * no hexadecimal, binary or octal, no spaces, no `Infinity`. A whole number past 2^53 - 1
 * cannot be held exactly and is refused rather than changed; `-0` is 0.
 * @returns {{ok: true, value: number} | {ok: false, why: string}}
 */
export function readNumber(key, text) {
  const s = String(text);
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    return { ok: false, why: `${key} must be a plain decimal number` };
  }
  const n = Number(s);
  if (!Number.isFinite(n)) return { ok: false, why: `${key} must be a finite number` };
  if (Number.isInteger(n) && Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    return { ok: false, why: `${key} must be at most 2^53 - 1 (9007199254740991): larger whole numbers change on the way` };
  }
  return { ok: true, value: n === 0 ? 0 : n };
}

/**
 * Reads a URL hash.
 * @param {string} hash location.hash (with or without the '#')
 * @param {object} defaults the full default config, engine and page keys
 * @param {(config: object) => void} validate throws an Error with a message for a bad engine config
 * @param {{keys: string[], check: (one: object) => void, split: (config: object) => object}} [page]
 *   the page keys, a check of one page setting, and the engine part of a whole config
 *   (a section of www/core/state.js: the 2-D labs' by default)
 * @returns {{config: object, hide: string[], hideText: boolean, notices: string[]}}
 */
export function decodeHash(hash, defaults, validate, page = SECTIONS.toy2d) {
  const out = { config: {}, hide: [], hideText: false, notices: [] };
  let text = String(hash || '').replace(/^#/, '');
  if (!text) return out;
  if (text.length > MAX_HASH) {
    out.notices.push(`the link's settings are too long (${text.length} characters, at most ${MAX_HASH}): ignored`);
    return out;
  }
  const known = new Set([...Object.keys(defaults), ...page.keys, 'points']);
  const raw = {};
  const texts = {};
  const seen = new Set();
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let key, value;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      out.notices.push(`ignored ${shown(part)}: not valid URL encoding`);
      continue;
    }
    if (key.endsWith('_hide')) {
      const name = key.slice(0, -5);
      if (HIDE_NAME.test(name) && value === 'true' && !out.hide.includes(name)) out.hide.push(name);
      continue;
    }
    if (key === 'hideText') {
      out.hideText = value === 'true';
      continue;
    }
    if (!known.has(key)) {
      out.notices.push(`ignored unknown setting ${shown(key)}`);
      continue;
    }
    if (seen.has(key)) out.notices.push(`${key} is given twice in the link: the last value, ${shown(value)}, is used`);
    seen.add(key);
    const t = typed(key, value, defaults);
    if (!t.ok) {
      out.notices.push(`ignored ${key} = ${shown(value)}: ${t.why}`);
      continue;
    }
    raw[key] = t.value;
    texts[key] = value;
  }
  // Each setting on its own (a drawing with its dataset), so one bad value costs only itself.
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'points') continue;
    const one = { [key]: value };
    if (key === 'dataset' && value === 'drawn') one.points = raw.points || [];
    try {
      if (page.keys.includes(key)) page.check(one);
      else validate(one);
      Object.assign(out.config, one);
    } catch (e) {
      out.notices.push(`ignored ${key} = ${shown(texts[key])}: ${plainMessage(e.message)}`);
    }
  }
  // Settings that are fine alone but not together (a twin of a non-cross-entropy loss).
  try {
    validate(page.split(out.config));
  } catch (e) {
    out.notices.push(`ignored the link's settings: ${plainMessage(e.message)}`);
    out.config = {};
  }
  return out;
}
