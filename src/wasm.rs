//! The page's boundary: every `#[wasm_bindgen]` item lives here. It converts arguments, calls
//! the engine and maps errors to `JsError`s with the engine's messages; no tensor math here.
//!
//! Compute (`train`) is synchronous; every read is a `Promise` whose future owns the tensors it
//! reads, so the page can keep stepping while a readback is in flight and never blocks on the
//! GPU (a synchronous readback panics on WebGPU in wasm).

use std::cell::RefCell;
use std::sync::Arc;

use burn::tensor::Device;
use js_sys::{Float32Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::backend::BackendKind;
use crate::classifier::{CONFIDENT, DigitClassifier, confident_share};
use crate::config::GanConfig;
use crate::error::GanError;
use crate::images::{ImageConfig, ImageTrainer};
use crate::latent::{self, Interpolation};
use crate::loss::{GanLoss, theory_curve};
use crate::mnist::{Mnist, PIXELS};
use crate::trainer::{Phase, ProbeStats, StepStats, TheoryStats, Trainer};

thread_local! {
    /// The WebGPU device, made once per page: burn's wgpu runtime cannot be set up twice.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

fn js_err(e: GanError) -> JsError {
    JsError::new(&e.to_string())
}

fn js_value_err(e: GanError) -> JsValue {
    JsError::new(&e.to_string()).into()
}

/// The page's config object as JSON: None for undefined or null (the defaults).
fn config_json(config: &JsValue) -> Result<Option<String>, GanError> {
    if config.is_undefined() || config.is_null() {
        return Ok(None);
    }
    if !config.is_object() {
        return Err(GanError::Config("the config must be an object".into()));
    }
    let json = js_sys::JSON::stringify(config)
        .map_err(|_| GanError::Config("the config could not be turned into JSON".into()))?;
    Ok(Some(String::from(json)))
}

/// Turns the page's config object into a validated `GanConfig` through JSON, so that the page
/// and the command line refuse the same inputs with the same messages.
fn parse_config(config: &JsValue) -> Result<GanConfig, GanError> {
    config_json(config)?.map_or(Ok(GanConfig::default()), |j| GanConfig::from_json(&j))
}

fn set(obj: &Object, key: &str, value: JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

fn stats_object(s: StepStats) -> JsValue {
    let o = Object::new();
    set(&o, "step", JsValue::from_f64(s.step as f64));
    set(&o, "lossD", JsValue::from_f64(s.loss_d as f64));
    set(&o, "lossG", JsValue::from_f64(s.loss_g as f64));
    o.into()
}

fn probe_object(p: ProbeStats) -> JsValue {
    let o = Object::new();
    set(&o, "step", JsValue::from_f64(p.step as f64));
    set(
        &o,
        "gradNormMinimax",
        JsValue::from_f64(p.grad_norm_minimax as f64),
    );
    set(
        &o,
        "gradNormNonSaturating",
        JsValue::from_f64(p.grad_norm_non_saturating as f64),
    );
    set(&o, "dFake", Float32Array::from(p.d_fake.as_slice()).into());
    set(
        &o,
        "dlogitMinimax",
        Float32Array::from(p.dlogit_minimax.as_slice()).into(),
    );
    set(
        &o,
        "dlogitNonSaturating",
        Float32Array::from(p.dlogit_non_saturating.as_slice()).into(),
    );
    o.into()
}

fn theory_object(t: TheoryStats) -> JsValue {
    let o = Object::new();
    set(&o, "step", JsValue::from_f64(t.step as f64));
    let (captured, total, hq) = match t.modes {
        Some(m) => (
            JsValue::from_f64(m.modes_captured as f64),
            JsValue::from_f64(m.modes_total as f64),
            JsValue::from_f64(m.high_quality_pct),
        ),
        None => (JsValue::NULL, JsValue::NULL, JsValue::NULL),
    };
    set(&o, "modesCaptured", captured);
    set(&o, "modesTotal", total);
    set(&o, "highQualityPct", hq);
    set(&o, "vOptimal", JsValue::from_f64(t.v_optimal));
    set(&o, "jsd", JsValue::from_f64(t.jsd));
    set(&o, "dRealMean", JsValue::from_f64(t.d_real_mean));
    set(&o, "dFakeMean", JsValue::from_f64(t.d_fake_mean));
    set(&o, "dStar", Float32Array::from(t.d_star.as_slice()).into());
    set(&o, "bandwidth", JsValue::from_f64(t.bandwidth));
    o.into()
}

/// The theory panel's curves, from the engine's own scalar forms: for `n` values of
/// d = D(G(z)) evenly inside (0, 1), each generator cost (minimax, nonSaturating,
/// maxLikelihood) and its derivative with respect to the logit:
/// `{d, minimax: {cost, grad}, nonSaturating: {...}, maxLikelihood: {...}}`.
#[wasm_bindgen(js_name = theoryCurves)]
pub fn theory_curves(n: u32) -> JsValue {
    let n = n.clamp(2, 4096) as usize;
    let d: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
    let o = Object::new();
    set(
        &o,
        "d",
        Float32Array::from(d.iter().map(|&x| x as f32).collect::<Vec<_>>().as_slice()).into(),
    );
    for (key, loss) in [
        ("minimax", GanLoss::Minimax),
        ("nonSaturating", GanLoss::NonSaturating),
        ("maxLikelihood", GanLoss::MaxLikelihood),
    ] {
        let (cost, grad): (Vec<f32>, Vec<f32>) = d
            .iter()
            .map(|&x| {
                let (c, g) = theory_curve(loss, x).unwrap_or((f64::NAN, f64::NAN));
                (c as f32, g as f32)
            })
            .unzip();
        let c = Object::new();
        set(&c, "cost", Float32Array::from(cost.as_slice()).into());
        set(&c, "grad", Float32Array::from(grad.as_slice()).into());
        set(&o, key, c.into());
    }
    o.into()
}

/// The device of `kind`: the page's one WebGPU device, or a CPU one.
async fn device_of(kind: BackendKind) -> Result<Device, GanError> {
    match kind {
        BackendKind::Webgpu => webgpu_device().await,
        cpu => cpu.cpu_device(),
    }
}

async fn webgpu_device() -> Result<Device, GanError> {
    if let Some(d) = WEBGPU.with(|w| w.borrow().clone()) {
        return Ok(d);
    }
    #[cfg(feature = "webgpu")]
    {
        let d = Device::wgpu_options()
            .init_async()
            .await
            .map_err(|e| GanError::Backend(format!("WebGPU could not start: {e:?}")))?;
        WEBGPU.with(|w| *w.borrow_mut() = Some(d.clone()));
        Ok(d)
    }
    #[cfg(not(feature = "webgpu"))]
    Err(GanError::Backend(
        "this build has no WebGPU backend; load the webgpu build of the engine".into(),
    ))
}

/// The defaults of every config key, as a plain object.
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&GanConfig::default().to_json())
        .map_err(|_| JsError::new("could not build the default config"))
}

/// Validates a config object; resolves to the full config (defaults filled in) or throws with
/// a message naming the bad key.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: JsValue) -> Result<JsValue, JsError> {
    let c = parse_config(&config).map_err(js_err)?;
    js_sys::JSON::parse(&c.to_json()).map_err(|_| JsError::new("could not serialise the config"))
}

