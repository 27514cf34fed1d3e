//! The image GANs' networks: an MLP pair as in Goodfellow et al. (2014) and the DCGAN pair of
//! Radford et al. (2016), both behind one interface of flat `[batch, 784]` images in [-1, 1].
//!
//! DCGAN, sized for the CPU in a page (base width c, 16 by default: 76 ms per batch-64 round
//! natively against 194 ms at c = 32, and digits after 2,000 rounds):
//! - G: z -> linear -> 2c x 7 x 7 -> BN, ReLU -> transposed conv 4x4 stride 2 -> c x 14 x 14
//!   -> BN, ReLU -> [conv 3x3 stride 1 -> c x 14 x 14 -> BN, ReLU: `genRefine`, on by default]
//!   -> transposed conv 4x4 stride 2 -> 1 x 28 x 28 -> tanh.
//! - D: 1 x 28 x 28 -> conv 4x4 stride 2 -> c x 14 x 14 -> LeakyReLU(0.2) -> conv 4x4
//!   stride 2 -> 2c x 7 x 7 -> BN, LeakyReLU(0.2) -> conv 3x3 stride 2 -> 4c x 4 x 4 -> BN,
//!   LeakyReLU(0.2) -> linear -> 1 logit [and, with an InfoGAN code of k categories, k more
//!   outputs from the same linear layer: Q's logits for the fake's category].
//!
//! D's third convolution costs 1.2x per round and is worth it: with two, D's linear head sees
//! only 10-pixel patches and can weigh strokes but not judge a whole digit, and G learned
//! clean strokes in shapes that are no digit. With it, after 2,500 rounds the shipped classifier
//! was sure of 59.5 % and 62.1 % of the samples (seeds 1, 2) against 52.4 % and 54.6 %
//! (docs/image-sweep.md). G's 3x3 convolution at 14 x 14 (1.2x a round) gives it a layer that
//! keeps the resolution to refine strokes with: 64.9 % against 59.4 % after 3,000 rounds.
//!
//! No pooling anywhere: strided convolutions downsample, strided transposed convolutions
//! upsample. No batch norm on D's input layer or G's output layer (the paper's advice).
//! Weights are drawn from N(0, 0.02) by the engine's RNG, as the paper does.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Initializer, Linear, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

use crate::mnist::PIXELS;
use crate::model::{Activation, Mlp};
use crate::rng::Rng;

/// Side of an image in pixels.
pub const SIDE: usize = 28;

/// Which pair of networks an image GAN uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImageArch {
    /// Fully connected networks with two hidden layers each (LeakyReLU), G ending in tanh.
    Mlp,
    /// Strided convolutions in D, transposed convolutions in G, batch normalisation.
    Dcgan,
}

impl ImageArch {
    /// The default width: hidden units per layer for the MLP, base channels for DCGAN.
    pub fn default_width(self) -> usize {
        match self {
            ImageArch::Mlp => 256,
            ImageArch::Dcgan => 16,
        }
    }
}

/// A tensor of `shape` with entries from N(0, std), drawn from `rng`.
fn normal<const D: usize>(
    shape: [usize; D],
    std: f64,
    rng: &mut Rng,
    device: &Device,
) -> Tensor<D> {
    let n = shape.iter().product();
    let v: Vec<f32> = (0..n).map(|_| (rng.normal() * std) as f32).collect();
    Tensor::from_data(TensorData::new(v, shape), device)
}

/// DCGAN's weight initialisation: N(0, 0.02).
const INIT_STD: f64 = 0.02;

fn dense(d_in: usize, d_out: usize, rng: &mut Rng, device: &Device) -> Linear {
    Linear {
        weight: Param::from_tensor(normal([d_in, d_out], INIT_STD, rng, device)),
        bias: Some(Param::from_tensor(Tensor::zeros([d_out], device))),
    }
}

/// A `kernel` x `kernel` convolution with padding 1: at stride 2 it halves the side (4x4) or
/// takes an odd side n to (n + 1) / 2 (3x3); a 3x3 at stride 1 keeps the side.
fn conv(
    c_in: usize,
    c_out: usize,
    kernel: usize,
    stride: usize,
    rng: &mut Rng,
    device: &Device,
) -> Conv2d {
    let mut conv = Conv2dConfig::new([c_in, c_out], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_initializer(Initializer::Zeros)
        .init(device);
    conv.weight = Param::from_tensor(normal([c_out, c_in, kernel, kernel], INIT_STD, rng, device));
    conv
}

/// A 4x4, stride-2, padding-1 transposed convolution: doubles the side.
fn up(c_in: usize, c_out: usize, rng: &mut Rng, device: &Device) -> ConvTranspose2d {
    let mut conv = ConvTranspose2dConfig::new([c_in, c_out], [4, 4])
        .with_stride([2, 2])
        .with_padding([1, 1])
        .with_initializer(Initializer::Zeros)
        .init(device);
    conv.weight = Param::from_tensor(normal([c_in, c_out, 4, 4], INIT_STD, rng, device));
    conv
}

/// DCGAN's generator (see the module's documentation).
#[derive(Module, Debug)]
pub struct DcganGenerator {
    project: Linear,
    bn0: BatchNorm,
    up1: ConvTranspose2d,
    bn1: BatchNorm,
    /// The optional 3x3 convolution at 14 x 14 (`genRefine`), with its batch norm.
    refine: Option<Conv2d>,
    bn_refine: Option<BatchNorm>,
    up2: ConvTranspose2d,
}

impl DcganGenerator {
    fn new(z_dim: usize, c: usize, refine: bool, rng: &mut Rng, device: &Device) -> Self {
        let project = dense(z_dim, 2 * c * 7 * 7, rng, device);
        let up1 = up(2 * c, c, rng, device);
        let up2 = up(c, 1, rng, device);
        Self {
            project,
            bn0: BatchNormConfig::new(2 * c).init(device),
            up1,
            bn1: BatchNormConfig::new(c).init(device),
            refine: refine.then(|| conv(c, c, 3, 1, rng, device)),
            bn_refine: refine.then(|| BatchNormConfig::new(c).init(device)),
            up2,
        }
    }

    fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        let b = z.dims()[0];
        let c2 = self.bn0.gamma.dims()[0];
        let h = self.project.forward(z).reshape([b, c2, 7, 7]);
        let h = activation::relu(self.bn0.forward(h));
        let mut h = activation::relu(self.bn1.forward(self.up1.forward(h))); // [b, c, 14, 14]
        if let (Some(conv), Some(bn)) = (&self.refine, &self.bn_refine) {
            h = activation::relu(bn.forward(conv.forward(h))); // [b, c, 14, 14]
        }
        activation::tanh(self.up2.forward(h)).reshape([b, PIXELS]) // [b, 1, 28, 28] flat
    }
}

