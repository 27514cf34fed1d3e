//! The shipped digit classifier's handles, on the CPU: `DigitJudge`, the judge of generated
//! digits, and `Evaluator`, the evaluation lab's metrics against the held-out digits.

use std::rc::Rc;
use std::sync::Arc;

use burn::tensor::Device;
use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::data::{Mnist, PIXELS, Split};
use crate::eval::c2st::two_sample_test;
use crate::eval::lab::{Baseline, Metric, Reference, baseline_samples, check_pixels, evaluate};
use crate::eval::stats::RealStats;
use crate::eval::{
    CLASSES, CONFIDENT, DigitClassifier, FEATURES, accuracy, confident_share, intended_shares,
    recognised_counts,
};
use crate::wasm::{js_err, promise_of, to_js};

/// The classifier's verdict on a set of images.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verdict {
    samples: usize,
    share: f64,
    threshold: f64,
    classes: [usize; CLASSES],
    recognised: [usize; CLASSES],
    test_accuracy: f64,
    /// With labels: per digit, the share of the samples asked for it that the classifier names it.
    intended: Option<Intended>,
}

/// How often the classifier names the digit a conditional G was asked for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Intended {
    share: f64,
    per_digit: [f64; 10],
}

/// The shipped digit classifier (assets/classifier.bin), on the CPU.
#[wasm_bindgen]
pub struct DigitJudge {
    net: DigitClassifier,
    device: Device,
    test_accuracy: f64,
}

#[wasm_bindgen]
impl DigitJudge {
    /// Reads a classifier file's bytes; throws with a message for anything else.
    pub fn load(bytes: Vec<u8>) -> Result<DigitJudge, JsError> {
        let device = Device::flex();
        let (net, info) = DigitClassifier::load(&bytes, &device).map_err(js_err)?;
        Ok(DigitJudge {
            net,
            device,
            test_accuracy: info.test_accuracy,
        })
    }

    /// Resolves to the verdict on images (784 pixels each in [0, 1], flat): `{samples, share
    /// (of samples whose top class is a digit with probability >= 0.9), threshold, classes
    /// (top-class counts: 0-9, then "not a digit"), recognised (per digit, the samples it gives
    /// that digit with probability >= 0.9, then every other sample: the same rule as share),
    /// testAccuracy (the classifier's own, on held-out digits), intended}`; with `labels` (the
    /// digit each sample was asked for, 0-9), `intended` is `{share, perDigit}`: the share of
    /// the samples, overall and per digit, whose top class is the digit asked for.
    pub fn score(&self, pixels: Vec<f32>, labels: Option<Vec<u8>>) -> Result<Promise, JsError> {
        if pixels.is_empty() || !pixels.len().is_multiple_of(PIXELS) {
            return Err(JsError::new("pixels: a whole number of 784-pixel images"));
        }
        if let Some(l) = &labels
            && (l.len() != pixels.len() / PIXELS || l.iter().any(|&d| d > 9))
        {
            return Err(JsError::new("labels: one digit from 0 to 9 for each image"));
        }
        let f = self.net.probabilities(&pixels, &self.device);
        let (samples, test_accuracy) = (pixels.len() / PIXELS, self.test_accuracy);
        Ok(promise_of(async move {
            let probs = f.await?;
            let (share, classes) = confident_share(&probs, CONFIDENT);
            Ok(Verdict {
                samples,
                share,
                threshold: CONFIDENT,
                classes,
                recognised: recognised_counts(&probs, CONFIDENT),
                test_accuracy,
                intended: labels.map(|l| Intended {
                    share: accuracy(&probs, &l),
                    per_digit: intended_shares(&probs, &l),
                }),
            })
        }))
    }
}

/// The evaluation lab's engine: the classifier, the digits and the reference (the held-out
/// digits: their features, computed once, and their shipped statistics).
#[wasm_bindgen]
pub struct Evaluator {
    net: Rc<DigitClassifier>,
    device: Device,
    data: Arc<Mnist>,
    reference: Rc<Reference>,
}

