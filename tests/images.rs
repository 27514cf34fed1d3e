#![cfg(not(target_arch = "wasm32"))]
//! The image GANs natively: both architectures' shapes, a training step moving both networks,
//! DCGAN's pooling-free layers, configs refused with their messages (the latent-space
//! arithmetic is in tests/latent.rs, saved runs in tests/image_files.rs).

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use futures_lite::future::block_on;
use gan_playground::RunConfig;
use gan_playground::data::PIXELS;
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

#[test]
fn both_architectures_make_28x28_images_and_score_them() {
    let device = Device::flex();
    for arch in [ImageArch::Mlp, ImageArch::Dcgan] {
        let t = ImageTrainer::new(small(arch), digits(), &device).unwrap();
        let z = t.view_latents(5, None).unwrap();
        assert_eq!(z.len(), 5 * 10);
        let imgs = block_on(t.images(&z).unwrap()).unwrap();
        assert_eq!(imgs.len(), 5 * PIXELS, "{arch:?}");
        assert!(imgs.iter().all(|&p| (0.0..=1.0).contains(&p)), "{arch:?}");
        let x = Tensor::<2>::zeros([3, PIXELS], &device);
        let d = t.discriminator().valid().forward(x);
        assert_eq!(d.dims(), [3, 1], "{arch:?}");
    }
}

#[test]
fn the_architectures_have_the_sizes_documented() {
    let device = Device::flex();
    let count = |arch, z_dim, w: usize| {
        let c = ImageConfig {
            arch,
            z_dim,
            gen_width: Some(w),
            disc_width: Some(w),
            gen_refine: false,
            codes: Some(0),
            ..ImageConfig::default()
        };
        ImageTrainer::new(c, digits(), &device)
            .unwrap()
            .parameter_counts()
    };
    // MLP G: 100*256+256 + 256*256+256 + 256*784+784; D: 784*256+256 + 256*256+256 + 256+1.
    assert_eq!(
        count(ImageArch::Mlp, 100, 256),
        (25_856 + 65_792 + 201_488, 200_960 + 65_792 + 257)
    );
    // DCGAN, c = 32. G: linear 100 -> 64*49 (+bias), BN 64 (gamma, beta), transposed conv
    // 64 -> 32 (4x4, + bias), BN 32, transposed conv 32 -> 1 (+ bias).
    // D: conv 1 -> 32 (4x4, +bias), conv 32 -> 64 (4x4, +bias), BN 64, conv 64 -> 128 (3x3,
    // +bias), BN 128, linear 128*16 -> 1.
    // burn counts each batch norm's running mean and variance too: 2 x (64 + 32) in G,
    // 2 x (64 + 128) in D.
    let g = 100 * 3136 + 3136 + 128 + 64 * 32 * 16 + 32 + 64 + 32 * 16 + 1 + 2 * (64 + 32);
    let d = 32 * 16
        + 32
        + 32 * 64 * 16
        + 64
        + 128
        + 64 * 128 * 9
        + 128
        + 256
        + 2048
        + 1
        + 2 * (64 + 128);
    assert_eq!(count(ImageArch::Dcgan, 100, 32), (g, d));

    // genRefine adds G's 3x3 convolution 32 -> 32 at 14 x 14 (+ bias) and its batch norm
    // (gamma, beta, running mean and variance); D is unchanged.
    let refined = ImageConfig {
        arch: ImageArch::Dcgan,
        gen_width: Some(32),
        disc_width: Some(32),
        gen_refine: true,
        codes: Some(0),
        ..ImageConfig::default()
    };
    let counts = ImageTrainer::new(refined.clone(), digits(), &device)
        .unwrap()
        .parameter_counts();
    assert_eq!(counts, (g + 32 * 32 * 9 + 32 + 4 * 32, d));

    // An InfoGAN code of 64 categories (the default for zDim 100) widens D's linear head
    // from 1 output to 1 + 64 (Q's logits): 64 more columns of 2048 weights and a bias each.
    // G keeps its input of 100 (36 noise components and the one-hot code).
    let coded = ImageConfig {
        codes: None,
        ..refined
    };
    let counts = ImageTrainer::new(coded, digits(), &device)
        .unwrap()
        .parameter_counts();
    assert_eq!(counts, (g + 32 * 32 * 9 + 32 + 4 * 32, d + 64 * 2049));
}

fn coded(codes: usize) -> ImageConfig {
    ImageConfig {
        codes: Some(codes),
        ..small(ImageArch::Dcgan)
    }
}

