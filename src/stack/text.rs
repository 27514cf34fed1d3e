//! The caption's side of StackGAN (Zhang et al., 2017, section 3.1): a small text encoder and
//! the conditioning augmentation.
//!
//! - **The encoder** reads a caption as the mean of its words' embeddings (a bag of words: our
//!   captions are short and every set of words names one caption, so the order adds nothing),
//!   then a linear layer to the mean μ and log-variance log σ² of a Gaussian over the
//!   conditioning code. It is trained with the GAN (the paper used a fixed pretrained
//!   char-CNN-RNN; with a vocabulary of 27 words there is nothing to pretrain).
//! - **Conditioning augmentation** draws the code ĉ = μ + σ ⊙ ε, ε ~ N(0, I), so one caption
//!   gives a neighbourhood of codes (more pairs to learn from, smoother in the caption), and
//!   adds KL(N(μ, σ²) ‖ N(0, I)) to G's cost (the paper's code weighs it 2.0) to keep that
//!   neighbourhood from shrinking to a point.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::{Device, Tensor, TensorData};

use crate::data::captions::VOCABULARY;
use crate::gan::rng::Rng;
use crate::nn::init::{Init, linear, normal};

/// Captions as rows of word weights (`[batch, vocabulary]`): each word of a caption weighs
/// 1 / (its words), so a row times the embedding table is the mean of the caption's words.
/// An empty caption is a row of zeros.
pub fn bag_of_words(captions: &[Vec<usize>], device: &Device) -> Tensor<2> {
    let v = VOCABULARY.len();
    let mut rows = vec![0.0f32; captions.len() * v];
    for (row, words) in rows.chunks_exact_mut(v).zip(captions) {
        for &w in words {
            row[w] += 1.0 / words.len() as f32;
        }
    }
    Tensor::from_data(TensorData::new(rows, [captions.len(), v]), device)
}

/// KL(N(μ, σ²) ‖ N(0, I)) per sample, summed over the code's dimensions, averaged over the
/// batch: ½ Σ (μ² + σ² − 1 − log σ²). `mu` and `log_var`: `[batch, code]`.
pub fn kl_to_standard_normal(mu: Tensor<2>, log_var: Tensor<2>) -> Tensor<1> {
    let [batch, _] = mu.dims();
    (mu.square() + log_var.clone().exp() - log_var)
        .sub_scalar(1.0)
        .sum()
        .mul_scalar(0.5 / batch as f64)
}

/// The caption encoder with the conditioning augmentation's Gaussian.
#[derive(Module, Debug)]
pub struct TextEncoder {
    /// One embedding per word: `[vocabulary, embed]`.
    words: Param<Tensor<2>>,
    /// Embedding to μ and log σ²: `embed` -> `2 code`.
    head: Linear,
}

impl TextEncoder {
    /// An encoder of `embed`-wide word vectors into a `code`-wide Gaussian; word vectors from
    /// N(0, 1) (as an embedding layer's), the head PyTorch's default.
    pub fn new(embed: usize, code: usize, rng: &mut Rng, device: &Device) -> Self {
        let words = normal([VOCABULARY.len(), embed], 1.0, rng, device);
        Self {
            words: Param::from_tensor(words),
            head: linear(embed, 2 * code, Init::FanInUniform, rng, device),
        }
    }

    /// μ and log σ² (each `[batch, code]`) of captions given as [`bag_of_words`] rows.
    pub fn gaussian(&self, bags: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let e = bags.matmul(self.words.val()); // [batch, embed]
        let out = self.head.forward(e); // [batch, 2 code]
        let [batch, two] = out.dims();
        let code = two / 2;
        (
            out.clone().slice([0..batch, 0..code]),
            out.slice([0..batch, code..two]),
        )
    }

