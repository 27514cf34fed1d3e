// The model overview, as GAN Lab draws it: z -> G -> fake samples and real samples -> D -> the
// two costs (an SVG in index.html). An update lights the parts it trains; a click on a part
// takes the reader to the setting that shapes it.

const $ = (id) => document.getElementById(id);

/** Takes the reader to a setting: opens its folded group, scrolls to it, focuses it. */
export function goTo(id) {
  const el = $(id);
  if (!el) return;
  const folded = el.closest('details');
  if (folded) folded.open = true;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  if (typeof el.focus === 'function') el.focus({ preventScroll: true });
  el.classList.add('flash');
  setTimeout(() => el.classList.remove('flash'), 1200);
}

/**
 * Wires the model's parts to their settings; returns `light(phase)`, which lights the parts an
 * update trains ('d', 'g' or 'both', a whole step) for `holdMs()` ms.
 * @param {import('./lab.js').Toy2dLab} pg
 * @param {() => number} holdMs
 */
export function mountModel(pg, holdMs) {
  const model = $('model');
  for (const node of model.querySelectorAll('.node')) {
    const go = () => goTo(node.dataset.target);
    node.addEventListener('click', go);
    node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
  }
  let timer = 0;
  return function light(phase) {
    model.classList.toggle('train-d', phase !== 'g');
    model.classList.toggle('train-g', phase !== 'd');
    const c = pg.engineConfig;
    $('model-phase').textContent = phase === 'd' ? 'D update: G frozen' : phase === 'g' ? 'G update: D frozen'
      : `each step: ${c.k} D update${c.k > 1 ? 's' : ''}, then ${c.gSteps} G update${c.gSteps > 1 ? 's' : ''}`;
    clearTimeout(timer);
    timer = setTimeout(() => {
      model.classList.remove('train-d', 'train-g');
      $('model-phase').textContent = '';
    }, holdMs());
  };
}
