//! Seeded initialisers and layer builders. Every weight is drawn from the run's own RNG (so a
//! seed gives the same network on every backend), in a fixed order: weights, then biases.
//!
//! Two schemes: PyTorch's default for linear and convolutional layers, U(-1/sqrt(fan_in),
//! 1/sqrt(fan_in)) for weights and biases alike (the 2-D MLPs, the digit classifier), and
//! DCGAN's N(0, 0.02) for weights with zero biases (Radford et al., 2016).

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Initializer, Linear, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData};

use crate::gan::rng::Rng;

/// How a layer's weights are drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// PyTorch's default: weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    FanInUniform,
    /// Weights from N(0, std), biases zero (DCGAN: std 0.02).
    Normal(f64),
}

/// DCGAN's weight spread: N(0, 0.02).
pub const DCGAN_STD: f64 = 0.02;
/// DCGAN's initialisation.
pub const DCGAN: Init = Init::Normal(DCGAN_STD);

/// A tensor of `shape` with entries from U(-bound, bound), drawn from `rng`.
pub fn uniform<const D: usize>(
    shape: [usize; D],
    bound: f64,
    rng: &mut Rng,
    device: &Device,
) -> Tensor<D> {
    let n = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|_| rng.uniform_in(-bound, bound) as f32)
        .collect();
    Tensor::from_data(TensorData::new(v, shape), device)
}

/// A tensor of `shape` with entries from N(0, std), drawn from `rng`.
pub fn normal<const D: usize>(
    shape: [usize; D],
    std: f64,
    rng: &mut Rng,
    device: &Device,
) -> Tensor<D> {
    let n = shape.iter().product();
    let v: Vec<f32> = (0..n).map(|_| (rng.normal() * std) as f32).collect();
    Tensor::from_data(TensorData::new(v, shape), device)
}

/// The weight (of `shape`, `fan_in` inputs per output) and the bias (`len`) of a layer.
fn draw<const D: usize>(
    init: Init,
    shape: [usize; D],
    fan_in: usize,
    len: usize,
    rng: &mut Rng,
    device: &Device,
) -> (Tensor<D>, Tensor<1>) {
    match init {
        Init::FanInUniform => {
            let bound = 1.0 / (fan_in as f64).sqrt();
            let w = uniform(shape, bound, rng, device);
            (w, uniform([len], bound, rng, device))
        }
        Init::Normal(std) => (
            normal(shape, std, rng, device),
            Tensor::zeros([len], device),
        ),
    }
}

/// A linear layer `[batch, d_in]` -> `[batch, d_out]` (burn's layout: weight `[d_in, d_out]`,
/// forward x W + b).
pub fn linear(d_in: usize, d_out: usize, init: Init, rng: &mut Rng, device: &Device) -> Linear {
    let (w, b) = draw(init, [d_in, d_out], d_in, d_out, rng, device);
    Linear {
        weight: Param::from_tensor(w),
        bias: Some(Param::from_tensor(b)),
    }
}

/// A `kernel` x `kernel` convolution with padding 1: at stride 2 it halves the side (4x4) or
/// takes an odd side n to (n + 1) / 2 (3x3); a 3x3 at stride 1 keeps the side.
pub fn conv(
    [c_in, c_out]: [usize; 2],
    kernel: usize,
    stride: usize,
    init: Init,
    rng: &mut Rng,
    device: &Device,
) -> Conv2d {
    let mut conv = Conv2dConfig::new([c_in, c_out], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_initializer(Initializer::Zeros)
        .init(device);
    let shape = [c_out, c_in, kernel, kernel];
    let (w, b) = draw(init, shape, c_in * kernel * kernel, c_out, rng, device);
    conv.weight = Param::from_tensor(w);
    if init == Init::FanInUniform {
        conv.bias = Some(Param::from_tensor(b));
    }
    conv
}

/// A convolution with a zero bias built by [`conv`] (DCGAN's init), its bias a tensor now: burn
/// initialises a zero bias
/// lazily, and a lazy parameter shares its pending state with its clones, so a frozen copy
/// (`no_grad`) used before the layer's own first update takes the bias out of training (the
/// CycleGAN's discriminators lost theirs so: docs/decisions.md).
pub fn eager(mut layer: Conv2d) -> Conv2d {
    if layer.bias.is_some() {
        let weight = layer.weight.val(); // [c_out, c_in, k, k]
        layer.bias = Some(Param::from_tensor(Tensor::zeros(
            [weight.dims()[0]],
            &weight.device(),
        )));
    }
    layer
}

/// A 4x4, stride-2, padding-1 transposed convolution with DCGAN's weights: doubles the side.
pub fn up([c_in, c_out]: [usize; 2], rng: &mut Rng, device: &Device) -> ConvTranspose2d {
    let mut conv = ConvTranspose2dConfig::new([c_in, c_out], [4, 4])
        .with_stride([2, 2])
        .with_padding([1, 1])
        .with_initializer(Initializer::Zeros)
        .init(device);
    conv.weight = Param::from_tensor(normal([c_in, c_out, 4, 4], DCGAN_STD, rng, device));
    conv
}
