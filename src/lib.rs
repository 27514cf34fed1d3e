//! GAN playground engine: generative adversarial networks (Goodfellow et al., 2014) on burn,
//! trained in a web page (WebGPU or wasm CPU) or natively.
//!
//! One concept per module: [`config`] (every setting), [`data`] (target distributions),
//! [`model`] (the networks), [`loss`] (the games), [`trainer`] (Algorithm 1, stepwise),
//! [`images`] (MNIST GANs: MLP and DCGAN), [`latent`] (paths through latent space),
//! [`classifier`] (the digit classifier that judges them),
//! [`backend`] (devices, chosen at the edge), and `wasm` (the page's boundary, wasm only).

pub mod backend;
pub mod classifier;
pub mod config;
pub mod data;
pub mod error;
pub mod images;
pub mod latent;
pub mod loss;
pub mod metrics;
pub mod mnist;
pub mod model;
pub mod optim;
pub mod rng;
pub mod runfile;
pub mod trainer;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use backend::BackendKind;
pub use config::GanConfig;
pub use error::GanError;
pub use loss::GanLoss;
pub use trainer::{StepStats, Trainer};
