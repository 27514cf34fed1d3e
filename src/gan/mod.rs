//! What every GAN family shares: the losses, the latents (priors, codes appended to z,
//! truncation, lerp and slerp), the optimisers, the run core (step counter, RNG stream,
//! learning-rate schedule, last losses, asynchronous readback), the one file container for
//! every kind of saved file, the one flat-parameter visitor, and the range checks.
//!
//! Nothing here knows a family: `gan/` never imports `toy2d`, `image`, `eval` or `wasm`
//! (checked by `tests/layers.rs`).

pub mod check;
pub mod cost;
pub mod latent;
pub mod loss;
pub mod optim;
pub mod params;
pub mod rng;
pub mod run;
pub mod runfile;

pub use loss::GanLoss;
pub use rng::Rng;
pub use run::{RunConfig, RunCore, StepStats, read_vec};
