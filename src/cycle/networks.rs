//! CycleGAN's networks at 28 x 28 (Zhu et al., 2017, scaled down from 256 x 256), behind flat
//! `[batch, 784]` images in [-1, 1]:
//! - a generator (G: A -> B, and F: B -> A, the same shape): 3x3 conv 1 -> c at 28 x 28,
//!   4x4 stride-2 conv c -> 2c to 14 x 14, `blocks` residual blocks (3x3, 3x3) at 14 x 14,
//!   4x4 stride-2 transposed conv 2c -> c back to 28 x 28, 3x3 conv c -> 1, tanh; instance
//!   norm and ReLU after every layer but the last, as the paper's ResNet generator;
//! - a patch discriminator (PatchGAN): 4x4 stride-2 conv 1 -> c (LeakyReLU 0.2), 4x4 stride-2
//!   conv c -> 2c (instance norm, LeakyReLU 0.2), 3x3 conv 2c -> 1: one logit for each of the
//!   7 x 7 overlapping 18 x 18-pixel patches (the paper's 70 x 70 patches on 256 x 256).
//!
//! Instance norm without learned scale (the paper's code: `affine=False`): it keeps no running
//! statistics, so training and viewing compute the same thing. Weights from N(0, 0.02).

use burn::module::Module;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::tensor::{Device, Tensor, activation};

use crate::data::PIXELS;
use crate::gan::rng::Rng;
use crate::nn::init::{DCGAN, conv, eager, up};
use crate::nn::leaky_relu;

/// Side of an image.
const SIDE: usize = 28;
/// Patches per image the discriminator judges (7 x 7).
pub const PATCHES: usize = 49;
/// Instance norm's epsilon (PyTorch's).
const EPS: f64 = 1e-5;

/// Each image's each channel brought to mean 0 and variance 1 over its pixels (biased
/// variance, plus 1e-5), as `InstanceNorm2d(affine=False)`.
pub fn instance_norm(x: Tensor<4>) -> Tensor<4> {
    let [b, c, h, w] = x.dims();
    let flat = x.reshape([b, c, h * w]);
    let centred = flat.clone() - flat.mean_dim(2);
    let var = centred.clone().square().mean_dim(2);
    (centred / var.add_scalar(EPS).sqrt()).reshape([b, c, h, w])
}

/// A residual block: x + IN(conv(ReLU(IN(conv(x))))).
#[derive(Module, Debug)]
pub struct ResBlock {
    first: Conv2d,
    second: Conv2d,
}

impl ResBlock {
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let h = activation::relu(instance_norm(self.first.forward(x.clone())));
        x + instance_norm(self.second.forward(h))
    }
}

/// One of the two generators (see the module's documentation).
#[derive(Module, Debug)]
pub struct CycleGenerator {
    input: Conv2d,
    down: Conv2d,
    blocks: Vec<ResBlock>,
    up: ConvTranspose2d,
    output: Conv2d,
}

impl CycleGenerator {
    /// A fresh generator of base width `c` with `blocks` residual blocks, drawn from `rng`.
    pub fn init(c: usize, blocks: usize, rng: &mut Rng, device: &Device) -> Self {
        let input = eager(conv([1, c], 3, 1, DCGAN, rng, device));
        let down = eager(conv([c, 2 * c], 4, 2, DCGAN, rng, device));
        let blocks = (0..blocks)
            .map(|_| ResBlock {
                first: eager(conv([2 * c, 2 * c], 3, 1, DCGAN, rng, device)),
                second: eager(conv([2 * c, 2 * c], 3, 1, DCGAN, rng, device)),
            })
            .collect();
        let up = up([2 * c, c], rng, device);
        let output = eager(conv([c, 1], 3, 1, DCGAN, rng, device));
        Self {
            input,
            down,
            blocks,
            up,
            output,
        }
    }

    /// `[batch, 784]` -> `[batch, 784]`, both in [-1, 1].
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = activation::relu(instance_norm(self.input.forward(h))); // [b, c, 28, 28]
        let mut h = activation::relu(instance_norm(self.down.forward(h))); // [b, 2c, 14, 14]
        for block in &self.blocks {
            h = block.forward(h);
        }
        let h = activation::relu(instance_norm(self.up.forward(h))); // [b, c, 28, 28]
        activation::tanh(self.output.forward(h)).reshape([b, PIXELS])
    }
}

/// A patch discriminator (see the module's documentation).
#[derive(Module, Debug)]
pub struct PatchCritic {
    down1: Conv2d,
    down2: Conv2d,
    head: Conv2d,
}

impl PatchCritic {
    /// A fresh discriminator of base width `c`, drawn from `rng`.
    pub fn init(c: usize, rng: &mut Rng, device: &Device) -> Self {
        Self {
            down1: eager(conv([1, c], 4, 2, DCGAN, rng, device)),
            down2: eager(conv([c, 2 * c], 4, 2, DCGAN, rng, device)),
            head: eager(conv([2 * c, 1], 3, 1, DCGAN, rng, device)),
        }
    }

    /// `[batch, 784]` -> `[batch * 49, 1]`: every patch's logit, image by image.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = leaky_relu(self.down1.forward(h), 0.2); // [b, c, 14, 14]
        let h = leaky_relu(instance_norm(self.down2.forward(h)), 0.2); // [b, 2c, 7, 7]
        self.head.forward(h).reshape([b * PATCHES, 1])
    }
}

/// Both generators: G (A -> B) and F (B -> A), one optimiser for both (as the paper's code).
#[derive(Module, Debug)]
pub struct Generators {
    /// G: MNIST -> UCI.
    pub g: CycleGenerator,
    /// F: UCI -> MNIST.
    pub f: CycleGenerator,
}

/// Both discriminators: D_A judges MNIST-style images, D_B UCI-style ones.
#[derive(Module, Debug)]
pub struct Critics {
    /// D_A: real A against F's fakes.
    pub a: PatchCritic,
    /// D_B: real B against G's fakes.
    pub b: PatchCritic,
}
