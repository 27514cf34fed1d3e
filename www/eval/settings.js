// The evaluation lab's settings in the link (`ev.` keys): the sample set, the count, the
// metrics, and the quiz's mode, exposure and deck seed. Only what differs from the defaults is
// written; each bad value is left out with a notice in the page's words.

import { COUNTS, METRICS } from './lab.js';
import { QUIZ } from './quiz.js';

export const EVAL_PREFIX = 'ev.';
/** What the controls show when the link says nothing. */
export const EVAL_DEFAULTS = { source: 'current', n: 2000, metrics: METRICS.join(','), quiz: 'infinity', exposure: 250, seed: 1 };
const SOURCES = ['current', 'train', 'test', 'digit1', 'noise'];

/** Each setting's check: {ok: value} or {err: what was expected}. */
const CHECKS = {
  source: (v) => (SOURCES.includes(v) ? { ok: v } : { err: `one of ${SOURCES.join(', ')}` }),
  n: (v) => (COUNTS.includes(Number(v)) ? { ok: Number(v) } : { err: `one of ${COUNTS.join(', ')}` }),
  metrics: (v) => {
    const list = v.split(',').filter(Boolean);
    return list.length && list.every((m) => METRICS.includes(m)) ? { ok: list.join(',') } : { err: `some of ${METRICS.join(', ')}, comma-separated` };
  },
  quiz: (v) => (['infinity', 'timed'].includes(v) ? { ok: v } : { err: 'infinity or timed' }),
  exposure: (v) => (QUIZ.exposures.includes(Number(v)) ? { ok: Number(v) } : { err: `one of ${QUIZ.exposures.join(', ')} (ms)` }),
  seed: (v) => (/^\d{1,9}$/.test(v) ? { ok: Number(v) } : { err: 'a whole number from 0 to 999999999' }),
};

/** The link's `ev.` text (prefix removed) as settings, and a notice for each value left out. */
export function readEvalLink(text) {
  const settings = { ...EVAL_DEFAULTS };
  const notices = [];
  for (const part of String(text || '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value;
    try {
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      value = '';
    }
    if (!Object.hasOwn(CHECKS, key)) {
      notices.push(`ignored ${EVAL_PREFIX}${key.slice(0, 40)}: the evaluation lab has no such setting (${Object.keys(CHECKS).join(', ')})`);
      continue;
    }
    const got = CHECKS[key](value);
    if (got.err) notices.push(`ignored ${EVAL_PREFIX}${key} = ${JSON.stringify(value.slice(0, 40))}: expected ${got.err}`);
    else settings[key] = got.ok;
  }
  return { settings, notices };
}

/** The settings as the link's `ev.` part (prefix left to the writer): only what differs from the defaults. */
export function evalLinkText(settings) {
  return Object.entries(settings)
    .filter(([k, v]) => EVAL_DEFAULTS[k] !== undefined && String(v) !== String(EVAL_DEFAULTS[k]))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',')}`)
    .join('&');
}
