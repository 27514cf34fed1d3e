//! The training loop of Goodfellow et al. (2014), Algorithm 1, turned inside out: the caller
//! owns the loop and calls [`Trainer::train`]; each round is `k` discriminator updates on fresh
//! minibatches followed by `g_steps` generator updates. Nothing here times, prints or reads back
//! on its own: losses stay on the device until [`Trainer::losses`] is awaited.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

use crate::config::{GanConfig, OptimizerKind, Prior, half_life_factor};
use crate::data::Distribution2d;
use crate::error::GanError;
use crate::loss::GanLoss;
use crate::metrics::{
    DataDensity, Kde, ModeStats, bandwidth, jsd_from_value, mode_metrics, optimal_d,
    value_at_optimum,
};
use crate::model::Mlp;
use crate::optim::{Optimizer, OptimizerState, param_sizes, run_state};
use crate::rng::Rng;
use crate::runfile::{self, RUN_MAGIC};

/// Seed offsets of the fixed draws used for display, so that reading samples never consumes
/// the training stream (a run's losses must not depend on how often the page looked at it).
const VIEW_NOISE_STREAM: u64 = 0x0005_EED0_FD15_u64;
const VIEW_DATA_STREAM: u64 = 0x000D_A7A0_FD15_u64;
/// Seed offset of the real sample behind the theory readouts' Monte Carlo.
const THEORY_DATA_STREAM: u64 = 0x0000_7E01_DA7A_u64;
/// Seed offset of the large data sample whose density estimate stands in for p_data where it
/// has no closed form (two moons, spiral).
const KDE_DATA_STREAM: u64 = 0x0000_0CDE_DA7A_u64;
/// Generated samples behind the mode metrics (the VEEGAN / PacGAN protocol's 2,500).
pub const THEORY_FAKES: usize = 2500;
/// Samples (real and generated, each) behind the density estimates and V(G, D*).
pub const THEORY_KDE: usize = 1000;

/// Seed offset of the gradient probe's batches (one fresh batch per step, off the training stream).
const PROBE_STREAM: u64 = 0x0000_0B0B_E5EE_D000_u64;

/// A saved run's header (JSON, after the magic and its own length): everything but the tensors.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RunHeader {
    config: GanConfig,
    step: u64,
    rng: [u64; 4],
    rng_spare: Option<f64>,
    last_d: Option<f32>,
    last_g: Option<f32>,
    gen_ids: Vec<u64>,
    disc_ids: Vec<u64>,
    gen_params: usize,
    disc_params: usize,
    opt_g: OptimizerState,
    opt_d: OptimizerState,
}

/// Which network a round trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// k D updates, then g_steps G updates (Algorithm 1).
    Both,
    /// k D updates only (G frozen).
    Discriminator,
    /// g_steps G updates only (D frozen).
    Generator,
}

/// Losses of the last finished round, read back from the device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// Rounds trained so far.
    pub step: u64,
    /// The discriminator's cost in the round's last D update.
    pub loss_d: f32,
    /// The generator's cost in the round's last G update (NaN while no G update has run, as
    /// during `dPretrain`).
    pub loss_g: f32,
}

/// The 2-D playground's theory readouts at one step (see `metrics`).
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
    /// D* on the heatmap's grid (same layout as `discriminator_grid`); NaN where p_data + p_g
    /// is under 1e-3 of its largest value on the grid (no data there to define it).
    pub d_star: Vec<f32>,
    /// The kernel bandwidth of the density estimates.
    pub bandwidth: f64,
}

/// What one gradient probe measured: on one batch of z (the same for both), with D fixed, the
/// generator's parameter gradient under the minimax cost and under the non-saturating cost,
/// neither applied.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeStats {
    /// The step probed.
    pub step: u64,
    /// ||d cost / d theta_G||_2 for the minimax cost E[log(1 - D(G(z)))].
    pub grad_norm_minimax: f32,
    /// ||d cost / d theta_G||_2 for the non-saturating cost -E[log D(G(z))].
    pub grad_norm_non_saturating: f32,
    /// D(G(z)) = sigmoid(a) for each sample of the batch.
    pub d_fake: Vec<f32>,
    /// |d cost_i / d a_i| per sample under the minimax cost (= D).
    pub dlogit_minimax: Vec<f32>,
    /// |d cost_i / d a_i| per sample under the non-saturating cost (= 1 - D).
    pub dlogit_non_saturating: Vec<f32>,
}

