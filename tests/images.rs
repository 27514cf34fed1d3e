#![cfg(not(target_arch = "wasm32"))]
//! The image GANs natively: both architectures' shapes, a training step moving both networks,
//! DCGAN's pooling-free layers, configs refused with their messages; and the latent-space
//! arithmetic of the drawing pad (lerp, slerp, the anchors' plane, truncation).

use std::sync::Arc;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use futures_lite::future::block_on;
use gan_playground::config::Prior;
use gan_playground::images::{ImageArch, ImageConfig, ImageTrainer};
use gan_playground::latent::{
    Interpolation, PAD_ANCHORS, barycentric, filmstrip, lerp, path_latents, plane_point, slerp,
    truncate,
};
use gan_playground::mnist::{Mnist, PIXELS};
use gan_playground::rng::Rng;

fn digits() -> Arc<Mnist> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/mnist.bin");
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run scripts/setup.sh to make it"));
    Arc::new(Mnist::parse(&bytes).unwrap())
}

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

fn norm(v: &[f32]) -> f64 {
    v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt()
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
    use gan_playground::images::code_cross_entropy;
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
    let ce = code_cross_entropy(a, z, 2)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap()[0];
    let want = (-(0.75f64).ln() - (0.25f64).ln()) / 2.0; // 0.8369
    assert!((ce as f64 - want).abs() < 1e-5, "{ce} against {want}");
}

