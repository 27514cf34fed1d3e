#![cfg(not(target_arch = "wasm32"))]
//! The 2-D playground's conditional switch (Mirza and Osindero, 2014, on the Gaussian
//! mixtures): the component a point came from is its label, given one-hot to G and to D. Label
//! plumbing, the penalties on the point only, the views' labels, the theory readouts, files,
//! and the lesson itself: a label removes mode collapse.

#[allow(dead_code)]
#[path = "common/tensors.rs"]
mod common_tensors;

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use common_tensors::{scalar, tensor};
use futures_lite::future::block_on;
use gan_playground::data::{Dataset, Distribution2d};
use gan_playground::gan::params::flat_floats;
use gan_playground::gan::rng::Rng;
use gan_playground::nn::{Activation, MlpConfig};
use gan_playground::toy2d::metrics::{conditional_densities, on_label_pct};
use gan_playground::toy2d::views::grid_points;
use gan_playground::{BackendKind, RunConfig, Toy2dConfig, Toy2dTrainer};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(t.into_data_async()).unwrap().try_to_vec().unwrap()
}

fn conditional(dataset: Dataset, seed: u64) -> Toy2dConfig {
    Toy2dConfig {
        dataset,
        conditional: true,
        seed,
        ..Toy2dConfig::default()
    }
}

fn trainer(config: Toy2dConfig) -> Toy2dTrainer {
    Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap()
}

