//! A small digit classifier, trained by the project's own native command (`images
//! classifier-train`, [`crate::eval::train`]) on the training split of the shipped digits and
//! shipped as `assets/classifier.bin`: the judge of the image GANs' samples ([`crate::eval::
//! share`]).
//!
//! Besides the ten digits it has an eleventh class, "not a digit", trained on synthetic
//! non-digits (flat grey, pixel noise, smooth blobs): a plain ten-way classifier, shown an
//! untrained generator's grey fog, called all of it an 8 with confidence over 0.9, and the
//! metric must not reward that.
//!
//! Network: 1 x 28 x 28 -> conv 3x3 (16) -> conv 4x4 stride 2 (32, 14 x 14) -> conv 4x4
//! stride 2 (64, 7 x 7) -> conv 3x3 stride 2 (64, 4 x 4) -> linear 1024 -> 11, ReLU between,
//! 89,419 weights, PyTorch's default initialisation.
//!
//! File: the engine's container ([`FileKind::Classifier`]: magic `GANCLS\0\x01`, u32 LE header
//! length, JSON header [`ClassifierInfo`]), then the weights (f32 LE, in the module's visiting
//! order).

use burn::module::Module;
use burn::nn::Linear;
use burn::nn::conv::Conv2d;
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

use crate::data::PIXELS;
use crate::error::GanError;
use crate::gan::params::assign;
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::gan::runfile::{self, FileKind};
use crate::nn::init::{Init, conv, linear};

/// Outputs: the ten digits, then "not a digit".
pub const CLASSES: usize = 11;
/// Width of the evaluation features ([`DigitClassifier::features`]).
pub const FEATURES: usize = 64;
/// The index of the "not a digit" class.
pub const NOT_A_DIGIT: usize = 10;
/// Side of an image in pixels.
pub(crate) const SIDE: usize = 28;

/// What a classifier file says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifierInfo {
    /// The architecture, in words.
    pub architecture: String,
    /// Number of weights that follow the header.
    pub params: usize,
    /// Epochs trained; the kept weights are those of epoch `best_epoch`.
    pub epochs: usize,
    /// The epoch (1-based) with the best validation accuracy.
    pub best_epoch: usize,
    /// Seed of the training run.
    pub seed: u64,
    /// Accuracy on the validation split at `best_epoch`.
    pub validation_accuracy: f64,
    /// Accuracy on the test split (scored once, after training).
    pub test_accuracy: f64,
}

/// The classifier network.
#[derive(Module, Debug)]
pub struct DigitClassifier {
    c1: Conv2d,
    c2: Conv2d,
    c3: Conv2d,
    c4: Conv2d,
    head: Linear,
}

impl DigitClassifier {
    /// A fresh network, weights from `rng` (PyTorch's default ranges).
    pub fn new(rng: &mut Rng, device: &Device) -> Self {
        let init = Init::FanInUniform;
        Self {
            c1: conv([1, 16], 3, 1, init, rng, device),
            c2: conv([16, 32], 4, 2, init, rng, device),
            c3: conv([32, 64], 4, 2, init, rng, device),
            c4: conv([64, 64], 3, 2, init, rng, device),
            head: linear(1024, CLASSES, init, rng, device),
        }
    }

