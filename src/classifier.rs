//! A small digit classifier, trained by the project's own native command (`images
//! classifier-train`) on the training split of the shipped digits and shipped as
//! `assets/classifier.bin`: the judge of the image GANs' samples. Its score for a set of samples
//! is the share that it assigns to some digit with confidence >= 0.9, and the classes it sees
//! (a generator that lost digits shows holes there).
//!
//! Besides the ten digits it has an eleventh class, "not a digit", trained on synthetic
//! non-digits (flat grey, pixel noise, smooth blobs): a plain ten-way classifier, shown an
//! untrained generator's grey fog, called all of it an 8 with confidence over 0.9, and the
//! metric must not reward that.
//!
//! Network: 1 x 28 x 28 -> conv 3x3 (16) -> conv 4x4 stride 2 (32, 14 x 14) -> conv 4x4
//! stride 2 (64, 7 x 7) -> conv 3x3 stride 2 (64, 4 x 4) -> linear 1024 -> 11, ReLU between,
//! 89,419 weights. Trained with Adam (batch 64; lr 1e-3, then 3e-4 after 60 % of the epochs and
//! 1e-4 after 85 %) on digits shifted by up to 2 pixels at random; the epoch with the best validation accuracy is kept; the test split is scored
//! once, at the end.
//!
//! File: magic `GANCLS\0\x01`, u32 LE header length, JSON header, then the weights (f32 LE, in
//! the module's visiting order).

use burn::module::{Module, ModuleMapper, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Initializer, Linear, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::mnist::{Mnist, PIXELS, Split};
use crate::rng::Rng;
use crate::trainer::read_vec;

/// The first bytes of a classifier file.
pub const CLASSIFIER_MAGIC: &[u8; 8] = b"GANCLS\x00\x01";
/// The confidence a sample's top class needs to count as recognised.
pub const CONFIDENT: f64 = 0.9;
/// Outputs: the ten digits, then "not a digit".
pub const CLASSES: usize = 11;
/// The index of the "not a digit" class.
pub const NOT_A_DIGIT: usize = 10;
const SIDE: usize = 28;

/// What a classifier file says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifierInfo {
    /// The architecture, in words.
    pub architecture: String,
    /// Number of weights that follow the header.
    pub params: usize,
    /// Epochs trained; the kept weights are those of epoch `best_epoch`.
    pub epochs: usize,
    /// The epoch (1-based) with the best validation accuracy.
    pub best_epoch: usize,
    /// Seed of the training run.
    pub seed: u64,
    /// Accuracy on the validation split at `best_epoch`.
    pub validation_accuracy: f64,
    /// Accuracy on the test split (scored once, after training).
    pub test_accuracy: f64,
}

/// The classifier network.
#[derive(Module, Debug)]
pub struct DigitClassifier {
    c1: Conv2d,
    c2: Conv2d,
    c3: Conv2d,
    c4: Conv2d,
    head: Linear,
}

fn uniform<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut Rng,
    device: &Device,
) -> Tensor<D> {
    let b = 1.0 / (fan_in as f64).sqrt();
    let n = shape.iter().product();
    let v: Vec<f32> = (0..n).map(|_| rng.uniform_in(-b, b) as f32).collect();
    Tensor::from_data(TensorData::new(v, shape), device)
}

fn conv(
    c_in: usize,
    c_out: usize,
    k: usize,
    stride: usize,
    rng: &mut Rng,
    device: &Device,
) -> Conv2d {
    let mut c = Conv2dConfig::new([c_in, c_out], [k, k])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_initializer(Initializer::Zeros)
        .init(device);
    let fan_in = c_in * k * k;
    c.weight = Param::from_tensor(uniform([c_out, c_in, k, k], fan_in, rng, device));
    c.bias = Some(Param::from_tensor(uniform([c_out], fan_in, rng, device)));
    c
}

