//! The StackGAN lab's handle (`StackGanTrainer`) and its config check.

use std::sync::Arc;

use js_sys::{Array, Float32Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::backend::BackendKind;
use crate::data::Mnist;
use crate::data::captions::read_caption;
use crate::error::GanError;
use crate::gan::cost::Cost;
use crate::gan::run::RunConfig;
use crate::stack::StackConfig;
use crate::stack::trainer::StackTrainer;
use crate::wasm::{device_of, js_err, json_object, parse_config, promise_of};

fn parse(config: &JsValue) -> Result<StackConfig, GanError> {
    parse_config(config, StackConfig::from_value, StackConfig::default)
}

/// Validates a StackGAN config; returns the full config (defaults filled in) or throws with a
/// message naming the bad key.
#[wasm_bindgen(js_name = validateStackConfig)]
pub fn validate_stack_config(config: JsValue) -> Result<JsValue, JsError> {
    json_object(&parse(&config).map_err(js_err)?.to_json())
}

/// An opaque handle on one StackGAN run.
#[wasm_bindgen]
pub struct StackGanTrainer {
    trainer: StackTrainer,
    backend: BackendKind,
}

#[wasm_bindgen]
impl StackGanTrainer {
    /// Starts a run of `config` on `backend` ("cpu", "flex", "ndarray" or "webgpu") on the
    /// MNIST asset's digits, each captioned from its label and measured strokes.
    pub async fn create(
        config: JsValue,
        backend: String,
        mnist: Vec<u8>,
    ) -> Result<StackGanTrainer, JsError> {
        let config = parse(&config).map_err(js_err)?;
        let (backend, device) = device_of(&backend).await?;
        let data = Arc::new(Mnist::parse(&mnist).map_err(js_err)?);
        let trainer = StackTrainer::new(config, data, &device).map_err(js_err)?;
        Ok(StackGanTrainer { trainer, backend })
    }

    /// Continues a run saved by `save` on `backend`; rejects with a message for a file that is
    /// not a StackGAN run, is truncated or corrupt, or does not fit its config.
    pub async fn load(
        bytes: Vec<u8>,
        backend: String,
        mnist: Vec<u8>,
    ) -> Result<StackGanTrainer, JsError> {
        let (backend, device) = device_of(&backend).await?;
        let data = Arc::new(Mnist::parse(&mnist).map_err(js_err)?);
        let trainer = StackTrainer::load(&bytes, data, &device).map_err(js_err)?;
        Ok(StackGanTrainer { trainer, backend })
    }

    /// Trains `rounds` rounds on the schedule (stage I for `stageOneRounds`, then stage II; or
    /// both in turn), then resolves to the losses (see `losses`); rejects on NaN.
    pub fn step(&mut self, rounds: u32) -> Result<Promise, JsError> {
        let c = self.trainer.config();
        // About 1e9 FLOPs a stage-II round at the defaults (measured: ~100 ms natively),
        // growing with the batch and the square of the widths.
        let widths = (c.gen_width + c.disc_width) as f64 / 32.0;
        let per_round = 1e9 * (c.batch_size as f64 / 64.0) * widths * widths;
        Cost::check_call(&format!("step({rounds})"), rounds as f64, per_round).map_err(js_err)?;
        self.trainer.step(rounds as usize);
        Ok(self.losses())
    }

    /// Resolves to the last round's `{step, roundsOne, roundsTwo, stage, lossD, lossG}` (stage:
    /// the one the next round trains, 1 or 2, 0 for both in turn); rejects on NaN.
    pub fn losses(&self) -> Promise {
        promise_of(self.trainer.losses())
    }

    /// Resolves to `{one, two, unknown}`: both stages' images of `caption` for each latent in
    /// `z` (`zDim` numbers each) with its augmentation draw in `eps` (`code` numbers each; 0:
    /// the caption's mean code). `one`: 196 pixels (14 x 14) per image, `two`: 784, in [0, 1];
    /// `unknown`: the caption's words the vocabulary lacks (left out). Throws with a message
    /// for a caption with no known word, one over 200 characters, or sizes that do not fit.
    pub fn images(&self, caption: &str, z: Vec<f32>, eps: Vec<f32>) -> Result<Promise, JsError> {
        let (tokens, unknown) = read_caption(caption).map_err(js_err)?;
        let zd = self.trainer.config().z_dim;
        let n = z.len().checked_div(zd).unwrap_or(0);
        if n == 0 || n > 256 || !z.iter().chain(&eps).all(|v| v.is_finite()) {
            return Err(JsError::new(&format!(
                "images: give 1 to 256 latents of {zd} finite numbers each, not {}",
                z.len()
            )));
        }
        let f = self
            .trainer
            .images(&vec![tokens; n], &z, &eps)
            .map_err(js_err)?;
        Ok(future_to_promise(async move {
            let (one, two) = f.await.map_err(|e| JsValue::from(js_err(e)))?;
            let unit = |v: Vec<f32>| {
                let v: Vec<f32> = v.iter().map(|p| (p + 1.0) / 2.0).collect();
                Float32Array::from(v.as_slice())
            };
            let out = Object::new();
            Reflect::set(&out, &"one".into(), &unit(one))?;
            Reflect::set(&out, &"two".into(), &unit(two))?;
            let words: Array = unknown.iter().map(|w| JsValue::from_str(w)).collect();
            Reflect::set(&out, &"unknown".into(), &words)?;
            Ok(out.into())
        }))
    }
}

run_handle!(
    StackGanTrainer,
    "Scalars of `[both stages' encoders and generators, both judges]`."
);
