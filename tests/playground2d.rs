#![cfg(not(target_arch = "wasm32"))]
//! The 2-D playground's theory on the native CPU backend: the learned D against the analytic
//! optimal discriminator, and the theory readouts of a run.

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::GanLoss;
use gan_playground::data::Dataset;
use gan_playground::gan::latent::Prior;
use gan_playground::gan::params::flat_floats;
use gan_playground::nn::Activation;
use gan_playground::toy2d::metrics::optimal_d;
use gan_playground::toy2d::{Phase, views::grid_points};
use gan_playground::{BackendKind, RunConfig, Toy2dConfig, Toy2dTrainer};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(t.into_data_async()).unwrap().try_to_vec().unwrap()
}

/// Density of N(mean, cov) in the plane.
fn gauss2(x: [f64; 2], mean: [f64; 2], cov: [[f64; 2]; 2]) -> f64 {
    let det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    let inv = [
        [cov[1][1] / det, -cov[0][1] / det],
        [-cov[1][0] / det, cov[0][0] / det],
    ];
    let d = [x[0] - mean[0], x[1] - mean[1]];
    let q =
        d[0] * (inv[0][0] * d[0] + inv[0][1] * d[1]) + d[1] * (inv[1][0] * d[0] + inv[1][1] * d[1]);
    (-0.5 * q).exp() / (2.0 * std::f64::consts::PI * det.sqrt())
}

/// With a linear generator, p_g is an exact Gaussian: G(z) = z W + b with z ~ N(0, I) gives
/// N(b, W^T W). Trained alone against that frozen G, D approaches the analytic
/// D* = p_data / (p_data + p_g).
#[test]
fn the_learned_discriminator_approaches_the_analytic_optimum() {
    let config = Toy2dConfig {
        dataset: Dataset::OneGaussian,
        gen_layers: 0,
        ..Toy2dConfig::default()
    };
    let mut t = Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
    let g0 = read(flat_floats(t.generator()));
    t.train_phase(3000, Phase::Discriminator);
    assert_eq!(read(flat_floats(t.generator())), g0, "G stayed frozen");
    // G's parameters: W [2, 2] row-major (x @ W), then b [2].
    let (w, b) = (
        [[g0[0] as f64, g0[1] as f64], [g0[2] as f64, g0[3] as f64]],
        [g0[4] as f64, g0[5] as f64],
    );
    let cov = [
        [
            w[0][0] * w[0][0] + w[1][0] * w[1][0],
            w[0][0] * w[0][1] + w[1][0] * w[1][1],
        ],
        [
            w[0][1] * w[0][0] + w[1][1] * w[1][0],
            w[0][1] * w[0][1] + w[1][1] * w[1][1],
        ],
    ];
    let data_cov = [[0.25, 0.0], [0.0, 0.25]];
    let extent = t.data().extent();
    let res = 48;
    let learned = block_on(t.discriminator_grid(res, extent)).unwrap();
    let theory = block_on(t.theory(res)).unwrap();
    let pts = grid_points(res, extent);
    let dens: Vec<(f64, f64)> = pts
        .chunks_exact(2)
        .map(|p| {
            let x = [p[0] as f64, p[1] as f64];
            (gauss2(x, [0.0, 0.0], data_cov), gauss2(x, b, cov))
        })
        .collect();
    // "Not negligible": p_data + p_g at least 5 % of its largest value on the grid.
    let top = dens.iter().map(|(a, b)| a + b).fold(0.0, f64::max);
    let (mut err, mut err_kde, mut n) = (0.0, 0.0, 0);
    for (i, (pd, pg)) in dens.iter().enumerate() {
        if pd + pg < 0.05 * top {
            continue;
        }
        let star = optimal_d(*pd, *pg);
        err += (learned[i] as f64 - star).abs();
        err_kde += (theory.d_star[i] as f64 - star).abs();
        n += 1;
    }
    let (mad, mad_kde) = (err / n as f64, err_kde / n as f64);
    eprintln!(
        "{n} cells: learned D vs analytic D* {mad:.4}; the page's estimate of D* vs analytic {mad_kde:.4}"
    );
    assert!(n > 100, "{n}");
    assert!(mad < 0.05, "learned D is {mad} from D* on average");
    assert!(
        mad_kde < 0.05,
        "the estimated D* is {mad_kde} from the analytic one"
    );
}

