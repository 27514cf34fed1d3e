//! The run core every GAN trainer holds: its RNG stream, the step counter, the learning-rate
//! schedule, the last losses (kept on the device until a read is awaited), the asynchronous
//! readback helper, and a saved run's header with the save and restore of a G / D pair.
//!
//! A family's trainer is its networks and optimisers plus a [`RunCore`]; saving writes the
//! pair's floats (weights, batch-norm statistics, an optional moving average of G, both
//! optimisers' moments) in one asynchronous read, so it works on every backend.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::gan::optim::{Optimizer, OptimizerState, run_state};
use crate::gan::params::{assign, flat_floats, ids, param_sizes};
use crate::gan::rng::Rng;
use crate::gan::runfile::{self, FileKind};

/// Losses of the last finished round, read back from the device.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepStats {
    /// Rounds trained so far.
    pub step: u64,
    /// The discriminator's cost in the round's last D update.
    pub loss_d: f32,
    /// The generator's cost in the round's last G update (NaN while no G update has run, as
    /// during `dPretrain`).
    pub loss_g: f32,
}

/// Reads a tensor back asynchronously (the only kind of readback that works on WebGPU in wasm).
pub async fn read_vec<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, GanError> {
    let data = t
        .into_data_async()
        .await
        .map_err(|e| GanError::Readback(format!("{e:?}")))?;
    data.try_to_vec::<f32>()
        .map_err(|e| GanError::Readback(format!("{e:?}")))
}

/// A learning rate's factor after `step` steps when it halves every `half_life` steps:
/// 0.5^(step / half_life), or 1 when `half_life` is 0 (constant).
pub fn half_life_factor(step: u64, half_life: usize) -> f64 {
    match half_life {
        0 => 1.0,
        h => 0.5f64.powf(step as f64 / h as f64),
    }
}

/// What every run's config shares: it is read from JSON (keys left out take the defaults;
/// unknown keys and bad values are refused with a message naming the key), written to JSON,
/// validated as a whole, and holds the learning rates.
pub trait RunConfig: Clone + Serialize + DeserializeOwned {
    /// D's and G's base learning rates, mutably.
    fn learning_rates(&mut self) -> (&mut f64, &mut f64);
    /// Steps over which both rates halve (0: constant).
    fn half_life(&self) -> usize;
    /// Every setting against its range.
    fn validate(&self) -> Result<(), GanError>;

    /// The config with every setting that a `null` stands for filled in (the default: as is).
    fn resolved(self) -> Self {
        self
    }

    /// Reads a JSON value; the result is validated and resolved.
    fn from_value(v: serde_json::Value) -> Result<Self, GanError> {
        let config: Self = serde_json::from_value(v.clone())
            .map_err(|e| GanError::Config(naming_the_key::<Self>(&v, e.to_string())))?;
        config.validate()?;
        Ok(config.resolved())
    }

    /// Reads JSON text (see [`RunConfig::from_value`]).
    fn from_json(json: &str) -> Result<Self, GanError> {
        let v = serde_json::from_str(json).map_err(|e| GanError::Config(e.to_string()))?;
        Self::from_value(v)
    }

    /// This config as JSON (every key, defaults included).
    fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a config always serialises")
    }

    /// This config with other base learning rates, validated (the key named if refused).
    fn with_learning_rates(&self, lr_d: f64, lr_g: f64) -> Result<Self, GanError> {
        let mut next = self.clone();
        let (d, g) = next.learning_rates();
        (*d, *g) = (lr_d, lr_g);
        next.validate()?;
        Ok(next)
    }

    /// D's and G's learning rates at `step`, the half-life applied.
    fn rates_at(&self, step: u64) -> (f64, f64) {
        let factor = half_life_factor(step, self.half_life());
        let mut c = self.clone();
        let (d, g) = c.learning_rates();
        (*d * factor, *g * factor)
    }
}

