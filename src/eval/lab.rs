//! The evaluation lab's pipeline: samples' features and probabilities in, every figure out,
//! against a reference set of real digits (the held-out split by default). The same code
//! natively (`images eval`) and in the page (`Evaluator`).

use serde::{Deserialize, Serialize};

use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::eval::classifier::FEATURES;
use crate::eval::metrics::{Gaussian, Spread, frechet, inception_score, kid};
use crate::eval::neighbours::{Coverage, Manifold, digits_covered, manifold};
use crate::eval::parzen::{Parzen, parzen};
use crate::gan::rng::Rng;

/// Splits for the Inception Score (Salimans et al.).
pub const IS_SPLITS: usize = 10;
/// KID: subsets, and rows per subset at most (torch-fidelity draws 100 of 1,000; 10 keep the
/// page within its time budget and the mean is the same estimator).
pub const KID_SUBSETS: usize = 10;
pub const KID_SUBSET_SIZE: usize = 1000;
/// Nearest neighbours for precision / recall (Kynkäänniemi et al.) and density / coverage
/// (Naeem et al.).
pub const K_PR: usize = 3;
pub const K_DC: usize = 5;

/// A metric the lab computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Inception Score.
    Is,
    /// Fréchet distance.
    Fid,
    /// Kernel distance.
    Kid,
    /// Parzen-window log-likelihood.
    Parzen,
    /// Precision and recall.
    Pr,
    /// Density and coverage.
    Dc,
    /// Digits covered and the class histogram's entropy.
    Digits,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::Is,
        Metric::Fid,
        Metric::Kid,
        Metric::Parzen,
        Metric::Pr,
        Metric::Dc,
        Metric::Digits,
    ];

    /// Parses a comma-separated list (`is,fid,kid,parzen,pr,dc,digits`).
    pub fn parse_list(list: &str) -> Result<Vec<Metric>, GanError> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                serde_json::from_value(serde_json::Value::String(s.to_lowercase())).map_err(|_| {
                    GanError::Config(format!(
                        "unknown metric `{s}`; expected some of is, fid, kid, parzen, pr, dc, digits"
                    ))
                })
            })
            .collect()
    }
}

/// The real digits a sample set is measured against.
pub struct Reference {
    /// Their features (`FEATURES` per row), for KID, precision/recall, density/coverage.
    pub features: Vec<f32>,
    /// Their feature statistics, for FID.
    pub stats: Gaussian,
    /// Their pixels in [0, 1], whose likelihood Parzen windows estimate.
    pub pixels: Vec<f32>,
    /// Pixels of the validation digits, on which Parzen's kernel width is chosen.
    pub validation: Vec<f32>,
}

/// Every figure asked for (absent: not asked).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub samples: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is: Option<Spread>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fid: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<Spread>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parzen: Option<Parzen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub density: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digits: Option<Coverage>,
}

/// Refuses an empty sample set, a partial image, a NaN or a value outside [0, 1] (with the
/// sample's number), so that no metric sees them.
pub fn check_pixels(pixels: &[f32], what: &str) -> Result<usize, GanError> {
    if pixels.is_empty() {
        return Err(GanError::Data(format!("{what}: no samples to evaluate")));
    }
    if !pixels.len().is_multiple_of(PIXELS) {
        return Err(GanError::Data(format!(
            "{what}: {} values are not a whole number of 784-pixel images",
            pixels.len()
        )));
    }
    if let Some(i) = pixels.iter().position(|v| !v.is_finite()) {
        return Err(GanError::Data(format!(
            "{what}: sample {} holds {} (a generator that diverged?)",
            i / PIXELS,
            pixels[i]
        )));
    }
    if let Some(i) = pixels
        .iter()
        .position(|v| !(-1e-6..=1.0 + 1e-6).contains(v))
    {
        return Err(GanError::Data(format!(
            "{what}: sample {} has a pixel of {}; pixels must lie in [0, 1]",
            i / PIXELS,
            pixels[i]
        )));
    }
    Ok(pixels.len() / PIXELS)
}