/// A GAN being trained: both networks, their optimisers, the data and the RNG stream.
pub struct Trainer {
    config: GanConfig,
    data: Distribution2d,
    /// The device without autodiff (the networks hold the autodiff one), for inputs and for
    /// evaluations that record no graph.
    plain: Device,
    generator: Mlp,
    discriminator: Mlp,
    opt_g: Optimizer,
    opt_d: Optimizer,
    rng: Rng,
    step: u64,
    /// D's cost in the last D update, detached, not yet read.
    last_d: Option<Tensor<1>>,
    /// G's cost in the last G update, detached, not yet read.
    last_g: Option<Tensor<1>>,
}

fn optimizer(kind: OptimizerKind, config: &GanConfig) -> Optimizer {
    Optimizer::new(kind, config.beta1, config.beta2)
}

impl Trainer {
    /// A fresh run of `config` on `device` (a plain device: autodiff is switched on here).
    pub fn new(config: GanConfig, device: &Device) -> Result<Self, GanError> {
        config.validate()?;
        let device = device.clone().autodiff();
        let mut rng = Rng::new(config.seed);
        let mut init_rng = rng.fork();
        let generator = Mlp::new(
            config.z_dim,
            config.gen_layers,
            config.gen_width,
            2,
            config.gen_activation,
            &mut init_rng,
            &device,
        );
        let discriminator = Mlp::new(
            2 * config.pack,
            config.disc_layers,
            config.disc_width,
            1,
            config.disc_activation,
            &mut init_rng,
            &device,
        );
        Ok(Self {
            data: Distribution2d::new(config.dataset, config.data_scale, config.data_std)
                .with_points(config.points.clone()),
            opt_g: optimizer(config.gen_optimizer, &config),
            opt_d: optimizer(config.disc_optimizer, &config),
            config,
            plain: device.inner(),
            generator,
            discriminator,
            rng,
            step: 0,
            last_d: None,
            last_g: None,
        })
    }

