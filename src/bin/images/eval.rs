//! The evaluation commands: samples and real digits to `.npy`, their features, and every
//! metric as one JSON object.
//!
//! ```text
//! images sample --run FILE.ganimg --n N --out SAMPLES.npy [--seed S] [--truncation T]
//! images real --split train|validation|test --out DIGITS.npy [--seed S]   (train, test shuffled with S, default 0)
//! images features --samples SAMPLES.npy --out FEATURES.npy [--probs PROBS.npy]
//! images eval --samples SAMPLES.npy [--against test|train|OTHER.npy] [--metrics is,fid,...] [--seed S]
//! images eval --baseline train|test|digitK|noise|kmeans [--n N] ...   (a sample set made without a
//!             generator; kmeans: N k-means centroids of the training digits, 10 Lloyd rounds)
//! images stats --out assets/real-stats.json
//! ```

use std::sync::Arc;

use burn::tensor::Device;
use futures_lite::future::block_on;
use gan_playground::data::{PIXELS, Split};
use gan_playground::eval::lab::{
    Baseline, Metric, Reference, baseline_samples, check_pixels, evaluate,
};
use gan_playground::eval::parzen::kmeans;
use gan_playground::eval::stats::RealStats;
use gan_playground::eval::{FEATURES, npy};
use gan_playground::image::ImageTrainer;

use super::cli::{asset, classifier, digits};

fn flags(
    it: impl Iterator<Item = String>,
    known: &[&str],
) -> Result<std::collections::HashMap<String, String>, String> {
    let mut out = std::collections::HashMap::new();
    let mut it = it.peekable();
    while let Some(flag) = it.next() {
        if !known.contains(&flag.as_str()) {
            return Err(format!(
                "unknown flag `{flag}`; expected {}",
                known.join(", ")
            ));
        }
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        out.insert(flag, v);
    }
    Ok(out)
}

fn need<'a>(f: &'a std::collections::HashMap<String, String>, k: &str) -> Result<&'a str, String> {
    f.get(k)
        .map(String::as_str)
        .ok_or(format!("{k} is required"))
}

fn write(path: &str, values: &[f32], cols: usize) -> Result<(), String> {
    std::fs::write(path, npy::write(values, values.len() / cols, cols))
        .map_err(|e| format!("{path}: {e}"))?;
    println!("wrote {} rows x {cols} to {path}", values.len() / cols);
    Ok(())
}

/// Reads a `.npy` of 784-pixel rows in [0, 1].
fn read_pixels(path: &str) -> Result<Vec<f32>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let (v, _, cols) = npy::read(&bytes, path).map_err(|e| e.to_string())?;
    if cols != PIXELS {
        return Err(format!(
            "{path}: rows of {cols} values; expected 784 pixels (28 x 28) per row"
        ));
    }
    check_pixels(&v, path).map_err(|e| e.to_string())?;
    Ok(v)
}

