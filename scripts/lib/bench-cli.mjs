// What the benchmark scripts share on the command line: their `--name value` options, and the
// native `images` command (release build, in the shared cargo target dir) run for its JSON.

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The value after `--name` in this process's arguments, or `dflt`. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
}

/** The release `images` binary. */
export const IMAGES_BIN = join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/gan-playground/target'), 'release', 'images');

/** Runs `images ...args` (output discarded). */
export const images = (...args) => execFileSync(IMAGES_BIN, args);

/** Runs `images ...args` and parses the JSON object its last line prints. */
export const imagesJson = (...args) => JSON.parse(execFileSync(IMAGES_BIN, args, { encoding: 'utf8' }).trim().split('\n').pop());

/** PacGAN's 2-D data (Lin et al., 2018): the ring of 8 (radius 1, sd 0.01) and the grid of 25 (sd 0.05). */
export const PACGAN_DATA = [
  ['ring-8', { dataset: 'ring8', dataScale: 1, dataStd: 0.01 }],
  ['grid-25', { dataset: 'grid25', dataStd: 0.05 }],
];

/** The release `gan` binary (the 2-D playground's command line). */
export const GAN_BIN = join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/gan-playground/target'), 'release', 'gan');

/**
 * One `gan train` run of `steps` steps of the config `set`: its final mode metrics, `{modes,
 * hq, onLabel}` (onLabel null for an unconditional run).
 */
export async function ganTrain(steps, set) {
  const { stdout } = await promisify(execFile)(GAN_BIN, ['train', '--steps', String(steps), '--every', String(steps), '--set', JSON.stringify(set)]);
  const m = /modes=(\d+)\/(\d+) hq=([\d.]+)(?: on_label=([\d.]+))?/.exec(stdout);
  return { modes: Number(m[1]), hq: Number(m[3]), onLabel: m[4] === undefined ? null : Number(m[4]) };
}

/** Runs `tasks` (functions returning promises), `jobs` at a time; the results in order. */
export async function pool(tasks, jobs) {
  const out = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return out;
}

/** "mean ± sd" of the numbers `a` (sample sd), `d` decimals. */
export function meanSd(a, d) {
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  const sd = a.length > 1 ? Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / (a.length - 1)) : 0;
  return `${mean.toFixed(d)} ± ${sd.toFixed(d)}`;
}
