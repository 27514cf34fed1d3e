//! The semi-supervised GAN's terms (SGAN: Odena, 2016; Salimans et al., 2016). G is
//! unconditional; D's outputs are the ten digits' logits l_1..l_K, read as a K + 1-class
//! classifier whose "fake" class has its logit fixed at 0 ([`Heads::k_plus_one`]): p(fake | x)
//! = 1 / (Z + 1) with Z = Σ exp(l_k), so D's realness logit is log Z. D minimises
//!
//! - the cross-entropy of its class logits on a batch of the labelled digits, plus
//! - the run's GAN cost on log Z, an unlabelled batch of real digits against G's fakes (for
//!   the non-saturating loss, softplus(−log Z(x)) + softplus(log Z(G(z))): Salimans et al.'s
//!   L_unsupervised exactly).
//!
//! G minimises its GAN cost on log Z, or (`featureMatching`) the squared distance between the
//! mean of D's last hidden features on real digits and on its fakes, which Salimans et al.
//! found made the better classifier (on our 8,006 digits and short runs it did not: see
//! docs/decisions.md). The baseline the SGAN must beat is the
//! same network trained as a plain classifier on the labelled digits alone, in the same run.
//!
//! [`Heads::k_plus_one`]: crate::nn::Heads

use burn::tensor::{Device, Tensor, TensorData};
use serde::Serialize;

use crate::data::{Mnist, PIXELS, Split};
use crate::error::GanError;
use crate::gan::loss::{GanLoss, cross_entropy};
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::image::config::LABELS;
use crate::image::networks::ImageCritic;
use crate::nn::Heads;

/// The labelled digits of an SGAN run: `per_class` training digits of each class, drawn
/// without replacement with `seed` (the same seed, the same labels), indices in class order.
/// Refused, with the class named, when a class has fewer than `per_class` training digits.
pub fn labelled_subset(data: &Mnist, per_class: usize, seed: u64) -> Result<Vec<usize>, GanError> {
    let counts = data.class_counts(Split::Train);
    let (digit, fewest) = (0..LABELS)
        .map(|k| (k, counts[k]))
        .min_by_key(|&(_, n)| n)
        .expect("ten classes");
    if per_class > fewest {
        return Err(GanError::Data(format!(
            "labelsPerClass: {per_class} labelled digits per class is more than the training \
             split holds of digit {digit} ({fewest}); pick 1 to {fewest}"
        )));
    }
    // A stream of its own, so that the labels drawn do not move the run's other draws.
    let mut rng = Rng::new(seed ^ 0x5EED_1ABE_1ED0_0001);
    let train = data.indices(Split::Train);
    let mut chosen = Vec::with_capacity(per_class * LABELS);
    for k in 0..LABELS {
        let mut of_k: Vec<usize> = train
            .iter()
            .copied()
            .filter(|&i| data.label(i) as usize == k)
            .collect();
        // A partial Fisher-Yates shuffle: the first per_class are a uniform draw.
        for j in 0..per_class {
            let r = j + rng.below(of_k.len() - j);
            of_k.swap(j, r);
        }
        chosen.extend_from_slice(&of_k[..per_class]);
    }
    Ok(chosen)
}

/// D's GAN cost and its whole cost: the class cross-entropy of D's outputs `a_labelled` on
/// labelled digits (one-hot labels `y`), plus `loss`'s D cost on the realness log Z of real
/// digits `a_real` and fakes `a_fake`.
pub fn discriminator_cost(
    loss: GanLoss,
    heads: Heads,
    (a_labelled, y): (Tensor<2>, Tensor<2>),
    a_real: Tensor<2>,
    a_fake: Tensor<2>,
) -> (Tensor<1>, Tensor<1>) {
    let gan = loss.discriminator(heads.realness(&a_real), heads.realness(&a_fake));
    let cost = gan.clone() + cross_entropy(heads.class_logits(a_labelled), y);
    (gan, cost)
}

/// Feature matching: ‖mean of `real` − mean of `fake`‖² over the features (`[batch, f]`
/// each; the real ones detached by the caller), a scalar.
pub fn feature_matching(real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
    let gap = real.mean_dim(0) - fake.mean_dim(0); // [1, f]
    gap.powf_scalar(2.0).sum()
}

/// How one classifier did on held-out digits.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassScore {
    /// Share of the digits classified right.
    pub accuracy: f64,
    /// Counts, row = true digit, column = the digit called, flat `[10 * 10]`.
    pub confusion: Vec<u32>,
}

/// The SGAN's D and the baseline on the test split.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldOut {
    /// The round the networks had trained to.
    pub step: u64,
    /// Held-out digits scored.
    pub n: usize,
    /// The SGAN's D (its class logits' argmax).
    pub sgan: ClassScore,
    /// The plain classifier on the labelled digits alone.
    pub baseline: ClassScore,
    /// Whether both were scored as moving averages of their weights (`emaDecay` > 0).
    pub averaged: bool,
}

/// `critic`'s D (its class logits under `heads`) and its baseline on `data`'s test digits, in
/// inference mode (one asynchronous read of each), reported as of round `step` and as moving
/// averages if `averaged`. Refused for a critic without a baseline (a run of another family).
pub fn held_out(
    critic: ImageCritic,
    heads: Heads,
    data: &Mnist,
    device: &Device,
    (step, averaged): (u64, bool),
) -> Result<impl Future<Output = Result<HeldOut, GanError>> + 'static, GanError> {
    let Some(baseline) = critic.baseline else {
        return Err(GanError::Config(
            "held-out accuracy is an SGAN run's (family \"sgan\"): its D classifies digits".into(),
        ));
    };
    let test = data.indices(Split::Test);
    let labels: Vec<u8> = test.iter().map(|&i| data.label(i)).collect();
    let x: Vec<f32> = test.iter().flat_map(|&i| data.image_signed(i)).collect();
    let x = Tensor::<2>::from_data(TensorData::new(x, [test.len(), PIXELS]), device);
    let d = read_vec(heads.class_logits(critic.d.forward(x.clone())));
    let base = read_vec(baseline.forward(x));
    Ok(async move {
        let (d, base) = (d.await?, base.await?);
        Ok(HeldOut {
            step,
            n: labels.len(),
            sgan: class_score(&d, &labels),
            baseline: class_score(&base, &labels),
            averaged,
        })
    })
}

/// The score of classifier outputs `logits` (`[n * 10]` flat, row per digit) against `labels`.
pub fn class_score(logits: &[f32], labels: &[u8]) -> ClassScore {
    let mut confusion = vec![0u32; LABELS * LABELS];
    let mut right = 0usize;
    for (row, &y) in logits.chunks(LABELS).zip(labels) {
        let called = row
            .iter()
            .enumerate()
            .fold((0, f32::NEG_INFINITY), |best, (k, &v)| {
                if v > best.1 { (k, v) } else { best }
            })
            .0;
        confusion[y as usize * LABELS + called] += 1;
        right += usize::from(called == y as usize);
    }
    ClassScore {
        accuracy: right as f64 / labels.len().max(1) as f64,
        confusion,
    }
}
