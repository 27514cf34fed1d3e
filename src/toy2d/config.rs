//! Every setting of a 2-D playground run, in one serialisable struct.
//!
//! The page sends one JSON object (camelCase keys); keys it leaves out take the defaults below,
//! unknown keys and out-of-range values are refused with a message naming the key. The same
//! struct drives the native command line, so a config file works in both places.

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::error::GanError;
use crate::gan::check::{check_f64, check_rates, check_seed, check_usize};
use crate::gan::cost::{Cost, train_flops};
use crate::gan::latent::Prior;
use crate::gan::loss::GanLoss;
use crate::gan::optim::OptimizerKind;
use crate::gan::run::RunConfig;
use crate::nn::{Activation, MlpConfig};

/// One 2-D GAN run: data, networks, loss, optimisers, schedule and seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Toy2dConfig {
    /// The 2-D target distribution.
    pub dataset: Dataset,
    /// Size of the dataset (ring radius, grid spacing, moon radius, spiral radius); `null` takes
    /// the dataset's default (see `Dataset`).
    pub data_scale: Option<f64>,
    /// Standard deviation of the noise around each mode or curve; `null` takes the default.
    pub data_std: Option<f64>,
    /// The points of a drawn dataset (`dataset: "drawn"`), `[[x, y], ...]`, 2 to 2,000 of them,
    /// inside the canvas (|x|, |y| <= dataScale, 2.5 by default). Empty for the other datasets.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_points"
    )]
    pub points: Vec<[f64; 2]>,
    /// The loss pair (discriminator, generator).
    pub loss: GanLoss,
    /// Dimension of the generator's noise input z.
    pub z_dim: usize,
    /// Distribution of z.
    pub prior: Prior,
    /// Hidden layers of the generator.
    pub gen_layers: usize,
    /// Units per hidden layer of the generator.
    pub gen_width: usize,
    /// Hidden activation of the generator.
    pub gen_activation: Activation,
    /// Hidden layers of the discriminator.
    pub disc_layers: usize,
    /// Units per hidden layer of the discriminator.
    pub disc_width: usize,
    /// Hidden activation of the discriminator.
    pub disc_activation: Activation,
    /// Optimiser of the generator.
    pub gen_optimizer: OptimizerKind,
    /// Optimiser of the discriminator.
    pub disc_optimizer: OptimizerKind,
    /// Learning rate of the generator.
    pub lr_g: f64,
    /// Learning rate of the discriminator.
    pub lr_d: f64,
    /// Steps over which both learning rates halve (lr at step t = lr x 0.5^(t / lrHalfLife)),
    /// so that late updates are small enough to settle on sharp modes; 0 keeps them constant.
    pub lr_half_life: usize,
    /// Adam's first-moment decay. 0.5 rather than Adam's usual 0.9, after DCGAN (Radford et al.,
    /// 2016): momentum that remembers too much overshoots in a game whose target keeps moving.
    pub beta1: f64,
    /// Adam's second-moment decay.
    pub beta2: f64,
    /// Samples per minibatch (real and fake alike).
    pub batch_size: usize,
    /// Discriminator updates per round: Goodfellow et al.'s k in Algorithm 1.
    pub k: usize,
    /// Generator updates per round.
    pub g_steps: usize,
    /// PacGAN's packing degree m (Lin et al., 2018): the discriminator judges m samples at
    /// once, concatenated into one input of 2m numbers, all real or all fake; 1 is the plain
    /// GAN. A generator that drops modes makes packs that look less varied than real ones,
    /// which a packed D can see and a plain D cannot. `batchSize` must be a multiple of m.
    pub pack: usize,
    /// The conditional GAN of Mirza and Osindero (2014) on a Gaussian mixture: the component a
    /// point came from is its label, given one-hot to both networks (appended to G's z and to
    /// each point D judges). G then learns one mode per label instead of having to find every
    /// mode on its own. Only for the mixtures with labels to give: ring8 and grid25.
    pub conditional: bool,
    /// Weight of WGAN-GP's gradient penalty (lambda; 10 in Gulrajani et al.). Unused by the
    /// other losses.
    pub gp_weight: f64,
    /// Weight gamma of the R1 penalty on real samples, gamma / 2 * E||grad_x D(x)||^2
    /// (Mescheder et al., 2018), added to D's cost for every loss but WGAN-GP; 0 = off.
    pub r1_weight: f64,
    /// Rounds at the start in which the discriminator trains alone (one D update each, the
    /// generator frozen): the "strong discriminator start". They count as steps.
    pub d_pretrain: usize,
    /// Seed of every random draw of the run (weights, data, noise).
    pub seed: u64,
}