/// Whether this build of the engine contains the WebGPU backend.
#[wasm_bindgen(js_name = hasWebgpu)]
pub fn has_webgpu() -> bool {
    cfg!(feature = "webgpu")
}

/// An opaque handle on one training run.
#[wasm_bindgen]
pub struct GanTrainer {
    trainer: Trainer,
    backend: BackendKind,
}

#[wasm_bindgen]
impl GanTrainer {
    /// Starts a run of `config` on `backend` ("cpu", "flex", "ndarray" or "webgpu").
    pub async fn create(config: JsValue, backend: String) -> Result<GanTrainer, JsError> {
        let config = parse_config(&config).map_err(js_err)?;
        let kind = BackendKind::parse(&backend).map_err(js_err)?;
        let device = device_of(kind).await.map_err(js_err)?;
        let trainer = Trainer::new(config, &device).map_err(js_err)?;
        Ok(GanTrainer {
            trainer,
            backend: kind,
        })
    }

    /// Continues a run saved by `save` (the file's bytes) on `backend`, whichever backend saved
    /// it; rejects with a message for a file that is not a run, is truncated or corrupt, or does
    /// not fit its architecture.
    pub async fn load(bytes: Vec<u8>, backend: String) -> Result<GanTrainer, JsError> {
        let kind = BackendKind::parse(&backend).map_err(js_err)?;
        let device = device_of(kind).await.map_err(js_err)?;
        let trainer = Trainer::load(&bytes, &device).map_err(js_err)?;
        Ok(GanTrainer {
            trainer,
            backend: kind,
        })
    }

