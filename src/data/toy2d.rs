//! The built-in 2-D target distributions, sampled on the host with the engine's own RNG.
//!
//! Defaults follow the papers the playground compares with: the ring of 8 Gaussians of Metz et
//! al. (2017, "Unrolled GANs": radius 2, sd 0.02), the 5 x 5 grid of PacGAN (Lin et al., 2018:
//! means {-4, -2, 0, 2, 4}^2, sd 0.05), scikit-learn's two moons, an Archimedean spiral, and
//! the user's own drawing (points from the page's brush, each one a small Gaussian).

use serde::{Deserialize, Serialize};

use crate::gan::rng::Rng;

/// A built-in target distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Dataset {
    /// 8 Gaussians with means on a circle at angles 2*pi*i/8, i = 0..7.
    /// Scale: the radius (default 2). Std: default 0.02.
    Ring8,
    /// 25 Gaussians with means on a 5 x 5 grid centred on the origin.
    /// Scale: the spacing (default 2, so means in {-4, ..., 4}). Std: default 0.05.
    Grid25,
    /// Two interleaved half circles (scikit-learn's `make_moons`), centred.
    /// Scale: the moons' radius (default 2). Std: default 0.05.
    TwoMoons,
    /// One arm of an Archimedean spiral, 1.5 turns, density even along the arm.
    /// Scale: the outer radius (default 3). Std: default 0.05.
    Spiral,
    /// One isotropic Gaussian centred on the origin, the simplest target (and the one where D*
    /// is smooth). Scale: unused. Std: its standard deviation (default 0.5).
    OneGaussian,
    /// The user's drawing: an equal mixture of Gaussians centred on the config's `points`.
    /// Scale: the half-width of the canvas the points were drawn on (default 2.5; every point
    /// must lie inside it). Std: each point's spread (default 0.05).
    Drawn,
}

impl Dataset {
    /// The default scale (see each variant).
    pub fn default_scale(self) -> f64 {
        match self {
            Dataset::Ring8 => 2.0,
            Dataset::Grid25 => 2.0,
            Dataset::TwoMoons => 2.0,
            Dataset::Spiral => 3.0,
            Dataset::OneGaussian => 1.0,
            Dataset::Drawn => 2.5,
        }
    }

    /// The default noise standard deviation (see each variant).
    pub fn default_std(self) -> f64 {
        match self {
            Dataset::Ring8 => 0.02,
            Dataset::Grid25 => 0.05,
            Dataset::TwoMoons | Dataset::Spiral | Dataset::Drawn => 0.05,
            Dataset::OneGaussian => 0.5,
        }
    }
}

/// A dataset with its scale and noise fixed: draws points and knows its modes.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution2d {
    /// Which distribution.
    pub dataset: Dataset,
    /// Its scale (radius or spacing).
    pub scale: f64,
    /// Its noise standard deviation.
    pub std: f64,
    /// The drawn points (`Dataset::Drawn` only; empty otherwise).
    pub points: Vec<[f64; 2]>,
}

impl Distribution2d {
    /// The distribution with the given scale and std, or the dataset's defaults where `None`.
    pub fn new(dataset: Dataset, scale: Option<f64>, std: Option<f64>) -> Self {
        Self {
            dataset,
            scale: scale.unwrap_or(dataset.default_scale()),
            std: std.unwrap_or(dataset.default_std()),
            points: Vec::new(),
        }
    }

    /// The same distribution with the drawn `points` (used by `Dataset::Drawn`).
    pub fn with_points(mut self, points: Vec<[f64; 2]>) -> Self {
        self.points = points;
        self
    }

    /// The centres of the equal-weight Gaussian mixture this distribution is, where it is one
    /// (the ring, the grid, the one Gaussian and a drawing); empty for the curves.
    pub fn components(&self) -> Vec<[f64; 2]> {
        match self.dataset {
            Dataset::Drawn => self.points.clone(),
            _ => self.modes(),
        }
    }

