//! The training loop of Goodfellow et al. (2014), Algorithm 1, turned inside out: the caller
//! owns the loop and calls [`Toy2dTrainer::train`]; each round is `k` discriminator updates on
//! fresh minibatches followed by `g_steps` generator updates. Nothing here times, prints or
//! reads back on its own: losses stay on the device until [`Toy2dTrainer::losses`] is awaited.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};

use crate::data::Distribution2d;
use crate::error::GanError;
use crate::gan::latent::{code_part, latent_batch};
use crate::gan::optim::Optimizer;
use crate::gan::rng::Rng;
use crate::gan::run::{Pair, RunConfig, RunCore, StepStats, read_header, restore_pair, save_pair};
use crate::gan::runfile::FileKind;
use crate::nn::Mlp;
use crate::toy2d::config::Toy2dConfig;

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

impl Phase {
    /// Parses the page's names: "both", "d" or "g".
    pub fn parse(name: &str) -> Result<Self, GanError> {
        match name {
            "both" => Ok(Phase::Both),
            "d" => Ok(Phase::Discriminator),
            "g" => Ok(Phase::Generator),
            other => Err(GanError::Config(format!(
                "unknown phase {other:?}: use \"both\", \"d\" or \"g\""
            ))),
        }
    }
}

/// The config keys `Toy2dTrainer::set_live` changes during a run; every other key shapes the
/// networks, the data or the random streams and needs a new run.
pub const LIVE_KEYS: &[&str] = &[
    "loss",
    "lrD",
    "lrG",
    "lrHalfLife",
    "beta1",
    "beta2",
    "k",
    "gSteps",
    "batchSize",
    "gpWeight",
    "r1Weight",
    "genOptimizer",
    "discOptimizer",
];

/// A 2-D GAN being trained: both networks, their optimisers, the data and the run core.
pub struct Toy2dTrainer {
    pub(crate) config: Toy2dConfig,
    pub(crate) data: Distribution2d,
    /// G, D and their optimisers.
    pub(crate) nets: Pair<Mlp, Mlp>,
    pub(crate) core: RunCore,
}

impl Toy2dTrainer {
    /// A fresh run of `config` on `device` (a plain device: autodiff is switched on here).
    pub fn new(config: Toy2dConfig, device: &Device) -> Result<Self, GanError> {
        config.validate()?;
        let (core, mut init_rng) = RunCore::new(config.seed, device);
        let device = device.clone().autodiff();
        let generator = config.generator().init(&mut init_rng, &device);
        let discriminator = config.discriminator().init(&mut init_rng, &device);
        let (b1, b2) = (config.beta1, config.beta2);
        Ok(Self {
            data: Distribution2d::new(config.dataset, config.data_scale, config.data_std)
                .with_points(config.points.clone()),
            nets: Pair {
                g: generator,
                d: discriminator,
                ema: None,
                ema_d: None,
                opt_g: Optimizer::new(config.gen_optimizer, b1, b2),
                opt_d: Optimizer::new(config.disc_optimizer, b1, b2),
            },
            config,
            core,
        })
    }

