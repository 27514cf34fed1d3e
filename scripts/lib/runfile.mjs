// Run files for the browser tests and benchmarks: the CRC-32 every saved run ends with (src/gan/runfile.rs),
// so that a test can change a file on purpose and seal it again, to reach the checks behind the
// checksum; and the header's JSON.

/** CRC-32 (IEEE, as zip and PNG) of `bytes`. */
export function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

/** `file` (a Buffer) with its last 4 bytes set to the CRC-32 of the rest. */
export function reseal(file) {
  const out = Buffer.from(file);
  out.writeUInt32LE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

/** The JSON header of a run file, and where its floats begin. */
export function header(file) {
  const n = file.readUInt32LE(8);
  return { header: JSON.parse(file.subarray(12, 12 + n).toString()), at: 12 + n };
}

/** `file` with its header replaced by `edit(header)`'s change, sealed again. */
export function withHeader(file, edit) {
  const { header: h, at } = header(file);
  edit(h);
  const json = Buffer.from(JSON.stringify(h));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return reseal(Buffer.concat([file.subarray(0, 8), len, json, file.subarray(at)]));
}
