//! A StackGAN run (Zhang et al., 2017, section 3.4) on the shipped digits and their measured
//! captions: stage I trains first (its generator and caption encoder against its 14 x 14
//! discriminator), then stage II with stage I frozen (its own encoder and the refinement
//! against the 28 x 28 discriminator), as the paper trains them.
//!
//! One round of a stage: a minibatch of training digits with their captions, and mismatched
//! captions: the same captions shifted by one digit, as the paper pairs them, or (a share
//! `attributeMismatch` of them) the digit's own caption with its thickness or slant changed,
//! so that D must read the attributes as well as the digit. D's cost is the matching-aware one,
//! softplus(−D(real, right)) + ½ (softplus(D(fake, right)) + softplus(D(real, wrong))); then
//! G's, the non-saturating softplus(−D(fake, right)) plus the KL weight times conditioning
//! augmentation's KL. Each D reads captions through its own encoder ([`Judge`]).
//!
//! The page trains on a schedule ([`StackTrainer::step`]): stage I for the config's
//! `stageOneRounds`, then stage II (or both in turn from the start, `together`). A run saves
//! to one file (`GANSTK`) and continues from it exactly.

use std::sync::Arc;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::Serialize;

use crate::data::captions::Caption;
use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::gan::optim::Optimizer;
use crate::gan::params::blend;
use crate::gan::run::{
    Pair, RunConfig, RunCore, read_header, read_vec, restore_pair_with, save_pair_with,
};
use crate::gan::runfile::FileKind;
use crate::nn::init::normal;
use crate::stack::config::StackConfig;
use crate::stack::judge::judge;
pub use crate::stack::judge::{Judge, Judges, downsample, matching_cost};
use crate::stack::networks::{
    StageDiscriminator, StageOneGenerator, StageTwoGenerator, nearest_up,
};
use crate::stack::text::{TextEncoder, bag_of_words};

/// Stage I's trained side: the caption encoder and the generator.
#[derive(Module, Debug)]
pub struct StageOne {
    pub text: TextEncoder,
    pub g: StageOneGenerator,
}

/// Stage II's trained side: its own caption encoder and the refinement.
#[derive(Module, Debug)]
pub struct StageTwo {
    pub text: TextEncoder,
    pub g: StageTwoGenerator,
}

/// Both stages' trained sides: what G's optimiser steps (one Adam, its moments by parameter,
/// so a stage's round moves only that stage).
#[derive(Module, Debug)]
pub struct Generators {
    pub one: StageOne,
    pub two: StageTwo,
}

/// The last round's costs, with where the schedule stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackStats {
    /// Rounds trained so far (a round of each stage in turn counts once).
    pub step: u64,
    /// Rounds of stage I trained.
    pub rounds_one: u64,
    /// Rounds of stage II trained.
    pub rounds_two: u64,
    /// The stage the next round trains: 1, 2, or 0 for both in turn.
    pub stage: u8,
    /// The last D update's matching-aware cost.
    pub loss_d: f32,
    /// The last G update's non-saturating cost (without the KL).
    pub loss_g: f32,
}

/// Stage I's and stage II's pixels, flat.
pub type Pictures = (Vec<f32>, Vec<f32>);

/// Which stage a round trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Stage I alone.
    One,
    /// Stage II, stage I frozen.
    Two,
    /// A round of each, in turn (the option to train both).
    Both,
}

/// A StackGAN being trained.
pub struct StackTrainer {
    config: StackConfig,
    data: Arc<Mnist>,
    train: Vec<usize>,
    /// Each training digit's caption.
    captions: Vec<Caption>,
    nets: Pair<Generators, Judges>,
    core: RunCore,
    /// Rounds of each stage trained.
    rounds: [u64; 2],
}