/// A message of serde's with the key it is about named in front, where serde leaves it out
/// ("invalid type: string \"x\", expected f64"): the first key of `v` that fails to read on
/// its own. Only for configs whose every key has a default (an empty object reads), so that a
/// key alone is a whole config; otherwise the message as it is.
fn naming_the_key<C: DeserializeOwned>(v: &serde_json::Value, message: String) -> String {
    let Some(map) = v.as_object() else {
        return message;
    };
    if serde_json::from_value::<C>(serde_json::json!({})).is_err() {
        return message;
    }
    for (key, value) in map {
        let alone = serde_json::Value::Object([(key.clone(), value.clone())].into_iter().collect());
        if serde_json::from_value::<C>(alone).is_err() {
            if message.contains(&format!("`{key}`")) {
                return message;
            }
            return format!("{key}: {message}");
        }
    }
    message
}

/// The state of a run beside its networks and optimisers.
pub struct RunCore {
    /// The device without autodiff (the networks hold the autodiff one), for inputs and for
    /// evaluations that record no graph.
    pub plain: Device,
    /// The run's one random stream: minibatches, latents, penalties' draws.
    pub rng: Rng,
    /// Rounds trained so far.
    pub step: u64,
    /// D's cost in the last D update, detached, not yet read.
    pub last_d: Option<Tensor<1>>,
    /// G's cost in the last G update, detached, not yet read.
    pub last_g: Option<Tensor<1>>,
}

impl RunCore {
    /// A fresh run on `device` (plain) seeded with `seed`, and the stream its networks'
    /// initial weights are drawn from (forked first, so that the training stream is the same
    /// whatever the networks' sizes).
    pub fn new(seed: u64, device: &Device) -> (Self, Rng) {
        let mut rng = Rng::new(seed);
        let init = rng.fork();
        let core = Self {
            plain: device.clone(),
            rng,
            step: 0,
            last_d: None,
            last_g: None,
        };
        (core, init)
    }

    /// Reads back the last round's losses (one small async transfer); NaN while a network has
    /// not been updated yet. A NaN or infinite loss is [`GanError::Diverged`]. The future owns
    /// what it reads, so training may go on while it is pending.
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
}

/// A saved run's header (JSON, after the container's magic and length): everything but the
/// tensors. 2-D runs written before the image runs shared this header named the float counts
/// `genParams` / `discParams`; both spellings are read.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunHeader<C> {
    /// The run's config.
    pub config: C,
    /// Rounds trained.
    pub step: u64,
    /// The RNG's four words.
    pub rng: [u64; 4],
    /// The RNG's pending Gaussian draw.
    pub rng_spare: Option<f64>,
    /// D's last cost, if any.
    pub last_d: Option<f32>,
    /// G's last cost, if any.
    pub last_g: Option<f32>,
    /// Ids of G's float tensors (parameters and batch-norm statistics), visiting order.
    pub gen_ids: Vec<u64>,
    /// The same for D.
    pub disc_ids: Vec<u64>,
    /// Scalars of G (parameters and batch-norm statistics).
    #[serde(alias = "genParams")]
    pub gen_floats: usize,
    /// Scalars of D.
    #[serde(alias = "discParams")]
    pub disc_floats: usize,
    /// Whether G's moving average follows D's floats.
    #[serde(default)]
    pub ema: bool,
    /// Whether D's moving average follows (G's average, if any, or else) D's floats: an SGAN
    /// run's, whose averaged D is the classifier it scores.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ema_d: bool,
    /// Lengths of the family's own float blocks, after the averages (a CycleGAN run's pools of
    /// past fakes); none for the other runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<usize>,
    /// G's optimiser state.
    pub opt_g: OptimizerState,
    /// D's optimiser state.
    pub opt_d: OptimizerState,
}

