//! How a discriminator's outputs are read: one linear layer ends every D, and its columns are
//! the heads. Column 0 is the realness logit (a score for the least-squares and hinge
//! losses); after it come Q's logits over an InfoGAN code's categories (Chen et al., 2016:
//! Q shares all of D but its last layer). Every family reads D's outputs through [`Heads`],
//! so a new head (ACGAN's classes, SGAN's K logits) is one more field here.

use burn::tensor::Tensor;

/// The heads a discriminator's last layer carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Heads {
    /// Q's logits: the categories of an InfoGAN code (0: no Q head).
    pub q: usize,
}

impl Heads {
    /// Outputs of D's last layer.
    pub fn outputs(self) -> usize {
        1 + self.q
    }

    /// The realness logit of every sample, `[batch, 1]`, from D's outputs `[batch, outputs]`.
    pub fn realness(self, a: &Tensor<2>) -> Tensor<2> {
        let b = a.dims()[0];
        a.clone().slice([0..b, 0..1])
    }

    /// Q's logits of every sample, `[batch, q]`.
    pub fn q_logits(self, a: Tensor<2>) -> Tensor<2> {
        let b = a.dims()[0];
        a.slice([0..b, 1..1 + self.q])
    }
}