#[test]
fn training_with_a_code_teaches_q_to_tell_the_categories() {
    use gan_playground::images::code_cross_entropy;
    let device = Device::flex();
    let mut t = ImageTrainer::new(coded(4), digits(), &device).unwrap();
    let z = t.seeded_latents(256, 11, None).unwrap();
    let ce = |t: &ImageTrainer| {
        let zt =
            Tensor::<2>::from_data(burn::tensor::TensorData::new(z.clone(), [256, 10]), &device);
        let fake = t.generator().valid().forward(zt.clone());
        let a = t.discriminator().valid().forward(fake);
        assert_eq!(a.dims(), [256, 5], "a realness score and 4 logits per fake");
        code_cross_entropy(a, zt, 4)
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
    assert_eq!((t.lr_d(), t.lr_g()), (5e-4, 1e-3));
    t.train(4);
    assert!((t.lr_d() - 2.5e-4).abs() < 1e-15 && (t.lr_g() - 5e-4).abs() < 1e-15);
    t.train(2);
    assert!((t.lr_g() - 1e-3 * 0.5f64.powf(1.5)).abs() < 1e-15);
    let mut constant = ImageTrainer::new(small(ImageArch::Mlp), digits(), &device).unwrap();
    assert_eq!(constant.lr_g(), 1e-3);
    // Resuming with smaller steps: new rates from the next round, out-of-range ones refused.
    constant.set_learning_rates(1e-4, 2e-4).unwrap();
    assert_eq!((constant.lr_d(), constant.lr_g()), (1e-4, 2e-4));
    let err = constant
        .set_learning_rates(5.0, 1e-3)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lrD = 5 is out of range"), "{err}");
    assert_eq!(
        constant.lr_d(),
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
fn lerp_and_slerp_start_and_end_exactly_at_the_anchors() {
    let mut rng = Rng::new(3);
    let a: Vec<f32> = (0..100).map(|_| rng.normal() as f32).collect();
    let b: Vec<f32> = (0..100).map(|_| rng.normal() as f32).collect();
    for mode in [Interpolation::Lerp, Interpolation::Slerp] {
        let f = filmstrip(&a, &b, 9, mode);
        assert_eq!(f.len(), 9);
        assert_eq!(f[0], a, "{mode:?}");
        assert_eq!(f[8], b, "{mode:?}");
    }
    // The midpoint of lerp by hand.
    let m = lerp(&[0.0, 2.0], &[4.0, -2.0], 0.5);
    assert_eq!(m, vec![2.0, 0.0]);
}

#[test]
fn slerp_keeps_the_norm_of_anchors_of_equal_norm() {
    // Two unit vectors 90 degrees apart: slerp's midpoint is (1, 1) / sqrt 2, lerp's (1/2, 1/2).
    let (a, b) = ([1.0f32, 0.0], [0.0f32, 1.0]);
    let m = slerp(&a, &b, 0.5);
    let h = std::f32::consts::FRAC_1_SQRT_2;
    assert!((m[0] - h).abs() < 1e-6 && (m[1] - h).abs() < 1e-6, "{m:?}");
    // Random 100-d anchors scaled to one norm: every frame keeps it.
    let mut rng = Rng::new(4);
    let mut a: Vec<f32> = (0..100).map(|_| rng.normal() as f32).collect();
    let mut b: Vec<f32> = (0..100).map(|_| rng.normal() as f32).collect();
    let (na, nb) = (norm(&a), norm(&b));
    a.iter_mut()
        .for_each(|x| *x = (*x as f64 * 10.0 / na) as f32);
    b.iter_mut()
        .for_each(|x| *x = (*x as f64 * 10.0 / nb) as f32);
    for z in filmstrip(&a, &b, 17, Interpolation::Slerp) {
        assert!((norm(&z) - 10.0).abs() < 1e-4, "{}", norm(&z));
    }
    // ... which lerp does not: its midpoint cuts inside the sphere.
    assert!(norm(&lerp(&a, &b, 0.5)) < 9.0);
    // The pad's spherical mode keeps it too, anywhere on the plane.
    let c: Vec<f32> = slerp(&a, &b, 0.3).iter().map(|x| -x).collect();
    for p in [[0.5, 0.5], [0.3, 0.7], [0.5, 0.6]] {
        let z = plane_point([&a, &b, &c], p, Interpolation::Slerp);
        assert!((norm(&z) - 10.0).abs() < 1e-3, "{p:?}: {}", norm(&z));
    }
}

#[test]
fn a_drawn_path_of_n_points_gives_n_latents_on_the_anchors_plane() {
    let mut rng = Rng::new(5);
    let anchors: Vec<Vec<f32>> = (0..3)
        .map(|_| (0..20).map(|_| rng.normal() as f32).collect())
        .collect();
    let a = [&anchors[0][..], &anchors[1][..], &anchors[2][..]];
    let points: Vec<[f64; 2]> = (0..37)
        .map(|i| {
            let t = i as f64 / 36.0;
            [0.1 + 0.8 * t, 0.5 + 0.3 * (6.0 * t).sin()]
        })
        .collect();
    let z = path_latents(a, &points, Interpolation::Lerp, 2.5);
    assert_eq!(z.len(), 37 * 20);
    for (zi, &p) in z.chunks(20).zip(&points) {
        // On the plane: z = A + wb (B - A) + wc (C - A) for the point's barycentric weights,
        // computed here from the pad's anchor positions by hand.
        let [_, wb, wc] = barycentric(p);
        for j in 0..20 {
            let want =
                a[0][j] as f64 + wb * (a[1][j] - a[0][j]) as f64 + wc * (a[2][j] - a[0][j]) as f64;
            assert!((zi[j] as f64 - want).abs() < 1e-4);
        }
    }
    // Each anchor's pad position gives the anchor itself, exactly.
    for (i, &p) in PAD_ANCHORS.iter().enumerate() {
        for mode in [Interpolation::Lerp, Interpolation::Slerp] {
            assert_eq!(plane_point(a, p, mode), anchors[i]);
        }
    }
    // A 2-D latent space is the pad itself: corners map to (-r, r) and (r, -r).
    let two = [&[0.0f32, 0.0][..], &[0.0, 0.0][..], &[0.0, 0.0][..]];
    let z = path_latents(two, &[[0.0, 0.0], [1.0, 1.0]], Interpolation::Slerp, 2.5);
    assert_eq!(z, vec![-2.5, 2.5, 2.5, -2.5]);
}

#[test]
fn truncation_leaves_no_component_beyond_the_threshold() {
    let mut rng = Rng::new(6);
    for (prior, t) in [
        (Prior::Gaussian, 0.5),
        (Prior::Gaussian, 1.5),
        (Prior::Uniform, 0.3),
    ] {
        let mut z: Vec<f32> = (0..10_000)
            .map(|_| match prior {
                Prior::Gaussian => rng.normal() as f32,
                Prior::Uniform => rng.uniform_in(-1.0, 1.0) as f32,
            })
            .collect();
        let before = z.clone();
        truncate(&mut z, t, prior, &mut Rng::new(7)).unwrap();
        assert!(z.iter().all(|x| x.abs() <= t as f32), "{prior:?} {t}");
        // Components already inside are kept as they were.
        for (x, y) in before.iter().zip(&z) {
            if x.abs() <= t as f32 {
                assert_eq!(x, y);
            }
        }
    }
    let err = truncate(&mut [1.0], 0.01, Prior::Gaussian, &mut Rng::new(1)).unwrap_err();
    assert!(err.to_string().contains("truncation"), "{err}");
    // The grid's truncated latents: fixed, and within the threshold.
    let t = ImageTrainer::new(small(ImageArch::Mlp), digits(), &Device::flex()).unwrap();
    let z = t.view_latents(50, Some(0.7)).unwrap();
    assert!(z.iter().all(|x| x.abs() <= 0.7));
    assert_eq!(z, t.view_latents(50, Some(0.7)).unwrap());
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

/// A saved run `file` with its JSON header changed by `edit`.
fn with_header(file: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let n = u32::from_le_bytes(file[8..12].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&file[12..12 + n]).unwrap();
    edit(&mut header);
    let json = serde_json::to_vec(&header).unwrap();
    [
        &file[..8],
        &(json.len() as u32).to_le_bytes()[..],
        &json,
        &file[12 + n..],
    ]
    .concat()
}

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
        ("truncated", file[..file.len() - 9].to_vec(), "truncated"),
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