    /// The conditioning code ĉ = μ + σ ⊙ ε (ε from `rng`) and the KL term, for captions given
    /// as [`bag_of_words`] rows.
    pub fn augmented(&self, bags: Tensor<2>, rng: &mut Rng) -> (Tensor<2>, Tensor<1>) {
        let (mu, log_var) = self.gaussian(bags);
        let kl = kl_to_standard_normal(mu.clone(), log_var.clone());
        let eps = normal(mu.dims(), 1.0, rng, &mu.device()); // [batch, code]
        (mu + log_var.mul_scalar(0.5).exp() * eps, kl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::captions::tokenize;

    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn the_kl_term_is_the_closed_form() {
        let device = Device::default();
        // Sample 1: μ = (1, 0), σ² = (1, 4): ½ ((1 + 1 − 1 − 0) + (0 + 4 − 1 − ln 4)).
        // Sample 2: μ = (0, 0), σ² = (1, 1): 0. Averaged over the batch of 2.
        let mu = Tensor::from_data(
            TensorData::new(vec![1.0f32, 0.0, 0.0, 0.0], [2, 2]),
            &device,
        );
        let lv = Tensor::from_data(
            TensorData::new(vec![0.0f32, 4.0f32.ln(), 0.0, 0.0], [2, 2]),
            &device,
        );
        let kl = values(kl_to_standard_normal(mu, lv))[0] as f64;
        let hand = 0.5 * ((1.0 + 1.0 - 1.0) + (4.0 - 1.0 - 4.0f64.ln())) / 2.0;
        assert!((kl - hand).abs() < 1e-6, "{kl} against {hand}");
    }

    #[test]
    fn a_bag_of_words_is_the_mean_of_the_captions_words() {
        let device = Device::default();
        let (a, _) = tokenize("a thin seven");
        let bags = values(bag_of_words(&[a.clone(), vec![]], &device));
        let v = VOCABULARY.len();
        assert_eq!(bags.len(), 2 * v);
        for (i, &w) in bags[..v].iter().enumerate() {
            let hand = if a.contains(&i) { 1.0 / 3.0 } else { 0.0 };
            assert!((w - hand).abs() < 1e-7, "word {i}: {w}");
        }
        assert!(
            bags[v..].iter().all(|&w| w == 0.0),
            "an empty caption weighs nothing"
        );
    }

    #[test]
    fn augmented_codes_spread_as_the_gaussian_says() {
        let device = Device::default();
        let mut rng = Rng::new(3);
        let enc = TextEncoder::new(8, 4, &mut rng, &device);
        let (seven, _) = tokenize("a thick seven slanted right");
        let n = 4000;
        let bags = bag_of_words(&vec![seven; n], &device);
        let (mu, lv) = enc.gaussian(bags.clone());
        let (mu, var): (Vec<f32>, Vec<f32>) = (
            values(mu.slice([0..1, 0..4])),
            values(lv.slice([0..1, 0..4]).exp()),
        );
        let (codes, kl) = enc.augmented(bags, &mut rng);
        let codes = values(codes);
        for d in 0..4 {
            let xs: Vec<f64> = codes.iter().skip(d).step_by(4).map(|&x| x as f64).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            // 4,000 draws: the mean within 4 standard errors, the variance within 10 %.
            let se = (var[d] as f64 / n as f64).sqrt();
            assert!(
                (mean - mu[d] as f64).abs() < 4.0 * se,
                "dim {d}: mean {mean} against {}",
                mu[d]
            );
            assert!(
                (v / var[d] as f64 - 1.0).abs() < 0.1,
                "dim {d}: variance {v} against {}",
                var[d]
            );
        }
        // Every row is the same caption: the batch's KL is the one sample's.
        let hand: f64 = (0..4)
            .map(|d| 0.5 * ((mu[d] * mu[d] + var[d]) as f64 - 1.0 - (var[d] as f64).ln()))
            .sum();
        let kl = values(kl)[0] as f64;
        assert!(
            (kl - hand).abs() < 1e-4 * hand.max(1.0),
            "{kl} against {hand}"
        );
    }
}
