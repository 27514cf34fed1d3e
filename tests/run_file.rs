#![cfg(not(target_arch = "wasm32"))]
//! Saving a run and loading it back: the loaded run continues exactly as the original does, and
//! every kind of bad file is refused with a message.

use burn::module::Module;
use burn::tensor::Tensor;
use futures_lite::future::block_on;
use gan_playground::gan::optim::OptimizerKind;
use gan_playground::gan::params::flat_floats;
use gan_playground::gan::runfile::reseal;
use gan_playground::{BackendKind, Toy2dConfig, Toy2dTrainer};

#[path = "common/fuzz.rs"]
mod fuzz;

fn read(t: Tensor<1>) -> Vec<f32> {
    block_on(t.into_data_async()).unwrap().try_to_vec().unwrap()
}

fn device() -> burn::tensor::Device {
    BackendKind::Flex.cpu_device().unwrap()
}

fn params(t: &Toy2dTrainer) -> (Vec<f32>, Vec<f32>) {
    (
        read(flat_floats(&t.generator().valid())),
        read(flat_floats(&t.discriminator().valid())),
    )
}

#[test]
fn a_saved_run_continues_exactly() {
    for gen_optimizer in [OptimizerKind::Adam, OptimizerKind::Sgd] {
        let config = Toy2dConfig {
            gen_optimizer,
            batch_size: 64,
            ..Toy2dConfig::default()
        };
        let mut a = Toy2dTrainer::new(config, &device()).unwrap();
        a.train(120);
        let file = block_on(a.save()).unwrap();
        let mut b = Toy2dTrainer::load(&file, &device()).unwrap();
        assert_eq!(b.step_count(), 120);
        assert_eq!(block_on(b.losses()).unwrap(), block_on(a.losses()).unwrap());
        assert_eq!(params(&b), params(&a));
        a.train(60);
        b.train(60);
        let (sa, sb) = (block_on(a.losses()).unwrap(), block_on(b.losses()).unwrap());
        eprintln!(
            "{gen_optimizer:?}: {} bytes; after 60 more steps {sa:?} / {sb:?}",
            file.len()
        );
        assert_eq!(sa, sb, "same losses after 60 more steps");
        assert_eq!(params(&a), params(&b), "same weights after 60 more steps");
    }
}

use fuzz::with_header;

/// `bytes` with the checksum recomputed.
fn sealed(mut bytes: Vec<u8>) -> Vec<u8> {
    reseal(&mut bytes);
    bytes
}

#[test]
fn learning_rates_change_from_the_next_update_and_are_checked() {
    let mut t = Toy2dTrainer::new(Toy2dConfig::default(), &device()).unwrap();
    t.set_learning_rates(5e-4, 2e-4).unwrap();
    assert_eq!((t.config().lr_d, t.config().lr_g), (5e-4, 2e-4));
    let err = t.set_learning_rates(5.0, 1e-3).unwrap_err().to_string();
    assert!(err.contains("lrD = 5 is out of range"), "{err}");
    assert_eq!(
        t.config().lr_d,
        5e-4,
        "a refused change leaves the rates as they were"
    );
}

#[test]
fn bad_run_files_are_refused_with_a_message() {
    let mut t = Toy2dTrainer::new(Toy2dConfig::default(), &device()).unwrap();
    t.train(3);
    let file = block_on(t.save()).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut v4 = file.clone();
    v4[7] = 4;
    let mut image_run = file.clone();
    image_run[..6].copy_from_slice(b"GANIMG");
    let mut corrupt = file.clone();
    corrupt[14] = b'#';
    let mut nan = file.clone();
    let n = u32::from_le_bytes(file[8..12].try_into().unwrap()) as usize;
    nan[12 + n..12 + n + 4].copy_from_slice(&f32::NAN.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not a GAN Playground run file"),
        ("a PNG", png, "not a GAN Playground run file"),
        (
            "JSON",
            br#"{"dataset": "ring8"}"#.to_vec(),
            "not a GAN Playground run file",
        ),
        ("a newer version", v4, "format version 4"),
        (
            "an image-GAN run",
            image_run,
            "this file is an image-GAN run",
        ),
        (
            "cut",
            file[..file.len() / 2].to_vec(),
            "checksum does not match",
        ),
        (
            "a flipped bit",
            {
                let mut b = file.clone();
                b[file.len() / 2] ^= 4;
                b
            },
            "checksum does not match",
        ),
        (
            "truncated",
            sealed(file[..file.len() / 2].to_vec()),
            "truncated",
        ),
        (
            "cut in the header",
            sealed(file[..40].to_vec()),
            "truncated",
        ),
        ("a corrupt header", sealed(corrupt), "header is corrupt"),
        ("NaN weights", sealed(nan), "NaN or infinite"),
        (
            "another architecture",
            with_header(&file, |h| h["config"]["genWidth"] = 32.into()),
            "do not fit its config's architecture",
        ),
        (
            "an invalid config",
            with_header(&file, |h| h["config"]["batchSize"] = 0.into()),
            "batchSize = 0 is out of range",
        ),
        (
            "moments for a parameter G does not have",
            with_header(&file, |h| h["optG"]["params"][0][0] = 123_456_789.into()),
            "names parameter 123456789",
        ),
        (
            "trailing bytes",
            sealed([&file[..file.len() - 4], &[0; 5], &file[file.len() - 4..]].concat()),
            "5 bytes follow",
        ),
    ];
    for (what, bytes, want) in cases {
        let msg = match Toy2dTrainer::load(&bytes, &device()) {
            Ok(_) => panic!("{what}: loaded"),
            Err(e) => e.to_string(),
        };
        assert!(msg.contains(want), "{what}: {msg}");
    }
}

#[test]
fn hostile_run_files_are_refused_or_load_what_was_saved() {
    let mut t = Toy2dTrainer::new(
        Toy2dConfig {
            batch_size: 32,
            gen_width: 16,
            disc_width: 16,
            ..Toy2dConfig::default()
        },
        &device(),
    )
    .unwrap();
    t.train(5);
    let file = block_on(t.save()).unwrap();
    let tally = fuzz::run("2-D run", &file, 400, 7, |b| {
        Toy2dTrainer::load(b, &device())
            .map_err(|e| e.to_string())
            .and_then(|r| block_on(r.save()).map_err(|e| e.to_string()))
    });
    assert!(tally.refused > 1000, "{tally:?}");
}