#[test]
fn the_label_widens_both_networks_and_only_mixtures_have_labels() {
    let ring = conditional(Dataset::Ring8, 1);
    assert_eq!(ring.classes(), 8);
    assert_eq!(ring.generator().d_in, 2 + 8, "z, then the one-hot label");
    assert_eq!(
        ring.discriminator().d_in,
        2 + 8,
        "the point, then its label"
    );
    let packed = Toy2dConfig {
        pack: 2,
        batch_size: 64,
        ..conditional(Dataset::Grid25, 1)
    };
    assert_eq!(packed.classes(), 25);
    assert_eq!(
        packed.discriminator().d_in,
        2 * (2 + 25),
        "each packed point with its label"
    );
    assert_eq!(Toy2dConfig::default().classes(), 0);
    assert_eq!(Toy2dConfig::default().generator().d_in, 2);
    for ds in ["spiral", "twoMoons", "oneGaussian"] {
        let err = Toy2dConfig::from_json(&format!(r#"{{"dataset": "{ds}", "conditional": true}}"#))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "conditional needs a mixture whose components are the labels (ring8 or grid25)"
            ) && err.contains(&format!("dataset is \"{ds}\"")),
            "{err}"
        );
    }
    let err = Toy2dConfig::from_json(r#"{"conditional": "yes"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("conditional: invalid type"), "{err}");
}

#[test]
fn labelled_samples_are_the_same_points_with_their_component() {
    let d = Distribution2d::new(Dataset::Grid25, None, None);
    let plain = d.sample(&mut Rng::new(7), 500);
    let (points, labels) = d.sample_labelled(&mut Rng::new(7), 500);
    assert_eq!(points, plain, "the same stream gives the same points");
    let modes = d.modes();
    for (p, &l) in points.chunks(2).zip(&labels) {
        // sd 0.05 and modes 2 apart: every point sits within 0.4 of its own component.
        let m = modes[l];
        assert!(
            ((p[0] as f64 - m[0]).hypot(p[1] as f64 - m[1])) < 0.4,
            "{p:?} vs mode {l}"
        );
    }
    let mut seen = [false; 25];
    labels.iter().for_each(|&l| seen[l] = true);
    assert!(seen.iter().all(|&s| s), "500 draws reach every component");
}

/// A linear critic D(x) = x . w + b has the input gradient w everywhere, so its R1 penalty is
/// ||w||^2 / 2 and WGAN-GP's (||w|| - 1)^2; a conditional run's penalty keeps the point's
/// columns only.
#[test]
fn penalties_are_on_the_point_not_on_the_label() {
    let device = BackendKind::Flex.cpu_device().unwrap().autodiff();
    let d = MlpConfig {
        d_in: 5,
        hidden: 0,
        width: 1,
        d_out: 1,
        activation: Activation::Relu,
    }
    .init(&mut Rng::new(3), &device);
    let w: Vec<f64> = read(flat_floats(&d))[..5]
        .iter()
        .map(|&v| v as f64)
        .collect();
    let x = tensor(
        &[&[0.3, -0.2, 1.0, 0.0, 0.0], &[1.5, 0.7, 0.0, 0.0, 1.0]],
        &device,
    );
    let mask = tensor(&[&[1.0, 1.0, 0.0, 0.0, 0.0]], &device);
    let point_sq = w[0] * w[0] + w[1] * w[1];
    let all_sq: f64 = w.iter().map(|v| v * v).sum();
    let r1 = scalar(d.r1_penalty_on(x.clone(), Some(mask.clone())));
    assert!(
        (r1 - point_sq / 2.0).abs() < 1e-6,
        "{r1} vs {}",
        point_sq / 2.0
    );
    let r1_all = scalar(d.r1_penalty(x.clone()));
    assert!(
        (r1_all - all_sq / 2.0).abs() < 1e-6,
        "{r1_all} vs {}",
        all_sq / 2.0
    );
    let gp = scalar(d.gradient_penalty_on(x, Some(mask)));
    let want = (point_sq.sqrt() - 1.0).powi(2);
    assert!((gp - want).abs() < 1e-5, "{gp} vs {want}");
}

#[test]
fn the_label_changes_what_g_makes_and_what_d_says() {
    let t = trainer(conditional(Dataset::Ring8, 4));
    let z = [0.4f32, -1.1];
    let with = |label: usize| {
        let mut row = z.to_vec();
        row.extend((0..8).map(|j| if j == label { 1.0 } else { 0.0 }));
        Tensor::<2>::from_data(TensorData::new(row, [1, 10]), t.device())
    };
    let g = t.generator().valid();
    let (a, b) = (read(g.forward(with(0))), read(g.forward(with(5))));
    assert_ne!(a, b, "same z, another label, another point");
    let d = t.discriminator().valid();
    let judge = |label: usize| {
        let mut row = vec![1.0f32, 1.0];
        row.extend((0..8).map(|j| if j == label { 1.0 } else { 0.0 }));
        read(d.forward(Tensor::<2>::from_data(
            TensorData::new(row, [1, 10]),
            t.device(),
        )))
    };
    assert_ne!(
        judge(1),
        judge(6),
        "same point, another label, another verdict"
    );
}

/// The views ask D about each grid point with the label of its nearest component, give the
/// fixed fakes the labels 0, 1, ..., K - 1 in turn, and draw one latent grid per label.
#[test]
fn the_views_carry_labels() {
    let mut t = trainer(conditional(Dataset::Ring8, 2));
    t.train(20);
    let (res, extent) = (6, t.data().extent());
    let grid = block_on(t.discriminator_grid(res, extent)).unwrap();
    let pts = grid_points(res, extent);
    let modes = t.data().modes();
    let mut rows = Vec::new();
    for p in pts.chunks(2) {
        let c = (0..8)
            .min_by(|&i, &j| {
                let d = |m: [f64; 2]| (p[0] as f64 - m[0]).powi(2) + (p[1] as f64 - m[1]).powi(2);
                d(modes[i]).total_cmp(&d(modes[j]))
            })
            .unwrap();
        rows.extend([p[0], p[1]]);
        rows.extend((0..8).map(|j| if j == c { 1.0 } else { 0.0 }));
    }
    let x = Tensor::<2>::from_data(TensorData::new(rows, [res * res, 10]), t.device());
    let logits = read(t.discriminator().valid().forward(x));
    for (got, a) in grid.iter().zip(&logits) {
        let want = 1.0 / (1.0 + (-a).exp());
        assert!((got - want).abs() < 1e-5, "{got} vs sigmoid({a}) = {want}");
    }
    // The first fixed fakes are labels 0..7 with the first eight noise draws.
    let fakes = block_on(t.generated(16)).unwrap();
    assert_eq!(fakes.len(), 32);
    let manifold = block_on(t.manifold(5)).unwrap();
    assert_eq!(
        manifold.len(),
        8 * 5 * 5 * 2,
        "one 5 x 5 latent grid per label"
    );
    assert_ne!(
        manifold[..50],
        manifold[50..100],
        "label 1's grid is not label 0's"
    );
    let field = block_on(t.generator_field(16)).unwrap();
    assert_eq!(field.len(), 64);
    assert_eq!(
        field
            .chunks(4)
            .flat_map(|f| [f[0], f[1]])
            .collect::<Vec<_>>(),
        fakes,
        "the pull is drawn on the same fakes"
    );
    let probe = block_on(t.probe()).unwrap();
    assert_eq!(probe.d_fake.len(), 256);
    assert!(probe.grad_norm_non_saturating > 0.0);
}

#[test]
fn conditional_densities_and_on_label_share_by_hand() {
    let modes = [[0.0, 0.0], [4.0, 0.0]];
    // Two fakes labelled 0 at mode 0, one labelled 1 at mode 0 (off its label), one labelled
    // 1 at 4.2 (within 3 sd = 0.3 of mode 1).
    let pts = [0.0f32, 0.0, 0.1, 0.0, 0.0, 0.0, 4.2, 0.0];
    let labels = [0, 0, 1, 1];
    assert_eq!(on_label_pct(&pts, &labels, &modes, 0.1), 75.0);
    let (var, h) = (0.02, 0.1);
    let dens = conditional_densities(&[0.0, 0.0, 4.0, 0.0], &pts, &labels, &modes, var, h);
    let gauss = |d2: f64, v: f64| (-d2 / (2.0 * v)).exp() / (2.0 * std::f64::consts::PI * v);
    // At (0, 0) the label is 0: p_data(x | 0) is mode 0's Gaussian at its centre, p_g(x | 0)
    // the kernel estimate of the two label-0 fakes only (the label-1 fake there is not counted).
    let pg0 = (gauss(0.0, h * h) + gauss((0.1f32 as f64).powi(2), h * h)) / 2.0;
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs();
    assert!(close(dens[0].0, gauss(0.0, var)));
    assert!(close(dens[0].1, pg0), "{} vs {pg0}", dens[0].1);
    // At (4, 0) the label is 1: its fakes are (0, 0) and (4.2, 0).
    let pg1 = (gauss(16.0, h * h) + gauss((4.2f32 as f64 - 4.0).powi(2), h * h)) / 2.0;
    assert!(close(dens[1].1, pg1), "{} vs {pg1}", dens[1].1);
}

/// The lesson, on the 25-mode grid where the plain GAN collapses: with the same seed and
/// budget, the conditional run covers every mode with its samples on their labels, the
/// unconditional one does not (measured 25 / 25 and 16-18 / 25 at 5,000 steps; here 2,000).
#[test]
fn a_label_removes_mode_collapse_on_the_grid() {
    let theory = |conditional: bool| {
        let mut t = trainer(Toy2dConfig {
            dataset: Dataset::Grid25,
            conditional,
            seed: 1,
            ..Toy2dConfig::default()
        });
        t.train(2000);
        block_on(t.theory(8)).unwrap()
    };
    let (on, off) = (theory(true), theory(false));
    let (m_on, m_off) = (on.modes.unwrap(), off.modes.unwrap());
    assert_eq!(m_on.modes_captured, 25, "{m_on:?}");
    assert!(on.on_label_pct.unwrap() > 60.0, "{:?}", on.on_label_pct);
    assert!(m_off.modes_captured < 25, "{m_off:?}");
    assert!(off.on_label_pct.is_none());
    assert!(on.jsd < off.jsd, "{} vs {}", on.jsd, off.jsd);
}

#[test]
fn a_conditional_run_saves_loads_and_refuses_to_switch_live() {
    let mut t = trainer(Toy2dConfig {
        r1_weight: 1.0,
        ..conditional(Dataset::Ring8, 3)
    });
    t.train(5);
    let bytes = block_on(t.save()).unwrap();
    let mut back = Toy2dTrainer::load(&bytes, &BackendKind::Flex.cpu_device().unwrap()).unwrap();
    assert!(back.config().conditional);
    t.train(5);
    back.train(5);
    let (a, b) = (
        block_on(t.losses()).unwrap(),
        block_on(back.losses()).unwrap(),
    );
    assert_eq!(
        (a.loss_d, a.loss_g),
        (b.loss_d, b.loss_g),
        "continues exactly"
    );
    let err = t
        .set_live(Toy2dConfig {
            conditional: false,
            ..t.config().clone()
        })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("conditional cannot change while a run trains"),
        "{err}"
    );
    // WGAN-GP trains a conditional critic with its penalty on the points.
    let mut gp = trainer(Toy2dConfig {
        loss: gan_playground::GanLoss::WganGp,
        k: 2,
        ..conditional(Dataset::Grid25, 1)
    });
    gp.train(3);
    assert!(block_on(gp.losses()).unwrap().loss_d.is_finite());
}
