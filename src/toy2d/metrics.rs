//! What the 2-D playground measures of a run, on the host in f64: the mode-collapse metrics of
//! VEEGAN / PacGAN, kernel density estimates, the optimal discriminator D* and the value of the
//! game at D*, V(G, D*) = -log 4 + 2 JSD(p_data || p_g) (Goodfellow et al., 2014, Theorem 1).
//!
//! Densities are compared like with like: p_g is only known through samples, so it is a Gaussian
//! kernel density estimate with bandwidth h, and p_data is smoothed by the same kernel (for the
//! Gaussian mixtures exactly: each component's variance grows by h^2). If G's samples came from
//! p_data, both would then estimate the same function, and D* would be 1/2 everywhere.

use crate::data::Distribution2d;
use crate::data::toy2d::nearest;

/// The VEEGAN / PacGAN mode-collapse readout of a set of generated points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModeStats {
    /// Modes with at least one high-quality sample nearest to them.
    pub modes_captured: usize,
    /// Modes of the mixture.
    pub modes_total: usize,
    /// Percentage of samples within 3 standard deviations of their nearest mode centre.
    pub high_quality_pct: f64,
}

/// Mode metrics of `points` (flat `[x0, y0, ...]`) against the mixture `modes` of standard
/// deviation `std`: a sample is high quality if it lies within 3 `std` of the nearest mode
/// centre; a mode is captured if at least one high-quality sample is nearest to it.
pub fn mode_metrics(points: &[f32], modes: &[[f64; 2]], std: f64) -> ModeStats {
    let n = points.len() / 2;
    let mut captured = vec![false; modes.len()];
    let mut good = 0usize;
    for p in points.chunks_exact(2) {
        let (x, y) = (p[0] as f64, p[1] as f64);
        let nearest = modes
            .iter()
            .map(|m| (x - m[0]).powi(2) + (y - m[1]).powi(2))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, d2)) = nearest
            && d2.sqrt() <= 3.0 * std
        {
            good += 1;
            captured[j] = true;
        }
    }
    ModeStats {
        modes_captured: captured.iter().filter(|&&c| c).count(),
        modes_total: modes.len(),
        high_quality_pct: if n == 0 {
            0.0
        } else {
            100.0 * good as f64 / n as f64
        },
    }
}

/// The bandwidth of every kernel density estimate in the playground: a twentieth of the plot's
/// half-width (0.15 for the default ring, 0.3 for the grid). Fixed rather than Scott's rule,
/// which over-smooths multimodal data: the kernel must stay narrower than the gaps between modes.
pub fn bandwidth(extent: f64) -> f64 {
    extent / 20.0
}

/// A Gaussian kernel density estimate in the plane, bandwidth `h`.
#[derive(Clone, Debug)]
pub struct Kde {
    points: Vec<[f64; 2]>,
    h: f64,
}

impl Kde {
    /// The estimate from flat `[x0, y0, ...]` samples.
    pub fn new(points: &[f32], h: f64) -> Self {
        Self {
            points: points
                .chunks_exact(2)
                .map(|p| [p[0] as f64, p[1] as f64])
                .collect(),
            h,
        }
    }

    /// The estimated density at `x`: the mean of isotropic Gaussians N(x_i, h^2 I).
    pub fn pdf(&self, x: [f64; 2]) -> f64 {
        if self.points.is_empty() {
            return 0.0;
        }
        let inv = 1.0 / (2.0 * self.h * self.h);
        let norm = 1.0 / (2.0 * std::f64::consts::PI * self.h * self.h);
        // Kernels further than 6 h away weigh under e^-18 = 1.5e-8 of their peak: skipped, which
        // makes the estimate several times cheaper on spread-out samples.
        let cut = 36.0 * self.h * self.h;
        let sum: f64 = self
            .points
            .iter()
            .map(|p| {
                let d2 = (x[0] - p[0]).powi(2) + (x[1] - p[1]).powi(2);
                if d2 > cut { 0.0 } else { (-d2 * inv).exp() }
            })
            .sum();
        norm * sum / self.points.len() as f64
    }
}

