#![cfg(not(target_arch = "wasm32"))]
//! The latent-space arithmetic of the image lab's drawing pad: lerp and slerp, the anchors'
//! plane a drawn path lies on, and truncation (moved out of tests/images.rs unchanged).

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use burn::tensor::Device;
use gan_playground::gan::Rng;
use gan_playground::gan::latent::{
    Interpolation, PAD_ANCHORS, Prior, barycentric, filmstrip, lerp, path_latents, plane_point,
    slerp, truncate,
};
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

fn norm(v: &[f32]) -> f64 {
    v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt()
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
