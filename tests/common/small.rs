//! A small image run of any family: narrow networks, batch 16, z of 20 (room for a label), so
//! that the native tests of each family build and step it in moments.

use gan_playground::image::{ImageArch, ImageConfig, ImageFamily};

/// `family` on `arch`, narrowed: 64 hidden units for the MLP, base width 8 for DCGAN.
pub fn small_run(family: ImageFamily, arch: ImageArch) -> ImageConfig {
    ImageConfig {
        family,
        arch,
        gen_width: Some(if arch == ImageArch::Mlp { 64 } else { 8 }),
        disc_width: Some(if arch == ImageArch::Mlp { 64 } else { 8 }),
        batch_size: 16,
        z_dim: 20,
        ..ImageConfig::default()
    }
}
