//! The burn modules every family builds its networks from: seeded initialisers and layer
//! builders ([`init`]), the multilayer perceptron with its input gradient ([`mlp`]), DCGAN's
//! blocks ([`dcgan`]) and the discriminator's heads ([`heads`]: the realness logit and the
//! extra logits of InfoGAN's Q, read one way by every family).
//!
//! Weights are drawn by the engine's own RNG, never burn's, so that one seed gives the same
//! network on every backend. `nn/` imports only `gan/` and the error type.

pub mod dcgan;
pub mod heads;
pub mod init;
pub mod mlp;

pub use heads::{Heads, log_sum_exp};
pub use mlp::{Activation, Mlp, MlpConfig};

use burn::tensor::Tensor;

/// LeakyReLU, max(`slope` x, x) for 0 < `slope` < 1, written as x · m with m = 1 where x > 0
/// and `slope` elsewhere, m read off x's values outside the autodiff graph. The values are
/// burn's `activation::leaky_relu`'s bit for bit (m is exactly 1 or exactly `slope` as f32),
/// and so is the gradient everywhere but at x = 0 exactly (`slope` here, 1 there). The cost is
/// not: burn's is a mask and a `mask_where` forward and, backward, two `mask_where` passes
/// over fresh zeros, which burn-flex runs as scalar loops in wasm (11.7 % of a DCGAN round in
/// the page); this one's backward is one multiplication (docs/decisions.md, "Performance").
pub fn leaky_relu<const D: usize>(x: Tensor<D>, slope: f64) -> Tensor<D> {
    let m = x
        .clone()
        .greater_elem(0.0)
        .float()
        .mul_scalar(1.0 - slope)
        .add_scalar(slope);
    x * m
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use burn::tensor::{Device, Tensor, TensorData, activation};
    use futures_lite::future::block_on;

    /// Values and gradients equal burn's LeakyReLU bit for bit on inputs away from 0, and the
    /// gradient is the slope by hand where x < 0.
    #[test]
    fn leaky_relu_matches_burns() {
        let device = Device::flex().autodiff();
        let read = |t: Tensor<2>| {
            block_on(t.into_data_async())
                .unwrap()
                .try_to_vec::<f32>()
                .unwrap()
        };
        let xs: Vec<f32> = (0..64)
            .map(|i| ((i * 37 % 64) as f32 - 31.5) * 0.173)
            .collect();
        let ws: Vec<f32> = (0..64).map(|i| (i as f32 * 0.41).sin()).collect();
        let input =
            || Tensor::<2>::from_data(TensorData::new(xs.clone(), [8, 8]), &device).require_grad();
        let w = Tensor::<2>::from_data(TensorData::new(ws.clone(), [8, 8]), &device);
        let (a, b) = (input(), input());
        let (ya, yb) = (
            super::leaky_relu(a.clone(), 0.2),
            activation::leaky_relu(b.clone(), 0.2),
        );
        assert_eq!(read(ya.clone()), read(yb.clone()));
        let ga = (ya * w.clone()).sum().backward();
        let gb = (yb * w).sum().backward();
        let (da, db) = (read(a.grad(&ga).unwrap()), read(b.grad(&gb).unwrap()));
        assert_eq!(da, db);
        for ((x, w), d) in xs.iter().zip(&ws).zip(&da) {
            let want = if *x > 0.0 { *w } else { 0.2 * w };
            assert!((d - want).abs() < 1e-6, "at {x}: {d} vs {want}");
        }
    }
}
