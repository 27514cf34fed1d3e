// The run bar of the one-run labs (CycleGAN, StackGAN): Train / Pause, Step, New run, Save run,
// Load run…, the backend menu (www/app/backend-menu.js), the settings that start a new run, the
// error line and the Resume offered after a divergence, wired to the lab's controller
// (www/core/run-lab.js). The controls' ids are the lab's prefix and a name: `cyc-play`,
// `stk-save`, ….

import { wireBackendMenu } from './backend-menu.js';
import { download } from './download.js';

/**
 * Wires the run bar of `lab` (a RunLab). `prefix`: the ids' prefix; `fileName(step)`: a saved
 * run's file name; `settings`: ids of the controls whose change starts a new run of
 * `readControls()`. Returns {showError}.
 */
export function wireRunBar(lab, { prefix, fileName, settings, readControls }) {
  const $ = (name) => document.getElementById(`${prefix}-${name}`);
  const showError = (msg) => {
    $('error').hidden = !msg;
    $('error').textContent = msg ? `${lab.noun} run: ${msg}` : '';
  };
  lab.addEventListener('configured', () => {
    showError('');
    $('resume').hidden = true;
  });
  lab.addEventListener('playing', (e) => { $('play').textContent = e.detail.playing ? 'Pause' : 'Train'; });
  lab.addEventListener('pause', () => { $('play').textContent = 'Train'; });
  lab.addEventListener('notice', (e) => showError(String(e.detail)));
  lab.addEventListener('error', (e) => {
    $('play').textContent = 'Train';
    const diverged = /diverged/.test(e.detail) && lab.resumableStep() !== null;
    showError(diverged ? e.detail : `${e.detail}. Press New run to start again.`);
    if (diverged) {
      const { lrD, lrG } = lab.full;
      $('resume').textContent = `Resume from round ${lab.resumableStep()} (the last good state) with the learning rates ÷ 10`;
      $('resume').onclick = () => {
        $('resume').hidden = true;
        lab.resume({ lrD: Math.max(1e-7, lrD / 10), lrG: Math.max(1e-7, lrG / 10) }).catch((err) => showError(err.message));
      };
      $('resume').hidden = false;
    }
  });

  $('play').addEventListener('click', () => (lab.playing ? lab.pause() : lab.play()).catch((e) => showError(e.message)));
  $('step').addEventListener('click', () => lab.step(1).catch((e) => showError(e.message)));
  $('new').addEventListener('click', () => lab.configure(readControls()).catch((e) => showError(e.message)));
  for (const id of settings) {
    // A setting is a new run (the one playing goes on playing).
    document.getElementById(id).addEventListener('change', () => lab.configure(readControls()).catch((e) => showError(e.message)));
  }
  $('save').addEventListener('click', async () => {
    try {
      const bytes = await lab.saveRun();
      download(fileName(lab.last.step), new Blob([bytes], { type: 'application/octet-stream' }));
    } catch (e) {
      showError(e.message);
    }
  });
  $('load').addEventListener('change', async (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      await lab.loadRun(file);
    } catch (err) {
      showError(`${file.name}: ${err.message}`);
    }
  });
  wireBackendMenu(lab, { prefix, readControls, showError });
  return { showError };
}
