//! The small dense linear algebra the metrics need, in f64 on plain slices (row-major): means
//! and covariances of feature rows, the symmetric eigendecomposition (cyclic Jacobi) behind
//! FID's matrix square root, and a Cholesky solve for the two-sample test's Newton steps. Feature widths are small (64), so O(d³) is cheap in the page.

/// Column means of `rows` (`n` rows of width `d`, f32) in f64.
pub fn mean(rows: &[f32], d: usize) -> Vec<f64> {
    let n = rows.len() / d;
    let mut mu = vec![0.0; d];
    for row in rows.chunks_exact(d) {
        for (m, &v) in mu.iter_mut().zip(row) {
            *m += v as f64;
        }
    }
    mu.iter_mut().for_each(|m| *m /= n as f64);
    mu
}

/// Mean and covariance (`d * d`, divided by N - 1 as `numpy.cov` does) of `rows`.
pub fn mean_cov(rows: &[f32], d: usize) -> (Vec<f64>, Vec<f64>) {
    let n = rows.len() / d;
    let mu = mean(rows, d);
    let mut cov = vec![0.0; d * d];
    let mut centred = vec![0.0; d];
    for row in rows.chunks_exact(d) {
        for ((c, &v), m) in centred.iter_mut().zip(row).zip(&mu) {
            *c = v as f64 - m;
        }
        for i in 0..d {
            let ci = centred[i];
            let out = &mut cov[i * d..i * d + d];
            for (o, &cj) in out[i..].iter_mut().zip(&centred[i..]) {
                *o += ci * cj;
            }
        }
    }
    let div = (n as f64 - 1.0).max(1.0);
    for i in 0..d {
        for j in i..d {
            let v = cov[i * d + j] / div;
            cov[i * d + j] = v;
            cov[j * d + i] = v;
        }
    }
    (mu, cov)
}

/// `a * b` for square `d * d` matrices.
pub fn matmul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut out = vec![0.0; d * d];
    for i in 0..d {
        for k in 0..d {
            let aik = a[i * d + k];
            if aik == 0.0 {
                continue;
            }
            let (row, bk) = (&mut out[i * d..i * d + d], &b[k * d..k * d + d]);
            for (o, &v) in row.iter_mut().zip(bk) {
                *o += aik * v;
            }
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns of the returned `d * d` matrix) of the symmetric
/// matrix `a`, by cyclic Jacobi rotations until the off-diagonal mass is below 1e-22 of the
/// total (at most 100 sweeps).
pub fn eigh(a: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; d * d];
    (0..d).for_each(|i| v[i * d + i] = 1.0);
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * d + j] * a[i * d + j])
            .sum();
        if off.is_nan() || off <= 1e-22 * total {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

/// The symmetric positive semi-definite square root of `a` (negative eigenvalues, rounding
/// noise, taken as 0).
pub fn sqrt_psd(a: &[f64], d: usize) -> Vec<f64> {
    let (w, v) = eigh(a, d);
    let mut out = vec![0.0; d * d];
    for (k, &lambda) in w.iter().enumerate() {
        let s = lambda.max(0.0).sqrt();
        if s == 0.0 {
            continue;
        }
        for i in 0..d {
            let vik = v[i * d + k] * s;
            for j in 0..d {
                out[i * d + j] += vik * v[j * d + k];
            }
        }
    }
    out
}

/// Σ f(aᵢ, bᵢ) in f32 with eight independent sums (the compiler makes SIMD lanes of them:
/// wasm's simd128 in the page), for the metrics' all-pairs loops.
#[inline(always)]
fn lanes(a: &[f32], b: &[f32], f: impl Fn(f32, f32) -> f32) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| f(*x, *y))
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += f(x[k], y[k]);
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `a · b` in f32 lanes.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    lanes(a, b, |x, y| x * y)
}

/// `|a − b|²` in f32 lanes.
pub fn sq_dist(a: &[f32], b: &[f32]) -> f32 {
    lanes(a, b, |x, y| (x - y) * (x - y))
}

/// The solution x of `a x = b` for a symmetric positive definite `a` (`d * d`), by Cholesky;
/// None when `a` is not positive definite.
pub fn solve_spd(a: &[f64], b: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let s = a[i * d + j] - (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum::<f64>();
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    let mut y = b.to_vec();
    for i in 0..d {
        y[i] = (y[i] - (0..i).map(|k| l[i * d + k] * y[k]).sum::<f64>()) / l[i * d + i];
    }
    for i in (0..d).rev() {
        y[i] = (y[i] - (i + 1..d).map(|k| l[k * d + i] * y[k]).sum::<f64>()) / l[i * d + i];
    }
    Some(y)
}
