// The 2-D playground's conditional switch (Mirza and Osindero, 2014, on the Gaussian mixtures):
// the checkbox, the box that puts a twin with the switch flipped beside the run, the twin's
// title and its mode readout. Only the ring's and the grid's modes are labels, so elsewhere
// both boxes are disabled and the switch goes off.

import { CONDITIONAL_TWIN, LABELLED_DATA } from '../core/state.js';

const $ = (id) => document.getElementById(id);
const grouped = (n) => Math.round(n).toLocaleString('en-US');

/**
 * @param {{apply: (config: object) => Promise<void>, readControls: () => object}} page
 */
export function mountLabels({ apply, readControls }) {
  const about = $('conditional-label').title;
  $('conditional-twin').addEventListener('change', (e) => {
    const c = readControls();
    c.compare = e.target.checked ? CONDITIONAL_TWIN : 'off';
    $('compare').value = c.compare;
    apply(c);
  });

  return {
    /** A config for a new dataset: the switch and a conditional twin off where there are no labels. */
    fit(config) {
      if (config.dataset in LABELLED_DATA) return config;
      return { ...config, conditional: false, compare: config.compare === CONDITIONAL_TWIN ? 'off' : config.compare };
    },

    /** The boxes as the run's `config` has them, usable only where the data has labels. */
    follow(config) {
      const labelled = config.dataset in LABELLED_DATA;
      for (const id of ['conditional', 'conditional-twin']) {
        $(id).disabled = !labelled;
        $(`${id}-label`).classList.toggle('disabled', !labelled);
      }
      $('conditional-label').title = labelled ? about
        : 'Only the ring and the grid have modes to give as labels: pick one of them.';
      $('conditional-twin').checked = config.compare === CONDITIONAL_TWIN;
      $('cond-note').hidden = !config.conditional;
    },

    /** The twin's title and caption when it differs in the switch; false for another twin. */
    twinTitle(config) {
      $('twin-modes').textContent = '';
      if (config.compare !== CONDITIONAL_TWIN) return false;
      $('twin-title').textContent = `twin: ${config.conditional ? 'unconditional' : 'conditional'}`;
      $('twin-caption').textContent = `same seed, same networks and losses; only the label differs: this twin's G and D are ${config.conditional ? 'not ' : ''}given the mode.`;
      return true;
    },

    /** The twin's mode metrics under its plane, so that the two runs' coverage reads side by side. */
    twinReadout(t) {
      const el = $('twin-modes');
      if (!t || t.modesTotal === null) { el.textContent = ''; return; }
      const onLabel = t.onLabelPct !== null ? ` · on its label ${t.onLabelPct.toFixed(1)} %` : '';
      el.textContent = `Twin at step ${grouped(t.step)}: modes ${t.modesCaptured} / ${t.modesTotal} · high quality ${t.highQualityPct.toFixed(1)} %${onLabel} · JSD ${t.jsd.toFixed(3)}`;
    },
  };
}
