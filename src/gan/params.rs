//! The one flat-parameter visitor: every float tensor of a module (parameters and batch-norm
//! statistics) in visiting order, as one flat tensor, and back; their ids and sizes (what an
//! optimiser's saved state is keyed by); and the moving-average blend of one module towards
//! another. Saving a run, loading it, the classifier's file and G's moving average all use
//! these, for every network of every family.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

/// Every float tensor of a module, flattened, in visiting order.
struct Collect(Vec<Tensor<1>>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
        self.0.push(p.val().flatten::<1>(0, D - 1));
    }
}

/// Every float tensor of `m` (parameters and batch-norm statistics) as one flat tensor, on
/// its device (read it back asynchronously).
pub fn flat_floats<M: Module>(m: &M) -> Tensor<1> {
    Tensor::cat(float_tensors(m), 0)
}

/// Every float tensor of `m`, each flattened, in visiting order.
pub fn float_tensors<M: Module>(m: &M) -> Vec<Tensor<1>> {
    let mut c = Collect(Vec::new());
    m.visit(&mut c);
    c.0
}

/// Sets every float tensor of a module from `floats` (visiting order, the layout of
/// [`flat_floats`]), keeping ids and whether each takes gradients.
struct Assign<'a> {
    floats: &'a [f32],
}

impl ModuleMapper for Assign<'_> {
    fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, t, mapper) = p.consume();
        let dims = t.dims();
        let n = dims.iter().product::<usize>();
        let (now, rest) = self.floats.split_at(n);
        self.floats = rest;
        let mut v = Tensor::<D>::from_data(TensorData::new(now.to_vec(), dims), &t.device());
        if t.is_require_grad() {
            v = v.require_grad();
        }
        Param::from_mapped_value(id, v, mapper)
    }
}

/// `m` with its float tensors taken from `floats` (the layout of [`flat_floats`]; the caller
/// has checked the length against [`param_sizes`]).
pub fn assign<M: Module>(m: M, floats: &[f32]) -> M {
    m.map(&mut Assign { floats })
}

/// Every float tensor's id and length in `module` (parameters, and batch-norm statistics where
/// the module has them), the layout an optimiser's saved state is checked against.
pub fn param_sizes<M: Module>(module: &M) -> Vec<(u64, usize)> {
    struct Sizes(Vec<(u64, usize)>);
    impl ModuleVisitor for Sizes {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            self.0.push((p.id.val(), p.shape().num_elements()));
        }
    }
    let mut sizes = Sizes(Vec::new());
    module.visit(&mut sizes);
    sizes.0
}

/// The ids of `param_sizes`' entries.
pub fn ids(sizes: &[(u64, usize)]) -> Vec<u64> {
    sizes.iter().map(|p| p.0).collect()
}

/// Moves each float tensor of a module towards the next of `src` (same visiting order):
/// t <- decay t + (1 - decay) s.
struct Blend {
    src: std::vec::IntoIter<Tensor<1>>,
    decay: f64,
}

impl ModuleMapper for Blend {
    fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let t = p.val();
        let s = self
            .src
            .next()
            .expect("the average has the module's structure");
        let blended =
            t.clone().mul_scalar(self.decay) + s.reshape(t.dims()).mul_scalar(1.0 - self.decay);
        Param::from_tensor(blended)
    }
}

/// One step of an exponential moving average: `average` moved towards `current` (a module of
/// the same structure), each float tensor becoming decay * average + (1 - decay) * current.
pub fn blend<M: Module>(average: M, current: &M, decay: f64) -> M {
    average.map(&mut Blend {
        src: float_tensors(current).into_iter(),
        decay,
    })
}

/// The moving average `average` one step on: `current` itself when there is none yet, else
/// [`blend`]ed into it with `decay`.
pub fn step_average<M: Module>(average: Option<M>, current: M, decay: f64) -> M {
    match average {
        Some(avg) => blend(avg, &current, decay),
        None => current,
    }
}
