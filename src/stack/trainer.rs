//! A StackGAN run (Zhang et al., 2017, section 3.4) on the shipped digits and their measured
//! captions: stage I trains first (its generator and caption encoder against its 14 x 14
//! discriminator), then stage II with stage I frozen (its own encoder and the refinement
//! against the 28 x 28 discriminator), as the paper trains them.
//!
//! One round of a stage: a minibatch of training digits with their captions, and the same
//! captions shifted by one digit (mismatched pairs). D's cost is the matching-aware one,
//! softplus(−D(real, right)) + ½ (softplus(D(fake, right)) + softplus(D(real, wrong))); then
//! G's, the non-saturating softplus(−D(fake, right)) plus the KL weight times conditioning
//! augmentation's KL. Each D reads captions through its own encoder ([`Judge`]). The save file, the lab and the measures are issue 26's next steps.

use std::sync::Arc;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, activation};

use crate::data::captions::Caption;
use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::gan::optim::Optimizer;
use crate::gan::run::{RunConfig, RunCore, read_vec};
use crate::nn::init::normal;
use crate::stack::config::StackConfig;
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

/// A stage's judge: the matching-aware discriminator with its own caption encoder (trained
/// with D, as the paper's D compresses the text embedding with its own layer), read through μ.
/// D reading G's encoder instead (the KL pulls G's μ towards 0 for every caption) named the
/// digit at chance after 4,000 rounds; see docs/decisions.md for what else changed with it.
#[derive(Module, Debug)]
pub struct Judge {
    pub text: TextEncoder,
    pub d: StageDiscriminator,
}

impl Judge {
    /// Logits `[b, 1]` of images `[b, 1, side, side]` with captions as bag-of-words rows.
    pub fn forward(&self, images: Tensor<4>, bags: Tensor<2>) -> Tensor<2> {
        self.d.forward(images, self.text.gaussian(bags).0)
    }
}

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
    /// Each training digit's caption, as vocabulary indices.
    captions: Vec<Vec<usize>>,
    one: StageOne,
    two: StageTwo,
    d_one: Judge,
    d_two: Judge,
    opt: [Optimizer; 4],
    core: RunCore,
    /// Rounds of each stage trained.
    rounds: [u64; 2],
}

/// `[b, 784]` in [-1, 1] -> `[b, 1, 14, 14]`: each 2 x 2 block averaged.
pub fn downsample(x: Tensor<2>) -> Tensor<4> {
    let b = x.dims()[0];
    x.reshape([b, 14, 2, 14, 2])
        .mean_dim(4)
        .mean_dim(2)
        .reshape([b, 1, 14, 14])
}

/// The matching-aware discriminator's cost from its logits on (real, right caption), (fake,
/// right) and (real, wrong).
pub fn matching_cost(real: Tensor<2>, fake: Tensor<2>, wrong: Tensor<2>) -> Tensor<1> {
    let sp = |t: Tensor<2>| activation::softplus(t, 1.0).mean();
    sp(real.neg()) + (sp(fake) + sp(wrong)).mul_scalar(0.5)
}

