// Run files on the page's side, before the engine sees them: the size is checked first and the
// magic read from the first 12 bytes, so that a file that is not a run of this lab (a film, a
// disk image, 3 GB of anything) is refused with a message without being read or copied to the
// engine. The engine checks the rest (version, checksum, header, sizes: src/gan/runfile.rs).

/** The largest run file read: the largest run the budgets allow (src/gan/cost.rs) is ~60 MB. */
export const MAX_RUN_BYTES = 256 * 1024 * 1024;

/** The magic's first six bytes for each lab's runs, and what they are in words. */
const KINDS = {
  toy2d: { magic: 'GANRUN', noun: 'a 2-D playground run' },
  image: { magic: 'GANIMG', noun: 'an image-GAN run' },
  cycle: { magic: 'GANCYC', noun: 'a CycleGAN run' },
  stack: { magic: 'GANSTK', noun: 'a StackGAN run' },
};

const fail = (why) => new Error(`could not load the run: ${why}`);

/** Throws with a message unless `head` (the file's first bytes) starts a run of lab `kind`. */
export function checkHead(head, size, kind) {
  if (size > MAX_RUN_BYTES) {
    throw fail(`the file is ${(size / 1e6).toFixed(0)} MB, and a run file is at most ${MAX_RUN_BYTES / 1024 / 1024} MB: not a run of this playground`);
  }
  const magic = String.fromCharCode(...head.subarray(0, 6));
  if (size < 12 || !Object.values(KINDS).some((k) => k.magic === magic)) {
    throw fail(`this is not a GAN Playground run file (${size < 12 ? `${size} bytes` : 'it starts with none of GANRUN, GANIMG, GANCYC and GANSTK'})`);
  }
  if (magic !== KINDS[kind].magic) {
    const found = Object.values(KINDS).find((k) => k.magic === magic);
    throw fail(`this file is ${found.noun}, and this section loads ${KINDS[kind].noun}`);
  }
}

/**
 * The bytes of a run file for lab `kind` (a Blob or File, an ArrayBuffer, a typed array),
 * refused with a message before it is read whole if it is too big or not a run of this lab.
 * @returns {Promise<Uint8Array>}
 */
export async function runBytes(input, kind) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    checkHead(new Uint8Array(await input.slice(0, 12).arrayBuffer()), input.size, kind);
    return new Uint8Array(await input.arrayBuffer());
  }
  let bytes;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else throw fail('give the file (a File or Blob) or its bytes (an ArrayBuffer or Uint8Array)');
  checkHead(bytes, bytes.length, kind);
  return bytes;
}
