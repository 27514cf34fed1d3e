//! The classifier two-sample test (Lopez-Paz and Oquab, 2017): train a classifier to tell real
//! from generated samples on part of them and measure its accuracy on the rest. If the two
//! sets come from one distribution no classifier beats a coin on held-out samples, so the
//! accuracy is Binomial(n, 1/2) / n under that hypothesis, and the one-sided binomial tail is
//! the test's p-value. The classifier: L2-regularised logistic regression on standardised
//! feature rows (the shipped classifier's 64 pooled features), fitted by Newton's method. The
//! same fitted classifier then takes the "real or fake?" quiz beside the people.

use serde::Serialize;

use crate::error::GanError;
use crate::eval::linalg::{self, solve_spd};
use crate::gan::loss::{sigmoid_f64 as sigmoid, softplus_f64 as softplus};
use crate::gan::rng::Rng;

/// The ridge on the weights (not the bias), on standardised features.
pub const RIDGE: f64 = 1.0;
/// The share of each set the classifier trains on; the rest measures it.
const TRAIN_SHARE: f64 = 0.75;

/// A fitted logistic regression: P(real | x) = sigmoid(w · (x − mean) / sd + b).
#[derive(Clone, Debug)]
pub struct Logistic {
    mean: Vec<f64>,
    inv_sd: Vec<f64>,
    /// The weights, then the bias.
    theta: Vec<f64>,
}

impl Logistic {
    /// Fits rows (`d` wide, flat) labelled `labels` (true: real) by minimising the cost
    /// Σ log(1 + e^(−t·s)) + ridge/2 · |w|² (t = ±1 the label, s the score) with Newton
    /// steps (halved until the cost falls), to a step below 1e-9. The features are standardised by the rows' own mean and
    /// standard deviation (a constant feature gets weight 0).
    pub fn fit(rows: &[f32], labels: &[bool], d: usize, ridge: f64) -> Logistic {
        let n = labels.len();
        let mean = linalg::mean(rows, d);
        let mut var = vec![0.0; d];
        for row in rows.chunks_exact(d) {
            for ((s, &v), m) in var.iter_mut().zip(row).zip(&mean) {
                *s += (v as f64 - m).powi(2);
            }
        }
        let inv_sd = var
            .iter()
            .map(|s| {
                let sd = (s / n as f64).sqrt();
                if sd > 1e-12 { 1.0 / sd } else { 0.0 }
            })
            .collect();
        let mut model = Logistic {
            mean,
            inv_sd,
            theta: vec![0.0; d + 1],
        };
        let z = model.standardise(rows);
        let mut cost = model.cost(&z, labels, ridge);
        for _ in 0..100 {
            let (g, h) = model.gradient_hessian(&z, labels, ridge);
            let Some(step) = solve_spd(&h, &g, d + 1) else {
                break;
            };
            let mut scale = 1.0;
            let before = model.theta.clone();
            loop {
                model.theta = before
                    .iter()
                    .zip(&step)
                    .map(|(t, s)| t - scale * s)
                    .collect();
                let c = model.cost(&z, labels, ridge);
                if c <= cost || scale < 1e-6 {
                    cost = c;
                    break;
                }
                scale *= 0.5;
            }
            if step.iter().all(|s| (scale * s).abs() < 1e-9) {
                break;
            }
        }
        model
    }

    /// Rows standardised, each with a trailing 1 for the bias: `n * (d + 1)`.
    fn standardise(&self, rows: &[f32]) -> Vec<f64> {
        let d = self.mean.len();
        let mut z = Vec::with_capacity(rows.len() / d * (d + 1));
        for row in rows.chunks_exact(d) {
            for ((&v, m), s) in row.iter().zip(&self.mean).zip(&self.inv_sd) {
                z.push((v as f64 - m) * s);
            }
            z.push(1.0);
        }
        z
    }

    fn score(&self, z: &[f64]) -> f64 {
        z.iter().zip(&self.theta).map(|(a, b)| a * b).sum()
    }

    fn cost(&self, z: &[f64], labels: &[bool], ridge: f64) -> f64 {
        let d1 = self.theta.len();
        let data: f64 = z
            .chunks_exact(d1)
            .zip(labels)
            .map(|(zi, &y)| softplus(if y { -1.0 } else { 1.0 } * self.score(zi)))
            .sum();
        let w = &self.theta[..d1 - 1];
        data + 0.5 * ridge * w.iter().map(|v| v * v).sum::<f64>()
    }

