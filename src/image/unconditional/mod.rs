//! The unconditional image GAN's own part: InfoGAN's categorical code ([`info`]). The loop is
//! the image families' shared [`ImageTrainer`](crate::image::ImageTrainer).

pub mod info;
