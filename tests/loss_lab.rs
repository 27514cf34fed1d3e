#![cfg(not(target_arch = "wasm32"))]
//! The loss lab's engine: the gradient probe against finite differences, WGAN-GP's penalty
//! against hand-computed values, twin runs, and the strong-discriminator start.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::gan::Rng;
use gan_playground::gan::params::{assign, flat_floats};
use gan_playground::nn::{Activation, Mlp, MlpConfig};
use gan_playground::toy2d::probe_generator;
use gan_playground::{BackendKind, GanLoss, Toy2dConfig, Toy2dTrainer};

fn device() -> Device {
    BackendKind::Flex.cpu_device().unwrap().autodiff()
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(t.into_data_async()).unwrap().try_to_vec().unwrap()
}

fn matrix(v: &[f32], rows: usize, cols: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(v.to_vec(), [rows, cols]), device)
}

/// The generator's cost through a fixed D, evaluated without autodiff, in f64.
fn cost(loss: GanLoss, g: &Mlp, d: &Mlp, z: &Tensor<2>) -> f64 {
    let a = d.valid().forward(g.valid().forward(z.clone().inner()));
    read(loss.generator(a))[0] as f64
}

#[test]
fn probe_gradient_norms_equal_finite_differences() {
    let dev = device();
    let mut rng = Rng::new(11);
    let g = MlpConfig {
        d_in: 2,
        hidden: 1,
        width: 5,
        d_out: 2,
        activation: Activation::Tanh,
    }
    .init(&mut rng, &dev);
    let d = MlpConfig {
        d_in: 2,
        hidden: 1,
        width: 5,
        d_out: 1,
        activation: Activation::Tanh,
    }
    .init(&mut rng, &dev);
    let zs: Vec<f32> = (0..16).map(|_| rng.normal() as f32).collect();
    let z = matrix(&zs, 8, 2, &dev.clone().inner());
    let probe = block_on(probe_generator(&g, &d, 1, 0, z.clone(), 0)).unwrap();
    let theta: Vec<f32> = read(flat_floats(&g));
    for (loss, got) in [
        (GanLoss::Minimax, probe.grad_norm_minimax),
        (GanLoss::NonSaturating, probe.grad_norm_non_saturating),
    ] {
        // Central differences, one parameter at a time.
        let eps = 1e-2f32;
        let mut sq = 0.0f64;
        for i in 0..theta.len() {
            let mut plus = theta.clone();
            plus[i] += eps;
            let mut minus = theta.clone();
            minus[i] -= eps;
            let cp = cost(loss, &assign(g.clone(), &plus), &d, &z);
            let cm = cost(loss, &assign(g.clone(), &minus), &d, &z);
            sq += ((cp - cm) / (2.0 * eps as f64)).powi(2);
        }
        let want = sq.sqrt();
        let rel = (got as f64 - want).abs() / want;
        assert!(
            rel < 1e-3,
            "{loss:?}: probe {got} vs finite differences {want} ({rel:e})"
        );
    }
    // Per-sample derivatives: |d/da| = D for minimax and 1 - D for non-saturating.
    for i in 0..8 {
        let dg = probe.d_fake[i];
        assert!((probe.dlogit_minimax[i] - dg).abs() < 1e-6);
        assert!((probe.dlogit_non_saturating[i] - (1.0 - dg)).abs() < 1e-6);
    }
}

/// A critic 2 -> 2 (ReLU) -> 1 with weights set by hand: W1 = [[1, -1], [2, 0.5]] (x @ W1),
/// b1 = 0, W2 = [3, -2], b2 = 0.
fn tiny_critic(dev: &Device) -> Mlp {
    let shape = MlpConfig {
        d_in: 2,
        hidden: 1,
        width: 2,
        d_out: 1,
        activation: Activation::Relu,
    }
    .init(&mut Rng::new(0), dev);
    assign(shape, &[1.0, -1.0, 2.0, 0.5, 0.0, 0.0, 3.0, -2.0, 0.0])
}

#[test]
fn gradient_penalties_match_hand_computed_values() {
    let dev = device();
    let d = tiny_critic(&dev);
    // x = (1, 1): pre-activations (3, -0.5), only unit 1 open: dD/dx = W1 (3, 0)^T = (3, 6).
    // x = (-1, 0.6): pre-activations (0.2, 1.3), both open: dD/dx = W1 (3, -2)^T = (5, 5).
    let x = matrix(&[1.0, 1.0, -1.0, 0.6], 2, 2, &dev.clone().inner());
    let g = read(d.input_gradient(x.clone()));
    let want_g = [3.0, 6.0, 5.0, 5.0];
    for (a, b) in g.iter().zip(want_g) {
        assert!((a - b).abs() < 1e-5, "{g:?}");
    }
    let want = ((45f64.sqrt() - 1.0).powi(2) + (50f64.sqrt() - 1.0).powi(2)) / 2.0;
    let got = read(d.gradient_penalty(x.clone()))[0] as f64;
    assert!((got - want).abs() < 1e-4, "{got} vs {want}");
    // R1 = mean ||dD/dx||^2 / 2 = (45 + 50) / 2 / 2.
    let r1 = read(d.r1_penalty(x))[0] as f64;
    assert!((r1 - 23.75).abs() < 1e-4, "R1 {r1}");
}

