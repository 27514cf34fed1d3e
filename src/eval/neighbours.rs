//! Fidelity and variety from nearest neighbours in feature space: precision and recall
//! (Kynkäänniemi et al. 2019: a sample is inside the real manifold when it lies within some
//! real row's ball, radius the distance to that row's k-th nearest real neighbour, `<=` as
//! their code), density and coverage (Naeem et al. 2020, the `prdc` package: `<`).

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::eval::linalg::sq_dist;

/// Squared Euclidean distances between every row of `a` and every row of `b`, `[na * nb]`.
pub fn sq_distances(a: &[f32], b: &[f32], d: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(a.len() / d * (b.len() / d));
    for x in a.chunks_exact(d) {
        for y in b.chunks_exact(d) {
            out.push(sq_dist(x, y) as f64);
        }
    }
    out
}

/// Per row of `rows`, the squared distance to its `k`-th nearest other row.
pub fn kth_radii(rows: &[f32], d: usize, k: usize) -> Result<Vec<f64>, GanError> {
    let n = rows.len() / d;
    if n <= k {
        return Err(GanError::Data(format!(
            "nearest neighbours: {n} samples are too few for k = {k}"
        )));
    }
    let dist = sq_distances(rows, rows, d);
    Ok(dist
        .chunks_exact(n)
        .map(|row| {
            let mut r = row.to_vec();
            // Index 0 after partitioning is the row itself (distance 0), as in both references.
            r.select_nth_unstable_by(k, f64::total_cmp);
            r[k]
        })
        .collect())
}

/// Precision, recall, density and coverage of `fake` against `real`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifold {
    pub precision: f64,
    pub recall: f64,
    pub density: f64,
    pub coverage: f64,
}

/// Precision and recall with `k_pr` (3), density and coverage with `k_dc` (5).
pub fn manifold(
    real: &[f32],
    fake: &[f32],
    d: usize,
    k_pr: usize,
    k_dc: usize,
) -> Result<Manifold, GanError> {
    let (nr, nf) = (real.len() / d, fake.len() / d);
    let real_pr = kth_radii(real, d, k_pr)?;
    let fake_pr = kth_radii(fake, d, k_pr)?;
    let real_dc = kth_radii(real, d, k_dc)?;
    let rf = sq_distances(real, fake, d); // [nr * nf]
    let precision = (0..nf)
        .filter(|&j| (0..nr).any(|i| rf[i * nf + j] <= real_pr[i]))
        .count() as f64
        / nf as f64;
    let recall = (0..nr)
        .filter(|&i| (0..nf).any(|j| rf[i * nf + j] <= fake_pr[j]))
        .count() as f64
        / nr as f64;
    let inside: usize = (0..nf)
        .map(|j| (0..nr).filter(|&i| rf[i * nf + j] < real_dc[i]).count())
        .sum();
    let density = inside as f64 / k_dc as f64 / nf as f64;
    let coverage = (0..nr)
        .filter(|&i| {
            let nearest = rf[i * nf..i * nf + nf]
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            nearest < real_dc[i]
        })
        .count() as f64
        / nr as f64;
    Ok(Manifold {
        precision,
        recall,
        density,
        coverage,
    })
}

/// Which digits a generator makes: the histogram of samples' top digit (of the ten; `probs`
/// rows of `k` >= 10, the first ten the digits), how many digits hold at least 1 % of the
/// samples, and the histogram's entropy in bits (log2 10 ≈ 3.32 for an even spread, 0 for
/// one digit only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    pub histogram: [usize; 10],
    pub covered: usize,
    pub entropy_bits: f64,
}

/// The digits covered by samples with class probabilities `probs` (`k` per row).
pub fn digits_covered(probs: &[f32], k: usize) -> Coverage {
    let mut histogram = [0usize; 10];
    for row in probs.chunks_exact(k) {
        let top = row[..10]
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i)
            .expect("ten digits");
        histogram[top] += 1;
    }
    let n: usize = histogram.iter().sum();
    let covered = histogram.iter().filter(|&&c| c > 0 && c * 100 >= n).count();
    let entropy_bits = histogram
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum::<f64>()
        .abs();
    Coverage {
        histogram,
        covered,
        entropy_bits,
    }
}
