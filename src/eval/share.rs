//! The image lab's judge today: of G's samples, the share the shipped classifier gives one
//! digit with confidence >= 0.9, and how many samples it gives each class (a generator that
//! lost digits shows holes there); for a conditional run, the share it names as the digit G
//! was asked for, per digit; and the classifier's accuracy on labelled digits.

use crate::eval::classifier::{CLASSES, NOT_A_DIGIT};

/// The confidence a sample's top class needs to count as recognised.
pub const CONFIDENT: f64 = 0.9;

/// The top class of one row of probabilities (11 per sample) and its probability.
pub fn top(row: &[f32]) -> (usize, f32) {
    row.iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a row has classes")
}

/// The share of samples (rows of `probs`, 11 per sample) whose top class is a digit with
/// probability >= `threshold`, and how many samples got each class (0-9, then not a digit) as
/// their top class.
pub fn confident_share(probs: &[f32], threshold: f64) -> (f64, [usize; CLASSES]) {
    let mut classes = [0; CLASSES];
    let mut sure = 0;
    let n = probs.len() / CLASSES;
    for row in probs.chunks_exact(CLASSES) {
        let (k, p) = top(row);
        classes[k] += 1;
        if k != NOT_A_DIGIT && p >= threshold as f32 {
            sure += 1;
        }
    }
    (if n == 0 { 0.0 } else { sure as f64 / n as f64 }, classes)
}

/// Per class (0-9, then not a digit), the samples recognised as it: their top class, with a
/// probability of at least `threshold`. The "not a digit" entry counts every sample not
/// recognised as a digit (its top class is "not a digit", or no class reaches the threshold).
/// The digits' entries add up to `confident_share`'s share of the samples: one rule for the
/// headline and the bars.
pub fn recognised_counts(probs: &[f32], threshold: f64) -> [usize; CLASSES] {
    let mut counts = [0; CLASSES];
    for row in probs.chunks_exact(CLASSES) {
        let (k, p) = top(row);
        if k != NOT_A_DIGIT && p >= threshold as f32 {
            counts[k] += 1;
        } else {
            counts[NOT_A_DIGIT] += 1;
        }
    }
    counts
}

/// The accuracy of `probs` (11 per sample) against `labels`.
pub fn accuracy(probs: &[f32], labels: &[u8]) -> f64 {
    let right = probs
        .chunks_exact(CLASSES)
        .zip(labels)
        .filter(|(row, l)| top(row).0 == **l as usize)
        .count();
    right as f64 / labels.len().max(1) as f64
}

/// Per digit (0-9), the share of the samples asked for that digit (`labels`, one per row of
/// `probs`) whose top class is it; NaN for a digit nobody asked for.
pub fn intended_shares(probs: &[f32], labels: &[u8]) -> [f64; 10] {
    let (mut hits, mut asked) = ([0usize; 10], [0usize; 10]);
    for (row, &l) in probs.chunks_exact(CLASSES).zip(labels) {
        let l = l as usize;
        asked[l] += 1;
        if top(row).0 == l {
            hits[l] += 1;
        }
    }
    std::array::from_fn(|d| hits[d] as f64 / asked[d] as f64)
}
