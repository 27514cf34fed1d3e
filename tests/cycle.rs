#![cfg(not(target_arch = "wasm32"))]
//! CycleGAN (issue 25): the loss pieces against hand-computed values, the history pool, the UCI
//! digits' asset, a tiny run lowering the cycle error, save/load continuing bit-exactly, and
//! bad input refused with a message.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::{digits, uci_digits};

use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::RunConfig;
use gan_playground::cycle::networks::instance_norm;
use gan_playground::cycle::pool::Pool;
use gan_playground::cycle::trainer::{adversarial, l1, spread};
use gan_playground::cycle::{CycleConfig, CycleTrainer};
use gan_playground::data::optdigits::upscale;
use gan_playground::data::{PIXELS, Split, parse_optdigits};
use gan_playground::gan::GanLoss;
use gan_playground::gan::rng::Rng;
use gan_playground::gan::run::read_vec;

fn device() -> Device {
    Device::flex()
}

fn t2(v: &[f32], shape: [usize; 2]) -> Tensor<2> {
    Tensor::from_data(TensorData::new(v.to_vec(), shape), &device())
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_vec(t.flatten::<1>(0, D - 1))).unwrap()
}

fn close(a: f32, b: f32) {
    assert!((a - b).abs() < 1e-5, "{a} vs {b}");
}

/// A small, quick run: the lab's networks at their smallest useful sizes.
fn small() -> CycleConfig {
    CycleConfig {
        gen_width: 4,
        blocks: 1,
        disc_width: 4,
        batch_size: 4,
        pool_size: 6,
        ..CycleConfig::default()
    }
}

fn trainer(config: CycleConfig) -> CycleTrainer {
    CycleTrainer::new(config, digits(), uci_digits(), &device()).unwrap()
}

#[test]
fn the_loss_pieces_match_hand_computed_values() {
    // Least squares as the paper's code: G's cost is the mean of (D - 1)^2, D's half the sum
    // of the real and fake squared errors.
    let logits = t2(&[0.0, 2.0, 0.5, 1.0], [4, 1]);
    close(
        read(adversarial(GanLoss::LeastSquares, logits.clone()))[0],
        (1.0 + 1.0 + 0.25) / 4.0,
    );
    let real = t2(&[1.0, 0.0], [2, 1]);
    let fake = t2(&[0.5, -1.0], [2, 1]);
    let d = GanLoss::LeastSquares.discriminator(real, fake);
    close(read(d)[0], 0.5 * ((0.0 + 1.0) / 2.0 + (0.25 + 1.0) / 2.0));
    // The non-saturating cost: softplus(-a).
    let ns = read(adversarial(GanLoss::NonSaturating, t2(&[0.0], [1, 1])))[0];
    close(ns, 2f32.ln());
    // L1: the mean absolute difference.
    let x = t2(&[0.0, 1.0, -1.0, 0.5], [2, 2]);
    let y = t2(&[1.0, 1.0, 1.0, 0.0], [2, 2]);
    close(read(l1(x, y))[0], (1.0 + 0.0 + 2.0 + 0.5) / 4.0);
}

#[test]
fn instance_norm_standardises_each_image_and_channel() {
    // One image, two channels of four pixels: [1, 2, 3, 4] and [5, 5, 5, 5].
    let x = Tensor::<4>::from_data(
        TensorData::new(
            vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 5.0],
            [1, 2, 2, 2],
        ),
        &device(),
    );
    let y = read(instance_norm(x));
    // Mean 2.5, biased variance 1.25.
    let s = (1.25f32 + 1e-5).sqrt();
    for (got, want) in y[..4].iter().zip([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]) {
        close(*got, want);
    }
    assert!(
        y[4..].iter().all(|v| v.abs() < 1e-6),
        "a flat channel is all zeros: {y:?}"
    );
}