#[test]
fn a_coded_latent_is_noise_then_a_one_hot_category() {
    let t = ImageTrainer::new(coded(4), digits(), &Device::flex()).unwrap();
    let z = t.seeded_latents(2000, 3, None).unwrap();
    let mut counts = [0usize; 4];
    for latent in z.chunks_exact(10) {
        let (noise, code) = latent.split_at(6);
        assert!(code.iter().all(|&v| v == 0.0 || v == 1.0), "{code:?}");
        assert_eq!(code.iter().sum::<f32>(), 1.0, "{code:?}");
        counts[code.iter().position(|&v| v == 1.0).unwrap()] += 1;
        assert!(noise.iter().all(|&v| v != 0.0 && v != 1.0), "{noise:?}");
    }
    // Uniform categories: 500 each expected, sd ~19.
    assert!(
        counts.iter().all(|&n| (420..=580).contains(&n)),
        "{counts:?}"
    );
    // Truncation redraws noise components only: the codes' ones stay.
    let zt = t.seeded_latents(2000, 3, Some(0.5)).unwrap();
    for (a, b) in z.chunks_exact(10).zip(zt.chunks_exact(10)) {
        assert_eq!(a[6..], b[6..]);
        assert!(b[..6].iter().all(|v| v.abs() <= 0.5), "{b:?}");
    }
}

#[test]
fn the_code_term_is_qs_cross_entropy_on_the_true_categories() {
    use gan_playground::image::unconditional::info::code_cross_entropy;
    use gan_playground::nn::Heads;
    let device = Device::flex();
    // Two fakes, codes of 2 categories after one noise component. D's outputs: a realness
    // score (ignored), then Q's logits (0, ln 3): q = (1/4, 3/4) for both.
    let ln3 = 3f32.ln();
    let a = Tensor::<2>::from_data(
        burn::tensor::TensorData::new(vec![5.0, 0.0, ln3, -5.0, 0.0, ln3], [2, 3]),
        &device,
    );
    let z = Tensor::<2>::from_data(
        burn::tensor::TensorData::new(vec![0.3, 0.0, 1.0, -0.3, 1.0, 0.0], [2, 3]),
        &device,
    );
    let ce = code_cross_entropy(
        Heads {
            q: 2,
            classes: 0,
            k_plus_one: false,
        },
        a,
        z,
    )
    .into_data()
    .try_to_vec::<f32>()
    .unwrap()[0];
    let want = (-(0.75f64).ln() - (0.25f64).ln()) / 2.0; // 0.8369
    assert!((ce as f64 - want).abs() < 1e-5, "{ce} against {want}");
}

#[test]
fn training_with_a_code_teaches_q_to_tell_the_categories() {
    use gan_playground::image::unconditional::info::code_cross_entropy;
    use gan_playground::nn::Heads;
    let device = Device::flex();
    let mut t = ImageTrainer::new(coded(4), digits(), &device).unwrap();
    let z = t.seeded_latents(256, 11, None).unwrap();
    let ce = |t: &ImageTrainer| {
        let zt =
            Tensor::<2>::from_data(burn::tensor::TensorData::new(z.clone(), [256, 10]), &device);
        let fake = t.generator().valid().forward(zt.clone());
        let a = t.discriminator().valid().forward(fake);
        assert_eq!(a.dims(), [256, 5], "a realness score and 4 logits per fake");
        code_cross_entropy(
            Heads {
                q: 4,
                classes: 0,
                k_plus_one: false,
            },
            a,
            zt,
        )
        .into_data()
        .try_to_vec::<f32>()
        .unwrap()[0]
    };
    // Untrained, Q knows nothing: ln 4 = 1.386 (its weights are small).
    let before = ce(&t);
    assert!((before - 4f32.ln()).abs() < 0.05, "{before}");
    t.train(60);
    let after = ce(&t);
    assert!(
        after < 0.5 * before,
        "Q's cross-entropy {before} -> {after}"
    );
}

#[test]
fn dcgan_downsamples_with_strided_convolutions_and_never_pools() {
    let plain = ImageConfig {
        gen_refine: false,
        ..small(ImageArch::Dcgan)
    };
    let t = ImageTrainer::new(plain, digits(), &Device::flex()).unwrap();
    let d = format!("{:?}", t.discriminator());
    let g = format!("{:?}", t.generator());
    for s in [&d, &g] {
        assert!(!s.to_lowercase().contains("pool"), "{s}");
        assert!(s.contains("BatchNorm"), "{s}");
    }
    assert_eq!(d.matches("Conv2d {").count(), 3, "{d}");
    assert!(d.contains("stride: [2, 2]"), "{d}");
    assert_eq!(g.matches("ConvTranspose2d {").count(), 2, "{g}");
    assert!(!g.contains("Conv2d {"), "{g}");

    let refined = ImageConfig {
        gen_refine: true,
        ..small(ImageArch::Dcgan)
    };
    let t = ImageTrainer::new(refined, digits(), &Device::flex()).unwrap();
    let g = format!("{:?}", t.generator());
    assert_eq!(g.matches("ConvTranspose2d {").count(), 2, "{g}");
    assert_eq!(g.matches("Conv2d {").count(), 1, "{g}");
    assert!(!g.to_lowercase().contains("pool"), "{g}");
}

