//! The config of a StackGAN run (Zhang et al., 2017): the networks' sizes, the caption
//! encoder's width, conditioning augmentation's KL weight, the optimiser and the seed, every
//! one a setting, validated with a message naming the key.

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::gan::check::{check_f64, check_rates, check_seed, check_usize};
use crate::gan::run::RunConfig;
use crate::stack::networks::StageShape;

/// One StackGAN run on the shipped digits and their measured captions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct StackConfig {
    /// Noise components of stage I.
    pub z_dim: usize,
    /// Components of the conditioning code ĉ.
    pub code: usize,
    /// Word-embedding width of each stage's caption encoder.
    pub embed: usize,
    /// Base channels of both generators.
    pub gen_width: usize,
    /// Base channels of both discriminators.
    pub disc_width: usize,
    /// Weight of conditioning augmentation's KL in G's cost, the KL averaged over the code's
    /// components as the paper's code averages it; 0 turns the penalty off. The paper's code
    /// weighs it 2.0; here 0.2: in a page's minutes 2.0 held the code so close to N(0, I) that
    /// the digit was named for 62 % of samples after 4,000 stage-I rounds, against 85 % at 0.2
    /// with a better FID (docs/decisions.md, StackGAN).
    pub kl_weight: f64,
    /// Share of the matching-aware D's mismatched captions that are the digit's own caption
    /// with its thickness or its slant changed (one of the two, to another word); the rest are
    /// another digit's caption, as the paper pairs them. 0 is the paper's.
    pub attribute_mismatch: f64,
    /// Learning rate of the generators with their caption encoders (Adam; the paper's 2e-4 is
    /// slow for a page's minutes: 1e-3 for G and 5e-4 for D, as the image lab's DCGAN).
    pub lr_g: f64,
    /// Learning rate of the discriminators.
    pub lr_d: f64,
    /// Rounds (of each stage) over which both rates halve; 0 keeps them constant.
    pub lr_half_life: usize,
    /// Adam's first-moment decay (0.5 as the paper).
    pub beta1: f64,
    /// Adam's second-moment decay.
    pub beta2: f64,
    /// Digits per minibatch.
    pub batch_size: usize,
    /// Rounds of stage I before stage II starts (the paper trains stage I first, then stage II
    /// with stage I frozen).
    pub stage_one_rounds: usize,
    /// Train both stages in turn from the start instead (a round of each).
    pub together: bool,
    /// Decay of the moving average of the generators (with their encoders) that the pictures
    /// and the measures read; 0 shows the last update's weights. It restarts with each stage:
    /// at its round t the decay is min(emaDecay, (1 + t) / (10 + t)).
    pub ema_decay: f64,
    /// Seed of every random draw (weights, minibatches, latents, augmentation).
    pub seed: u64,
}

impl Default for StackConfig {
    fn default() -> Self {
        Self {
            z_dim: 16,
            code: 8,
            embed: 16,
            gen_width: 16,
            disc_width: 16,
            kl_weight: 0.2,
            attribute_mismatch: 0.0,
            lr_g: 1e-3,
            lr_d: 5e-4,
            lr_half_life: 0,
            beta1: 0.5,
            beta2: 0.999,
            batch_size: 64,
            stage_one_rounds: 10000,
            together: false,
            ema_decay: 0.99,
            seed: 1,
        }
    }
}

impl StackConfig {
    /// The networks' sizes.
    pub fn shape(&self) -> StageShape {
        StageShape {
            z_dim: self.z_dim,
            code: self.code,
            gen_width: self.gen_width,
            disc_width: self.disc_width,
        }
    }

    /// Checks every setting against its allowed range.
    pub fn validate(&self) -> Result<(), GanError> {
        check_usize("zDim", self.z_dim, 1, 128, "1 to 128 components")?;
        check_usize("code", self.code, 1, 64, "1 to 64 components")?;
        check_usize("embed", self.embed, 1, 128, "1 to 128 components")?;
        check_usize("genWidth", self.gen_width, 2, 64, "2 to 64 channels")?;
        check_usize("discWidth", self.disc_width, 2, 64, "2 to 64 channels")?;
        check_f64("klWeight", self.kl_weight, 0.0, 100.0, "0 (off) to 100")?;
        check_f64(
            "attributeMismatch",
            self.attribute_mismatch,
            0.0,
            1.0,
            "0 (another digit's caption, as the paper) to 1 (one attribute changed)",
        )?;
        check_f64("emaDecay", self.ema_decay, 0.0, 0.9999, "0 (off) to 0.9999")?;
        // The matching-aware cost pairs each digit with the next one's caption: two at least.
        check_usize("batchSize", self.batch_size, 2, 256, "2 to 256")?;
        check_usize(
            "stageOneRounds",
            self.stage_one_rounds,
            0,
            1_000_000,
            "0 (straight to stage II) to 1,000,000 rounds",
        )?;
        check_rates(
            self.lr_d,
            self.lr_g,
            self.lr_half_life,
            self.beta1,
            self.beta2,
        )?;
        check_seed(self.seed)
    }
}

impl RunConfig for StackConfig {
    fn learning_rates(&mut self) -> (&mut f64, &mut f64) {
        (&mut self.lr_d, &mut self.lr_g)
    }

    fn half_life(&self) -> usize {
        self.lr_half_life
    }

    fn validate(&self) -> Result<(), GanError> {
        StackConfig::validate(self)
    }
}
