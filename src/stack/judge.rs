//! StackGAN's judges and their cost: each stage's matching-aware discriminator with its own
//! caption encoder, the cost of (real, right caption), (fake, right) and (real, wrong), and one
//! stage's discriminator turn; with the 2 x 2 average that brings digits to stage I's size.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Tensor, activation};

use crate::gan::optim::Optimizer;
use crate::stack::networks::StageDiscriminator;
use crate::stack::text::TextEncoder;

/// A stage's judge: the matching-aware discriminator with its own caption encoder (trained
/// with D, as the paper's D compresses the text embedding with its own layer), read through μ.
/// D reading G's encoder instead (the KL pulls G's μ towards 0 for every caption) named the
/// digit at chance after 4,000 rounds; see docs/decisions.md for what else changed with it.
#[derive(Module, Debug)]
pub struct Judge {
    pub text: TextEncoder,
    pub d: StageDiscriminator,
}

impl Judge {
    /// Logits `[b, 1]` of images `[b, 1, side, side]` with captions as bag-of-words rows.
    pub fn forward(&self, images: Tensor<4>, bags: Tensor<2>) -> Tensor<2> {
        self.d.forward(images, self.text.gaussian(bags).0)
    }
}

/// Both stages' judges.
#[derive(Module, Debug)]
pub struct Judges {
    pub one: Judge,
    pub two: Judge,
}

/// `[b, 784]` in [-1, 1] -> `[b, 1, 14, 14]`: each 2 x 2 block averaged.
pub fn downsample(x: Tensor<2>) -> Tensor<4> {
    let b = x.dims()[0];
    x.reshape([b, 14, 2, 14, 2])
        .mean_dim(4)
        .mean_dim(2)
        .reshape([b, 1, 14, 14])
}

/// The matching-aware discriminator's cost from its logits on (real, right caption), (fake,
/// right) and (real, wrong).
pub fn matching_cost(real: Tensor<2>, fake: Tensor<2>, wrong: Tensor<2>) -> Tensor<1> {
    let sp = |t: Tensor<2>| activation::softplus(t, 1.0).mean();
    sp(real.neg()) + (sp(fake) + sp(wrong)).mul_scalar(0.5)
}

/// One stage's discriminator turn: the matching-aware update of `judge` on real digits with
/// their captions, `fake` images (detached here) with the same captions and real digits with
/// the `wrong` ones; then G's non-saturating cost against the updated judge, held fixed.
/// Returns (D's cost, G's GAN cost).
pub(crate) fn judge(
    judge: &mut Judge,
    opt: &mut Optimizer,
    lr: f64,
    real: Tensor<4>,
    fake: Tensor<4>,
    right: Tensor<2>,
    wrong: Tensor<2>,
) -> (Tensor<1>, Tensor<1>) {
    let cost_d = matching_cost(
        judge.forward(real.clone(), right.clone()),
        judge.forward(fake.clone().detach(), right.clone()),
        judge.forward(real, wrong),
    );
    let grads = GradientsParams::from_grads(cost_d.backward(), judge);
    *judge = opt.step(lr, judge.clone(), grads);
    let fixed = judge.clone().no_grad();
    let gan = activation::softplus(fixed.forward(fake, right).neg(), 1.0).mean();
    (cost_d, gan)
}
