//! A CycleGAN run (Zhu et al., 2017) between two unpaired digit collections: domain A the
//! shipped MNIST digits, domain B the UCI optical digits (`data::optdigits`). Each round, as
//! the paper's code: both generators take one step down
//!
//!   adv(D_B(G(a))) + adv(D_A(F(b))) + λ (|F(G(a)) - a|₁ + |G(F(b)) - b|₁)
//!     + λ_id λ (|G(b) - b|₁ + |F(a) - a|₁),
//!
//! then both discriminators one step down their loss on real images and on fakes drawn
//! through the history pools. No labels are ever used: the domains are sets, not pairs.

use std::sync::Arc;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};
use serde::Serialize;

use crate::cycle::config::CycleConfig;
use crate::cycle::networks::{Critics, CycleGenerator, Generators, PatchCritic};
use crate::cycle::pool::Pool;
use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::gan::loss::GanLoss;
use crate::gan::optim::Optimizer;
use crate::gan::run::{
    Pair, RunConfig, RunCore, read_header, read_vec, restore_pair_with, save_pair_with,
};
use crate::gan::runfile::FileKind;

/// The losses a round reads back: both games and both cycles.
const PARTS: usize = 7;

/// The last round's losses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleStats {
    /// Rounds trained so far.
    pub step: u64,
    /// D_A's loss (real MNIST against F's fakes).
    pub loss_d_a: f32,
    /// D_B's loss (real UCI against G's fakes).
    pub loss_d_b: f32,
    /// G's adversarial cost (its fakes of B before D_B).
    pub loss_g: f32,
    /// F's adversarial cost (its fakes of A before D_A).
    pub loss_f: f32,
    /// |F(G(a)) - a|₁, the mean over pixels (images in [-1, 1]).
    pub cycle_a: f32,
    /// |G(F(b)) - b|₁.
    pub cycle_b: f32,
    /// |G(b) - b|₁ + |F(a) - a|₁ (None while the identity loss is off: not computed).
    pub identity: Option<f32>,
}

/// G's adversarial cost on D's logits: the paper's least squares is the mean of (D - 1)^2
/// (twice [`GanLoss::generator`]'s ½ form); the other losses as the image lab has them.
pub fn adversarial(loss: GanLoss, logits: Tensor<2>) -> Tensor<1> {
    match loss {
        GanLoss::LeastSquares => logits.sub_scalar(1.0).square().mean(),
        other => other.generator(logits),
    }
}

/// The mean absolute difference of two image batches.
pub fn l1(x: Tensor<2>, y: Tensor<2>) -> Tensor<1> {
    (x - y).abs().mean()
}

/// A CycleGAN being trained.
pub struct CycleTrainer {
    config: CycleConfig,
    a: Arc<Mnist>,
    b: Arc<Mnist>,
    train_a: Vec<usize>,
    train_b: Vec<usize>,
    /// G and F (one optimiser), D_A and D_B (one optimiser).
    nets: Pair<Generators, Critics>,
    /// F's past fakes, shown to D_A.
    pool_a: Pool,
    /// G's past fakes, shown to D_B.
    pool_b: Pool,
    /// The last round's [`PARTS`] losses, detached, not yet read.
    last: Option<Tensor<1>>,
    core: RunCore,
}

impl CycleTrainer {
    /// A fresh run of `config` on `device` (plain) between `a`'s and `b`'s training splits.
    pub fn new(
        config: CycleConfig,
        a: Arc<Mnist>,
        b: Arc<Mnist>,
        device: &Device,
    ) -> Result<Self, GanError> {
        config.validate()?;
        let (train_a, train_b) = (a.indices(Split::Train), b.indices(Split::Train));
        if train_a.is_empty() || train_b.is_empty() {
            return Err(GanError::Data(
                "a domain has no training digits: rebuild the assets (scripts/setup.sh)".into(),
            ));
        }
        let (core, mut rng) = RunCore::new(config.seed, device);
        let ad = device.clone().autodiff();
        let (cg, cd, blocks) = (config.gen_width, config.disc_width, config.blocks);
        let g = CycleGenerator::init(cg, blocks, &mut rng, &ad);
        let f = CycleGenerator::init(cg, blocks, &mut rng, &ad);
        let da = PatchCritic::init(cd, &mut rng, &ad);
        let db = PatchCritic::init(cd, &mut rng, &ad);
        let adam = || Optimizer::adam(config.beta1, config.beta2);
        Ok(Self {
            nets: Pair {
                g: Generators { g, f },
                d: Critics { a: da, b: db },
                ema: None,
                ema_d: None,
                opt_g: adam(),
                opt_d: adam(),
            },
            pool_a: Pool::new(config.pool_size),
            pool_b: Pool::new(config.pool_size),
            config,
            a,
            b,
            train_a,
            train_b,
            last: None,
            core,
        })
    }

