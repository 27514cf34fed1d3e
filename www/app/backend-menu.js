// The backend menu of the image labs (DCGAN, CycleGAN, StackGAN), in each lab's run bar: a chip
// that says which backend trains, and a popover with why (for 'auto' on a real GPU, both
// figures of the calibration that chose it, www/engine/host.js `calibrated`), a menu that
// overrides the choice (a new run on the backend chosen), and, where the choice was timed, a
// button that forgets the remembered calibrations and times both backends again. The 2-D labs
// have the same controls in their readout bar (index.html `#backend-info`).

/** The menu's choices: the engine's backends a user picks between (www/core/state.js BACKENDS). */
const CHOICES = [
  ['auto', 'Automatic (fastest real)'],
  ['cpu', 'CPU (wasm)'],
  ['webgpu', 'WebGPU'],
];

/** A reason that says the choice was timed (or remembered from a timing). */
export const TIMED = /calibrat/;

/**
 * Adds the backend menu to the run bar of `lab` (an image lab's controller) before its status
 * line `${prefix}-status`. `readControls()`: the settings of a new run; `showError(msg)`: the
 * lab's error line.
 */
export function wireBackendMenu(lab, { prefix, readControls, showError }) {
  const id = (name) => `${prefix}-${name}`;
  const box = document.createElement('details');
  box.className = 'popover backend-menu';
  box.id = id('backend-info');
  const chip = document.createElement('summary');
  chip.id = id('backend-chip');
  chip.title = 'which backend trains, and why';
  chip.textContent = 'backend: …';
  const body = document.createElement('div');
  body.className = 'popover-body';
  const detail = document.createElement('p');
  detail.id = id('backend-detail');
  detail.textContent = 'No run yet: the backend is chosen when one starts.';
  const label = document.createElement('label');
  label.append('Backend');
  const menu = document.createElement('select');
  menu.id = id('backend');
  for (const [value, text] of CHOICES) menu.add(new Option(text, value));
  label.append(menu);
  const again = document.createElement('button');
  again.id = id('recalibrate');
  again.type = 'button';
  again.className = 'small';
  again.hidden = true;
  again.textContent = 'Time both backends again (a new run)';
  body.append(detail, label, again);
  box.append(chip, body);
  document.getElementById(id('status')).before(box);

  const show = () => {
    const run = lab.run;
    const wanted = lab.page ? lab.page.backend : 'auto';
    menu.value = wanted === 'flex' || wanted === 'ndarray' ? 'cpu' : wanted;
    if (!run) return;
    chip.textContent = `backend: ${run.backend}`;
    detail.textContent = `${run.backend}: ${run.reason}. Changing the menu starts a new run.`;
    again.hidden = !TIMED.test(run.reason);
    // The run trains elsewhere than the menu asked (WebGPU that could not be had).
    chip.classList.toggle('warn', wanted === 'webgpu' && run.backend !== 'webgpu');
  };
  lab.addEventListener('configured', show);

  /** A new run of the current settings on `backend`. */
  const restart = (backend) => {
    if (!lab.run) {
      lab.page = { ...lab.page, backend };
      return Promise.resolve();
    }
    return lab.configure({ ...readControls(), backend }).catch((e) => {
      showError(e.message);
      show();
    });
  };
  menu.addEventListener('change', () => restart(menu.value));
  again.addEventListener('click', async () => {
    again.disabled = true;
    detail.textContent = 'Timing both backends…';
    try {
      await lab.client.forgetCalibrations();
      await restart('auto');
    } catch (e) {
      showError(e.message);
    } finally {
      again.disabled = false;
      show();
    }
  });
  show();
}