    /// The cost's gradient and Hessian at the current parameters (standardised rows `z`).
    fn gradient_hessian(&self, z: &[f64], labels: &[bool], ridge: f64) -> (Vec<f64>, Vec<f64>) {
        let d1 = self.theta.len();
        let mut g = vec![0.0; d1];
        let mut h = vec![0.0; d1 * d1];
        for (zi, &y) in z.chunks_exact(d1).zip(labels) {
            let p = sigmoid(self.score(zi));
            let r = p - if y { 1.0 } else { 0.0 };
            let w = p * (1.0 - p);
            for a in 0..d1 {
                g[a] += r * zi[a];
                let wa = w * zi[a];
                for b in 0..=a {
                    h[a * d1 + b] += wa * zi[b];
                }
            }
        }
        for a in 0..d1 {
            for b in 0..a {
                h[b * d1 + a] = h[a * d1 + b];
            }
            // The bias is not penalised; a whisker keeps H definite on degenerate data.
            h[a * d1 + a] += if a + 1 < d1 { ridge } else { 1e-9 };
            if a + 1 < d1 {
                g[a] += ridge * self.theta[a];
            }
        }
        (g, h)
    }

    /// The fitting cost's gradient at the fitted parameters (zero at the optimum): the check
    /// that the fit converged.
    pub fn gradient(&self, rows: &[f32], labels: &[bool], ridge: f64) -> Vec<f64> {
        self.gradient_hessian(&self.standardise(rows), labels, ridge)
            .0
    }

    /// P(real) of each row.
    pub fn probabilities(&self, rows: &[f32]) -> Vec<f64> {
        let d1 = self.theta.len();
        self.standardise(rows)
            .chunks_exact(d1)
            .map(|z| sigmoid(self.score(z)))
            .collect()
    }
}

/// P(X ≥ k) for X ~ Binomial(n, 1/2), summed in log space (exact to rounding for any n).
pub fn binomial_tail(n: usize, k: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // log C(n, k) - n log 2, then C(n, j + 1) = C(n, j) (n - j) / (j + 1).
    let mut log_term: f64 = (1..=k)
        .map(|i| ((n - k + i) as f64 / i as f64).ln())
        .sum::<f64>()
        - n as f64 * std::f64::consts::LN_2;
    let mut sum = 0.0;
    for j in k..=n {
        sum += log_term.exp();
        if j < n {
            log_term += ((n - j) as f64 / (j + 1) as f64).ln();
        }
    }
    sum.min(1.0)
}

/// The test's outcome, and the fitted classifier's verdicts on the judged rows.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TwoSample {
    /// Samples of each set the classifier trained on.
    pub train: usize,
    /// Samples of each set it was measured on.
    pub test: usize,
    /// Its accuracy on those (0.5: it cannot tell the sets apart).
    pub accuracy: f64,
    /// P(accuracy at least this high | the sets share one distribution).
    pub p_value: f64,
    /// P(real) of each judged row.
    pub probabilities: Vec<f64>,
}

/// The two-sample test of `real` against `fake` (feature rows `d` wide; the larger set cut to
/// the smaller's size), each set split with `seed` into a training and a measured part, and the
/// fitted classifier's P(real) of each row of `judged`. Refuses sets of fewer than 8 rows.
pub fn two_sample_test(
    real: &[f32],
    fake: &[f32],
    d: usize,
    judged: &[f32],
    seed: u64,
) -> Result<TwoSample, GanError> {
    let m = (real.len() / d).min(fake.len() / d);
    if m < 8 {
        return Err(GanError::Data(format!(
            "the two-sample test needs at least 8 samples of each set, not {m}"
        )));
    }
    let mut rng = Rng::new(seed);
    let mut order = |rows: &[f32]| {
        let mut idx: Vec<usize> = (0..rows.len() / d).collect();
        for i in (1..idx.len()).rev() {
            idx.swap(i, rng.below(i + 1));
        }
        idx.truncate(m);
        idx
    };
    let (ir, ifk) = (order(real), order(fake));
    let cut = ((m as f64 * TRAIN_SHARE).round() as usize).clamp(1, m - 1);
    let gather = |rows: &[f32], idx: &[usize], out: &mut Vec<f32>| {
        idx.iter()
            .for_each(|&i| out.extend_from_slice(&rows[i * d..(i + 1) * d]))
    };
    let (mut fit_rows, mut fit_labels) = (Vec::new(), Vec::new());
    gather(real, &ir[..cut], &mut fit_rows);
    gather(fake, &ifk[..cut], &mut fit_rows);
    fit_labels.extend((0..2 * cut).map(|i| i < cut));
    let model = Logistic::fit(&fit_rows, &fit_labels, d, RIDGE);
    let mut test_rows = Vec::new();
    gather(real, &ir[cut..], &mut test_rows);
    gather(fake, &ifk[cut..], &mut test_rows);
    let test = m - cut;
    let correct = model
        .probabilities(&test_rows)
        .iter()
        .enumerate()
        .filter(|&(i, &p)| (p > 0.5) == (i < test))
        .count();
    Ok(TwoSample {
        train: cut,
        test,
        accuracy: correct as f64 / (2 * test) as f64,
        p_value: binomial_tail(2 * test, correct),
        probabilities: model.probabilities(judged),
    })
}
