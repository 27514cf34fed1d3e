//! The StackGAN commands: native training and the measures of a run (issue 26).
//!
//! ```text
//! images stack-train [--set JSON] [--rounds-one N] [--rounds-two N] [--both] [--every N] [--measure-every N]
//!                    [--load FILE.ganstk] [--out FILE.ganstk]
//! images stack-eval --run FILE.ganstk
//! ```
//! Stage I trains first, then stage II with stage I frozen (`--both`: a round of each in turn
//! for `--rounds-one` rounds, then stage II alone for `--rounds-two`). The measures, on one
//! sample per held-out MNIST test digit (997), made from that digit's caption with fresh z and
//! ĉ: the shipped classifier names the caption's digit in stage II's image (and in stage I's,
//! upsampled); the thickness and slant measured on stage II's image (`data::captions`) agree
//! with the caption's; FID of stage II's images and of stage I's upsampled against the test
//! digits (the evaluation lab's FID on the classifier's 64 features), beside the FID of the
//! training digits against the test digits (where a perfect generator would stand).
//! `stack-eval` measures a run saved from the page (or anywhere) the same way. `--load`
//! continues a saved run (its own settings; `--set` is refused with it) for the rounds given
//! beyond those it has, so stage-II variants can share one stage I; `--out` writes the run
//! at the end.

use std::sync::Arc;
use std::time::Instant;

use burn::tensor::Device;
use futures_lite::future::block_on;
use gan_playground::GanError;
use gan_playground::data::captions::{Caption, captions};
use gan_playground::data::{Mnist, PIXELS, Split};
use gan_playground::eval::metrics::fid;
use gan_playground::eval::share::accuracy;
use gan_playground::eval::{DigitClassifier, FEATURES};
use gan_playground::gan::rng::Rng;
use gan_playground::gan::run::{RunConfig, read_vec};
use gan_playground::stack::StackConfig;
use gan_playground::stack::trainer::{StackTrainer, Stage, upsampled};
use serde::Serialize;

use crate::cli::{asset, classifier, digits, number, run_file, value};

/// Everything a StackGAN run is measured by (see the module's documentation).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measures {
    rounds: [u64; 2],
    /// Share of stage II's images whose digit the classifier names as the caption's.
    digit_two: f64,
    /// The same for stage I's images, upsampled.
    digit_one: f64,
    /// Share of stage II's images whose measured thickness is the caption's.
    thickness: f64,
    /// Share whose measured slant is the caption's.
    slant: f64,
    /// Share with both attributes the caption's.
    attributes: f64,
    /// FID of stage II's images against the test digits.
    fid_two: f64,
    /// FID of stage I's images, upsampled to 28 x 28, against the test digits.
    fid_one_upsampled: f64,
    /// FID of the training digits against the test digits: the floor.
    fid_train: f64,
}

/// The run's measures (one sample per test digit's caption; draws from `seed`).
pub fn measure(t: &StackTrainer, data: &Mnist, seed: u64) -> Result<Measures, String> {
    let e = |e: GanError| e.to_string();
    let (net, _) = classifier(&asset("classifier.bin"))?;
    let wanted = captions(data, Split::Test);
    let n = wanted.len();
    let s = t.config().shape();
    let mut rng = Rng::new(seed);
    let z: Vec<f32> = (0..n * s.z_dim).map(|_| rng.normal() as f32).collect();
    let eps: Vec<f32> = (0..n * s.code).map(|_| rng.normal() as f32).collect();
    let tokens: Vec<Vec<usize>> = wanted.iter().map(Caption::tokens).collect();
    let (low, high) = block_on(t.images(&tokens, &z, &eps).map_err(e)?).map_err(e)?;
    let dev = Device::flex();
    let unit = |v: &[f32]| v.iter().map(|p| (p + 1.0) / 2.0).collect::<Vec<f32>>();
    let high = unit(&high);
    let low_up = unit(&block_on(read_vec(upsampled(&low, &dev).flatten::<1>(0, 1))).map_err(e)?);
    let digits: Vec<u8> = wanted.iter().map(|c| c.digit).collect();
    let probs = |net: &DigitClassifier, x: &[f32]| block_on(net.probabilities(x, &dev)).map_err(e);
    let feats = |x: &[f32]| block_on(net.feature_rows(x, &dev)).map(|r| r.0).map_err(e);
    let (mut thick, mut slant, mut both) = (0usize, 0usize, 0usize);
    for (c, img) in wanted.iter().zip(high.chunks_exact(PIXELS)) {
        let bytes: Vec<u8> = img.iter().map(|p| (p * 255.0).round() as u8).collect();
        let got = Caption::of(c.digit, &bytes);
        let (a, b) = (got.thickness == c.thickness, got.slant == c.slant);
        thick += a as usize;
        slant += b as usize;
        both += (a && b) as usize;
    }
    let share = |k: usize| k as f64 / n as f64;
    let (x_test, _) = data.split_pixels(Split::Test);
    let (x_train, _) = data.split_pixels(Split::Train);
    let f_test = feats(&x_test)?;
    Ok(Measures {
        rounds: t.rounds(),
        digit_two: accuracy(&probs(&net, &high)?, &digits),
        digit_one: accuracy(&probs(&net, &low_up)?, &digits),
        thickness: share(thick),
        slant: share(slant),
        attributes: share(both),
        fid_two: fid(&feats(&high)?, &f_test, FEATURES).map_err(e)?,
        fid_one_upsampled: fid(&feats(&low_up)?, &f_test, FEATURES).map_err(e)?,
        fid_train: fid(&feats(&x_train)?, &f_test, FEATURES).map_err(e)?,
    })
}

