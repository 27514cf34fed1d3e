//! StackGAN's two stages at digit size (Zhang et al., 2017, section 3.2-3.3, scaled down from
//! 64 and 256 pixels to 14 and 28):
//!
//! - **Stage I** draws the digit's rough shape at 14 x 14 from z and the conditioning code ĉ:
//!   a linear layer to 7 x 7, a transposed convolution to 14 x 14, a 3 x 3 convolution to one
//!   channel of logits (the image is their tanh).
//! - **Stage II** refines the stage-I image to 28 x 28, conditioned on ĉ again: it encodes the
//!   stage-I image (3 x 3 convolutions), joins ĉ replicated over the 14 x 14 grid, runs a
//!   residual block, doubles the side and writes a **residual on the stage-I logits**
//!   (upsampled by nearest neighbour): a stage II that writes nothing returns the stage-I image
//!   at 28 x 28, so it refines, it does not redraw.
//! - **The discriminators** judge an image with a caption (matching-aware, section 3.1: a real
//!   image with the wrong caption is a fake too): convolutions down to 4 x 4, a hidden layer
//!   of features φ(x), and the logit ψ(φ(x)) + ⟨P ĉ, φ(x)⟩, the caption's code projected onto
//!   the features (the projection discriminator, Miyato and Koyama, 2018, as the image lab's
//!   cGAN). The first version joined the code to the features; runs with it named the digit
//!   at chance, but the fix changed the learning rates and the KL's scale at the same time, so
//!   the join alone is not proven at fault (docs/decisions.md).
//!
//! Every convolution's bias is a tensor from the start ([`eager`]): stage I is frozen
//! (`no_grad`) while stage II trains.

use burn::module::Module;
use burn::nn::Linear;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::tensor::{Device, Tensor, activation};

use crate::gan::rng::Rng;
use crate::nn::init::{DCGAN, Init, conv, eager, linear, up};
use crate::nn::leaky_relu;

/// A stage's generator and discriminator widths, the noise's and the code's sizes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageShape {
    /// Noise components (stage I only).
    pub z_dim: usize,
    /// Conditioning code components.
    pub code: usize,
    /// Base channels of the generators.
    pub gen_width: usize,
    /// Base channels of the discriminators.
    pub disc_width: usize,
}

/// `[b, 1, s, s]` -> `[b, 1, 2 s, 2 s]`, each pixel a 2 x 2 block.
pub fn nearest_up(x: Tensor<4>) -> Tensor<4> {
    let [b, c, h, w] = x.dims();
    x.reshape([b * c, h, 1, w, 1])
        .repeat_dim(2, 2)
        .repeat_dim(4, 2)
        .reshape([b, c, 2 * h, 2 * w])
}

/// `[b, code]` -> `[b, code, s, s]`: the code at every place of an s x s grid.
fn spread(code: Tensor<2>, side: usize) -> Tensor<4> {
    let [b, k] = code.dims();
    code.reshape([b, k, 1, 1])
        .repeat_dim(2, side)
        .repeat_dim(3, side)
}

/// Stage I's generator: z and ĉ to 14 x 14 logits.
#[derive(Module, Debug)]
pub struct StageOneGenerator {
    project: Linear,
    up: ConvTranspose2d,
    out: Conv2d,
}

impl StageOneGenerator {
    pub fn new(s: StageShape, rng: &mut Rng, device: &Device) -> Self {
        let c = s.gen_width;
        Self {
            project: linear(s.z_dim + s.code, 2 * c * 49, DCGAN, rng, device),
            up: up([2 * c, c], rng, device),
            out: eager(conv([c, 1], 3, 1, DCGAN, rng, device)),
        }
    }

    /// `z` `[b, z_dim]` and `code` `[b, code]` -> logits `[b, 1, 14, 14]` (the image is their
    /// tanh).
    pub fn logits(&self, z: Tensor<2>, code: Tensor<2>) -> Tensor<4> {
        let b = z.dims()[0];
        let h = self.project.forward(Tensor::cat(vec![z, code], 1)); // [b, 2c 49]
        let c2 = h.dims()[1] / 49;
        let h = activation::relu(h.reshape([b, c2, 7, 7]));
        let h = activation::relu(self.up.forward(h)); // [b, c, 14, 14]
        self.out.forward(h) // [b, 1, 14, 14]
    }
}

