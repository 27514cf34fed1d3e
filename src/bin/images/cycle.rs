//! The CycleGAN commands: its classifiers, native training, and the measures of a run.
//!
//! ```text
//! images cycle-classifiers [--epochs N] [--seed S]   (writes assets/uci-classifier.bin, assets/domain-classifier.bin)
//! images cycle-train [--set JSON] [--rounds N] [--every N] [--measure-every N] [--out FILE.gancyc]
//! images cycle-eval --run FILE.gancyc
//! ```
//! The measures, on the held-out test digits of both collections (997 MNIST, 357 UCI):
//! content kept (the UCI classifier names a's digit in G(a); the shipped MNIST classifier names
//! b's digit in F(b); the UCI classifier learnt from the UCI training digits and from MNIST's
//! training digits put through the UCI preprocessing by hand, `uci_reader_set`), style changed (the domain classifier calls G(a) UCI and F(b) MNIST), the
//! cycles' L1 error (pixels in [0, 1]), and FID of G(a) against the UCI test digits and of F(b)
//! against the MNIST test digits (the evaluation lab's FID on the shipped classifier's 64
//! features), beside the FID of the untranslated collections (the gap a translation closes).

use std::sync::Arc;
use std::time::Instant;

use burn::tensor::Device;
use futures_lite::future::block_on;
use gan_playground::cycle::{CycleConfig, CycleTrainer};
use gan_playground::data::optdigits::{domain_set, to_cells, uci_reader_set, upscale};
use gan_playground::data::{Mnist, PIXELS, Split, parse_optdigits};
use gan_playground::eval::metrics::fid;
use gan_playground::eval::share::{accuracy, intended_shares};
use gan_playground::eval::train::train_classifier;
use gan_playground::eval::{DigitClassifier, FEATURES};
use gan_playground::gan::run::RunConfig;
use serde::Serialize;

use super::cli::{asset, classifier, digits, number, run_file, value};

/// The UCI digits at 28 x 28.
fn uci() -> Result<Mnist, String> {
    let path = asset("optdigits.bin");
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{path}: {e}; run scripts/setup.sh to make it"))?;
    parse_optdigits(&bytes).map_err(|e| e.to_string())
}

/// `images cycle-classifiers`: the UCI digit classifier and the domain classifier, trained as
/// the shipped MNIST one is (`classifier-train`), written to assets/.
pub fn classifiers(mut it: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut epochs, mut seed) = (15usize, 1u64);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--epochs" => epochs = number(&mut it, &flag)?,
            "--seed" => seed = number(&mut it, &flag)?,
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    let (a, b) = (digits()?, uci()?);
    let (domains, reader) = (domain_set(&a, &b), uci_reader_set(&a, &b));
    for (name, data, what) in [
        (
            "uci-classifier.bin",
            &reader,
            "UCI digits (trained beside MNIST's training digits in the UCI style)",
        ),
        (
            "domain-classifier.bin",
            &domains,
            "MNIST (0) against UCI (1)",
        ),
    ] {
        let start = Instant::now();
        let (net, info) = train_classifier(data, epochs, seed, &Device::flex(), |e, loss, val| {
            println!(
                "{name} epoch {e:>3}  loss {loss:.4}  validation {:.2} %  {:.0} s",
                100.0 * val,
                start.elapsed().as_secs_f64()
            )
        });
        let out = asset(name);
        std::fs::write(&out, net.to_bytes(&info)).map_err(|e| format!("{out}: {e}"))?;
        println!(
            "wrote {out}: {what}, test accuracy {:.2} % on {} held-out images (epoch {})",
            100.0 * info.test_accuracy,
            data.indices(Split::Test).len(),
            info.best_epoch
        );
    }
    Ok(())
}

/// Everything a CycleGAN run is measured by (see the module's documentation).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measures {
    step: u64,
    /// Share of G(a) whose digit the UCI classifier names as a's.
    content_ab: f64,
    /// Share of F(b) whose digit the MNIST classifier names as b's.
    content_ba: f64,
    /// Share of G(a) the domain classifier calls UCI.
    style_ab: f64,
    /// Share of F(b) it calls MNIST.
    style_ba: f64,
    /// The same two shares for a translation made by hand (`to_cells`: the UCI preprocessing
    /// applied to a): what the UCI classifier makes of MNIST's shapes in the UCI style.
    by_hand_ab: [f64; 2],
    /// Share of the UCI digits themselves (no translation) whose digit the MNIST classifier
    /// names: where an F that changed nothing would stand on content B -> A.
    untranslated_ba: f64,
    /// Content B -> A digit by digit (0-9): the share of F(b) of each digit the MNIST classifier
    /// names right (where the misses are: the UCI writers' flagged 1s and hooked 9s).
    content_ba_by_digit: [f64; 10],
    /// The same for the untranslated UCI digits.
    untranslated_ba_by_digit: [f64; 10],
    /// Mean |F(G(a)) - a|, pixels in [0, 1].
    cycle_l1_a: f64,
    /// Mean |G(F(b)) - b|.
    cycle_l1_b: f64,
    /// FID of G(a) against the UCI test digits.
    fid_ab: f64,
    /// FID of F(b) against the MNIST test digits.
    fid_ba: f64,
    /// FID of the MNIST test digits against the UCI ones: where an identity map would stand.
    fid_untranslated: f64,
    /// The classifiers' own test accuracies (UCI digits, MNIST digits, domains).
    classifiers: [f64; 3],
}