#[test]
fn input_gradient_equals_autodiff_and_the_penalty_differentiates_again() {
    let dev = device();
    let mut rng = Rng::new(5);
    for act in [Activation::Relu, Activation::LeakyRelu, Activation::Tanh] {
        let d = MlpConfig {
            d_in: 2,
            hidden: 2,
            width: 6,
            d_out: 1,
            activation: act,
        }
        .init(&mut rng, &dev);
        let xs: Vec<f32> = (0..20).map(|_| rng.normal() as f32).collect();
        // Autodiff's own input gradient of sum(D(x)).
        let x = matrix(&xs, 10, 2, &dev).require_grad();
        let grads = d.forward(x.clone()).sum().backward();
        let want = read(x.grad(&grads).unwrap());
        let got = read(d.input_gradient(matrix(&xs, 10, 2, &dev.clone().inner())));
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-5, "{act:?}: {got:?} vs {want:?}");
        }
    }
    // d(penalty)/d(weight) against central differences on a tanh critic, whose second
    // derivative is not zero: this is the double backpropagation WGAN-GP relies on.
    let d = MlpConfig {
        d_in: 2,
        hidden: 1,
        width: 4,
        d_out: 1,
        activation: Activation::Tanh,
    }
    .init(&mut rng, &dev);
    let xs: Vec<f32> = (0..12).map(|_| rng.normal() as f32).collect();
    let x = matrix(&xs, 6, 2, &dev.clone().inner());
    let grads = d.gradient_penalty(x.clone()).backward();
    let theta = read(flat_floats(&d));
    // The autodiff gradient of each parameter, flattened in flat_params' order.
    let mut auto = Vec::new();
    for i in 0..theta.len() {
        let mut plus = theta.clone();
        plus[i] += 1e-2;
        let mut minus = theta.clone();
        minus[i] -= 1e-2;
        let f = |t: &[f32]| read(assign(d.clone(), t).gradient_penalty(x.clone()))[0];
        auto.push(((f(&plus) - f(&minus)) / 2e-2) as f64);
    }
    let fd_norm = auto.iter().map(|v| v * v).sum::<f64>().sqrt();
    let ad_norm = (read(d.grad_sq_norm(&grads))[0] as f64).sqrt();
    assert!(
        (ad_norm - fd_norm).abs() / fd_norm < 1e-3,
        "autodiff {ad_norm} vs finite differences {fd_norm}"
    );
}

fn trainer(config: Toy2dConfig) -> Toy2dTrainer {
    Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap()
}

#[test]
fn twin_runs_share_the_first_d_update_and_part_after_the_first_g_update() {
    let base = Toy2dConfig {
        batch_size: 64,
        seed: 9,
        ..Toy2dConfig::default()
    };
    let mut ns = trainer(base.clone());
    let mut mm = trainer(Toy2dConfig {
        loss: GanLoss::Minimax,
        ..base
    });
    let params = |t: &Toy2dTrainer| {
        (
            read(flat_floats(t.discriminator())),
            read(flat_floats(t.generator())),
        )
    };
    assert_eq!(params(&ns), params(&mm));
    ns.train(1);
    mm.train(1);
    let ((d1, g1), (d2, g2)) = (params(&ns), params(&mm));
    assert_eq!(d1, d2, "the first D update is the same in both twins");
    assert_ne!(
        g1, g2,
        "the generator losses differ, so do the first G updates"
    );
    ns.train(1);
    mm.train(1);
    assert_ne!(params(&ns).0, params(&mm).0);
}

#[test]
fn pretraining_trains_d_alone_and_reports_no_generator_loss() {
    let mut t = trainer(Toy2dConfig {
        batch_size: 64,
        d_pretrain: 20,
        ..Toy2dConfig::default()
    });
    let g0 = read(flat_floats(t.generator()));
    let d0 = read(flat_floats(t.discriminator()));
    t.train(20);
    assert_eq!(read(flat_floats(t.generator())), g0);
    assert_ne!(read(flat_floats(t.discriminator())), d0);
    let s = block_on(t.losses()).unwrap();
    assert_eq!(s.step, 20);
    assert!(s.loss_d.is_finite() && s.loss_g.is_nan());
    t.train(1);
    assert_ne!(read(flat_floats(t.generator())), g0);
    assert!(block_on(t.losses()).unwrap().loss_g.is_finite());
}

#[test]
fn a_strong_discriminator_starves_the_minimax_generator() {
    let mut t = trainer(Toy2dConfig {
        d_pretrain: 500,
        ..Toy2dConfig::default()
    });
    let before = block_on(t.probe()).unwrap();
    t.train(500);
    let after = block_on(t.probe()).unwrap();
    let ratio = after.grad_norm_non_saturating / after.grad_norm_minimax;
    let mean_d: f32 = after.d_fake.iter().sum::<f32>() / after.d_fake.len() as f32;
    eprintln!(
        "before: mm {} ns {}; after 500 D steps: mm {} ns {} ratio {ratio} mean D(G(z)) {mean_d}",
        before.grad_norm_minimax,
        before.grad_norm_non_saturating,
        after.grad_norm_minimax,
        after.grad_norm_non_saturating
    );
    assert!(ratio >= 10.0, "ratio {ratio}");
    assert!(mean_d < 0.1, "{mean_d}");
}

#[test]
fn every_loss_trains_without_diverging() {
    for loss in GanLoss::ALL {
        let mut t = trainer(Toy2dConfig {
            loss,
            batch_size: 64,
            k: if loss == GanLoss::WganGp { 5 } else { 1 },
            ..Toy2dConfig::default()
        });
        t.train(50);
        let s = block_on(t.losses()).unwrap();
        assert!(
            s.loss_d.is_finite() && s.loss_g.is_finite(),
            "{loss:?}: {s:?}"
        );
    }
}
