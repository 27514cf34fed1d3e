//! What the image lab shows of a run, the same for every image family: the sample grid's
//! fixed latents (with truncation), latents from a seed, G's images of given latents (one
//! readback), D's scores of given images, and real digits. Latents are host arithmetic ([`crate::gan::latent`]); they
//! stay in the engine unless the page draws them.

use burn::tensor::{Device, Tensor, TensorData};

use crate::data::{Mnist, PIXELS};
use crate::error::GanError;
use crate::gan::latent::{draw_latents, truncate};
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::image::config::{ImageConfig, LABELS};
use crate::image::networks::{ImageDiscriminator, ImageGenerator};
use crate::nn::Heads;

/// Seed offset of the fixed latents the sample grid shows (never the training stream's).
pub const VIEW_LATENT_STREAM: u64 = 0x0000_1A7E_0F1E_u64;
/// Seed offset of the redraws of truncated components.
const TRUNCATION_STREAM: u64 = 0x0000_7C0D_E5EE_u64;
/// Seed offset of the real digits shown beside the samples.
const VIEW_REAL_STREAM: u64 = 0x0000_DE41_D161_u64;

/// `n` latents of `config`'s shape drawn with `seed` (the same seed, the same latents), each
/// noise component beyond `truncation` redrawn (a code's one-hot components are kept); flat
/// `[n * z_dim]`.
pub fn seeded_latents(
    config: &ImageConfig,
    n: usize,
    seed: u64,
    truncation: Option<f64>,
) -> Result<Vec<f32>, GanError> {
    let (d, codes) = (config.z_dim, config.codes());
    let mut z = draw_latents(config.prior, d, codes, n, &mut Rng::new(seed));
    if let Some(t) = truncation {
        let mut rng = Rng::new(seed ^ TRUNCATION_STREAM);
        for latent in z.chunks_exact_mut(d) {
            truncate(&mut latent[..d - codes], t, config.prior, &mut rng)?;
        }
    }
    Ok(z)
}

/// A conditional run's grid by digit: `columns` latents drawn with `seed` (truncated as
/// [`seeded_latents`]), each given every label in turn: row r is digit r, and a column keeps
/// its noise (the style) while the label changes. Flat `[LABELS * columns * z_dim]`, row by
/// row. Refused for a run without a label.
pub fn label_rows(
    config: &ImageConfig,
    columns: usize,
    seed: u64,
    truncation: Option<f64>,
) -> Result<Vec<f32>, GanError> {
    if !config.family.is_conditional() {
        return Err(GanError::Config(
            "a grid by digit needs a conditional run (family \"cgan\" or \"acgan\")".into(),
        ));
    }
    let d = config.z_dim;
    let z = seeded_latents(config, columns, seed, truncation)?;
    let mut out = Vec::with_capacity(LABELS * columns * d);
    for digit in 0..LABELS {
        for latent in z.chunks_exact(d) {
            out.extend_from_slice(&latent[..d - LABELS]);
            out.extend((0..LABELS).map(|j| if j == digit { 1.0 } else { 0.0 }));
        }
    }
    Ok(out)
}

/// `generator`'s images of `latents` (flat, a multiple of `z_dim`), flat `[n * 784]` in
/// [0, 1] (0 black), in inference mode (batch norm on its running statistics); one readback.
/// Refuses, with a message, latents that are not a whole number of finite `z_dim` vectors.
/// Most images one call makes: G's activations for 4,096 DCGAN samples of the widest G are
/// ~1 GB (`gan::cost`'s memory budget).
pub const MAX_IMAGES: usize = 4096;

/// G's images of `latents` (flat, a multiple of `z_dim`, at most [`MAX_IMAGES`]).
pub fn render(
    generator: &ImageGenerator,
    z_dim: usize,
    latents: &[f32],
    device: &Device,
) -> Result<impl Future<Output = Result<Vec<f32>, GanError>> + use<>, GanError> {
    if latents.is_empty() || !latents.len().is_multiple_of(z_dim) {
        return Err(GanError::Config(format!(
            "latents: {} numbers is not a whole number of {z_dim}-dimensional latents",
            latents.len()
        )));
    }
    if !latents.iter().all(|x| x.is_finite()) {
        return Err(GanError::Config(
            "latents: every component must be a finite number".into(),
        ));
    }
    let n = latents.len() / z_dim;
    if n > MAX_IMAGES {
        return Err(GanError::Config(format!(
            "latents: {n} images in one call, and one call makes at most {MAX_IMAGES}: ask in parts"
        )));
    }
    let z = Tensor::<2>::from_data(TensorData::new(latents.to_vec(), [n, z_dim]), device);
    let x = generator.forward(z).add_scalar(1.0).mul_scalar(0.5);
    Ok(read_vec(x))
}

/// D's realness score of every image in `pixels` (784 per image in [0, 1], flat, at most
/// [`MAX_IMAGES`]): column 0 of its outputs or, for a D that reads a label by projection
/// (`projected`), its logit under the label that makes the image most real (realness + the
/// largest class output); in inference mode (batch norm on its running statistics); one
/// readback. Refuses, with a message naming the image, what is not whole
/// images of finite pixels in [0, 1].
pub fn judge(
    discriminator: &ImageDiscriminator,
    (heads, projected): (Heads, bool),
    pixels: &[f32],
    device: &Device,
) -> Result<impl Future<Output = Result<Vec<f32>, GanError>> + use<>, GanError> {
    if pixels.is_empty() || !pixels.len().is_multiple_of(PIXELS) {
        return Err(GanError::Data(format!(
            "pixels: {} numbers is not a whole number of {PIXELS}-pixel images",
            pixels.len()
        )));
    }
    let n = pixels.len() / PIXELS;
    if n > MAX_IMAGES {
        return Err(GanError::Data(format!(
            "pixels: {n} images in one call, and one call judges at most {MAX_IMAGES}: ask in parts"
        )));
    }
    if let Some(i) = pixels.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(GanError::Data(format!(
            "pixels: image {} has a pixel that is not a number in [0, 1] ({})",
            i / PIXELS,
            pixels[i]
        )));
    }
    let x = Tensor::<2>::from_data(TensorData::new(pixels.to_vec(), [n, PIXELS]), device)
        .mul_scalar(2.0)
        .sub_scalar(1.0);
    let a = discriminator.forward(x);
    let score = match projected {
        true => heads.realness(&a) + heads.class_logits(a).max_dim(1),
        false => heads.realness(&a),
    };
    Ok(read_vec(score))
}

/// `n` digits of `indices` (of `data`) for display, flat `[n * 784]` in [0, 1], drawn with
/// `seed`: the same on every call.
pub fn real_images(data: &Mnist, indices: &[usize], n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed ^ VIEW_REAL_STREAM);
    let mut out = Vec::with_capacity(n * PIXELS);
    for _ in 0..n {
        let i = indices[rng.below(indices.len())];
        out.extend(data.image(i).iter().map(|&p| p as f32 / 255.0));
    }
    out
}