impl Default for Toy2dConfig {
    /// The reference GAN: G 2-64-64-2 and D 2-64-64-1 with ReLU, batch 256, Adam (lr 1e-3,
    /// beta1 0.5), non-saturating loss, ring of 8 Gaussians.
    fn default() -> Self {
        Self {
            dataset: Dataset::Ring8,
            data_scale: None,
            data_std: None,
            points: Vec::new(),
            loss: GanLoss::NonSaturating,
            z_dim: 2,
            prior: Prior::Gaussian,
            gen_layers: 2,
            gen_width: 64,
            gen_activation: Activation::Relu,
            disc_layers: 2,
            disc_width: 64,
            disc_activation: Activation::Relu,
            gen_optimizer: OptimizerKind::Adam,
            disc_optimizer: OptimizerKind::Adam,
            lr_g: 1e-3,
            lr_d: 1e-3,
            lr_half_life: 0,
            beta1: 0.5,
            beta2: 0.999,
            batch_size: 256,
            k: 1,
            g_steps: 1,
            pack: 1,
            conditional: false,
            gp_weight: 10.0,
            r1_weight: 0.0,
            d_pretrain: 0,
            // Seed 2 covers all 8 modes of the ring within ~3,000 steps with these settings;
            // on some other seeds the reference GAN drops a mode (see BENCHMARKS.md).
            seed: 2,
        }
    }
}

impl Toy2dConfig {
    /// Checks every setting against its allowed range.
    pub fn validate(&self) -> Result<(), GanError> {
        check_usize("zDim", self.z_dim, 1, 256, "1 to 256")?;
        check_usize("genLayers", self.gen_layers, 0, 8, "0 to 8")?;
        check_usize("discLayers", self.disc_layers, 0, 8, "0 to 8")?;
        check_usize("genWidth", self.gen_width, 1, 1024, "1 to 1024")?;
        check_usize("discWidth", self.disc_width, 1, 1024, "1 to 1024")?;
        check_usize("batchSize", self.batch_size, 1, 4096, "1 to 4096")?;
        check_usize("k", self.k, 1, 100, "1 to 100")?;
        check_usize("gSteps", self.g_steps, 1, 100, "1 to 100")?;
        check_usize("pack", self.pack, 1, 8, "1 to 8")?;
        if !self.batch_size.is_multiple_of(self.pack) {
            return Err(GanError::Config(format!(
                "batchSize ({}) must be a multiple of pack ({}): the discriminator judges \
                 packs of {} samples",
                self.batch_size, self.pack, self.pack
            )));
        }
        check_usize("dPretrain", self.d_pretrain, 0, 100_000, "0 to 100000")?;
        check_f64("gpWeight", self.gp_weight, 0.0, 1000.0, "0 to 1000")?;
        check_f64("r1Weight", self.r1_weight, 0.0, 1000.0, "0 to 1000")?;
        check_rates(
            self.lr_d,
            self.lr_g,
            self.lr_half_life,
            self.beta1,
            self.beta2,
        )?;
        if let Some(s) = self.data_scale {
            check_f64("dataScale", s, 0.01, 100.0, "0.01 to 100, or null")?;
        }
        if let Some(s) = self.data_std {
            check_f64("dataStd", s, 0.0, 10.0, "0 to 10, or null")?;
        }
        self.validate_points()?;
        if self.conditional && !matches!(self.dataset, Dataset::Ring8 | Dataset::Grid25) {
            return Err(GanError::Config(format!(
                "conditional needs a mixture whose components are the labels (ring8 or grid25), \
                 and dataset is {}: pick ring8 or grid25, or switch conditional off",
                serde_json::to_string(&self.dataset).unwrap_or_default()
            )));
        }
        check_seed(self.seed)?;
        self.cost()
            .check("batchSize, k, gSteps, genWidth, discWidth or the layers")
    }

