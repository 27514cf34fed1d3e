//! Evaluation: pixels or features in, numbers out. Today the shipped digit classifier
//! ([`classifier`]: model and file; [`train`]: its native training) and the share of samples it
//! is sure of ([`share`]). The evaluation lab's metrics (IS, FID, KID, Parzen windows,
//! precision and recall) join here.
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod classifier;
pub mod share;
#[cfg(not(target_arch = "wasm32"))]
pub mod train;

pub use classifier::{CLASSES, ClassifierInfo, DigitClassifier, NOT_A_DIGIT};
pub use share::{CONFIDENT, accuracy, confident_share, recognised_counts, top};