    /// Mode centres of the Gaussian mixtures (ring, grid, one Gaussian), the ones the mode
    /// metrics count; empty for the curves and for a drawing (whose points are not modes).
    pub fn modes(&self) -> Vec<[f64; 2]> {
        match self.dataset {
            Dataset::Ring8 => (0..8)
                .map(|i| {
                    // 2*pi*i/8 for i in 0..8: eight distinct angles (a linspace that includes
                    // 2*pi would put the last mode on top of the first).
                    let a = 2.0 * std::f64::consts::PI * i as f64 / 8.0;
                    [self.scale * a.cos(), self.scale * a.sin()]
                })
                .collect(),
            Dataset::Grid25 => (0..25)
                .map(|i| {
                    let (r, c) = ((i / 5) as f64 - 2.0, (i % 5) as f64 - 2.0);
                    [c * self.scale, r * self.scale]
                })
                .collect(),
            Dataset::OneGaussian => vec![[0.0, 0.0]],
            Dataset::TwoMoons | Dataset::Spiral | Dataset::Drawn => Vec::new(),
        }
    }

    /// Half the side of a square, centred on the origin, that holds the distribution with a margin:
    /// the extent of the plot and of the discriminator heatmap.
    pub fn extent(&self) -> f64 {
        if self.dataset == Dataset::Drawn {
            // The canvas the user drew on: fixed, so that drawing never rescales the plot.
            return self.scale;
        }
        let reach = match self.dataset {
            Dataset::Ring8 => self.scale,
            Dataset::Grid25 => 2.0 * self.scale,
            Dataset::TwoMoons => 1.5 * self.scale,
            Dataset::Spiral => self.scale,
            Dataset::OneGaussian | Dataset::Drawn => 0.0,
        };
        (reach + 3.0 * self.std) * 1.35
    }

    /// Draws `n` points as a flat `[x0, y0, x1, y1, ...]`.
    pub fn sample(&self, rng: &mut Rng, n: usize) -> Vec<f32> {
        self.sample_labelled(rng, n).0
    }

    /// Draws `n` points as `sample` does (the same points from the same stream), each with the
    /// mixture component it came from: the label of a conditional run. The curves have no
    /// components; their labels are 0.
    pub fn sample_labelled(&self, rng: &mut Rng, n: usize) -> (Vec<f32>, Vec<usize>) {
        let mut out = Vec::with_capacity(2 * n);
        let mut labels = Vec::with_capacity(n);
        let modes = self.components();
        for _ in 0..n {
            let mut label = 0;
            let [x, y] = match self.dataset {
                Dataset::Ring8 | Dataset::Grid25 | Dataset::OneGaussian | Dataset::Drawn => {
                    label = rng.below(modes.len());
                    modes[label]
                }
                Dataset::TwoMoons => {
                    let t = std::f64::consts::PI * rng.uniform();
                    // Upper moon centred at (0, 0), lower at (1, 0.5) below it, as make_moons,
                    // then shifted so the pair is centred on the origin.
                    let (x, y) = if rng.below(2) == 0 {
                        (t.cos(), t.sin())
                    } else {
                        (1.0 - t.cos(), 0.5 - t.sin())
                    };
                    [(x - 0.5) * self.scale, (y - 0.25) * self.scale]
                }
                Dataset::Spiral => {
                    // Radius proportional to angle; angle by sqrt of a uniform so that the
                    // points are even per unit of arc length (approximately, for this spiral).
                    let turns = 1.5;
                    let theta_max = 2.0 * std::f64::consts::PI * turns;
                    let theta = 0.15 * theta_max + 0.85 * theta_max * rng.uniform().sqrt();
                    let r = self.scale * theta / theta_max;
                    [r * theta.cos(), r * theta.sin()]
                }
            };
            out.push((x + self.std * rng.normal()) as f32);
            out.push((y + self.std * rng.normal()) as f32);
            labels.push(label);
        }
        (out, labels)
    }
}

