//! The GAN losses, each a discriminator cost and a generator cost computed from D's raw output.
//!
//! For the cross-entropy losses D's output `a` is a logit and D(x) = sigmoid(a). Every log of a
//! sigmoid is written as a softplus of the logit, never log(sigmoid(a)) of a probability, which
//! underflows to log(0) once |a| passes ~17 in f32:
//!   -log D      = -log sigmoid(a)     = softplus(-a)
//!   -log(1 - D) = -log sigmoid(-a)    = softplus(a)
//! Sources: Goodfellow et al. (2014) for minimax and the non-saturating fix; Goodfellow (2016,
//! NIPS tutorial) for the maximum-likelihood cost -exp(a) = -D/(1 - D); Mao et al. (2017) for
//! least squares (the 0-1-1 coding: fakes to 0, reals to 1, G aims at 1); Gulrajani et al.
//! (2017) for WGAN-GP (a critic, no sigmoid; the gradient penalty is added by the trainer, see
//! `Mlp::gradient_penalty`); Lim & Ye (2017) / Miyato et al. (2018) for the hinge loss.

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
    /// G minimises -exp(a) = -D/(1 - D), the maximum-likelihood cost of Goodfellow's tutorial;
    /// D is the usual cross-entropy discriminator.
    MaxLikelihood,
    /// LSGAN: D regresses reals to 1 and fakes to 0, G pulls its fakes towards 1.
    LeastSquares,
    /// WGAN-GP: a critic maximising E[D(x)] - E[D(G(z))] under a gradient penalty of weight
    /// `gpWeight` (run it with k = n_critic, e.g. 5); G minimises -E[D(G(z))].
    WganGp,
    /// Hinge: D minimises E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))], G minimises -E[D(G(z))].
    Hinge,
}

/// softplus(x) = log(1 + e^x) = -log sigmoid(-x), through burn's log-sum-exp `log_sigmoid`,
/// which is finite for every finite x and has its own exact backward pass. (A hand-written
/// relu(x) + log1p(e^-|x|) is as stable in value but its kinks give a derivative of 0 instead
/// of 1/2 at x = 0: the gradient test below caught that.)
pub fn softplus<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    activation::log_sigmoid(x.neg()).neg()
}

impl GanLoss {
    /// Every loss, in the order the page lists them.
    pub const ALL: [GanLoss; 6] = [
        GanLoss::Minimax,
        GanLoss::NonSaturating,
        GanLoss::MaxLikelihood,
        GanLoss::LeastSquares,
        GanLoss::WganGp,
        GanLoss::Hinge,
    ];

    /// True when D is the cross-entropy classifier (its output a logit, D = sigmoid(a)): the
    /// losses that differ only in the generator's cost, which twin runs may compare.
    pub fn is_cross_entropy(self) -> bool {
        matches!(
            self,
            GanLoss::Minimax | GanLoss::NonSaturating | GanLoss::MaxLikelihood
        )
    }

    /// Whether the trainer adds the gradient penalty to the discriminator's cost.
    pub fn uses_gradient_penalty(self) -> bool {
        self == GanLoss::WganGp
    }