impl DigitClassifier {
    /// A fresh network, weights from `rng` (PyTorch's default ranges).
    pub fn new(rng: &mut Rng, device: &Device) -> Self {
        Self {
            c1: conv(1, 16, 3, 1, rng, device),
            c2: conv(16, 32, 4, 2, rng, device),
            c3: conv(32, 64, 4, 2, rng, device),
            c4: conv(64, 64, 3, 2, rng, device),
            head: Linear {
                weight: Param::from_tensor(uniform([1024, CLASSES], 1024, rng, device)),
                bias: Some(Param::from_tensor(uniform([CLASSES], 1024, rng, device))),
            },
        }
    }

    /// `[batch, 784]` pixels in [0, 1] -> `[batch, 11]` logits (digits 0-9, not a digit).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let h = x.reshape([b, 1, SIDE, SIDE]);
        let h = activation::relu(self.c1.forward(h));
        let h = activation::relu(self.c2.forward(h)); // [b, 32, 14, 14]
        let h = activation::relu(self.c3.forward(h)); // [b, 64, 7, 7]
        let h = activation::relu(self.c4.forward(h)); // [b, 64, 4, 4]
        self.head.forward(h.reshape([b, 1024]))
    }

    /// Every weight, flat, in visiting order (read back synchronously: the native command's).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn flat(&self) -> Vec<f32> {
        use burn::module::ModuleVisitor;
        struct Collect(Vec<f32>);
        impl ModuleVisitor for Collect {
            fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
                let v = p.val().inner().into_data().convert::<f32>();
                self.0.extend(v.as_slice::<f32>().expect("f32 weights"));
            }
        }
        let mut c = Collect(Vec::new());
        self.visit(&mut c);
        c.0
    }

    /// The same network with its weights from `flat` (visiting order).
    fn with_flat(self, flat: &[f32]) -> Self {
        struct Fill<'a>(&'a [f32]);
        impl ModuleMapper for Fill<'_> {
            fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
                let t = p.val();
                let shape = t.dims();
                let n: usize = shape.iter().product();
                let (head, rest) = self.0.split_at(n);
                self.0 = rest;
                let mut q = Param::from_tensor(Tensor::from_data(
                    TensorData::new(head.to_vec(), shape),
                    &t.device(),
                ));
                q.id = p.id;
                q
            }
        }
        self.map(&mut Fill(flat))
    }

    /// Class probabilities of `[n * 784]` pixels in [0, 1], `[n * 11]`, in batches of 500,
    /// read back once, asynchronously.
    pub fn probabilities(
        &self,
        pixels: &[f32],
        device: &Device,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let n = pixels.len() / PIXELS;
        let parts: Vec<Tensor<2>> = (0..n)
            .step_by(500)
            .map(|start| {
                let m = (n - start).min(500);
                let x = Tensor::<2>::from_data(
                    TensorData::new(
                        pixels[start * PIXELS..(start + m) * PIXELS].to_vec(),
                        [m, PIXELS],
                    ),
                    device,
                );
                activation::softmax(self.forward(x), 1)
            })
            .collect();
        let all = (!parts.is_empty()).then(|| Tensor::cat(parts, 0));
        async move {
            match all {
                Some(t) => read_vec(t).await,
                None => Ok(Vec::new()),
            }
        }
    }

    /// Reads a classifier file; refuses anything else with a message.
    pub fn load(bytes: &[u8], device: &Device) -> Result<(Self, ClassifierInfo), GanError> {
        let bad = |m: String| GanError::Data(format!("classifier file: {m}"));
        if bytes.len() < 12 || &bytes[..8] != CLASSIFIER_MAGIC {
            return Err(bad("not a classifier (wrong magic)".into()));
        }
        let hlen = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
        let header = bytes
            .get(12..12 + hlen)
            .ok_or_else(|| bad("truncated header".into()))?;
        let info: ClassifierInfo =
            serde_json::from_slice(header).map_err(|e| bad(format!("header: {e}")))?;
        let body = &bytes[12 + hlen..];
        let net = DigitClassifier::new(&mut Rng::new(0), device);
        let n = net.num_params();
        if info.params != n || body.len() != 4 * n {
            return Err(bad(format!(
                "{} weight bytes for a network of {n} weights",
                body.len()
            )));
        }
        let flat: Vec<f32> = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        Ok((net.with_flat(&flat), info))
    }

    /// This network as a classifier file (native: see `flat`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_bytes(&self, info: &ClassifierInfo) -> Vec<u8> {
        let json = serde_json::to_vec(info).expect("the info always serialises");
        let mut out = CLASSIFIER_MAGIC.to_vec();
        out.extend((json.len() as u32).to_le_bytes());
        out.extend(json);
        for v in self.flat() {
            out.extend(v.to_le_bytes());
        }
        out
    }
}

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

