#![cfg(not(target_arch = "wasm32"))]
//! The machines that take the "real or fake?" quiz beside the people: the run's own D (its
//! realness score; the page calls the higher-scoring half of the deck real) and the classifier
//! two-sample test (logistic regression on feature rows, its accuracy's binomial p-value).

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::data::{PIXELS, Split};
use gan_playground::eval::c2st::{Logistic, RIDGE, binomial_tail, two_sample_test};
use gan_playground::gan::rng::Rng;
use gan_playground::image::{ImageArch, ImageConfig, ImageTrainer};

#[test]
fn the_binomial_tail_is_the_hand_counted_one() {
    assert_eq!(binomial_tail(4, 0), 1.0);
    assert!((binomial_tail(4, 4) - 1.0 / 16.0).abs() < 1e-15);
    // P(X >= 5), n = 10: (252 + 210 + 120 + 45 + 10 + 1) / 1024.
    assert!((binomial_tail(10, 5) - 638.0 / 1024.0).abs() < 1e-14);
    assert_eq!(binomial_tail(10, 11), 0.0);
    // Far in the tail of a large n: 2^-1000 underflows nothing it should not.
    assert!((binomial_tail(1000, 1000).log2() + 1000.0).abs() < 1e-9);
}

/// `n` rows of `d` standard normals shifted by `shift` in every coordinate.
fn gaussian(n: usize, d: usize, shift: f64, rng: &mut Rng) -> Vec<f32> {
    (0..n * d).map(|_| (rng.normal() + shift) as f32).collect()
}

#[test]
fn the_logistic_fit_stops_where_the_cost_is_flat() {
    let mut rng = Rng::new(4);
    let (n, d) = (300, 6);
    let mut rows = gaussian(n, d, 0.0, &mut rng);
    rows.extend(gaussian(n, d, 0.4, &mut rng));
    let labels: Vec<bool> = (0..2 * n).map(|i| i < n).collect();
    let model = Logistic::fit(&rows, &labels, d, RIDGE);
    let g = model.gradient(&rows, &labels, RIDGE);
    let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
    assert!(norm < 1e-8, "gradient at the fit: {norm:e}");
    // It learned the direction: the first set (shift 0, labelled real) scores higher.
    let p = model.probabilities(&rows);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    assert!(
        mean(&p[..n]) > 0.6 && mean(&p[n..]) < 0.4,
        "{} {}",
        mean(&p[..n]),
        mean(&p[n..])
    );
}

#[test]
fn the_test_tells_apart_what_differs_and_not_what_does_not() {
    let d = 8;
    let mut rng = Rng::new(11);
    let a = gaussian(400, d, 0.0, &mut rng);
    let far = gaussian(400, d, 3.0, &mut rng);
    let t = two_sample_test(&a, &far, d, &far[..3 * d], 1).unwrap();
    assert_eq!((t.train, t.test), (300, 100));
    assert_eq!(t.accuracy, 1.0);
    assert!(
        (t.p_value - 0.5f64.powi(200)).abs() < 1e-70,
        "{}",
        t.p_value
    );
    assert!(
        t.probabilities.iter().all(|&p| p < 0.01),
        "{:?}",
        t.probabilities
    );
    // Two draws of one distribution: a coin's accuracy (100 + 100 measured: sd 3.5 points).
    let same = gaussian(400, d, 0.0, &mut rng);
    let t = two_sample_test(&a, &same, d, &same[..d], 1).unwrap();
    assert!((t.accuracy - 0.5).abs() < 0.1, "{}", t.accuracy);
    assert!(t.p_value > 0.01, "{}", t.p_value);
    let few = two_sample_test(&a[..7 * d], &same, d, &same, 1).unwrap_err();
    assert_eq!(
        few.to_string(),
        "the two-sample test needs at least 8 samples of each set, not 7"
    );
}

#[test]
fn the_runs_d_judges_pixels_as_it_sees_them_and_learns_to_spot_fakes() {
    let device = Device::flex();
    let data = digits();
    let config = ImageConfig {
        arch: ImageArch::Mlp,
        gen_width: Some(64),
        disc_width: Some(64),
        batch_size: 32,
        z_dim: 10,
        ..ImageConfig::default()
    };
    let mut t = ImageTrainer::new(config, data.clone(), &device).unwrap();
    let (test, _) = data.split_pixels(Split::Test);
    let real = &test[..200 * PIXELS];
    // D's score is column 0 of D on pixels mapped to [-1, 1], in inference mode.
    let scores = block_on(t.discriminate(&real[..2 * PIXELS]).unwrap()).unwrap();
    let x = Tensor::<2>::from_data(
        TensorData::new(real[..2 * PIXELS].to_vec(), [2, PIXELS]),
        &device,
    )
    .mul_scalar(2.0)
    .sub_scalar(1.0);
    let by_hand = t.discriminator().valid().forward(x).into_data();
    let by_hand = by_hand.as_slice::<f32>().unwrap();
    assert_eq!(scores, vec![by_hand[0], by_hand[1]]);
    // After some rounds D tells most held-out digits from G's samples.
    t.train(60);
    let z = t.seeded_latents(200, 5, None).unwrap();
    let fake = block_on(t.images(&z).unwrap()).unwrap();
    let on_real = block_on(t.discriminate(real).unwrap()).unwrap();
    let on_fake = block_on(t.discriminate(&fake).unwrap()).unwrap();
    let wrong = on_real.iter().filter(|&&s| s <= 0.0).count()
        + on_fake.iter().filter(|&&s| s > 0.0).count();
    assert!(wrong < 100, "D's errors on 400: {wrong}");
    // Bad pixels are refused, naming the image.
    let mut bad = real[..3 * PIXELS].to_vec();
    bad[2 * PIXELS + 5] = f32::NAN;
    let e = t.discriminate(&bad).err().unwrap();
    assert_eq!(
        e.to_string(),
        "pixels: image 2 has a pixel that is not a number in [0, 1] (NaN)"
    );
    let e = t.discriminate(&real[..100]).err().unwrap();
    assert_eq!(
        e.to_string(),
        "pixels: 100 numbers is not a whole number of 784-pixel images"
    );
}
