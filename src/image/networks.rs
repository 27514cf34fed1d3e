//! The image GANs' networks: an MLP pair as in Goodfellow et al. (2014) and the DCGAN pair of
//! Radford et al. (2016) ([`crate::nn::dcgan`]), both behind one interface of flat
//! `[batch, 784]` images in [-1, 1]. Every image family builds its G and D here.

use burn::module::Module;
use burn::tensor::{Device, Tensor, activation};
use serde::{Deserialize, Serialize};

use crate::gan::rng::Rng;
use crate::nn::dcgan::{
    DcganDiscriminator, DcganDiscriminatorConfig, DcganGenerator, DcganGeneratorConfig, PIXELS,
};
use crate::nn::{Activation, Mlp, MlpConfig};

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

/// An image discriminator: `[batch, 784]` -> `[batch, outputs]`, its heads' columns (see
/// [`crate::nn::Heads`]).
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum ImageDiscriminator {
    /// 784 -> width -> width -> outputs, LeakyReLU(0.2).
    Mlp(Mlp),
    /// See [`DcganDiscriminator`].
    Dcgan(DcganDiscriminator),
}

/// The shape of an image generator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageGeneratorConfig {
    /// The networks.
    pub arch: ImageArch,
    /// Size of the latent z.
    pub z_dim: usize,
    /// Hidden units (MLP) or base channels (DCGAN).
    pub width: usize,
    /// DCGAN only: a 3x3 convolution in G at 14 x 14.
    pub refine: bool,
}

impl ImageGeneratorConfig {
    fn mlp(&self) -> MlpConfig {
        MlpConfig {
            d_in: self.z_dim,
            hidden: 2,
            width: self.width,
            d_out: PIXELS,
            activation: Activation::LeakyRelu,
        }
    }

    fn dcgan(&self) -> DcganGeneratorConfig {
        DcganGeneratorConfig {
            z_dim: self.z_dim,
            width: self.width,
            refine: self.refine,
        }
    }

    /// (multiply-adds, floats kept) of one sample's forward pass, for the cost estimate.
    pub fn cost(&self) -> (f64, f64) {
        match self.arch {
            ImageArch::Mlp => (self.mlp().macs(), self.mlp().activations() + PIXELS as f64),
            ImageArch::Dcgan => (self.dcgan().macs(), self.dcgan().activations()),
        }
    }

    /// A fresh generator, weights drawn from `rng`.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> ImageGenerator {
        match self.arch {
            ImageArch::Mlp => ImageGenerator::Mlp(self.mlp().init(rng, device)),
            ImageArch::Dcgan => ImageGenerator::Dcgan(self.dcgan().init(rng, device)),
        }
    }
}

/// The shape of an image discriminator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageDiscriminatorConfig {
    /// The networks.
    pub arch: ImageArch,
    /// Hidden units (MLP) or base channels (DCGAN).
    pub width: usize,
    /// Outputs of the last layer: its heads' (1, or 1 + an InfoGAN code's categories).
    pub outputs: usize,
}

impl ImageDiscriminatorConfig {
    fn mlp(&self) -> MlpConfig {
        MlpConfig {
            d_in: PIXELS,
            hidden: 2,
            width: self.width,
            d_out: self.outputs,
            activation: Activation::LeakyRelu,
        }
    }

    fn dcgan(&self) -> DcganDiscriminatorConfig {
        DcganDiscriminatorConfig {
            width: self.width,
            outputs: self.outputs,
        }
    }

    /// (multiply-adds, floats kept) of one sample's forward pass, for the cost estimate.
    pub fn cost(&self) -> (f64, f64) {
        match self.arch {
            ImageArch::Mlp => (self.mlp().macs(), self.mlp().activations()),
            ImageArch::Dcgan => (self.dcgan().macs(), self.dcgan().activations()),
        }
    }

    /// A fresh discriminator, weights drawn from `rng`.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> ImageDiscriminator {
        match self.arch {
            ImageArch::Mlp => ImageDiscriminator::Mlp(self.mlp().init(rng, device)),
            ImageArch::Dcgan => ImageDiscriminator::Dcgan(self.dcgan().init(rng, device)),
        }
    }
}

impl ImageGenerator {
    /// `[batch, z_dim]` -> `[batch, 784]` in [-1, 1].
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        match self {
            ImageGenerator::Mlp(m) => activation::tanh(m.forward(z)),
            ImageGenerator::Dcgan(g) => g.forward(z),
        }
    }
}

impl ImageDiscriminator {
    /// `[batch, 784]` -> `[batch, outputs]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            ImageDiscriminator::Mlp(m) => m.forward(x),
            ImageDiscriminator::Dcgan(d) => d.forward(x),
        }
    }

    /// The input of D's last layer, `[batch, features]`.
    pub fn features(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            ImageDiscriminator::Mlp(m) => m.features(x),
            ImageDiscriminator::Dcgan(d) => d.features(x),
        }
    }

    /// D's last layer on `features`: `forward(x)` is `head(features(x))`.
    pub fn head(&self, features: Tensor<2>) -> Tensor<2> {
        match self {
            ImageDiscriminator::Mlp(m) => m.last(features),
            ImageDiscriminator::Dcgan(d) => d.head(features),
        }
    }
}

/// What an image run trains on D's side: D, and for an SGAN run the baseline classifier (the
/// same network trained on the labelled digits alone), one module so that one optimiser
/// steps both and a saved run holds both (D's numbers first: files of the other families,
/// which have no baseline, read as before).
#[derive(Module, Debug)]
pub struct ImageCritic {
    /// The discriminator.
    pub d: ImageDiscriminator,
    /// SGAN's baseline classifier.
    pub baseline: Option<ImageDiscriminator>,
}