pub fn sample(it: impl Iterator<Item = String>) -> Result<(), String> {
    let f = flags(it, &["--run", "--n", "--out", "--seed", "--truncation"])?;
    let run = need(&f, "--run")?;
    let n: usize = need(&f, "--n")?.parse().map_err(|e| format!("--n: {e}"))?;
    let out = need(&f, "--out")?;
    let seed: u64 = f
        .get("--seed")
        .map_or(Ok(1000), |s| s.parse())
        .map_err(|e| format!("--seed: {e}"))?;
    let truncation = match f.get("--truncation") {
        Some(t) => Some(t.parse::<f64>().map_err(|e| format!("--truncation: {e}"))?),
        None => None,
    };
    if n == 0 {
        return Err("--n: at least one sample".into());
    }
    let bytes = std::fs::read(run).map_err(|e| format!("{run}: {e}"))?;
    let t = ImageTrainer::load(&bytes, Arc::new(digits()?), &Device::flex())
        .map_err(|e| format!("{run}: {e}"))?;
    let mut pixels = Vec::with_capacity(n * PIXELS);
    for (k, start) in (0..n).step_by(500).enumerate() {
        let m = (n - start).min(500);
        let z = t
            .seeded_latents(m, seed + k as u64, truncation)
            .map_err(|e| e.to_string())?;
        let imgs = block_on(t.images(&z).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        pixels.extend(imgs.iter().map(|v| v.clamp(0.0, 1.0)));
    }
    write(out, &pixels, PIXELS)
}

pub fn real(it: impl Iterator<Item = String>) -> Result<(), String> {
    let f = flags(it, &["--split", "--out", "--seed"])?;
    let split = need(&f, "--split")?;
    let seed: u64 = f
        .get("--seed")
        .map_or(Ok(0), |s| s.parse())
        .map_err(|e| format!("--seed: {e}"))?;
    let data = digits()?;
    let pixels = match split {
        "train" | "test" => {
            let b = Baseline::parse(split).map_err(|e| e.to_string())?;
            let all = data
                .indices(if split == "train" {
                    Split::Train
                } else {
                    Split::Test
                })
                .len();
            baseline_samples(&data, b, all, seed).map_err(|e| e.to_string())?
        }
        "validation" => data.split_pixels(Split::Validation).0,
        other => {
            return Err(format!(
                "--split `{other}`: expected train, validation or test"
            ));
        }
    };
    write(need(&f, "--out")?, &pixels, PIXELS)
}

/// Features and ten-digit probabilities of pixels, with the shipped classifier.
fn features_of(pixels: &[f32]) -> Result<(Vec<f32>, Vec<f32>), String> {
    let (net, _) = classifier(&asset("classifier.bin"))?;
    block_on(net.feature_rows(pixels, &Device::flex())).map_err(|e| e.to_string())
}

pub fn features(it: impl Iterator<Item = String>) -> Result<(), String> {
    let f = flags(it, &["--samples", "--out", "--probs"])?;
    let pixels = read_pixels(need(&f, "--samples")?)?;
    let (feats, probs) = features_of(&pixels)?;
    write(need(&f, "--out")?, &feats, FEATURES)?;
    if let Some(p) = f.get("--probs") {
        write(p, &probs, 10)?;
    }
    Ok(())
}

pub fn eval(it: impl Iterator<Item = String>) -> Result<(), String> {
    let f = flags(
        it,
        &[
            "--samples",
            "--baseline",
            "--n",
            "--against",
            "--metrics",
            "--seed",
        ],
    )?;
    let metrics = match f.get("--metrics") {
        Some(list) => Metric::parse_list(list).map_err(|e| e.to_string())?,
        None => Metric::ALL.to_vec(),
    };
    let seed: u64 = f
        .get("--seed")
        .map_or(Ok(0), |s| s.parse())
        .map_err(|e| format!("--seed: {e}"))?;
    let data = digits()?;
    let pixels = match (f.get("--samples"), f.get("--baseline")) {
        (Some(path), None) => read_pixels(path)?,
        (None, Some(b)) => {
            let n: usize = f
                .get("--n")
                .map_or(Ok(1000), |s| s.parse())
                .map_err(|e| format!("--n: {e}"))?;
            match b.strip_prefix("kmeans") {
                Some(_) if n == 0 => return Err("--n: at least one centroid".into()),
                Some(_) => kmeans(&data.split_pixels(Split::Train).0, PIXELS, n, 10, seed),
                None => baseline_samples(
                    &data,
                    Baseline::parse(b).map_err(|e| e.to_string())?,
                    n,
                    seed,
                )
                .map_err(|e| e.to_string())?,
            }
        }
        _ => {
            return Err(
                "eval needs --samples FILE.npy or --baseline train|test|digitK|noise|kmeans".into(),
            );
        }
    };
    let against = f.get("--against").map_or("test", String::as_str);
    let real = match against {
        "test" => data.split_pixels(Split::Test).0,
        "train" => data.split_pixels(Split::Train).0,
        path => read_pixels(path)?,
    };
    let (real_features, _) = features_of(&real)?;
    let stats = match against {
        "test" | "train" => {
            let path = asset("real-stats.json");
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let s = RealStats::parse(&text).map_err(|e| format!("{path}: {e}"))?;
            if against == "test" { s.test } else { s.train }
        }
        _ => gan_playground::eval::metrics::Gaussian::of(&real_features, FEATURES)
            .map_err(|e| e.to_string())?,
    };
    let reference = Reference {
        features: real_features,
        stats,
        pixels: real,
        validation: data.split_pixels(Split::Validation).0,
    };
    let (feats, probs) = features_of(&pixels)?;
    let figures =
        evaluate(&pixels, &feats, &probs, &reference, &metrics, seed).map_err(|e| e.to_string())?;
    let mut json = serde_json::to_value(&figures).map_err(|e| e.to_string())?;
    json["against"] = serde_json::Value::String(against.to_string());
    println!("{json}");
    Ok(())
}

pub fn stats(it: impl Iterator<Item = String>) -> Result<(), String> {
    let f = flags(it, &["--out"])?;
    let data = digits()?;
    let (train, _) = features_of(&data.split_pixels(Split::Train).0)?;
    let (test, _) = features_of(&data.split_pixels(Split::Test).0)?;
    let s = RealStats::of(&train, &test).map_err(|e| e.to_string())?;
    let out = need(&f, "--out")?;
    std::fs::write(out, s.to_json()).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "wrote the feature statistics of {} training and {} held-out digits to {out}",
        s.train.n, s.test.n
    );
    Ok(())
}
