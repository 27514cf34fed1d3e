// The 2-D labs' files: Save run (a .ganrun the engine writes), Load run…, the plane as PNG and
// the curves as CSV.

import { download } from '../app/download.js';

const $ = (id) => document.getElementById(id);

/**
 * Wires the file buttons to `pg`.
 * @param {import('./lab.js').Toy2dLab} pg
 */
export function mountFiles(pg, { showError }) {
  const runName = () => `gan-${pg.engineConfig.dataset}-${pg.engineConfig.loss}-step${pg.last.step}`;
  $('save-run').addEventListener('click', () => {
    pg.saveRun().then(
      (bytes) => download(`${runName()}.ganrun`, new Blob([bytes], { type: 'application/octet-stream' })),
      (e) => showError(e.message),
    );
  });
  $('load-run').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    const was = pg.playing;
    pg.pause();
    try {
      await pg.loadRun(file);
      showError('');
    } catch (err) {
      showError(`${file.name}: ${err.message}`);
    }
    if (was) pg.play();
  });
  $('export-png').addEventListener('click', () => $('plane').toBlob((b) => download(`${runName()}.png`, b), 'image/png'));
  $('export-csv').addEventListener('click', () => {
    pg.curvesCsv().then((csv) => download(`${runName()}.csv`, new Blob([csv], { type: 'text/csv' })));
  });
}
