#![cfg(not(target_arch = "wasm32"))]
//! Saved image runs (moved out of tests/images.rs unchanged): a saved run continues exactly,
//! a run from before the InfoGAN code loads without one, bad files are refused with a message.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use burn::tensor::Device;
use futures_lite::future::block_on;
use gan_playground::image::{ImageArch, ImageConfig, ImageTrainer};

fn small(arch: ImageArch) -> ImageConfig {
    ImageConfig {
        arch,
        gen_width: Some(if arch == ImageArch::Mlp { 32 } else { 8 }),
        disc_width: Some(if arch == ImageArch::Mlp { 32 } else { 8 }),
        batch_size: 8,
        z_dim: 10,
        ..ImageConfig::default()
    }
}

/// G's images of the grid latents and the losses: what a run shows.
fn shown(t: &ImageTrainer) -> (Vec<f32>, (f32, f32)) {
    let z = t.view_latents(6, None).unwrap();
    let s = block_on(t.losses()).unwrap();
    (
        block_on(t.images(&z).unwrap()).unwrap(),
        (s.loss_d, s.loss_g),
    )
}

/// Asserts that two runs show the same bits (saying where they differ, not printing them).
fn assert_same(a: &ImageTrainer, b: &ImageTrainer, what: &str) {
    let ((ia, la), (ib, lb)) = (shown(a), shown(b));
    assert_eq!(la, lb, "{what}: losses");
    let worst = ia
        .iter()
        .zip(&ib)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    assert!(worst == 0.0, "{what}: images differ by up to {worst}");
}

#[test]
fn a_saved_image_run_continues_exactly() {
    let device = Device::flex();
    for (arch, ema_decay, codes) in [
        (ImageArch::Dcgan, 0.0, 0),
        (ImageArch::Mlp, 0.9, 0),
        (ImageArch::Dcgan, 0.999, 4),
    ] {
        let config = ImageConfig {
            ema_decay,
            codes: Some(codes),
            ..small(arch)
        };
        let mut a = ImageTrainer::new(config, digits(), &device).unwrap();
        a.train(4);
        let file = block_on(a.save()).unwrap();
        let mut b = ImageTrainer::load(&file, digits(), &device).unwrap();
        assert_eq!(b.step_count(), 4);
        assert_same(&a, &b, &format!("{arch:?}, loaded"));
        a.train(3);
        b.train(3);
        // Batch norm's running statistics, the moving average, the RNG and Adam's moments all
        // came back: three more rounds give the same bits.
        assert_same(&a, &b, &format!("{arch:?}, 3 more rounds"));
        eprintln!("{arch:?} (small): {} bytes", file.len());
    }
}

#[path = "common/fuzz.rs"]
mod fuzz;
use fuzz::with_header;

#[test]
fn a_run_saved_before_the_infogan_code_loads_without_one() {
    let device = Device::flex();
    // zDim 100 would take 64 categories by default; the file's run had none.
    let config = ImageConfig {
        z_dim: 100,
        codes: Some(0),
        ..small(ImageArch::Dcgan)
    };
    let mut a = ImageTrainer::new(config, digits(), &device).unwrap();
    a.train(2);
    let file = block_on(a.save()).unwrap();
    let old = with_header(&file, |header| {
        assert_eq!(header["config"]["codes"], 0);
        header["config"].as_object_mut().unwrap().remove("codes");
    });
    let b = ImageTrainer::load(&old, digits(), &device).unwrap();
    assert_eq!(b.config().codes, Some(0));
    assert_same(&a, &b, "loaded from a header without codes");
}

#[test]
fn bad_image_run_files_are_refused_with_a_message() {
    let device = Device::flex();
    let mut t = ImageTrainer::new(small(ImageArch::Dcgan), digits(), &device).unwrap();
    t.train(1);
    let file = block_on(t.save()).unwrap();
    let other_arch = with_header(&file, |header| header["config"]["genWidth"] = 16.into());
    let mut two_d = file.clone();
    two_d[..6].copy_from_slice(b"GANRUN");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not a GAN Playground run file"),
        ("a 2-D run", two_d, "this file is a 2-D playground run"),
        (
            "cut",
            file[..file.len() - 9].to_vec(),
            "checksum does not match",
        ),
        (
            "truncated",
            {
                let mut b = file[..file.len() - 9].to_vec();
                gan_playground::gan::runfile::reseal(&mut b);
                b
            },
            "truncated",
        ),
        (
            "another width",
            other_arch,
            "do not fit its config's architecture",
        ),
    ];
    for (what, bytes, want) in cases {
        let msg = match ImageTrainer::load(&bytes, digits(), &device) {
            Ok(_) => panic!("{what}: loaded"),
            Err(e) => e.to_string(),
        };
        assert!(msg.contains(want), "{what}: {msg}");
    }
}

#[test]
fn hostile_image_run_files_are_refused_or_load_what_was_saved() {
    let device = Device::flex();
    let config = ImageConfig {
        ema_decay: 0.9,
        ..small(ImageArch::Mlp)
    };
    let mut t = ImageTrainer::new(config, digits(), &device).unwrap();
    t.train(2);
    let file = block_on(t.save()).unwrap();
    let load = |b: &[u8]| {
        ImageTrainer::load(b, digits(), &device)
            .map_err(|e| e.to_string())
            .and_then(|r| block_on(r.save()).map_err(|e| e.to_string()))
    };
    fuzz::run("image run", &file, 200, 11, load);
}

#[test]
fn looking_at_a_run_before_it_trains_changes_nothing() {
    // burn initialises a zero bias lazily, and a lazy parameter shares its pending state with
    // its clones: a view through a frozen copy must not take a bias out of training.
    let device = Device::flex();
    for arch in [ImageArch::Dcgan, ImageArch::Mlp] {
        let mut looked = ImageTrainer::new(small(arch), digits(), &device).unwrap();
        let mut not = ImageTrainer::new(small(arch), digits(), &device).unwrap();
        shown(&looked);
        looked.train(3);
        not.train(3);
        assert_same(
            &looked,
            &not,
            &format!("{arch:?}, looked at before training"),
        );
    }
}