#[test]
fn the_pool_keeps_fifty_fakes_and_swaps_on_the_coin() {
    let rows = |first: f32, n: usize| {
        let v: Vec<f32> = (0..n)
            .flat_map(|i| vec![first + i as f32; PIXELS])
            .collect();
        t2(&v, [n, PIXELS])
    };
    let firsts = |t: Tensor<2>| -> Vec<f32> { read(t).chunks(PIXELS).map(|r| r[0]).collect() };
    // Size 0: the input itself, no coins drawn.
    let mut rng = Rng::new(7);
    let before = rng.state();
    assert_eq!(
        firsts(Pool::new(0).query(rows(0.0, 3), &mut rng)),
        vec![0.0, 1.0, 2.0]
    );
    assert_eq!(rng.state(), before);
    // Filling: every fake is kept and returned, no coins drawn.
    let mut pool = Pool::new(3);
    assert_eq!(
        firsts(pool.query(rows(0.0, 3), &mut rng)),
        vec![0.0, 1.0, 2.0]
    );
    assert_eq!((pool.len(), rng.state()), (3, before));
    // Full: each fake is returned unless the coin (> 0.5) returns a kept one in its place,
    // the fake taking its slot. The same draws, replayed by hand:
    let mut replay = rng.clone();
    let mut kept = vec![0.0f32, 1.0, 2.0];
    let mut want = Vec::new();
    for fake in [10.0f32, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0] {
        if replay.uniform() > 0.5 {
            let j = replay.below(3);
            want.push(std::mem::replace(&mut kept[j], fake));
        } else {
            want.push(fake);
        }
    }
    let got = firsts(pool.query(rows(10.0, 8), &mut rng));
    assert_eq!(got, want);
    assert!(
        want.iter().any(|&v| v < 10.0),
        "some past fake came back: {want:?}"
    );
    let mut held = firsts(pool.floats(&device()).reshape([3, PIXELS]));
    held.sort_by(f32::total_cmp);
    kept.sort_by(f32::total_cmp);
    assert_eq!(held, kept);
}

#[test]
fn the_uci_digits_are_upscaled_in_blocks_and_refused_when_broken() {
    let mut cells = [0u8; 64];
    cells[0] = 16;
    cells[63] = 8;
    let px = upscale(&cells);
    // Cell (0, 0) is box pixels 0-2 (floor(8 i / 20) = 0 for i < 3), at 4-6 of 28; cell (7, 7)
    // is box pixels 18-19, at 22-23.
    for (r, c) in [(4, 4), (6, 6), (4, 6)] {
        assert_eq!(px[r * 28 + c], 255);
    }
    for (r, c) in [(22, 22), (23, 23)] {
        assert_eq!(px[r * 28 + c], 128);
    }
    assert_eq!(px[3 * 28 + 4], 0, "the margin is blank");
    assert_eq!(px[7 * 28 + 7], 0, "the first block ends at 3 pixels");
    assert_eq!(px[24 * 28 + 24], 0, "the box ends at 24");
    assert_eq!(px.iter().filter(|&&p| p > 0).count(), 9 + 4);

    let b = uci_digits();
    assert_eq!(b.len(), 1797);
    let test = b.indices(Split::Test).len();
    assert_eq!(test, 355, "every fifth digit of each class is test");
    let counts = b.class_counts(Split::Train);
    assert!(
        counts.iter().all(|&n| (110..=135).contains(&n)),
        "{counts:?}"
    );
    let validation = b.indices(Split::Validation).len();
    assert!(validation == 183, "{validation} validation digits");
    // Every pixel is one of the 17 levels, and the 2-pixel margin is blank.
    let img = b.image(0);
    assert!(
        img.iter()
            .all(|&p| (0..=16).any(|v| (255 * v + 8) / 16 == p as u32))
    );
    assert!((0..28).all(|k| img[k] == 0 && img[k * 28] == 0 && img[27 * 28 + k] == 0));

    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/optdigits.bin")).unwrap();
    let msg = |b: &[u8]| parse_optdigits(b).unwrap_err().to_string();
    assert!(msg(b"MNISTU8\x01....").contains("does not start with UCIDIGS"));
    assert!(msg(&bytes[..bytes.len() - 1]).contains("truncated or corrupt"));
    let mut bad = bytes.clone();
    bad[12] = 11;
    assert!(msg(&bad).contains("label 11 is not a digit"));
    let mut bad = bytes.clone();
    *bad.last_mut().unwrap() = 17;
    assert!(msg(&bad).contains("grey level 17"));
}