/// The accuracy of `probs` (11 per sample) against `labels`.
pub fn accuracy(probs: &[f32], labels: &[u8]) -> f64 {
    let right = probs
        .chunks_exact(CLASSES)
        .zip(labels)
        .filter(|(row, l)| top(row).0 == **l as usize)
        .count();
    right as f64 / labels.len().max(1) as f64
}

/// A synthetic non-digit: flat grey, pixel noise around a grey level, or smooth blobs.
#[cfg(not(target_arch = "wasm32"))]
fn non_digit(rng: &mut Rng, out: &mut Vec<f32>) {
    let n = SIDE * SIDE;
    match rng.below(3) {
        0 => {
            let c = rng.uniform() as f32;
            out.extend(std::iter::repeat_n(c, n));
        }
        1 => {
            let (m, s) = (rng.uniform(), rng.uniform_in(0.05, 0.5));
            out.extend((0..n).map(|_| (m + s * rng.normal()).clamp(0.0, 1.0) as f32));
        }
        _ => {
            // Noise box-blurred twice (5 x 5), stretched to [0, 1], then raised to a power so
            // that bright blobs stand on a dark ground, as strokes do.
            let mut f: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
            for _ in 0..2 {
                let g = f.clone();
                for y in 0..SIDE {
                    for x in 0..SIDE {
                        let (mut sum, mut k) = (0.0, 0.0);
                        for dy in -2i32..=2 {
                            for dx in -2i32..=2 {
                                let (sx, sy) = (x as i32 + dx, y as i32 + dy);
                                if (0..SIDE as i32).contains(&sx) && (0..SIDE as i32).contains(&sy)
                                {
                                    sum += g[sy as usize * SIDE + sx as usize];
                                    k += 1.0;
                                }
                            }
                        }
                        f[y * SIDE + x] = sum / k;
                    }
                }
            }
            let (lo, hi) = f
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            let gamma = rng.uniform_in(1.0, 5.0);
            out.extend(
                f.iter()
                    .map(|&v| ((v - lo) / (hi - lo).max(1e-9)).powf(gamma) as f32),
            );
        }
    }
}

/// The digits of `split` as pixels in [0, 1] and their labels.
pub fn split_pixels(data: &Mnist, split: Split) -> (Vec<f32>, Vec<u8>) {
    let idx = data.indices(split);
    let mut x = Vec::with_capacity(idx.len() * PIXELS);
    let mut y = Vec::with_capacity(idx.len());
    for i in idx {
        x.extend(data.image(i).iter().map(|&p| p as f32 / 255.0));
        y.push(data.label(i));
    }
    (x, y)
}

/// Digit `img` shifted by (dx, dy) pixels, zeros filling in.
#[cfg(not(target_arch = "wasm32"))]
fn shifted(img: &[f32], dx: isize, dy: isize, out: &mut Vec<f32>) {
    for y in 0..SIDE as isize {
        for x in 0..SIDE as isize {
            let (sx, sy) = (x - dx, y - dy);
            let inside = (0..SIDE as isize).contains(&sx) && (0..SIDE as isize).contains(&sy);
            out.push(if inside {
                img[(sy as usize) * SIDE + sx as usize]
            } else {
                0.0
            });
        }
    }
}

