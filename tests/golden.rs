#![cfg(not(target_arch = "wasm32"))]
//! Same seed, same run, across the reshape of the engine into `gan/`, `nn/`, `data/` and one
//! folder per family: the figures below were recorded with the engine as it was before
//! (commit 6804cc7, natively on flex), and the reshaped engine must give them again. The
//! files under `tests/fixtures/` were saved by that engine, and must load and continue.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use futures_lite::future::block_on;
use gan_playground::gan::optim::OptimizerKind;
use gan_playground::image::{ImageArch, ImageConfig, ImageTrainer};
use gan_playground::{BackendKind, GanLoss, Toy2dConfig, Toy2dTrainer};

fn device() -> burn::tensor::Device {
    BackendKind::Flex.cpu_device().unwrap()
}

/// Equal to 1e-5 of the larger magnitude (a change of recipe moves them far more; the last
/// bits may differ where a kernel sums in another order on another CPU).
fn close(got: &[f32], want: &[f32], what: &str) {
    close_within(got, want, 1e-5, what);
}

/// Equal to `rel` of the larger magnitude.
fn close_within(got: &[f32], want: &[f32], rel: f32, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tol = rel * g.abs().max(w.abs()).max(1e-3);
        assert!(
            (g - w).abs() <= tol,
            "{what}[{i}]: {g} against {w} recorded"
        );
    }
}

fn flat(pairs: &[(f32, f32)]) -> Vec<f32> {
    pairs.iter().flat_map(|&(a, b)| [a, b]).collect()
}

/// Losses after each of `steps` rounds, 4 generated points, the probe's two norms and D on a
/// 4 x 4 grid of [-3, 3]^2, as recorded.
fn check_2d(
    config: Toy2dConfig,
    losses: &[(f32, f32)],
    points: &[f32],
    probe: [f32; 2],
    grid: &[f32],
) {
    let mut t = Toy2dTrainer::new(config, &device()).unwrap();
    let mut got = Vec::new();
    for _ in 0..losses.len() {
        t.train(1);
        let s = block_on(t.losses()).unwrap();
        got.push((s.loss_d, s.loss_g));
    }
    close(&flat(&got), &flat(losses), "losses");
    close(&block_on(t.generated(4)).unwrap(), points, "points");
    let p = block_on(t.probe()).unwrap();
    close(
        &[p.grad_norm_minimax, p.grad_norm_non_saturating],
        &probe,
        "probe",
    );
    close(
        &block_on(t.discriminator_grid(4, 3.0)).unwrap(),
        grid,
        "D grid",
    );
}

#[test]
fn the_2d_reference_run_is_unchanged() {
    check_2d(
        Toy2dConfig::default(),
        &[
            (1.3890802, 0.67280495),
            (1.3684413, 0.67503905),
            (1.3512437, 0.67819154),
            (1.3353348, 0.68013084),
            (1.3165493, 0.68315214),
            (1.2981224, 0.6855602),
        ],
        &[
            0.18704051,
            -0.28335258,
            0.24506482,
            -0.34822804,
            -0.016667888,
            -0.22075257,
            0.21020515,
            -0.31743658,
        ],
        [0.04838968, 0.047281034],
        &[
            0.63004404, 0.5714767, 0.5446701, 0.54559493, 0.60415065, 0.5401982, 0.5345981,
            0.5525187, 0.5830579, 0.5248591, 0.52471834, 0.5684651, 0.58861154, 0.5616585,
            0.5674111, 0.6052171,
        ],
    );
}

#[test]
fn a_wgan_gp_run_is_unchanged() {
    check_2d(
        Toy2dConfig {
            loss: GanLoss::WganGp,
            k: 5,
            batch_size: 64,
            ..Toy2dConfig::default()
        },
        &[
            (7.912548, 0.01341593),
            (5.495202, 0.052270122),
            (3.5875292, 0.06759922),
            (1.8447497, 0.07661852),
        ],
        &[
            -0.029032812,
            -0.05518345,
            -0.031329155,
            -0.04329207,
            -0.17533633,
            0.1607722,
            -0.032644764,
            -0.05708614,
        ],
        [0.81405544, 0.8137648],
        &[
            1.80112,
            0.9972933,
            0.21778744,
            -0.50662917,
            1.2929965,
            0.6019824,
            -0.05310234,
            -0.84420055,
            0.6483726,
            -0.05161301,
            -0.6241035,
            -1.2816913,
            -0.12713607,
            -0.6920232,
            -1.2027407,
            -1.8373586,
        ],
    );
}

