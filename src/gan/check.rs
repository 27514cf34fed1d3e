//! The range checks every config uses, each refusing with the key's name, the value and the
//! allowed range in words (`GanError::OutOfRange`), so that the page, a link and the command
//! line say the same thing about the same bad value.

use crate::error::GanError;

/// `v` must lie in `lo..=hi`.
pub fn check_usize(
    key: &'static str,
    v: usize,
    lo: usize,
    hi: usize,
    allowed: &'static str,
) -> Result<(), GanError> {
    if v < lo || v > hi {
        return Err(GanError::OutOfRange {
            key,
            value: v.to_string(),
            allowed,
        });
    }
    Ok(())
}

/// `v` must lie in `lo..=hi`; NaN never does.
pub fn check_f64(
    key: &'static str,
    v: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<(), GanError> {
    // `!(lo..=hi).contains` is also true for NaN, which is what we want.
    if !(lo..=hi).contains(&v) {
        return Err(GanError::OutOfRange {
            key,
            value: v.to_string(),
            allowed,
        });
    }
    Ok(())
}

/// Checks `lrHalfLife` (0, constant, to a million steps).
pub fn check_half_life(half_life: usize) -> Result<(), GanError> {
    check_usize(
        "lrHalfLife",
        half_life,
        0,
        1_000_000,
        "0 (constant) to 1000000",
    )
}

/// Seeds travel through JavaScript numbers: above 2^53 they would silently change.
pub fn check_seed(seed: u64) -> Result<(), GanError> {
    if seed >= (1u64 << 53) {
        return Err(GanError::OutOfRange {
            key: "seed",
            value: seed.to_string(),
            allowed: "0 to 2^53 - 1 (9007199254740991)",
        });
    }
    Ok(())
}

/// The learning rates and Adam's decays every run has, checked alike for every family.
pub fn check_rates(
    lr_d: f64,
    lr_g: f64,
    half_life: usize,
    beta1: f64,
    beta2: f64,
) -> Result<(), GanError> {
    check_f64("lrG", lr_g, 1e-7, 1.0, "1e-7 to 1")?;
    check_f64("lrD", lr_d, 1e-7, 1.0, "1e-7 to 1")?;
    check_half_life(half_life)?;
    check_f64("beta1", beta1, 0.0, 0.9999, "0 to 0.9999")?;
    check_f64("beta2", beta2, 0.0, 0.99999, "0 to 0.99999")
}
