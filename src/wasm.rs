//! The page's boundary: every `#[wasm_bindgen]` item lives here. It converts arguments, calls
//! the engine and maps errors to `JsError`s with the engine's messages; no tensor math here.
//!
//! Compute (`train`) is synchronous; every read is a `Promise` whose future owns the tensors it
//! reads, so the page can keep stepping while a readback is in flight and never blocks on the
//! GPU (a synchronous readback panics on WebGPU in wasm).

use std::cell::RefCell;

use burn::tensor::Device;
use js_sys::{Float32Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::backend::BackendKind;
use crate::config::GanConfig;
use crate::error::GanError;
use crate::loss::{GanLoss, theory_curve};
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

/// Turns the page's config object into a validated `GanConfig` through JSON, so that the page
/// and the command line refuse the same inputs with the same messages.
fn parse_config(config: &JsValue) -> Result<GanConfig, GanError> {
    if config.is_undefined() || config.is_null() {
        return Ok(GanConfig::default());
    }
    if !config.is_object() {
        return Err(GanError::Config("the config must be an object".into()));
    }
    let json = js_sys::JSON::stringify(config)
        .map_err(|_| GanError::Config("the config could not be turned into JSON".into()))?;
    GanConfig::from_json(&String::from(json))
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
        let device = match kind {
            BackendKind::Webgpu => webgpu_device().await.map_err(js_err)?,
            cpu => cpu.cpu_device().map_err(js_err)?,
        };
        let trainer = Trainer::new(config, &device).map_err(js_err)?;
        Ok(GanTrainer {
            trainer,
            backend: kind,
        })
    }

    /// Continues a run saved by `save` (the file's bytes) on `backend`; rejects with a message
    /// for a file that is not a run, is truncated or corrupt, or does not fit its architecture.
    /// A run continues on a CPU backend ("cpu", "flex" or "ndarray"): burn restores an
    /// optimiser's state on its default device, and moving it from a GPU would need a
    /// synchronous readback.
    pub async fn load(bytes: Vec<u8>, backend: String) -> Result<GanTrainer, JsError> {
        let kind = BackendKind::parse(&backend).map_err(js_err)?;
        if kind == BackendKind::Webgpu {
            return Err(JsError::new(
                "a saved run continues on the CPU backend: load it with backend \"cpu\"",
            ));
        }
        let device = kind.cpu_device().map_err(js_err)?;
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
    /// and RNG state). Refused on WebGPU, whose optimiser state cannot be read synchronously
    /// in a browser: switch the backend to the CPU to save.
    pub fn save(&self) -> Result<Promise, JsError> {
        if self.backend == BackendKind::Webgpu {
            return Err(JsError::new(
                "saving reads the optimiser's state synchronously, which WebGPU in a browser \
                 cannot do: switch the backend to CPU, then save",
            ));
        }
        let f = self.trainer.save();
        Ok(future_to_promise(async move {
            let v = f.await.map_err(js_value_err)?;
            Ok(js_sys::Uint8Array::from(v.as_slice()).into())
        }))
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
}