/// An isotropic 2-D Gaussian density with variance `var` per axis, at squared distance `d2`.
fn gauss(d2: f64, var: f64) -> f64 {
    (-d2 / (2.0 * var)).exp() / (2.0 * std::f64::consts::PI * var)
}

/// The data density, smoothed by the playground's kernel of bandwidth `h`: exact for the
/// Gaussian mixtures (equal weights, variance std^2 + h^2 per component), a kernel density
/// estimate of a large sample for the curves.
#[derive(Clone, Debug)]
pub enum DataDensity {
    /// An equal-weight mixture of isotropic Gaussians.
    Mixture {
        /// Component means.
        means: Vec<[f64; 2]>,
        /// Per-axis variance of each component, the kernel's included.
        var: f64,
    },
    /// A kernel density estimate.
    Sampled(Kde),
}

impl DataDensity {
    /// The smoothed density of `data`; `sample` is used where no closed form exists. A drawing
    /// is a mixture at its points, so its smoothed density is the kernel density estimate of
    /// the points with kernel variance std^2 + h^2.
    pub fn new(data: &Distribution2d, h: f64, sample: impl FnOnce() -> Vec<f32>) -> Self {
        let means = data.components();
        if means.is_empty() {
            DataDensity::Sampled(Kde::new(&sample(), h))
        } else {
            DataDensity::Mixture {
                means,
                var: data.std * data.std + h * h,
            }
        }
    }

    /// The density at `x`.
    pub fn pdf(&self, x: [f64; 2]) -> f64 {
        match self {
            DataDensity::Mixture { means, var } => {
                means
                    .iter()
                    .map(|m| gauss((x[0] - m[0]).powi(2) + (x[1] - m[1]).powi(2), *var))
                    .sum::<f64>()
                    / means.len() as f64
            }
            DataDensity::Sampled(k) => k.pdf(x),
        }
    }
}

/// A conditional run's densities at each of the flat `grid` points, given the label of the
/// component nearest to it (`c`, as the heatmap asks D): p_data(x | c), the component's
/// Gaussian smoothed by the kernel (per-axis variance `var`), and p_g(x | c), the kernel density
/// estimate (bandwidth `h`) of the generated `points` whose label is c. D*(x | c) is their
/// `optimal_d`.
pub fn conditional_densities(
    grid: &[f32],
    points: &[f32],
    labels: &[usize],
    modes: &[[f64; 2]],
    var: f64,
    h: f64,
) -> Vec<(f64, f64)> {
    let per_class: Vec<Kde> = (0..modes.len())
        .map(|c| {
            let mine: Vec<f32> = points
                .chunks_exact(2)
                .zip(labels)
                .filter(|(_, l)| **l == c)
                .flat_map(|(p, _)| [p[0], p[1]])
                .collect();
            Kde::new(&mine, h)
        })
        .collect();
    grid.chunks_exact(2)
        .map(|p| {
            let x = [p[0] as f64, p[1] as f64];
            let c = nearest(modes, x);
            let m = modes[c];
            let pd = gauss((x[0] - m[0]).powi(2) + (x[1] - m[1]).powi(2), var);
            (pd, per_class[c].pdf(x))
        })
        .collect()
}

/// The percentage of the flat `points` within 3 `std` of the centre of their own label's mode
/// (`labels[i]` indexes `modes`): how often a conditional generator makes what it was asked for.
pub fn on_label_pct(points: &[f32], labels: &[usize], modes: &[[f64; 2]], std: f64) -> f64 {
    let n = labels.len().min(points.len() / 2);
    if n == 0 {
        return 0.0;
    }
    let hits = points
        .chunks_exact(2)
        .zip(labels)
        .filter(|(p, l)| {
            let m = modes[**l];
            ((p[0] as f64 - m[0]).powi(2) + (p[1] as f64 - m[1]).powi(2)).sqrt() <= 3.0 * std
        })
        .count();
    100.0 * hits as f64 / n as f64
}

