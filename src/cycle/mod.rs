//! CycleGAN (Zhu et al., 2017): translation between two unpaired collections, here MNIST's
//! digits (domain A) and the UCI optical digits (domain B, 8 x 8 blocks of grey levels),
//! learned without a single pair: the style changes, the digit should stay. Its config
//! ([`config`]), its networks ([`networks`]: two ResNet generators, two patch
//! discriminators), the history pool of fakes ([`pool`]) and the run ([`trainer`]).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod config;
pub mod networks;
pub mod pool;
pub mod trainer;

pub use config::CycleConfig;
pub use trainer::{CycleStats, CycleTrainer};