/// A run's generator and discriminator with their optimisers and G's optional moving average:
/// what [`save_pair`] writes and [`restore_pair`] reads back.
#[derive(Clone)]
pub struct Pair<G, D> {
    /// The generator (trained).
    pub g: G,
    /// The discriminator.
    pub d: D,
    /// The moving average of G the views show, if the run keeps one (plain device).
    pub ema: Option<G>,
    /// The moving average of D, if the run keeps one (plain device): an SGAN run's classifier.
    pub ema_d: Option<D>,
    /// G's optimiser.
    pub opt_g: Optimizer,
    /// D's optimiser.
    pub opt_d: Optimizer,
}

/// The run as one file of `kind`: the header (config, step, RNG state, last losses, the
/// networks' layouts, the optimisers' layouts), then f32 LE: G's and D's float tensors
/// (batch-norm statistics included), G's moving average if any, D's if any, and the optimisers'
/// moments.
/// One asynchronous read: this works on every backend.
pub fn save_pair<C, G, D>(
    kind: FileKind,
    config: &C,
    core: &RunCore,
    pair: &Pair<G, D>,
) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static
where
    C: Serialize + Clone + 'static,
    G: Module,
    D: Module,
{
    save_pair_with(kind, config, core, pair, Vec::new())
}

/// [`save_pair`] with the family's own float blocks (`extra`, flat) after the averages; their
/// lengths go in the header, and [`restore_pair_with`] hands them back.
pub fn save_pair_with<C, G, D>(
    kind: FileKind,
    config: &C,
    core: &RunCore,
    pair: &Pair<G, D>,
    extra: Vec<Tensor<1>>,
) -> impl Future<Output = Result<Vec<u8>, GanError>> + 'static
where
    C: Serialize + Clone + 'static,
    G: Module,
    D: Module,
{
    // valid() folds batch norm's pending running-statistics update into its value (a visit
    // alone reads the value from before the last forward pass).
    let (g, d) = (pair.g.valid(), pair.d.valid());
    let (gen_sizes, disc_sizes) = (param_sizes(&g), param_sizes(&d));
    let mut networks = vec![flat_floats(&g), flat_floats(&d)];
    networks.extend(pair.ema.as_ref().map(flat_floats));
    networks.extend(pair.ema_d.as_ref().map(flat_floats));
    let extra_lens: Vec<usize> = extra.iter().map(|t| t.dims()[0]).collect();
    networks.extend(extra.into_iter().filter(|t| t.dims()[0] > 0));
    let (floats, opt_g, opt_d) = run_state(networks, &pair.opt_g, &pair.opt_d);
    let losses = core.losses();
    let (rng, rng_spare) = core.rng.state();
    let mut header = RunHeader {
        config: config.clone(),
        step: core.step,
        rng,
        rng_spare,
        last_d: None,
        last_g: None,
        gen_ids: ids(&gen_sizes),
        disc_ids: ids(&disc_sizes),
        gen_floats: gen_sizes.iter().map(|p| p.1).sum(),
        disc_floats: disc_sizes.iter().map(|p| p.1).sum(),
        ema: pair.ema.is_some(),
        ema_d: pair.ema_d.is_some(),
        extra: extra_lens,
        opt_g,
        opt_d,
    };
    let (has_d, has_g) = (core.last_d.is_some(), core.last_g.is_some());
    async move {
        let floats = read_vec(floats).await?;
        let s = losses.await?;
        header.last_d = has_d.then_some(s.loss_d);
        header.last_g = has_g.then_some(s.loss_g);
        Ok(runfile::write(kind, &header, &floats))
    }
}

/// The header of a saved run of `kind`, and where its floats begin.
pub fn read_header<C: DeserializeOwned>(
    kind: FileKind,
    bytes: &[u8],
) -> Result<(RunHeader<C>, usize), GanError> {
    runfile::header(kind, bytes)
}

