//! The theory readouts of a 2-D run (the arithmetic is [`crate::toy2d::metrics`]): D* on the
//! heatmap's grid, V(G, D*) and the JSD it implies, the learned D's means over real and
//! generated samples, and the mode metrics for the Gaussian mixtures. One readback of G's
//! samples and D's outputs, then host arithmetic in f64 ([`TheoryStats::compute`]).

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use serde::Serialize;

use crate::data::Distribution2d;
use crate::error::GanError;
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::toy2d::metrics::{
    DataDensity, Kde, ModeStats, bandwidth, conditional_densities, jsd_from_value, mode_metrics,
    on_label_pct, optimal_d, value_at_optimum,
};
use crate::toy2d::train::Toy2dTrainer;
use crate::toy2d::views::{VIEW_NOISE_STREAM, grid_points};

/// Seed offset of the real sample behind the theory readouts' Monte Carlo.
const THEORY_DATA_STREAM: u64 = 0x0000_7E01_DA7A_u64;
/// Seed offset of the large data sample whose density estimate stands in for p_data where it
/// has no closed form (two moons, spiral).
const KDE_DATA_STREAM: u64 = 0x0000_0CDE_DA7A_u64;
/// Generated samples behind the mode metrics (the VEEGAN / PacGAN protocol's 2,500).
pub const THEORY_FAKES: usize = 2500;
/// Samples (real and generated, each) behind the density estimates and V(G, D*).
pub const THEORY_KDE: usize = 1000;

/// The 2-D playground's theory readouts at one step (serialised flat, the mode metrics as
/// `modesCaptured`, `modesTotal`, `highQualityPct`, null for the curves).
#[derive(Clone, Debug, PartialEq)]
pub struct TheoryStats {
    /// The step measured.
    pub step: u64,
    /// Mode metrics of 2,500 generated samples, for the Gaussian mixtures (None for the curves).
    pub modes: Option<ModeStats>,
    /// V(G, D*), which is -log 4 exactly when p_g = p_data.
    pub v_optimal: f64,
    /// JSD(p_data || p_g) = (V(G, D*) + log 4) / 2.
    pub jsd: f64,
    /// The learned D's mean output (as the heatmap shows it) over 1,000 real samples.
    pub d_real_mean: f64,
    /// ... and over 1,000 generated samples. Both tend to 1/2 at the equilibrium.
    pub d_fake_mean: f64,
    /// A conditional run's share of generated samples within 3 sd of their own label's mode
    /// (percent); None for an unconditional run.
    pub on_label_pct: Option<f64>,
    /// D* on the heatmap's grid (same layout as `discriminator_grid`); NaN where p_data + p_g
    /// is under 1e-3 of its largest value on the grid (no data there to define it). In a
    /// conditional run, D*(x | c) for the label c of the component nearest to x, as the
    /// heatmap asks the learned D.
    pub d_star: Vec<f32>,
    /// The kernel bandwidth of the density estimates.
    pub bandwidth: f64,
}

impl Serialize for TheoryStats {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Flat<'a> {
            step: u64,
            modes_captured: Option<usize>,
            modes_total: Option<usize>,
            high_quality_pct: Option<f64>,
            on_label_pct: Option<f64>,
            v_optimal: f64,
            jsd: f64,
            d_real_mean: f64,
            d_fake_mean: f64,
            d_star: &'a [f32],
            bandwidth: f64,
        }
        Flat {
            step: self.step,
            modes_captured: self.modes.map(|m| m.modes_captured),
            modes_total: self.modes.map(|m| m.modes_total),
            high_quality_pct: self.modes.map(|m| m.high_quality_pct),
            on_label_pct: self.on_label_pct,
            v_optimal: self.v_optimal,
            jsd: self.jsd,
            d_real_mean: self.d_real_mean,
            d_fake_mean: self.d_fake_mean,
            d_star: &self.d_star,
            bandwidth: self.bandwidth,
        }
        .serialize(s)
    }
}

/// What a theory readout reads back, and the run's facts it needs besides.
pub struct TheorySamples {
    /// The step measured.
    pub step: u64,
    /// The run's seed (the data sample behind p_data's estimate is drawn from it).
    pub seed: u64,
    /// PacGAN's packing degree (D's outputs are per pack).
    pub pack: usize,
    /// `THEORY_FAKES` generated points, flat.
    pub fakes: Vec<f32>,
    /// Their labels in a conditional run (empty otherwise).
    pub labels: Vec<usize>,
    /// `THEORY_KDE` real points, flat.
    pub real: Vec<f32>,
    /// D's displayed outputs on the real packs, then on the fake packs.
    pub d: Vec<f32>,
}

