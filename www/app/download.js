// Saves a Blob as a file the browser downloads (a run, a CSV, a PNG).

/**
 * @param {string} name the file name offered
 * @param {Blob} blob
 */
export function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