/// Puts a saved run back into a fresh trainer of the same config: `pair`'s networks take the
/// saved floats (keeping their own ids), the optimisers their moments, `core` the step, the
/// RNG state and the last losses. Refuses, with a message, floats that do not fit the
/// networks, a truncated or corrupt block and an optimiser state that names parameters the
/// networks do not have.
pub fn restore_pair<C, G: Module, D: Module>(
    kind: FileKind,
    h: &RunHeader<C>,
    bytes: &[u8],
    at: usize,
    core: &mut RunCore,
    pair: &mut Pair<G, D>,
) -> Result<(), GanError> {
    restore_pair_with(kind, h, bytes, at, core, pair).map(|_| ())
}

/// [`restore_pair`], handing back the family's own float blocks that [`save_pair_with`]
/// wrote, each as long as the header says.
pub fn restore_pair_with<C, G: Module, D: Module>(
    kind: FileKind,
    h: &RunHeader<C>,
    bytes: &[u8],
    at: usize,
    core: &mut RunCore,
    pair: &mut Pair<G, D>,
) -> Result<Vec<Vec<f32>>, GanError> {
    let bad = GanError::RunFile;
    if h.step >= 1 << 53 {
        return Err(bad(format!(
            "its step count {} is past 2^53 - 1, the largest the page counts exactly",
            h.step
        )));
    }
    let (gen_sizes, disc_sizes) = (param_sizes(&pair.g), param_sizes(&pair.d));
    let ng: usize = gen_sizes.iter().map(|p| p.1).sum();
    let nd: usize = disc_sizes.iter().map(|p| p.1).sum();
    if h.gen_floats != ng
        || h.disc_floats != nd
        || h.gen_ids.len() != gen_sizes.len()
        || h.disc_ids.len() != disc_sizes.len()
    {
        return Err(bad(format!(
            "its networks ({} + {} numbers) do not fit its config's architecture ({ng} + {nd})",
            h.gen_floats, h.disc_floats
        )));
    }
    let ne = if h.ema { ng } else { 0 };
    let ned = if h.ema_d { nd } else { 0 };
    let n_extra = h
        .extra
        .iter()
        .try_fold(0usize, |a, &n| a.checked_add(n))
        .ok_or_else(|| bad("its header declares more numbers than a file can hold".into()))?;
    let expected = [ng, nd, ne, ned, n_extra, h.opt_g.floats(), h.opt_d.floats()]
        .iter()
        .try_fold(0usize, |a, &n| a.checked_add(n))
        .ok_or_else(|| bad("its header declares more numbers than a file can hold".into()))?;
    let floats = runfile::floats(kind, bytes, at, expected)?;
    let (g, rest) = floats.split_at(ng);
    let (d, rest) = rest.split_at(nd);
    let (e, rest) = rest.split_at(ne);
    let (ed, mut rest) = rest.split_at(ned);
    let mut extra = Vec::with_capacity(h.extra.len());
    for &n in &h.extra {
        let (block, after) = rest.split_at(n);
        extra.push(block.to_vec());
        rest = after;
    }
    let (mg, md) = rest.split_at(h.opt_g.floats());
    pair.g = assign(pair.g.clone(), g);
    pair.d = assign(pair.d.clone(), d);
    pair.ema = h.ema.then(|| assign(pair.g.valid(), e));
    pair.ema_d = h.ema_d.then(|| assign(pair.d.valid(), ed));
    let opt_g = h.opt_g.renamed(&h.gen_ids, &ids(&gen_sizes)).map_err(bad)?;
    let opt_d = h
        .opt_d
        .renamed(&h.disc_ids, &ids(&disc_sizes))
        .map_err(bad)?;
    pair.opt_g
        .restore(&opt_g, mg, &gen_sizes, &core.plain)
        .map_err(bad)?;
    pair.opt_d
        .restore(&opt_d, md, &disc_sizes, &core.plain)
        .map_err(bad)?;
    core.rng = Rng::from_state(h.rng, h.rng_spare);
    core.step = h.step;
    let scalar = |v: f32| Tensor::<1>::from_data(TensorData::new(vec![v], [1]), &core.plain);
    core.last_d = h.last_d.map(scalar);
    core.last_g = h.last_g.map(scalar);
    Ok(extra)
}