#[test]
fn one_training_step_changes_both_networks() {
    let device = Device::flex();
    for arch in [ImageArch::Mlp, ImageArch::Dcgan] {
        let mut t = ImageTrainer::new(small(arch), digits(), &device).unwrap();
        let flat = |m: Vec<Tensor<1>>| -> Vec<f32> {
            Tensor::cat(m, 0).into_data().try_to_vec::<f32>().unwrap()
        };
        let params = |t: &ImageTrainer| {
            let mut g = Vec::new();
            t.generator().visit(&mut Collect(&mut g));
            let mut d = Vec::new();
            t.discriminator().visit(&mut Collect(&mut d));
            (flat(g), flat(d))
        };
        let (g0, d0) = params(&t);
        t.train(1);
        let s = block_on(t.losses()).unwrap();
        assert_eq!(s.step, 1);
        assert!(s.loss_d.is_finite() && s.loss_g.is_finite());
        let (g1, d1) = params(&t);
        assert_eq!((g0.len(), d0.len()), (g1.len(), d1.len()));
        let moved = |a: &[f32], b: &[f32]| a.iter().zip(b).filter(|(x, y)| x != y).count();
        assert!(moved(&g0, &g1) > g0.len() / 2, "{arch:?}: G barely moved");
        assert!(moved(&d0, &d1) > d0.len() / 2, "{arch:?}: D barely moved");
    }
}

/// Every parameter tensor of both networks trains, biases included, for every family: burn
/// makes a zero-initialised bias lazily and a lazy parameter shares its pending state with its
/// clones, so a frozen copy of D (`no_grad`) used before D's own first forward would take D's
/// biases out of training (the CycleGAN's discriminators lost theirs so). Read only after
/// training, so that reading does not make the lazy parameters itself.
#[test]
fn every_parameter_tensor_trains_biases_included() {
    use gan_playground::image::ImageFamily;
    let device = Device::flex();
    for family in [
        ImageFamily::Unconditional,
        ImageFamily::Cgan,
        ImageFamily::Acgan,
        ImageFamily::Sgan,
    ] {
        let config = ImageConfig {
            family,
            z_dim: 20,
            ..small(ImageArch::Dcgan)
        };
        let mut t = ImageTrainer::new(config, digits(), &device).unwrap();
        t.train(2);
        let mut d = Vec::new();
        t.discriminator().visit(&mut Collect(&mut d));
        let mut g = Vec::new();
        t.generator().visit(&mut Collect(&mut g));
        for (net, params) in [("D", d), ("G", g)] {
            for (i, p) in params.into_iter().enumerate() {
                let v = p.into_data().try_to_vec::<f32>().unwrap();
                // DCGAN's biases start at zero and its weights at N(0, 0.02): after two
                // Adam updates of 2e-4 or more no tensor is all zeros.
                assert!(
                    v.iter().any(|x| *x != 0.0),
                    "{family:?}: {net}'s parameter {i} ({} values) is still all zeros",
                    v.len()
                );
            }
        }
    }
}

/// Collects every float parameter of a module, flattened.
struct Collect<'a>(&'a mut Vec<Tensor<1>>);

impl burn::module::ModuleVisitor for Collect<'_> {
    fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
        self.0.push(param.val().inner().flatten::<1>(0, D - 1));
    }
}

