#![cfg(not(target_arch = "wasm32"))]
//! StackGAN's training run (issue 26): the matching-aware cost and the 2 x 2 average against
//! hand-computed values, stage II trained with stage I frozen (stage I's images do not move),
//! the same seed giving the same run, and a short run whose costs stay finite; the schedule,
//! save and load continuing bit-exactly, and bad input refused with a message.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::data::captions::tokenize;
use gan_playground::gan::run::{RunConfig, read_vec};
use gan_playground::stack::StackConfig;
use gan_playground::stack::trainer::{StackTrainer, Stage, downsample, matching_cost};

fn device() -> Device {
    Device::flex()
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_vec(t.flatten::<1>(0, D - 1))).unwrap()
}

fn close(a: f32, b: f32) {
    assert!((a - b).abs() < 1e-5, "{a} vs {b}");
}

fn softplus(x: f32) -> f32 {
    (1.0 + x.exp()).ln()
}

/// The smallest useful networks, so a round takes milliseconds.
fn small() -> StackConfig {
    StackConfig {
        z_dim: 4,
        code: 4,
        gen_width: 4,
        disc_width: 4,
        embed: 4,
        batch_size: 4,
        ..StackConfig::default()
    }
}

/// Both stages' images of three captions for fixed latents and draws.
fn pictures(t: &StackTrainer) -> (Vec<f32>, Vec<f32>) {
    let s = t.config().shape();
    let captions: Vec<Vec<usize>> = ["a thin two slanted left", "a thick seven", "an eight"]
        .iter()
        .map(|c| tokenize(c).0)
        .collect();
    let z: Vec<f32> = (0..3 * s.z_dim).map(|i| (i as f32 * 0.37).sin()).collect();
    let eps: Vec<f32> = (0..3 * s.code).map(|i| (i as f32 * 0.91).cos()).collect();
    block_on(t.images(&captions, &z, &eps).unwrap()).unwrap()
}

#[test]
fn the_matching_aware_cost_matches_hand_computed_values() {
    let t = |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [2, 1]), &device());
    let (real, fake, wrong) = ([1.0, -0.5], [0.0, 2.0], [-1.0, 0.5]);
    let mean = |v: [f32; 2], f: &dyn Fn(f32) -> f32| (f(v[0]) + f(v[1])) / 2.0;
    let want = mean(real, &|x| softplus(-x))
        + 0.5 * (mean(fake, &|x| softplus(x)) + mean(wrong, &|x| softplus(x)));
    close(read(matching_cost(t(&real), t(&fake), t(&wrong)))[0], want);
}

#[test]
fn downsampling_averages_each_two_by_two_block() {
    // Pixel (r, c) holds r * 28 + c: block (i, j) averages rows 2i, 2i+1 and columns 2j, 2j+1.
    let x: Vec<f32> = (0..784).map(|i| i as f32).collect();
    let low = read(downsample(Tensor::from_data(
        TensorData::new(x, [1, 784]),
        &device(),
    )));
    assert_eq!(low.len(), 196);
    for (i, j) in [(0, 0), (3, 5), (13, 13)] {
        let want = ((2 * i) * 28 + 2 * j) as f32 + 14.0 + 0.5;
        close(low[i * 14 + j], want);
    }
}

