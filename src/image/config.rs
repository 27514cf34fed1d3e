//! The config of an image GAN run: the family (unconditional, cGAN, ACGAN, SGAN), the networks, the
//! loss, the latent (with an optional InfoGAN code, or a conditional run's label), the
//! optimisers' settings and the seed, validated with a message naming the key. Every image
//! family's run reads it.

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::gan::check::{check_f64, check_rates, check_seed, check_usize};
use crate::gan::cost::{Cost, train_flops};
use crate::gan::latent::Prior;
use crate::gan::loss::GanLoss;
use crate::gan::run::RunConfig;
use crate::image::networks::{ImageArch, ImageDiscriminatorConfig, ImageGeneratorConfig};
use crate::nn::Heads;

/// InfoGAN categories when `codes` is null and zDim is at least [`AUTO_CODES_MIN_Z`].
pub const AUTO_CODES: usize = 64;
/// The smallest zDim that gets [`AUTO_CODES`] categories by default.
pub const AUTO_CODES_MIN_Z: usize = 96;

/// The data's classes a conditional run's label picks from (the ten digits).
pub const LABELS: usize = 10;

/// Which GAN an image run trains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImageFamily {
    /// G(z) and D(x): the digit G draws is whatever its latent falls on.
    #[default]
    Unconditional,
    /// The conditional GAN (Mirza and Osindero, 2014): the one-hot label joins z at G's input
    /// and D judges the pair (x, y) by projection ([`Heads::projected`]).
    Cgan,
    /// ACGAN (Odena et al., 2017): the label joins z; D judges x alone and its auxiliary
    /// head names the class; D minimises the GAN cost plus the class cross-entropy on real
    /// digits, G its GAN cost plus the class cross-entropy on its fakes.
    Acgan,
    /// The semi-supervised GAN (Odena, 2016; Salimans et al., 2016): G is unconditional; D
    /// classifies the ten digits plus "fake", learning the classes from `labelsPerClass`
    /// labelled training digits and the rest unlabelled; a plain classifier, the same network
    /// on the labelled digits alone, trains beside it as the baseline.
    Sgan,
}

impl ImageFamily {
    /// Whether G is given a label.
    pub fn is_conditional(self) -> bool {
        matches!(self, ImageFamily::Cgan | ImageFamily::Acgan)
    }
}

/// An SGAN run's labelled digits per class by default (100 labels in all).
pub const LABELS_PER_CLASS: usize = 10;

/// One image GAN run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ImageConfig {
    /// The GAN: "unconditional", "cgan" or "acgan".
    pub family: ImageFamily,
    /// The networks: "mlp" or "dcgan".
    pub arch: ImageArch,
    /// The loss pair (every loss of the 2-D playground but WGAN-GP, whose gradient penalty the
    /// image networks do not compute).
    pub loss: GanLoss,
    /// Dimension of the latent z (100 in the notes; 2 makes the latent space a drawable plane);
    /// a conditional run's last 10 components are its one-hot label.
    pub z_dim: usize,
    /// Distribution of z.
    pub prior: Prior,
    /// G's width (hidden units for the MLP, base channels for DCGAN); null: the arch's default.
    pub gen_width: Option<usize>,
    /// D's width, likewise.
    pub disc_width: Option<usize>,
    /// Learning rate of G (Adam).
    pub lr_g: f64,
    /// Learning rate of D (Adam).
    pub lr_d: f64,
    /// Rounds over which both learning rates halve (lr at round t = lr x 0.5^(t / lrHalfLife));
    /// 0 keeps them constant. As the 2-D playground's `lrHalfLife`.
    pub lr_half_life: usize,
    /// Adam's first-moment decay (0.5, as DCGAN).
    pub beta1: f64,
    /// Adam's second-moment decay.
    pub beta2: f64,
    /// Real and fake digits per minibatch.
    pub batch_size: usize,
    /// D updates per round.
    pub k: usize,
    /// Decay of the exponential moving average of G's weights that the views show (Yazici et
    /// al., 2019: averaged generators give better samples than the last iterate); 0 shows the
    /// trained G itself. An SGAN run averages its D and baseline the same way and scores those
    /// averages on the held-out digits (Polyak averaging). Training never uses an average.
    /// 0.999 by default since the page
    /// trains ~3,000 rounds in 5 minutes, long enough for a slow average to pay (a faster one
    /// trailed less and scored worse at fewer rounds: docs/decisions.md).
    pub ema_decay: f64,
    /// DCGAN only (the MLP ignores it): a 3x3 convolution (with batch norm and ReLU) in G at
    /// 14 x 14, before the last transposed convolution. On by default: more confident samples
    /// at equal rounds for 1.2x the time a round (docs/decisions.md).
    pub gen_refine: bool,
    /// Categories of an InfoGAN code (Chen et al., 2016): the last `codes` components of every
    /// latent are a one-hot category drawn uniformly, the other zDim - codes are the prior's
    /// noise, and D has a second head, Q, that guesses the category of each fake; G and D
    /// both also minimise Q's cross-entropy (`infoWeight` times it), a lower bound on the
    /// mutual information between the code and G's image. G learns to draw each category as
    /// its own cluster, so fewer samples fall between two digits. 0 turns it off; null takes
    /// [`AUTO_CODES`] when zDim is at least [`AUTO_CODES_MIN_Z`], else 0. More categories gave
    /// more confident samples up to 64 (docs/decisions.md).
    pub codes: Option<usize>,
    /// Weight of Q's cross-entropy in both networks' costs (InfoGAN's lambda; 1 as the paper
    /// for categorical codes: 2 and 5 scored lower).
    pub info_weight: f64,
    /// SGAN only: labelled training digits per class (class-balanced, drawn with the seed);
    /// the rest of the training split is unlabelled. Other families ignore it.
    pub labels_per_class: usize,
    /// SGAN only: G matches the mean of D's last hidden features on real digits (Salimans et
    /// al., 2016) instead of minimising the loss's generator cost. Off by default: on our
    /// 8,006 digits D classified better without it (93.4 % against 89.3 % after 600 rounds,
    /// docs/decisions.md).
    pub feature_matching: bool,
    /// Seed of every random draw (weights, minibatches, latents).
    pub seed: u64,
}

