//! Image GANs on the shipped MNIST digits: the run's config ([`config`]), the networks every
//! image family builds ([`networks`]: MLP and DCGAN), what the lab shows of a run ([`views`]),
//! and one folder per family: today [`unconditional`] (the MLP or DCGAN GAN with its InfoGAN
//! code).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod config;
pub mod networks;
pub mod unconditional;
pub mod views;

pub use config::{AUTO_CODES, AUTO_CODES_MIN_Z, ImageConfig};
pub use networks::{ImageArch, ImageDiscriminator, ImageGenerator};
pub use unconditional::ImageTrainer;
