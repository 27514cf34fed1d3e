//! The image GANs' run on the shipped MNIST digits, every image family's: the same
//! Algorithm 1 as the 2-D playground's (k D updates, then one G update, per round) with the
//! same losses ([`GanLoss`](crate::gan::GanLoss), shared), on the MLP or DCGAN networks, and a
//! moving average of G that the views show. The family adds its terms: the unconditional
//! GAN's optional InfoGAN code ([`info`](crate::image::unconditional::info)), the conditional
//! GANs' labels ([`conditional`](crate::image::conditional)), the SGAN's labelled digits and
//! baseline classifier ([`semi`](crate::image::semi)).

use std::sync::Arc;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};

use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::gan::latent::{code_part, latent_batch};
use crate::gan::loss::cross_entropy;
use crate::gan::optim::Optimizer;
use crate::gan::params::step_average;
use crate::gan::run::{Pair, RunConfig, RunCore, StepStats, read_header, restore_pair, save_pair};
use crate::gan::runfile::FileKind;
use crate::image::conditional;
use crate::image::config::{ImageConfig, ImageFamily, LABELS};
use crate::image::networks::{
    ImageCritic, ImageDiscriminator, ImageDiscriminatorConfig, ImageGenerator, ImageGeneratorConfig,
};
use crate::image::semi::{self, HeldOut};
use crate::image::unconditional::info::with_code_term;
use crate::image::views::{
    VIEW_LATENT_STREAM, judge, label_rows, real_images, render, seeded_latents,
};

/// An image GAN being trained on the training split of the shipped digits.
pub struct ImageTrainer {
    config: ImageConfig,
    data: Arc<Mnist>,
    /// Indices of the training digits.
    train: Vec<usize>,
    /// G, D, their optimisers, and the moving average of G (plain device) that the views
    /// show; None while `emaDecay` is 0 or before the first round.
    nets: Pair<ImageGenerator, ImageCritic>,
    /// An SGAN run's labelled training digits (empty for the other families).
    labelled: Vec<usize>,
    core: RunCore,
}

/// What a D update hands the G update: D's GAN cost, the fakes (attached to G's graph), their
/// latents, and for feature matching the real digits' features (detached).
struct DStep {
    cost: Tensor<1>,
    fake: Tensor<2>,
    z: Tensor<2>,
    real_features: Option<Tensor<2>>,
}

impl ImageTrainer {
    /// A fresh run of `config` on `device` (a plain device) on `data`'s training split.
    pub fn new(config: ImageConfig, data: Arc<Mnist>, device: &Device) -> Result<Self, GanError> {
        config.validate()?;
        let config = config.resolved();
        let train = data.indices(Split::Train);
        if train.len() < config.batch_size {
            return Err(GanError::Data(format!(
                "the MNIST asset has {} training digits, fewer than one batch of {}",
                train.len(),
                config.batch_size
            )));
        }
        let (core, mut init_rng) = RunCore::new(config.seed, device);
        let device = device.clone().autodiff();
        let g = ImageGeneratorConfig {
            arch: config.arch,
            z_dim: config.z_dim,
            width: config.gen_width(),
            refine: config.gen_refine,
        }
        .init(&mut init_rng, &device);
        let d_config = ImageDiscriminatorConfig {
            arch: config.arch,
            width: config.disc_width(),
            outputs: config.heads().outputs(),
        };
        let d = d_config.init(&mut init_rng, &device);
        let sgan = config.family == ImageFamily::Sgan;
        let baseline = sgan.then(|| {
            ImageDiscriminatorConfig {
                outputs: LABELS,
                ..d_config
            }
            .init(&mut init_rng, &device)
        });
        let labelled = match sgan {
            true => semi::labelled_subset(&data, config.labels_per_class, config.seed)?,
            false => Vec::new(),
        };
        let adam = || Optimizer::adam(config.beta1, config.beta2);
        Ok(Self {
            nets: Pair {
                g,
                d: ImageCritic { d, baseline },
                ema: None,
                ema_d: None,
                opt_g: adam(),
                opt_d: adam(),
            },
            config,
            data,
            train,
            labelled,
            core,
        })
    }

    /// The run's configuration.
    pub fn config(&self) -> &ImageConfig {
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

    /// Changes the learning rates from the next round on (as when resuming a diverged run with
    /// smaller steps); refused, with the key named, if out of range.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), GanError> {
        self.config = self.config.with_learning_rates(lr_d, lr_g)?;
        Ok(())
    }

