//! Evaluation: pixels or features in, numbers out. The shipped digit classifier
//! ([`classifier`]: model, file and evaluation features; [`train`]: its native training), the
//! share of samples it is sure of ([`share`]), and the evaluation lab's metrics, each as its
//! reference implementation computes it ([`metrics`]: IS, FID, KID; [`neighbours`]: precision,
//! recall, density, coverage, digits covered; [`parzen`]: Parzen windows), run together by
//! [`lab`]; the classifier two-sample test ([`c2st`]); [`npy`] reads and writes NumPy files for the command line.
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod c2st;
pub mod classifier;
pub mod lab;
pub mod linalg;
pub mod metrics;
pub mod neighbours;
pub mod npy;
pub mod parzen;
pub mod share;
pub mod stats;
#[cfg(not(target_arch = "wasm32"))]
pub mod train;

pub use classifier::{CLASSES, ClassifierInfo, DigitClassifier, FEATURES, NOT_A_DIGIT};
pub use share::{CONFIDENT, accuracy, confident_share, intended_shares, recognised_counts, top};
