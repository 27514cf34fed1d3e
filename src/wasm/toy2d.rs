//! The 2-D playground's handle (`GanTrainer`), its config checks and the loss lab's theory
//! curves.

use js_sys::{Float32Array, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::backend::BackendKind;
use crate::error::GanError;
use crate::gan::loss::{GanLoss, theory_curve};
use crate::gan::run::RunConfig;
use crate::toy2d::{Phase, Toy2dConfig, Toy2dTrainer};
use crate::wasm::{
    check_rounds, device_of, js_err, json_object, parse_config, pool_object, promise_bytes,
    promise_f32, promise_of, to_js,
};

fn parse(config: &JsValue) -> Result<Toy2dConfig, GanError> {
    parse_config(config, Toy2dConfig::from_value, Toy2dConfig::default)
}

/// The theory panel's curves, from the engine's own scalar forms: for `n` values of
/// d = D(G(z)) evenly inside (0, 1), each generator cost (minimax, nonSaturating,
/// maxLikelihood) and its derivative with respect to the logit:
/// `{d, minimax: {cost, grad}, nonSaturating: {...}, maxLikelihood: {...}}`.
#[wasm_bindgen(js_name = theoryCurves)]
pub fn theory_curves(n: u32) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Curve {
        cost: Vec<f32>,
        grad: Vec<f32>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Curves {
        d: Vec<f32>,
        minimax: Curve,
        non_saturating: Curve,
        max_likelihood: Curve,
    }
    let n = n.clamp(2, 4096) as usize;
    let d: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
    let curve = |loss| {
        let (cost, grad) = d
            .iter()
            .map(|&x| {
                let (c, g) = theory_curve(loss, x).unwrap_or((f64::NAN, f64::NAN));
                (c as f32, g as f32)
            })
            .unzip();
        Curve { cost, grad }
    };
    to_js(&Curves {
        d: d.iter().map(|&x| x as f32).collect(),
        minimax: curve(GanLoss::Minimax),
        non_saturating: curve(GanLoss::NonSaturating),
        max_likelihood: curve(GanLoss::MaxLikelihood),
    })
    .map_err(js_err)
}

/// The defaults of every config key, as a plain object.
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> Result<JsValue, JsError> {
    json_object(&Toy2dConfig::default().to_json())
}

/// Validates a config object; returns the full config (defaults filled in) or throws with a
/// message naming the bad key.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: JsValue) -> Result<JsValue, JsError> {
    json_object(&parse(&config).map_err(js_err)?.to_json())
}

/// An opaque handle on one 2-D training run.
#[wasm_bindgen]
pub struct GanTrainer {
    trainer: Toy2dTrainer,
    backend: BackendKind,
}

#[wasm_bindgen]
impl GanTrainer {
    /// Starts a run of `config` on `backend` ("cpu", "flex", "ndarray" or "webgpu").
    pub async fn create(config: JsValue, backend: String) -> Result<GanTrainer, JsError> {
        let config = parse(&config).map_err(js_err)?;
        let (backend, device) = device_of(&backend).await?;
        let trainer = Toy2dTrainer::new(config, &device).map_err(js_err)?;
        Ok(GanTrainer { trainer, backend })
    }

    /// Continues a run saved by `save` (the file's bytes) on `backend`, whichever backend saved
    /// it; rejects with a message for a file that is not a run, is truncated or corrupt, or does
    /// not fit its architecture.
    pub async fn load(bytes: Vec<u8>, backend: String) -> Result<GanTrainer, JsError> {
        let (backend, device) = device_of(&backend).await?;
        let trainer = Toy2dTrainer::load(&bytes, &device).map_err(js_err)?;
        Ok(GanTrainer { trainer, backend })
    }

