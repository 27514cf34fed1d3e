//! Image GANs on the shipped MNIST digits: the run's config ([`config`]: the family among
//! them), the networks every image family builds ([`networks`]: MLP and DCGAN), the training
//! loop they share ([`trainer`]), what the lab shows of a run ([`views`]), and one folder per
//! family for its own terms: [`unconditional`] (the InfoGAN code), [`conditional`] (cGAN
//! and ACGAN: the label) and [`semi`] (SGAN: D as a classifier from few labels).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod conditional;
pub mod config;
pub mod networks;
pub mod semi;
pub mod trainer;
pub mod unconditional;
pub mod views;

pub use config::{
    AUTO_CODES, AUTO_CODES_MIN_Z, ImageConfig, ImageFamily, LABELS, LABELS_PER_CLASS,
};
pub use networks::{ImageArch, ImageCritic, ImageDiscriminator, ImageGenerator};
pub use trainer::ImageTrainer;
