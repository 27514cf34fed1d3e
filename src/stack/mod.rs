//! StackGAN (Zhang et al., 2017): images from text in two stages, here digits from captions
//! measured on the digits themselves ([`crate::data::captions`]). The caption's encoder and the
//! conditioning augmentation ([`text`]). The two stages, their discriminators and the lab are
//! issue 26's next steps (see its notes).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod text;

pub use text::{TextEncoder, bag_of_words, kl_to_standard_normal};