impl StackTrainer {
    /// A fresh run on `device` (plain) on `data`'s training digits, each captioned from its
    /// label and its measured stroke width and slant.
    pub fn new(config: StackConfig, data: Arc<Mnist>, device: &Device) -> Result<Self, GanError> {
        config.validate()?;
        let train = data.indices(Split::Train);
        if train.len() < 2 {
            return Err(GanError::Data(
                "the digits have no training split: rebuild the assets (scripts/setup.sh)".into(),
            ));
        }
        let captions = train
            .iter()
            .map(|&i| Caption::of(data.label(i), data.image(i)))
            .collect();
        let (core, mut rng) = RunCore::new(config.seed, device);
        let ad = device.clone().autodiff();
        let (s, e) = (config.shape(), config.embed);
        let one = StageOne {
            text: TextEncoder::new(e, s.code, &mut rng, &ad),
            g: StageOneGenerator::new(s, &mut rng, &ad),
        };
        let two = StageTwo {
            text: TextEncoder::new(e, s.code, &mut rng, &ad),
            g: StageTwoGenerator::new(s, &mut rng, &ad),
        };
        let d_one = Judge {
            text: TextEncoder::new(e, s.code, &mut rng, &ad),
            d: StageDiscriminator::new(s, 14, &mut rng, &ad),
        };
        let d_two = Judge {
            text: TextEncoder::new(e, s.code, &mut rng, &ad),
            d: StageDiscriminator::new(s, 28, &mut rng, &ad),
        };
        let (b1, b2) = (config.beta1, config.beta2);
        let nets = Pair {
            g: Generators { one, two },
            d: Judges {
                one: d_one,
                two: d_two,
            },
            ema: None,
            ema_d: None,
            opt_g: Optimizer::adam(b1, b2),
            opt_d: Optimizer::adam(b1, b2),
        };
        Ok(Self {
            config,
            data,
            train,
            captions,
            nets,
            core,
            rounds: [0, 0],
        })
    }

    /// Rounds trained so far.
    pub fn step_count(&self) -> u64 {
        self.core.step
    }

    /// The device the run computes on (without autodiff).
    pub fn device(&self) -> &Device {
        &self.core.plain
    }

    /// Scalars of (both stages' encoders and generators, both judges).
    pub fn parameter_counts(&self) -> (usize, usize) {
        (self.nets.g.num_params(), self.nets.d.num_params())
    }