    /// Sets the learning rates from the next update on; throws with the key named if out of range.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        self.trainer.set_learning_rates(lr_d, lr_g).map_err(js_err)
    }

    /// Resolves to the run as one file (a Uint8Array: config, weights, optimiser state, step
    /// and RNG state), read back asynchronously on every backend.
    pub fn save(&self) -> Promise {
        let f = self.trainer.save();
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(js_sys::Uint8Array::from(v.as_slice()).into())
        })
    }

    /// Trains `rounds` rounds (k D updates + gSteps G updates each) without reading back.
    pub fn train(&mut self, rounds: u32) {
        self.trainer.train(rounds as usize);
    }

    /// Trains `rounds` rounds of one side only: `phase` is "d" (k D updates each, G frozen),
    /// "g" (gSteps G updates each, D frozen) or "both"; then resolves like `step`.
    #[wasm_bindgen(js_name = stepPhase)]
    pub fn step_phase(&mut self, rounds: u32, phase: &str) -> Result<Promise, JsError> {
        let phase = match phase {
            "both" => Phase::Both,
            "d" => Phase::Discriminator,
            "g" => Phase::Generator,
            other => {
                return Err(JsError::new(&format!(
                    "unknown phase {other:?}: use \"both\", \"d\" or \"g\""
                )));
            }
        };
        self.trainer.train_phase(rounds as usize, phase);
        Ok(self.losses())
    }

    /// Resolves to the theory readouts at the current step: `{step, modesCaptured, modesTotal,
    /// highQualityPct (null for the curves), vOptimal, jsd, dRealMean, dFakeMean, dStar (D* on
    /// a res x res grid, as discriminatorGrid; NaN where neither density has mass), bandwidth}`.
    pub fn theory(&self, res: u32) -> Promise {
        let f = self.trainer.theory(res.clamp(2, 256) as usize);
        future_to_promise(async move { f.await.map(theory_object).map_err(js_value_err) })
    }

    /// Trains `rounds` rounds, then resolves to `{step, lossD, lossG}` (one async readback).
    /// Rejects with a message if the losses became NaN or infinite.
    pub fn step(&mut self, rounds: u32) -> Promise {
        self.trainer.train(rounds as usize);
        self.losses()
    }

    /// Resolves to the last round's `{step, lossD, lossG}`.
    pub fn losses(&self) -> Promise {
        let f = self.trainer.losses();
        future_to_promise(async move { f.await.map(stats_object).map_err(js_value_err) })
    }

    /// Resolves to `n` generated points as a flat Float32Array `[x0, y0, x1, y1, ...]`, from a
    /// fixed set of noise vectors (the same fakes on every call).
    pub fn samples(&self, n: u32) -> Promise {
        let f = self.trainer.generated(n as usize);
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(Float32Array::from(v.as_slice()).into())
        })
    }

    /// Resolves to the generator's pull on the same `n` fakes as `samples(n)`: a Float32Array
    /// `[x0, y0, u0, v0, ...]` with (u, v) = -d cost_G / d x at each fake (D fixed).
    #[wasm_bindgen(js_name = generatorField)]
    pub fn generator_field(&self, n: u32) -> Promise {
        let f = self.trainer.generator_field(n.clamp(1, 100_000) as usize);
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(Float32Array::from(v.as_slice()).into())
        })
    }

    /// Resolves to G over a latent grid (see `Trainer::manifold`): `res` points for zDim = 1,
    /// `res * res` (row-major, z1 fixed along a row) otherwise; a Float32Array `[x0, y0, ...]`.
    pub fn manifold(&self, res: u32) -> Promise {
        let f = self.trainer.manifold(res.clamp(2, 128) as usize);
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(Float32Array::from(v.as_slice()).into())
        })
    }

    /// Resolves to the gradient probe at the current step: on one batch of noise, with D fixed,
    /// the generator's parameter-gradient norm under the minimax and under the non-saturating
    /// cost (neither applied), and per sample D(G(z)) and |d cost / d logit| for both:
    /// `{step, gradNormMinimax, gradNormNonSaturating, dFake, dlogitMinimax,
    /// dlogitNonSaturating}` (the last three Float32Arrays of batchSize values).
    pub fn probe(&self) -> Promise {
        let f = self.trainer.probe();
        future_to_promise(async move { f.await.map(probe_object).map_err(js_value_err) })
    }

    /// `n` real points, flat `[x0, y0, ...]` (the same ones on every call).
    #[wasm_bindgen(js_name = realSamples)]
    pub fn real_samples(&self, n: u32) -> Float32Array {
        Float32Array::from(self.trainer.real_samples(n as usize).as_slice())
    }

    /// Resolves to D on a `res` x `res` grid over the plot (row-major, top row first), each
    /// value in [0, 1].
    #[wasm_bindgen(js_name = discriminatorGrid)]
    pub fn discriminator_grid(&self, res: u32) -> Promise {
        let f = self
            .trainer
            .discriminator_grid(res.clamp(2, 256) as usize, self.extent());
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(Float32Array::from(v.as_slice()).into())
        })
    }

    /// Half the side of the plotted square, centred on the origin.
    pub fn extent(&self) -> f64 {
        self.trainer.data().extent()
    }

    /// Rounds trained so far.
    #[wasm_bindgen(js_name = stepCount)]
    pub fn step_count(&self) -> f64 {
        self.trainer.step_count() as f64
    }

    /// The backend this run trains on, e.g. "cpu (flex)" or "webgpu".
    pub fn backend(&self) -> String {
        self.backend.name().to_string()
    }

    /// The run's full config.
    pub fn config(&self) -> Result<JsValue, JsError> {
        js_sys::JSON::parse(&self.trainer.config().to_json())
            .map_err(|_| JsError::new("could not serialise the config"))
    }

    /// What the device's allocator holds: `{allocs, bytesInUse, bytesReserved}`, or null on a
    /// backend that does not report it (the CPU ones).
    #[wasm_bindgen(js_name = memoryPool)]
    pub fn memory_pool(&self) -> JsValue {
        pool_object(self.trainer.device())
    }
}