/// A sample set ready to measure: pixels, features and ten-digit probabilities.
#[wasm_bindgen]
pub struct EvalSamples {
    pixels: Vec<f32>,
    features: Vec<f32>,
    probs: Vec<f32>,
}

#[wasm_bindgen]
impl EvalSamples {
    /// How many samples.
    pub fn count(&self) -> usize {
        self.pixels.len() / PIXELS
    }
}

#[wasm_bindgen]
impl Evaluator {
    /// Resolves to an evaluator from the classifier file, the real statistics' JSON
    /// (assets/real-stats.json) and the digits (assets/mnist.bin); throws with a message for
    /// a bad file.
    pub fn create(classifier: Vec<u8>, stats: String, mnist: Vec<u8>) -> Result<Promise, JsError> {
        let device = Device::flex();
        let (net, _) = DigitClassifier::load(&classifier, &device).map_err(js_err)?;
        let stats = RealStats::parse(&stats).map_err(js_err)?;
        let data = Arc::new(Mnist::parse(&mnist).map_err(js_err)?);
        let pixels = data.split_pixels(Split::Test).0;
        let validation = data.split_pixels(Split::Validation).0;
        let f = net.feature_rows(&pixels, &device);
        Ok(future_to_promise(async move {
            let (features, _) = f.await.map_err(|e| JsValue::from(js_err(e)))?;
            Ok(JsValue::from(Evaluator {
                net: Rc::new(net),
                device,
                data,
                reference: Rc::new(Reference {
                    features,
                    stats: stats.test,
                    pixels,
                    validation,
                }),
            }))
        }))
    }

    /// `n` samples made without a generator (`train`, `test`, `digit0`..`digit9`, `noise`),
    /// drawn with `seed`; throws for an unknown set or more samples than it holds.
    pub fn baseline(&self, set: &str, n: usize, seed: u32) -> Result<Vec<f32>, JsError> {
        let b = Baseline::parse(set).map_err(js_err)?;
        baseline_samples(&self.data, b, n, seed as u64).map_err(js_err)
    }

    /// Resolves to the samples ready to measure (pixels in [0, 1], 784 each); throws for an
    /// empty set, a NaN or a pixel outside [0, 1], naming the sample.
    pub fn prepare(&self, pixels: Vec<f32>) -> Result<Promise, JsError> {
        check_pixels(&pixels, "samples").map_err(js_err)?;
        let f = self.net.feature_rows(&pixels, &self.device);
        Ok(future_to_promise(async move {
            let (features, probs) = f.await.map_err(|e| JsValue::from(js_err(e)))?;
            Ok(JsValue::from(EvalSamples {
                pixels,
                features,
                probs,
            }))
        }))
    }

    /// One metric (`is`, `fid`, `kid`, `parzen`, `pr`, `dc`, `digits`) of `samples` against
    /// the held-out digits: `{samples, <its figures>}` (see `images eval`); KID's subsets drawn
    /// with `seed`.
    pub fn metric(
        &self,
        samples: &EvalSamples,
        metric: &str,
        seed: u32,
    ) -> Result<JsValue, JsError> {
        let m = Metric::parse_list(metric).map_err(js_err)?;
        let f = evaluate(
            &samples.pixels,
            &samples.features,
            &samples.probs,
            &self.reference,
            &m,
            seed as u64,
        )
        .map_err(js_err)?;
        to_js(&f).map_err(js_err)
    }

    /// The classifier two-sample test of `real` against `fake` on the classifier's features
    /// (logistic regression trained on three quarters of each, split with `seed`, measured on
    /// the rest): `{train, test, accuracy, pValue, probabilities}`, the last P(real) of each of
    /// `judged`'s samples by the fitted classifier. Throws for sets under 8 samples.
    #[wasm_bindgen(js_name = twoSampleTest)]
    pub fn two_sample_test(
        &self,
        real: &EvalSamples,
        fake: &EvalSamples,
        judged: &EvalSamples,
        seed: u32,
    ) -> Result<JsValue, JsError> {
        let t = two_sample_test(
            &real.features,
            &fake.features,
            FEATURES,
            &judged.features,
            seed as u64,
        )
        .map_err(js_err)?;
        to_js(&t).map_err(js_err)
    }
}
