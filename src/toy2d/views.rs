//! What the plane shows of a 2-D run, each read from fixed draws that never touch the training
//! stream (a run's losses must not depend on how often the page looked at it): generated
//! points, the generator's pull on each, G's manifold (a latent grid pushed through G), real
//! points, and D over a grid of the plane. Each is one asynchronous readback.

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};

use crate::data::toy2d::nearest;
use crate::error::GanError;
use crate::gan::latent::code_part;
use crate::gan::rng::Rng;
use crate::gan::run::read_vec;
use crate::toy2d::config::Toy2dConfig;
use crate::toy2d::train::{Toy2dTrainer, packed, replicated, with_labels};

/// Seed offsets of the fixed draws used for display.
pub(crate) const VIEW_NOISE_STREAM: u64 = 0x0005_EED0_FD15_u64;
const VIEW_DATA_STREAM: u64 = 0x000D_A7A0_FD15_u64;

impl Toy2dTrainer {
    /// `n` generated points, flat `[x0, y0, ...]`, always from the same fixed noise draws so
    /// that successive calls show the same fakes moving. Does not touch the training stream.
    pub fn generated(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = self.view_latents(&mut rng, n); // [n, z_dim (+ K)]
        let points = self.nets.g.valid().forward(z); // [n, 2]
        read_vec(points)
    }

    /// The generator's pull on its own samples: the same `n` fakes as `generated(n)`, each with
    /// the direction it would move under the generator's current cost, -d cost_G(D(x)) / d x
    /// (D fixed; the per-sample cost, so the arrows' lengths compare across samples and losses).
    /// With packing, a sample's arrow is the pull of its own pack's cost (packs of m
    /// consecutive samples, as in training). Flat `[x0, y0, u0, v0, x1, ...]`; one readback.
    pub fn generator_field(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let m = self.config.pack;
        // Whole packs: the first n of n_packed draws are the same n fakes as generated(n).
        let n_packed = n.div_ceil(m) * m;
        let mut rng = Rng::new(self.config.seed ^ VIEW_NOISE_STREAM);
        let z = self.view_latents(&mut rng, n_packed); // [n_packed, z_dim (+ K)]
        let k = self.config.classes();
        let label = (k > 0).then(|| code_part(z.clone(), k).autodiff());
        let fake = self.nets.g.valid().forward(z); // [n_packed, 2], plain
        let leaf = fake.clone().autodiff().require_grad();
        let fixed_d = self.nets.d.clone().no_grad();
        // The cost is a mean over packs: times their number, its gradient is each pack's own.
        let cost = self
            .config
            .loss
            .generator(fixed_d.forward(packed(with_labels(leaf.clone(), label), m)))
            .mul_scalar((n_packed / m) as f64);
        let grads = cost.backward();
        let g = leaf
            .grad(&grads)
            .unwrap_or_else(|| Tensor::zeros([n_packed, 2], &self.core.plain));
        read_vec(Tensor::cat(vec![fake, g.neg()], 1).narrow(0, 0, n)) // [n, 4]
    }

    /// The generator's manifold: G over a regular grid of the latent space, for drawing the
    /// latent plane's grid lines as G warps them (see [`latent_grid`]). A conditional run has
    /// one grid per label, label 0's first: K grids one after the other. Flat
    /// `[x0, y0, ...]`; one readback.
    pub fn manifold(
        &self,
        res: usize,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let z = latent_grid(&self.config, res);
        let rows = z.len() / self.config.z_dim;
        let z = Tensor::<2>::from_data(
            TensorData::new(z, [rows, self.config.z_dim]),
            &self.core.plain,
        );
        let k = self.config.classes();
        let z = if k == 0 {
            z
        } else {
            let grids = (0..k)
                .map(|c| with_labels(z.clone(), self.one_hot(&vec![c; rows])))
                .collect();
            Tensor::cat(grids, 0) // [K * rows, z_dim + K]
        };
        read_vec(self.nets.g.valid().forward(z))
    }

    /// `n` real points for display, the same ones on every call.
    pub fn real_samples(&self, n: usize) -> Vec<f32> {
        self.data
            .sample(&mut Rng::new(self.config.seed ^ VIEW_DATA_STREAM), n)
    }

    /// D evaluated on a `res` x `res` grid over the square of half-side `extent`, as the heatmap
    /// shows it (sigmoid of the logit, or the clamped LSGAN output). Row-major, first row at the
    /// top (y = +extent), first column at the left (x = -extent); cell centres are sampled. A
    /// packed D (pack = m > 1) judges m points at once: the map shows it a pack of m copies of
    /// each point, D(x, x, ..., x). A conditional D is asked about each point with the label
    /// of the component nearest to it, D(x | c(x)).
    pub fn discriminator_grid(
        &self,
        res: usize,
        extent: f64,
    ) -> impl Future<Output = Result<Vec<f32>, GanError>> + 'static {
        let pts = grid_points(res, extent);
        let labels = self.nearest_labels(&pts);
        let x = Tensor::<2>::from_data(TensorData::new(pts, [res * res, 2]), &self.core.plain);
        let x = with_labels(x, self.one_hot(&labels));
        let d = self.nets.d.valid().forward(replicated(x, self.config.pack)); // [res*res, 1]
        read_vec(self.config.loss.display(d))
    }

    /// The label of the component nearest to each of the flat points `pts` (a conditional
    /// run's label for a point of the plane); empty for an unconditional run.
    pub(crate) fn nearest_labels(&self, pts: &[f32]) -> Vec<usize> {
        if self.config.classes() == 0 {
            return Vec::new();
        }
        let centres = self.data.components();
        pts.chunks_exact(2)
            .map(|p| nearest(&centres, [p[0] as f64, p[1] as f64]))
            .collect()
    }
}

/// The centres of a `res` x `res` grid over the square of half-side `extent`, flat, row-major,
/// first row at the top (y = +extent), first column at the left (x = -extent).
pub fn grid_points(res: usize, extent: f64) -> Vec<f32> {
    let mut pts = Vec::with_capacity(2 * res * res);
    for row in 0..res {
        let y = extent - (row as f64 + 0.5) / res as f64 * 2.0 * extent;
        for col in 0..res {
            let x = -extent + (col as f64 + 0.5) / res as f64 * 2.0 * extent;
            pts.push(x as f32);
            pts.push(y as f32);
        }
    }
    pts
}

/// The latent grid of `Toy2dTrainer::manifold`, flat `[rows * z_dim]`: z_dim = 1: `res`
/// points along z in [-r, r]; z_dim >= 2: `res` x `res` points over (z0, z1) in [-r, r]^2,
/// row-major with z1 fixed along a row, the other coordinates 0. r = 1 for the uniform prior,
/// 2.5 for the Gaussian (its 99 % interval per axis).
pub fn latent_grid(config: &Toy2dConfig, res: usize) -> Vec<f32> {
    let r = config.prior.reach();
    let at = |i: usize| (-r + 2.0 * r * i as f64 / (res.max(2) - 1) as f64) as f32;
    let d = config.z_dim;
    if d == 1 {
        return (0..res).map(at).collect();
    }
    let mut z = vec![0.0f32; res * res * d];
    for row in 0..res {
        for col in 0..res {
            let k = (row * res + col) * d;
            z[k] = at(col);
            z[k + 1] = at(row);
        }
    }
    z
}
