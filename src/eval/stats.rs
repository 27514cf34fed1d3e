//! The feature statistics of the real digits FID compares against: mean and covariance of the
//! shipped classifier's features ([`crate::eval::FEATURES`] wide) for the training and the
//! held-out split, computed once by `images stats` and shipped as `assets/real-stats.json`
//! (a test recomputes them and compares).

use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::eval::classifier::FEATURES;
use crate::eval::metrics::Gaussian;

/// Training and held-out statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RealStats {
    /// What the features are, in words.
    pub features: String,
    pub train: Gaussian,
    pub test: Gaussian,
}

impl RealStats {
    /// The statistics of training and held-out feature rows.
    pub fn of(train: &[f32], test: &[f32]) -> Result<Self, GanError> {
        Ok(RealStats {
            features: format!(
                "assets/classifier.bin: spatial mean of the last convolution's ReLU, {FEATURES} wide"
            ),
            train: Gaussian::of(train, FEATURES)?,
            test: Gaussian::of(test, FEATURES)?,
        })
    }

    /// Reads the JSON file; refuses statistics of another width.
    pub fn parse(text: &str) -> Result<Self, GanError> {
        let s: RealStats = serde_json::from_str(text)
            .map_err(|e| GanError::Data(format!("feature statistics: {e}")))?;
        for g in [&s.train, &s.test] {
            if g.mu.len() != FEATURES || g.sigma.len() != FEATURES * FEATURES {
                return Err(GanError::Data(format!(
                    "feature statistics: {} means and {} covariances; expected {FEATURES} and {}",
                    g.mu.len(),
                    g.sigma.len(),
                    FEATURES * FEATURES
                )));
            }
        }
        Ok(s)
    }

    /// As JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("statistics serialise")
    }
}