    /// The discriminator's cost, a scalar, from its outputs on real (`[batch, 1]`) and fake
    /// (`[batch, 1]`) samples.
    pub fn discriminator(self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        match self {
            // -E[log D(x)] - E[log(1 - D(G(z)))]: the negated value V(D, G) that D ascends.
            GanLoss::Minimax | GanLoss::NonSaturating | GanLoss::MaxLikelihood => {
                softplus(real.neg()).mean() + softplus(fake).mean()
            }
            GanLoss::LeastSquares => {
                (real.sub_scalar(1.0).square().mean() + fake.square().mean()).mul_scalar(0.5)
            }
            // The critic's side of the Wasserstein estimate, without the penalty.
            GanLoss::WganGp => fake.mean() - real.mean(),
            GanLoss::Hinge => {
                activation::relu(real.neg().add_scalar(1.0)).mean()
                    + activation::relu(fake.add_scalar(1.0)).mean()
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
            // -E[exp(a)] = -E[D / (1 - D)]
            GanLoss::MaxLikelihood => fake.exp().mean().neg(),
            GanLoss::LeastSquares => fake.sub_scalar(1.0).square().mean().mul_scalar(0.5),
            GanLoss::WganGp | GanLoss::Hinge => fake.mean().neg(),
        }
    }

    /// D's output mapped to the value the heatmap shows: sigmoid of the logit for the
    /// cross-entropy and hinge losses, the raw output clamped to [0, 1] for least squares, and the
    /// raw critic value for WGAN-GP (unbounded: the page scales it to the grid's range).
    pub fn display(self, out: Tensor<2>) -> Tensor<2> {
        match self {
            GanLoss::Minimax | GanLoss::NonSaturating | GanLoss::MaxLikelihood | GanLoss::Hinge => {
                activation::sigmoid(out)
            }
            GanLoss::LeastSquares => out.clamp(0.0, 1.0),
            GanLoss::WganGp => out,
        }
    }

    /// The generator's per-sample cost for D's output `a` on one fake (scalar reference form).
    pub fn generator_cost_at(self, a: f64) -> f64 {
        match self {
            GanLoss::Minimax => -softplus_f64(a),
            GanLoss::NonSaturating => softplus_f64(-a),
            GanLoss::MaxLikelihood => -a.exp(),
            GanLoss::LeastSquares => 0.5 * (a - 1.0) * (a - 1.0),
            GanLoss::WganGp | GanLoss::Hinge => -a,
        }
    }

    /// d(generator cost)/da for one fake: -D for minimax, -(1 - D) for non-saturating, -exp(a) =
    /// -D/(1 - D) for maximum likelihood, a - 1 for least squares, -1 for the critic losses
    /// (analytic, the reference the tensor gradients are tested against).
    pub fn generator_grad_at(self, a: f64) -> f64 {
        match self {
            GanLoss::Minimax => -sigmoid_f64(a),
            GanLoss::NonSaturating => -sigmoid_f64(-a),
            GanLoss::MaxLikelihood => -a.exp(),
            GanLoss::LeastSquares => a - 1.0,
            GanLoss::WganGp | GanLoss::Hinge => -1.0,
        }
    }
}

/// The three generator costs of the theory panel as functions of d = D(G(z)) in (0, 1):
/// `(cost, d cost / d logit)` for minimax log(1 - d), non-saturating -log d and maximum
/// likelihood -d/(1 - d) (the logit being a = log(d / (1 - d))).
pub fn theory_curve(loss: GanLoss, d: f64) -> Option<(f64, f64)> {
    let a = (d / (1.0 - d)).ln();
    match loss {
        GanLoss::Minimax | GanLoss::NonSaturating | GanLoss::MaxLikelihood => {
            Some((loss.generator_cost_at(a), loss.generator_grad_at(a)))
        }
        _ => None,
    }
}

/// Cross-entropy of `logits` (`[batch, k]`) against one-hot `targets` (`[batch, k]`): the mean
/// over the batch of -log softmax(logits)[target], a scalar. InfoGAN's Q term (the targets are
/// the latents' codes); ACGAN's class term later.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let b = logits.dims()[0];
    (activation::log_softmax(logits, 1) * targets)
        .sum()
        .neg()
        .div_scalar(b as f64)
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
        for loss in GanLoss::ALL {
            let a = column(&LOGITS, &d).require_grad();
            // The cost is a mean over the batch; times n it is the sum of per-sample costs.
            let cost = loss.generator(a.clone()).mul_scalar(n);
            let grads = cost.backward();
            let g = read(a.grad(&grads).unwrap());
            for (x, gx) in LOGITS.iter().zip(g) {
                let want = loss.generator_grad_at(*x as f64);
                assert!(gx.is_finite(), "{loss:?} at {x}");
                // 1e-5 absolute, or relative where the value is large (exp(30) ~ 1e13).
                assert!(
                    (gx as f64 - want).abs() < 1e-5 * want.abs().max(1.0),
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
        for loss in GanLoss::ALL {
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

    #[test]
    fn critic_and_hinge_costs_match_hand_computed_values() {
        let d = device();
        let real = || column(&[2.0, -1.0], &d);
        let fake = || column(&[0.0, 3.0], &d);
        let scalar = |t: Tensor<1>| read(t.reshape([1, 1]))[0];
        // WGAN critic: mean(f) - mean(r) = 1.5 - 0.5 = 1
        let got = scalar(GanLoss::WganGp.discriminator(real(), fake()));
        assert!((got - 1.0).abs() < 1e-6, "{got}");
        // hinge: mean(max(0, 1 - r)) + mean(max(0, 1 + f)) = (0 + 2)/2 + (1 + 4)/2 = 3.5
        let got = scalar(GanLoss::Hinge.discriminator(real(), fake()));
        assert!((got - 3.5).abs() < 1e-6, "{got}");
        // both generators: -mean(f) = -1.5; maximum likelihood: -mean(exp f) = -(1 + e^3)/2
        for loss in [GanLoss::WganGp, GanLoss::Hinge] {
            let got = scalar(loss.generator(fake()));
            assert!((got + 1.5).abs() < 1e-6, "{loss:?}: {got}");
        }
        let got = scalar(GanLoss::MaxLikelihood.generator(fake())) as f64;
        let want = -(1.0 + 3f64.exp()) / 2.0;
        assert!((got - want).abs() < 1e-5 * want.abs(), "{got} vs {want}");
    }

    #[test]
    fn theory_curves_at_one_half_and_in_the_tails() {
        let (c, g) = theory_curve(GanLoss::Minimax, 0.5).unwrap();
        assert!((c - 0.5f64.ln()).abs() < 1e-12 && (g + 0.5).abs() < 1e-12);
        let (c, g) = theory_curve(GanLoss::NonSaturating, 0.5).unwrap();
        assert!((c - 2f64.ln()).abs() < 1e-12 && (g + 0.5).abs() < 1e-12);
        let (c, g) = theory_curve(GanLoss::MaxLikelihood, 0.5).unwrap();
        assert!((c + 1.0).abs() < 1e-12 && (g + 1.0).abs() < 1e-12);
        // Where D rejects the fake (d -> 0) the minimax gradient -d vanishes, the others do not.
        let (_, g) = theory_curve(GanLoss::Minimax, 1e-4).unwrap();
        assert!((g + 1e-4).abs() < 1e-9);
        let (_, g) = theory_curve(GanLoss::NonSaturating, 1e-4).unwrap();
        assert!((g + (1.0 - 1e-4)).abs() < 1e-9);
        assert!(theory_curve(GanLoss::Hinge, 0.5).is_none());
    }
}
