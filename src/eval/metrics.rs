//! Sample-quality metrics on feature rows, each as its reference implementation computes it:
//! Inception Score (Salimans et al. 2016, OpenAI's code), FID (pytorch-fid), KID (Bińkowski et
//! al. 2018, torch-fidelity's unbiased estimator), precision / recall (Kynkäänniemi et al. 2019)
//! and density / coverage (Naeem et al. 2020, the `prdc` package), and the digits a generator
//! covers. Plain f64 arithmetic on slices: the same code natively and in the page.

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::eval::linalg::{dot, eigh, matmul, mean_cov, sqrt_psd};
use crate::gan::rng::Rng;

/// A figure with its spread (standard deviation over splits or subsets).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
}

/// Inception Score of class probabilities (`probs`, `k` per row): exp(E_x KL(p(y|x) ‖ p(y)))
/// on each of `splits` consecutive parts (row `i * n / splits` up to the next), mean and
/// standard deviation (N, not N - 1) of the parts' scores.
pub fn inception_score(probs: &[f32], k: usize, splits: usize) -> Result<Spread, GanError> {
    let n = probs.len() / k;
    if n < splits || splits == 0 {
        return Err(GanError::Data(format!(
            "Inception Score: {n} samples cannot make {splits} splits"
        )));
    }
    let scores: Vec<f64> = (0..splits)
        .map(|s| {
            let part = &probs[s * n / splits * k..(s + 1) * n / splits * k];
            let m = part.len() / k;
            let mut py = vec![0.0f64; k];
            for row in part.chunks_exact(k) {
                py.iter_mut().zip(row).for_each(|(p, &v)| *p += v as f64);
            }
            py.iter_mut().for_each(|p| *p /= m as f64);
            let kl: f64 = part
                .chunks_exact(k)
                .map(|row| {
                    row.iter()
                        .zip(&py)
                        .filter(|(v, _)| **v > 0.0)
                        .map(|(&v, &q)| v as f64 * ((v as f64).ln() - q.ln()))
                        .sum::<f64>()
                })
                .sum();
            (kl / m as f64).exp()
        })
        .collect();
    Ok(spread(&scores, 0.0))
}

/// Mean and standard deviation of `xs`, the variance divided by N - `ddof`.
pub fn spread(xs: &[f64], ddof: f64) -> Spread {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - ddof).max(1.0);
    Spread {
        mean,
        sd: var.sqrt(),
    }
}

/// Mean and covariance of a feature set: what FID compares, and what the page ships for the
/// real digits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gaussian {
    /// Rows the statistics came from.
    pub n: usize,
    pub mu: Vec<f64>,
    /// `d * d`, row-major, divided by N - 1.
    pub sigma: Vec<f64>,
}

impl Gaussian {
    /// The statistics of `rows` (width `d`); at least two rows.
    pub fn of(rows: &[f32], d: usize) -> Result<Self, GanError> {
        let n = rows.len() / d;
        if n < 2 {
            return Err(GanError::Data(format!(
                "FID needs at least 2 samples, got {n}"
            )));
        }
        let (mu, sigma) = mean_cov(rows, d);
        Ok(Gaussian { n, mu, sigma })
    }

    /// Feature width.
    pub fn dim(&self) -> usize {
        self.mu.len()
    }
}

/// Fréchet distance between two Gaussians as pytorch-fid computes it:
/// ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr √(Σ₁Σ₂), the square root's trace the real part, from the
/// eigenvalues of Σ₁^½ Σ₂ Σ₁^½ (similar to Σ₁Σ₂); 1e-6 added to both diagonals only when that is
/// not finite.
pub fn frechet(a: &Gaussian, b: &Gaussian) -> Result<f64, GanError> {
    let d = a.dim();
    if b.dim() != d {
        return Err(GanError::Data(format!(
            "FID: feature widths differ ({d} and {})",
            b.dim()
        )));
    }
    let diff: f64 = a.mu.iter().zip(&b.mu).map(|(x, y)| (x - y).powi(2)).sum();
    let trace = |s: &[f64]| (0..d).map(|i| s[i * d + i]).sum::<f64>();
    let mut tr_covmean = trace_sqrt_product(&a.sigma, &b.sigma, d);
    if !tr_covmean.is_finite() {
        let offset = |s: &[f64]| {
            let mut s = s.to_vec();
            (0..d).for_each(|i| s[i * d + i] += 1e-6);
            s
        };
        tr_covmean = trace_sqrt_product(&offset(&a.sigma), &offset(&b.sigma), d);
    }
    let fid = diff + trace(&a.sigma) + trace(&b.sigma) - 2.0 * tr_covmean;
    if fid.is_finite() {
        Ok(fid)
    } else {
        Err(GanError::Data(
            "FID is not finite: the features hold NaN or infinite values".into(),
        ))
    }
}