    /// Changes the learning rates from the next update on (as when resuming a diverged run
    /// with smaller steps); refused, with the key named, if out of range.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), GanError> {
        self.config = self.config.with_learning_rates(lr_d, lr_g)?;
        Ok(())
    }

    /// Applies the settings of `next` that change the game without a new run (`LIVE_KEYS`:
    /// the loss, learning rates and their half-life, Adam's decays, k, G steps, the batch size
    /// and the penalties' weights) from the next update on; the step count, the networks and
    /// the random stream go on. An optimiser whose kind changes starts afresh (SGD has no
    /// state; a new Adam has no moments yet); a change of Adam's decays keeps its moments.
    /// Refused, naming the first key, if `next` differs in a setting that needs a new run, and
    /// as `validate` refuses.
    pub fn set_live(&mut self, next: Toy2dConfig) -> Result<(), GanError> {
        next.validate()?;
        let now = serde_json::to_value(&self.config).expect("a config serialises");
        let then = serde_json::to_value(&next).expect("a config serialises");
        if let (Some(a), Some(b)) = (now.as_object(), then.as_object()) {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                if !LIVE_KEYS.contains(&key.as_str()) && a.get(key) != b.get(key) {
                    return Err(GanError::Config(format!(
                        "{key} cannot change while a run trains: it needs a new run"
                    )));
                }
            }
        }
        let (b1, b2) = (next.beta1, next.beta2);
        for (opt, kind) in [
            (&mut self.nets.opt_g, next.gen_optimizer),
            (&mut self.nets.opt_d, next.disc_optimizer),
        ] {
            if opt.kind() != kind {
                *opt = Optimizer::new(kind, b1, b2);
            } else {
                opt.set_betas(b1, b2);
            }
        }
        self.config = next;
        Ok(())
    }

    /// D's and G's learning rates at the current step (`lrHalfLife` applied).
    pub fn learning_rates(&self) -> (f64, f64) {
        self.config.rates_at(self.core.step)
    }

    /// The run's configuration.
    pub fn config(&self) -> &Toy2dConfig {
        &self.config
    }

    /// The target distribution.
    pub fn data(&self) -> &Distribution2d {
        &self.data
    }

    /// Rounds trained so far.
    pub fn step_count(&self) -> u64 {
        self.core.step
    }

    /// The device the run computes on (without autodiff).
    pub fn device(&self) -> &Device {
        &self.core.plain
    }

    /// The generator network.
    pub fn generator(&self) -> &Mlp {
        &self.nets.g
    }

    /// The discriminator network.
    pub fn discriminator(&self) -> &Mlp {
        &self.nets.d
    }

    /// `n` draws from the prior, `[n, z_dim]`, from `rng`.
    pub(crate) fn noise(&self, rng: &mut Rng, n: usize) -> Tensor<2> {
        let c = &self.config;
        latent_batch(c.prior, c.z_dim, 0, n, rng, &self.core.plain)
    }

    /// The fixed latents of the views: `n` draws from `rng` and, in a conditional run, the
    /// labels 0, 1, ..., K - 1, 0, 1, ... in turn (every label equally often), `[n, z_dim + K]`.
    pub(crate) fn view_latents(&self, rng: &mut Rng, n: usize) -> Tensor<2> {
        let z = self.noise(rng, n);
        let k = self.config.classes();
        let labels: Vec<usize> = (0..n).map(|i| i % k.max(1)).collect();
        with_labels(z, self.one_hot(&labels))
    }

    /// The one-hot rows of `labels`, `[n, K]`, in a conditional run; None in another.
    pub(crate) fn one_hot(&self, labels: &[usize]) -> Option<Tensor<2>> {
        let k = self.config.classes();
        (k > 0).then(|| one_hot(labels, k, &self.core.plain))
    }

    /// The points D judges, `[n, 2]`, with their labels' one-hot rows (a conditional run), as
    /// D's packed input.
    pub(crate) fn judged(&self, points: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        packed(with_labels(points, labels), self.config.pack)
    }

    /// The columns of D's input that hold points (1) rather than labels (0), `[1, d_in]`, for
    /// a conditional run's penalties: they are on the points D sees, not on the labels.
    fn point_mask(&self) -> Option<Tensor<2>> {
        let (k, m) = (self.config.classes(), self.config.pack);
        (k > 0).then(|| {
            let row: Vec<f32> = (0..m)
                .flat_map(|_| (0..2 + k).map(|j| if j < 2 { 1.0 } else { 0.0 }))
                .collect();
            Tensor::from_data(TensorData::new(row, [1, (2 + k) * m]), &self.core.plain)
        })
    }

    /// One discriminator update on a fresh real minibatch and a fresh batch of fakes; the
    /// generator is held fixed (evaluated without autodiff, so it records no graph). Real and
    /// fake go through D as one `[2b, 2]` batch: half the operations of two passes, and the
    /// same cost. In a conditional run the fakes are asked for the real batch's labels, so
    /// that both halves carry the same labels. Returns the cost, detached.
    fn discriminator_update(&mut self) -> Tensor<1> {
        let (b, m) = (self.config.batch_size, self.config.pack);
        let (real, labels) = self.data.sample_labelled(&mut self.core.rng, b);
        let real = Tensor::<2>::from_data(TensorData::new(real, [b, 2]), &self.core.plain);
        let label = self.one_hot(&labels); // [b, K] or None
        let c = &self.config;
        let z = latent_batch(c.prior, c.z_dim, 0, b, &mut self.core.rng, &self.core.plain); // [b, z_dim]
        let fake = self.nets.g.valid().forward(with_labels(z, label.clone())); // [b, 2]
        let pair = Tensor::cat(vec![real, fake], 0); // [2b, 2]
        let both = label.clone().map(|y| Tensor::cat(vec![y.clone(), y], 0));
        // b is a multiple of m, so no pack mixes real and fake points.
        let a = self.nets.d.forward(self.judged(pair.clone(), both)); // [2b / m, 1]
        let a_real = a.clone().narrow(0, 0, b / m);
        let a_fake = a.narrow(0, b / m, b / m);
        let mut cost = self.config.loss.discriminator(a_real, a_fake);
        if self.config.loss.uses_gradient_penalty() {
            // On random points between the real and the fake samples, one draw per pair.
            let eps: Vec<f32> = (0..b).map(|_| self.core.rng.uniform() as f32).collect();
            let eps = Tensor::<2>::from_data(TensorData::new(eps, [b, 1]), &self.core.plain);
            let (real, fake) = (pair.clone().narrow(0, 0, b), pair.narrow(0, b, b));
            let x_hat = real * eps.clone() + fake * eps.neg().add_scalar(1.0);
            let x_hat = self.judged(x_hat, label);
            let gp = self.nets.d.gradient_penalty_on(x_hat, self.point_mask());
            cost = cost + gp.mul_scalar(self.config.gp_weight);
        } else if self.config.r1_weight > 0.0 {
            let real = self.judged(pair.narrow(0, 0, b), label);
            let r1 = self.nets.d.r1_penalty_on(real, self.point_mask());
            cost = cost + r1.mul_scalar(self.config.r1_weight);
        }
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.d);
        let lr = self.learning_rates().0;
        self.nets.d = self.nets.opt_d.step(lr, self.nets.d.clone(), grads);
        cost.detach()
    }

    /// One generator update through the fixed discriminator. Returns the cost, detached.
    fn generator_update(&mut self) -> Tensor<1> {
        let b = self.config.batch_size;
        let (c, k) = (&self.config, self.config.classes());
        // z, then (a conditional run) a one-hot label drawn uniformly: [b, z_dim + K]
        let z = latent_batch(
            c.prior,
            c.z_dim + k,
            k,
            b,
            &mut self.core.rng,
            &self.core.plain,
        );
        // D's parameters take no part in this update, so they are not tracked: no gradient
        // is computed for them (the input gradient still flows through D to G).
        let fixed_d = self.nets.d.clone().no_grad();
        let label = (k > 0).then(|| code_part(z.clone(), k).autodiff());
        let fake = self.judged(self.nets.g.forward(z), label);
        let a_fake = fixed_d.forward(fake); // [b / pack, 1]
        let cost = self.config.loss.generator(a_fake);
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.g);
        let lr = self.learning_rates().1;
        self.nets.g = self.nets.opt_g.step(lr, self.nets.g.clone(), grads);
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
            let pretraining = self.core.step < self.config.d_pretrain as u64;
            if pretraining && phase == Phase::Both {
                self.core.last_d = Some(self.discriminator_update());
            } else {
                if phase != Phase::Generator {
                    for _ in 0..self.config.k {
                        self.core.last_d = Some(self.discriminator_update());
                    }
                }
                if phase != Phase::Discriminator {
                    for _ in 0..self.config.g_steps {
                        self.core.last_g = Some(self.generator_update());
                    }
                }
            }
            self.core.step += 1;
        }
    }

    /// The run as one file (see [`save_pair`]): config, step, RNG state, last losses, both
    /// networks and both optimisers' state. Loading it continues the run exactly. Everything is
    /// read back in one asynchronous read, so this works on WebGPU.
    pub fn save(&self) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static {
        save_pair(FileKind::Run2d, &self.config, &self.core, &self.nets)
    }

    /// A run saved by `save`, on `device`, continuing exactly where it was. Refuses, with a
    /// message, what is not a run file, a truncated or corrupt one, and one whose parameters do
    /// not fit its own config's architecture.
    pub fn load(bytes: &[u8], device: &Device) -> Result<Self, GanError> {
        let (h, at) = read_header::<Toy2dConfig>(FileKind::Run2d, bytes)?;
        h.config.validate()?;
        let mut t = Toy2dTrainer::new(h.config.clone(), device)?;
        restore_pair(FileKind::Run2d, &h, bytes, at, &mut t.core, &mut t.nets)?;
        Ok(t)
    }

    /// Reads back the last round's losses (one small async transfer). A NaN or infinite loss
    /// is reported as [`GanError::Diverged`]. The future owns what it reads, so training may go
    /// on while it is pending.
    pub fn losses(&self) -> impl Future<Output = Result<StepStats, GanError>> + 'static {
        self.core.losses()
    }
}

