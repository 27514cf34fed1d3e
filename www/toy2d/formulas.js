// The losses the page offers, each with its two costs as TeX (rendered by KaTeX) and a note.
// The engine's loss enum (src/loss.rs) is the one implementation; this is only their text.

const E_x = '\\mathbb{E}_{x}';
const E_z = '\\mathbb{E}_{z}';
const DG = 'D(G(z))';

export const LOSSES = {
  minimax: {
    label: 'Minimax (saturating)',
    d: `\\max_D\\; ${E_x}[\\log D(x)] + ${E_z}[\\log(1 - ${DG})]`,
    g: `\\min_G\\; ${E_z}[\\log(1 - ${DG})]`,
    note: 'The original game. Its generator gradient, −D per fake, vanishes when D confidently rejects the fakes.',
  },
  nonSaturating: {
    label: 'Non-saturating',
    d: `\\max_D\\; ${E_x}[\\log D(x)] + ${E_z}[\\log(1 - ${DG})]`,
    g: `\\min_G\\; -${E_z}[\\log ${DG}]`,
    note: 'Same fixed point; the gradient −(1 − D) is strongest exactly where minimax starves.',
  },
  maxLikelihood: {
    label: 'Maximum likelihood',
    d: `\\max_D\\; ${E_x}[\\log D(x)] + ${E_z}[\\log(1 - ${DG})]`,
    g: `\\min_G\\; -${E_z}\\!\\left[e^{\\sigma^{-1}(${DG})}\\right] = -${E_z}\\!\\left[\\frac{${DG}}{1 - ${DG}}\\right]`,
    note: "Goodfellow's 2016 tutorial: with the optimal D it minimises KL(p_data ‖ p_g); its gradient −D/(1 − D) also starves when D rejects the fakes.",
  },
  leastSquares: {
    label: 'Least squares (LSGAN)',
    d: `\\min_D\\; \\tfrac12 ${E_x}[(D(x) - 1)^2] + \\tfrac12 ${E_z}[${DG}^2]`,
    g: `\\min_G\\; \\tfrac12 ${E_z}[(${DG} - 1)^2]`,
    note: 'Mao et al. 2017: D regresses reals to 1 and fakes to 0.',
  },
  wganGp: {
    label: 'WGAN-GP',
    d: `\\min_D\\; ${E_z}[${DG}] - ${E_x}[D(x)] + \\lambda\\, \\mathbb{E}_{\\hat x}\\big[(\\lVert \\nabla_{\\hat x} D(\\hat x) \\rVert_2 - 1)^2\\big]`,
    g: `\\min_G\\; -${E_z}[${DG}]`,
    note: 'Gulrajani et al. 2017: D is a critic (no sigmoid); x̂ lies between a real and a fake sample; λ is the penalty weight, k = n_critic (5 is usual).',
  },
  hinge: {
    label: 'Hinge',
    d: `\\min_D\\; ${E_x}[\\max(0, 1 - D(x))] + ${E_z}[\\max(0, 1 + ${DG})]`,
    g: `\\min_G\\; -${E_z}[${DG}]`,
    note: 'Lim & Ye 2017, Miyato et al. 2018: a margin on the critic.',
  },
};

/** Losses whose D is the cross-entropy classifier: the ones twin runs compare. */
export const CROSS_ENTROPY = ['minimax', 'nonSaturating', 'maxLikelihood'];

let katex = null;
let katexTried = false;

/** Loads KaTeX once; resolves to the module or null (the page then shows the TeX source). */
async function loadKatex() {
  if (!katexTried) {
    katexTried = true;
    try {
      katex = (await import('../../node_modules/katex/dist/katex.mjs')).default;
    } catch {
      katex = null;
    }
  }
  return katex;
}

/**
 * Writes the loss's two costs into `el` as rendered math.
 * @param {HTMLElement} el
 * @param {string} name
 */
export async function renderFormula(el, name) {
  const loss = LOSSES[name];
  el.replaceChildren();
  if (!loss) return;
  const k = await loadKatex();
  for (const [who, tex] of [['D', loss.d], ['G', loss.g]]) {
    const row = document.createElement('div');
    row.className = 'formula-row';
    row.dataset.who = who;
    if (k) k.render(tex, row, { throwOnError: false, displayMode: false });
    else row.textContent = tex;
    el.append(row);
  }
  const note = document.createElement('p');
  note.className = 'formula-note';
  note.textContent = loss.note;
  el.append(note);
}
