// BENCHMARKS.md is written by several scripts, each owning one section between
// `<!-- name:start -->` and `<!-- name:end -->`; the 2-D benchmark writes the head and keeps them.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'BENCHMARKS.md';
const sectionRe = (name) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->\\n?`);

/** Writes (or replaces) the section `name` of BENCHMARKS.md with `lines`. */
export function writeSection(name, lines) {
  const section = [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`, ''].join('\n');
  let md = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\n';
  const re = sectionRe(name);
  md = re.test(md) ? md.replace(re, section) : `${md.trimEnd()}\n\n${section}`;
  writeFileSync(FILE, md);
}

/** Every section of the current BENCHMARKS.md, in order, as text (empty when there is none). */
export function sections() {
  if (!existsSync(FILE)) return '';
  const all = readFileSync(FILE, 'utf8').match(/<!-- (\w+):start -->[\s\S]*?<!-- \1:end -->\n?/g);
  return all ? all.join('\n') : '';
}