#[test]
fn bad_image_configs_are_refused_with_the_key_named() {
    let err = |json: &str| ImageConfig::from_json(json).unwrap_err().to_string();
    assert!(err(r#"{"loss":"wganGp"}"#).contains("wganGp"));
    assert!(err(r#"{"arch":"resnet"}"#).contains("unknown variant `resnet`"));
    assert!(err(r#"{"zDim":1}"#).contains("zDim"));
    assert!(err(r#"{"arch":"dcgan","genWidth":512}"#).contains("genWidth"));
    assert!(err(r#"{"batchSize":1}"#).contains("batchSize"));
    assert!(err(r#"{"bogus":1}"#).contains("unknown field `bogus`"));
    assert!(err(r#"{"lrHalfLife":2000000}"#).contains("lrHalfLife"));
    let c = ImageConfig::from_json(r#"{"arch":"mlp"}"#).unwrap();
    assert_eq!((c.gen_width(), c.disc_width()), (256, 256));
    // The InfoGAN code: 64 categories by default for zDim 100, none for a 2-d latent (the
    // pad is the latent plane then); two noise components at least.
    assert_eq!(c.codes, Some(64));
    assert_eq!(
        ImageConfig::from_json(r#"{"zDim":2}"#).unwrap().codes,
        Some(0)
    );
    assert!(err(r#"{"codes":1}"#).contains("codes = 1 is out of range"));
    assert!(
        err(r#"{"zDim":2,"codes":2}"#)
            .contains("codes = 2 is out of range (0 (off) or 2 to zDim - 2")
    );
    assert!(err(r#"{"zDim":50,"codes":64}"#).contains("codes = 64"));
    assert!(err(r#"{"infoWeight":-1}"#).contains("infoWeight"));
    assert_eq!(
        ImageConfig::from_json(r#"{"zDim":10,"codes":8}"#)
            .unwrap()
            .codes,
        Some(8)
    );
}

#[test]
fn learning_rates_halve_every_half_life() {
    let device = Device::flex();
    let mut t = ImageTrainer::new(
        ImageConfig {
            lr_half_life: 4,
            ..small(ImageArch::Mlp)
        },
        digits(),
        &device,
    )
    .unwrap();
    assert_eq!((t.learning_rates().0, t.learning_rates().1), (5e-4, 1e-3));
    t.train(4);
    assert!(
        (t.learning_rates().0 - 2.5e-4).abs() < 1e-15
            && (t.learning_rates().1 - 5e-4).abs() < 1e-15
    );
    t.train(2);
    assert!((t.learning_rates().1 - 1e-3 * 0.5f64.powf(1.5)).abs() < 1e-15);
    let mut constant = ImageTrainer::new(small(ImageArch::Mlp), digits(), &device).unwrap();
    assert_eq!(constant.learning_rates().1, 1e-3);
    // Resuming with smaller steps: new rates from the next round, out-of-range ones refused.
    constant.set_learning_rates(1e-4, 2e-4).unwrap();
    assert_eq!(
        (constant.learning_rates().0, constant.learning_rates().1),
        (1e-4, 2e-4)
    );
    let err = constant
        .set_learning_rates(5.0, 1e-3)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lrD = 5 is out of range"), "{err}");
    assert_eq!(
        constant.learning_rates().0,
        1e-4,
        "a refused change leaves the rates as they were"
    );
}

#[test]
fn latents_that_are_not_whole_or_finite_are_refused() {
    let t = ImageTrainer::new(small(ImageArch::Mlp), digits(), &Device::flex()).unwrap();
    let msg = |z: &[f32]| t.images(z).err().unwrap().to_string();
    assert!(msg(&[0.0; 7]).contains("not a whole number of 10-dimensional latents"));
    let mut z = vec![0.0; 10];
    z[3] = f32::NAN;
    assert!(msg(&z).contains("finite"));
}

#[test]
fn the_view_latents_and_real_digits_are_fixed() {
    let mut t = ImageTrainer::new(small(ImageArch::Mlp), digits(), &Device::flex()).unwrap();
    let z0 = t.view_latents(4, None).unwrap();
    let r0 = t.real_images(3);
    t.train(2);
    assert_eq!(t.view_latents(4, None).unwrap(), z0);
    assert_eq!(t.real_images(3), r0);
    assert!(r0.iter().all(|&p| (0.0..=1.0).contains(&p)));
    assert!(r0.iter().any(|&p| p > 0.9), "a digit has white strokes");
}

#[test]
fn the_views_show_the_moving_average_of_g_unless_it_is_off() {
    let device = Device::flex();
    let run = |ema_decay: f64| {
        let c = ImageConfig {
            ema_decay,
            ..small(ImageArch::Mlp)
        };
        let mut t = ImageTrainer::new(c, digits(), &device).unwrap();
        t.train(20);
        let z = t.view_latents(4, None).unwrap();
        let shown = block_on(t.images(&z).unwrap()).unwrap();
        let zt = Tensor::<2>::from_data(burn::tensor::TensorData::new(z, [4, 10]), &device);
        let own: Vec<f32> = t
            .generator()
            .valid()
            .forward(zt)
            .add_scalar(1.0)
            .mul_scalar(0.5)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        (shown, own)
    };
    let (shown, own) = run(0.0);
    assert_eq!(shown, own, "emaDecay 0 shows G itself");
    let (shown, own) = run(0.99);
    let diff: f32 = shown
        .iter()
        .zip(&own)
        .map(|(a, b)| (a - b).abs())
        .sum::<f32>()
        / own.len() as f32;
    assert!(
        diff > 1e-3,
        "the average differs from the last iterate: {diff}"
    );
}