#[test]
fn the_pictures_show_a_moving_average_that_leaves_training_alone() {
    let off = StackConfig {
        ema_decay: 0.0,
        ..small()
    };
    let mut t = StackTrainer::new(small(), digits(), &device()).unwrap();
    let mut u = StackTrainer::new(off, digits(), &device()).unwrap();
    let both = |t: &mut StackTrainer, u: &mut StackTrainer, stage, rounds| {
        t.train(stage, rounds);
        u.train(stage, rounds);
        let (a, b) = (block_on(t.losses()).unwrap(), block_on(u.losses()).unwrap());
        assert_eq!(a, b, "the average changed the training");
    };
    both(&mut t, &mut u, Stage::One, 1);
    assert_eq!(
        pictures(&t),
        pictures(&u),
        "the first average is the weights"
    );
    both(&mut t, &mut u, Stage::One, 2);
    let (low, high) = pictures(&t);
    assert_ne!(low, pictures(&u).0, "stage I's pictures are not averaged");
    both(&mut t, &mut u, Stage::Two, 2);
    let (low_after, high_after) = pictures(&t);
    assert_eq!(low, low_after, "stage II's rounds moved stage I's average");
    assert_ne!(high, high_after, "stage II's average did not move");
    assert_ne!(
        high_after,
        pictures(&u).1,
        "stage II's pictures are not averaged"
    );
}

#[test]
fn stage_two_trains_with_stage_one_frozen() {
    let mut t = StackTrainer::new(small(), digits(), &device()).unwrap();
    t.train(Stage::One, 3);
    let (low, high) = pictures(&t);
    t.train(Stage::Two, 3);
    let (low_after, high_after) = pictures(&t);
    assert_eq!(low, low_after, "stage II's rounds changed stage I");
    assert_ne!(
        high, high_after,
        "stage II's rounds changed nothing of stage II"
    );
    t.train(Stage::One, 1);
    assert_ne!(
        low_after,
        pictures(&t).0,
        "a stage-I round changed nothing of stage I"
    );
    assert_eq!(t.rounds(), [4, 3]);
}