    /// Changes the learning rates from the next round on; refused, with the key named, if out
    /// of range.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), GanError> {
        self.config = self.config.with_learning_rates(lr_d, lr_g)?;
        Ok(())
    }

    /// The stage the schedule trains next: both in turn (`together`), else stage I until it
    /// has had `stageOneRounds`, then stage II.
    pub fn stage_now(&self) -> Stage {
        if self.config.together {
            Stage::Both
        } else if self.rounds[0] < self.config.stage_one_rounds as u64 {
            Stage::One
        } else {
            Stage::Two
        }
    }

    /// Trains `rounds` rounds on the schedule ([`Self::stage_now`]), reading nothing back.
    pub fn step(&mut self, rounds: usize) {
        for _ in 0..rounds {
            self.train(self.stage_now(), 1);
        }
    }

    /// Rounds of stage I and of stage II trained so far.
    pub fn rounds(&self) -> [u64; 2] {
        self.rounds
    }

    /// A minibatch: digits `[n, 784]` in [-1, 1], their captions and the mismatched ones.
    fn batch(&mut self) -> (Tensor<2>, Tensor<2>, Tensor<2>) {
        let n = self.config.batch_size;
        let picks: Vec<usize> = (0..n)
            .map(|_| self.core.rng.below(self.train.len()))
            .collect();
        let mut x = Vec::with_capacity(n * PIXELS);
        for &k in &picks {
            let image = self.data.image(self.train[k]);
            x.extend(image.iter().map(|&p| p as f32 / 127.5 - 1.0));
        }
        let right: Vec<Caption> = picks.iter().map(|&k| self.captions[k]).collect();
        let share = self.config.attribute_mismatch;
        let wrong: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                if share > 0.0 && self.core.rng.uniform() < share {
                    let flip = self.core.rng.below(2);
                    let to = self.core.rng.below(2);
                    right[i].with_attribute_changed(flip == 0, to).tokens()
                } else {
                    right[(i + 1) % n].tokens()
                }
            })
            .collect();
        let right: Vec<Vec<usize>> = right.iter().map(Caption::tokens).collect();
        let device = &self.core.plain;
        let x = Tensor::from_data(TensorData::new(x, [n, PIXELS]), device);
        (
            x,
            bag_of_words(&right, device),
            bag_of_words(&wrong, device),
        )
    }

    /// Trains `rounds` rounds of `stage` (stage II with stage I frozen), reading nothing back.
    pub fn train(&mut self, stage: Stage, rounds: usize) {
        for _ in 0..rounds {
            if stage != Stage::Two {
                self.round_one();
                self.rounds[0] += 1;
            }
            if stage != Stage::One {
                self.round_two();
                self.rounds[1] += 1;
            }
            self.core.step += 1;
        }
    }

    fn round_one(&mut self) {
        let (x, right, wrong) = self.batch();
        let (n, c) = (self.config.batch_size, &self.config);
        let (lr_d, lr_g) = c.rates_at(self.rounds[0]);
        let real = downsample(x); // [n, 1, 14, 14]
        let g = &self.nets.g.one;
        let (code, kl) = g.text.augmented(right.clone(), &mut self.core.rng);
        let z = normal([n, c.z_dim], 1.0, &mut self.core.rng, &self.core.plain);
        let fake = activation::tanh(g.g.logits(z, code)); // [n, 1, 14, 14]
        let (cost_d, gan) = judge(
            &mut self.nets.d.one,
            &mut self.nets.opt_d,
            lr_d,
            real,
            fake,
            right,
            wrong,
        );
        self.update_g(lr_g, cost_d, gan, kl);
        self.update_average(0);
    }

    /// G's step down its GAN cost plus the weighted KL (only the stage that made the graph
    /// has gradients), and the costs kept for [`Self::losses`].
    fn update_g(&mut self, lr_g: f64, cost_d: Tensor<1>, gan: Tensor<1>, kl: Tensor<1>) {
        let c = &self.config;
        let cost = gan.clone() + kl.mul_scalar(c.kl_weight / c.code as f64);
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.g);
        self.nets.g = self.nets.opt_g.step(lr_g, self.nets.g.clone(), grads);
        self.core.last_d = Some(cost_d.detach());
        self.core.last_g = Some(gan.detach());
    }

    /// One step of the moving average of `stage`'s generator and encoder (0: stage I, 1: stage
    /// II), the other stage's average left as it is (a frozen stage I keeps its pictures).
    /// The decay restarts with each stage, min(emaDecay, (1 + t) / (10 + t)) after the stage's
    /// round t, so that stage II's average does not drag its untrained weights along for
    /// hundreds of rounds.
    fn update_average(&mut self, stage: usize) {
        if self.config.ema_decay == 0.0 {
            return;
        }
        let t = self.rounds[stage] as f64;
        let decay = self.config.ema_decay.min((1.0 + t) / (10.0 + t));
        let live = self.nets.g.valid();
        self.nets.ema = Some(match self.nets.ema.take() {
            None => live,
            Some(mut avg) => {
                if stage == 0 {
                    avg.one = blend(avg.one, &live.one, decay);
                } else {
                    avg.two = blend(avg.two, &live.two, decay);
                }
                avg
            }
        });
    }

    fn round_two(&mut self) {
        let (x, right, wrong) = self.batch();
        let (n, c) = (self.config.batch_size, &self.config);
        let (lr_d, lr_g) = c.rates_at(self.rounds[1]);
        let real = x.reshape([n, 1, 28, 28]);
        // Stage I, frozen: its image of these captions, recorded in no graph.
        let frozen = self.nets.g.one.clone().no_grad();
        let (code_one, _) = frozen.text.augmented(right.clone(), &mut self.core.rng);
        let z = normal([n, c.z_dim], 1.0, &mut self.core.rng, &self.core.plain);
        let low = frozen.g.logits(z, code_one).detach(); // [n, 1, 14, 14]
        let g = &self.nets.g.two;
        let (code, kl) = g.text.augmented(right.clone(), &mut self.core.rng);
        let fake = activation::tanh(g.g.logits(low, code)); // [n, 1, 28, 28]
        let (cost_d, gan) = judge(
            &mut self.nets.d.two,
            &mut self.nets.opt_d,
            lr_d,
            real,
            fake,
            right,
            wrong,
        );
        self.update_g(lr_g, cost_d, gan, kl);
        self.update_average(1);
    }

    /// The last round's costs and the schedule, read back asynchronously; a NaN or infinite
    /// cost is [`GanError::Diverged`].
    pub fn losses(&self) -> impl Future<Output = Result<StackStats, GanError>> + 'static {
        let stats = self.core.losses();
        let [rounds_one, rounds_two] = self.rounds;
        let stage = match self.stage_now() {
            Stage::One => 1,
            Stage::Two => 2,
            Stage::Both => 0,
        };
        async move {
            stats.await.map(|s| StackStats {
                step: s.step,
                rounds_one,
                rounds_two,
                stage,
                loss_d: s.loss_d,
                loss_g: s.loss_g,
            })
        }
    }

    /// The run as one file: both stages, both judges, the optimisers' moments, the rounds of
    /// each stage, the step, the last costs and the RNG state (one asynchronous read).
    pub fn save(&self) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static {
        let rounds = self.rounds.map(|r| r as f32).to_vec();
        let rounds = Tensor::from_data(TensorData::new(rounds, [2]), &self.core.plain);
        save_pair_with(
            FileKind::StackRun,
            &self.config,
            &self.core,
            &self.nets,
            vec![rounds],
        )
    }

    /// A run saved by `save`, on `device` (plain), continuing exactly where it was. Refuses,
    /// with a message, what is not a StackGAN run, a truncated or corrupt file, and one whose
    /// networks or stage counts do not fit its own config and step.
    pub fn load(bytes: &[u8], data: Arc<Mnist>, device: &Device) -> Result<Self, GanError> {
        let (h, at) = read_header::<StackConfig>(FileKind::StackRun, bytes)?;
        let mut t = StackTrainer::new(h.config.clone(), data, device)?;
        if h.extra != [2] {
            return Err(GanError::RunFile(format!(
                "its stage counts ({:?} numbers) are not the two a StackGAN run keeps",
                h.extra
            )));
        }
        let extra = restore_pair_with(FileKind::StackRun, &h, bytes, at, &mut t.core, &mut t.nets)?;
        // Exact as f32 up to 2^24 rounds of a stage; each at most the run's rounds.
        let count = |v: f32| {
            (v >= 0.0 && v.fract() == 0.0 && v <= (1u32 << 24) as f32 && v as u64 <= h.step)
                .then_some(v as u64)
        };
        match (count(extra[0][0]), count(extra[0][1])) {
            (Some(one), Some(two)) => t.rounds = [one, two],
            _ => {
                return Err(GanError::RunFile(format!(
                    "its stage counts {:?} are not whole numbers of rounds up to its step {}",
                    extra[0], h.step
                )));
            }
        }
        Ok(t)
    }

    /// Both stages' images (`[n, 196]` and `[n, 784]`, pixels in [-1, 1], flat) of `captions`
    /// (one per image, vocabulary indices) for the latents `z` (`[n, z_dim]` flat) and the
    /// augmentation draws `eps` (`[n, code]` flat; zeros: each caption's mean code), read back
    /// asynchronously. Refuses (with the sizes named) latents or draws that do not fit.
    pub fn images(
        &self,
        captions: &[Vec<usize>],
        z: &[f32],
        eps: &[f32],
    ) -> Result<impl Future<Output = Result<Pictures, GanError>> + 'static, GanError> {
        let s = self.config.shape();
        let n = captions.len();
        if n == 0 || z.len() != n * s.z_dim || eps.len() != n * s.code {
            return Err(GanError::Data(format!(
                "images: {} latent numbers and {} draws for {n} captions; each caption needs {} and {}",
                z.len(),
                eps.len(),
                s.z_dim,
                s.code
            )));
        }
        let device = &self.core.plain;
        let bags = bag_of_words(captions, device);
        let eps = Tensor::<2>::from_data(TensorData::new(eps.to_vec(), [n, s.code]), device);
        let z = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [n, s.z_dim]), device);
        let code = |text: &TextEncoder| {
            let (mu, log_var) = text.gaussian(bags.clone());
            mu + log_var.mul_scalar(0.5).exp() * eps.clone()
        };
        let nets = self.shown_generators();
        let low = nets.one.g.logits(z, code(&nets.one.text));
        let high = nets.two.g.logits(low.clone(), code(&nets.two.text));
        let (low, high) = (
            activation::tanh(low).reshape([n, 196]),
            activation::tanh(high).reshape([n, PIXELS]),
        );
        Ok(async move { Ok((read_vec(low).await?, read_vec(high).await?)) })
    }

    /// The generators the pictures show: their moving average (`emaDecay`), or the last
    /// update's weights when it is off.
    pub fn shown_generators(&self) -> Generators {
        match &self.nets.ema {
            Some(avg) => avg.clone(),
            None => self.nets.g.valid(),
        }
    }

    /// The run's settings.
    pub fn config(&self) -> &StackConfig {
        &self.config
    }
}

/// Stage I's images (`[n, 196]`, flat) brought to 28 x 28 by nearest neighbour, as FID compares
/// them with stage II's.
pub fn upsampled(low: &[f32], device: &Device) -> Tensor<2> {
    let n = low.len() / 196;
    let t = Tensor::<4>::from_data(TensorData::new(low.to_vec(), [n, 1, 14, 14]), device);
    nearest_up(t).reshape([n, PIXELS])
}