fn pool_object(device: &burn::tensor::Device) -> JsValue {
    match device.memory_pool_usage() {
        None => JsValue::NULL,
        Some(u) => {
            let o = Object::new();
            set(&o, "allocs", JsValue::from(u.number_allocs as f64));
            set(&o, "bytesInUse", JsValue::from(u.bytes_in_use as f64));
            set(&o, "bytesReserved", JsValue::from(u.bytes_reserved as f64));
            o.into()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Image GANs (MNIST): a run, and the latent-path arithmetic the drawing pad uses.

fn parse_image_config(config: &JsValue) -> Result<ImageConfig, GanError> {
    config_json(config)?.map_or(Ok(ImageConfig::default()), |j| ImageConfig::from_json(&j))
}

/// Validates an image-run config; returns the full config (defaults filled in) or throws with
/// a message naming the bad key.
#[wasm_bindgen(js_name = validateImageConfig)]
pub fn validate_image_config(config: JsValue) -> Result<JsValue, JsError> {
    let c = parse_image_config(&config).map_err(js_err)?;
    js_sys::JSON::parse(&c.to_json()).map_err(|_| JsError::new("could not serialise the config"))
}

/// The latents of a path drawn on the pad: `points` is flat `[u0, v0, u1, v1, ...]` in pad
/// coordinates ([0, 1]^2, y down), `anchors` three latents of `zDim` numbers each (flat), `mode`
/// "lerp" or "slerp"; for zDim = 2 the pad is the latent plane itself ([-reach, reach]^2).
/// Returns one latent per point, flat.
#[wasm_bindgen(js_name = pathLatents)]
pub fn path_latents(
    anchors: Vec<f32>,
    points: Vec<f32>,
    mode: &str,
    reach: f64,
) -> Result<Float32Array, JsError> {
    let mode = Interpolation::parse(mode).map_err(js_err)?;
    if anchors.is_empty() || !anchors.len().is_multiple_of(3) {
        return Err(JsError::new("anchors: three latents of equal size, flat"));
    }
    if !points.len().is_multiple_of(2) {
        return Err(JsError::new("points: flat [u, v] pairs"));
    }
    let d = anchors.len() / 3;
    let a = [&anchors[..d], &anchors[d..2 * d], &anchors[2 * d..]];
    let pts: Vec<[f64; 2]> = points
        .chunks_exact(2)
        .map(|p| [p[0] as f64, p[1] as f64])
        .collect();
    Ok(Float32Array::from(
        latent::path_latents(a, &pts, mode, reach).as_slice(),
    ))
}

/// `frames` latents from `a` to `b` inclusive by "lerp" or "slerp", flat.
#[wasm_bindgen(js_name = filmstripLatents)]
pub fn filmstrip_latents(
    a: Vec<f32>,
    b: Vec<f32>,
    frames: u32,
    mode: &str,
) -> Result<Float32Array, JsError> {
    let mode = Interpolation::parse(mode).map_err(js_err)?;
    if a.len() != b.len() || a.is_empty() {
        return Err(JsError::new("a and b must be latents of the same size"));
    }
    let v: Vec<f32> = latent::filmstrip(&a, &b, frames.clamp(2, 1024) as usize, mode).concat();
    Ok(Float32Array::from(v.as_slice()))
}

/// An opaque handle on one image GAN run.
#[wasm_bindgen]
pub struct ImageGanTrainer {
    trainer: ImageTrainer,
    backend: BackendKind,
}

#[wasm_bindgen]
impl ImageGanTrainer {
    /// Starts a run of `config` on `backend` ("cpu", "flex", "ndarray" or "webgpu") over the
    /// MNIST asset's bytes (assets/mnist.bin).
    pub async fn create(
        config: JsValue,
        backend: String,
        mnist: Vec<u8>,
    ) -> Result<ImageGanTrainer, JsError> {
        let config = parse_image_config(&config).map_err(js_err)?;
        let kind = BackendKind::parse(&backend).map_err(js_err)?;
        let device = device_of(kind).await.map_err(js_err)?;
        let data = Arc::new(Mnist::parse(&mnist).map_err(js_err)?);
        let trainer = ImageTrainer::new(config, data, &device).map_err(js_err)?;
        Ok(ImageGanTrainer {
            trainer,
            backend: kind,
        })
    }

    /// Continues an image run saved by `save` (the file's bytes) on `backend` ("cpu" as in
    /// `create`), over the MNIST asset's bytes; rejects with a message for a file that is not an
    /// image run, is truncated or corrupt, or does not fit its architecture.
    pub async fn load(
        bytes: Vec<u8>,
        backend: String,
        mnist: Vec<u8>,
    ) -> Result<ImageGanTrainer, JsError> {
        let kind = BackendKind::parse(&backend).map_err(js_err)?;
        let device = device_of(kind).await.map_err(js_err)?;
        let data = Arc::new(Mnist::parse(&mnist).map_err(js_err)?);
        let trainer = ImageTrainer::load(&bytes, data, &device).map_err(js_err)?;
        Ok(ImageGanTrainer {
            trainer,
            backend: kind,
        })
    }

    /// Resolves to the run as one file (a Uint8Array: config, weights and batch-norm
    /// statistics, the moving average, optimiser state, step and RNG state), read back
    /// asynchronously on every backend.
    pub fn save(&self) -> Promise {
        let f = self.trainer.save();
        future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(js_sys::Uint8Array::from(v.as_slice()).into())
        })
    }

    /// Sets the learning rates from the next round on; throws with the key named if out of range.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        self.trainer.set_learning_rates(lr_d, lr_g).map_err(js_err)
    }

    /// Trains `rounds` rounds (k D updates + one G update each) without reading back.
    pub fn train(&mut self, rounds: u32) {
        self.trainer.train(rounds as usize);
    }

    /// Trains `rounds` rounds, then resolves to `{step, lossD, lossG}`; rejects on NaN.
    pub fn step(&mut self, rounds: u32) -> Promise {
        self.trainer.train(rounds as usize);
        self.losses()
    }

    /// Resolves to the last round's `{step, lossD, lossG}`.
    pub fn losses(&self) -> Promise {
        let f = self.trainer.losses();
        future_to_promise(async move { f.await.map(stats_object).map_err(js_value_err) })
    }

    /// The sample grid's `n` fixed latents, flat `[n * zDim]`, components beyond
    /// `truncation` redrawn (`undefined`: no truncation; under 0.05 is refused).
    #[wasm_bindgen(js_name = viewLatents)]
    pub fn view_latents(&self, n: u32, truncation: Option<f64>) -> Result<Float32Array, JsError> {
        let z = self
            .trainer
            .view_latents(n.clamp(1, 1024) as usize, truncation)
            .map_err(js_err)?;
        Ok(Float32Array::from(z.as_slice()))
    }

    /// `n` latents drawn from the prior with `seed` (same seed, same latents), components beyond
    /// `truncation` redrawn; flat `[n * zDim]`.
    #[wasm_bindgen(js_name = seededLatents)]
    pub fn seeded_latents(
        &self,
        n: u32,
        seed: f64,
        truncation: Option<f64>,
    ) -> Result<Float32Array, JsError> {
        if !(0.0..=9_007_199_254_740_992.0).contains(&seed) || seed.fract() != 0.0 {
            return Err(JsError::new("seed: a whole number from 0 to 2^53"));
        }
        let z = self
            .trainer
            .seeded_latents(n.clamp(1, 1024) as usize, seed as u64, truncation)
            .map_err(js_err)?;
        Ok(Float32Array::from(z.as_slice()))
    }

    /// Resolves to G's images of `latents` (flat, a multiple of zDim): a Float32Array of
    /// 784 pixels per latent, row-major 28 x 28, in [0, 1] (0 black).
    pub fn images(&self, latents: Vec<f32>) -> Result<Promise, JsError> {
        let f = self.trainer.images(&latents).map_err(js_err)?;
        Ok(future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(Float32Array::from(v.as_slice()).into())
        }))
    }

    /// `n` training digits, 784 pixels each in [0, 1] (the same ones on every call).
    #[wasm_bindgen(js_name = realImages)]
    pub fn real_images(&self, n: u32) -> Float32Array {
        Float32Array::from(
            self.trainer
                .real_images(n.clamp(1, 1024) as usize)
                .as_slice(),
        )
    }

    /// Rounds trained so far.
    #[wasm_bindgen(js_name = stepCount)]
    pub fn step_count(&self) -> f64 {
        self.trainer.step_count() as f64
    }

    /// What the device's allocator holds (see `GanTrainer.memoryPool`).
    #[wasm_bindgen(js_name = memoryPool)]
    pub fn memory_pool(&self) -> JsValue {
        pool_object(self.trainer.device())
    }

    /// Scalars of `[G, D]`: parameters, and batch norm's running statistics.
    #[wasm_bindgen(js_name = parameterCounts)]
    pub fn parameter_counts(&self) -> Vec<f64> {
        let (g, d) = self.trainer.parameter_counts();
        vec![g as f64, d as f64]
    }

    /// The backend this run trains on.
    pub fn backend(&self) -> String {
        self.backend.name().to_string()
    }

    /// The run's full config.
    pub fn config(&self) -> Result<JsValue, JsError> {
        js_sys::JSON::parse(&self.trainer.config().to_json())
            .map_err(|_| JsError::new("could not serialise the config"))
    }
}

