//! The conditional image GANs' costs: the one-hot label is the last [`LABELS`] components of
//! every latent (drawn uniformly, as an InfoGAN code is: [`crate::gan::latent`]), so G is
//! given it at its input, and real digits come with theirs. D reads it through its class
//! logits ([`crate::nn::Heads`]):
//!
//! - **cGAN** (Mirza and Osindero, 2014): D judges the pair (x, y) by projection (Miyato and
//!   Koyama, 2018), its logit the realness column plus the label's class column. The same for
//!   the MLP and the DCGAN networks (no extra input planes), and a fake of the wrong digit is a
//!   fake: G must draw the digit asked for.
//! - **ACGAN** (Odena et al., 2017): D judges x alone and names its class. D minimises the GAN
//!   cost plus the class cross-entropy L_C on real digits only (on fakes too, D would learn
//!   G's early failures as classes); G minimises its GAN cost plus L_C on its fakes: the
//!   paper's "D maximises L_S + L_C, G maximises L_C − L_S" with the non-saturating (or the
//!   run's) form for L_S.
//!
//! [`LABELS`]: crate::image::config::LABELS

use burn::tensor::Tensor;

use crate::gan::loss::{GanLoss, cross_entropy};
use crate::image::config::ImageFamily;
use crate::nn::Heads;

/// D's GAN cost and its whole cost for a conditional `family`, from its outputs on real
/// digits `a_real` (labels `y_real`, one-hot) and on fakes `a_fake` (labels `y_fake`).
pub fn discriminator_cost(
    family: ImageFamily,
    loss: GanLoss,
    heads: Heads,
    (a_real, y_real): (Tensor<2>, Tensor<2>),
    (a_fake, y_fake): (Tensor<2>, Tensor<2>),
) -> (Tensor<1>, Tensor<1>) {
    match family {
        ImageFamily::Acgan => {
            let gan = loss.discriminator(heads.realness(&a_real), heads.realness(&a_fake));
            let cost = gan.clone() + cross_entropy(heads.class_logits(a_real), y_real);
            (gan, cost)
        }
        _ => {
            let gan = loss.discriminator(
                heads.projected(&a_real, y_real),
                heads.projected(&a_fake, y_fake),
            );
            (gan.clone(), gan)
        }
    }
}

/// G's GAN cost and its whole cost for a conditional `family`, from D's outputs on its fakes
/// `a` of labels `y`.
pub fn generator_cost(
    family: ImageFamily,
    loss: GanLoss,
    heads: Heads,
    a: Tensor<2>,
    y: Tensor<2>,
) -> (Tensor<1>, Tensor<1>) {
    match family {
        ImageFamily::Acgan => {
            let gan = loss.generator(heads.realness(&a));
            let cost = gan.clone() + cross_entropy(heads.class_logits(a), y);
            (gan, cost)
        }
        _ => {
            let gan = loss.generator(heads.projected(&a, y));
            (gan.clone(), gan)
        }
    }
}
