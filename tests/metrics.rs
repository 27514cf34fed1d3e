#![cfg(not(target_arch = "wasm32"))]
//! The evaluation metrics: known answers (IS of one-hot classes, FID of Gaussians in closed
//! form, Parzen of one kernel, precision / recall / density / coverage and KID on hand-built
//! sets), every metric against the independent numpy / scipy implementation on the same
//! feature files (scripts/reference/metrics.py, figures in tests/fixtures/eval/reference.json,
//! 1e-4 relative), `.npy` files, and the shipped real-digit statistics recomputed.

use gan_playground::eval::lab::{Metric, Reference, check_pixels, evaluate};
use gan_playground::eval::metrics::{Gaussian, fid, frechet, inception_score, kid, mmd2_unbiased};
use gan_playground::eval::neighbours::{digits_covered, manifold};
use gan_playground::eval::npy;
use gan_playground::eval::parzen::{kmeans, parzen, sigmas};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/eval/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> (Vec<f32>, usize, usize) {
    let path = fixture(name);
    npy::read(&std::fs::read(&path).unwrap(), &path).unwrap()
}

fn close(got: f64, want: f64, rel: f64, what: &str) {
    let tol = rel * want.abs().max(1e-12);
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} against the reference {want} (tolerance {tol:e})"
    );
}

#[test]
fn inception_score_of_k_even_one_hot_classes_is_k_and_of_identical_rows_is_1() {
    for k in [1usize, 2, 5, 10] {
        let n = 10 * k * 7;
        let probs: Vec<f32> = (0..n)
            .flat_map(|i| (0..10).map(move |c| if c == i % k { 1.0 } else { 0.0 }))
            .collect();
        let s = inception_score(&probs, 10, 10).unwrap();
        close(s.mean, k as f64, 1e-12, "IS of even one-hot classes");
        assert!(s.sd < 1e-12);
    }
    let same: Vec<f32> = (0..200).flat_map(|_| [0.3f32, 0.7]).collect();
    close(
        inception_score(&same, 2, 10).unwrap().mean,
        1.0,
        1e-9,
        "IS of identical rows",
    );
    assert!(
        inception_score(&same[..10], 2, 10)
            .unwrap_err()
            .to_string()
            .contains("5 samples")
    );
}

#[test]
fn fid_of_a_set_with_itself_is_0_and_of_gaussians_is_the_closed_form() {
    let (real, _, d) = load("real-features.npy");
    assert!(fid(&real, &real, d).unwrap().abs() < 1e-6);
    // Diagonal covariances commute: d² = |Δμ|² + Σ (√a − √b)².
    let diag = |v: &[f64]| {
        let d = v.len();
        let mut s = vec![0.0; d * d];
        v.iter().enumerate().for_each(|(i, x)| s[i * d + i] = *x);
        s
    };
    let a = Gaussian {
        n: 10,
        mu: vec![1.0, 2.0, 0.0],
        sigma: diag(&[4.0, 1.0, 0.25]),
    };
    let b = Gaussian {
        n: 10,
        mu: vec![0.0, 2.0, 3.0],
        sigma: diag(&[1.0, 9.0, 0.0]),
    };
    let want = 1.0 + 9.0 + (2.0f64 - 1.0).powi(2) + (1.0f64 - 3.0).powi(2) + 0.25;
    close(
        frechet(&a, &b).unwrap(),
        want,
        1e-9,
        "FID of diagonal Gaussians",
    );
    // A rotated pair with the same eigenbasis: the rotation cancels.
    let (c, s) = (0.6f64, 0.8f64);
    let rot = |l1: f64, l2: f64| {
        vec![
            c * c * l1 + s * s * l2,
            c * s * (l1 - l2),
            c * s * (l1 - l2),
            s * s * l1 + c * c * l2,
        ]
    };
    let p = Gaussian {
        n: 10,
        mu: vec![0.0, 0.0],
        sigma: rot(4.0, 1.0),
    };
    let q = Gaussian {
        n: 10,
        mu: vec![0.0, 0.0],
        sigma: rot(16.0, 9.0),
    };
    close(
        frechet(&p, &q).unwrap(),
        4.0 + 4.0,
        1e-9,
        "FID of rotated Gaussians",
    );
    let nan = Gaussian {
        n: 10,
        mu: vec![f64::NAN, 0.0],
        sigma: rot(4.0, 1.0),
    };
    assert!(
        frechet(&nan, &q)
            .unwrap_err()
            .to_string()
            .contains("not finite")
    );
}

