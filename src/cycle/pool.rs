//! The history pool of past fakes (Shrivastava et al., 2017; CycleGAN's `ImagePool`): a
//! discriminator is shown, for each new fake, either that fake or, with probability 1/2 once
//! the pool is full, a past one it replaces, so that it cannot chase G's latest move alone.
//! The fakes stay on the device: only the coins are drawn here (from the run's RNG).

use burn::tensor::{Device, Tensor, TensorData};

use crate::data::PIXELS;
use crate::gan::rng::Rng;

/// Up to `size` past fakes, one row `[1, 784]` each.
#[derive(Clone)]
pub struct Pool {
    size: usize,
    images: Vec<Tensor<2>>,
}

impl Pool {
    /// An empty pool of `size` images (0: every query returns its input).
    pub fn new(size: usize) -> Self {
        Self {
            size,
            images: Vec::new(),
        }
    }

    /// Images held.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether the pool holds none.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// The batch a discriminator sees for `fakes` (`[n, 784]`, detached), image by image as
    /// the paper's code: while the pool is not full, each fake is kept and returned; then a
    /// coin (uniform > 0.5) returns a random kept image and keeps the fake in its place, or
    /// returns the fake itself.
    pub fn query(&mut self, fakes: Tensor<2>, rng: &mut Rng) -> Tensor<2> {
        if self.size == 0 {
            return fakes;
        }
        let n = fakes.dims()[0];
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let fake = fakes.clone().slice([i..i + 1, 0..PIXELS]);
            if self.images.len() < self.size {
                self.images.push(fake.clone());
                out.push(fake);
            } else if rng.uniform() > 0.5 {
                let j = rng.below(self.size);
                out.push(std::mem::replace(&mut self.images[j], fake));
            } else {
                out.push(fake);
            }
        }
        Tensor::cat(out, 0)
    }

    /// The pool's images, flat (for saving a run; empty pools give a length-0 tensor).
    pub fn floats(&self, device: &Device) -> Tensor<1> {
        if self.images.is_empty() {
            return Tensor::from_data(TensorData::new(Vec::<f32>::new(), [0]), device);
        }
        Tensor::cat(self.images.clone(), 0).reshape([self.images.len() * PIXELS])
    }

    /// A pool of `size` holding `floats` (784 per image, as [`Pool::floats`] wrote them).
    pub fn from_floats(size: usize, floats: &[f32], device: &Device) -> Self {
        let images = floats
            .chunks_exact(PIXELS)
            .map(|row| Tensor::from_data(TensorData::new(row.to_vec(), [1, PIXELS]), device))
            .collect();
        Self { size, images }
    }
}