#[test]
fn theory_readouts_of_a_trained_ring() {
    let mut t = Toy2dTrainer::new(
        Toy2dConfig::default(),
        &BackendKind::Flex.cpu_device().unwrap(),
    )
    .unwrap();
    let before = block_on(t.theory(16)).unwrap();
    t.train(3000);
    let after = block_on(t.theory(16)).unwrap();
    eprintln!(
        "before: {before:?}\nafter: {:?} jsd {} v {} d {} {}",
        after.modes, after.jsd, after.v_optimal, after.d_real_mean, after.d_fake_mean
    );
    let (m0, m1) = (before.modes.unwrap(), after.modes.unwrap());
    assert_eq!(m1.modes_total, 8);
    assert!(
        m1.modes_captured > m0.modes_captured && m1.high_quality_pct > m0.high_quality_pct + 30.0,
        "{m0:?} -> {m1:?}"
    );
    // The game's value at D* falls towards -log 4 as p_g approaches p_data.
    assert!(
        after.v_optimal < before.v_optimal - 0.2,
        "{} -> {}",
        before.v_optimal,
        after.v_optimal
    );
    assert!(after.v_optimal >= -4f64.ln() - 0.02);
    assert!((0.0..=std::f64::consts::LN_2 + 0.01).contains(&after.jsd));
    assert_eq!(after.d_star.len(), 16 * 16);
}

/// -d cost / d (x, y) by central differences, from the cost `c` at the points x + eps, x - eps,
/// y + eps, y - eps (indices 0 to 3).
fn negative_central_difference(c: impl Fn(usize) -> f64, eps: f32) -> [f64; 2] {
    let h = 2.0 * eps as f64;
    [-(c(0) - c(1)) / h, -(c(2) - c(3)) / h]
}

/// D's logit at the points `xy` (flat), on the plain device.
fn logits(t: &Toy2dTrainer, xy: &[f32]) -> Vec<f32> {
    let device = BackendKind::Flex.cpu_device().unwrap();
    let x = Tensor::<2>::from_data(TensorData::new(xy.to_vec(), [xy.len() / 2, 2]), &device);
    read(t.discriminator().valid().forward(x))
}

/// The arrows: at every shown fake, -d cost_G / d x equals central differences of the per-sample
/// generator cost (the scalar reference form) through the fixed D, for several losses.
#[test]
fn generator_arrows_are_the_negative_cost_gradient_at_each_fake() {
    for loss in [
        GanLoss::NonSaturating,
        GanLoss::Minimax,
        GanLoss::LeastSquares,
    ] {
        let config = Toy2dConfig {
            loss,
            disc_activation: Activation::Tanh, // smooth, so differences converge
            ..Toy2dConfig::default()
        };
        let mut t = Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
        t.train(150);
        let n = 12;
        let field = block_on(t.generator_field(n)).unwrap();
        assert_eq!(field.len(), 4 * n);
        let shown = block_on(t.generated(n)).unwrap();
        let eps = 1e-2f32;
        let mut worst = 0f64;
        let mut scale = 0f64;
        for i in 0..n {
            let (x, y) = (field[4 * i], field[4 * i + 1]);
            assert_eq!([x, y], [shown[2 * i], shown[2 * i + 1]], "the same fakes");
            let a = logits(&t, &[x + eps, y, x - eps, y, x, y + eps, x, y - eps]);
            let c = |k: usize| loss.generator_cost_at(a[k] as f64);
            let fd = negative_central_difference(c, eps);
            for (k, want) in fd.iter().enumerate() {
                let got = field[4 * i + 2 + k] as f64;
                worst = worst.max((got - want).abs());
                scale = scale.max(want.abs());
            }
        }
        eprintln!(
            "{loss:?}: largest |arrow - central difference| {worst:.2e} (largest arrow {scale:.2e})"
        );
        assert!(scale > 1e-3, "{loss:?}: the arrows are not all zero");
        assert!(
            worst < 2e-3 + 1e-2 * scale,
            "{loss:?}: {worst} vs scale {scale}"
        );
    }
}

/// The manifold of a linear generator G(z) = z W + b is the latent grid mapped by hand.
#[test]
fn the_manifold_is_the_latent_grid_through_g() {
    for (z_dim, prior, reach) in [(2, Prior::Gaussian, 2.5), (1, Prior::Uniform, 1.0)] {
        let config = Toy2dConfig {
            z_dim,
            prior,
            gen_layers: 0,
            ..Toy2dConfig::default()
        };
        let t = Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
        let p = read(flat_floats(t.generator())); // W [z_dim, 2] row-major, then b [2]
        let res = 5;
        let m = block_on(t.manifold(res)).unwrap();
        let rows = if z_dim == 1 { res } else { res * res };
        assert_eq!(m.len(), 2 * rows);
        let at = |i: usize| -reach + 2.0 * reach * i as f64 / (res - 1) as f64;
        for r in 0..rows {
            let z: Vec<f64> = if z_dim == 1 {
                vec![at(r)]
            } else {
                vec![at(r % res), at(r / res)]
            };
            for c in 0..2 {
                let want = (0..z_dim).map(|k| z[k] * p[2 * k + c] as f64).sum::<f64>()
                    + p[2 * z_dim + c] as f64;
                let got = m[2 * r + c] as f64;
                assert!(
                    (got - want).abs() < 1e-5,
                    "z_dim {z_dim} point {r}.{c}: {got} vs {want}"
                );
            }
        }
    }
}