    /// The number of labels of a conditional run (the mixture's components: 8 or 25); 0 for
    /// an unconditional one.
    pub fn classes(&self) -> usize {
        if !self.conditional {
            return 0;
        }
        match self.dataset {
            Dataset::Ring8 => 8,
            Dataset::Grid25 => 25,
            _ => 0,
        }
    }

    /// G's shape: z (and a conditional run's one-hot label) in, a point of the plane out.
    pub fn generator(&self) -> MlpConfig {
        MlpConfig {
            d_in: self.z_dim + self.classes(),
            hidden: self.gen_layers,
            width: self.gen_width,
            d_out: 2,
            activation: self.gen_activation,
        }
    }

    /// D's shape: a pack of `pack` points (each with its one-hot label in a conditional run)
    /// in, one logit out.
    pub fn discriminator(&self) -> MlpConfig {
        MlpConfig {
            d_in: (2 + self.classes()) * self.pack,
            hidden: self.disc_layers,
            width: self.disc_width,
            d_out: 1,
            activation: self.disc_activation,
        }
    }

    /// The estimated cost of one step (`k` D updates and `gSteps` G updates; `gan::cost`).
    pub fn cost(&self) -> Cost {
        let (g, d) = (self.generator(), self.discriminator());
        let b = self.batch_size as f64;
        let packs = b / self.pack as f64;
        // A gradient penalty differentiates D's input gradient: about twice D's work again.
        let penalty = if self.loss == GanLoss::WganGp || self.r1_weight > 0.0 {
            3.0
        } else {
            1.0
        };
        let d_update = b * g.macs() + 2.0 * packs * d.macs() * penalty;
        let g_update = b * g.macs() + packs * d.macs();
        let macs = self.k as f64 * d_update + self.g_steps as f64 * g_update;
        let floats = b * g.activations() + 2.0 * packs * d.activations();
        Cost {
            flops: train_flops(macs),
            bytes: 4.0 * (2.0 * floats * penalty + 4.0 * (g.params() + d.params())),
        }
    }
}

/// Reads `[[x, y], ...]`, naming the first point that is not a pair of numbers.
fn deserialize_points<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<[f64; 2]>, D::Error> {
    let raw = Vec::<Vec<f64>>::deserialize(d)?;
    raw.iter()
        .enumerate()
        .map(|(i, p)| match p.as_slice() {
            [x, y] => Ok([*x, *y]),
            other => Err(serde::de::Error::custom(format!(
                "points: each point is [x, y], and point {i} has {} numbers",
                other.len()
            ))),
        })
        .collect()
}

/// Most points a drawing may have: the theory readouts evaluate the mixture at every point.
pub const MAX_POINTS: usize = 2000;

impl Toy2dConfig {
    /// A drawing needs 2 to `MAX_POINTS` finite points inside its canvas; other datasets none.
    fn validate_points(&self) -> Result<(), GanError> {
        let n = self.points.len();
        if self.dataset != Dataset::Drawn {
            if n > 0 {
                return Err(GanError::Config(format!(
                    "points ({n} given) belong to dataset \"drawn\"; dataset is {}: remove \
                     points or pick drawn",
                    serde_json::to_string(&self.dataset).unwrap_or_default()
                )));
            }
            return Ok(());
        }
        if n < 2 {
            return Err(GanError::Config(format!(
                "dataset \"drawn\" needs at least 2 points to learn from, and has {n}: draw on \
                 the plane"
            )));
        }
        if n > MAX_POINTS {
            return Err(GanError::OutOfRange {
                key: "points",
                value: format!("{n} points"),
                allowed: "2 to 2000 points",
            });
        }
        let half = self.data_scale.unwrap_or(Dataset::Drawn.default_scale());
        if let Some((i, p)) = self
            .points
            .iter()
            .enumerate()
            .find(|(_, p)| !(p[0].abs() <= half && p[1].abs() <= half))
        {
            return Err(GanError::Config(format!(
                "point {i} = [{}, {}] of dataset \"drawn\" lies outside the canvas \
                 (|x|, |y| <= {half})",
                p[0], p[1]
            )));
        }
        Ok(())
    }
}

