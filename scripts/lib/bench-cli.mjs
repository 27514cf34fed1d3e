// What the benchmark scripts share on the command line: their `--name value` options, and the
// native `images` command (release build, in the shared cargo target dir) run for its JSON.

import { execFileSync } from 'node:child_process';
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