#[test]
fn kid_on_a_hand_built_pair_of_sets() {
    // d = 1, k(a, b) = (ab + 1)³: within each set k(0, 1) = 1; across 1 + 1 + 1 + 8 = 11.
    let x = [0.0f32, 1.0];
    close(
        mmd2_unbiased(&x, &x, 1),
        1.0 + 1.0 - 2.0 * 11.0 / 4.0,
        1e-12,
        "MMD²",
    );
    let k = kid(&x, &x, 1, 3, 10, 7).unwrap();
    close(k.mean, -3.5, 1e-12, "KID over subsets of every row");
    assert!(k.sd < 1e-12);
}

#[test]
fn precision_recall_density_coverage_on_hand_built_sets() {
    // Reals 0..4 on a line (nearest other: 1), fakes at 0.5 and 10 (each other's nearest: 9.5).
    let real = [0.0f32, 1.0, 2.0, 3.0, 4.0];
    let fake = [0.5f32, 10.0];
    let m = manifold(&real, &fake, 1, 1, 1).unwrap();
    assert_eq!((m.precision, m.recall), (0.5, 1.0));
    assert_eq!((m.density, m.coverage), (1.0, 0.4));
    assert!(
        manifold(&real, &fake, 1, 3, 5)
            .unwrap_err()
            .to_string()
            .contains("too few")
    );
    let probs: Vec<f32> = (0..200)
        .flat_map(|i| {
            let c = if i < 198 { 3 } else { 5 + i % 2 };
            (0..10).map(move |k| if k == c { 0.9 } else { 0.1 / 9.0 })
        })
        .collect();
    let cov = digits_covered(&probs, 10);
    assert_eq!(cov.histogram, [0, 0, 0, 198, 0, 1, 1, 0, 0, 0]);
    assert_eq!(cov.covered, 1, "1 % of the samples is the bar");
    let p = 198.0 / 200.0f64;
    close(
        cov.entropy_bits,
        -p * p.log2() - 2.0 * 0.005 * 0.005f64.log2(),
        1e-12,
        "entropy",
    );
}

/// splitmix64 of (row, column, salt) in [0, 1], about 30 % non-zero: the formula of
/// scripts/reference/metrics.py.
fn hashed(rows: u64, cols: u64, salt: u64) -> Vec<f32> {
    let mut out = Vec::new();
    for i in 0..rows {
        for j in 0..cols {
            let mut x = i
                .wrapping_mul(1000003)
                .wrapping_add(j.wrapping_mul(7919))
                .wrapping_add(salt.wrapping_mul(1000000007))
                .wrapping_add(0x9E3779B97F4A7C15);
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
            x ^= x >> 31;
            let v = (x >> 40) as f64 / (1u64 << 24) as f64;
            out.push(if v < 0.7 {
                0.0
            } else {
                ((v - 0.7) / 0.3) as f32
            });
        }
    }
    out
}

/// Parzen's distances take their dot products in f32 (the page's speed): 1e-6 relative.
#[test]
fn parzen_of_one_kernel_is_the_gaussian_log_density() {
    let d = 784;
    let centre = hashed(1, d as u64, 9);
    let (valid, test) = (hashed(20, d as u64, 10), hashed(15, d as u64, 11));
    let p = parzen(&centre, &valid, &test, d).unwrap();
    let log_n = |x: &[f32], s: f64| {
        let sq: f64 = x
            .iter()
            .zip(&centre)
            .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
            .sum();
        -0.5 * sq / (s * s) - d as f64 * (s * (2.0 * std::f64::consts::PI).sqrt()).ln()
    };
    let mean = |rows: &[f32], s: f64| {
        rows.chunks_exact(d).map(|x| log_n(x, s)).sum::<f64>() / (rows.len() / d) as f64
    };
    for (s, got) in sigmas().iter().zip(&p.validation) {
        close(*got, mean(&valid, *s), 1e-6, "validation log-likelihood");
    }
    let best = sigmas()
        .into_iter()
        .max_by(|a, b| mean(&valid, *a).total_cmp(&mean(&valid, *b)));
    assert_eq!(Some(p.sigma), best);
    close(p.mean, mean(&test, p.sigma), 1e-6, "test log-likelihood");
    close(sigmas()[0], 0.1, 1e-12, "logspace start");
    close(sigmas()[9], 1.0, 1e-12, "logspace end");
}