#[test]
fn a_packed_r1_sgd_run_with_a_half_life_is_unchanged() {
    check_2d(
        Toy2dConfig {
            pack: 2,
            r1_weight: 1.0,
            gen_optimizer: OptimizerKind::Sgd,
            lr_g: 0.05,
            lr_half_life: 3,
            batch_size: 64,
            ..Toy2dConfig::default()
        },
        &[
            (1.437645, 0.69947654),
            (1.4040731, 0.6974124),
            (1.4062034, 0.6940706),
            (1.3959037, 0.6921505),
        ],
        &[
            0.03910242,
            -0.1516094,
            0.055285186,
            -0.16518226,
            -0.034377806,
            -0.091918975,
            0.04540009,
            -0.15521388,
        ],
        [0.1341313, 0.13363409],
        &[
            0.5239083, 0.5189863, 0.51742107, 0.5098383, 0.5192531, 0.52313143, 0.51427585,
            0.4994783, 0.53153235, 0.5108428, 0.49140364, 0.4833981, 0.5342816, 0.49469087,
            0.4790398, 0.46510872,
        ],
    );
}

/// Losses after each round, the sum of G's images of 2 grid latents and 4 of their pixels.
///
/// The images get a looser bound than the losses: after three rounds of Adam through
/// convolutions and batch norm, another CPU's summation order moves a DCGAN pixel by up to
/// ~1e-4 of its value (an AMD EPYC with AVX-512 against the recording machine: pixel sum
/// 781.50757 against 781.54423; the engine from before the reshape gives 781.50757 there too,
/// to the last digit). A change of recipe moves them by percents.
fn check_image(config: ImageConfig, losses: &[(f32, f32)], pixel_sum: f64, pixels: &[f32]) {
    let mut t = ImageTrainer::new(config, digits(), &device()).unwrap();
    let mut got = Vec::new();
    for _ in 0..losses.len() {
        t.train(1);
        let s = block_on(t.losses()).unwrap();
        got.push((s.loss_d, s.loss_g));
    }
    close(&flat(&got), &flat(losses), "losses");
    let z = t.view_latents(2, None).unwrap();
    let px = block_on(t.images(&z).unwrap()).unwrap();
    let sum: f64 = px.iter().map(|&p| p as f64).sum();
    assert!(
        (sum - pixel_sum).abs() < 2e-4 * pixel_sum,
        "pixel sum {sum} against {pixel_sum}"
    );
    close_within(&px[300..304], pixels, 5e-4, "pixels");
}

#[test]
fn the_default_dcgan_run_is_unchanged() {
    check_image(
        ImageConfig::default(),
        &[
            (1.2485839, 1.0122173),
            (1.0702388, 0.99046165),
            (0.90819967, 1.1095228),
        ],
        781.5442300140858,
        &[0.49857736, 0.4982052, 0.49860075, 0.4980727],
    );
}

#[test]
fn the_mlp_gan_run_is_unchanged() {
    check_image(
        ImageConfig {
            arch: ImageArch::Mlp,
            ..ImageConfig::default()
        },
        &[
            (1.4011667, 0.6871419),
            (1.1279099, 0.668616),
            (0.9719676, 0.64074326),
        ],
        771.4166661500931,
        &[0.5089414, 0.39903805, 0.48187447, 0.53425133],
    );
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn runs_saved_before_the_reshape_load_and_continue_as_they_did() {
    // Saved after 3 rounds of G 2-8-8-2, D 2-8-8-1, batch 32, seed 5.
    let mut t = Toy2dTrainer::load(&fixture("pre-reshape.ganrun"), &device()).unwrap();
    assert_eq!(t.step_count(), 3);
    let mut got = Vec::new();
    for _ in 0..2 {
        t.train(1);
        let s = block_on(t.losses()).unwrap();
        got.push((s.loss_d, s.loss_g));
    }
    close(
        &flat(&got),
        &[1.4296978, 0.72262347, 1.4323347, 0.72145456],
        "2-D losses",
    );
    // Saved after 2 rounds of a DCGAN of width 4, z of 12 with 4 categories, batch 8.
    let mut t = ImageTrainer::load(&fixture("pre-reshape.ganimg"), digits(), &device()).unwrap();
    assert_eq!(t.step_count(), 2);
    let mut got = Vec::new();
    for _ in 0..2 {
        t.train(1);
        let s = block_on(t.losses()).unwrap();
        got.push((s.loss_d, s.loss_g));
    }
    close(
        &flat(&got),
        &[1.3150561, 0.7620378, 1.258848, 0.7857084],
        "image losses",
    );
    let z = t.view_latents(1, None).unwrap();
    let px = block_on(t.images(&z).unwrap()).unwrap();
    close(
        &px[400..403],
        &[0.50094485, 0.49900186, 0.5009384],
        "image pixels",
    );
}
