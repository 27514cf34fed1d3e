//! The shipped MNIST asset, for the native tests that train or judge on digits.

use std::sync::Arc;

use gan_playground::data::Mnist;

/// assets/mnist.bin, parsed; panics with what to run when it is missing.
pub fn digits() -> Arc<Mnist> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/mnist.bin");
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run scripts/setup.sh to make it"));
    Arc::new(Mnist::parse(&bytes).unwrap())
}

/// assets/optdigits.bin (the UCI digits at 28 x 28), parsed; panics with what to run when it is
/// missing.
#[allow(dead_code)]
pub fn uci_digits() -> Arc<Mnist> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/optdigits.bin");
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run scripts/setup.sh to make it"));
    Arc::new(gan_playground::data::parse_optdigits(&bytes).unwrap())
}
