//! The multilayer perceptrons used as generator and discriminator of the 2-D GANs.
//!
//! Weights are drawn by the engine's own RNG (PyTorch's default for linear layers:
//! U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases alike), so that one seed gives the
//! same network on every backend.

use burn::module::{Module, Param, ParamId};
use burn::nn::Linear;
use burn::tensor::{Device, Gradients, Tensor, TensorData, activation};
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

/// A parameter holding `t`, with the given id or a fresh one.
fn param<const D: usize>(t: Tensor<D>, id: Option<u64>) -> Param<Tensor<D>> {
    let mut p = Param::from_tensor(t);
    if let Some(id) = id {
        p.id = ParamId::from(id);
    }
    p
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
        let norm = self
            .input_gradient(x)
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
        self.input_gradient(x)
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

    /// Every parameter in one flat tensor: per layer the weight (row-major `[d_in, d_out]`) and
    /// then the bias.
    pub fn flat_params(&self) -> Tensor<1> {
        let mut parts = Vec::new();
        for layer in &self.layers {
            parts.push(layer.weight.val().flatten::<1>(0, 1));
            if let Some(b) = &layer.bias {
                parts.push(b.val());
            }
        }
        Tensor::cat(parts, 0)
    }

    /// The ids of the parameters, in the order of `flat_params` (weight, then bias, per layer):
    /// an optimiser's state is keyed by them.
    pub fn param_ids(&self) -> Vec<u64> {
        let mut ids = Vec::new();
        for layer in &self.layers {
            ids.push(layer.weight.id.val());
            if let Some(b) = &layer.bias {
                ids.push(b.id.val());
            }
        }
        ids
    }

    /// The same network with its parameters taken from `flat` (the layout of `flat_params`).
    pub fn with_flat_params(&self, flat: &[f32]) -> Result<Self, String> {
        self.with_flat_params_and_ids(flat, None)
    }

    /// As `with_flat_params`, the parameters also taking the given ids (`param_ids`' order), so
    /// that a saved optimiser state finds them again.
    pub fn with_flat_params_and_ids(
        &self,
        flat: &[f32],
        ids: Option<&[u64]>,
    ) -> Result<Self, String> {
        let n_ids = self.layers.len() * 2 - self.layers.iter().filter(|l| l.bias.is_none()).count();
        if let Some(ids) = ids
            && ids.len() != n_ids
        {
            return Err(format!("expected {n_ids} parameter ids, got {}", ids.len()));
        }
        let mut next_id = 0;
        let mut id = || {
            next_id += 1;
            ids.map(|ids| ids[next_id - 1])
        };
        if flat.len() != self.parameter_count() {
            return Err(format!(
                "expected {} parameters, got {}",
                self.parameter_count(),
                flat.len()
            ));
        }
        let mut at = 0;
        let mut take = |n: usize| {
            at += n;
            flat[at - n..at].to_vec()
        };
        let layers = self
            .layers
            .iter()
            .map(|layer| {
                let w = layer.weight.val();
                let device = w.device();
                let [d_in, d_out] = w.dims();
                let weight = param(
                    Tensor::from_data(TensorData::new(take(d_in * d_out), [d_in, d_out]), &device),
                    id(),
                );
                let bias = layer.bias.as_ref().map(|_| {
                    param(
                        Tensor::from_data(TensorData::new(take(d_out), [d_out]), &device),
                        id(),
                    )
                });
                Linear { weight, bias }
            })
            .collect();
        Ok(Self {
            layers,
            activation: self.activation,
        })
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