    /// Changes the learning rates from the next update on (as when resuming a diverged run
    /// with smaller steps); refused, with the key named, if out of range.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), GanError> {
        let next = GanConfig {
            lr_d,
            lr_g,
            ..self.config.clone()
        };
        next.validate()?;
        self.config = next;
        Ok(())
    }

    /// The learning rates' factor at the current step.
    fn lr_factor(&self) -> f64 {
        half_life_factor(self.step, self.config.lr_half_life)
    }

    /// The discriminator's learning rate at the current step.
    pub fn lr_d(&self) -> f64 {
        self.config.lr_d * self.lr_factor()
    }

    /// The generator's learning rate at the current step.
    pub fn lr_g(&self) -> f64 {
        self.config.lr_g * self.lr_factor()
    }

    /// The run's configuration.
    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    /// The target distribution.
    pub fn data(&self) -> &Distribution2d {
        &self.data
    }

    /// Rounds trained so far.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// The device the run computes on (without autodiff).
    pub fn device(&self) -> &Device {
        &self.plain
    }

    /// The generator network.
    pub fn generator(&self) -> &Mlp {
        &self.generator
    }

    /// The discriminator network.
    pub fn discriminator(&self) -> &Mlp {
        &self.discriminator
    }

    /// A fresh real minibatch, `[n, 2]`, as a constant (no autodiff tracking).
    fn real_batch(&mut self, n: usize) -> Tensor<2> {
        let x = self.data.sample(&mut self.rng, n);
        Tensor::from_data(TensorData::new(x, [n, 2]), &self.plain)
    }

    /// One discriminator update on a fresh real minibatch and a fresh batch of fakes; the
    /// generator is held fixed (evaluated without autodiff, so it records no graph). Real and
    /// fake go through D as one `[2b, 2]` batch: half the operations of two passes, and the
    /// same cost. Returns the cost, detached.
    fn discriminator_update(&mut self) -> Tensor<1> {
        let (b, m) = (self.config.batch_size, self.config.pack);
        let real = self.real_batch(b); // [b, 2]
        let z = noise(&self.config, &mut self.rng, b, &self.plain); // [b, z_dim]
        let fake = self.generator.valid().forward(z); // [b, 2]
        let pair = Tensor::cat(vec![real, fake], 0); // [2b, 2]
        // b is a multiple of m, so no pack mixes real and fake points.
        let a = self.discriminator.forward(packed(pair.clone(), m)); // [2b / m, 1]
        let a_real = a.clone().narrow(0, 0, b / m);
        let a_fake = a.narrow(0, b / m, b / m);
        let mut cost = self.config.loss.discriminator(a_real, a_fake);
        if self.config.loss.uses_gradient_penalty() {
            // On random points between the real and the fake samples, one draw per pair.
            let eps: Vec<f32> = (0..b).map(|_| self.rng.uniform() as f32).collect();
            let eps = Tensor::<2>::from_data(TensorData::new(eps, [b, 1]), &self.plain);
            let (real, fake) = (pair.clone().narrow(0, 0, b), pair.narrow(0, b, b));
            let x_hat = real * eps.clone() + fake * eps.neg().add_scalar(1.0);
            let gp = self.discriminator.gradient_penalty(packed(x_hat, m));
            cost = cost + gp.mul_scalar(self.config.gp_weight);
        } else if self.config.r1_weight > 0.0 {
            let r1 = self
                .discriminator
                .r1_penalty(packed(pair.narrow(0, 0, b), m));
            cost = cost + r1.mul_scalar(self.config.r1_weight);
        }
        let grads = GradientsParams::from_grads(cost.backward(), &self.discriminator);
        self.discriminator = self
            .opt_d
            .step(self.lr_d(), self.discriminator.clone(), grads);
        cost.detach()
    }

    /// One generator update through the fixed discriminator. Returns the cost, detached.
    fn generator_update(&mut self) -> Tensor<1> {
        let b = self.config.batch_size;
        let z = noise(&self.config, &mut self.rng, b, &self.plain); // [b, z_dim]
        // D's parameters take no part in this update, so they are not tracked: no gradient
        // is computed for them (the input gradient still flows through D to G).
        let fixed_d = self.discriminator.clone().no_grad();
        let fake = packed(self.generator.forward(z), self.config.pack);
        let a_fake = fixed_d.forward(fake); // [b / pack, 1]
        let cost = self.config.loss.generator(a_fake);
        let grads = GradientsParams::from_grads(cost.backward(), &self.generator);
        self.generator = self.opt_g.step(self.lr_g(), self.generator.clone(), grads);
        cost.detach()
    }

    /// Trains `rounds` rounds of Algorithm 1 (k D updates, then g_steps G updates each),
    /// without reading anything back. The first `dPretrain` rounds of a run are one D update
    /// each, with the generator frozen.
    pub fn train(&mut self, rounds: usize) {
        self.train_phase(rounds, Phase::Both);
    }

    /// Trains `rounds` rounds of one side only (`Phase::Discriminator`: k D updates each;
    /// `Phase::Generator`: g_steps G updates each) or of both (`Phase::Both`, as `train`).
    /// Every round counts as a step.
    pub fn train_phase(&mut self, rounds: usize, phase: Phase) {
        for _ in 0..rounds {
            let pretraining = self.step < self.config.d_pretrain as u64;
            if pretraining && phase == Phase::Both {
                self.last_d = Some(self.discriminator_update());
            } else {
                if phase != Phase::Generator {
                    for _ in 0..self.config.k {
                        self.last_d = Some(self.discriminator_update());
                    }
                }
                if phase != Phase::Discriminator {
                    for _ in 0..self.config.g_steps {
                        self.last_g = Some(self.generator_update());
                    }
                }
            }
            self.step += 1;
        }
    }

    /// The run as one file: magic, header length (u32 LE), JSON header (config, step, RNG state,
    /// last losses, parameter ids, the optimisers' layouts), then one block of f32 LE: G's and
    /// D's parameters (`flat_params` order) and the optimisers' moments. Loading it continues the
    /// run exactly. Everything is read back in one asynchronous read, so this works on WebGPU.
    pub fn save(&self) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static {
        let networks = vec![
            self.generator.flat_params(),
            self.discriminator.flat_params(),
        ];
        let (floats, opt_g, opt_d) = run_state(networks, &self.opt_g, &self.opt_d);
        let losses = self.losses();
        let (rng, rng_spare) = self.rng.state();
        let mut header = RunHeader {
            config: self.config.clone(),
            step: self.step,
            rng,
            rng_spare,
            last_d: None,
            last_g: None,
            gen_ids: self.generator.param_ids(),
            disc_ids: self.discriminator.param_ids(),
            gen_params: self.generator.parameter_count(),
            disc_params: self.discriminator.parameter_count(),
            opt_g,
            opt_d,
        };
        let (has_d, has_g) = (self.last_d.is_some(), self.last_g.is_some());
        async move {
            let floats = read_vec(floats).await?;
            let s = losses.await?;
            header.last_d = has_d.then_some(s.loss_d);
            header.last_g = has_g.then_some(s.loss_g);
            Ok(runfile::write(RUN_MAGIC, &header, &floats))
        }
    }

    /// A run saved by `save`, on `device`, continuing exactly where it was. Refuses, with a
    /// message, what is not a run file, a truncated or corrupt one, and one whose parameters do
    /// not fit its own config's architecture.
    pub fn load(bytes: &[u8], device: &Device) -> Result<Self, GanError> {
        let bad = |m: String| GanError::RunFile(m);
        let (h, at): (RunHeader, usize) = runfile::header(bytes, RUN_MAGIC)?;
        h.config.validate()?;
        let mut t = Trainer::new(h.config.clone(), device)?;
        let (ng, nd) = (
            t.generator.parameter_count(),
            t.discriminator.parameter_count(),
        );
        if h.gen_params != ng || h.disc_params != nd {
            return Err(bad(format!(
                "its networks ({} + {} parameters) do not fit its config's architecture ({ng} + {nd})",
                h.gen_params, h.disc_params
            )));
        }
        let expected = ng + nd + h.opt_g.floats() + h.opt_d.floats();
        let floats = runfile::floats(bytes, at, expected)?;
        let (g, rest) = floats.split_at(ng);
        let (d, rest) = rest.split_at(nd);
        let (mg, md) = rest.split_at(h.opt_g.floats());
        t.generator = t
            .generator
            .with_flat_params_and_ids(g, Some(&h.gen_ids))
            .map_err(bad)?;
        t.discriminator = t
            .discriminator
            .with_flat_params_and_ids(d, Some(&h.disc_ids))
            .map_err(bad)?;
        t.opt_g
            .restore(&h.opt_g, mg, &param_sizes(&t.generator), &t.plain)
            .map_err(bad)?;
        t.opt_d
            .restore(&h.opt_d, md, &param_sizes(&t.discriminator), &t.plain)
            .map_err(bad)?;
        t.rng = Rng::from_state(h.rng, h.rng_spare);
        t.step = h.step;
        let scalar = |v: f32| Tensor::<1>::from_data(TensorData::new(vec![v], [1]), &t.plain);
        t.last_d = h.last_d.map(scalar);
        t.last_g = h.last_g.map(scalar);
        Ok(t)
    }

    /// Reads back the last round's losses (one small async transfer). A NaN or infinite loss
    /// is reported as [`GanError::Diverged`]. The future owns what it reads, so training may go
    /// on while it is pending.
    pub fn losses(&self) -> impl Future<Output = Result<StepStats, GanError>> + 'static {
        let parts: Vec<Tensor<1>> = [&self.last_d, &self.last_g]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let (has_d, has_g) = (self.last_d.is_some(), self.last_g.is_some());
        let step = self.step;
        async move {
            let v = if parts.is_empty() {
                Vec::new()
            } else {
                read_vec(Tensor::cat(parts, 0)).await?
            };
            if !v.iter().all(|x| x.is_finite()) {
                return Err(GanError::Diverged { step });
            }
            let mut it = v.into_iter();
            let loss_d = if has_d { it.next() } else { None };
            let loss_g = if has_g { it.next() } else { None };
            Ok(StepStats {
                step,
                loss_d: loss_d.unwrap_or(f32::NAN),
                loss_g: loss_g.unwrap_or(f32::NAN),
            })
        }
    }

    /// The gradient probe (see [`probe_generator`]) at the current step, on a batch of
    /// `batchSize` draws from a stream of its own: probing never changes the run.
    pub fn probe(&self) -> impl Future<Output = Result<ProbeStats, GanError>> + 'static {
        let seed = self.config.seed ^ PROBE_STREAM ^ self.step.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let z = noise(
            &self.config,
            &mut Rng::new(seed),
            self.config.batch_size,
            &self.plain,
        );
        probe_generator(
            &self.generator,
            &self.discriminator,
            self.config.pack,
            z,
            self.step,
        )
    }

    /// The theory readouts at the current step (D* on a `res` x `res` grid, V(G, D*), the JSD,
    /// D's means, and the mode metrics for mixtures), from fixed view draws: one readback, then
    /// host arithmetic.
    pub fn theory(
        &self,
        res: usize,
    ) -> impl Future<Output = Result<TheoryStats, GanError>> + 'static {
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = noise(&self.config, &mut rng, THEORY_FAKES, &self.plain);
        let fake = self.generator.valid().forward(z); // [THEORY_FAKES, 2]
        let real = self.data.sample(
            &mut Rng::new(self.config.seed ^ THEORY_DATA_STREAM),
            THEORY_KDE,
        );
        let real_t =
            Tensor::<2>::from_data(TensorData::new(real.clone(), [THEORY_KDE, 2]), &self.plain);
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
        let d_out = self
            .config
            .loss
            .display(self.discriminator.valid().forward(packed(d_in, m))); // [2 * judged / m, 1]
        let all = Tensor::cat(
            vec![
                fake.reshape([2 * THEORY_FAKES]),
                d_out.reshape([2 * judged / m]),
            ],
            0,
        );
        let (data, step, seed) = (self.data.clone(), self.step, self.config.seed);
        async move {
            let v = read_vec(all).await?;
            let (fakes, d) = v.split_at(2 * THEORY_FAKES);
            let modes = data.modes();
            let mode_stats = (!modes.is_empty()).then(|| mode_metrics(fakes, &modes, data.std));
            let extent = data.extent();
            let h = bandwidth(extent);
            let p_data = DataDensity::new(&data, h, || {
                data.sample(&mut Rng::new(seed ^ KDE_DATA_STREAM), 2000)
            });
            let kde_fakes = &fakes[..2 * THEORY_KDE];
            let p_g = Kde::new(kde_fakes, h);
            let v_optimal = value_at_optimum(&real, kde_fakes, |x| p_data.pdf(x), |x| p_g.pdf(x));
            let dens: Vec<(f64, f64)> = grid_points(res, extent)
                .chunks_exact(2)
                .map(|p| {
                    let x = [p[0] as f64, p[1] as f64];
                    (p_data.pdf(x), p_g.pdf(x))
                })
                .collect();
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
            let mean = |s: &[f32]| s.iter().map(|&x| x as f64).sum::<f64>() / s.len() as f64;
            Ok(TheoryStats {
                step,
                modes: mode_stats,
                v_optimal,
                jsd: jsd_from_value(v_optimal),
                d_real_mean: mean(&d[..judged / m]),
                d_fake_mean: mean(&d[judged / m..]),
                d_star,
                bandwidth: h,
            })
        }
    }

    /// `n` generated points, flat `[x0, y0, ...]`, always from the same fixed noise draws so
    /// that successive calls show the same fakes moving. Does not touch the training stream.
    pub fn generated(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = noise(&self.config, &mut rng, n, &self.plain); // [n, z_dim]
        let points = self.generator.valid().forward(z); // [n, 2]
        read_vec(points)
    }

    /// The generator's pull on its own samples: the same `n` fakes as `generated(n)`, each with
    /// the direction it would move under the generator's current cost, -d cost_G(D(x)) / d x
    /// (D fixed; the per-sample cost, so the arrows' lengths compare across samples and losses).
    /// With packing, a sample's arrow is the pull of its own pack's cost (packs of m
    /// consecutive samples, as in training). Flat `[x0, y0, u0, v0, x1, ...]`; one readback.
    pub fn generator_field(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let m = self.config.pack;
        // Whole packs: the first n of n_packed draws are the same n fakes as generated(n).
        let n_packed = n.div_ceil(m) * m;
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = noise(&self.config, &mut rng, n_packed, &self.plain); // [n_packed, z_dim]
        let fake = self.generator.valid().forward(z); // [n_packed, 2], plain
        let leaf = fake.clone().autodiff().require_grad();
        let fixed_d = self.discriminator.clone().no_grad();
        // The cost is a mean over packs: times their number, its gradient is each pack's own.
        let cost = self
            .config
            .loss
            .generator(fixed_d.forward(packed(leaf.clone(), m)))
            .mul_scalar((n_packed / m) as f64);
        let grads = cost.backward();
        let g = leaf
            .grad(&grads)
            .unwrap_or_else(|| Tensor::zeros([n_packed, 2], &self.plain));
        read_vec(Tensor::cat(vec![fake, g.neg()], 1).narrow(0, 0, n)) // [n, 4]
    }

    /// The generator's manifold: G over a regular grid of the latent space, for drawing the
    /// latent plane's grid lines as G warps them. z_dim = 1: `res` points along z in
    /// [-r, r]; z_dim >= 2: `res` x `res` points over (z0, z1) in [-r, r]^2, row-major with z1
    /// fixed along a row, the other coordinates 0. r = 1 for the uniform prior, 2.5 for the
    /// Gaussian (its 99 % interval per axis). Flat `[x0, y0, ...]`; one readback.
    pub fn manifold(
        &self,
        res: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let z = latent_grid(&self.config, res);
        let rows = z.len() / self.config.z_dim;
        let z = Tensor::<2>::from_data(TensorData::new(z, [rows, self.config.z_dim]), &self.plain);
        read_vec(self.generator.valid().forward(z))
    }

    /// `n` real points for display, the same ones on every call.
    pub fn real_samples(&self, n: usize) -> Vec<f32> {
        self.data
            .sample(&mut Rng::new(self.config.seed ^ VIEW_DATA_STREAM), n)
    }

    /// D evaluated on a `res` x `res` grid over the square of half-side `extent`, as the heatmap
    /// shows it (sigmoid of the logit, or the clamped LSGAN output). Row-major, first row at the
    /// top (y = +extent), first column at the left (x = -extent); cell centres are sampled. A
    /// packed D (pack = m > 1) judges m points at once: the map shows it a pack of m copies of
    /// each point, D(x, x, ..., x).
    pub fn discriminator_grid(
        &self,
        res: usize,
        extent: f64,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let pts = grid_points(res, extent);
        let x = Tensor::<2>::from_data(TensorData::new(pts, [res * res, 2]), &self.plain);
        let d = self
            .discriminator
            .valid()
            .forward(replicated(x, self.config.pack)); // [res*res, 1]
        read_vec(self.config.loss.display(d))
    }
}