/// The shipped digit classifier (assets/classifier.bin), on the CPU: the judge of generated
/// digits.
#[wasm_bindgen]
pub struct DigitJudge {
    net: DigitClassifier,
    device: Device,
    test_accuracy: f64,
}

#[wasm_bindgen]
impl DigitJudge {
    /// Reads a classifier file's bytes; throws with a message for anything else.
    pub fn load(bytes: Vec<u8>) -> Result<DigitJudge, JsError> {
        let device = Device::flex();
        let (net, info) = DigitClassifier::load(&bytes, &device).map_err(js_err)?;
        Ok(DigitJudge {
            net,
            device,
            test_accuracy: info.test_accuracy,
        })
    }

    /// Resolves to the verdict on images (784 pixels each in [0, 1], flat): `{samples, share
    /// (of samples whose top class is a digit with probability >= 0.9), threshold, classes
    /// (top-class counts: 0-9, then "not a digit"), testAccuracy (the classifier's own, on
    /// held-out digits)}`.
    pub fn score(&self, pixels: Vec<f32>) -> Result<Promise, JsError> {
        if pixels.is_empty() || !pixels.len().is_multiple_of(PIXELS) {
            return Err(JsError::new("pixels: a whole number of 784-pixel images"));
        }
        let f = self.net.probabilities(&pixels, &self.device);
        let (samples, test_accuracy) = (pixels.len() / PIXELS, self.test_accuracy);
        Ok(future_to_promise(async move {
            let probs = f.await.map_err(js_value_err)?;
            let (share, classes) = confident_share(&probs, CONFIDENT);
            let o = Object::new();
            set(&o, "samples", JsValue::from_f64(samples as f64));
            set(&o, "share", JsValue::from_f64(share));
            set(&o, "threshold", JsValue::from_f64(CONFIDENT));
            let c = js_sys::Array::new();
            for k in classes {
                c.push(&JsValue::from_f64(k as f64));
            }
            set(&o, "classes", c.into());
            set(&o, "testAccuracy", JsValue::from_f64(test_accuracy));
            Ok(o.into())
        }))
    }
}