/// The figures of samples (their `pixels`, `features` and ten-digit `probs`) against
/// `reference`. KID's subsets are drawn with `seed`.
pub fn evaluate(
    pixels: &[f32],
    features: &[f32],
    probs: &[f32],
    reference: &Reference,
    metrics: &[Metric],
    seed: u64,
) -> Result<Figures, GanError> {
    let n = check_pixels(pixels, "samples")?;
    let d = FEATURES;
    let mut f = Figures {
        samples: n,
        ..Figures::default()
    };
    let mut shape = None;
    for m in metrics {
        match m {
            Metric::Is => f.is = Some(inception_score(probs, 10, IS_SPLITS.min(n))?),
            Metric::Fid => f.fid = Some(frechet(&Gaussian::of(features, d)?, &reference.stats)?),
            Metric::Kid => {
                f.kid = Some(kid(
                    features,
                    &reference.features,
                    d,
                    KID_SUBSETS,
                    KID_SUBSET_SIZE,
                    seed,
                )?)
            }
            Metric::Parzen => {
                f.parzen = Some(parzen(
                    pixels,
                    &reference.validation,
                    &reference.pixels,
                    PIXELS,
                )?)
            }
            Metric::Pr | Metric::Dc => {
                let Manifold {
                    precision,
                    recall,
                    density,
                    coverage,
                } = match shape {
                    Some(s) => s,
                    None => *shape.insert(manifold(&reference.features, features, d, K_PR, K_DC)?),
                };
                if *m == Metric::Pr {
                    (f.precision, f.recall) = (Some(precision), Some(recall));
                } else {
                    (f.density, f.coverage) = (Some(density), Some(coverage));
                }
            }
            Metric::Digits => f.digits = Some(digits_covered(probs, 10)),
        }
    }
    Ok(f)
}

/// A sample set made without a generator, to place a generator's figures: real digits (the
/// floor a generator can reach), one digit only (mode collapse), uniform noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// Training digits.
    Train,
    /// Held-out digits (the reference itself: the ideal figures).
    Test,
    /// Training digits of one class only, repeated when more are asked for than the class
    /// holds (as a collapsed generator repeats itself).
    Digit(u8),
    /// Pixels uniform in [0, 1].
    Noise,
}

impl Baseline {
    /// `train`, `test`, `digit3`, `noise`.
    pub fn parse(s: &str) -> Result<Self, GanError> {
        match s {
            "train" => Ok(Baseline::Train),
            "test" => Ok(Baseline::Test),
            "noise" => Ok(Baseline::Noise),
            d if d.starts_with("digit") && d.len() == 6 && d.as_bytes()[5].is_ascii_digit() => {
                Ok(Baseline::Digit(d.as_bytes()[5] - b'0'))
            }
            other => Err(GanError::Data(format!(
                "unknown sample set `{other}`; expected train, test, digit0 to digit9 or noise"
            ))),
        }
    }
}

/// `n` samples of `baseline` in a seeded random order (the asset lists digits class by class;
/// the Inception Score's consecutive splits need an order like a generator's). Refuses more
/// real digits than the split holds.
pub fn baseline_samples(
    data: &Mnist,
    baseline: Baseline,
    n: usize,
    seed: u64,
) -> Result<Vec<f32>, GanError> {
    let mut rng = Rng::new(seed);
    if n == 0 {
        return Err(GanError::Config(
            "the sample count must be at least 1".into(),
        ));
    }
    if baseline == Baseline::Noise {
        return Ok((0..n * PIXELS).map(|_| rng.uniform() as f32).collect());
    }
    let (split, what) = match baseline {
        Baseline::Test => (Split::Test, "held-out digits".to_string()),
        Baseline::Digit(d) => (Split::Train, format!("training digits of class {d}")),
        _ => (Split::Train, "training digits".to_string()),
    };
    let mut idx: Vec<usize> = data.indices(split);
    if let Baseline::Digit(d) = baseline {
        idx.retain(|&i| data.label(i) == d);
    }
    if n > idx.len() && !matches!(baseline, Baseline::Digit(_)) {
        return Err(GanError::Data(format!(
            "{n} samples asked for; the {what} hold {}",
            idx.len()
        )));
    }
    for i in (1..idx.len()).rev() {
        idx.swap(i, rng.below(i + 1));
    }
    Ok((0..n)
        .map(|k| idx[k % idx.len()])
        .flat_map(|i| data.image(i).iter().map(|&p| p as f32 / 255.0))
        .collect())
}
