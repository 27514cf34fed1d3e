//! InfoGAN's categorical code (Chen et al., 2016): the last `codes` components of every latent
//! are a one-hot category drawn uniformly ([`crate::gan::latent::draw_latents`]), D's last
//! layer carries Q's logits of that category ([`crate::nn::Heads`]), and both G and D also
//! minimise Q's cross-entropy, a lower bound on the mutual information between the code and
//! G's image. G learns to draw each category as its own cluster.

use burn::tensor::Tensor;

use crate::gan::latent::code_part;
use crate::gan::loss::cross_entropy;
use crate::nn::Heads;

/// Q's cross-entropy, the mean over the batch of -log q(c | G(z)): D's outputs `a`
/// (`[batch, heads.outputs()]`) against the one-hot codes in the last `heads.q` columns of the
/// latents `z`. A scalar.
pub fn code_cross_entropy(heads: Heads, a: Tensor<2>, z: Tensor<2>) -> Tensor<1> {
    cross_entropy(heads.q_logits(a), code_part(z, heads.q))
}

/// `cost` plus `weight` times Q's cross-entropy on the fakes `a` of latents `z`, when the run
/// has a code.
pub fn with_code_term(
    heads: Heads,
    weight: f64,
    cost: Tensor<1>,
    a: Tensor<2>,
    z: Tensor<2>,
) -> Tensor<1> {
    match heads.q {
        0 => cost,
        _ => cost + code_cross_entropy(heads, a, z).mul_scalar(weight),
    }
}