/// Computes, without applying them, the generator's parameter gradients under the minimax and
/// the non-saturating cost for the batch `z` (`[n, z_dim]`, no autodiff) through the fixed
/// `discriminator` (which judges packs of `pack` samples; n is a multiple of it), and the
/// per-sample (per-pack) derivatives of both costs with respect to D's logit, all read back in
/// one transfer. Works for any loss's networks; the two costs read D's output as a logit,
/// which it is for the cross-entropy losses.
pub fn probe_generator(
    generator: &Mlp,
    discriminator: &Mlp,
    pack: usize,
    z: Tensor<2>,
    step: u64,
) -> impl Future<Output = Result<ProbeStats, GanError>> + 'static {
    let fixed_d = discriminator.clone().no_grad();
    let costs = [GanLoss::Minimax, GanLoss::NonSaturating];
    let mut parts = Vec::with_capacity(5);
    for loss in costs {
        // [n / pack, 1], tracked through G
        let a = fixed_d.forward(packed(generator.forward(z.clone()), pack));
        parts.push(generator.grad_sq_norm(&loss.generator(a).backward()));
    }
    let fake = generator.valid().forward(z);
    let a = discriminator.valid().forward(packed(fake, pack)); // [n / pack, 1], plain
    let n = a.dims()[0];
    for loss in costs {
        let leaf = a.clone().autodiff().require_grad();
        // The cost is a batch mean: times n, its derivative is the per-sample one.
        let grads = loss.generator(leaf.clone()).mul_scalar(n as f64).backward();
        let g = leaf
            .grad(&grads)
            .unwrap_or_else(|| Tensor::zeros([n, 1], &a.device()));
        parts.push(g.abs().reshape([n]));
    }
    parts.push(activation::sigmoid(a).reshape([n]));
    let all = Tensor::cat(parts, 0);
    async move {
        let v = read_vec(all).await?;
        Ok(ProbeStats {
            step,
            grad_norm_minimax: v[0].sqrt(),
            grad_norm_non_saturating: v[1].sqrt(),
            dlogit_minimax: v[2..2 + n].to_vec(),
            dlogit_non_saturating: v[2 + n..2 + 2 * n].to_vec(),
            d_fake: v[2 + 2 * n..2 + 3 * n].to_vec(),
        })
    }
}