/// The run's measures on both collections' test digits.
pub fn measure(t: &CycleTrainer, a: &Mnist, b: &Mnist) -> Result<Measures, String> {
    let e = |e: gan_playground::GanError| e.to_string();
    let (mnist_net, mnist_info) = classifier(&asset("classifier.bin"))?;
    let (uci_net, uci_info) = classifier(&asset("uci-classifier.bin"))?;
    let (domain_net, domain_info) = classifier(&asset("domain-classifier.bin"))?;
    let (xa, ya) = a.split_pixels(Split::Test);
    let (xb, yb) = b.split_pixels(Split::Test);
    let (na, nb) = (ya.len(), yb.len());
    let ga = block_on(t.translate(&xa, true).map_err(e)?).map_err(e)?;
    let fb = block_on(t.translate(&xb, false).map_err(e)?).map_err(e)?;
    let (ga, fga) = ga.split_at(na * PIXELS);
    let (fb, gfb) = fb.split_at(nb * PIXELS);
    let dev = Device::flex();
    let probs = |net: &DigitClassifier, x: &[f32]| block_on(net.probabilities(x, &dev)).map_err(e);
    let l1 = |x: &[f32], y: &[f32]| {
        x.iter()
            .zip(y)
            .map(|(p, q)| (p - q).abs() as f64)
            .sum::<f64>()
            / x.len() as f64
    };
    let feats = |x: &[f32]| {
        block_on(mnist_net.feature_rows(x, &dev))
            .map(|r| r.0)
            .map_err(e)
    };
    let (f_ga, f_fb, f_a, f_b) = (feats(ga)?, feats(fb)?, feats(&xa)?, feats(&xb)?);
    let hand: Vec<f32> = xa
        .chunks_exact(PIXELS)
        .flat_map(|d| upscale(&to_cells(d)).into_iter().map(|p| p as f32 / 255.0))
        .collect();
    let (read_fb, read_b) = (probs(&mnist_net, fb)?, probs(&mnist_net, &xb)?);
    let rounded = |shares: [f64; 10]| shares.map(|s| (1000.0 * s).round() / 1000.0);
    Ok(Measures {
        step: t.step_count(),
        content_ab: accuracy(&probs(&uci_net, ga)?, &ya),
        content_ba: accuracy(&read_fb, &yb),
        style_ab: accuracy(&probs(&domain_net, ga)?, &vec![1u8; na]),
        style_ba: accuracy(&probs(&domain_net, fb)?, &vec![0u8; nb]),
        by_hand_ab: [
            accuracy(&probs(&uci_net, &hand)?, &ya),
            accuracy(&probs(&domain_net, &hand)?, &vec![1u8; na]),
        ],
        untranslated_ba: accuracy(&read_b, &yb),
        content_ba_by_digit: rounded(intended_shares(&read_fb, &yb)),
        untranslated_ba_by_digit: rounded(intended_shares(&read_b, &yb)),
        cycle_l1_a: l1(fga, &xa),
        cycle_l1_b: l1(gfb, &xb),
        fid_ab: fid(&f_ga, &f_b, FEATURES).map_err(e)?,
        fid_ba: fid(&f_fb, &f_a, FEATURES).map_err(e)?,
        fid_untranslated: fid(&f_a, &f_b, FEATURES).map_err(e)?,
        classifiers: [
            uci_info.test_accuracy,
            mnist_info.test_accuracy,
            domain_info.test_accuracy,
        ],
    })
}

/// `images cycle-train`: trains natively, printing the losses, then the measures.
pub fn train(mut it: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut json, mut rounds, mut every, mut out) = ("{}".to_string(), 1000usize, 100usize, None);
    let mut measure_every = 0usize;
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--set" => json = value(&mut it, &flag)?,
            "--rounds" => rounds = number(&mut it, &flag)?,
            "--every" => every = number(&mut it, &flag)?,
            "--measure-every" => measure_every = number(&mut it, &flag)?,
            "--out" => out = Some(value(&mut it, &flag)?),
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    let config = CycleConfig::from_json(&json).map_err(|e| e.to_string())?;
    let (a, b) = (Arc::new(digits()?), Arc::new(uci()?));
    let mut t = CycleTrainer::new(config, a.clone(), b.clone(), &Device::flex())
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut done = 0;
    while done < rounds {
        let n = every.max(1).min(rounds - done);
        let t0 = Instant::now();
        t.train(n);
        let s = block_on(t.losses()).map_err(|e| e.to_string())?;
        done += n;
        println!(
            "round {done:>6}  D_A {:.3}  D_B {:.3}  G {:.3}  F {:.3}  cycle A {:.3}  B {:.3}  {:.1} ms/round  {:.0} s",
            s.loss_d_a,
            s.loss_d_b,
            s.loss_g,
            s.loss_f,
            s.cycle_a,
            s.cycle_b,
            1000.0 * t0.elapsed().as_secs_f64() / n as f64,
            start.elapsed().as_secs_f64()
        );
        // The measures along the way (a line of JSON each), to see where a run stands when.
        if measure_every > 0 && done < rounds && done % measure_every < n {
            let m = measure(&t, &a, &b)?;
            println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
        }
    }
    if let Some(path) = out {
        let bytes = block_on(t.save()).map_err(|e| e.to_string())?;
        std::fs::write(&path, bytes).map_err(|e| format!("{path}: {e}"))?;
        println!("wrote {path}");
    }
    let m = measure(&t, &a, &b)?;
    println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
    Ok(())
}

/// `images cycle-eval --run FILE`: the measures of a saved run (from the page or `cycle-train`).
pub fn eval(it: impl Iterator<Item = String>) -> Result<(), String> {
    let (path, bytes) = run_file(it, "cycle-eval needs --run FILE.gancyc")?;
    let (a, b) = (Arc::new(digits()?), Arc::new(uci()?));
    let t = CycleTrainer::load(&bytes, a.clone(), b.clone(), &Device::flex())
        .map_err(|e| format!("{path}: {e}"))?;
    let m = measure(&t, &a, &b)?;
    println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
    Ok(())
}