/// `images stack-train`: trains natively, printing the costs and ms per round of each stage,
/// then the measures (a line of JSON).
pub fn train(mut it: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut json, mut rounds_one, mut rounds_two) = ("{}".to_string(), 2000usize, 2000usize);
    let (mut every, mut measure_every, mut both) = (200usize, 0usize, false);
    let (mut load, mut save) = (None, None);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--set" => json = value(&mut it, &flag)?,
            "--rounds-one" => rounds_one = number(&mut it, &flag)?,
            "--rounds-two" => rounds_two = number(&mut it, &flag)?,
            "--every" => every = number::<usize>(&mut it, &flag)?.max(1),
            "--measure-every" => measure_every = number(&mut it, &flag)?,
            "--both" => both = true,
            "--load" => load = Some(value(&mut it, &flag)?),
            "--out" => save = Some(value(&mut it, &flag)?),
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    let data = Arc::new(digits()?);
    let mut t = match load {
        Some(path) if json != "{}" => {
            return Err(format!(
                "--set with --load {path}: a loaded run keeps its settings"
            ));
        }
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
            StackTrainer::load(&bytes, data.clone(), &Device::flex())
                .map_err(|e| format!("{path}: {e}"))?
        }
        None => {
            let config = StackConfig::from_json(&json).map_err(|e| e.to_string())?;
            StackTrainer::new(config, data.clone(), &Device::flex()).map_err(|e| e.to_string())?
        }
    };
    let start = Instant::now();
    let first = if both { Stage::Both } else { Stage::One };
    for (k, (stage, rounds)) in [(first, rounds_one), (Stage::Two, rounds_two)]
        .into_iter()
        .enumerate()
    {
        // A loaded run counts the rounds it already has.
        let mut done = t.rounds()[k] as usize;
        while done < rounds {
            let n = every.min(rounds - done);
            let t0 = Instant::now();
            t.train(stage, n);
            let s = block_on(t.losses()).map_err(|e| e.to_string())?;
            let (d, g) = (s.loss_d, s.loss_g);
            done += n;
            println!(
                "{stage:?} round {done:>6}  D {d:.3}  G {g:.3}  {:.1} ms/round  {:.0} s",
                1000.0 * t0.elapsed().as_secs_f64() / n as f64,
                start.elapsed().as_secs_f64()
            );
            if measure_every > 0 && done < rounds && done % measure_every < n {
                let m = measure(&t, &data, 7)?;
                println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
            }
        }
    }
    let m = measure(&t, &data, 7)?;
    println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
    if let Some(path) = save {
        let bytes = block_on(t.save()).map_err(|e| e.to_string())?;
        std::fs::write(&path, bytes).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// `images stack-eval --run FILE`: the measures of a saved run (a line of JSON).
pub fn eval(it: impl Iterator<Item = String>) -> Result<(), String> {
    let (path, bytes) = run_file(it, "stack-eval needs --run FILE.ganstk")?;
    let data = Arc::new(digits()?);
    let t = StackTrainer::load(&bytes, data.clone(), &Device::flex())
        .map_err(|e| format!("{path}: {e}"))?;
    let m = measure(&t, &data, 7)?;
    println!("{}", serde_json::to_string(&m).expect("numbers serialise"));
    Ok(())
}