/// The index of the centre nearest to `p` (the first of equals): the label a conditional run's
/// views give a point of the plane. 0 where there are no centres.
pub fn nearest(centres: &[[f64; 2]], p: [f64; 2]) -> usize {
    centres
        .iter()
        .map(|m| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(j, _)| j)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn ring_has_eight_distinct_modes_on_the_circle() {
        let d = Distribution2d::new(Dataset::Ring8, None, None);
        let m = d.modes();
        assert_eq!(m.len(), 8);
        for (i, [x, y]) in m.iter().enumerate() {
            assert!(((x * x + y * y).sqrt() - 2.0).abs() < 1e-12);
            let a = 2.0 * std::f64::consts::PI * i as f64 / 8.0;
            assert!((x - 2.0 * a.cos()).abs() < 1e-12 && (y - 2.0 * a.sin()).abs() < 1e-12);
        }
        // The first and last modes are 45 degrees apart, not on top of each other.
        let (a, b) = (m[0], m[7]);
        let gap = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        assert!((gap - 2.0 * 2.0 * (std::f64::consts::PI / 8.0).sin()).abs() < 1e-12);
    }

    #[test]
    fn grid_means_are_the_pacgan_grid() {
        let d = Distribution2d::new(Dataset::Grid25, None, None);
        let mut xs: Vec<i64> = d.modes().iter().map(|m| m[0] as i64).collect();
        xs.sort();
        xs.dedup();
        assert_eq!(xs, vec![-4, -2, 0, 2, 4]);
        assert_eq!(d.modes().len(), 25);
    }

    /// How many of the flat `points` have each centre as their nearest, and the sum of their
    /// squared distances to it.
    fn tally(points: &[f32], centres: &[[f64; 2]]) -> (Vec<usize>, f64) {
        let mut counts = vec![0usize; centres.len()];
        let mut sq = 0.0;
        for p in points.chunks(2) {
            let (j, d2) = centres
                .iter()
                .map(|m| (p[0] as f64 - m[0]).powi(2) + (p[1] as f64 - m[1]).powi(2))
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            counts[j] += 1;
            sq += d2;
        }
        (counts, sq)
    }

    #[test]
    fn ring_samples_sit_near_a_mode_with_the_given_spread() {
        let d = Distribution2d::new(Dataset::Ring8, None, Some(0.1));
        let mut rng = Rng::new(5);
        let pts = d.sample(&mut rng, 4000);
        let modes = d.modes();
        let (counts, sq) = tally(&pts, &modes);
        // E[squared distance to the centre] = 2 sd^2 for an isotropic 2-D Gaussian.
        let msd = sq / 4000.0;
        assert!((msd - 0.02).abs() < 0.002, "mean squared distance {msd}");
        assert!(counts.iter().all(|&c| c > 400), "{counts:?}");
    }

    #[test]
    fn curves_stay_inside_their_extent() {
        for ds in [Dataset::TwoMoons, Dataset::Spiral] {
            let d = Distribution2d::new(ds, None, None);
            let e = d.extent() as f32;
            let pts = d.sample(&mut Rng::new(2), 2000);
            assert!(pts.iter().all(|v| v.abs() < e), "{ds:?}");
        }
    }

    #[test]
    fn a_drawing_is_an_equal_mixture_at_its_points() {
        let pts = vec![[-1.0, 0.5], [1.5, -1.0], [0.0, 2.0]];
        let d = Distribution2d::new(Dataset::Drawn, None, Some(0.05)).with_points(pts.clone());
        assert_eq!(d.extent(), 2.5);
        assert!(d.modes().is_empty(), "a drawing has no modes to count");
        assert_eq!(d.components(), pts);
        let sample = d.sample(&mut Rng::new(3), 3000);
        let (counts, sq) = tally(&sample, &pts);
        // Each point draws a third of the samples, spread 2 sd^2 = 0.005 around it.
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
        assert!((sq / 3000.0 - 0.005).abs() < 0.0005, "{}", sq / 3000.0);
    }
}
