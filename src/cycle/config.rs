//! The config of a CycleGAN run (Zhu et al., 2017): the networks' sizes, the loss, the cycle
//! and identity weights, the history pool, the optimiser and the seed, every one a setting
//! with the defaults of the paper's code where they carry over to 28 x 28 digits, validated
//! with a message naming the key.

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::gan::check::{check_f64, check_rates, check_seed, check_usize};
use crate::gan::cost::{Cost, train_flops};
use crate::gan::loss::GanLoss;
use crate::gan::run::RunConfig;

/// One CycleGAN run between MNIST (domain A) and the UCI digits (domain B).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CycleConfig {
    /// Base channels of both generators (at 28 x 28; twice as many at 14 x 14).
    pub gen_width: usize,
    /// Residual blocks at 14 x 14 in each generator (the paper: 9 at 256 x 256).
    pub blocks: usize,
    /// Base channels of both patch discriminators.
    pub disc_width: usize,
    /// The adversarial loss: "leastSquares" (the paper's), "nonSaturating" or "hinge".
    pub loss: GanLoss,
    /// λ, the weight of each cycle's L1 error (10 as the paper); 0 turns the cycle loss off.
    pub lambda_cycle: f64,
    /// The identity loss's weight as a fraction of λ (0.5 as the paper's code): G(b) should
    /// be b and F(a) a; 0 turns it off.
    pub lambda_identity: f64,
    /// Past fakes each discriminator is shown from (50 as the paper); 0 shows only the newest.
    pub pool_size: usize,
    /// Learning rate of both generators (Adam; 2e-4 as the paper).
    pub lr_g: f64,
    /// Learning rate of both discriminators.
    pub lr_d: f64,
    /// Rounds over which both rates halve; 0 keeps them constant.
    pub lr_half_life: usize,
    /// Adam's first-moment decay (0.5 as the paper).
    pub beta1: f64,
    /// Adam's second-moment decay.
    pub beta2: f64,
    /// Images of each domain per round (the paper: 1 at 256 x 256).
    pub batch_size: usize,
    /// Seed of every random draw (weights, minibatches, the pools' coins).
    pub seed: u64,
}

impl Default for CycleConfig {
    fn default() -> Self {
        Self {
            gen_width: 8,
            blocks: 2,
            disc_width: 16,
            loss: GanLoss::LeastSquares,
            lambda_cycle: 10.0,
            lambda_identity: 0.5,
            pool_size: 50,
            lr_g: 2e-4,
            lr_d: 2e-4,
            lr_half_life: 0,
            beta1: 0.5,
            beta2: 0.999,
            batch_size: 8,
            seed: 1,
        }
    }
}

impl CycleConfig {
    /// Checks every setting against its allowed range.
    pub fn validate(&self) -> Result<(), GanError> {
        if !matches!(
            self.loss,
            GanLoss::LeastSquares | GanLoss::NonSaturating | GanLoss::Hinge
        ) {
            return Err(GanError::Config(format!(
                "loss {:?} is not offered for CycleGAN: pick leastSquares (the paper's), \
                 nonSaturating or hinge",
                self.loss
            )));
        }
        check_usize("genWidth", self.gen_width, 2, 64, "2 to 64 channels")?;
        check_usize("blocks", self.blocks, 0, 9, "0 to 9 residual blocks")?;
        check_usize("discWidth", self.disc_width, 2, 64, "2 to 64 channels")?;
        check_f64(
            "lambdaCycle",
            self.lambda_cycle,
            0.0,
            100.0,
            "0 (off) to 100",
        )?;
        check_f64(
            "lambdaIdentity",
            self.lambda_identity,
            0.0,
            10.0,
            "0 (off) to 10, a fraction of lambdaCycle",
        )?;
        check_usize("poolSize", self.pool_size, 0, 500, "0 (off) to 500 images")?;
        // Instance norm needs no batch: one image is a batch, as in the paper.
        check_usize("batchSize", self.batch_size, 1, 64, "1 to 64")?;
        check_rates(
            self.lr_d,
            self.lr_g,
            self.lr_half_life,
            self.beta1,
            self.beta2,
        )?;
        check_seed(self.seed)?;
        self.cost()
            .check("batchSize, blocks, genWidth or discWidth")
    }

    /// Multiply-adds of one image through one generator.
    pub fn generator_macs(&self) -> f64 {
        let (c, r) = (self.gen_width as f64, self.blocks as f64);
        // 3x3 1->c at 28; 4x4 c->2c to 14; r blocks of two 3x3 2c->2c at 14; 4x4 transposed
        // 2c->c to 28; 3x3 c->1 at 28.
        784.0 * 9.0 * c
            + 196.0 * 16.0 * 2.0 * c * c
            + r * 2.0 * 196.0 * 9.0 * 4.0 * c * c
            + 784.0 * 4.0 * 2.0 * c * c
            + 784.0 * 9.0 * c
    }

    /// Multiply-adds of one image through one patch discriminator.
    pub fn discriminator_macs(&self) -> f64 {
        let c = self.disc_width as f64;
        // 4x4 1->c to 14; 4x4 c->2c to 7; 3x3 2c->1 at 7.
        196.0 * 16.0 * c + 49.0 * 16.0 * 2.0 * c * c + 49.0 * 9.0 * 2.0 * c
    }

    /// The estimated cost of one round (both generators' update, both discriminators').
    pub fn cost(&self) -> Cost {
        let b = self.batch_size as f64;
        let (g, d) = (self.generator_macs(), self.discriminator_macs());
        let identity = if self.lambda_identity > 0.0 { 2.0 } else { 0.0 };
        // G side: G(a), F(b), F(G(a)), G(F(b)), the identities, D on both fakes; D side: D on
        // real and pooled fakes of each domain.
        let macs = b * ((4.0 + identity) * g + 2.0 * d + 4.0 * d);
        let (cg, cd) = (self.gen_width as f64, self.disc_width as f64);
        let params = 2.0 * (16.0 * cg + 8.0 * cg * cg + 36.0 * 4.0 * cg * cg * self.blocks as f64)
            + 2.0 * (16.0 * cd + 32.0 * cd * cd + 18.0 * cd);
        let acts =
            (4.0 + identity) * (784.0 * cg * 12.0 + 196.0 * cg * 24.0 * (1.0 + self.blocks as f64));
        Cost {
            flops: train_flops(macs),
            bytes: 4.0 * (b * acts + 5.0 * params),
        }
    }
}

impl RunConfig for CycleConfig {
    fn learning_rates(&mut self) -> (&mut f64, &mut f64) {
        (&mut self.lr_d, &mut self.lr_g)
    }

    fn half_life(&self) -> usize {
        self.lr_half_life
    }

    fn validate(&self) -> Result<(), GanError> {
        CycleConfig::validate(self)
    }
}
