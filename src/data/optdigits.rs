//! The UCI optical-recognition digits (Alpaydin and Kaynak, 1998; 1,797 digits bundled with
//! scikit-learn): `assets/optdigits.bin`, made at set-up time by
//! `scripts/lib/optdigits-asset.mjs` from scikit-learn's wheel. CycleGAN's second domain: the
//! same ten digits in another style (8 x 8 blocks of 17 grey levels, filling their box, where
//! MNIST's are smooth anti-aliased strokes in a 20 x 20 box).
//!
//! Layout: magic `UCIDIGS` + version 1; u32 LE n; n labels; n split bytes (0 train, 1 validation, 2 test);
//! n x 64 grey levels (row-major 8 x 8, 0-16). Within each class, in the file's order, the
//! last 20 % are test and the 10 % before them validation.
//!
//! Each digit is brought to 28 x 28 as [`Mnist`] holds them: every cell becomes a 3 x 3 block
//! (24 x 24), centred with a 2-pixel margin, and level v becomes round(255 v / 16).

use crate::data::mnist::{Mnist, PIXELS};
use crate::error::GanError;

/// Cells per side of a UCI digit.
pub const CELLS: usize = 8;
/// Pixels per side of a cell at 28 x 28.
const BLOCK: usize = 3;
/// The margin around the 24 x 24 digit.
const MARGIN: usize = 2;

/// One 8 x 8 digit (levels 0-16, row-major) as 784 pixels 0-255.
pub fn upscale(cells: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; PIXELS];
    for r in 0..28 {
        for c in 0..28 {
            let (y, x) = (r as isize - MARGIN as isize, c as isize - MARGIN as isize);
            let inside = 0..(CELLS * BLOCK) as isize;
            if inside.contains(&y) && inside.contains(&x) {
                let v = cells[(y as usize / BLOCK) * CELLS + x as usize / BLOCK] as u32;
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
