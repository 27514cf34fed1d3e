#![cfg(not(target_arch = "wasm32"))]
//! The shipped digit classifier (assets/classifier.bin, made by `images classifier-train`):
//! its held-out test accuracy, measured here again, the confidence metric against hand-built
//! probabilities, and corrupt files refused with a message.

use burn::tensor::Device;
use futures_lite::future::block_on;
use gan_playground::data::{Mnist, Split};
use gan_playground::eval::{
    CONFIDENT, DigitClassifier, NOT_A_DIGIT, accuracy, confident_share, recognised_counts,
};

fn root() -> String {
    env!("CARGO_MANIFEST_DIR").to_string()
}

fn shipped() -> Vec<u8> {
    let path = format!("{}/assets/classifier.bin", root());
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn digits() -> Mnist {
    let path = format!("{}/assets/mnist.bin", root());
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}; run scripts/setup.sh"));
    Mnist::parse(&bytes).unwrap()
}

#[test]
fn the_shipped_classifier_gets_98_percent_of_the_held_out_test_digits() {
    let device = Device::flex();
    let (net, info) = DigitClassifier::load(&shipped(), &device).unwrap();
    let (x, y) = digits().split_pixels(Split::Test);
    assert_eq!(y.len(), 997);
    let probs = block_on(net.probabilities(&x, &device)).unwrap();
    let acc = accuracy(&probs, &y);
    assert!(acc >= 0.98, "test accuracy {acc}");
    // The file's own record of its test accuracy is what it scores.
    assert!(
        (acc - info.test_accuracy).abs() < 1e-9,
        "{acc} vs {}",
        info.test_accuracy
    );
    // Real held-out digits are recognised with confidence: the metric's ceiling.
    let (share, classes) = confident_share(&probs, CONFIDENT);
    assert!(share > 0.95, "confident share of real digits {share}");
    assert!(classes[..10].iter().all(|&c| c > 70), "{classes:?}");
    assert!(classes[NOT_A_DIGIT] < 10, "{classes:?}");
}

#[test]
fn grey_fog_and_noise_are_not_digits() {
    let device = Device::flex();
    let (net, _) = DigitClassifier::load(&shipped(), &device).unwrap();
    // What an untrained generator draws: grey at every level, and noisy grey.
    let mut x = Vec::new();
    for k in 0..20 {
        x.extend(std::iter::repeat_n(k as f32 / 19.0, 784));
    }
    let mut rng = gan_playground::gan::Rng::new(9);
    for _ in 0..20 {
        x.extend((0..784).map(|_| (0.5 + 0.2 * rng.normal()).clamp(0.0, 1.0) as f32));
    }
    let (share, classes) = confident_share(
        &block_on(net.probabilities(&x, &device)).unwrap(),
        CONFIDENT,
    );
    assert_eq!(share, 0.0, "{classes:?}");
    assert!(classes[NOT_A_DIGIT] >= 38, "{classes:?}");
}

#[test]
fn the_confidence_metric_counts_rows_whose_top_class_reaches_the_threshold() {
    let mut probs = vec![0.0f32; 55];
    probs[3] = 0.95; // sample 0: digit 3, confident
    probs[11] = 0.9; // sample 1: digit 0, exactly at the threshold: counts
    probs[12] = 0.1;
    probs[22 + 7] = 0.5; // sample 2: digit 7, unsure
    probs[22 + 8] = 0.5 - 1e-3;
    probs[33 + 9] = 0.89; // sample 3: digit 9, just under
    probs[44 + NOT_A_DIGIT] = 0.99; // sample 4: confidently no digit: does not count
    let (share, classes) = confident_share(&probs, 0.9);
    assert_eq!(share, 0.4);
    assert_eq!(classes, [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
    assert_eq!(accuracy(&probs, &[3, 0, 8, 9, 10]), 0.8);
}

#[test]
fn corrupt_classifier_files_are_refused_with_a_message() {
    let device = Device::flex();
    let good = shipped();
    let msg = |b: &[u8]| DigitClassifier::load(b, &device).err().unwrap().to_string();
    assert!(msg(b"hello world, not a net").contains("not a classifier"));
    assert!(msg(&good[..good.len() - 4]).contains("weight bytes"));
    assert!(msg(&good[..20]).contains("truncated header"));
}

/// The bars and the headline follow one rule: per digit, the samples whose top class is that
/// digit with probability >= 0.9; every other sample (unsure, or "not a digit") in the last
/// entry. Hand-made rows: a sure 3, an unsure 3 (0.6), a sure 7, a sure "not a digit".
#[test]
fn recognised_counts_follow_the_headline_rule() {
    let row = |k: usize, p: f32| {
        let mut r = vec![(1.0 - p) / 10.0; 11];
        r[k] = p;
        r
    };
    let probs: Vec<f32> = [
        row(3, 0.95),
        row(3, 0.6),
        row(7, 0.9),
        row(NOT_A_DIGIT, 0.99),
    ]
    .concat();
    let counts = recognised_counts(&probs, CONFIDENT);
    let mut want = [0; 11];
    (want[3], want[7], want[NOT_A_DIGIT]) = (1, 1, 2);
    assert_eq!(counts, want);
    let (share, top) = confident_share(&probs, CONFIDENT);
    assert_eq!(share, 0.5);
    assert_eq!(counts[..10].iter().sum::<usize>() as f64 / 4.0, share);
    assert_eq!(top[3], 2, "the top-guess count still has both 3s");
}
