#![cfg(not(target_arch = "wasm32"))]
//! Native training behaviour of the engine on the CPU backend: determinism, and that the
//! generator really learns the ring of 8 Gaussians.

use futures_lite::future::block_on;
use gan_playground::data::Distribution2d;
use gan_playground::{BackendKind, GanLoss, RunConfig, Toy2dConfig, Toy2dTrainer};

fn trainer(config: Toy2dConfig) -> Toy2dTrainer {
    Toy2dTrainer::new(config, &BackendKind::Flex.cpu_device().unwrap()).unwrap()
}

/// Mean distance from each generated point to its nearest mode of the ring.
fn mean_distance_to_modes(points: &[f32], data: &Distribution2d) -> f64 {
    let modes = data.modes();
    let n = points.len() / 2;
    points
        .chunks(2)
        .map(|p| {
            modes
                .iter()
                .map(|m| ((p[0] as f64 - m[0]).powi(2) + (p[1] as f64 - m[1]).powi(2)).sqrt())
                .fold(f64::INFINITY, f64::min)
        })
        .sum::<f64>()
        / n as f64
}

#[test]
fn same_seed_gives_the_same_run_and_another_seed_does_not() {
    let run = |seed| {
        let mut t = trainer(Toy2dConfig {
            seed,
            batch_size: 64,
            ..Toy2dConfig::default()
        });
        t.train(25);
        let s = block_on(t.losses()).unwrap();
        let pts = block_on(t.generated(16)).unwrap();
        (s.loss_d, s.loss_g, pts)
    };
    let (a, b, c) = (run(3), run(3), run(4));
    assert_eq!(a, b);
    assert_ne!(a.2, c.2);
}

#[test]
fn reading_samples_does_not_change_the_run() {
    let cfg = Toy2dConfig {
        batch_size: 64,
        ..Toy2dConfig::default()
    };
    let mut quiet = trainer(cfg.clone());
    let mut watched = trainer(cfg);
    for _ in 0..5 {
        quiet.train(4);
        watched.train(4);
        block_on(watched.generated(100)).unwrap();
        block_on(watched.discriminator_grid(8, 3.0)).unwrap();
    }
    assert_eq!(
        block_on(quiet.losses()).unwrap(),
        block_on(watched.losses()).unwrap()
    );
}

#[test]
fn losses_start_near_the_theory_values() {
    // At initialisation D's logits are near 0, so D ~ 1/2: the BCE discriminator cost is near
    // 2 log 2 and the non-saturating generator cost near log 2.
    let mut t = trainer(Toy2dConfig::default());
    t.train(1);
    let s = block_on(t.losses()).unwrap();
    assert_eq!(s.step, 1);
    assert!(
        (s.loss_d - 2.0 * std::f32::consts::LN_2).abs() < 0.25,
        "{s:?}"
    );
    assert!((s.loss_g - std::f32::consts::LN_2).abs() < 0.25, "{s:?}");
}

#[test]
fn training_on_the_ring_moves_the_fakes_onto_the_modes() {
    for loss in [GanLoss::NonSaturating, GanLoss::LeastSquares] {
        let mut t = trainer(Toy2dConfig {
            loss,
            seed: 7,
            ..Toy2dConfig::default()
        });
        let before = mean_distance_to_modes(&block_on(t.generated(1000)).unwrap(), t.data());
        t.train(1500);
        let after = mean_distance_to_modes(&block_on(t.generated(1000)).unwrap(), t.data());
        // An untrained G puts its points near the origin, ~2 from every mode; a trained one
        // puts most of them on the modes.
        assert!(before > 1.0, "{loss:?}: before {before}");
        assert!(after < 0.35 * before, "{loss:?}: {before} -> {after}");
    }
}

#[test]
fn discriminator_grid_is_a_probability_map_of_the_right_size() {
    let mut t = trainer(Toy2dConfig::default());
    t.train(50);
    let g = block_on(t.discriminator_grid(16, 3.0)).unwrap();
    assert_eq!(g.len(), 256);
    assert!(g.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn bad_config_is_refused_before_any_work() {
    let err = Toy2dTrainer::new(
        Toy2dConfig {
            batch_size: 0,
            ..Toy2dConfig::default()
        },
        &BackendKind::Flex.cpu_device().unwrap(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("batchSize"), "{err}");
}

#[test]
fn learning_rates_halve_every_half_life() {
    let mut t = trainer(Toy2dConfig {
        lr_half_life: 100,
        batch_size: 16,
        ..Toy2dConfig::default()
    });
    assert_eq!((t.learning_rates().0, t.learning_rates().1), (1e-3, 1e-3));
    t.train(100);
    assert!(
        (t.learning_rates().0 - 5e-4).abs() < 1e-15 && (t.learning_rates().1 - 5e-4).abs() < 1e-15
    );
    t.train(100);
    assert!((t.learning_rates().1 - 2.5e-4).abs() < 1e-15);
    let constant = trainer(Toy2dConfig::default());
    assert_eq!(constant.learning_rates().1, 1e-3);
    let err = Toy2dConfig::from_json(r#"{"lrHalfLife": 2000000}"#).unwrap_err();
    assert!(err.to_string().contains("lrHalfLife"), "{err}");
}