/// D*(x) = p_data(x) / (p_data(x) + p_g(x)); 1/2 where both vanish.
pub fn optimal_d(p_data: f64, p_g: f64) -> f64 {
    let s = p_data + p_g;
    if s > 0.0 { p_data / s } else { 0.5 }
}

/// The smallest probability a log is taken of (keeps V finite where D* is 0 or 1 in f64).
const LOG_FLOOR: f64 = 1e-12;

/// V(G, D*) = E_{x ~ p_data}[log D*(x)] + E_{x ~ p_g}[log(1 - D*(x))], by Monte Carlo over the
/// flat samples `real` and `fake`, with D* from the two density functions.
pub fn value_at_optimum(
    real: &[f32],
    fake: &[f32],
    p_data: impl Fn([f64; 2]) -> f64,
    p_g: impl Fn([f64; 2]) -> f64,
) -> f64 {
    let mean = |pts: &[f32], f: &dyn Fn([f64; 2]) -> f64| {
        let n = pts.len() / 2;
        pts.chunks_exact(2)
            .map(|p| f([p[0] as f64, p[1] as f64]))
            .sum::<f64>()
            / n.max(1) as f64
    };
    let d = |x: [f64; 2]| optimal_d(p_data(x), p_g(x));
    mean(real, &|x| d(x).max(LOG_FLOOR).ln()) + mean(fake, &|x| (1.0 - d(x)).max(LOG_FLOOR).ln())
}

