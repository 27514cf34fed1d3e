//! The native command's training of the digit classifier (`images classifier-train`): Adam
//! (batch 64; lr 1e-3, then 3e-4 after 60 % of the epochs and 1e-4 after 85 %) on digits
//! shifted by up to 2 pixels at random, with 8 synthetic non-digits per batch; the epoch with
//! the best validation accuracy is kept; the test split is scored once, at the end. It reads
//! losses and weights back synchronously, so it is native only.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData, activation};

use crate::data::{Mnist, PIXELS, Split};
use crate::eval::classifier::{CLASSES, ClassifierInfo, DigitClassifier, NOT_A_DIGIT, SIDE};
use crate::eval::share::accuracy;
use crate::gan::params::{assign, flat_floats};
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;

/// A synthetic non-digit: flat grey, pixel noise around a grey level, or smooth blobs.
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

/// Digit `img` shifted by (dx, dy) pixels, zeros filling in.
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
    let (train_x, train_y) = data.split_pixels(Split::Train);
    let (val_x, val_y) = data.split_pixels(Split::Validation);
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
            let flat = futures_lite::future::block_on(read_vec(flat_floats(&plain)))
                .expect("a CPU readback");
            best = Some((val, epoch, flat));
        }
    }
    let (val, best_epoch, flat) = best.expect("at least one epoch");
    let net = assign(DigitClassifier::new(&mut Rng::new(0), device), &flat);
    let (test_x, test_y) = data.split_pixels(Split::Test);
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
