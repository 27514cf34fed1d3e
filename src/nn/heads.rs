//! How a discriminator's outputs are read: one linear layer ends every D, and its columns are
//! the heads. Column 0 is the realness logit (a score for the least-squares and hinge
//! losses); after it come Q's logits over an InfoGAN code's categories (Chen et al., 2016:
//! Q shares all of D but its last layer), then the logits of the data's classes (a conditional
//! GAN's projection, ACGAN's auxiliary classifier). An SGAN's D (Salimans et al., 2016) has no
//! realness column: its K class logits are the K + 1-class classifier's with the fake class's
//! logit fixed at 0, so its realness logit is log Σ exp(class logits) ([`Heads::k_plus_one`]).
//! Every family reads D's outputs through [`Heads`], so a new head is one more field here.

use burn::tensor::Tensor;

/// The heads a discriminator's last layer carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Heads {
    /// Q's logits: the categories of an InfoGAN code (0: no Q head).
    pub q: usize,
    /// Logits of the data's classes (0: none).
    pub classes: usize,
    /// The K + 1-class form: no realness column; the realness logit is the log-sum-exp of the
    /// class logits (D(x) = Z / (Z + 1) with Z = Σ exp(l_k), the fake class's logit being 0).
    pub k_plus_one: bool,
}

impl Heads {
    /// Outputs of D's last layer.
    pub fn outputs(self) -> usize {
        self.first() + self.q + self.classes
    }

    /// Columns before Q's: the realness column, unless the K + 1-class form has none.
    fn first(self) -> usize {
        usize::from(!self.k_plus_one)
    }

    /// The realness logit of every sample, `[batch, 1]`, from D's outputs `[batch, outputs]`.
    pub fn realness(self, a: &Tensor<2>) -> Tensor<2> {
        if self.k_plus_one {
            return log_sum_exp(self.class_logits(a.clone()));
        }
        let b = a.dims()[0];
        a.clone().slice([0..b, 0..1])
    }

    /// Q's logits of every sample, `[batch, q]`.
    pub fn q_logits(self, a: Tensor<2>) -> Tensor<2> {
        let b = a.dims()[0];
        let from = self.first();
        a.slice([0..b, from..from + self.q])
    }

    /// The class logits of every sample, `[batch, classes]`.
    pub fn class_logits(self, a: Tensor<2>) -> Tensor<2> {
        let b = a.dims()[0];
        let from = self.first() + self.q;
        a.slice([0..b, from..from + self.classes])
    }

    /// The projection discriminator's logit (Miyato and Koyama, 2018) given one-hot labels
    /// `y` (`[batch, classes]`): the realness column plus the label's class column, i.e.
    /// ψ(φ(x)) + ⟨embed(y), φ(x)⟩ with the class head's weights as the label embedding.
    /// `[batch, 1]`.
    pub fn projected(self, a: &Tensor<2>, y: Tensor<2>) -> Tensor<2> {
        self.realness(a) + (self.class_logits(a.clone()) * y).sum_dim(1)
    }
}

/// log Σ_k exp(l_k) of each row of `l` (`[batch, k]` -> `[batch, 1]`), with the row's largest
/// logit taken out first so that no exp overflows.
pub fn log_sum_exp(l: Tensor<2>) -> Tensor<2> {
    let m = l.clone().max_dim(1).detach(); // [batch, 1]
    (l - m.clone()).exp().sum_dim(1).log() + m
}