/// The Jensen-Shannon divergence that V(G, D*) implies: (V + log 4) / 2, in [0, log 2].
pub fn jsd_from_value(v: f64) -> f64 {
    (v + 4f64.ln()) / 2.0
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::gan::rng::Rng;

    fn flat(points: &[[f64; 2]]) -> Vec<f32> {
        points
            .iter()
            .flat_map(|p| [p[0] as f32, p[1] as f32])
            .collect()
    }

    #[test]
    fn mode_metrics_of_hand_built_sets() {
        let ring = Distribution2d::new(Dataset::Ring8, None, None);
        let (modes, sd) = (ring.modes(), ring.std);
        // Every mode hit exactly: 8 / 8, 100 %.
        let all = mode_metrics(&flat(&modes), &modes, sd);
        assert_eq!((all.modes_captured, all.modes_total), (8, 8));
        assert_eq!(all.high_quality_pct, 100.0);
        // Everything on one mode, just inside 3 sd: 1 / 8, 100 %.
        let one: Vec<[f64; 2]> = (0..10)
            .map(|_| [modes[3][0] + 2.9 * sd, modes[3][1]])
            .collect();
        let m = mode_metrics(&flat(&one), &modes, sd);
        assert_eq!((m.modes_captured, m.high_quality_pct), (1, 100.0));
        // Off-mode noise (the origin, and just outside 3 sd of a mode): nothing captured, 0 %.
        let off = [[0.0, 0.0], [modes[0][0] + 3.1 * sd, modes[0][1]]];
        let m = mode_metrics(&flat(&off), &modes, sd);
        assert_eq!((m.modes_captured, m.high_quality_pct), (0, 0.0));
        // Half on two modes, half off: 2 / 8, 50 %.
        let mixed = [modes[0], modes[5], [0.0, 0.0], [1.0, 1.0]];
        let m = mode_metrics(&flat(&mixed), &modes, sd);
        assert_eq!((m.modes_captured, m.high_quality_pct), (2, 50.0));
        // The grid: 25 modes.
        let grid = Distribution2d::new(Dataset::Grid25, None, None);
        let m = mode_metrics(&flat(&grid.modes()), &grid.modes(), grid.std);
        assert_eq!((m.modes_captured, m.modes_total), (25, 25));
    }

    #[test]
    fn kde_integrates_to_one_and_matches_a_single_kernel() {
        let k = Kde::new(&[0.5, -0.5], 0.3);
        let at = k.pdf([0.5, -0.5]);
        assert!((at - 1.0 / (2.0 * std::f64::consts::PI * 0.09)).abs() < 1e-12);
        // Riemann sum over [-3, 3]^2.
        let n = 300;
        let dx = 6.0 / n as f64;
        let mut total = 0.0;
        for i in 0..n {
            for j in 0..n {
                let x = [-3.0 + (i as f64 + 0.5) * dx, -3.0 + (j as f64 + 0.5) * dx];
                total += k.pdf(x) * dx * dx;
            }
        }
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }

    #[test]
    fn value_is_minus_log_four_for_identical_distributions_and_more_otherwise() {
        let ring = Distribution2d::new(Dataset::Ring8, None, None);
        let h = bandwidth(ring.extent());
        let mut rng = Rng::new(1);
        let real = ring.sample(&mut rng, 1000);
        // The generator's samples are the data's own: D* = 1/2, V = -log 4, JSD = 0.
        let kde = Kde::new(&real, h);
        let v = value_at_optimum(&real, &real, |x| kde.pdf(x), |x| kde.pdf(x));
        assert!((v + 4f64.ln()).abs() < 1e-3, "{v}");
        assert!(jsd_from_value(v).abs() < 1e-2);
        // Fresh draws from p_data, p_data exact (smoothed by the same kernel): close to -log 4.
        let exact = DataDensity::new(&ring, h, Vec::new);
        let fake = ring.sample(&mut rng, 1000);
        let pg = Kde::new(&fake, h);
        let v = value_at_optimum(&real, &fake, |x| exact.pdf(x), |x| pg.pdf(x));
        assert!((v + 4f64.ln()).abs() < 0.02, "{v}");
        // Half the modes only: strictly above -log 4.
        let half: Vec<f32> = fake
            .chunks_exact(2)
            .filter(|p| p[1] > 0.1)
            .flatten()
            .copied()
            .collect();
        let pg = Kde::new(&half, h);
        let v_half = value_at_optimum(&real, &half, |x| exact.pdf(x), |x| pg.pdf(x));
        assert!(v_half > -4f64.ln() + 0.1, "{v_half}");
    }

    #[test]
    fn jsd_is_log_two_for_disjoint_distributions() {
        let mut rng = Rng::new(3);
        let blob = |cx: f64, rng: &mut Rng| -> Vec<f32> {
            (0..500)
                .flat_map(|_| {
                    [
                        (cx + 0.1 * rng.normal()) as f32,
                        (0.1 * rng.normal()) as f32,
                    ]
                })
                .collect()
        };
        let (real, fake) = (blob(-5.0, &mut rng), blob(5.0, &mut rng));
        let (pd, pg) = (Kde::new(&real, 0.15), Kde::new(&fake, 0.15));
        let v = value_at_optimum(&real, &fake, |x| pd.pdf(x), |x| pg.pdf(x));
        assert!((jsd_from_value(v) - 2f64.ln()).abs() < 1e-2, "{v}");
    }

    #[test]
    fn mixture_density_is_the_smoothed_mixture() {
        let ring = Distribution2d::new(Dataset::Ring8, None, None);
        let d = DataDensity::new(&ring, 0.1, Vec::new);
        let var = 0.02f64.powi(2) + 0.01;
        let at_mode = d.pdf(ring.modes()[2]);
        // One component at its peak (the others are ~1.5 away: negligible), weight 1/8.
        assert!((at_mode - 1.0 / (8.0 * 2.0 * std::f64::consts::PI * var)).abs() < 1e-9);
        assert_eq!(optimal_d(0.0, 0.0), 0.5);
        assert_eq!(optimal_d(3.0, 1.0), 0.75);
    }
}
