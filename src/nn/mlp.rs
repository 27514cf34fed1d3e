//! The multilayer perceptron: the 2-D playground's generator and discriminator and the image
//! MLP GAN's. Besides its forward pass it writes its own input gradient as tensor operations,
//! so that a gradient penalty on D (WGAN-GP, R1) can be differentiated again.
//!
//! Weights are PyTorch's default for linear layers, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
//! weights and biases alike, drawn by the engine's RNG ([`crate::nn::init`]).

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Device, Gradients, Tensor, activation};
use serde::{Deserialize, Serialize};

use crate::gan::rng::Rng;
use crate::nn::init::{Init, linear};
use crate::nn::leaky_relu;

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
            Activation::LeakyRelu => leaky_relu(x, 0.2),
            Activation::Tanh => activation::tanh(x),
        }
    }

    /// The derivative of the activation at the pre-activations `p`, as a tensor built from
    /// differentiable operations (for tanh, 1 - tanh(p)^2 carries its own second derivative;
    /// the piecewise-linear slopes are constants, their derivative being 0 almost everywhere).
    fn slope(self, p: Tensor<2>) -> Tensor<2> {
        match self {
            Activation::Relu => p.greater_elem(0.0).float(),
            Activation::LeakyRelu => p.greater_elem(0.0).float().mul_scalar(0.8).add_scalar(0.2),
            Activation::Tanh => activation::tanh(p).square().neg().add_scalar(1.0),
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

/// The shape of a fully connected network: `hidden` layers of `width` units between `d_in`
/// inputs and `d_out` outputs, `activation` between layers and none after the last.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MlpConfig {
    /// Inputs per sample.
    pub d_in: usize,
    /// Hidden layers (0: one linear layer).
    pub hidden: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Outputs per sample.
    pub d_out: usize,
    /// The nonlinearity between layers.
    pub activation: Activation,
}

impl MlpConfig {
    /// The layers' (inputs, outputs), first layer first.
    fn layers(&self) -> Vec<(f64, f64)> {
        let (i, w, o) = (self.d_in as f64, self.width as f64, self.d_out as f64);
        if self.hidden == 0 {
            return vec![(i, o)];
        }
        let mut l = vec![(i, w)];
        l.extend(std::iter::repeat_n((w, w), self.hidden - 1));
        l.push((w, o));
        l
    }

    /// Multiply-adds of one sample's forward pass (for the cost estimate, `gan::cost`).
    pub fn macs(&self) -> f64 {
        self.layers().iter().map(|(i, o)| i * o).sum()
    }

    /// Parameters (weights and biases).
    pub fn params(&self) -> f64 {
        self.layers().iter().map(|(i, o)| i * o + o).sum()
    }

    /// Floats one sample's forward pass keeps for the backward one (each layer's input, its
    /// pre-activation and its output).
    pub fn activations(&self) -> f64 {
        self.d_in as f64 + self.layers().iter().map(|(_, o)| 2.0 * o).sum::<f64>()
    }

    /// A fresh network, each layer's weights then biases drawn from `rng`, first layer first.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> Mlp {
        let mut dims = vec![self.d_in];
        dims.extend(std::iter::repeat_n(self.width, self.hidden));
        dims.push(self.d_out);
        let layers = dims
            .windows(2)
            .map(|w| linear(w[0], w[1], Init::FanInUniform, rng, device))
            .collect();
        Mlp {
            layers,
            activation: self.activation,
        }
    }
}

impl Mlp {
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

    /// The last hidden layer's activations, `[batch, width]` (the input of the last layer):
    /// the features an SGAN's G matches.
    pub fn features(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers[..last]
            .iter()
            .fold(x, |h, layer| self.activation.apply(layer.forward(h)))
    }

    /// The last layer alone: `forward(x)` is `last(features(x))`.
    pub fn last(&self, h: Tensor<2>) -> Tensor<2> {
        self.layers[self.layers.len() - 1].forward(h)
    }