/// A drawing is trained on: the fakes end up on the drawn points (mean distance to the nearest
/// one falls several-fold), and the readouts come from the drawing's own density.
#[test]
fn a_drawn_distribution_is_learned() {
    // Two strokes: a short horizontal bar and a vertical one, as a brush leaves them.
    let mut points = Vec::new();
    for i in 0..20 {
        points.push([-1.5 + 0.05 * i as f64, 1.0]);
        points.push([1.0, -1.5 + 0.05 * i as f64]);
    }
    let config = Toy2dConfig {
        dataset: Dataset::Drawn,
        points: points.clone(),
        ..Toy2dConfig::default()
    };
    let mut t = Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
    let dist = |fakes: &[f32]| {
        fakes
            .chunks_exact(2)
            .map(|f| {
                points
                    .iter()
                    .map(|p| ((f[0] as f64 - p[0]).powi(2) + (f[1] as f64 - p[1]).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min)
            })
            .sum::<f64>()
            / (fakes.len() / 2) as f64
    };
    let before = dist(&block_on(t.generated(500)).unwrap());
    let th0 = block_on(t.theory(16)).unwrap();
    t.train(2000);
    let after = dist(&block_on(t.generated(500)).unwrap());
    let th1 = block_on(t.theory(16)).unwrap();
    eprintln!(
        "mean distance to the drawing {before:.3} -> {after:.3}; JSD {:.3} -> {:.3}",
        th0.jsd, th1.jsd
    );
    assert!(after < before / 3.0 && after < 0.2, "{before} -> {after}");
    assert!(
        th0.modes.is_none() && th1.modes.is_none(),
        "no modes to count"
    );
    assert!(th1.jsd < th0.jsd - 0.1, "{} -> {}", th0.jsd, th1.jsd);
}

/// D's logit on packed inputs: `rows` flat, 2m numbers (m points) per row.
fn packed_logits(t: &Toy2dTrainer, rows: &[f32], m: usize) -> Vec<f32> {
    let device = BackendKind::Flex.cpu_device().unwrap();
    let shape = [rows.len() / (2 * m), 2 * m];
    let x = Tensor::<2>::from_data(TensorData::new(rows.to_vec(), shape), &device);
    read(t.discriminator().valid().forward(x))
}

/// PacGAN's packing: D takes m points (2m numbers); the heatmap is D(x, ..., x); a fake's arrow
/// is the gradient of its own pack's cost (central differences with the pack's other members
/// held); a batch that is not a multiple of m is refused with a message.
#[test]
fn a_packed_discriminator_judges_m_samples_at_once() {
    let m = 4;
    let config = Toy2dConfig {
        pack: m,
        batch_size: 64,
        disc_activation: Activation::Tanh, // smooth, so differences converge
        ..Toy2dConfig::default()
    };
    let mut t = Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
    // First layer 2m x 64 + 64, second 64 x 64 + 64, head 64 + 1.
    let want = (2 * m * 64 + 64) + (64 * 64 + 64) + (64 + 1);
    assert_eq!(t.discriminator().num_params(), want);
    t.train(150);
    let s = block_on(t.losses()).unwrap();
    assert!(s.loss_d.is_finite() && s.loss_g.is_finite());

    // The heatmap: each cell centre x judged as the pack (x, x, x, x).
    let res = 6;
    let grid = block_on(t.discriminator_grid(res, 2.0)).unwrap();
    let pts = grid_points(res, 2.0);
    let rows: Vec<f32> = pts.chunks(2).flat_map(|p| p.repeat(m)).collect();
    let want: Vec<f32> = packed_logits(&t, &rows, m)
        .iter()
        .map(|&a| 1.0 / (1.0 + (-a).exp()))
        .collect();
    for (g, w) in grid.iter().zip(&want) {
        assert!((g - w).abs() < 1e-5, "{g} vs {w}");
    }

    // The arrows of 10 fakes (packs of 4: the last pack is completed by fakes 10 and 11).
    let n = 10;
    let field = block_on(t.generator_field(n)).unwrap();
    assert_eq!(field.len(), 4 * n);
    let shown = block_on(t.generated(12)).unwrap();
    let eps = 1e-2f32;
    let (mut worst, mut scale) = (0f64, 0f64);
    for i in 0..n {
        assert_eq!(
            &field[4 * i..4 * i + 2],
            &shown[2 * i..2 * i + 2],
            "the same fakes"
        );
        let pack = &shown[8 * (i / m)..8 * (i / m + 1)];
        let k = 2 * (i % m);
        let mut rows = Vec::new();
        for (axis, sign) in [(0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)] {
            let mut row = pack.to_vec();
            row[k + axis] += sign * eps;
            rows.extend(row);
        }
        let a = packed_logits(&t, &rows, m);
        let c = |j: usize| GanLoss::NonSaturating.generator_cost_at(a[j] as f64);
        let fd = negative_central_difference(c, eps);
        for (axis, want) in fd.iter().enumerate() {
            let got = field[4 * i + 2 + axis] as f64;
            worst = worst.max((got - want).abs());
            scale = scale.max(want.abs());
        }
    }
    assert!(scale > 1e-3, "the arrows are not all zero");
    assert!(worst < 2e-3 + 1e-2 * scale, "{worst} vs scale {scale}");

    // The theory readouts and the probe work on packs.
    let th = block_on(t.theory(8)).unwrap();
    assert!((0.0..=1.0).contains(&th.d_real_mean) && (0.0..=1.0).contains(&th.d_fake_mean));
    let probe = block_on(t.probe()).unwrap();
    assert_eq!(probe.d_fake.len(), 64 / m);

    let err = Toy2dConfig::from_json(r#"{"pack": 3, "batchSize": 64}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("batchSize (64) must be a multiple of pack (3)"),
        "{err}"
    );
    let err = Toy2dConfig::from_json(r#"{"pack": 9}"#).unwrap_err();
    assert!(err.to_string().contains("pack"), "{err}");
}

fn params(t: &Toy2dTrainer) -> (Vec<f32>, Vec<f32>) {
    (
        read(flat_floats(&t.generator().valid())),
        read(flat_floats(&t.discriminator().valid())),
    )
}

/// Live settings: a learning rate changed mid-run keeps the step and the weights, and the next
/// updates are the new rate's: with both rates 0 nothing moves, and with them back the run
/// continues exactly as a run that never paused its rates would from that state. A setting
/// that needs a new run is refused by name and leaves the run as it was.
#[test]
fn live_settings_change_the_next_updates_and_keep_the_run() {
    let device = BackendKind::Flex.cpu_device().unwrap();
    let mut t = Toy2dTrainer::new(Toy2dConfig::default(), &device).unwrap();
    t.train(20);
    let before = params(&t);
    let frozen = Toy2dConfig {
        lr_d: 1e-7,
        lr_g: 1e-7,
        k: 3,
        loss: GanLoss::Hinge,
        ..t.config().clone()
    };
    t.set_live(frozen).unwrap();
    assert_eq!(t.step_count(), 20, "the step count goes on");
    assert_eq!(params(&t), before, "nothing changes until the next update");
    t.train(5);
    assert_eq!(t.step_count(), 25);
    let after = params(&t);
    let moved = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max)
    };
    // Adam's steps are about the learning rate in size: 1e-7 moves nothing visibly.
    assert!(moved(&after.0, &before.0) < 1e-5 && moved(&after.1, &before.1) < 1e-5);

    // Back to 1e-3: the weights move by Adam-sized steps again.
    let live = Toy2dConfig {
        lr_d: 1e-3,
        lr_g: 1e-3,
        ..t.config().clone()
    };
    t.set_live(live).unwrap();
    t.train(5);
    let again = params(&t);
    assert!(moved(&again.0, &after.0) > 1e-3, "G moves at lr 1e-3");

    // Switching G to SGD and back to Adam starts its moments afresh; still the same run.
    let sgd = Toy2dConfig {
        gen_optimizer: gan_playground::gan::optim::OptimizerKind::Sgd,
        ..t.config().clone()
    };
    t.set_live(sgd).unwrap();
    t.train(2);
    assert_eq!(t.step_count(), 32);

    for (next, key) in [
        (
            Toy2dConfig {
                gen_width: 32,
                ..t.config().clone()
            },
            "genWidth",
        ),
        (
            Toy2dConfig {
                seed: 9,
                ..t.config().clone()
            },
            "seed",
        ),
        (
            Toy2dConfig {
                dataset: Dataset::Spiral,
                ..t.config().clone()
            },
            "dataset",
        ),
    ] {
        let was = t.config().clone();
        let err = t.set_live(next).unwrap_err().to_string();
        assert!(
            err.contains(key) && err.contains("needs a new run"),
            "{err}"
        );
        assert_eq!(t.config(), &was, "a refused change leaves the run's config");
    }
    let err = t
        .set_live(Toy2dConfig {
            k: 0,
            ..t.config().clone()
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("k = 0"), "{err}");
}