    /// D's and G's learning rates at the current round (`lrHalfLife` applied).
    pub fn learning_rates(&self) -> (f64, f64) {
        self.config.rates_at(self.core.step)
    }

    /// The generator.
    pub fn generator(&self) -> &ImageGenerator {
        &self.nets.g
    }

    /// The discriminator.
    pub fn discriminator(&self) -> &ImageDiscriminator {
        &self.nets.d.d
    }

    /// An SGAN run's baseline classifier (None for the other families).
    pub fn baseline(&self) -> Option<&ImageDiscriminator> {
        self.nets.d.baseline.as_ref()
    }

    /// An SGAN run's labelled training digits (indices into the data), class by class.
    pub fn labelled(&self) -> &[usize] {
        &self.labelled
    }

    /// Scalars of (G, D): parameters, and batch norm's running statistics.
    pub fn parameter_counts(&self) -> (usize, usize) {
        (self.nets.g.num_params(), self.nets.d.num_params())
    }

    /// A fresh minibatch of training digits, `[n, 784]` in [-1, 1], and their labels,
    /// one-hot `[n, 10]`.
    fn real_batch(&mut self, n: usize) -> (Tensor<2>, Tensor<2>) {
        self.batch_of(false, n)
    }

    /// A minibatch as [`Self::real_batch`], of the labelled digits (`labelled`) or of the whole
    /// training split, drawn with replacement.
    fn batch_of(&mut self, labelled: bool, n: usize) -> (Tensor<2>, Tensor<2>) {
        let pool = if labelled {
            &self.labelled
        } else {
            &self.train
        };
        let mut x = Vec::with_capacity(n * PIXELS);
        let mut y = vec![0.0f32; n * LABELS];
        for k in 0..n {
            let i = pool[self.core.rng.below(pool.len())];
            x.extend(self.data.image(i).iter().map(|&p| p as f32 / 127.5 - 1.0));
            y[k * LABELS + self.data.label(i) as usize] = 1.0;
        }
        let device = &self.core.plain;
        (
            Tensor::from_data(TensorData::new(x, [n, PIXELS]), device),
            Tensor::from_data(TensorData::new(y, [n, LABELS]), device),
        )
    }

    /// One D update: real and fake minibatches through D in two passes (each its own batch
    /// statistics, as DCGAN trains), the fakes made by G in training mode; the family's terms
    /// join D's cost (Q's cross-entropy on the fakes for a code; the labels for a conditional
    /// run; an SGAN's labelled batch and its baseline's). Returns what the G update that may
    /// follow needs.
    fn discriminator_update(&mut self) -> DStep {
        let b = self.config.batch_size;
        let (real, y_real) = self.real_batch(b); // [b, 784], [b, 10]
        let c = &self.config;
        let z = latent_batch(
            c.prior,
            c.z_dim,
            c.codes(),
            b,
            &mut self.core.rng,
            &self.core.plain,
        ); // [b, z_dim]
        let fake = self.nets.g.forward(z.clone()); // [b, 784]
        if c.family == ImageFamily::Sgan {
            return self.sgan_discriminator_update(real, fake, z);
        }
        let d = &self.nets.d.d;
        let a_real = d.forward(real); // [b, outputs]
        let a_fake = d.forward(fake.clone().detach());
        let heads = c.heads();
        let (gan, cost) = if c.family.is_conditional() {
            let y_fake = code_part(z.clone(), LABELS);
            conditional::discriminator_cost(
                c.family,
                c.loss,
                heads,
                (a_real, y_real),
                (a_fake, y_fake),
            )
        } else {
            let gan = c
                .loss
                .discriminator(heads.realness(&a_real), heads.realness(&a_fake));
            let cost = with_code_term(heads, c.info_weight, gan.clone(), a_fake, z.clone());
            (gan, cost)
        };
        self.step_critic(cost);
        DStep {
            cost: gan.detach(),
            fake,
            z,
            real_features: None,
        }
    }

    /// An SGAN's D update (see [`semi`]): D on a labelled batch, an unlabelled real batch
    /// (`real`) and the fakes, each pass its own batch statistics; the baseline on the same
    /// labelled batch; one step of the shared optimiser for both.
    fn sgan_discriminator_update(
        &mut self,
        real: Tensor<2>,
        fake: Tensor<2>,
        z: Tensor<2>,
    ) -> DStep {
        let (labelled, y) = self.batch_of(true, self.config.batch_size);
        let (c, d) = (&self.config, &self.nets.d.d);
        let f_real = d.features(real); // [b, features]
        let a_real = d.head(f_real.clone());
        let a_fake = d.forward(fake.clone().detach());
        let a_labelled = d.forward(labelled.clone());
        let (gan, mut cost) =
            semi::discriminator_cost(c.loss, c.heads(), (a_labelled, y.clone()), a_real, a_fake);
        if let Some(baseline) = &self.nets.d.baseline {
            cost = cost + cross_entropy(baseline.forward(labelled), y);
        }
        let real_features = c.feature_matching.then(|| f_real.detach());
        self.step_critic(cost);
        DStep {
            cost: gan.detach(),
            fake,
            z,
            real_features,
        }
    }