/// Stage II's generator: the stage-I logits and ĉ to 28 x 28 logits, as a residual.
#[derive(Module, Debug)]
pub struct StageTwoGenerator {
    encode: Conv2d,
    join: Conv2d,
    block_a: Conv2d,
    block_b: Conv2d,
    up: ConvTranspose2d,
    out: Conv2d,
}

impl StageTwoGenerator {
    pub fn new(s: StageShape, rng: &mut Rng, device: &Device) -> Self {
        let c = s.gen_width;
        Self {
            encode: eager(conv([1, c], 3, 1, DCGAN, rng, device)),
            join: eager(conv([c + s.code, c], 3, 1, DCGAN, rng, device)),
            block_a: eager(conv([c, c], 3, 1, DCGAN, rng, device)),
            block_b: eager(conv([c, c], 3, 1, DCGAN, rng, device)),
            up: up([c, c], rng, device),
            out: eager(conv([c, 1], 3, 1, DCGAN, rng, device)),
        }
    }

    /// Stage-I logits `[b, 1, 14, 14]` and `code` `[b, code]` -> logits `[b, 1, 28, 28]`:
    /// the stage-I logits upsampled plus what stage II writes.
    pub fn logits(&self, stage_one: Tensor<4>, code: Tensor<2>) -> Tensor<4> {
        let base = nearest_up(stage_one.clone()); // [b, 1, 28, 28]
        let h = activation::relu(self.encode.forward(activation::tanh(stage_one)));
        let h = Tensor::cat(vec![h, spread(code, 14)], 1); // [b, c + code, 14, 14]
        let h = activation::relu(self.join.forward(h)); // [b, c, 14, 14]
        let r = self
            .block_b
            .forward(activation::relu(self.block_a.forward(h.clone())));
        let h = activation::relu(h + r);
        let h = activation::relu(self.up.forward(h)); // [b, c, 28, 28]
        base + self.out.forward(h)
    }
}

/// A stage's matching-aware discriminator: an image (`side` 14 or 28) with a caption's code.
#[derive(Module, Debug)]
pub struct StageDiscriminator {
    downs: Vec<Conv2d>,
    hidden: Linear,
    head: Linear,
    /// The caption's code to the features' space.
    project: Linear,
}

impl StageDiscriminator {
    /// For `side` x `side` images: 14 (two stride-2 convolutions to 4 x 4) or 28 (three).
    pub fn new(s: StageShape, side: usize, rng: &mut Rng, device: &Device) -> Self {
        let c = s.disc_width;
        let mut downs = vec![eager(conv([1, c], 4, 2, DCGAN, rng, device))];
        if side == 28 {
            downs.push(eager(conv([c, c], 4, 2, DCGAN, rng, device))); // 14 -> 7
        }
        downs.push(eager(conv([c, 2 * c], 3, 2, DCGAN, rng, device))); // 7 -> 4
        Self {
            downs,
            hidden: linear(2 * c * 16, 4 * c, Init::FanInUniform, rng, device),
            head: linear(4 * c, 1, Init::FanInUniform, rng, device),
            project: linear(s.code, 4 * c, Init::FanInUniform, rng, device),
        }
    }

    /// Images `[b, 1, side, side]` in [-1, 1] and codes `[b, code]` -> logits `[b, 1]`.
    pub fn forward(&self, images: Tensor<4>, code: Tensor<2>) -> Tensor<2> {
        let b = images.dims()[0];
        let mut h = images;
        for conv in &self.downs {
            h = leaky_relu(conv.forward(h), 0.2);
        }
        let f = h.reshape([b as i32, -1]); // [b, 2c 16]
        let h = leaky_relu(self.hidden.forward(f), 0.2); // [b, 4c]
        let matched = (self.project.forward(code) * h.clone()).sum_dim(1); // [b, 1]
        self.head.forward(h) + matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    const S: StageShape = StageShape {
        z_dim: 6,
        code: 4,
        gen_width: 4,
        disc_width: 4,
    };

    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_to_vec::<f32>().unwrap()
    }