impl RunConfig for Toy2dConfig {
    fn learning_rates(&mut self) -> (&mut f64, &mut f64) {
        (&mut self.lr_d, &mut self.lr_g)
    }

    fn half_life(&self) -> usize {
        self.lr_half_life
    }

    fn validate(&self) -> Result<(), GanError> {
        Toy2dConfig::validate(self)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn empty_object_gives_the_defaults() {
        assert_eq!(
            Toy2dConfig::from_json("{}").unwrap(),
            Toy2dConfig::default()
        );
    }

    #[test]
    fn round_trips_through_json() {
        let c = Toy2dConfig {
            dataset: Dataset::Spiral,
            loss: GanLoss::Minimax,
            seed: 42,
            ..Toy2dConfig::default()
        };
        assert_eq!(Toy2dConfig::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn unknown_key_is_named_in_the_error() {
        let err = Toy2dConfig::from_json(r#"{"batchSzie": 64}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `batchSzie`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_loss_lists_the_choices() {
        let err = Toy2dConfig::from_json(r#"{"loss": "wasserstein-ish"}"#).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("unknown variant `wasserstein-ish`"), "{msg}");
        assert!(msg.contains("nonSaturating"), "{msg}");
    }

    #[test]
    fn out_of_range_values_are_refused_with_the_key() {
        for (json, key) in [
            (r#"{"batchSize": 0}"#, "batchSize"),
            (r#"{"lrD": 1e9}"#, "lrD"),
            (r#"{"zDim": 100000}"#, "zDim"),
            (r#"{"k": 0}"#, "k"),
        ] {
            let err = Toy2dConfig::from_json(json).unwrap_err();
            assert!(err.to_string().contains(key), "{json}: {err}");
            assert!(err.to_string().contains("out of range"), "{json}: {err}");
        }
        let err = Toy2dConfig::from_json(r#"{"batchSize": -3}"#).unwrap_err();
        assert!(err.to_string().contains("invalid value"), "{err}");
    }

    #[test]
    fn drawn_points_are_checked_with_messages() {
        let ok = Toy2dConfig::from_json(r#"{"dataset": "drawn", "points": [[0, 0], [1, -1]]}"#);
        assert_eq!(ok.unwrap().points, vec![[0.0, 0.0], [1.0, -1.0]]);
        for (json, want) in [
            (r#"{"dataset": "drawn"}"#, "needs at least 2 points"),
            (
                r#"{"dataset": "drawn", "points": [[0.5, 0.5]]}"#,
                "at least 2 points to learn from, and has 1",
            ),
            (
                r#"{"dataset": "drawn", "points": [[0, 0], [3, 0]]}"#,
                "point 1 = [3, 0] of dataset \"drawn\" lies outside the canvas",
            ),
            (
                r#"{"points": [[0, 0], [1, 1]]}"#,
                "belong to dataset \"drawn\"",
            ),
            (
                r#"{"dataset": "drawn", "points": [[0, 0, 1]]}"#,
                "point 0 has 3 numbers",
            ),
        ] {
            let err = Toy2dConfig::from_json(json).unwrap_err().to_string();
            assert!(err.contains(want), "{json}: {err}");
        }
        let many = format!(
            r#"{{"dataset": "drawn", "points": [{}]}}"#,
            vec!["[0, 0]"; MAX_POINTS + 1].join(",")
        );
        let err = Toy2dConfig::from_json(&many).unwrap_err().to_string();
        assert!(
            err.contains("points = 2001 points is out of range"),
            "{err}"
        );
    }
}
