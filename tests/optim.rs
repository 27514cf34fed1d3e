#![cfg(not(target_arch = "wasm32"))]
//! The engine's own optimisers (src/optim.rs) against burn's and against the formulas: the
//! same updates as burn's Adam, the first Adam step is −lr·g/(|g| + ε), SGD is θ − lr∇, and the
//! state read back and restored continues identically.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::BackendKind;
use gan_playground::gan::Rng;
use gan_playground::gan::optim::Optimizer;
use gan_playground::gan::params::{flat_floats, param_sizes};
use gan_playground::nn::{Activation, Mlp, MlpConfig};

fn device() -> Device {
    BackendKind::Flex.cpu_device().unwrap().autodiff()
}

fn read(t: Tensor<1>) -> Vec<f32> {
    block_on(t.into_data_async()).unwrap().try_to_vec().unwrap()
}

fn net() -> Mlp {
    MlpConfig {
        d_in: 3,
        hidden: 2,
        width: 8,
        d_out: 1,
        activation: Activation::LeakyRelu,
    }
    .init(&mut Rng::new(7), &device())
}

/// The gradient of a fixed cost (mean of the squared outputs on a fixed batch, plus the sum of
/// the outputs so that no gradient is zero) with respect to `m`'s parameters.
fn grads(m: &Mlp, round: usize) -> GradientsParams {
    let x: Vec<f32> = (0..12)
        .map(|i| ((i * 7 + round * 3) % 11) as f32 / 5.0 - 1.0)
        .collect();
    let x = Tensor::<2>::from_data(TensorData::new(x, [4, 3]), &device());
    let y = m.forward(x);
    let cost = y.clone().square().mean() + y.sum();
    GradientsParams::from_grads(cost.backward(), m)
}

#[test]
fn adam_makes_burns_updates() {
    let mut ours = Optimizer::adam(0.5, 0.999);
    let mut burns = AdamConfig::new()
        .with_beta_1(0.5)
        .with_beta_2(0.999)
        .with_epsilon(1e-8)
        .init();
    let (mut a, mut b) = (net(), net());
    for round in 0..5 {
        let ga = grads(&a, round);
        let gb = grads(&b, round);
        a = ours.step(1e-2, a, ga);
        b = burns.step(1e-2, b, gb);
        let (pa, pb) = (read(flat_floats(&a)), read(flat_floats(&b)));
        for (i, (x, y)) in pa.iter().zip(&pb).enumerate() {
            assert!(
                (x - y).abs() <= 1e-6 * (1.0 + y.abs()),
                "round {round}, parameter {i}: {x} vs burn's {y}"
            );
        }
    }
}

#[test]
fn the_first_adam_step_and_sgd_follow_their_formulas() {
    let before = net();
    let p0 = read(flat_floats(&before));
    // The same gradient read flat: step a copy with SGD at lr 10^6 and difference it.
    let sgd = Optimizer::sgd().step(1e6, before.clone(), grads(&before, 0));
    let g: Vec<f32> = p0
        .iter()
        .zip(read(flat_floats(&sgd)))
        .map(|(x, y)| (x - y) / 1e6)
        .collect();
    let adam = Optimizer::adam(0.9, 0.999).step(1e-3, before.clone(), grads(&before, 0));
    for ((x0, x1), gi) in p0.iter().zip(read(flat_floats(&adam))).zip(&g) {
        // m̂ = g and v̂ = g², so the step is lr g / (|g| + ε) with ε = 1e-8: lr sign(g) for
        // all but the tiniest gradients.
        let want = x0 - 1e-3 * gi / (gi.abs() + 1e-8);
        assert!((x1 - want).abs() < 1e-6, "{x1} vs {want} (g = {gi})");
    }
    assert!(
        g.iter().all(|v| *v != 0.0),
        "every parameter had a gradient"
    );
}

#[test]
fn a_restored_state_continues_identically() {
    let mut opt = Optimizer::adam(0.5, 0.999);
    let mut m = net();
    for round in 0..3 {
        let gr = grads(&m, round);
        m = opt.step(1e-2, m, gr);
    }
    let (state, flat) = opt.state();
    let floats = read(flat.expect("Adam has moments after a step"));
    assert_eq!(state.params.len(), 6, "3 layers of weight and bias");
    assert!(state.params.iter().all(|&(_, time, _)| time == 3));
    assert_eq!(floats.len(), 2 * m.num_params());
    let mut copy = Optimizer::adam(0.5, 0.999);
    copy.restore(&state, &floats, &param_sizes(&m), &device().inner())
        .unwrap();
    let mut m2 = m.clone();
    for round in 3..6 {
        let (g1, g2) = (grads(&m, round), grads(&m2, round));
        m = opt.step(1e-2, m, g1);
        m2 = copy.step(1e-2, m2, g2);
    }
    assert_eq!(read(flat_floats(&m)), read(flat_floats(&m2)));
    let err = copy
        .restore(&state, &floats[1..], &param_sizes(&m), &device().inner())
        .unwrap_err();
    assert!(err.contains("values where its header lists"), "{err}");
    let err = Optimizer::sgd()
        .restore(&state, &floats, &param_sizes(&m), &device().inner())
        .unwrap_err();
    assert!(err.contains("Adam moments for an SGD optimiser"), "{err}");
}