/// tr √(AB) for symmetric positive semi-definite A, B: Σ √λ over the eigenvalues λ of
/// A^½ B A^½ (negative rounding noise taken as 0, as the real part of scipy's sqrtm is).
fn trace_sqrt_product(a: &[f64], b: &[f64], d: usize) -> f64 {
    if a.iter().chain(b).any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let s = sqrt_psd(a, d);
    let m = matmul(&matmul(&s, b, d), &s, d);
    let sym: Vec<f64> = (0..d * d)
        .map(|k| 0.5 * (m[k] + m[(k % d) * d + k / d]))
        .collect();
    eigh(&sym, d).0.iter().map(|l| l.max(0.0).sqrt()).sum()
}

/// FID between two feature sets.
pub fn fid(x: &[f32], y: &[f32], d: usize) -> Result<f64, GanError> {
    frechet(&Gaussian::of(x, d)?, &Gaussian::of(y, d)?)
}

/// Kernel Inception Distance: the unbiased MMD² with the cubic polynomial kernel
/// k(a, b) = (a·b / d + 1)³ between `subsets` random subsets (without replacement, drawn with
/// `seed`) of `size` rows of each set (at most the smaller set's size), mean and standard
/// deviation (N - 1, as torch-fidelity) over subsets.
pub fn kid(
    x: &[f32],
    y: &[f32],
    d: usize,
    subsets: usize,
    size: usize,
    seed: u64,
) -> Result<Spread, GanError> {
    let (nx, ny) = (x.len() / d, y.len() / d);
    let m = size.min(nx).min(ny);
    if m < 2 || subsets == 0 {
        return Err(GanError::Data(format!(
            "KID needs at least 2 samples in each set, got {nx} and {ny}"
        )));
    }
    let mut rng = Rng::new(seed);
    let mmds: Vec<f64> = (0..subsets)
        .map(|_| {
            let (ix, iy) = (choose(&mut rng, nx, m), choose(&mut rng, ny, m));
            let rows = |s: &[f32], idx: &[usize]| -> Vec<f32> {
                idx.iter()
                    .flat_map(|&i| s[i * d..i * d + d].to_vec())
                    .collect()
            };
            mmd2_unbiased(&rows(x, &ix), &rows(y, &iy), d)
        })
        .collect();
    Ok(spread(&mmds, if subsets > 1 { 1.0 } else { 0.0 }))
}

/// `m` distinct indices below `n` (a partial Fisher-Yates shuffle).
fn choose(rng: &mut Rng, n: usize, m: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = i + (rng.next_u64() % (n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(m);
    all
}

/// Unbiased MMD² of two equal-sized sets with the cubic polynomial kernel.
pub fn mmd2_unbiased(x: &[f32], y: &[f32], d: usize) -> f64 {
    let m = x.len() / d;
    let k = |a: &[f32], b: &[f32]| (dot(a, b) as f64 / d as f64 + 1.0).powi(3);
    let within = |s: &[f32]| {
        let mut sum = 0.0;
        for i in 0..m {
            for j in i + 1..m {
                sum += k(&s[i * d..i * d + d], &s[j * d..j * d + d]);
            }
        }
        2.0 * sum / (m * (m - 1)) as f64
    };
    let mut cross = 0.0;
    for a in x.chunks_exact(d) {
        for b in y.chunks_exact(d) {
            cross += k(a, b);
        }
    }
    within(x) + within(y) - 2.0 * cross / (m * m) as f64
}