impl Default for ImageConfig {
    /// DCGAN with batch 64, z of 100 dimensions, the non-saturating loss and the paper's
    /// Adam (beta1 0.5) at larger steps, G 1e-3 and D 5e-4 rather than 2e-4: a page trains for
    /// minutes: at the page's budget no other learning rate, loss or width beat them by more
    /// than the seed noise (docs/decisions.md, docs/image-sweep.md).
    fn default() -> Self {
        Self {
            family: ImageFamily::Unconditional,
            arch: ImageArch::Dcgan,
            loss: GanLoss::NonSaturating,
            z_dim: 100,
            prior: Prior::Gaussian,
            gen_width: None,
            disc_width: None,
            lr_g: 1e-3,
            lr_d: 5e-4,
            lr_half_life: 0,
            beta1: 0.5,
            beta2: 0.999,
            batch_size: 64,
            k: 1,
            ema_decay: 0.999,
            gen_refine: true,
            codes: None,
            info_weight: 1.0,
            labels_per_class: LABELS_PER_CLASS,
            feature_matching: false,
            seed: 1,
        }
    }
}

impl ImageConfig {
    /// G's width, the arch's default if unset.
    pub fn gen_width(&self) -> usize {
        self.gen_width.unwrap_or(self.arch.default_width())
    }

    /// D's width, the arch's default if unset.
    pub fn disc_width(&self) -> usize {
        self.disc_width.unwrap_or(self.arch.default_width())
    }

    /// The one-hot part at the end of every latent: a conditional run's label ([`LABELS`]),
    /// else the InfoGAN code's categories, [`AUTO_CODES`] or 0 if unset (see `codes`).
    pub fn codes(&self) -> usize {
        if self.family.is_conditional() {
            return LABELS;
        }
        if self.family == ImageFamily::Sgan {
            return 0;
        }
        self.codes.unwrap_or(if self.z_dim >= AUTO_CODES_MIN_Z {
            AUTO_CODES
        } else {
            0
        })
    }