    /// Sets the learning rates from the next update on; throws with the key named if out of range.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        self.trainer.set_learning_rates(lr_d, lr_g).map_err(js_err)
    }

    /// Applies a config's live settings (loss, learning rates, half-life, Adam's decays, k, G
    /// steps, batch size, penalties, optimisers) from the next update on, keeping the step and
    /// the networks; throws, naming the key, for a change that needs a new run or a value out
    /// of range (the run is unchanged then).
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, config: JsValue) -> Result<(), JsError> {
        let next = parse(&config).map_err(js_err)?;
        self.trainer.set_live(next).map_err(js_err)
    }

    /// Resolves to the run as one file (a Uint8Array: config, weights, optimiser state, step
    /// and RNG state), read back asynchronously on every backend.
    pub fn save(&self) -> Promise {
        promise_bytes(self.trainer.save())
    }

    /// Trains `rounds` rounds (k D updates + gSteps G updates each) without reading back.
    pub fn train(&mut self, rounds: u32) -> Result<(), JsError> {
        check_rounds("train", rounds, self.trainer.config().cost())?;
        self.trainer.train(rounds as usize);
        Ok(())
    }

    /// Trains `rounds` rounds of one side only: `phase` is "d" (k D updates each, G frozen),
    /// "g" (gSteps G updates each, D frozen) or "both"; then resolves like `step`.
    #[wasm_bindgen(js_name = stepPhase)]
    pub fn step_phase(&mut self, rounds: u32, phase: &str) -> Result<Promise, JsError> {
        let phase = Phase::parse(phase).map_err(js_err)?;
        check_rounds("stepPhase", rounds, self.trainer.config().cost())?;
        self.trainer.train_phase(rounds as usize, phase);
        Ok(self.losses())
    }

    /// Trains `rounds` rounds, then resolves to `{step, lossD, lossG}` (one async readback).
    /// Rejects with a message if the losses became NaN or infinite.
    pub fn step(&mut self, rounds: u32) -> Result<Promise, JsError> {
        check_rounds("step", rounds, self.trainer.config().cost())?;
        self.trainer.train(rounds as usize);
        Ok(self.losses())
    }

    /// Resolves to the last round's `{step, lossD, lossG}`.
    pub fn losses(&self) -> Promise {
        promise_of(self.trainer.losses())
    }

    /// Resolves to the theory readouts at the current step: `{step, modesCaptured, modesTotal,
    /// highQualityPct (null for the curves), onLabelPct (a conditional run's share of samples on
    /// their own label's mode; null otherwise), vOptimal, jsd, dRealMean, dFakeMean, dStar (D* on
    /// a res x res grid, as discriminatorGrid, D*(x | c) in a conditional run; NaN where neither
    /// density has mass), bandwidth}`.
    pub fn theory(&self, res: u32) -> Promise {
        promise_of(self.trainer.theory(res.clamp(2, 256) as usize))
    }

    /// Resolves to `n` generated points as a flat Float32Array `[x0, y0, x1, y1, ...]`, from a
    /// fixed set of noise vectors (the same fakes on every call); a conditional run's point i
    /// has the label i mod K.
    pub fn samples(&self, n: u32) -> Promise {
        promise_f32(self.trainer.generated(n as usize))
    }

    /// Resolves to the generator's pull on the same `n` fakes as `samples(n)`: a Float32Array
    /// `[x0, y0, u0, v0, ...]` with (u, v) = -d cost_G / d x at each fake (D fixed).
    #[wasm_bindgen(js_name = generatorField)]
    pub fn generator_field(&self, n: u32) -> Promise {
        promise_f32(self.trainer.generator_field(n.clamp(1, 100_000) as usize))
    }

    /// Resolves to G over a latent grid (see `Toy2dTrainer::manifold`): `res` points for
    /// zDim = 1, `res * res` (row-major, z1 fixed along a row) otherwise, and a conditional
    /// run's K such grids one after the other (label 0's first); a Float32Array `[x0, y0, ...]`.
    pub fn manifold(&self, res: u32) -> Promise {
        promise_f32(self.trainer.manifold(res.clamp(2, 128) as usize))
    }

    /// Resolves to the gradient probe at the current step: on one batch of noise, with D fixed,
    /// the generator's parameter-gradient norm under the minimax and under the non-saturating
    /// cost (neither applied), and per sample D(G(z)) and |d cost / d logit| for both:
    /// `{step, gradNormMinimax, gradNormNonSaturating, dFake, dlogitMinimax,
    /// dlogitNonSaturating}` (the last three arrays of batchSize values).
    pub fn probe(&self) -> Promise {
        promise_of(self.trainer.probe())
    }

    /// `n` real points, flat `[x0, y0, ...]` (the same ones on every call).
    #[wasm_bindgen(js_name = realSamples)]
    pub fn real_samples(&self, n: u32) -> Float32Array {
        Float32Array::from(self.trainer.real_samples(n as usize).as_slice())
    }

    /// Resolves to D on a `res` x `res` grid over the plot (row-major, top row first), each
    /// value in [0, 1]; a conditional D is asked with the label of the nearest component.
    #[wasm_bindgen(js_name = discriminatorGrid)]
    pub fn discriminator_grid(&self, res: u32) -> Promise {
        promise_f32(
            self.trainer
                .discriminator_grid(res.clamp(2, 256) as usize, self.extent()),
        )
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
        json_object(&self.trainer.config().to_json())
    }

    /// What the device's allocator holds: `{allocs, bytesInUse, bytesReserved}`, or null on a
    /// backend that does not report it (the CPU ones).
    #[wasm_bindgen(js_name = memoryPool)]
    pub fn memory_pool(&self) -> JsValue {
        pool_object(self.trainer.device())
    }
}