    fn filled<const D: usize>(shape: [usize; D], rng: &mut Rng, device: &Device) -> Tensor<D> {
        crate::nn::init::normal(shape, 1.0, rng, device)
    }

    #[test]
    fn nearest_up_makes_each_pixel_a_two_by_two_block() {
        let device = Device::default();
        let x = Tensor::from_data(
            TensorData::new(vec![1.0f32, 2.0, 3.0, 4.0], [1, 1, 2, 2]),
            &device,
        );
        let up = values(nearest_up(x));
        assert_eq!(
            up,
            [
                1., 1., 2., 2., 1., 1., 2., 2., 3., 3., 4., 4., 3., 3., 4., 4.
            ]
        );
    }

    #[test]
    fn stage_two_refines_the_stage_one_image_it_is_given() {
        let device = Device::default();
        let mut rng = Rng::new(5);
        let one = StageOneGenerator::new(S, &mut rng, &device);
        let two = StageTwoGenerator::new(S, &mut rng, &device);
        let (z, code) = (
            filled([3, 6], &mut rng, &device),
            filled([3, 4], &mut rng, &device),
        );
        let low = one.logits(z, code.clone());
        assert_eq!(low.dims(), [3, 1, 14, 14]);
        let high = two.logits(low.clone(), code.clone());
        assert_eq!(high.dims(), [3, 1, 28, 28]);
        // Another stage-I image (the first sample's top-left logit lowered by 3): stage II's
        // image changes, and so does what stage II writes on top of it (its residual reads the
        // stage-I image; it does not only pass it through).
        let mut bumped = values(low.clone());
        bumped[0] -= 3.0;
        let bumped = Tensor::from_data(TensorData::new(bumped, [3, 1, 14, 14]), &device);
        let residual = |low: Tensor<4>, high: Tensor<4>| values(high - nearest_up(low));
        let (a, b) = (
            values(high.clone()),
            values(two.logits(bumped.clone(), code.clone())),
        );
        let (ra, rb) = (
            residual(low, high),
            residual(bumped.clone(), two.logits(bumped, code)),
        );
        let moved = ra
            .iter()
            .zip(&rb)
            .filter(|(x, y)| (*x - *y).abs() > 1e-6)
            .count();
        assert!(
            moved >= 4,
            "stage II's residual ignored the stage-I image ({moved} pixels)"
        );
        assert!(
            a[784..].iter().zip(&b[784..]).all(|(x, y)| x == y),
            "only the first sample changes"
        );
    }

    #[test]
    fn a_stage_two_that_writes_nothing_returns_the_stage_one_image() {
        let device = Device::default();
        let mut rng = Rng::new(6);
        let mut two = StageTwoGenerator::new(S, &mut rng, &device);
        // Its last layer zeroed: the residual is nothing.
        two.out.weight = burn::module::Param::from_tensor(two.out.weight.val().zeros_like());
        let low = filled([2, 1, 14, 14], &mut rng, &device);
        let high = values(two.logits(low.clone(), filled([2, 4], &mut rng, &device)));
        let up = values(nearest_up(low));
        assert_eq!(high, up);
    }

    #[test]
    fn the_discriminators_read_the_caption() {
        let device = Device::default();
        let mut rng = Rng::new(7);
        for side in [14, 28] {
            let d = StageDiscriminator::new(S, side, &mut rng, &device);
            let x = filled([2, 1, side, side], &mut rng, &device);
            let (c1, c2) = (
                filled([2, 4], &mut rng, &device),
                filled([2, 4], &mut rng, &device),
            );
            let (a, b) = (values(d.forward(x.clone(), c1)), values(d.forward(x, c2)));
            assert_eq!(a.len(), 2);
            assert!(
                a.iter().zip(&b).all(|(x, y)| x != y),
                "side {side}: the verdict ignores the caption"
            );
        }
    }
}