/// The centres of a `res` x `res` grid over the square of half-side `extent`, flat, row-major,
/// first row at the top (y = +extent), first column at the left (x = -extent).
pub fn grid_points(res: usize, extent: f64) -> Vec<f32> {
    let mut pts = Vec::with_capacity(2 * res * res);
    for row in 0..res {
        let y = extent - (row as f64 + 0.5) / res as f64 * 2.0 * extent;
        for col in 0..res {
            let x = -extent + (col as f64 + 0.5) / res as f64 * 2.0 * extent;
            pts.push(x as f32);
            pts.push(y as f32);
        }
    }
    pts
}

/// Half-width of the latent grid `manifold` pushes through G: all of the uniform prior's
/// support, the central 99 % per axis of the Gaussian's.
pub fn latent_reach(prior: Prior) -> f64 {
    match prior {
        Prior::Uniform => 1.0,
        Prior::Gaussian => 2.5,
    }
}

/// The latent grid of `Trainer::manifold`, flat `[rows * z_dim]`: `res` points along z0 for
/// z_dim = 1, else `res` x `res` over (z0, z1) with z1 fixed along a row and the rest 0.
pub fn latent_grid(config: &GanConfig, res: usize) -> Vec<f32> {
    let r = latent_reach(config.prior);
    let at = |i: usize| (-r + 2.0 * r * i as f64 / (res.max(2) - 1) as f64) as f32;
    let d = config.z_dim;
    if d == 1 {
        return (0..res).map(at).collect();
    }
    let mut z = vec![0.0f32; res * res * d];
    for row in 0..res {
        for col in 0..res {
            let k = (row * res + col) * d;
            z[k] = at(col);
            z[k + 1] = at(row);
        }
    }
    z
}