/// DCGAN's discriminator (see the module's documentation).
#[derive(Module, Debug)]
pub struct DcganDiscriminator {
    down1: Conv2d,
    down2: Conv2d,
    bn2: BatchNorm,
    down3: Conv2d,
    bn3: BatchNorm,
    head: Linear,
}

impl DcganDiscriminator {
    fn new(c: usize, outputs: usize, rng: &mut Rng, device: &Device) -> Self {
        Self {
            down1: conv(1, c, 4, 2, rng, device),
            down2: conv(c, 2 * c, 4, 2, rng, device),
            bn2: BatchNormConfig::new(2 * c).init(device),
            down3: conv(2 * c, 4 * c, 3, 2, rng, device),
            bn3: BatchNormConfig::new(4 * c).init(device),
            head: dense(4 * c * 4 * 4, outputs, rng, device),
        }
    }

    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = activation::leaky_relu(self.down1.forward(h), 0.2); // [b, c, 14, 14]
        let h = activation::leaky_relu(self.bn2.forward(self.down2.forward(h)), 0.2); // [b, 2c, 7, 7]
        let h = activation::leaky_relu(self.bn3.forward(self.down3.forward(h)), 0.2); // [b, 4c, 4, 4]
        let [_, c4, _, _] = h.dims();
        self.head.forward(h.reshape([b, c4 * 4 * 4]))
    }
}

/// An image generator: `[batch, z_dim]` -> `[batch, 784]` in [-1, 1].
// One network per run is held: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum ImageGenerator {
    /// z -> width -> width -> 784, LeakyReLU(0.2), tanh out.
    Mlp(Mlp),
    /// See [`DcganGenerator`].
    Dcgan(DcganGenerator),
}

/// An image discriminator: `[batch, 784]` -> `[batch, outputs]`: a logit (or a score for the
/// least-squares and hinge losses), then, for a run with an InfoGAN code, Q's logits of its
/// categories (one linear head shared by both: Q costs D 2,049 weights a category at c = 32).
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum ImageDiscriminator {
    /// 784 -> width -> width -> outputs, LeakyReLU(0.2).
    Mlp(Mlp),
    /// See [`DcganDiscriminator`].
    Dcgan(DcganDiscriminator),
}

impl ImageGenerator {
    /// A fresh generator of `arch` with latent size `z_dim` and width `width`; `refine` adds
    /// DCGAN's 3x3 convolution at 14 x 14.
    pub fn new(
        arch: ImageArch,
        z_dim: usize,
        width: usize,
        refine: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        match arch {
            ImageArch::Mlp => ImageGenerator::Mlp(Mlp::new(
                z_dim,
                2,
                width,
                PIXELS,
                Activation::LeakyRelu,
                rng,
                device,
            )),
            ImageArch::Dcgan => {
                ImageGenerator::Dcgan(DcganGenerator::new(z_dim, width, refine, rng, device))
            }
        }
    }

    /// `[batch, z_dim]` -> `[batch, 784]` in [-1, 1].
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        match self {
            ImageGenerator::Mlp(m) => activation::tanh(m.forward(z)),
            ImageGenerator::Dcgan(g) => g.forward(z),
        }
    }
}

impl ImageDiscriminator {
    /// A fresh discriminator of `arch` with width `width` and `outputs` outputs (1, or 1 + the
    /// code's categories).
    pub fn new(
        arch: ImageArch,
        width: usize,
        outputs: usize,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        match arch {
            ImageArch::Mlp => ImageDiscriminator::Mlp(Mlp::new(
                PIXELS,
                2,
                width,
                outputs,
                Activation::LeakyRelu,
                rng,
                device,
            )),
            ImageArch::Dcgan => {
                ImageDiscriminator::Dcgan(DcganDiscriminator::new(width, outputs, rng, device))
            }
        }
    }

    /// `[batch, 784]` -> `[batch, outputs]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            ImageDiscriminator::Mlp(m) => m.forward(x),
            ImageDiscriminator::Dcgan(d) => d.forward(x),
        }
    }
}