/// The one-hot rows of `labels` over `k` classes, `[n, k]`, on `device`.
pub(crate) fn one_hot(labels: &[usize], k: usize, device: &Device) -> Tensor<2> {
    let mut v = vec![0.0f32; labels.len() * k];
    for (i, &l) in labels.iter().enumerate() {
        v[i * k + l] = 1.0;
    }
    Tensor::from_data(TensorData::new(v, [labels.len(), k]), device)
}

/// `x` (`[n, d]`) with `labels` (`[n, K]`) appended to its rows, or `x` itself without them.
pub(crate) fn with_labels(x: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
    match labels {
        Some(y) => Tensor::cat(vec![x, y], 1),
        None => x,
    }
}

/// PacGAN's packing: `[n, 2]` points as `[n / m, 2m]` discriminator inputs, m consecutive
/// points to a row (n a multiple of m). m = 1 leaves the batch as it is.
pub(crate) fn packed(x: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 {
        return x;
    }
    let [n, d] = x.dims();
    x.reshape([n / m, d * m])
}

/// Each of `[n, 2]` points repeated m times, `[n, 2m]`: how the views ask a packed D about a
/// single point, D(x, x, ..., x). m = 1 leaves the points as they are.
pub(crate) fn replicated(x: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 { x } else { x.repeat_dim(1, m) }
}
