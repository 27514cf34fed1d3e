// The brush: press and drag on the plane to draw a distribution (a point every BRUSH_SPACING
// units, at most MAX_POINTS); each finished stroke restarts the run on the whole drawing, the
// dataset "drawn" with the points in its config.

const $ = (id) => document.getElementById(id);
/** Half-width of the canvas a drawing is made on (the engine's default dataScale for "drawn"). */
const DRAW_EXTENT = 2.5;
/** A brush stroke leaves a point every this many data units. */
const BRUSH_SPACING = 0.05;
/** The most points a drawing may have (the engine's limit). */
const MAX_POINTS = 2000;

/**
 * Wires the brush to the plane of `pg`'s run.
 * @param {import('./lab.js').Toy2dLab} pg
 * @param {import('../views/plot.js').PlanePlot} plot
 * @param {{apply: Function, readControls: Function, showError: Function}} page
 */
export function mountBrush(pg, plot, { apply, readControls, showError }) {
  const brush = { on: false, points: [], stroke: null };

  function setBrush(on) {
    brush.on = on;
    $('draw').textContent = on ? 'Stop drawing' : 'Draw data';
    $('draw').setAttribute('aria-pressed', String(on));
    $('plane').classList.toggle('drawing', on);
    $('draw-hint').hidden = !on;
    // The brush's buttons show while drawing or on a drawn dataset (the thumbnail starts one).
    $('brush').hidden = !on && pg.engineConfig.dataset !== 'drawn';
  }

  /** An empty canvas to draw on: the run pauses; training resumes on the first stroke. */
  function start() {
    pg.pause();
    brush.points = [];
    setBrush(true);
    $('dataset').value = 'drawn';
    Object.assign(plot, { extent: DRAW_EXTENT, real: null, fake: null, grid: null, arrows: null, manifold: null, dStar: null, banner: '' });
    plot.draw();
  }

  $('draw').addEventListener('click', () => {
    if (brush.on) setBrush(false);
    else if (pg.engineConfig.dataset === 'drawn') setBrush(true); // add strokes to this drawing
    else start();
  });
  $('clear-drawing').addEventListener('click', start);
  const plane = $('plane');
  function addPoint(e) {
    const [x, y] = plot.fromClient(e.clientX, e.clientY);
    const q = (v) => Math.round(Math.max(-DRAW_EXTENT, Math.min(DRAW_EXTENT, v)) * 1000) / 1000;
    const p = [q(x), q(y)];
    const last = brush.stroke[brush.stroke.length - 1];
    if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < BRUSH_SPACING) return;
    if (brush.points.length + brush.stroke.length >= MAX_POINTS) {
      showError(`a drawing holds at most ${MAX_POINTS} points: clear it to draw anew`);
      return;
    }
    brush.stroke.push(p);
    plot.stroke = [...brush.points, ...brush.stroke].flat();
    plot.draw();
  }
  plane.addEventListener('pointerdown', (e) => {
    if (!brush.on || e.button !== 0) return;
    e.preventDefault();
    plane.setPointerCapture(e.pointerId);
    brush.stroke = [];
    addPoint(e);
  });
  plane.addEventListener('pointermove', (e) => {
    if (brush.stroke) addPoint(e);
  });
  function endStroke() {
    if (!brush.stroke) return;
    brush.points.push(...brush.stroke);
    brush.stroke = null;
    plot.stroke = null;
    if (brush.points.length < 2) {
      showError('draw a little more: a drawing needs at least 2 points');
      return;
    }
    apply({ ...readControls(), dataset: 'drawn', points: brush.points.slice() }, { play: true });
  }
  plane.addEventListener('pointerup', endStroke);
  plane.addEventListener('pointercancel', endStroke);

  return {
    /** The drawing's points. */
    points: () => brush.points.slice(),
    /** Whether a drawing of 2 points at least exists. */
    hasDrawing: () => brush.points.length >= 2,
    /** A fresh canvas is being drawn on (nothing to show or reset yet). */
    blank: () => brush.on && pg.engineConfig.dataset !== 'drawn',
    /** A new run: its drawing becomes the brush's, or the brush stops for another dataset. */
    follow(config) {
      if (config.dataset === 'drawn') brush.points = config.points.map((p) => [p[0], p[1]]);
      setBrush(config.dataset === 'drawn' && brush.on);
    },
    start,
  };
}
