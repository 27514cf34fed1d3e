//! The image lab's handle (`ImageGanTrainer`), its config check, and the latent-path
//! arithmetic of the drawing pad.

use std::sync::Arc;

use js_sys::{Float32Array, Promise};
use wasm_bindgen::prelude::*;

use crate::backend::BackendKind;
use crate::data::Mnist;
use crate::error::GanError;
use crate::gan::latent::{self, Interpolation};
use crate::gan::run::RunConfig;
use crate::image::{ImageConfig, ImageTrainer};
use crate::wasm::{
    check_rounds, device_of, js_err, json_object, parse_config, promise_f32, promise_of,
};

fn parse(config: &JsValue) -> Result<ImageConfig, GanError> {
    parse_config(config, ImageConfig::from_value, || {
        ImageConfig::default().resolved()
    })
}

/// Validates an image-run config; returns the full config (defaults filled in) or throws with
/// a message naming the bad key.
#[wasm_bindgen(js_name = validateImageConfig)]
pub fn validate_image_config(config: JsValue) -> Result<JsValue, JsError> {
    json_object(&parse(&config).map_err(js_err)?.to_json())
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

fn digits(mnist: &[u8]) -> Result<Arc<Mnist>, JsError> {
    Ok(Arc::new(Mnist::parse(mnist).map_err(js_err)?))
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
        let config = parse(&config).map_err(js_err)?;
        let (backend, device) = device_of(&backend).await?;
        let trainer = ImageTrainer::new(config, digits(&mnist)?, &device).map_err(js_err)?;
        Ok(ImageGanTrainer { trainer, backend })
    }

    /// Continues an image run saved by `save` (the file's bytes) on `backend` ("cpu" as in
    /// `create`), over the MNIST asset's bytes; rejects with a message for a file that is not an
    /// image run, is truncated or corrupt, or does not fit its architecture.
    pub async fn load(
        bytes: Vec<u8>,
        backend: String,
        mnist: Vec<u8>,
    ) -> Result<ImageGanTrainer, JsError> {
        let (backend, device) = device_of(&backend).await?;
        let trainer = ImageTrainer::load(&bytes, digits(&mnist)?, &device).map_err(js_err)?;
        Ok(ImageGanTrainer { trainer, backend })
    }

    /// Trains `rounds` rounds (k D updates + one G update each) without reading back.
    pub fn train(&mut self, rounds: u32) -> Result<(), JsError> {
        check_rounds("train", rounds, self.trainer.config().cost())?;
        self.trainer.train(rounds as usize);
        Ok(())
    }

    /// Trains `rounds` rounds, then resolves to `{step, lossD, lossG}`; rejects on NaN.
    pub fn step(&mut self, rounds: u32) -> Result<Promise, JsError> {
        check_rounds("step", rounds, self.trainer.config().cost())?;
        self.trainer.train(rounds as usize);
        Ok(self.losses())
    }

    /// Resolves to the last round's `{step, lossD, lossG}`.
    pub fn losses(&self) -> Promise {
        promise_of(self.trainer.losses())
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
        if !(0.0..=9_007_199_254_740_991.0).contains(&seed) || seed.fract() != 0.0 {
            return Err(JsError::new("seed: a whole number from 0 to 2^53 - 1"));
        }
        let z = self
            .trainer
            .seeded_latents(n.clamp(1, 1024) as usize, seed as u64, truncation)
            .map_err(js_err)?;
        Ok(Float32Array::from(z.as_slice()))
    }

    /// A conditional run's grid by digit: `columns` of the grid's fixed latents, each given
    /// every label in turn (row r is digit r, a column keeps its noise), components beyond
    /// `truncation` redrawn; flat `[10 * columns * zDim]`. Throws for a run without a label.
    #[wasm_bindgen(js_name = labelRows)]
    pub fn label_rows(
        &self,
        columns: u32,
        truncation: Option<f64>,
    ) -> Result<Float32Array, JsError> {
        let z = self
            .trainer
            .label_rows(columns.clamp(1, 100) as usize, truncation)
            .map_err(js_err)?;
        Ok(Float32Array::from(z.as_slice()))
    }

    /// Resolves to G's images of `latents` (flat, a multiple of zDim): a Float32Array of
    /// 784 pixels per latent, row-major 28 x 28, in [0, 1] (0 black).
    pub fn images(&self, latents: Vec<f32>) -> Result<Promise, JsError> {
        Ok(promise_f32(self.trainer.images(&latents).map_err(js_err)?))
    }

    /// Resolves to D's realness score of each image in `pixels` (784 per image in [0, 1],
    /// flat), a Float32Array, in inference mode; throws, naming the image, for a pixel outside
    /// [0, 1] or not a whole number of images.
    pub fn discriminate(&self, pixels: Vec<f32>) -> Result<Promise, JsError> {
        Ok(promise_f32(
            self.trainer.discriminate(&pixels).map_err(js_err)?,
        ))
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

    /// An SGAN run's D and its baseline classifier on the test split, resolves to `{step, n,
    /// sgan: {accuracy, confusion}, baseline: {...}}` (confusion: counts, row = true digit,
    /// column = the digit called, flat 100); throws for the other families.
    #[wasm_bindgen(js_name = heldOut)]
    pub fn held_out(&self) -> Result<Promise, JsError> {
        Ok(promise_of(self.trainer.held_out().map_err(js_err)?))
    }

    /// An SGAN run's labelled training digits, `{pixels, labels}`: 784 pixels each in [0, 1]
    /// (flat Float32Array) and their digits (Uint8Array), class by class; empty for the other
    /// families.
    #[wasm_bindgen(js_name = labelledImages)]
    pub fn labelled_images(&self) -> Result<JsValue, JsError> {
        let (pixels, labels) = self.trainer.labelled_images();
        let out = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &k.into(), &v);
        set("pixels", Float32Array::from(pixels.as_slice()).into())
            .and_then(|_| set("labels", js_sys::Uint8Array::from(labels.as_slice()).into()))
            .map_err(|_| JsError::new("could not build the labelled digits"))?;
        Ok(out.into())
    }
}

run_handle!(
    ImageGanTrainer,
    "Scalars of `[G, D]`: parameters, and batch norm's running statistics."
);
