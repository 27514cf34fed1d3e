//! The UCI optical-recognition digits (Alpaydin and Kaynak, 1998; 1,797 digits bundled with
//! scikit-learn): `assets/optdigits.bin`, made at set-up time by
//! `scripts/lib/optdigits-asset.mjs` from scikit-learn's wheel. CycleGAN's second domain: the
//! same ten digits in another style (8 x 8 blocks of 17 grey levels, filling their box, where
//! MNIST's are smooth anti-aliased strokes in a 20 x 20 box).
//!
//! Layout: magic `UCIDIGS` + version 1; u32 LE n; n labels; n split bytes (0 train, 1 validation, 2 test);
//! n x 64 grey levels (row-major 8 x 8, 0-16). Within each class, in the file's order, every
//! fifth digit is test and every tenth from the second validation (interleaved: the file runs
//! writer by writer).
//!
//! Each digit is brought to 28 x 28 as [`Mnist`] holds them, framed as MNIST frames its digits
//! (both collections scaled each digit to a box: MNIST's to 20 x 20 inside 28 x 28, the UCI's
//! to 32 x 32 before the 8 x 8 count): the 8 x 8 cells fill the central 20 x 20 (a 4-pixel
//! margin), each cell a block of 2 or 3 pixels a side (nearest neighbour: pixel i of the box
//! takes cell floor(8 i / 20)), and level v becomes round(255 v / 16). What is left between the
//! collections is style: blocks of 17 grey levels against smooth strokes (with 24 x 24 blocks
//! of 3 the translation also had to rescale every digit, and G(a) kept a's digit for 57 % of
//! the MNIST test digits after 6,000 rounds, against 81 % the other way).

use crate::data::mnist::{Mnist, PIXELS};
use crate::error::GanError;

/// Cells per side of a UCI digit.
pub const CELLS: usize = 8;
/// Side of the box the digit fills at 28 x 28 (MNIST's).
const BOX: usize = 20;
/// The margin around the box.
const MARGIN: usize = (28 - BOX) / 2;

/// One 8 x 8 digit (levels 0-16, row-major) as 784 pixels 0-255.
pub fn upscale(cells: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; PIXELS];
    for r in 0..28 {
        for c in 0..28 {
            let (y, x) = (r as isize - MARGIN as isize, c as isize - MARGIN as isize);
            let inside = 0..BOX as isize;
            if inside.contains(&y) && inside.contains(&x) {
                let (cy, cx) = (y as usize * CELLS / BOX, x as usize * CELLS / BOX);
                let v = cells[cy * CELLS + cx] as u32;
                out[r * 28 + c] = ((255 * v + 8) / 16) as u8;
            }
        }
    }
    out
}

/// Reads the asset's bytes into a digit collection of MNIST's shape; refuses, with a message,
/// anything else.
pub fn parse_optdigits(bytes: &[u8]) -> Result<Mnist, GanError> {
    let bad = |m: String| GanError::Data(format!("UCI digits asset: {m}"));
    if bytes.len() < 12 || &bytes[..7] != b"UCIDIGS" {
        return Err(bad(
            "not the UCI digits asset (it does not start with UCIDIGS)".into(),
        ));
    }
    if bytes[7] != 1 {
        return Err(bad(format!("format version {}, expected 1", bytes[7])));
    }
    let n = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
    let want = n
        .checked_mul(2 + CELLS * CELLS)
        .and_then(|b| b.checked_add(12));
    if want != Some(bytes.len()) {
        return Err(bad(format!(
            "{} bytes do not hold the {n} digits it declares: truncated or corrupt",
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
    let cells = &bytes[12 + 2 * n..];
    if let Some(v) = cells.iter().find(|&&v| v > 16) {
        return Err(bad(format!("grey level {v} is past 16")));
    }
    let pixels = cells
        .chunks_exact(CELLS * CELLS)
        .flat_map(upscale)
        .collect();
    Ok(Mnist::from_parts(labels, split, pixels))
}

/// The domain task, for the classifier that tells the two collections apart: per split, every
/// digit of `b` labelled 1 and as many digits of `a` (every k-th, in order) labelled 0.
pub fn domain_set(a: &Mnist, b: &Mnist) -> Mnist {
    use crate::data::mnist::Split;
    let (mut labels, mut split, mut pixels) = (Vec::new(), Vec::new(), Vec::new());
    for (s, byte) in [
        (Split::Train, 0u8),
        (Split::Validation, 1),
        (Split::Test, 2),
    ] {
        let (ia, ib) = (a.indices(s), b.indices(s));
        let step = (ia.len() / ib.len().max(1)).max(1);
        let picked = ia.iter().step_by(step).take(ib.len());
        for (&i, label, from) in picked
            .map(|i| (i, 0u8, a))
            .chain(ib.iter().map(|i| (i, 1u8, b)))
        {
            labels.push(label);
            split.push(byte);
            pixels.extend_from_slice(from.image(i));
        }
    }
    Mnist::from_parts(labels, split, pixels)
}

/// The UCI preprocessing done by hand on a 28 x 28 digit (784 pixels in [0, 1]): inked where
/// above 1/2, its central 20 x 20 box cut into 8 x 8 cells of 2.5 pixels a side, each cell's
/// level 16 times its inked area (pixels split by a cell's edge count by the part inside),
/// rounded. A reference translation from MNIST's style into the UCI one, made without learning.
pub fn to_cells(pixels: &[f32]) -> [u8; CELLS * CELLS] {
    let mut out = [0u8; CELLS * CELLS];
    let cell = BOX as f64 / CELLS as f64;
    // The overlap of pixel [p, p + 1) with cell k's span [k * cell, (k + 1) * cell).
    let overlap = |p: usize, k: usize| {
        let (lo, hi) = (k as f64 * cell, (k + 1) as f64 * cell);
        ((p as f64 + 1.0).min(hi) - (p as f64).max(lo)).max(0.0)
    };
    for cy in 0..CELLS {
        for cx in 0..CELLS {
            let mut ink = 0.0;
            for y in 0..BOX {
                let wy = overlap(y, cy);
                if wy == 0.0 {
                    continue;
                }
                for x in 0..BOX {
                    let w = wy * overlap(x, cx);
                    if w > 0.0 && pixels[(y + MARGIN) * 28 + x + MARGIN] > 0.5 {
                        ink += w;
                    }
                }
            }
            out[cy * CELLS + cx] = (16.0 * ink / (cell * cell)).round() as u8;
        }
    }
    out
}

/// What the UCI digit classifier learns from: `b` as it is (its splits kept), and `a`'s training
/// digits put through the UCI preprocessing by hand ([`to_cells`]), as training digits. The UCI
/// digits are 13 people's writing: a classifier of them alone read MNIST's shapes in the UCI
/// style (the hand-made translation of the MNIST test digits) right for 59 %, so that it could
/// not tell whether a translation kept its digit; with MNIST's writers in the UCI style beside
/// them it can. Validation and test stay UCI digits only.
pub fn uci_reader_set(a: &Mnist, b: &Mnist) -> Mnist {
    use crate::data::mnist::Split;
    let (mut labels, mut split, mut pixels) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.len() {
        labels.push(b.label(i));
        split.push(b.split(i) as u8);
        pixels.extend_from_slice(b.image(i));
    }
    for i in a.indices(Split::Train) {
        let d: Vec<f32> = a.image(i).iter().map(|&p| p as f32 / 255.0).collect();
        labels.push(a.label(i));
        split.push(0);
        pixels.extend(upscale(&to_cells(&d)));
    }
    Mnist::from_parts(labels, split, pixels)
}
