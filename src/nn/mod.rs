//! The burn modules every family builds its networks from: seeded initialisers and layer
//! builders ([`init`]), the multilayer perceptron with its input gradient ([`mlp`]), DCGAN's
//! blocks ([`dcgan`]) and the discriminator's heads ([`heads`]: the realness logit and the
//! extra logits of InfoGAN's Q, read one way by every family).
//!
//! Weights are drawn by the engine's own RNG, never burn's, so that one seed gives the same
//! network on every backend. `nn/` imports only `gan/` and the error type.

pub mod dcgan;
pub mod heads;
pub mod init;
pub mod mlp;

pub use heads::{Heads, log_sum_exp};
pub use mlp::{Activation, Mlp, MlpConfig};
