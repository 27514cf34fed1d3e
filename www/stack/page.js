// The StackGAN lab's page: the run bar and settings, the caption box (its words offered as
// one types), the pictures of both stages (a row of latents, a row of augmentation draws) and
// the loss chart, wired to the lab's controller (www/stack/lab.js). Drawing only: the
// controller talks to the engine. Every text from a caption goes to the page as text, never
// as HTML.

import { wireRunBar } from '../app/run-bar.js';
import { digitCanvas } from '../views/digits.js';
import { SeriesChart } from '../views/series.js';
import { allCaptions } from './lab.js';

/** The pictures' layout: a label column, then n digits of `CELL` pixels. */
const CELL = 36;
const LABEL_W = 92;
const ROW_NAMES = ['stage I 14²', 'stage II 28²'];

/** Each block's heading above its two rows. */
const HEADINGS = ['eight latents z, each with the caption\'s mean code μ', 'one z, eight draws of ĉ ~ N(μ, σ²)'];
const HEAD_H = 16;

/**
 * Draws the pictures on `canvas`: a heading, then for n latents stage I (14 x 14, shown at the
 * same size as stage II) above stage II; then the same for n draws of ĉ with the first latent.
 */
export function drawPictures(canvas, { one, two, n }) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.imageSmoothingEnabled = false;
  for (let block = 0; block < 2; block++) {
    const top = block * (HEAD_H + 2 * CELL + 6);
    ctx.fillStyle = '#1f2328';
    ctx.fillText(HEADINGS[block], 4, top + 12);
    for (let r = 0; r < 2; r++) {
      const y = top + HEAD_H + r * CELL;
      ctx.fillStyle = r === 0 ? '#59636e' : '#1f2328';
      ctx.fillText(ROW_NAMES[r], 4, y + CELL / 2 + 4);
      const [pixels, side] = r === 0 ? [one, 14] : [two, 28];
      for (let k = 0; k < n; k++) {
        ctx.drawImage(digitCanvas(pixels, (block * n + k) * side * side, side), LABEL_W + k * CELL + 1, y + 1, CELL - 2, CELL - 2);
      }
    }
  }
}

/**
 * Wires the StackGAN lab's page to `lab`.
 * @param {import('./lab.js').StackLab} lab
 */
export function mountStackLab(lab) {
  const $ = (id) => document.getElementById(id);
  const status = (text) => { $('stk-status').textContent = text; };
  const captionMessage = (msg) => { $('stk-caption-msg').textContent = msg; };
  const chart = new SeriesChart($('stk-losses'), {
    title: 'costs by round',
    series: [
      { key: 'lossD', color: '#2563eb', label: 'D (matching-aware)' },
      { key: 'lossG', color: '#c2410c', label: 'G (non-saturating)' },
    ],
    xLabel: (pts) => `round ${pts[pts.length - 1].step}`,
  });
  chart.draw();

  // The caption box offers every caption the digits carry as one types.
  const list = $('stk-captions');
  list.replaceChildren(...allCaptions().map((c) => Object.assign(document.createElement('option'), { value: c })));

  function readControls() {
    const seed = Number($('stk-seed').value);
    return {
      klWeight: Number($('stk-kl').value),
      attributeMismatch: Number($('stk-mismatch').value),
      stageOneRounds: Number($('stk-stage-one').value),
      together: $('stk-together').checked,
      seed: Number.isInteger(seed) && seed >= 0 ? seed : 1,
    };
  }

  /** Shows a run's settings in the controls (a value the menus lack is added as an option). */
  function showControls(full, page) {
    const set = (id, v) => {
      const sel = $(id);
      const text = String(v);
      if (![...sel.options].some((o) => o.value === text)) sel.add(new Option(text, text));
      sel.value = text;
    };
    set('stk-kl', full.klWeight);
    set('stk-mismatch', full.attributeMismatch);
    set('stk-stage-one', full.stageOneRounds);
    $('stk-together').checked = full.together;
    $('stk-seed').value = full.seed;
    if (page && document.activeElement !== $('stk-caption')) $('stk-caption').value = page.caption;
  }

  function stageText(s) {
    const one = s.roundsOne ?? 0;
    const two = s.roundsTwo ?? 0;
    if (s.stage === 0) return `both stages in turn · round ${s.step}`;
    if (s.stage === 1) return `stage I · round ${one} of ${lab.full.stageOneRounds}, then stage II`;
    return `stage II · round ${two} (stage I frozen after ${one})`;
  }

  function renderStatus() {
    if (!lab.run) return;
    const s = lab.stats();
    const fmt = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');
    const ms = Number.isFinite(s.msPerRound) ? ` · ${s.msPerRound.toFixed(0)} ms/round` : '';
    status(`${stageText(s)} · D ${fmt(s.lossD)} · G ${fmt(s.lossG)}${ms} on ${s.backend}` +
      ` (${s.params[0].toLocaleString('en')} + ${s.params[1].toLocaleString('en')} weights)`);
  }

  const pictures = $('stk-pictures');
  lab.addEventListener('images', (e) => {
    drawPictures(pictures, e.detail);
    const unknown = e.detail.unknown || [];
    captionMessage(unknown.length
      ? `not in the vocabulary, left out: ${unknown.map((w) => `"${w}"`).join(', ')}`
      : `“${e.detail.caption}” after round ${e.detail.step}`);
  });
  lab.addEventListener('caption-error', (e) => captionMessage(String(e.detail)));
  wireRunBar(lab, {
    prefix: 'stk',
    fileName: (step) => `stackgan-round${step}.ganstk`,
    settings: ['stk-kl', 'stk-mismatch', 'stk-stage-one', 'stk-together', 'stk-seed'],
    readControls,
  });
  lab.addEventListener('configured', (e) => {
    showControls(e.detail.full, e.detail.page);
    chart.clear();
    chart.draw();
    renderStatus();
  });
  lab.addEventListener('step', (e) => {
    for (const l of e.detail.losses || []) chart.push(l.step, l);
    chart.draw();
    renderStatus();
  });
  $('stk-draws').addEventListener('click', () => lab.newDraws().catch((e) => captionMessage(e.message)));
  const useCaption = () => lab.setCaption($('stk-caption').value).catch((e) => captionMessage(e.message));
  $('stk-caption').addEventListener('change', useCaption);
  $('stk-caption-form').addEventListener('submit', (e) => {
    e.preventDefault();
    useCaption();
  });
}
