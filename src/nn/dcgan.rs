//! DCGAN's pair (Radford et al., 2016) at 28 x 28, behind flat `[batch, 784]` images in
//! [-1, 1], sized for the CPU in a page (base width c, 16 by default: under half the time a
//! round of c = 32 takes, with digits as soon; figures in docs/decisions.md):
//! - G: z -> linear -> 2c x 7 x 7 -> BN, ReLU -> transposed conv 4x4 stride 2 -> c x 14 x 14
//!   -> BN, ReLU -> [conv 3x3 stride 1 -> c x 14 x 14 -> BN, ReLU: `refine`]
//!   -> transposed conv 4x4 stride 2 -> 1 x 28 x 28 -> tanh.
//! - D: 1 x 28 x 28 -> conv 4x4 stride 2 -> c x 14 x 14 -> LeakyReLU(0.2) -> conv 4x4
//!   stride 2 -> 2c x 7 x 7 -> BN, LeakyReLU(0.2) -> conv 3x3 stride 2 -> 4c x 4 x 4 -> BN,
//!   LeakyReLU(0.2) -> linear -> its heads' outputs (see [`crate::nn::heads`]).
//!
//! D's third convolution costs 1.2x per round and is worth it: with two, D's linear head sees
//! only 10-pixel patches and can weigh strokes but not judge a whole digit, and G learned
//! clean strokes in shapes that are no digit (docs/image-sweep.md). G's 3x3 convolution at
//! 14 x 14 gives it a layer that keeps the resolution to refine strokes with.
//!
//! No pooling anywhere: strided convolutions downsample, strided transposed convolutions
//! upsample. No batch norm on D's input layer or G's output layer (the paper's advice).
//! Weights from N(0, 0.02), as the paper.

use burn::module::Module;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::nn::{BatchNorm, BatchNormConfig, Linear};
use burn::tensor::{Device, Tensor, activation};

use crate::gan::rng::Rng;
use crate::nn::init::{DCGAN, conv, linear, up};
use crate::nn::leaky_relu;

/// Side of an image in pixels.
pub const SIDE: usize = 28;
/// Pixels per image.
pub const PIXELS: usize = SIDE * SIDE;

/// DCGAN's generator's shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DcganGeneratorConfig {
    /// Size of the latent z.
    pub z_dim: usize,
    /// Base width c (channels at 14 x 14).
    pub width: usize,
    /// A 3x3 convolution (with batch norm and ReLU) at 14 x 14 before the last upsampling.
    pub refine: bool,
}

impl DcganGeneratorConfig {
    /// Multiply-adds of one sample's forward pass (for the cost estimate, `gan::cost`).
    pub fn macs(&self) -> f64 {
        let (c, z) = (self.width as f64, self.z_dim as f64);
        let refine = if self.refine {
            196.0 * 9.0 * c * c
        } else {
            0.0
        };
        // project z -> 2c x 7 x 7; 4x4 transposed convolutions from 7x7 (2c -> c) and from
        // 14x14 (c -> 1); the optional 3x3 at 14x14.
        z * 98.0 * c + 49.0 * 16.0 * 2.0 * c * c + refine + 196.0 * 16.0 * c
    }

    /// Floats one sample's forward pass keeps, the convolutions' unfolded inputs included.
    pub fn activations(&self) -> f64 {
        let c = self.width as f64;
        let refine = if self.refine {
            196.0 * c * 3.0 + 196.0 * 9.0 * c
        } else {
            0.0
        };
        self.z_dim as f64
            + 98.0 * c * 3.0
            + 196.0 * c * 3.0
            + 49.0 * 32.0 * c
            + refine
            + 2.0 * 784.0
            + 196.0 * 16.0 * c
    }

    /// A fresh generator, weights drawn from `rng` layer by layer.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> DcganGenerator {
        let c = self.width;
        let project = linear(self.z_dim, 2 * c * 7 * 7, DCGAN, rng, device);
        let up1 = up([2 * c, c], rng, device);
        let up2 = up([c, 1], rng, device);
        DcganGenerator {
            project,
            bn0: BatchNormConfig::new(2 * c).init(device),
            up1,
            bn1: BatchNormConfig::new(c).init(device),
            refine: self.refine.then(|| conv([c, c], 3, 1, DCGAN, rng, device)),
            bn_refine: self.refine.then(|| BatchNormConfig::new(c).init(device)),
            up2,
        }
    }
}

/// DCGAN's generator (see the module's documentation).
#[derive(Module, Debug)]
pub struct DcganGenerator {
    project: Linear,
    bn0: BatchNorm,
    up1: ConvTranspose2d,
    bn1: BatchNorm,
    /// The optional 3x3 convolution at 14 x 14, with its batch norm.
    refine: Option<Conv2d>,
    bn_refine: Option<BatchNorm>,
    up2: ConvTranspose2d,
}

impl DcganGenerator {
    /// `[batch, z_dim]` -> `[batch, 784]` in [-1, 1].
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
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

/// DCGAN's discriminator's shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DcganDiscriminatorConfig {
    /// Base width c (channels at 14 x 14).
    pub width: usize,
    /// Outputs of the linear head (1, or more for extra heads).
    pub outputs: usize,
}

impl DcganDiscriminatorConfig {
    /// Multiply-adds of one sample's forward pass (for the cost estimate, `gan::cost`).
    pub fn macs(&self) -> f64 {
        let c = self.width as f64;
        // 4x4 to 14x14 (1 -> c), 4x4 to 7x7 (c -> 2c), 3x3 to 4x4 (2c -> 4c), the head.
        196.0 * 16.0 * c
            + 49.0 * 16.0 * 2.0 * c * c
            + 16.0 * 9.0 * 8.0 * c * c
            + 64.0 * c * self.outputs as f64
    }

    /// Floats one sample's forward pass keeps, the convolutions' unfolded inputs included.
    pub fn activations(&self) -> f64 {
        let c = self.width as f64;
        784.0
            + 196.0 * 16.0
            + 196.0 * c * 2.0
            + 49.0 * 16.0 * c
            + 98.0 * c * 3.0
            + 16.0 * 18.0 * c
            + 64.0 * c * 3.0
    }

    /// A fresh discriminator, weights drawn from `rng` layer by layer.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> DcganDiscriminator {
        let c = self.width;
        DcganDiscriminator {
            down1: conv([1, c], 4, 2, DCGAN, rng, device),
            down2: conv([c, 2 * c], 4, 2, DCGAN, rng, device),
            bn2: BatchNormConfig::new(2 * c).init(device),
            down3: conv([2 * c, 4 * c], 3, 2, DCGAN, rng, device),
            bn3: BatchNormConfig::new(4 * c).init(device),
            head: linear(4 * c * 4 * 4, self.outputs, DCGAN, rng, device),
        }
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
    /// `[batch, 784]` -> `[batch, outputs]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.head(self.features(x))
    }

    /// The head's input, `[batch, 4c * 16]`: the features an SGAN's G matches.
    pub fn features(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = leaky_relu(self.down1.forward(h), 0.2); // [b, c, 14, 14]
        let h = leaky_relu(self.bn2.forward(self.down2.forward(h)), 0.2); // [b, 2c, 7, 7]
        let h = leaky_relu(self.bn3.forward(self.down3.forward(h)), 0.2); // [b, 4c, 4, 4]
        let [_, c4, _, _] = h.dims();
        h.reshape([b, c4 * 4 * 4])
    }

    /// The linear head alone: `forward(x)` is `head(features(x))`.
    pub fn head(&self, h: Tensor<2>) -> Tensor<2> {
        self.head.forward(h)
    }
}