    /// One optimiser step of D (and an SGAN's baseline) down `cost`'s gradient.
    fn step_critic(&mut self, cost: Tensor<1>) {
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.d);
        let lr = self.learning_rates().0;
        self.nets.d = self.nets.opt_d.step(lr, self.nets.d.clone(), grads);
    }

    /// One G update through the fixed (just updated) D, on `fake`: the last D update's fakes
    /// (of latents `z`), as PyTorch's DCGAN example does, which saves G a forward pass a round
    /// at no measurable cost in quality (docs/decisions.md). The family's terms join G's cost.
    /// Returns G's GAN cost (with feature matching, the GAN cost G would have had: what the
    /// loss chart shows is comparable across runs).
    fn generator_update(&mut self, step: DStep) -> Tensor<1> {
        let DStep {
            fake,
            z,
            real_features,
            ..
        } = step;
        let fixed_d = self.nets.d.d.clone().no_grad();
        let f_fake = fixed_d.features(fake); // [b, features]
        let a = fixed_d.head(f_fake.clone()); // [b, outputs]
        let (c, heads) = (&self.config, self.config.heads());
        let (gan, cost) = if let Some(f_real) = real_features {
            let gan = c.loss.generator(heads.realness(&a));
            (gan, semi::feature_matching(f_real, f_fake))
        } else if c.family.is_conditional() {
            let y = code_part(z, LABELS);
            conditional::generator_cost(c.family, c.loss, heads, a, y)
        } else {
            let gan = c.loss.generator(heads.realness(&a));
            (gan.clone(), with_code_term(heads, c.info_weight, gan, a, z))
        };
        let grads = GradientsParams::from_grads(cost.backward(), &self.nets.g);
        let lr = self.learning_rates().1;
        self.nets.g = self.nets.opt_g.step(lr, self.nets.g.clone(), grads);
        gan.detach()
    }

    /// Trains `rounds` rounds (k D updates, then one G update, each), reading nothing back.
    pub fn train(&mut self, rounds: usize) {
        for _ in 0..rounds {
            let mut last = None;
            for _ in 0..self.config.k {
                let step = self.discriminator_update();
                self.core.last_d = Some(step.cost.clone());
                last = Some(step);
            }
            let step = last.expect("k >= 1 (validated)");
            self.core.last_g = Some(self.generator_update(step));
            self.core.step += 1;
            self.update_average();
        }
    }

    /// One step of the moving average of G: decay min(emaDecay, (1 + t) / (10 + t)) at round
    /// t, so that the first rounds do not drag the random initial G along. An SGAN run
    /// averages its D side too (D and the baseline alike, Polyak averaging): the classifiers
    /// it scores on the held-out digits, steadier than the last update's weights, which swing
    /// by several points from round to round while G and D play.
    fn update_average(&mut self) {
        if self.config.ema_decay == 0.0 {
            return;
        }
        let t = self.core.step as f64;
        let decay = self.config.ema_decay.min((1.0 + t) / (10.0 + t));
        let nets = &mut self.nets;
        nets.ema = Some(step_average(nets.ema.take(), nets.g.valid(), decay));
        if self.config.family == ImageFamily::Sgan {
            nets.ema_d = Some(step_average(nets.ema_d.take(), nets.d.valid(), decay));
        }
    }

    /// The run as one file (see [`save_pair`]: G's and D's float tensors, batch-norm
    /// statistics included, G's moving average if on, and the optimisers' moments). One
    /// asynchronous read: this works on every backend.
    pub fn save(&self) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static {
        save_pair(FileKind::ImageRun, &self.config, &self.core, &self.nets)
    }

    /// A run saved by `save`, on `device` (plain), on `data`, continuing exactly where it was.
    /// Refuses, with a message, what is not an image run file, a truncated or corrupt one, and
    /// one whose networks do not fit its own config's architecture.
    pub fn load(bytes: &[u8], data: Arc<Mnist>, device: &Device) -> Result<Self, GanError> {
        let (mut h, at) = read_header::<ImageConfig>(FileKind::ImageRun, bytes)?;
        // Runs save `codes` resolved; a header without it was written before the InfoGAN
        // code existed, by a run that had none.
        h.config.codes.get_or_insert(0);
        let mut t = ImageTrainer::new(h.config.clone(), data, device)?;
        restore_pair(FileKind::ImageRun, &h, bytes, at, &mut t.core, &mut t.nets)?;
        Ok(t)
    }

    /// The generator the views show: the moving average, or G itself when it is off.
    pub fn shown_generator(&self) -> ImageGenerator {
        match &self.nets.ema {
            Some(avg) => avg.clone(),
            None => self.nets.g.valid(),
        }
    }

    /// Reads back the last round's losses; NaN or infinite is [`GanError::Diverged`].
    pub fn losses(&self) -> impl Future<Output = Result<StepStats, GanError>> + 'static {
        self.core.losses()
    }

    /// The sample grid's `n` latents, flat `[n * z_dim]`: the same draws on every call (so the
    /// grid shows the same samples improving), each noise component beyond `truncation`
    /// redrawn (also the same redraws on every call; the code's one-hot components are kept).
    pub fn view_latents(&self, n: usize, truncation: Option<f64>) -> Result<Vec<f32>, GanError> {
        self.seeded_latents(n, self.config.seed ^ VIEW_LATENT_STREAM, truncation)
    }

    /// `n` latents drawn from the prior with `seed` (see [`seeded_latents`]).
    pub fn seeded_latents(
        &self,
        n: usize,
        seed: u64,
        truncation: Option<f64>,
    ) -> Result<Vec<f32>, GanError> {
        seeded_latents(&self.config, n, seed, truncation)
    }

    /// A conditional run's grid by digit: `columns` fixed latents (the sample grid's), row r
    /// labelled digit r (see [`label_rows`]).
    pub fn label_rows(
        &self,
        columns: usize,
        truncation: Option<f64>,
    ) -> Result<Vec<f32>, GanError> {
        label_rows(
            &self.config,
            columns,
            self.config.seed ^ VIEW_LATENT_STREAM,
            truncation,
        )
    }

    /// G's images of `latents` from the shown generator (see [`render`]).
    pub fn images(
        &self,
        latents: &[f32],
    ) -> Result<impl Future<Output = Result<Vec<f32>, GanError>> + 'static, GanError> {
        render(
            &self.shown_generator(),
            self.config.z_dim,
            latents,
            &self.core.plain,
        )
    }

    /// D's realness score of each image in `pixels` (784 per image in [0, 1], flat; see
    /// [`judge`]: a cGAN's under the label that makes the image most real); higher is realer.
    pub fn discriminate(
        &self,
        pixels: &[f32],
    ) -> Result<impl Future<Output = Result<Vec<f32>, GanError>> + 'static, GanError> {
        let d = self.nets.d.d.valid();
        let projected = self.config.family == ImageFamily::Cgan;
        judge(
            &d,
            (self.config.heads(), projected),
            pixels,
            &self.core.plain,
        )
    }

    /// An SGAN run's D and baseline classifier on the test split's digits, in inference mode
    /// (one asynchronous read): their moving averages (`emaDecay`), or the networks themselves
    /// when it is 0 or before the first round. Refused for the other families.
    pub fn held_out(
        &self,
    ) -> Result<impl Future<Output = Result<HeldOut, GanError>> + 'static, GanError> {
        let (step, averaged) = (self.core.step, self.nets.ema_d.is_some());
        let critic = match &self.nets.ema_d {
            Some(avg) => avg.clone(),
            None => self.nets.d.valid(),
        };
        let heads = self.config.heads();
        semi::held_out(
            critic,
            heads,
            &self.data,
            &self.core.plain,
            (step, averaged),
        )
    }

    /// An SGAN run's labelled digits for display: 784 pixels each in [0, 1], flat, and their
    /// labels, class by class (empty for the other families).
    pub fn labelled_images(&self) -> (Vec<f32>, Vec<u8>) {
        let pixels = self
            .labelled
            .iter()
            .flat_map(|&i| self.data.image(i).iter().map(|&p| p as f32 / 255.0));
        let labels = self.labelled.iter().map(|&i| self.data.label(i)).collect();
        (pixels.collect(), labels)
    }

    /// `n` training digits for display, flat `[n * 784]` in [0, 1]; the same on every call.
    pub fn real_images(&self, n: usize) -> Vec<f32> {
        real_images(&self.data, &self.train, n, self.config.seed)
    }
}
