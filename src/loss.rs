//! The GAN losses, each a discriminator cost and a generator cost computed from D's raw output.
//!
//! For the cross-entropy losses D's output `a` is a logit and D(x) = sigmoid(a). Every log of a
//! sigmoid is written as a softplus of the logit, never log(sigmoid(a)) of a probability, which
//! underflows to log(0) once |a| passes ~17 in f32:
//!   -log D      = -log sigmoid(a)     = softplus(-a)
//!   -log(1 - D) = -log sigmoid(-a)    = softplus(a)
//! Sources: Goodfellow et al. (2014) for minimax and the non-saturating fix; Mao et al. (2017)
//! for least squares (the 0-1-1 coding: fakes to 0, reals to 1, G aims at 1).

use burn::tensor::{Tensor, activation};
use serde::{Deserialize, Serialize};

/// Which game the two networks play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GanLoss {
    /// The original zero-sum game: G minimises log(1 - D(G(z))), the saturating cost whose
    /// gradient vanishes when D confidently rejects the fakes.
    Minimax,
    /// G minimises -log D(G(z)) instead: the same fixed point, strong gradients early on.
    NonSaturating,
    /// LSGAN: D regresses reals to 1 and fakes to 0, G pulls its fakes towards 1.
    LeastSquares,
}

/// softplus(x) = log(1 + e^x) = -log sigmoid(-x), through burn's log-sum-exp `log_sigmoid`,
/// which is finite for every finite x and has its own exact backward pass. (A hand-written
/// relu(x) + log1p(e^-|x|) is as stable in value but its kinks give a derivative of 0 instead
/// of 1/2 at x = 0: the gradient test below caught that.)
pub fn softplus<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    activation::log_sigmoid(x.neg()).neg()
}

impl GanLoss {
    /// The discriminator's cost, a scalar, from its outputs on real (`[batch, 1]`) and fake
    /// (`[batch, 1]`) samples.
    pub fn discriminator(self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        match self {
            // -E[log D(x)] - E[log(1 - D(G(z)))]: the negated value V(D, G) that D ascends.
            GanLoss::Minimax | GanLoss::NonSaturating => {
                softplus(real.neg()).mean() + softplus(fake).mean()
            }
            GanLoss::LeastSquares => {
                (real.sub_scalar(1.0).square().mean() + fake.square().mean()).mul_scalar(0.5)
            }
        }
    }

    /// The generator's cost, a scalar, from D's outputs on the fakes (`[batch, 1]`).
    pub fn generator(self, fake: Tensor<2>) -> Tensor<1> {
        match self {
            // E[log(1 - D(G(z)))] = -E[softplus(a)]
            GanLoss::Minimax => softplus(fake).mean().neg(),
            // -E[log D(G(z))] = E[softplus(-a)]
            GanLoss::NonSaturating => softplus(fake.neg()).mean(),
            GanLoss::LeastSquares => fake.sub_scalar(1.0).square().mean().mul_scalar(0.5),
        }
    }

    /// D's output mapped to the probability-like value the heatmap shows: sigmoid of the logit
    /// for the cross-entropy losses, the raw output clamped to [0, 1] for least squares.
    pub fn display(self, out: Tensor<2>) -> Tensor<2> {
        match self {
            GanLoss::Minimax | GanLoss::NonSaturating => activation::sigmoid(out),
            GanLoss::LeastSquares => out.clamp(0.0, 1.0),
        }
    }

    /// The generator's per-sample cost for D's output `a` on one fake (scalar reference form).
    pub fn generator_cost_at(self, a: f64) -> f64 {
        match self {
            GanLoss::Minimax => -softplus_f64(a),
            GanLoss::NonSaturating => softplus_f64(-a),
            GanLoss::LeastSquares => 0.5 * (a - 1.0) * (a - 1.0),
        }
    }

    /// d(generator cost)/da for one fake: -D for minimax, -(1 - D) for non-saturating,
    /// a - 1 for least squares (analytic, the reference the tensor gradients are tested against).
    pub fn generator_grad_at(self, a: f64) -> f64 {
        match self {
            GanLoss::Minimax => -sigmoid_f64(a),
            GanLoss::NonSaturating => -sigmoid_f64(-a),
            GanLoss::LeastSquares => a - 1.0,
        }
    }
}

