//! Small tensors from literals and scalars back, for the native tests that check costs by hand.

use burn::tensor::{Device, Tensor, TensorData};

/// A `[rows, cols]` tensor of the given rows on `device`.
pub fn tensor(rows: &[&[f32]], device: &Device) -> Tensor<2> {
    let cols = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_data(TensorData::new(flat, [rows.len(), cols]), device)
}

/// The one number of a scalar cost.
pub fn scalar(t: Tensor<1>) -> f64 {
    t.into_data().as_slice::<f32>().unwrap()[0] as f64
}

/// log(1 + e^x), in f64: the costs' hand-computed values.
pub fn softplus(x: f64) -> f64 {
    (1.0 + x.exp()).ln()
}