#[test]
fn fixed_digits_spread_over_the_classes() {
    let t = trainer(small());
    let a = t.fixed_digits(false, 12);
    let labels: Vec<u8> = a.iter().map(|&i| digits().label(i)).collect();
    assert_eq!(labels, vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert_ne!(a[0], a[10], "the second zero is another digit");
    assert_eq!(spread(&uci_digits(), 10).len(), 10);
}

#[test]
fn a_tiny_run_lowers_the_cycle_error() {
    let mut t = trainer(small());
    t.train(1);
    let first = block_on(t.losses()).unwrap();
    t.train(94);
    let mut late = Vec::new();
    for _ in 0..5 {
        t.train(1);
        late.push(block_on(t.losses()).unwrap());
    }
    let mean = |f: fn(&gan_playground::cycle::CycleStats) -> f32| {
        late.iter().map(f).sum::<f32>() / late.len() as f32
    };
    let (ca, cb) = (mean(|s| s.cycle_a), mean(|s| s.cycle_b));
    // Measured: 0.93 -> 0.62 (A) and 0.87 -> 0.60 (B) by round 100.
    assert!(
        ca < 0.8 * first.cycle_a,
        "cycle A {} -> {ca}",
        first.cycle_a
    );
    assert!(
        cb < 0.8 * first.cycle_b,
        "cycle B {} -> {cb}",
        first.cycle_b
    );
    assert!(first.identity.is_some());
    assert_eq!(t.pool_lengths(), (6, 6));
}

#[test]
fn the_identity_loss_is_not_computed_when_off() {
    let mut t = trainer(CycleConfig {
        lambda_identity: 0.0,
        ..small()
    });
    t.train(1);
    assert_eq!(block_on(t.losses()).unwrap().identity, None);
}

#[test]
fn save_and_load_continue_bit_exactly() {
    let mut t = trainer(small());
    t.train(3);
    let bytes = block_on(t.save()).unwrap();
    let mut u = CycleTrainer::load(&bytes, digits(), uci_digits(), &device()).unwrap();
    assert_eq!(u.step_count(), 3);
    assert_eq!(block_on(u.losses()).unwrap(), block_on(t.losses()).unwrap());
    assert_eq!(u.pool_lengths(), t.pool_lengths());
    t.train(4);
    u.train(4);
    assert_eq!(block_on(u.losses()).unwrap(), block_on(t.losses()).unwrap());
    assert_eq!(block_on(u.rows(4)).unwrap(), block_on(t.rows(4)).unwrap());
    // A fresh run saves and loads too (no losses yet, empty pools).
    let fresh = trainer(small());
    let bytes = block_on(fresh.save()).unwrap();
    let v = CycleTrainer::load(&bytes, digits(), uci_digits(), &device()).unwrap();
    assert_eq!(v.pool_lengths(), (0, 0));
    assert!(block_on(v.losses()).unwrap().loss_d_a.is_nan());
}

#[test]
fn rows_and_translations_have_the_documented_layout() {
    let t = trainer(small());
    let rows = block_on(t.rows(3)).unwrap();
    assert_eq!(rows.len(), 6 * 3 * PIXELS);
    assert!(rows.iter().all(|v| (0.0..=1.0).contains(v)));
    let a = t.digit_pixels(false, &t.fixed_digits(false, 3));
    for (got, want) in rows[..3 * PIXELS].iter().zip(&a) {
        close(*got, *want);
    }
    // G(A) in the rows is what translate gives for the same images.
    let there = block_on(t.translate(&a, true).unwrap()).unwrap();
    assert_eq!(there.len(), 2 * 3 * PIXELS);
    for (got, want) in there.iter().zip(&rows[3 * PIXELS..]) {
        close(*got, *want);
    }
}

#[test]
fn bad_input_gets_a_message() {
    let t = trainer(small());
    let err = |r: Result<_, gan_playground::GanError>| r.err().unwrap().to_string();
    assert!(err(t.translate(&[], true).map(|_| ())).contains("not whole 28 x 28 images"));
    assert!(err(t.translate(&[0.5; 100], true).map(|_| ())).contains("not whole 28 x 28"));
    assert!(err(t.translate(&[f32::NAN; PIXELS], false).map(|_| ())).contains("NaN"));
    let msg = |json: &str| CycleConfig::from_json(json).unwrap_err().to_string();
    assert!(msg(r#"{"loss": "wganGp"}"#).contains("not offered for CycleGAN"));
    assert!(msg(r#"{"lambdaCycle": -1}"#).contains("lambdaCycle"));
    assert!(msg(r#"{"poolSize": 5000}"#).contains("poolSize"));
    assert!(msg(r#"{"batchSize": 0}"#).contains("batchSize"));
    assert!(msg(r#"{"colour": 1}"#).contains("colour"));
    // Files of another kind, and damaged ones.
    let load = |b: &[u8]| {
        CycleTrainer::load(b, digits(), uci_digits(), &device())
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
    assert!(
        load(&image_file).contains("this file is an image-GAN run"),
        "{}",
        load(&image_file)
    );
    let mut file = block_on(t.save()).unwrap();
    let n = file.len();
    assert!(
        load(&file[..n - 100]).contains("truncated") || load(&file[..n - 100]).contains("damaged")
    );
    file[n / 2] ^= 1;
    assert!(load(&file).contains("checksum"));
}

#[test]
fn the_domain_task_balances_both_collections_per_split() {
    let (a, b) = (digits(), uci_digits());
    let d = gan_playground::data::optdigits::domain_set(&a, &b);
    for s in [Split::Train, Split::Validation, Split::Test] {
        let idx = d.indices(s);
        let ones = idx.iter().filter(|&&i| d.label(i) == 1).count();
        assert_eq!(
            ones,
            b.indices(s).len(),
            "{s:?}: every UCI digit, labelled 1"
        );
        assert_eq!(
            idx.len(),
            2 * ones,
            "{s:?}: as many MNIST digits, labelled 0"
        );
    }
    // The first domain digit is MNIST's first training digit; the UCI ones follow the MNIST
    // ones of their split, in order.
    assert_eq!(d.image(0), a.image(a.indices(Split::Train)[0]));
    let n = b.indices(Split::Train).len();
    assert_eq!(d.image(n), b.image(b.indices(Split::Train)[0]));
}

#[test]
fn the_hand_made_translation_counts_ink_per_cell() {
    use gan_playground::data::optdigits::to_cells;
    // Box pixels 0-4 by 0-4 inked (at 4-8 of 28): cells (0, 0), (0, 1), (1, 0), (1, 1) are
    // fully inked (each spans 2.5 pixels), the rest blank.
    let mut px = vec![0.0f32; PIXELS];
    for y in 4..9 {
        for x in 4..9 {
            px[y * 28 + x] = 0.9;
        }
    }
    let cells = to_cells(&px);
    assert_eq!([cells[0], cells[1], cells[8], cells[9]], [16; 4]);
    assert_eq!(cells.iter().map(|&c| c as u32).sum::<u32>(), 64);
    // A pixel split by a cell edge counts by its part inside: box pixel 2 (at 6 of 28) alone
    // is half in cell 0 (1 / 2 of a pixel in a 6.25-pixel cell, vertically whole: 2 rows).
    let mut px = vec![0.0f32; PIXELS];
    px[4 * 28 + 6] = 1.0;
    px[5 * 28 + 6] = 1.0;
    let cells = to_cells(&px);
    assert_eq!(cells[0], (16.0f64 * 1.0 / 6.25).round() as u8);
    assert_eq!(cells[1], (16.0f64 * 1.0 / 6.25).round() as u8);
    // Faint ink (at or under 1/2) is not ink.
    assert!(to_cells(&vec![0.5; PIXELS]).iter().all(|&c| c == 0));
}

#[test]
fn the_uci_reader_learns_from_both_writers_and_is_tested_on_uci_digits() {
    use gan_playground::data::optdigits::{to_cells, uci_reader_set, upscale};
    let (a, b) = (digits(), uci_digits());
    let r = uci_reader_set(&a, &b);
    assert_eq!(r.len(), b.len() + a.indices(Split::Train).len());
    assert_eq!(r.indices(Split::Test).len(), b.indices(Split::Test).len());
    assert_eq!(
        r.indices(Split::Validation).len(),
        b.indices(Split::Validation).len()
    );
    let first = a.indices(Split::Train)[0];
    let d: Vec<f32> = a.image(first).iter().map(|&p| p as f32 / 255.0).collect();
    assert_eq!(r.image(b.len()), upscale(&to_cells(&d)).as_slice());
    assert_eq!(r.label(b.len()), a.label(first));
}