impl TheoryStats {
    /// The readouts of `s` against the target `data`, with D* on a `res` x `res` grid.
    pub fn compute(s: &TheorySamples, data: &Distribution2d, res: usize) -> Self {
        let judged = (THEORY_KDE - THEORY_KDE % s.pack) / s.pack;
        let modes = data.modes();
        let mode_stats = (!modes.is_empty()).then(|| mode_metrics(&s.fakes, &modes, data.std));
        let extent = data.extent();
        let h = bandwidth(extent);
        let seed = s.seed;
        let p_data = DataDensity::new(data, h, || {
            data.sample(&mut Rng::new(seed ^ KDE_DATA_STREAM), 2000)
        });
        let kde_fakes = &s.fakes[..2 * THEORY_KDE];
        let p_g = Kde::new(kde_fakes, h);
        let v_optimal = value_at_optimum(&s.real, kde_fakes, |x| p_data.pdf(x), |x| p_g.pdf(x));
        let grid = grid_points(res, extent);
        let dens: Vec<(f64, f64)> = if s.labels.is_empty() {
            grid.chunks_exact(2)
                .map(|p| {
                    let x = [p[0] as f64, p[1] as f64];
                    (p_data.pdf(x), p_g.pdf(x))
                })
                .collect()
        } else {
            let var = data.std * data.std + h * h;
            conditional_densities(&grid, &s.fakes, &s.labels, &modes, var, h)
        };
        let on_label =
            (!s.labels.is_empty()).then(|| on_label_pct(&s.fakes, &s.labels, &modes, data.std));
        // Where both densities are negligible (under 1e-3 of their largest sum on the grid)
        // D* is a ratio of two underflowing tails, and means nothing: NaN ("no data").
        let top = dens.iter().map(|(a, b)| a + b).fold(0.0, f64::max);
        let d_star = dens
            .iter()
            .map(|&(pd, pg)| {
                if pd + pg < 1e-3 * top {
                    f32::NAN
                } else {
                    optimal_d(pd, pg) as f32
                }
            })
            .collect();
        let mean = |v: &[f32]| v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64;
        TheoryStats {
            step: s.step,
            modes: mode_stats,
            on_label_pct: on_label,
            v_optimal,
            jsd: jsd_from_value(v_optimal),
            d_real_mean: mean(&s.d[..judged]),
            d_fake_mean: mean(&s.d[judged..]),
            d_star,
            bandwidth: h,
        }
    }
}

impl Toy2dTrainer {
    /// The theory readouts at the current step (D* on a `res` x `res` grid, V(G, D*), the JSD,
    /// D's means, and the mode metrics for mixtures), from fixed view draws: one readback, then
    /// host arithmetic.
    pub fn theory(
        &self,
        res: usize,
    ) -> impl Future<Output = Result<TheoryStats, GanError>> + 'static {
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = self.view_latents(&mut rng, THEORY_FAKES);
        let k = self.config.classes();
        // The view latents' labels: 0, 1, ..., K - 1 in turn (none in an unconditional run).
        let labels: Vec<usize> = (0..THEORY_FAKES * usize::from(k > 0))
            .map(|i| i % k.max(1))
            .collect();
        let fake = self.nets.g.valid().forward(z); // [THEORY_FAKES, 2]
        let (real, real_labels) = self.data.sample_labelled(
            &mut Rng::new(self.config.seed ^ THEORY_DATA_STREAM),
            THEORY_KDE,
        );
        let real_t = Tensor::<2>::from_data(
            TensorData::new(real.clone(), [THEORY_KDE, 2]),
            &self.core.plain,
        );
        // D's means over real and over fake packs (single points when pack = 1).
        let m = self.config.pack;
        let judged = THEORY_KDE - THEORY_KDE % m;
        let d_in = Tensor::cat(
            vec![
                real_t.narrow(0, 0, judged),
                fake.clone().narrow(0, 0, judged),
            ],
            0,
        );
        let d_labels =
            self.one_hot(&[&real_labels[..judged], &labels[..judged.min(labels.len())]].concat());
        let d_out = self
            .config
            .loss
            .display(self.nets.d.valid().forward(self.judged(d_in, d_labels))); // [2 * judged / m, 1]
        let all = Tensor::cat(
            vec![
                fake.reshape([2 * THEORY_FAKES]),
                d_out.reshape([2 * judged / m]),
            ],
            0,
        );
        let data = self.data.clone();
        let (step, seed) = (self.core.step, self.config.seed);
        async move {
            let mut fakes = read_vec(all).await?;
            let d = fakes.split_off(2 * THEORY_FAKES);
            let samples = TheorySamples {
                step,
                seed,
                pack: m,
                fakes,
                labels,
                real,
                d,
            };
            Ok(TheoryStats::compute(&samples, &data, res))
        }
    }
}
