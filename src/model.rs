//! The multilayer perceptrons used as generator and discriminator of the 2-D GANs.
//!
//! Weights are drawn by the engine's own RNG (PyTorch's default for linear layers:
//! U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases alike), so that one seed gives the
//! same network on every backend.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// The nonlinearity between hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Activation {
    /// max(0, x)
    Relu,
    /// max(0.2 x, x), DCGAN's choice for discriminators.
    LeakyRelu,
    /// tanh(x)
    Tanh,
}

impl Activation {
    fn apply(self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Activation::Relu => activation::relu(x),
            Activation::LeakyRelu => activation::leaky_relu(x, 0.2),
            Activation::Tanh => activation::tanh(x),
        }
    }
}

/// A fully connected network: `hidden` layers of `width` units, then a linear output layer.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activation: Activation,
}

/// A linear layer with weights drawn from `rng`.
fn linear(d_in: usize, d_out: usize, rng: &mut Rng, device: &Device) -> Linear {
    let bound = 1.0 / (d_in as f64).sqrt();
    let mut draw = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| rng.uniform_in(-bound, bound) as f32)
            .collect()
    };
    let w = draw(d_in * d_out);
    let b = draw(d_out);
    Linear {
        // burn's row layout: weight is [d_in, d_out] and forward computes x @ W + b.
        weight: Param::from_tensor(Tensor::from_data(TensorData::new(w, [d_in, d_out]), device)),
        bias: Some(Param::from_tensor(Tensor::from_data(
            TensorData::new(b, [d_out]),
            device,
        ))),
    }
}

impl Mlp {
    /// `d_in` -> (`hidden` x `width`) -> `d_out`.
    pub fn new(
        d_in: usize,
        hidden: usize,
        width: usize,
        d_out: usize,
        activation: Activation,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let mut dims = vec![d_in];
        dims.extend(std::iter::repeat_n(width, hidden));
        dims.push(d_out);
        let layers = dims
            .windows(2)
            .map(|w| linear(w[0], w[1], rng, device))
            .collect();
        Self { layers, activation }
    }

    /// `[batch, d_in]` -> `[batch, d_out]`; no activation after the last layer (the generator
    /// emits points in the plane, the discriminator a logit).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut h = x;
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer.forward(h); // [batch, width] (or [batch, d_out] at the end)
            if i < last {
                h = self.activation.apply(h);
            }
        }
        h
    }

    /// The number of trainable scalars.
    pub fn parameter_count(&self) -> usize {
        self.num_params()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let mut rng = Rng::new(1);
        let g = Mlp::new(2, 2, 64, 2, Activation::Relu, &mut rng, &device);
        // 2*64+64 + 64*64+64 + 64*2+2
        assert_eq!(g.parameter_count(), 192 + 4160 + 130);
        let x = Tensor::<2>::zeros([5, 2], &device);
        assert_eq!(g.forward(x).dims(), [5, 2]);
        let d = Mlp::new(2, 0, 8, 1, Activation::Tanh, &mut rng, &device);
        assert_eq!(d.forward(Tensor::zeros([3, 2], &device)).dims(), [3, 1]);
    }
}
