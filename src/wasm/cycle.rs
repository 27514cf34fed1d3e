//! The CycleGAN lab's handle (`CycleGanTrainer`) and its config check.

use std::sync::Arc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::backend::BackendKind;
use crate::cycle::{CycleConfig, CycleTrainer};
use crate::data::{Mnist, parse_optdigits};
use crate::error::GanError;
use crate::gan::run::RunConfig;
use crate::wasm::{
    check_rounds, device_of, js_err, json_object, parse_config, promise_f32, promise_of,
};

fn parse(config: &JsValue) -> Result<CycleConfig, GanError> {
    parse_config(config, CycleConfig::from_value, CycleConfig::default)
}

/// Validates a CycleGAN config; returns the full config (defaults filled in) or throws with a
/// message naming the bad key.
#[wasm_bindgen(js_name = validateCycleConfig)]
pub fn validate_cycle_config(config: JsValue) -> Result<JsValue, JsError> {
    json_object(&parse(&config).map_err(js_err)?.to_json())
}

/// Both domains from the assets' bytes (assets/mnist.bin, assets/optdigits.bin).
fn domains(mnist: &[u8], uci: &[u8]) -> Result<(Arc<Mnist>, Arc<Mnist>), JsError> {
    Ok((
        Arc::new(Mnist::parse(mnist).map_err(js_err)?),
        Arc::new(parse_optdigits(uci).map_err(js_err)?),
    ))
}

/// An opaque handle on one CycleGAN run.
#[wasm_bindgen]
pub struct CycleGanTrainer {
    trainer: CycleTrainer,
    backend: BackendKind,
}

#[wasm_bindgen]
impl CycleGanTrainer {
    /// Starts a run of `config` on `backend` ("cpu", "flex", "ndarray" or "webgpu") between
    /// the MNIST asset's digits and the UCI asset's.
    pub async fn create(
        config: JsValue,
        backend: String,
        mnist: Vec<u8>,
        uci: Vec<u8>,
    ) -> Result<CycleGanTrainer, JsError> {
        let config = parse(&config).map_err(js_err)?;
        let (backend, device) = device_of(&backend).await?;
        let (a, b) = domains(&mnist, &uci)?;
        let trainer = CycleTrainer::new(config, a, b, &device).map_err(js_err)?;
        Ok(CycleGanTrainer { trainer, backend })
    }

    /// Continues a run saved by `save` on `backend`; rejects with a message for a file that is
    /// not a CycleGAN run, is truncated or corrupt, or does not fit its config.
    pub async fn load(
        bytes: Vec<u8>,
        backend: String,
        mnist: Vec<u8>,
        uci: Vec<u8>,
    ) -> Result<CycleGanTrainer, JsError> {
        let (backend, device) = device_of(&backend).await?;
        let (a, b) = domains(&mnist, &uci)?;
        let trainer = CycleTrainer::load(&bytes, a, b, &device).map_err(js_err)?;
        Ok(CycleGanTrainer { trainer, backend })
    }

    /// Trains `rounds` rounds, then resolves to the losses (see `losses`); rejects on NaN.
    pub fn step(&mut self, rounds: u32) -> Result<Promise, JsError> {
        check_rounds("step", rounds, self.trainer.config().cost())?;
        self.trainer.train(rounds as usize);
        Ok(self.losses())
    }

    /// Resolves to the last round's `{step, lossDA, lossDB, lossG, lossF, cycleA, cycleB,
    /// identity}` (identity null while off); rejects on NaN.
    pub fn losses(&self) -> Promise {
        promise_of(self.trainer.losses())
    }

    /// Resolves to the rows on `n` fixed test digits of each domain (1 to 20): A, G(A),
    /// F(G(A)), B, F(B), G(F(B)), each `n * 784` pixels in [0, 1], flat.
    pub fn rows(&self, n: u32) -> Promise {
        promise_f32(self.trainer.rows(n.clamp(1, 20) as usize))
    }

    /// Resolves to `pixels` (784 each, in [0, 1]) translated to `to` ("b": by G, "a": by F)
    /// and back: the translations, then the round trips, flat.
    pub fn translate(&self, pixels: Vec<f32>, to: &str) -> Result<Promise, JsError> {
        let to_b = match to {
            "b" => true,
            "a" => false,
            other => {
                return Err(JsError::new(&format!(
                    "translate: to must be \"a\" or \"b\", not {other:?}"
                )));
            }
        };
        let f = self.trainer.translate(&pixels, to_b).map_err(js_err)?;
        Ok(promise_f32(f))
    }

    /// Pixels (784 each, in [0, 1]) of the rows' `n` fixed test digits of domain "a" or "b".
    #[wasm_bindgen(js_name = fixedDigits)]
    pub fn fixed_digits(&self, domain: &str, n: u32) -> Vec<f32> {
        let b = domain == "b";
        let idx = self.trainer.fixed_digits(b, n.clamp(1, 1000) as usize);
        self.trainer.digit_pixels(b, &idx)
    }
}

run_handle!(CycleGanTrainer, "Scalars of `[G and F, D_A and D_B]`.");
