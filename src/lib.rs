//! GAN playground engine: generative adversarial networks (Goodfellow et al., 2014) on burn,
//! trained in a web page (WebGPU or wasm CPU) or natively.
//!
//! # Layers
//!
//! ```text
//!   wasm/      the page's boundary: the only #[wasm_bindgen] code, one file per handle family
//!   bin/       the native command line
//!      |  (the edge: picks the device, reads files, talks to JavaScript)
//!   toy2d/   image/   cycle/   stack/   eval/   families: one folder each, plugged into the kernel
//!      |  (a family imports the kernel, never another family)
//!   gan/   nn/   data/             the shared kernel
//!   error.rs  backend.rs           the error type; the devices, chosen at the edge
//! ```
//!
//! - [`gan`]: what every GAN shares: losses, latents, optimisers, the run core, the file
//!   container, the flat-parameter visitor, range checks.
//! - [`nn`]: burn modules: initialisers, the MLP, DCGAN blocks, the discriminator's heads.
//! - [`data`]: the MNIST asset, the UCI digits, the captions measured on the digits and the
//!   2-D distributions.
//! - [`toy2d`]: the 2-D playground (and the loss lab's probe): config, training, views, theory.
//! - [`image`]: the image GANs: config, networks, views, one folder per family.
//! - [`cycle`]: CycleGAN between MNIST and the UCI digits: config, networks, pool, run.
//! - [`stack`]: StackGAN's caption encoder and conditioning augmentation (the stages to come).
//! - [`eval`]: pixels in, numbers out: the digit classifier and its verdict.
//! - `wasm` (wasm only): the page's handles on the engine.
//!
//! # Never-import rules (checked by `tests/layers.rs`)
//!
//! 1. `gan/`, `nn/` and `data/` never import a family (`toy2d`, `image`, `cycle`, `stack`,
//!    `eval`) or `wasm`.
//! 2. A family never imports another family.
//! 3. Nothing but `src/wasm/` names `wasm_bindgen` or `js_sys`.

pub mod backend;
pub mod cycle;
pub mod data;
pub mod error;
pub mod eval;
pub mod gan;
pub mod image;
pub mod nn;
pub mod stack;
pub mod toy2d;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use backend::BackendKind;
pub use error::GanError;
pub use gan::{GanLoss, RunConfig, StepStats};
pub use toy2d::{Toy2dConfig, Toy2dTrainer};
