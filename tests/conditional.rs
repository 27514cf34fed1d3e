#![cfg(not(target_arch = "wasm32"))]
//! The conditional image GANs (cGAN, ACGAN) natively: the label's plumbing (it is the last ten
//! latent components, it changes G's output, the grid by digit keeps a column's noise), the
//! costs against hand-computed values, ACGAN's class head trained on real labels only, a
//! short run whose samples the shipped classifier names as the intended digit above chance,
//! saved runs keeping their family, and configs refused with their messages.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;
#[path = "common/small.rs"]
mod common_small;
use common_small::small_run;
#[path = "common/tensors.rs"]
mod common_tensors;
use common_tensors::{scalar, softplus, tensor};

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use futures_lite::future::block_on;
use gan_playground::data::PIXELS;
use gan_playground::eval::{CLASSES, DigitClassifier};
use gan_playground::image::conditional::{discriminator_cost, generator_cost};
use gan_playground::image::{ImageArch, ImageConfig, ImageFamily, ImageTrainer, LABELS};
use gan_playground::nn::Heads;
use gan_playground::{GanLoss, RunConfig};

#[test]
fn the_label_is_the_latents_one_hot_tail_and_changes_gs_digit() {
    let device = Device::flex();
    for family in [ImageFamily::Cgan, ImageFamily::Acgan] {
        for arch in [ImageArch::Mlp, ImageArch::Dcgan] {
            let t = ImageTrainer::new(small_run(family, arch), digits(), &device).unwrap();
            assert_eq!(t.config().codes(), LABELS);
            let d_out = t
                .discriminator()
                .valid()
                .forward(Tensor::zeros([2, PIXELS], &device));
            assert_eq!(d_out.dims(), [2, 1 + LABELS], "{family:?} {arch:?}");
            // The grid by digit: 3 columns of noise, each given every label.
            let z = t.label_rows(3, None).unwrap();
            assert_eq!(z.len(), LABELS * 3 * 20);
            let row = |r: usize, c: usize| &z[(r * 3 + c) * 20..(r * 3 + c + 1) * 20];
            for r in 0..LABELS {
                for c in 0..3 {
                    let hot: Vec<usize> =
                        (0..LABELS).filter(|&j| row(r, c)[10 + j] == 1.0).collect();
                    assert_eq!(hot, vec![r]);
                    assert_eq!(row(r, c)[..10], row(0, c)[..10], "a column keeps its noise");
                }
            }
            // The same noise with another label: another image.
            let img = block_on(t.images(&[row(3, 0), row(7, 0)].concat()).unwrap()).unwrap();
            let diff: f32 = img[..PIXELS]
                .iter()
                .zip(&img[PIXELS..])
                .map(|(a, b)| (a - b).abs())
                .sum();
            assert!(
                diff > 1e-3,
                "{family:?} {arch:?}: label 3 and 7 drew the same image"
            );
        }
    }
    let plain = ImageTrainer::new(
        ImageConfig {
            z_dim: 20,
            ..small_run(ImageFamily::Unconditional, ImageArch::Mlp)
        },
        digits(),
        &device,
    )
    .unwrap();
    assert_eq!(
        plain.label_rows(3, None).unwrap_err().to_string(),
        "invalid config: a grid by digit needs a conditional run (family \"cgan\" or \"acgan\")"
    );
}

#[test]
fn the_costs_are_the_hand_computed_ones() {
    let device = Device::flex();
    let heads = Heads {
        q: 0,
        classes: 3,
        k_plus_one: false,
    };
    // D's outputs: [realness, class 0, class 1, class 2] for a real digit of class 2 and a
    // fake of class 0.
    let a_real = tensor(&[&[0.5, 1.0, -1.0, 2.0]], &device);
    let y_real = tensor(&[&[0.0, 0.0, 1.0]], &device);
    let a_fake = tensor(&[&[-0.3, 0.2, 0.4, -0.6]], &device);
    let y_fake = tensor(&[&[1.0, 0.0, 0.0]], &device);
    let loss = GanLoss::NonSaturating;
    // cGAN, projection: the logit is realness + the label's class column.
    let (gan, cost) = discriminator_cost(
        ImageFamily::Cgan,
        loss,
        heads,
        (a_real.clone(), y_real.clone()),
        (a_fake.clone(), y_fake.clone()),
    );
    let want = softplus(-(0.5 + 2.0)) + softplus(-0.3 + 0.2);
    assert!((scalar(gan) - want).abs() < 1e-6 && (scalar(cost) - want).abs() < 1e-6);
    let (_, g) = generator_cost(
        ImageFamily::Cgan,
        loss,
        heads,
        a_fake.clone(),
        y_fake.clone(),
    );
    assert!((scalar(g) - softplus(0.3 - 0.2)).abs() < 1e-6);
    // ACGAN: the realness column alone, plus the class cross-entropy on the real digit.
    let (gan, cost) = discriminator_cost(
        ImageFamily::Acgan,
        loss,
        heads,
        (a_real, y_real),
        (a_fake.clone(), y_fake.clone()),
    );
    let lse = |v: [f64; 3]| v.iter().map(|x| x.exp()).sum::<f64>().ln();
    let gan_want = softplus(-0.5) + softplus(-0.3);
    let ce_real = lse([1.0, -1.0, 2.0]) - 2.0;
    assert!((scalar(gan) - gan_want).abs() < 1e-6);
    assert!((scalar(cost) - (gan_want + ce_real)).abs() < 1e-5);
    let (gan, cost) = generator_cost(ImageFamily::Acgan, loss, heads, a_fake, y_fake);
    let ce_fake = lse([0.2, 0.4, -0.6]) - 0.2;
    assert!((scalar(gan) - softplus(0.3)).abs() < 1e-6);
    assert!((scalar(cost) - (softplus(0.3) + ce_fake)).abs() < 1e-5);
}