/// The native command's training (it reads losses and weights back synchronously).
///
/// Trains a classifier on `data`'s training split (and 8 synthetic non-digits per batch of 64)
/// for `epochs` epochs (see the module's documentation), calling `report(epoch, train_loss, validation_accuracy)` after each; returns
/// the best epoch's network (by validation accuracy) and its file header, test accuracy scored.
#[cfg(not(target_arch = "wasm32"))]
pub fn train_classifier(
    data: &Mnist,
    epochs: usize,
    seed: u64,
    device: &Device,
    mut report: impl FnMut(usize, f64, f64),
) -> (DigitClassifier, ClassifierInfo) {
    use burn::optim::{AdamConfig, GradientsParams};
    const BATCH: usize = 64;
    const NEGATIVES: usize = 8;
    let (train_x, train_y) = split_pixels(data, Split::Train);
    let (val_x, val_y) = split_pixels(data, Split::Validation);
    let ad = device.clone().autodiff();
    let mut rng = Rng::new(seed);
    let mut net = DigitClassifier::new(&mut rng, &ad);
    let mut opt = AdamConfig::new().init();
    let n = train_y.len();
    let mut best: Option<(f64, usize, Vec<f32>)> = None;
    for epoch in 1..=epochs {
        // A fresh shuffle per epoch (Fisher-Yates).
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let lr = if epoch as f64 <= 0.6 * epochs as f64 {
            1e-3
        } else if epoch as f64 <= 0.85 * epochs as f64 {
            3e-4
        } else {
            1e-4
        };
        let mut loss_sum = 0.0;
        let mut batches = 0usize;
        for chunk in order.chunks(BATCH) {
            // The batch's digits, shifted, then NEGATIVES synthetic non-digits.
            let b = chunk.len() + NEGATIVES;
            let mut x = Vec::with_capacity(b * PIXELS);
            let mut onehot = vec![0.0f32; b * CLASSES];
            for (r, &i) in chunk.iter().enumerate() {
                let (dx, dy) = (rng.below(5) as isize - 2, rng.below(5) as isize - 2);
                shifted(&train_x[i * PIXELS..(i + 1) * PIXELS], dx, dy, &mut x);
                onehot[r * CLASSES + train_y[i] as usize] = 1.0;
            }
            for r in chunk.len()..b {
                non_digit(&mut rng, &mut x);
                onehot[r * CLASSES + NOT_A_DIGIT] = 1.0;
            }
            let x = Tensor::<2>::from_data(TensorData::new(x, [b, PIXELS]), &ad);
            let t = Tensor::<2>::from_data(TensorData::new(onehot, [b, CLASSES]), &ad);
            let logp = activation::log_softmax(net.forward(x), 1);
            let loss = (logp * t).sum_dim(1).mean().neg();
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = opt.step(lr, net, grads);
            if batches.is_multiple_of(20) {
                loss_sum += loss
                    .into_data()
                    .convert::<f32>()
                    .as_slice::<f32>()
                    .expect("f32")[0] as f64;
            }
            batches += 1;
        }
        let plain = net.valid();
        let probs = futures_lite::future::block_on(plain.probabilities(&val_x, device))
            .expect("a CPU readback");
        let val = accuracy(&probs, &val_y);
        report(epoch, loss_sum / batches.div_ceil(20) as f64, val);
        if best.as_ref().is_none_or(|b| val > b.0) {
            best = Some((val, epoch, plain.flat()));
        }
    }
    let (val, best_epoch, flat) = best.expect("at least one epoch");
    let net = DigitClassifier::new(&mut Rng::new(0), device).with_flat(&flat);
    let (test_x, test_y) = split_pixels(data, Split::Test);
    let probs =
        futures_lite::future::block_on(net.probabilities(&test_x, device)).expect("a CPU readback");
    let test = accuracy(&probs, &test_y);
    let info = ClassifierInfo {
        architecture:
            "conv3x3(16) conv4x4/2(32) conv4x4/2(64) conv3x3/2(64) linear(1024->11: digits, not a digit), ReLU".into(),
        params: net.num_params(),
        epochs,
        best_epoch,
        seed,
        validation_accuracy: val,
        test_accuracy: test,
    };
    (net, info)
}