#[test]
fn the_same_seed_gives_the_same_run_and_its_costs_stay_finite() {
    let run = || {
        let mut t = StackTrainer::new(small(), digits(), &device()).unwrap();
        t.train(Stage::One, 5);
        let one = block_on(t.losses()).unwrap();
        t.train(Stage::Two, 5);
        let two = block_on(t.losses()).unwrap();
        (one, two, pictures(&t))
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    for x in [a.0.loss_d, a.0.loss_g, a.1.loss_d, a.1.loss_g] {
        assert!(x.is_finite() && x > 0.0, "cost {x}");
    }
    // Pictures are tanh outputs: inside (-1, 1).
    assert!(a.2.1.iter().all(|p| p.abs() < 1.0));
    // Mismatched captions with an attribute changed are other pairs for D: another cost.
    let mut t = StackTrainer::new(
        StackConfig {
            attribute_mismatch: 1.0,
            ..small()
        },
        digits(),
        &device(),
    )
    .unwrap();
    t.train(Stage::One, 1);
    let mut u = StackTrainer::new(small(), digits(), &device()).unwrap();
    u.train(Stage::One, 1);
    let (dt, du) = (block_on(t.losses()).unwrap(), block_on(u.losses()).unwrap());
    assert_ne!(dt.loss_d, du.loss_d, "the wrong captions reached D");
}

#[test]
fn settings_are_read_from_json_and_bad_ones_are_refused_by_name() {
    let c = StackConfig::from_json(r#"{"klWeight": 0, "batchSize": 8}"#).unwrap();
    assert_eq!((c.kl_weight, c.batch_size, c.z_dim), (0.0, 8, 16));
    assert_eq!(StackConfig::from_json(&c.to_json()).unwrap(), c);
    for (json, key) in [
        (r#"{"klWeight": -1}"#, "klWeight"),
        (r#"{"attributeMismatch": 1.5}"#, "attributeMismatch"),
        (r#"{"emaDecay": 1}"#, "emaDecay"),
        (r#"{"seed": 1, "klWeight": "heavy"}"#, "klWeight"),
        (r#"{"together": 3}"#, "together"),
        (r#"{"batchSize": 1}"#, "batchSize"),
        (r#"{"genWidth": 1000}"#, "genWidth"),
        (r#"{"lrG": 5}"#, "lrG"),
        (r#"{"captionWords": 3}"#, "captionWords"),
    ] {
        let e = StackConfig::from_json(json).unwrap_err().to_string();
        assert!(e.contains(key), "{json}: {e}");
    }
    let e = StackTrainer::new(
        StackConfig {
            code: 0,
            ..StackConfig::default()
        },
        digits(),
        &device(),
    )
    .err()
    .expect("a code of 0 components is refused")
    .to_string();
    assert!(e.contains("code"), "{e}");
}

#[test]
fn the_schedule_trains_stage_one_then_stage_two_or_both_in_turn() {
    let mut t = StackTrainer::new(
        StackConfig {
            stage_one_rounds: 3,
            ..small()
        },
        digits(),
        &device(),
    )
    .unwrap();
    assert_eq!(t.stage_now(), Stage::One);
    t.step(2);
    assert_eq!((t.rounds(), t.stage_now()), ([2, 0], Stage::One));
    t.step(3);
    assert_eq!((t.rounds(), t.stage_now()), ([3, 2], Stage::Two));
    let s = block_on(t.losses()).unwrap();
    assert_eq!((s.step, s.rounds_one, s.rounds_two, s.stage), (5, 3, 2, 2));
    let mut both = StackTrainer::new(
        StackConfig {
            together: true,
            ..small()
        },
        digits(),
        &device(),
    )
    .unwrap();
    both.step(2);
    assert_eq!((both.rounds(), both.step_count()), ([2, 2], 2));
    assert_eq!(block_on(both.losses()).unwrap().stage, 0);
}

#[test]
fn save_and_load_continue_bit_exactly() {
    let config = StackConfig {
        stage_one_rounds: 2,
        attribute_mismatch: 0.5,
        ..small()
    };
    let mut t = StackTrainer::new(config, digits(), &device()).unwrap();
    t.step(3);
    let bytes = block_on(t.save()).unwrap();
    assert_eq!(&bytes[..6], b"GANSTK");
    let mut u = StackTrainer::load(&bytes, digits(), &device()).unwrap();
    assert_eq!((u.step_count(), u.rounds()), (3, [2, 1]));
    assert_eq!(block_on(u.losses()).unwrap(), block_on(t.losses()).unwrap());
    t.step(3);
    u.step(3);
    assert_eq!(block_on(u.losses()).unwrap(), block_on(t.losses()).unwrap());
    assert_eq!(pictures(&u), pictures(&t));
    // A fresh run saves and loads too (no costs yet).
    let fresh = StackTrainer::new(small(), digits(), &device()).unwrap();
    let v = StackTrainer::load(&block_on(fresh.save()).unwrap(), digits(), &device()).unwrap();
    assert!(block_on(v.losses()).unwrap().loss_d.is_nan());
}

#[test]
fn bad_input_gets_a_message() {
    let t = StackTrainer::new(small(), digits(), &device()).unwrap();
    let s = t.config().shape();
    let captions = vec![tokenize("a seven").0];
    let e = t
        .images(&captions, &[0.0; 3], &vec![0.0; s.code])
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("each caption needs 4 and"), "{e}");
    let load = |b: &[u8]| {
        StackTrainer::load(b, digits(), &device())
            .err()
            .unwrap()
            .to_string()
    };
    let image = gan_playground::image::ImageTrainer::new(
        gan_playground::image::ImageConfig::default(),
        digits(),
        &device(),
    )
    .unwrap();
    let image_file = block_on(image.save()).unwrap();
    assert!(load(&image_file).contains("this file is an image-GAN run"));
    let mut file = block_on(t.save()).unwrap();
    let n = file.len();
    let cut = load(&file[..n - 100]);
    assert!(
        cut.contains("truncated") || cut.contains("damaged"),
        "{cut}"
    );
    file[n / 2] ^= 1;
    assert!(load(&file).contains("checksum"));
    let e = StackConfig::from_json(r#"{"stageOneRounds": 2000000}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("stageOneRounds"), "{e}");
}
