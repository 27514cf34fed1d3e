//! The shipped digit classifier's handle (`DigitJudge`), on the CPU: the judge of generated
//! digits.

use burn::tensor::Device;
use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::data::PIXELS;
use crate::eval::{CLASSES, CONFIDENT, DigitClassifier, confident_share, recognised_counts};
use crate::wasm::{js_err, promise_of};

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
    /// testAccuracy (the classifier's own, on held-out digits)}`.
    pub fn score(&self, pixels: Vec<f32>) -> Result<Promise, JsError> {
        if pixels.is_empty() || !pixels.len().is_multiple_of(PIXELS) {
            return Err(JsError::new("pixels: a whole number of 784-pixel images"));
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
            })
        }))
    }
}