/// Scalar softplus in the same stable form as the tensor one.
pub fn softplus_f64(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// Scalar logistic sigmoid, stable in both tails.
pub fn sigmoid_f64(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn device() -> Device {
        Device::flex().autodiff()
    }

    const LOGITS: [f32; 11] = [
        -30.0, -17.0, -5.0, -1.0, -0.1, 0.0, 0.1, 1.0, 5.0, 17.0, 30.0,
    ];

    fn column(values: &[f32], device: &Device) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values.to_vec(), [values.len(), 1]), device)
    }

    fn read(t: Tensor<2>) -> Vec<f32> {
        futures_lite::future::block_on(t.into_data_async())
            .unwrap()
            .try_to_vec()
            .unwrap()
    }

    #[test]
    fn softplus_matches_log1p_exp_and_stays_finite() {
        let d = device();
        let got = read(softplus(column(&LOGITS, &d)));
        for (a, s) in LOGITS.iter().zip(got) {
            let want = softplus_f64(*a as f64);
            assert!(s.is_finite());
            assert!(
                (s as f64 - want).abs() <= 1e-5 * want.max(1.0),
                "{a}: {s} vs {want}"
            );
        }
        assert!((softplus_f64(0.0) - std::f64::consts::LN_2).abs() < 1e-15);
        assert!((softplus_f64(30.0) - 30.0).abs() < 1e-12);
    }

    /// The per-sample derivative of each generator cost, taken by autodiff through the tensor
    /// form, equals the analytic value at every logit, the large ones included.
    #[test]
    fn generator_gradients_match_the_analytic_forms() {
        let d = device();
        let n = LOGITS.len() as f64;
        for loss in [
            GanLoss::Minimax,
            GanLoss::NonSaturating,
            GanLoss::LeastSquares,
        ] {
            let a = column(&LOGITS, &d).require_grad();
            // The cost is a mean over the batch; times n it is the sum of per-sample costs.
            let cost = loss.generator(a.clone()).mul_scalar(n);
            let grads = cost.backward();
            let g = read(a.grad(&grads).unwrap());
            for (x, gx) in LOGITS.iter().zip(g) {
                let want = loss.generator_grad_at(*x as f64);
                assert!(gx.is_finite(), "{loss:?} at {x}");
                assert!(
                    (gx as f64 - want).abs() < 1e-5,
                    "{loss:?} at {x}: {gx} vs {want}"
                );
            }
        }
        // Spot values: minimax -D, non-saturating -(1 - D).
        assert!((GanLoss::Minimax.generator_grad_at(0.0) + 0.5).abs() < 1e-15);
        assert!((GanLoss::NonSaturating.generator_grad_at(-30.0) + 1.0).abs() < 1e-12);
        assert!(GanLoss::Minimax.generator_grad_at(-30.0).abs() < 1e-12);
    }

    #[test]
    fn generator_costs_match_the_scalar_forms() {
        let d = device();
        for loss in [
            GanLoss::Minimax,
            GanLoss::NonSaturating,
            GanLoss::LeastSquares,
        ] {
            let got = read(loss.generator(column(&LOGITS, &d)).reshape([1, 1]))[0] as f64;
            let want = LOGITS
                .iter()
                .map(|&a| loss.generator_cost_at(a as f64))
                .sum::<f64>()
                / LOGITS.len() as f64;
            assert!((got - want).abs() < 1e-4 * want.abs().max(1.0), "{loss:?}");
        }
    }

    #[test]
    fn discriminator_costs_match_hand_computed_values() {
        let d = device();
        let real = column(&[2.0, -1.0], &d);
        let fake = column(&[0.0, 3.0], &d);
        // BCE: mean(softplus(-r)) + mean(softplus(f))
        let bce = (softplus_f64(-2.0) + softplus_f64(1.0)) / 2.0
            + (softplus_f64(0.0) + softplus_f64(3.0)) / 2.0;
        let got = read(
            GanLoss::NonSaturating
                .discriminator(real.clone(), fake.clone())
                .reshape([1, 1]),
        )[0] as f64;
        assert!((got - bce).abs() < 1e-5, "{got} vs {bce}");
        // LSGAN: 0.5 * (mean((r - 1)^2) + mean(f^2)) = 0.5 * ((1 + 4)/2 + (0 + 9)/2) = 3.5
        let got = read(
            GanLoss::LeastSquares
                .discriminator(real, fake)
                .reshape([1, 1]),
        )[0];
        assert!((got - 3.5).abs() < 1e-5, "{got}");
    }
}