    /// `[batch, 784]` pixels in [0, 1] -> `[batch, 11]` logits (digits 0-9, not a digit).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = activation::relu(self.c1.forward(h));
        let h = activation::relu(self.c2.forward(h)); // [b, 32, 14, 14]
        let h = activation::relu(self.c3.forward(h)); // [b, 64, 7, 7]
        let h = activation::relu(self.c4.forward(h)); // [b, 64, 4, 4]
        self.head.forward(h.reshape([b, 1024]))
    }

    /// The evaluation features of `[batch, 784]` pixels: the spatial mean of the last
    /// convolution's ReLU activations, `[batch, 64]` (as Inception's pool3 is the spatial mean of
    /// its last block), and the class probabilities over the ten digits (a softmax of the digit
    /// logits: "not a digit" left out), `[batch, 10]`.
    pub fn features(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = activation::relu(self.c1.forward(h));
        let h = activation::relu(self.c2.forward(h));
        let h = activation::relu(self.c3.forward(h));
        let h = activation::relu(self.c4.forward(h)); // [b, 64, 4, 4]
        let pooled = h
            .clone()
            .reshape([b, FEATURES, 16])
            .mean_dim(2)
            .reshape([b, FEATURES]);
        let logits = self.head.forward(h.reshape([b, 1024]));
        let digits = activation::softmax(logits.slice([0..b, 0..10]), 1);
        (pooled, digits)
    }

    /// [`Self::features`] of `[n * 784]` pixels in [0, 1] in batches of 500, read back once,
    /// asynchronously: `(features [n * 64], probabilities [n * 10])`.
    pub fn feature_rows(
        &self,
        pixels: &[f32],
        device: &Device,
    ) -> impl Future<Output = Result<(Vec<f32>, Vec<f32>), GanError>> + 'static {
        let flat = self.batched(pixels, device, |x| {
            let (f, p) = self.features(x);
            Tensor::cat(vec![f, p], 1)
        });
        async move {
            let flat = flat.await?;
            let w = FEATURES + 10;
            let features = flat
                .chunks_exact(w)
                .flat_map(|r| r[..FEATURES].to_vec())
                .collect();
            let probs = flat
                .chunks_exact(w)
                .flat_map(|r| r[FEATURES..].to_vec())
                .collect();
            Ok((features, probs))
        }
    }

    /// Class probabilities of `[n * 784]` pixels in [0, 1], `[n * 11]`, in batches of 500,
    /// read back once, asynchronously.
    pub fn probabilities(
        &self,
        pixels: &[f32],
        device: &Device,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        self.batched(pixels, device, |x| activation::softmax(self.forward(x), 1))
    }

    /// `f` of `[n * 784]` pixels in batches of 500, concatenated and read back once,
    /// asynchronously (flat; empty for no pixels).
    fn batched(
        &self,
        pixels: &[f32],
        device: &Device,
        f: impl Fn(Tensor<2>) -> Tensor<2>,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let n = pixels.len() / PIXELS;
        let parts: Vec<Tensor<2>> = (0..n)
            .step_by(500)
            .map(|start| {
                let m = (n - start).min(500);
                f(Tensor::<2>::from_data(
                    TensorData::new(
                        pixels[start * PIXELS..(start + m) * PIXELS].to_vec(),
                        [m, PIXELS],
                    ),
                    device,
                ))
            })
            .collect();
        let all = (!parts.is_empty()).then(|| Tensor::cat(parts, 0));
        async move {
            match all {
                Some(t) => read_vec(t).await,
                None => Ok(Vec::new()),
            }
        }
    }

    /// Reads a classifier file; refuses anything else with a message.
    pub fn load(bytes: &[u8], device: &Device) -> Result<(Self, ClassifierInfo), GanError> {
        let (info, at): (ClassifierInfo, usize) = runfile::header(FileKind::Classifier, bytes)?;
        let net = DigitClassifier::new(&mut Rng::new(0), device);
        let n = net.num_params();
        let weights = runfile::floats(FileKind::Classifier, bytes, at, n)?;
        if info.params != n {
            return Err(GanError::Data(format!(
                "classifier file: its header lists {} weights for a network of {n}",
                info.params
            )));
        }
        Ok((assign(net, &weights), info))
    }

    /// This network as a classifier file (native: the weights are read back synchronously).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_bytes(&self, info: &ClassifierInfo) -> Vec<u8> {
        let weights = futures_lite::future::block_on(read_vec(crate::gan::params::flat_floats(
            &self.valid(),
        )))
        .expect("a CPU readback");
        runfile::write(FileKind::Classifier, info, &weights)
    }
}