#[test]
fn every_metric_equals_the_numpy_scipy_reference_on_the_same_features() {
    let text = std::fs::read_to_string(fixture("reference.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    let (real, nr, d) = load("real-features.npy");
    let (fake, nf, _) = load("fake-features.npy");
    let (probs, _, k) = load("fake-probs.npy");
    let is = inception_score(&probs, k, 10).unwrap();
    close(is.mean, num(&r["is"][0]), 1e-4, "IS mean");
    close(is.sd, num(&r["is"][1]), 1e-4, "IS sd");
    close(fid(&real, &fake, d).unwrap(), num(&r["fid"]), 1e-4, "FID");
    let m = nr.min(nf);
    close(
        mmd2_unbiased(&fake[..m * d], &real[..m * d], d),
        num(&r["kid_all_rows"]),
        1e-4,
        "KID",
    );
    let mf = manifold(&real, &fake, d, 3, 5).unwrap();
    for (got, key) in [
        (mf.precision, "precision"),
        (mf.recall, "recall"),
        (mf.density, "density"),
        (mf.coverage, "coverage"),
    ] {
        close(got, num(&r["prdc"][key]), 1e-4, key);
    }
    let p = parzen(
        &hashed(60, 784, 1),
        &hashed(40, 784, 2),
        &hashed(30, 784, 3),
        784,
    )
    .unwrap();
    close(p.mean, num(&r["parzen"]["mean"]), 1e-4, "Parzen mean");
    close(p.se, num(&r["parzen"]["se"]), 1e-4, "Parzen standard error");
    close(p.sigma, num(&r["parzen"]["sigma"]), 1e-9, "Parzen sigma");
}

#[test]
fn npy_files_round_trip_numpy_files_read_and_bad_files_are_refused_by_name() {
    let v = [1.0f32, -2.5, 3.0, 0.0, 1e-7, 8.0];
    let bytes = npy::write(&v, 2, 3);
    assert_eq!((bytes.len() - 6 * 4) % 64, 0, "header padded to 64 bytes");
    assert_eq!(npy::read(&bytes, "x.npy").unwrap(), (v.to_vec(), 2, 3));
    let (w, r, c) = load("numpy-written.npy");
    assert_eq!((r, c), (2, 3));
    assert_eq!(w, vec![0.5, 1.0, -2.0, 3.25, 0.0, 1e-3]);
    let msg = |b: &[u8]| npy::read(b, "s.npy").unwrap_err().to_string();
    assert_eq!(
        msg(b"hello world"),
        "s.npy: not a .npy file (no \\x93NUMPY magic)"
    );
    let swap = |from: &str, to: &str| {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
    };
    assert!(msg(&swap("<f4", "<f8")).contains("holds '<f8'; expected little-endian float32"));
    assert!(msg(&bytes[..bytes.len() - 4]).contains("needs 24 bytes of data, the file has 20"));
    assert!(msg(&swap("(2, 3)", "(1,2,3)")).contains("expected 1 or 2 dimensions"));
}

#[test]
fn bad_sample_sets_are_refused_with_the_sample_named() {
    assert_eq!(
        check_pixels(&[], "samples").unwrap_err().to_string(),
        "samples: no samples to evaluate"
    );
    let mut px = vec![0.5f32; 784 * 3];
    px[784 * 2 + 5] = f32::NAN;
    assert_eq!(
        check_pixels(&px, "samples").unwrap_err().to_string(),
        "samples: sample 2 holds NaN (a generator that diverged?)"
    );
    px[784 * 2 + 5] = -0.5;
    assert!(
        check_pixels(&px, "s")
            .unwrap_err()
            .to_string()
            .contains("sample 2 has a pixel of -0.5")
    );
    assert!(
        check_pixels(&px[..100], "s")
            .unwrap_err()
            .to_string()
            .contains("784-pixel")
    );
    assert!(
        Metric::parse_list("is,fid,bogus")
            .unwrap_err()
            .to_string()
            .contains("unknown metric `bogus`")
    );
    assert_eq!(
        Metric::parse_list("IS, kid").unwrap(),
        vec![Metric::Is, Metric::Kid]
    );
    let reference = Reference {
        features: vec![0.0; 64 * 4],
        stats: Gaussian::of(&[0.0; 64 * 4], 64).unwrap(),
        pixels: vec![0.0; 784],
        validation: vec![0.0; 784],
    };
    let e = evaluate(&[], &[], &[], &reference, &[Metric::Is], 0).unwrap_err();
    assert_eq!(e.to_string(), "samples: no samples to evaluate");
}

#[test]
fn kmeans_centroids_are_cluster_means() {
    // Two tight clusters in 784-D: the centroids land on their means.
    let mut rows = Vec::new();
    for i in 0..20 {
        let v = if i % 2 == 0 { 0.1 } else { 0.9 } + (i / 2) as f32 * 1e-3;
        rows.extend(std::iter::repeat_n(v, 784));
    }
    let mut c = kmeans(&rows, 784, 2, 5, 3);
    c.sort_by(f32::total_cmp);
    close(
        c[0] as f64,
        0.1 + 4.5e-3,
        1e-5,
        "centroid of the low cluster",
    );
    close(
        c[784] as f64,
        0.9 + 4.5e-3,
        1e-5,
        "centroid of the high cluster",
    );
}

#[test]
fn the_shipped_real_digit_statistics_are_those_of_the_shipped_classifier_and_digits() {
    use burn::tensor::Device;
    use gan_playground::data::{Mnist, Split};
    use gan_playground::eval::DigitClassifier;
    use gan_playground::eval::stats::RealStats;
    let root = env!("CARGO_MANIFEST_DIR");
    let read =
        |p: &str| std::fs::read(format!("{root}/{p}")).unwrap_or_else(|e| panic!("{p}: {e}"));
    let data = Mnist::parse(&read("assets/mnist.bin")).unwrap();
    let (net, _) = DigitClassifier::load(&read("assets/classifier.bin"), &Device::flex()).unwrap();
    let feats = |s| {
        futures_lite::future::block_on(net.feature_rows(&data.split_pixels(s).0, &Device::flex()))
            .unwrap()
            .0
    };
    let now = RealStats::of(&feats(Split::Train), &feats(Split::Test)).unwrap();
    let shipped =
        RealStats::parse(&String::from_utf8(read("assets/real-stats.json")).unwrap()).unwrap();
    for (a, b, what) in [
        (&now.train, &shipped.train, "train"),
        (&now.test, &shipped.test, "test"),
    ] {
        assert_eq!(a.n, b.n, "{what} rows");
        for (x, y) in a.mu.iter().chain(&a.sigma).zip(b.mu.iter().chain(&b.sigma)) {
            assert!(
                (x - y).abs() <= 1e-6 * y.abs().max(1e-3),
                "{what}: {x} against shipped {y}"
            );
        }
    }
    // FID(training, held-out): the real-data floor the page places figures against.
    let floor = frechet(&shipped.train, &shipped.test).unwrap();
    assert!(floor > 0.0 && floor < 1.0, "FID(train, test) = {floor}");
}

#[test]
fn the_command_line_writes_npy_and_evaluates_a_split_against_itself() {
    let bin = env!("CARGO_BIN_EXE_images");
    let dir = std::env::temp_dir().join(format!("gan-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_string_lossy().to_string();
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin).args(args).output().unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (ok, _, err) = run(&["real", "--split", "test", "--out", &path("test.npy")]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&[
        "eval",
        "--samples",
        &path("test.npy"),
        "--metrics",
        "fid,is,digits",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(
        v["fid"].as_f64().unwrap().abs() < 1e-6,
        "FID(test, test) = {}",
        v["fid"]
    );
    assert!(
        v["is"]["mean"].as_f64().unwrap() > 8.0,
        "IS of held-out digits {}",
        v["is"]
    );
    assert_eq!(v["digits"]["covered"], 10);
    assert!(v.get("kid").is_none(), "only the metrics asked for");
    let (ok, _, err) = run(&[
        "features",
        "--samples",
        &path("test.npy"),
        "--out",
        &path("f.npy"),
        "--probs",
        &path("p.npy"),
    ]);
    assert!(ok, "{err}");
    let (f, n, d) = npy::read(&std::fs::read(path("f.npy")).unwrap(), "f").unwrap();
    assert_eq!((n, d, f.len()), (997, 64, 997 * 64));
    // Bad files: named, with the problem.
    std::fs::write(path("bad.npy"), b"not numpy").unwrap();
    let (ok, _, err) = run(&["eval", "--samples", &path("bad.npy")]);
    assert!(!ok && err.contains("bad.npy: not a .npy file"), "{err}");
    let (ok, _, err) = run(&["eval", "--samples", &path("f.npy")]);
    assert!(
        !ok && err.contains("f.npy: rows of 64 values; expected 784 pixels"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        "eval",
        "--samples",
        &path("test.npy"),
        "--metrics",
        "fid,nope",
    ]);
    assert!(!ok && err.contains("unknown metric `nope`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
