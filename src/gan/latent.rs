//! Latents: the prior p_z they are drawn from, a one-hot code appended to z (InfoGAN's
//! categories; later a class label), truncation, and paths through latent space: straight-line
//! and spherical interpolation between latent vectors and the plane that three anchors span
//! (the page's drawing pad).
//!
//! Everything here is host arithmetic on flat `f32` vectors drawn from the engine's RNG: the
//! latents are small (z_dim x a few dozen), one seed gives the same latents on every backend,
//! and keeping them off the device lets the page draw a path without a readback.

use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::error::GanError;
use crate::gan::rng::Rng;

/// The noise prior p_z the generator's input is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Prior {
    /// Standard normal in every dimension.
    Gaussian,
    /// Uniform on [-1, 1] in every dimension.
    Uniform,
}

impl Prior {
    /// One draw from the prior.
    pub fn draw(self, rng: &mut Rng) -> f32 {
        match self {
            Prior::Gaussian => rng.normal() as f32,
            Prior::Uniform => rng.uniform_in(-1.0, 1.0) as f32,
        }
    }

    /// Half-width of a latent plane shown whole: all of the uniform prior's support, the
    /// central 99 % per axis of the Gaussian's.
    pub fn reach(self) -> f64 {
        match self {
            Prior::Uniform => 1.0,
            Prior::Gaussian => 2.5,
        }
    }
}

/// `n` latents, flat `[n * z_dim]`: each z_dim - codes components from `prior`, then (if
/// `codes` > 0) a one-hot category of `codes`, drawn uniformly.
pub fn draw_latents(prior: Prior, z_dim: usize, codes: usize, n: usize, rng: &mut Rng) -> Vec<f32> {
    let mut out = Vec::with_capacity(n * z_dim);
    for _ in 0..n {
        for _ in 0..z_dim - codes {
            out.push(prior.draw(rng));
        }
        if codes > 0 {
            let k = rng.below(codes);
            out.extend((0..codes).map(|j| if j == k { 1.0 } else { 0.0 }));
        }
    }
    out
}

/// [`draw_latents`] as a tensor `[n, z_dim]` on `device`.
pub fn latent_batch(
    prior: Prior,
    z_dim: usize,
    codes: usize,
    n: usize,
    rng: &mut Rng,
    device: &Device,
) -> Tensor<2> {
    let z = draw_latents(prior, z_dim, codes, n, rng);
    Tensor::from_data(TensorData::new(z, [n, z_dim]), device)
}

/// The one-hot code in the last `codes` columns of the latents `z` (`[batch, z_dim]`).
pub fn code_part(z: Tensor<2>, codes: usize) -> Tensor<2> {
    let [b, d] = z.dims();
    z.slice([0..b, d - codes..d])
}

/// How the pad's points (and a filmstrip between two anchors) are turned into latents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Interpolation {
    /// Straight lines: (1 - t) a + t b.
    Lerp,
    /// Along the great circle between the anchors (Shoemake's slerp), the norm interpolated
    /// linearly: what a Gaussian prior's samples look like, since they concentrate near the
    /// sphere of radius sqrt(z_dim) and a straight line between two of them cuts inside it.
    Slerp,
}

impl Interpolation {
    /// Parses "lerp" or "slerp".
    pub fn parse(name: &str) -> Result<Self, GanError> {
        match name {
            "lerp" => Ok(Self::Lerp),
            "slerp" => Ok(Self::Slerp),
            other => Err(GanError::Config(format!(
                "unknown interpolation `{other}`; expected lerp or slerp"
            ))),
        }
    }
}

fn norm(v: &[f32]) -> f64 {
    v.iter()
        .map(|&x| (x as f64) * (x as f64))
        .sum::<f64>()
        .sqrt()
}

/// (1 - t) a + t b; `a` itself at t = 0 and `b` at t = 1, exactly.
pub fn lerp(a: &[f32], b: &[f32], t: f64) -> Vec<f32> {
    if t == 0.0 {
        return a.to_vec();
    }
    if t == 1.0 {
        return b.to_vec();
    }
    a.iter()
        .zip(b)
        .map(|(&x, &y)| ((1.0 - t) * x as f64 + t * y as f64) as f32)
        .collect()
}

/// Spherical interpolation (Shoemake, 1985): sin((1 - t) w) / sin w * a + sin(t w) / sin w * b
/// for the angle w between `a` and `b`. Keeps the norm when |a| = |b|; `a` at t = 0 and `b` at
/// t = 1, exactly. Falls back to `lerp` for (nearly) parallel vectors, where it is the same
/// curve, and for a zero vector, where the angle is undefined.
pub fn slerp(a: &[f32], b: &[f32], t: f64) -> Vec<f32> {
    if t == 0.0 {
        return a.to_vec();
    }
    if t == 1.0 {
        return b.to_vec();
    }
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        return lerp(a, b, t);
    }
    let dot: f64 = a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum();
    let omega = (dot / (na * nb)).clamp(-1.0, 1.0).acos();
    let s = omega.sin();
    if s < 1e-6 {
        return lerp(a, b, t);
    }
    let (wa, wb) = (((1.0 - t) * omega).sin() / s, (t * omega).sin() / s);
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (wa * x as f64 + wb * y as f64) as f32)
        .collect()
}

