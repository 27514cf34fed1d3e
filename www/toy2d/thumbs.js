// The data menu as thumbnails: one small picture of each 2-D dataset (a sketch drawn here from
// its shape, not the engine's samples), a radio group over the hidden <select id="dataset">
// that the page and its tests read. Picking one starts a new run on that data.

const $ = (id) => document.getElementById(id);
const NS = 'http://www.w3.org/2000/svg';

/** A small deterministic generator of normal draws (the sketches are the same on every load). */
function normals(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Sketch points in [-1, 1]^2 for each dataset (the drawing: a pencil's scribble). */
const SKETCH = {
  ring8: (n) => Array.from({ length: 160 }, (_, i) => {
    const a = (2 * Math.PI * (i % 8)) / 8;
    return [0.75 * Math.cos(a) + 0.05 * n(), 0.75 * Math.sin(a) + 0.05 * n()];
  }),
  grid25: (n) => Array.from({ length: 200 }, (_, i) => [-0.8 + 0.4 * (i % 5) + 0.04 * n(), -0.8 + 0.4 * (Math.floor(i / 5) % 5) + 0.04 * n()]),
  twoMoons: (n) => Array.from({ length: 160 }, (_, i) => {
    const t = Math.PI * ((i % 80) / 79);
    return i < 80 ? [0.55 * Math.cos(t) - 0.25 + 0.04 * n(), 0.55 * Math.sin(t) - 0.1 + 0.04 * n()]
      : [0.25 - 0.55 * Math.cos(t) + 0.04 * n(), 0.1 - 0.55 * Math.sin(t) + 0.04 * n()];
  }),
  spiral: (n) => Array.from({ length: 160 }, (_, i) => {
    const t = (i / 160) * 3 * Math.PI;
    const r = 0.08 + (0.8 * t) / (3 * Math.PI);
    return [r * Math.cos(t) + 0.03 * n(), r * Math.sin(t) + 0.03 * n()];
  }),
  oneGaussian: (n) => Array.from({ length: 160 }, () => [0.3 * n(), 0.3 * n()]),
  drawn: () => Array.from({ length: 40 }, (_, i) => {
    const t = i / 39;
    return [-0.7 + 1.4 * t, 0.5 * Math.sin(3 * Math.PI * t)];
  }),
};

/**
 * Fills #data-thumbs with a button per option of #dataset; `choose(value)` runs when one is
 * picked. Returns `sync()`, which marks the dataset the select holds.
 */
export function mountThumbs(choose) {
  const select = $('dataset');
  const box = $('data-thumbs');
  const buttons = [];
  for (const option of select.options) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'thumb';
    b.id = `data-${option.value}`;
    b.setAttribute('role', 'radio');
    b.dataset.value = option.value;
    b.title = `${option.textContent}: starts a new run on this data`;
    b.setAttribute('aria-label', option.textContent);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '-1 -1 2 2');
    svg.setAttribute('aria-hidden', 'true');
    const pts = SKETCH[option.value] ? SKETCH[option.value](normals(7)) : [];
    if (option.value === 'drawn') {
      const path = document.createElementNS(NS, 'path');
      path.setAttribute('d', `M${pts.map((p) => `${p[0].toFixed(3)},${(-p[1]).toFixed(3)}`).join(' L')}`);
      Object.entries({ fill: 'none', stroke: '#0f8a6c', 'stroke-width': '0.12', 'stroke-linecap': 'round' }).forEach(([k, v]) => path.setAttribute(k, v));
      svg.append(path);
    } else {
      // The points as one path of small circles: one element per thumbnail, cheap to make.
      const r = 0.045;
      const dots = document.createElementNS(NS, 'path');
      dots.setAttribute('d', pts.map(([x, y]) => `M${(x - r).toFixed(3)},${(-y).toFixed(3)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`).join(''));
      dots.setAttribute('fill', '#0f8a6c');
      dots.setAttribute('fill-opacity', '0.6');
      svg.append(dots);
    }
    const label = document.createElement('span');
    label.textContent = { ring8: 'ring', grid25: 'grid', twoMoons: 'moons', spiral: 'spiral', oneGaussian: 'blob', drawn: 'draw' }[option.value] || option.value;
    b.append(svg, label);
    b.addEventListener('click', () => choose(option.value));
    box.append(b);
    buttons.push(b);
  }
  const sync = () => {
    for (const b of buttons) {
      const on = b.dataset.value === select.value;
      b.setAttribute('aria-checked', String(on));
      b.tabIndex = on ? 0 : -1;
    }
  };
  box.addEventListener('keydown', (e) => {
    const i = buttons.findIndex((b) => b.dataset.value === select.value);
    const d = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!d || i < 0) return;
    e.preventDefault();
    const next = buttons[(i + d + buttons.length) % buttons.length];
    next.focus();
    next.click();
  });
  sync();
  return { sync, disable: (off) => { for (const b of buttons) b.disabled = off; } };
}