    /// The run's configuration.
    pub fn config(&self) -> &CycleConfig {
        &self.config
    }

    /// Rounds trained so far.
    pub fn step_count(&self) -> u64 {
        self.core.step
    }

    /// The device the run computes on (without autodiff).
    pub fn device(&self) -> &Device {
        &self.core.plain
    }

    /// Scalars of (G and F, D_A and D_B).
    pub fn parameter_counts(&self) -> (usize, usize) {
        (self.nets.g.num_params(), self.nets.d.num_params())
    }

    /// Images held by the pools (A's, B's).
    pub fn pool_lengths(&self) -> (usize, usize) {
        (self.pool_a.len(), self.pool_b.len())
    }

    /// Changes the learning rates from the next round on; refused, with the key named, if out
    /// of range.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), GanError> {
        self.config = self.config.with_learning_rates(lr_d, lr_g)?;
        Ok(())
    }

    /// A minibatch of `data`'s training digits (`pool`), `[n, 784]` in [-1, 1], with
    /// replacement.
    fn batch(&mut self, domain_b: bool) -> Tensor<2> {
        let n = self.config.batch_size;
        let (data, pool) = match domain_b {
            false => (&self.a, &self.train_a),
            true => (&self.b, &self.train_b),
        };
        let mut x = Vec::with_capacity(n * PIXELS);
        for _ in 0..n {
            let i = pool[self.core.rng.below(pool.len())];
            x.extend(data.image(i).iter().map(|&p| p as f32 / 127.5 - 1.0));
        }
        Tensor::from_data(TensorData::new(x, [n, PIXELS]), &self.core.plain)
    }

    /// One round: the generators' step, then the discriminators' (see the module's
    /// documentation).
    fn round(&mut self) {
        let (a, b) = (self.batch(false), self.batch(true));
        let c = &self.config;
        let gens = &self.nets.g;
        let fake_b = gens.g.forward(a.clone());
        let fake_a = gens.f.forward(b.clone());
        let cycle_a = l1(gens.f.forward(fake_b.clone()), a.clone());
        let cycle_b = l1(gens.g.forward(fake_a.clone()), b.clone());
        let fixed = self.nets.d.clone().no_grad();
        let adv_g = adversarial(c.loss, fixed.b.forward(fake_b.clone()));
        let adv_f = adversarial(c.loss, fixed.a.forward(fake_a.clone()));
        let mut cost = adv_g.clone() + adv_f.clone();
        if c.lambda_cycle > 0.0 {
            cost = cost + (cycle_a.clone() + cycle_b.clone()).mul_scalar(c.lambda_cycle);
        }
        let identity = (c.lambda_identity > 0.0).then(|| {
            l1(gens.g.forward(b.clone()), b.clone()) + l1(gens.f.forward(a.clone()), a.clone())
        });
        if let Some(idt) = &identity {
            cost = cost + idt.clone().mul_scalar(c.lambda_cycle * c.lambda_identity);
        }
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.g);
        let (lr_d, lr_g) = self.config.rates_at(self.core.step);
        self.nets.g = self.nets.opt_g.step(lr_g, self.nets.g.clone(), grads);

        let shown_b = self.pool_b.query(fake_b.detach(), &mut self.core.rng);
        let shown_a = self.pool_a.query(fake_a.detach(), &mut self.core.rng);
        let d = &self.nets.d;
        let loss = self.config.loss;
        let d_a = loss.discriminator(d.a.forward(a), d.a.forward(shown_a));
        let d_b = loss.discriminator(d.b.forward(b), d.b.forward(shown_b));
        let cost_d = d_a.clone() + d_b.clone();
        let grads = GradientsParams::from_grads(cost_d.backward(), &self.nets.d);
        self.nets.d = self.nets.opt_d.step(lr_d, self.nets.d.clone(), grads);

        let zero = || Tensor::<1>::zeros([1], &self.core.plain);
        let parts = [
            d_a,
            d_b,
            adv_g.clone(),
            adv_f.clone(),
            cycle_a.clone(),
            cycle_b.clone(),
            identity.unwrap_or_else(zero),
        ];
        self.last = Some(Tensor::cat(parts.map(|t| t.detach()).to_vec(), 0));
        self.core.last_d = Some(cost_d.detach());
        self.core.last_g = Some(cost.detach());
        self.core.step += 1;
    }

    /// Trains `rounds` rounds, reading nothing back.
    pub fn train(&mut self, rounds: usize) {
        for _ in 0..rounds {
            self.round();
        }
    }

    /// Reads back the last round's losses (one small transfer); a NaN or infinite one is
    /// [`GanError::Diverged`]. Before the first round every loss is NaN.
    pub fn losses(&self) -> impl Future<Output = Result<CycleStats, GanError>> + 'static {
        let last = self.last.clone();
        let (step, identity_on) = (self.core.step, self.config.lambda_identity > 0.0);
        async move {
            let v = match last {
                Some(t) => read_vec(t).await?,
                None => vec![f32::NAN; PARTS],
            };
            if step > 0 && !v.iter().all(|x| x.is_finite()) {
                return Err(GanError::Diverged { step });
            }
            Ok(CycleStats {
                step,
                loss_d_a: v[0],
                loss_d_b: v[1],
                loss_g: v[2],
                loss_f: v[3],
                cycle_a: v[4],
                cycle_b: v[5],
                identity: identity_on.then_some(v[6]),
            })
        }
    }

    /// The run as one file: the networks, both optimisers' moments, the pools' images, the
    /// last losses, the step and the RNG state (one asynchronous read).
    pub fn save(&self) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static {
        let device = &self.core.plain;
        let last = self
            .last
            .clone()
            .unwrap_or_else(|| Tensor::from_data(TensorData::new(Vec::<f32>::new(), [0]), device));
        let extra = vec![self.pool_a.floats(device), self.pool_b.floats(device), last];
        save_pair_with(
            FileKind::CycleRun,
            &self.config,
            &self.core,
            &self.nets,
            extra,
        )
    }

    /// A run saved by `save`, on `device` (plain), continuing exactly where it was. Refuses,
    /// with a message, what is not a CycleGAN run, a truncated or corrupt file, and one whose
    /// networks or pools do not fit its own config.
    pub fn load(
        bytes: &[u8],
        a: Arc<Mnist>,
        b: Arc<Mnist>,
        device: &Device,
    ) -> Result<Self, GanError> {
        let (h, at) = read_header::<CycleConfig>(FileKind::CycleRun, bytes)?;
        let mut t = CycleTrainer::new(h.config.clone(), a, b, device)?;
        let limit = t.config.pool_size * PIXELS;
        let fits = |n: usize| n.is_multiple_of(PIXELS) && n <= limit;
        let ok = match h.extra.as_slice() {
            [pa, pb, last] => fits(*pa) && fits(*pb) && (*last == 0 || *last == PARTS),
            _ => false,
        };
        if !ok {
            return Err(GanError::RunFile(format!(
                "its pools and losses ({:?} numbers) do not fit its config (pools of {} images \
                 of {PIXELS} pixels, {PARTS} losses)",
                h.extra, t.config.pool_size
            )));
        }
        let extra = restore_pair_with(FileKind::CycleRun, &h, bytes, at, &mut t.core, &mut t.nets)?;
        let device = t.core.plain.clone();
        t.pool_a = Pool::from_floats(t.config.pool_size, &extra[0], &device);
        t.pool_b = Pool::from_floats(t.config.pool_size, &extra[1], &device);
        t.last = (!extra[2].is_empty())
            .then(|| Tensor::from_data(TensorData::new(extra[2].clone(), [PARTS]), &device));
        Ok(t)
    }

    /// `n` test digits of domain A (or B) spread over the classes (digit k mod 10, the
    /// (k / 10)-th of its class): the same on every call.
    pub fn fixed_digits(&self, domain_b: bool, n: usize) -> Vec<usize> {
        let data = if domain_b { &self.b } else { &self.a };
        spread(data, n)
    }

    /// Pixels (784 each, in [0, 1]) of `indices` in domain A (or B).
    pub fn digit_pixels(&self, domain_b: bool, indices: &[usize]) -> Vec<f32> {
        let data = if domain_b { &self.b } else { &self.a };
        indices
            .iter()
            .flat_map(|&i| data.image(i).iter().map(|&p| p as f32 / 255.0))
            .collect()
    }

    /// The lab's rows on `n` fixed test digits of each domain, flat, each block `n * 784`
    /// pixels in [0, 1]: A, G(A), F(G(A)), B, F(B), G(F(B)).
    pub fn rows(&self, n: usize) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let a = self.digit_pixels(false, &self.fixed_digits(false, n));
        let b = self.digit_pixels(true, &self.fixed_digits(true, n));
        let gens = self.nets.g.valid();
        let device = &self.core.plain;
        let (xa, xb) = (signed(&a, device), signed(&b, device));
        let ga = gens.g.forward(xa.clone());
        let fga = gens.f.forward(ga.clone());
        let fb = gens.f.forward(xb.clone());
        let gfb = gens.g.forward(fb.clone());
        let t = unsigned(Tensor::cat(vec![xa, ga, fga, xb, fb, gfb], 0));
        async move { read_vec(t).await }
    }

    /// `pixels` (784 each, in [0, 1]) translated (G if `to_b`, else F) and back: flat, the
    /// translations then the round trips, in [0, 1]. Refuses an empty or ragged input.
    pub fn translate(
        &self,
        pixels: &[f32],
        to_b: bool,
    ) -> Result<impl Future<Output = Result<Vec<f32>, GanError>> + 'static, GanError> {
        if pixels.is_empty() || !pixels.len().is_multiple_of(PIXELS) {
            return Err(GanError::Config(format!(
                "translate: {} numbers are not whole 28 x 28 images (784 each)",
                pixels.len()
            )));
        }
        if !pixels.iter().all(|v| v.is_finite()) {
            return Err(GanError::Config(
                "translate: a pixel is NaN or infinite".into(),
            ));
        }
        let gens = self.nets.g.valid();
        let (there, back) = if to_b {
            (&gens.g, &gens.f)
        } else {
            (&gens.f, &gens.g)
        };
        let x = signed(pixels, &self.core.plain);
        let y = there.forward(x);
        let z = back.forward(y.clone());
        let t = unsigned(Tensor::cat(vec![y, z], 0));
        Ok(async move { read_vec(t).await })
    }
}

/// Pixels in [0, 1] as a `[n, 784]` batch in [-1, 1] (clamped first).
fn signed(pixels: &[f32], device: &Device) -> Tensor<2> {
    let v: Vec<f32> = pixels
        .iter()
        .map(|p| p.clamp(0.0, 1.0) * 2.0 - 1.0)
        .collect();
    let n = v.len() / PIXELS;
    Tensor::from_data(TensorData::new(v, [n, PIXELS]), device)
}

/// A batch in [-1, 1] as pixels in [0, 1], flat.
fn unsigned(t: Tensor<2>) -> Tensor<1> {
    let [n, p] = t.dims();
    t.add_scalar(1.0).mul_scalar(0.5).reshape([n * p])
}

/// `n` test digits spread over the classes: digit k mod 10, the (k / 10)-th of its class
/// (wrapping when a class has fewer).
pub fn spread(data: &Mnist, n: usize) -> Vec<usize> {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); 10];
    for i in data.indices(Split::Test) {
        by_class[data.label(i) as usize].push(i);
    }
    (0..n)
        .filter_map(|k| {
            let class = &by_class[k % 10];
            (!class.is_empty()).then(|| class[(k / 10) % class.len()])
        })
        .collect()
}