/// PacGAN's packing: `[n, 2]` points as `[n / m, 2m]` discriminator inputs, m consecutive
/// points to a row (n a multiple of m). m = 1 leaves the batch as it is.
fn packed(x: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 {
        return x;
    }
    let [n, d] = x.dims();
    x.reshape([n / m, d * m])
}

/// Each of `[n, 2]` points repeated m times, `[n, 2m]`: how the views ask a packed D about a
/// single point, D(x, x, ..., x). m = 1 leaves the points as they are.
fn replicated(x: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 { x } else { x.repeat_dim(1, m) }
}

/// `n` draws from the prior p_z, `[n, z_dim]`, taken from `rng`.
fn noise(config: &GanConfig, rng: &mut Rng, n: usize, device: &Device) -> Tensor<2> {
    let z_dim = config.z_dim;
    let z: Vec<f32> = match config.prior {
        Prior::Gaussian => (0..n * z_dim).map(|_| rng.normal() as f32).collect(),
        Prior::Uniform => (0..n * z_dim)
            .map(|_| rng.uniform_in(-1.0, 1.0) as f32)
            .collect(),
    };
    Tensor::from_data(TensorData::new(z, [n, z_dim]), device)
}

/// Reads a tensor back asynchronously (the only kind of readback that works on WebGPU in wasm).
pub(crate) async fn read_vec<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, GanError> {
    let data = t
        .into_data_async()
        .await
        .map_err(|e| GanError::Readback(format!("{e:?}")))?;
    data.try_to_vec::<f32>()
        .map_err(|e| GanError::Readback(format!("{e:?}")))
}