/// `frames` latents from `a` to `b` inclusive (t = i / (frames - 1)).
pub fn filmstrip(a: &[f32], b: &[f32], frames: usize, mode: Interpolation) -> Vec<Vec<f32>> {
    (0..frames)
        .map(|i| {
            let t = if frames < 2 {
                0.0
            } else {
                i as f64 / (frames - 1) as f64
            };
            match mode {
                Interpolation::Lerp => lerp(a, b, t),
                Interpolation::Slerp => slerp(a, b, t),
            }
        })
        .collect()
}

/// Where the pad draws its three anchors, in pad coordinates ([0, 1]^2, y down): A at the
/// left, B at the right, C at the top, an equilateral-looking triangle.
pub const PAD_ANCHORS: [[f64; 2]; 3] = [[0.15, 0.75], [0.85, 0.75], [0.5, 0.15]];

/// Barycentric coordinates of pad point `p` with respect to [`PAD_ANCHORS`]; outside the
/// triangle one of them is negative (the plane goes on beyond its anchors).
pub fn barycentric(p: [f64; 2]) -> [f64; 3] {
    let [a, b, c] = PAD_ANCHORS;
    let det = (b[1] - c[1]) * (a[0] - c[0]) + (c[0] - b[0]) * (a[1] - c[1]);
    let wa = ((b[1] - c[1]) * (p[0] - c[0]) + (c[0] - b[0]) * (p[1] - c[1])) / det;
    let wb = ((c[1] - a[1]) * (p[0] - c[0]) + (a[0] - c[0]) * (p[1] - c[1])) / det;
    [wa, wb, 1.0 - wa - wb]
}

/// The latent at pad point `p` on the plane through `anchors` (three latents of one size).
/// Lerp: sum_i w_i z_i for `p`'s barycentric weights w. Slerp: that point's direction with the
/// norm sum_i w_i |z_i|, so that between two anchors the path follows slerp's great circle and
/// with anchors of equal norm every point stays on their sphere. An anchor's own pad point
/// gives the anchor exactly.
pub fn plane_point(anchors: [&[f32]; 3], p: [f64; 2], mode: Interpolation) -> Vec<f32> {
    if let Some(i) = PAD_ANCHORS.iter().position(|&q| q == p) {
        return anchors[i].to_vec();
    }
    let w = barycentric(p);
    let mut z: Vec<f64> = vec![0.0; anchors[0].len()];
    for (wi, a) in w.iter().zip(anchors) {
        for (zj, &aj) in z.iter_mut().zip(a) {
            *zj += wi * aj as f64;
        }
    }
    if mode == Interpolation::Slerp {
        let target: f64 = w.iter().zip(anchors).map(|(wi, a)| wi * norm(a)).sum();
        let n = z.iter().map(|x| x * x).sum::<f64>().sqrt();
        if n > 1e-12 {
            z.iter_mut().for_each(|x| *x *= target.max(0.0) / n);
        }
    }
    z.into_iter().map(|x| x as f32).collect()
}

/// The latents of a drawn path: one per pad point, flat `[points.len() * z_dim]`. For a
/// 2-D latent space the pad is the latent plane itself, spanning [-reach, reach]^2 (y up);
/// otherwise it is the plane of `anchors` (`plane_point`).
pub fn path_latents(
    anchors: [&[f32]; 3],
    points: &[[f64; 2]],
    mode: Interpolation,
    reach: f64,
) -> Vec<f32> {
    let z_dim = anchors[0].len();
    let mut out = Vec::with_capacity(points.len() * z_dim);
    for &p in points {
        if z_dim == 2 {
            out.push(((2.0 * p[0] - 1.0) * reach) as f32);
            out.push(((1.0 - 2.0 * p[1]) * reach) as f32);
        } else {
            out.extend(plane_point(anchors, p, mode));
        }
    }
    out
}

/// The smallest truncation threshold: a standard normal lands within 0.05 of 0 about once in
/// 25 draws.
pub const MIN_TRUNCATION: f64 = 0.05;

/// The truncation trick (Brock et al., 2019, BigGAN): every component of `z` whose magnitude
/// exceeds `threshold` is redrawn from the prior until it does not. A smaller threshold keeps
/// the latents near the prior's centre: more typical, less varied samples. A uniform prior on
/// [-1, 1] is untouched by a threshold of 1 or more. Thresholds under [`MIN_TRUNCATION`] are
/// refused (each redraw would succeed too rarely).
pub fn truncate(
    z: &mut [f32],
    threshold: f64,
    prior: Prior,
    rng: &mut Rng,
) -> Result<(), GanError> {
    if threshold.is_nan() || threshold < MIN_TRUNCATION {
        return Err(GanError::OutOfRange {
            key: "truncation",
            value: threshold.to_string(),
            allowed: "0.05 or more (or none)",
        });
    }
    let t = threshold as f32;
    for x in z.iter_mut() {
        while x.abs() > t {
            *x = prior.draw(rng);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barycentric_of_the_anchors_is_a_unit_vector() {
        for (i, &p) in PAD_ANCHORS.iter().enumerate() {
            let w = barycentric(p);
            for (j, wj) in w.iter().enumerate() {
                assert!((wj - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12, "{w:?}");
            }
        }
    }
}