    /// d out / d x for a network with one output, `[n, d_in]`, written as tensor operations
    /// (the backward pass unrolled by hand) so that autodiff can differentiate it again with
    /// respect to the weights: the double backpropagation a gradient penalty needs.
    pub fn input_gradient(&self, x: Tensor<2>) -> Tensor<2> {
        let n = x.dims()[0];
        let last = self.layers.len() - 1;
        let mut h = x;
        let mut slopes = Vec::with_capacity(last);
        for layer in &self.layers[..last] {
            let p = layer.forward(h); // [n, width]
            slopes.push(self.activation.slope(p.clone()));
            h = self.activation.apply(p);
        }
        // Row vector d out / d h_last = W_last^T, `[1, width]`, then back through each layer.
        let mut g = self.layers[last].weight.val().transpose().repeat_dim(0, n); // [n, width]
        for i in (0..last).rev() {
            g = g * slopes[i].clone(); // through the activation
            g = g.matmul(self.layers[i].weight.val().transpose()); // through layer i: [n, d_in_i]
        }
        g
    }

    /// WGAN-GP's penalty (Gulrajani et al., 2017): mean over `x` of (||d D / d x||_2 - 1)^2,
    /// differentiable with respect to D's weights. (1e-12 inside the square root keeps its
    /// derivative finite where the gradient vanishes.)
    pub fn gradient_penalty(&self, x: Tensor<2>) -> Tensor<1> {
        self.gradient_penalty_on(x, None)
    }

    /// `gradient_penalty` with the input gradient restricted to the columns where `mask`
    /// (`[1, d_in]`, 1 or 0) is 1: a conditional D's penalty is on the point, not on its label.
    pub fn gradient_penalty_on(&self, x: Tensor<2>, mask: Option<Tensor<2>>) -> Tensor<1> {
        let norm = masked(self.input_gradient(x), mask)
            .square()
            .sum_dim(1)
            .add_scalar(1e-12)
            .sqrt(); // [n, 1]
        norm.sub_scalar(1.0).square().mean()
    }

    /// The R1 penalty (Mescheder et al., 2018): mean over `x` (real samples) of
    /// ||d D / d x||_2^2 / 2, differentiable with respect to D's weights. A zero-centred penalty:
    /// D is pushed to be flat on the data, which lets the game settle there.
    pub fn r1_penalty(&self, x: Tensor<2>) -> Tensor<1> {
        self.r1_penalty_on(x, None)
    }

    /// `r1_penalty` on the columns where `mask` is 1 (see `gradient_penalty_on`).
    pub fn r1_penalty_on(&self, x: Tensor<2>, mask: Option<Tensor<2>>) -> Tensor<1> {
        masked(self.input_gradient(x), mask)
            .square()
            .sum_dim(1)
            .mean()
            .mul_scalar(0.5)
    }

    /// The squared L2 norm of this network's parameter gradient in `grads`, `[1]` (zero where a
    /// parameter took no part).
    pub fn grad_sq_norm(&self, grads: &Gradients) -> Tensor<1> {
        let mut parts = Vec::new();
        for layer in &self.layers {
            if let Some(g) = layer.weight.grad(grads) {
                parts.push(g.square().sum());
            }
            if let Some(g) = layer.bias.as_ref().and_then(|b| b.grad(grads)) {
                parts.push(g.square().sum());
            }
        }
        Tensor::cat(parts, 0).sum()
    }
}

/// `g` times `mask` (`[1, d]`, broadcast over the rows), or `g` itself without one.
fn masked(g: Tensor<2>, mask: Option<Tensor<2>>) -> Tensor<2> {
    match mask {
        Some(m) => g * m,
        None => g,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let mut rng = Rng::new(1);
        let shape = |d_in, hidden, width, d_out, activation| MlpConfig {
            d_in,
            hidden,
            width,
            d_out,
            activation,
        };
        let g = shape(2, 2, 64, 2, Activation::Relu).init(&mut rng, &device);
        // 2*64+64 + 64*64+64 + 64*2+2
        assert_eq!(g.num_params(), 192 + 4160 + 130);
        let x = Tensor::<2>::zeros([5, 2], &device);
        assert_eq!(g.forward(x).dims(), [5, 2]);
        let d = shape(2, 0, 8, 1, Activation::Tanh).init(&mut rng, &device);
        assert_eq!(d.forward(Tensor::zeros([3, 2], &device)).dims(), [3, 1]);
    }
}