#[test]
fn acgans_class_head_learns_from_real_labels_only() {
    let device = Device::flex().autodiff();
    let heads = Heads {
        q: 0,
        classes: 3,
        k_plus_one: false,
    };
    let a_real = tensor(&[&[0.5, 1.0, -1.0, 2.0]], &device).require_grad();
    let a_fake = tensor(&[&[-0.3, 0.2, 0.4, -0.6]], &device).require_grad();
    let y = |k: usize| {
        let mut v = [0.0f32; 3];
        v[k] = 1.0;
        Tensor::<2>::from_data(TensorData::new(v.to_vec(), [1, 3]), &device)
    };
    let (_, cost) = discriminator_cost(
        ImageFamily::Acgan,
        GanLoss::NonSaturating,
        heads,
        (a_real.clone(), y(1)),
        (a_fake.clone(), y(0)),
    );
    let grads = cost.backward();
    let g = |t: &Tensor<2>| -> Vec<f32> {
        t.grad(&grads)
            .unwrap()
            .into_data()
            .try_to_vec::<f32>()
            .unwrap()
    };
    let (g_real, g_fake) = (g(&a_real), g(&a_fake));
    assert!(
        g_real[1..].iter().all(|v| v.abs() > 1e-3),
        "real class logits: {g_real:?}"
    );
    assert!(g_fake[0].abs() > 1e-3, "fake realness: {g_fake:?}");
    assert_eq!(
        g_fake[1..],
        [0.0, 0.0, 0.0],
        "no class term on the fakes in D's cost"
    );
}

#[test]
fn a_short_acgan_run_draws_the_digit_asked_for_above_chance() {
    let device = Device::flex();
    let config = ImageConfig {
        family: ImageFamily::Acgan,
        arch: ImageArch::Mlp,
        gen_width: Some(128),
        disc_width: Some(128),
        batch_size: 32,
        z_dim: 30,
        ema_decay: 0.0,
        ..ImageConfig::default()
    };
    let mut t = ImageTrainer::new(config, digits(), &device).unwrap();
    t.train(600);
    let z = t.label_rows(10, None).unwrap();
    let pixels = block_on(t.images(&z).unwrap()).unwrap();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/classifier.bin"
    ))
    .unwrap();
    let (net, _) = DigitClassifier::load(&bytes, &device).unwrap();
    let probs = block_on(net.probabilities(&pixels, &device)).unwrap();
    let hits = probs
        .chunks_exact(CLASSES)
        .enumerate()
        .filter(|(i, p)| {
            let top = (0..CLASSES).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
            top == i / 10
        })
        .count();
    // 100 samples, ten per digit: chance names 10 of them (measured: 40 after 600 rounds).
    assert!(hits >= 30, "intended digit named for {hits} of 100");
}

#[test]
fn a_cgans_d_judges_an_image_under_its_most_favourable_label() {
    let device = Device::flex();
    let t = ImageTrainer::new(
        small_run(ImageFamily::Cgan, ImageArch::Mlp),
        digits(),
        &device,
    )
    .unwrap();
    let pixels: Vec<f32> = (0..2 * PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
    let scores = block_on(t.discriminate(&pixels).unwrap()).unwrap();
    let x = Tensor::<2>::from_data(TensorData::new(pixels, [2, PIXELS]), &device)
        .mul_scalar(2.0)
        .sub_scalar(1.0);
    let a: Vec<f32> = t
        .discriminator()
        .valid()
        .forward(x)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    for (i, s) in scores.iter().enumerate() {
        let row = &a[i * 11..(i + 1) * 11];
        let best = row[1..].iter().copied().fold(f32::MIN, f32::max);
        assert!(
            (s - (row[0] + best)).abs() < 1e-5,
            "{s} vs {}",
            row[0] + best
        );
    }
}

#[test]
fn a_saved_conditional_run_keeps_its_family_and_draws_the_same() {
    let device = Device::flex();
    let mut t = ImageTrainer::new(
        small_run(ImageFamily::Acgan, ImageArch::Dcgan),
        digits(),
        &device,
    )
    .unwrap();
    t.train(2);
    let bytes = block_on(t.save()).unwrap();
    let back = ImageTrainer::load(&bytes, digits(), &device).unwrap();
    assert_eq!(back.config().family, ImageFamily::Acgan);
    let z = t.label_rows(2, None).unwrap();
    let a = block_on(t.images(&z).unwrap()).unwrap();
    let b = block_on(back.images(&z).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn conditional_configs_are_refused_with_the_key_named() {
    let device = Device::flex();
    let bad = |c: ImageConfig| {
        ImageTrainer::new(c, digits(), &device)
            .err()
            .unwrap()
            .to_string()
    };
    let c = small_run(ImageFamily::Cgan, ImageArch::Mlp);
    assert_eq!(
        bad(ImageConfig {
            codes: Some(4),
            ..c.clone()
        }),
        "invalid config: codes: a conditional run's one-hot part is its label (10 digits): \
         leave codes null, or pick family \"unconditional\" for an InfoGAN code"
    );
    assert_eq!(
        bad(ImageConfig { z_dim: 11, ..c }),
        "invalid config: zDim = 11 is out of range (12 to 256 for a conditional run: its last 10 \
         components are the label)"
    );
    let e = ImageConfig::from_value(serde_json::json!({"family": "sgn"})).unwrap_err();
    assert!(e.to_string().contains("unknown variant `sgn`"), "{e}");
}
