//! StackGAN (Zhang et al., 2017): images from text in two stages, here digits from captions
//! measured on the digits themselves ([`crate::data::captions`]). The caption's encoder and the
//! conditioning augmentation ([`text`]); the two stages' generators and their matching-aware
//! discriminators ([`networks`]) and their cost ([`judge`]); the settings ([`config`]) and the training run, stage I then
//! stage II with stage I frozen ([`trainer`]). The lab and the page's benchmark are issue
//! 26's next steps (see its notes).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod config;
pub mod judge;
pub mod networks;
pub mod text;
pub mod trainer;

pub use config::StackConfig;
pub use networks::{StageDiscriminator, StageOneGenerator, StageShape, StageTwoGenerator};
pub use text::{TextEncoder, bag_of_words, kl_to_standard_normal};