/// One stage's discriminator turn: the matching-aware update of `judge` on real digits with
/// their captions, `fake` images (detached here) with the same captions and real digits with
/// the `wrong` ones; then G's non-saturating cost against the updated judge, held fixed.
/// Returns (D's cost, G's GAN cost).
fn judge(
    judge: &mut Judge,
    opt: &mut Optimizer,
    lr: f64,
    real: Tensor<4>,
    fake: Tensor<4>,
    right: Tensor<2>,
    wrong: Tensor<2>,
) -> (Tensor<1>, Tensor<1>) {
    let cost_d = matching_cost(
        judge.forward(real.clone(), right.clone()),
        judge.forward(fake.clone().detach(), right.clone()),
        judge.forward(real, wrong),
    );
    let grads = GradientsParams::from_grads(cost_d.backward(), judge);
    *judge = opt.step(lr, judge.clone(), grads);
    let fixed = judge.clone().no_grad();
    let gan = activation::softplus(fixed.forward(fake, right).neg(), 1.0).mean();
    (cost_d, gan)
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
            .map(|&i| Caption::of(data.label(i), data.image(i)).tokens())
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
        let adam = || Optimizer::adam(b1, b2);
        Ok(Self {
            config,
            data,
            train,
            captions,
            one,
            two,
            d_one,
            d_two,
            opt: [adam(), adam(), adam(), adam()],
            core,
            rounds: [0, 0],
        })
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
        let right: Vec<Vec<usize>> = picks.iter().map(|&k| self.captions[k].clone()).collect();
        let wrong: Vec<Vec<usize>> = (0..n).map(|i| right[(i + 1) % n].clone()).collect();
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
        let (code, kl) = self.one.text.augmented(right.clone(), &mut self.core.rng);
        let z = normal([n, c.z_dim], 1.0, &mut self.core.rng, &self.core.plain);
        let fake = activation::tanh(self.one.g.logits(z, code)); // [n, 1, 14, 14]
        let (cost_d, gan) = judge(
            &mut self.d_one,
            &mut self.opt[1],
            lr_d,
            real,
            fake,
            right,
            wrong,
        );
        let cost = gan.clone() + kl.mul_scalar(c.kl_weight / c.code as f64);
        let grads = GradientsParams::from_grads(cost.backward(), &self.one);
        self.one = self.opt[0].step(lr_g, self.one.clone(), grads);
        self.core.last_d = Some(cost_d.detach());
        self.core.last_g = Some(gan.detach());
    }

    fn round_two(&mut self) {
        let (x, right, wrong) = self.batch();
        let (n, c) = (self.config.batch_size, &self.config);
        let (lr_d, lr_g) = c.rates_at(self.rounds[1]);
        let real = x.reshape([n, 1, 28, 28]);
        // Stage I, frozen: its image of these captions, recorded in no graph.
        let frozen = self.one.clone().no_grad();
        let (code_one, _) = frozen.text.augmented(right.clone(), &mut self.core.rng);
        let z = normal([n, c.z_dim], 1.0, &mut self.core.rng, &self.core.plain);
        let low = frozen.g.logits(z, code_one).detach(); // [n, 1, 14, 14]
        let (code, kl) = self.two.text.augmented(right.clone(), &mut self.core.rng);
        let fake = activation::tanh(self.two.g.logits(low, code)); // [n, 1, 28, 28]
        let (cost_d, gan) = judge(
            &mut self.d_two,
            &mut self.opt[3],
            lr_d,
            real,
            fake,
            right,
            wrong,
        );
        let cost = gan.clone() + kl.mul_scalar(c.kl_weight / c.code as f64);
        let grads = GradientsParams::from_grads(cost.backward(), &self.two);
        self.two = self.opt[2].step(lr_g, self.two.clone(), grads);
        self.core.last_d = Some(cost_d.detach());
        self.core.last_g = Some(gan.detach());
    }

    /// The last round's (D's cost, G's GAN cost), read back asynchronously; a NaN or infinite
    /// one is [`GanError::Diverged`].
    pub fn losses(&self) -> impl Future<Output = Result<(f32, f32), GanError>> + 'static {
        let stats = self.core.losses();
        async move { stats.await.map(|s| (s.loss_d, s.loss_g)) }
    }

    /// Both stages' images (`[n, 196]` and `[n, 784]`, pixels in [-1, 1], flat) of `captions`
    /// (one per image, vocabulary indices) for the latents `z` (`[n, z_dim]` flat) and the
    /// augmentation draws `eps` (`[n, code]` flat; zeros: each caption's mean code), read back
    /// asynchronously.
    pub fn images(
        &self,
        captions: &[Vec<usize>],
        z: &[f32],
        eps: &[f32],
    ) -> impl Future<Output = Result<(Vec<f32>, Vec<f32>), GanError>> + 'static {
        let s = self.config.shape();
        let n = captions.len();
        assert_eq!(z.len(), n * s.z_dim, "one latent per caption");
        assert_eq!(eps.len(), n * s.code, "one draw per caption");
        let device = &self.core.plain;
        let bags = bag_of_words(captions, device);
        let eps = Tensor::<2>::from_data(TensorData::new(eps.to_vec(), [n, s.code]), device);
        let z = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [n, s.z_dim]), device);
        let code = |text: &TextEncoder| {
            let (mu, log_var) = text.gaussian(bags.clone());
            mu + log_var.mul_scalar(0.5).exp() * eps.clone()
        };
        let (one, two) = (self.one.clone().valid(), self.two.clone().valid());
        let low = one.g.logits(z, code(&one.text));
        let high = two.g.logits(low.clone(), code(&two.text));
        let (low, high) = (
            activation::tanh(low).reshape([n, 196]),
            activation::tanh(high).reshape([n, PIXELS]),
        );
        async move { Ok((read_vec(low).await?, read_vec(high).await?)) }
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
