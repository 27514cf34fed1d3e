//! Image GANs on the shipped MNIST digits: the run's config ([`config`]: the family among
//! them), the networks every image family builds ([`networks`]: MLP and DCGAN), the training
//! loop they share ([`trainer`]), what the lab shows of a run ([`views`]), and one folder per
//! family for its own terms: [`unconditional`] (the InfoGAN code) and [`conditional`] (cGAN
//! and ACGAN: the label).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod conditional;
pub mod config;
pub mod networks;
pub mod trainer;
pub mod unconditional;
pub mod views;

pub use config::{AUTO_CODES, AUTO_CODES_MIN_Z, ImageConfig, ImageFamily, LABELS};
pub use networks::{ImageArch, ImageDiscriminator, ImageGenerator};
pub use trainer::ImageTrainer;
