// The 2-D labs' readouts that depend on the run: what the heatmap shows for each loss, when
// the mode-collapse alarm sounds, and which generated points lie outside the view. Pure
// functions (no DOM), so the page and the tests read the same rules.

/** The collapse alarm: this many readouts in a row below the run's best before them. */
export const ALARM_READOUTS = 5;

/**
 * The heatmap's label and caption for each loss: what the background shows, and whether
 * |D − D*| means anything (only where D is a probability whose optimum is D*).
 */
export function heatmapFor(loss) {
  if (loss === 'wganGp') {
    return { label: 'critic D(x)', diff: false, caption: "background: the critic's value D(x), a score with no fixed scale (only its differences count): colours stretched over this frame's range, green high (judged real), orange low. D* is the optimal classifier's, for comparison; |D − D*| does not apply to a critic." };
  }
  if (loss === 'hinge') {
    return { label: 'σ(D(x))', diff: false, caption: "background: σ(D(x)), the hinge critic's score through a sigmoid: green where it calls x real (score above 0), orange where fake, white at 0. Not a probability, so |D − D*| does not apply." };
  }
  if (loss === 'leastSquares') {
    return { label: 'D(x)', diff: true, caption: "background: D(x), the least-squares score (reals regressed to 1, fakes to 0) clamped to [0, 1]: green near 1, orange near 0, white at ½. Its optimum is D* too." };
  }
  return { label: 'D(x)', diff: true, caption: "background: D(x), the discriminator's belief that x is real: green near 1, orange near 0, white at ½ (where it ends when G matches the data)." };
}

/**
 * Modes lost by a sustained collapse, from the mode counts of every readout so far: the last
 * ALARM_READOUTS readouts all capture fewer modes than the best readout before them (then the
 * shortfall of the best of them), else 0. One readout's dip is noise, not collapse.
 * @param {number[]} history modes captured at each readout, oldest first
 */
export function modesLost(history) {
  if (history.length <= ALARM_READOUTS) return 0;
  const best = Math.max(...history.slice(0, -ALARM_READOUTS));
  const recent = Math.max(...history.slice(-ALARM_READOUTS));
  return recent < best ? best - recent : 0;
}

/** Generated points outside the square view [-extent, extent]^2: how many, and the farthest |x|. */
export function outsideView(points, extent) {
  let n = 0;
  let far = 0;
  if (!points) return { n, far };
  for (let i = 0; i + 1 < points.length; i += 2) {
    const r = Math.max(Math.abs(points[i]), Math.abs(points[i + 1]));
    if (!(r <= extent)) {
      n += 1;
      far = Number.isFinite(r) ? Math.max(far, r) : Infinity;
    }
  }
  return { n, far };
}