    /// Checks every setting against its allowed range.
    pub fn validate(&self) -> Result<(), GanError> {
        if self.loss == GanLoss::WganGp {
            return Err(GanError::Config(
                "loss \"wganGp\" is not available for images: its gradient penalty needs \
                 d D / d x, which the image networks do not compute; pick hinge or leastSquares"
                    .into(),
            ));
        }
        check_usize("zDim", self.z_dim, 2, 256, "2 to 256")?;
        if self.family.is_conditional() {
            if self.codes.is_some_and(|c| c != LABELS) {
                return Err(GanError::Config(format!(
                    "codes: a conditional run's one-hot part is its label ({LABELS} digits): \
                     leave codes null, or pick family \"unconditional\" for an InfoGAN code"
                )));
            }
            check_usize(
                "zDim",
                self.z_dim,
                LABELS + 2,
                256,
                "12 to 256 for a conditional run: its last 10 components are the label",
            )?;
        }
        if self.family == ImageFamily::Sgan {
            if self.codes.is_some_and(|c| c != 0) {
                return Err(GanError::Config(
                    "codes: an SGAN run has no InfoGAN code (its D's outputs are the ten \
                     digits' logits); leave codes null or 0"
                        .into(),
                ));
            }
            check_usize(
                "labelsPerClass",
                self.labels_per_class,
                1,
                1000,
                "1 to 1000 labelled digits per class, and no more than the training split holds",
            )?;
        } else if self.feature_matching {
            return Err(GanError::Config(
                "featureMatching: only an SGAN run's G matches D's features; pick family \
                 \"sgan\" or leave featureMatching false"
                    .into(),
            ));
        }
        let codes = self.codes();
        if codes == 1 || codes + 2 > self.z_dim {
            return Err(GanError::OutOfRange {
                key: "codes",
                value: codes.to_string(),
                allowed: "0 (off) or 2 to zDim - 2: two latent components at least stay noise",
            });
        }
        check_f64("infoWeight", self.info_weight, 0.0, 10.0, "0 to 10")?;
        let (lo, hi, allowed) = match self.arch {
            ImageArch::Mlp => (8, 1024, "8 to 1024 hidden units, or null"),
            ImageArch::Dcgan => (4, 128, "4 to 128 base channels, or null"),
        };
        check_usize("genWidth", self.gen_width(), lo, hi, allowed)?;
        check_usize("discWidth", self.disc_width(), lo, hi, allowed)?;
        // Batch norm needs two samples to have a variance.
        check_usize("batchSize", self.batch_size, 2, 512, "2 to 512")?;
        check_usize("k", self.k, 1, 20, "1 to 20")?;
        check_rates(
            self.lr_d,
            self.lr_g,
            self.lr_half_life,
            self.beta1,
            self.beta2,
        )?;
        check_f64("emaDecay", self.ema_decay, 0.0, 0.9999, "0 (off) to 0.9999")?;
        check_seed(self.seed)?;
        self.cost()
            .check("batchSize, k, genWidth or discWidth (or pick the mlp arch)")
    }

    /// The estimated cost of one round (k D updates and one G update; `gan::cost`).
    pub fn cost(&self) -> Cost {
        let (g, ga) = ImageGeneratorConfig {
            arch: self.arch,
            z_dim: self.z_dim,
            width: self.gen_width(),
            refine: self.gen_refine,
        }
        .cost();
        let (d, da) = ImageDiscriminatorConfig {
            arch: self.arch,
            width: self.disc_width(),
            outputs: self.heads().outputs(),
        }
        .cost();
        let b = self.batch_size as f64;
        // Each D update: G makes a batch, D judges it and a real one; the G update: G and D.
        let macs = b * (self.k as f64 * (g + 2.0 * d) + g + d);
        // Autodiff keeps each pass's floats with their gradients; the parameters carry a
        // gradient and Adam's two moments, and G's moving average a copy.
        let params = self.parameter_estimate();
        Cost {
            flops: train_flops(macs),
            bytes: 4.0 * (2.0 * b * (ga + 2.0 * da) + 5.0 * params),
        }
    }

    /// Parameters of G and D, roughly (the weights of every layer).
    fn parameter_estimate(&self) -> f64 {
        let (cg, cd, z) = (
            self.gen_width() as f64,
            self.disc_width() as f64,
            self.z_dim as f64,
        );
        match self.arch {
            ImageArch::Mlp => (z + 784.0) * cg + cg * cg + (784.0 + 1.0) * cd + cd * cd,
            ImageArch::Dcgan => z * 98.0 * cg + 41.0 * cg * cg + 104.0 * cd * cd + 64.0 * cd,
        }
    }

    /// The heads of D's last layer: the realness logit, Q's logits for a code, the class
    /// logits for a conditional run.
    pub fn heads(&self) -> Heads {
        match self.family {
            ImageFamily::Cgan | ImageFamily::Acgan => Heads {
                q: 0,
                classes: LABELS,
                k_plus_one: false,
            },
            ImageFamily::Sgan => Heads {
                q: 0,
                classes: LABELS,
                k_plus_one: true,
            },
            ImageFamily::Unconditional => Heads {
                q: self.codes(),
                classes: 0,
                k_plus_one: false,
            },
        }
    }
}

impl RunConfig for ImageConfig {
    fn learning_rates(&mut self) -> (&mut f64, &mut f64) {
        (&mut self.lr_d, &mut self.lr_g)
    }

    fn half_life(&self) -> usize {
        self.lr_half_life
    }

    fn validate(&self) -> Result<(), GanError> {
        ImageConfig::validate(self)
    }

    /// `codes` set to the number a null stands for.
    fn resolved(self) -> Self {
        Self {
            codes: Some(self.codes()),
            ..self
        }
    }
}
