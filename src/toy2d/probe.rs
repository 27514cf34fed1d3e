//! The loss lab's gradient probe: on one batch of z, with D fixed, the generator's parameter
//! gradient under the minimax cost and under the non-saturating cost, neither applied, and
//! each sample's derivative of both costs with respect to D's logit. It shows why the minimax
//! generator starves: d log(1 - D) / da = -D vanishes where D rejects the fakes.

use burn::module::Module;
use burn::tensor::{Tensor, activation};
use serde::Serialize;

use crate::error::GanError;
use crate::gan::latent::{code_part, latent_batch};
use crate::gan::loss::GanLoss;
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::nn::Mlp;
use crate::toy2d::train::{Toy2dTrainer, packed, with_labels};

/// Seed offset of the gradient probe's batches (one fresh batch per step, off the training stream).
const PROBE_STREAM: u64 = 0x0000_0B0B_E5EE_D000_u64;

/// What one gradient probe measured (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeStats {
    /// The step probed.
    pub step: u64,
    /// ||d cost / d theta_G||_2 for the minimax cost E[log(1 - D(G(z)))].
    pub grad_norm_minimax: f32,
    /// ||d cost / d theta_G||_2 for the non-saturating cost -E[log D(G(z))].
    pub grad_norm_non_saturating: f32,
    /// D(G(z)) = sigmoid(a) for each sample of the batch.
    pub d_fake: Vec<f32>,
    /// |d cost_i / d a_i| per sample under the minimax cost (= D).
    pub dlogit_minimax: Vec<f32>,
    /// |d cost_i / d a_i| per sample under the non-saturating cost (= 1 - D).
    pub dlogit_non_saturating: Vec<f32>,
}

impl Toy2dTrainer {
    /// The gradient probe (see [`probe_generator`]) at the current step, on a batch of
    /// `batchSize` draws from a stream of its own: probing never changes the run.
    pub fn probe(&self) -> impl Future<Output = Result<ProbeStats, GanError>> + 'static {
        let step = self.core.step;
        let seed = self.config.seed ^ PROBE_STREAM ^ step.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (c, k) = (&self.config, self.config.classes());
        // z and, in a conditional run, a uniformly drawn label
        let z = latent_batch(
            c.prior,
            c.z_dim + k,
            k,
            c.batch_size,
            &mut Rng::new(seed),
            self.device(),
        );
        probe_generator(&self.nets.g, &self.nets.d, c.pack, k, z, step)
    }
}

/// Computes, without applying them, the generator's parameter gradients under the minimax and
/// the non-saturating cost for the batch `z` (`[n, z_dim]`, no autodiff; in a conditional run
/// its last `classes` columns are the one-hot labels, which D is given with each sample)
/// through the fixed `discriminator` (which judges packs of `pack` samples; n is a multiple of it), and the
/// per-sample (per-pack) derivatives of both costs with respect to D's logit, all read back in
/// one transfer. Works for any loss's networks; the two costs read D's output as a logit,
/// which it is for the cross-entropy losses.
pub fn probe_generator(
    generator: &Mlp,
    discriminator: &Mlp,
    pack: usize,
    classes: usize,
    z: Tensor<2>,
    step: u64,
) -> impl Future<Output = Result<ProbeStats, GanError>> + 'static {
    let fixed_d = discriminator.clone().no_grad();
    let costs = [GanLoss::Minimax, GanLoss::NonSaturating];
    let label = (classes > 0).then(|| code_part(z.clone(), classes));
    let mut parts = Vec::with_capacity(5);
    for loss in costs {
        // [n / pack, 1], tracked through G
        let fake = with_labels(
            generator.forward(z.clone()),
            label.clone().map(|y| y.autodiff()),
        );
        let a = fixed_d.forward(packed(fake, pack));
        parts.push(generator.grad_sq_norm(&loss.generator(a).backward()));
    }
    let fake = with_labels(generator.valid().forward(z), label);
    let a = discriminator.valid().forward(packed(fake, pack)); // [n / pack, 1], plain
    let n = a.dims()[0];
    for loss in costs {
        let leaf = a.clone().autodiff().require_grad();
        // The cost is a batch mean: times n, its derivative is the per-sample one.
        let grads = loss.generator(leaf.clone()).mul_scalar(n as f64).backward();
        let g = leaf
            .grad(&grads)
            .unwrap_or_else(|| Tensor::zeros([n, 1], &a.device()));
        parts.push(g.abs().reshape([n]));
    }
    parts.push(activation::sigmoid(a).reshape([n]));
    let all = Tensor::cat(parts, 0);
    async move {
        let v = read_vec(all).await?;
        Ok(ProbeStats {
            step,
            grad_norm_minimax: v[0].sqrt(),
            grad_norm_non_saturating: v[1].sqrt(),
            dlogit_minimax: v[2..2 + n].to_vec(),
            dlogit_non_saturating: v[2 + n..2 + 2 * n].to_vec(),
            d_fake: v[2 + 2 * n..2 + 3 * n].to_vec(),
        })
    }
}
