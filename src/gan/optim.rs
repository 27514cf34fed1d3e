//! The optimisers of every trainer: Adam and plain SGD over a module's parameters, with the
//! state held here, as tensors the engine can read back asynchronously.
//!
//! burn's `ModuleOptimizer` keeps its moments private and serialises them with a synchronous
//! read, which panics on WebGPU in a browser; with the state here, a run saves (and a lost GPU's
//! run continues on the CPU) on every backend. The arithmetic is burn's Adam's, operation for
//! operation (`burn-optim` 0.22, `AdaptiveMomentum::transform`), so training is unchanged.

use std::collections::BTreeMap;

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// The optimiser of one network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OptimizerKind {
    /// Adam (Kingma & Ba, 2015) with `beta1`, `beta2`.
    Adam,
    /// Plain stochastic gradient descent.
    Sgd,
}

/// One parameter's Adam moments, flat.
#[derive(Clone)]
struct Moments {
    /// Updates applied so far (the bias corrections' exponent).
    time: u32,
    m: Tensor<1>,
    v: Tensor<1>,
}

/// Adam (β₁, β₂, ε) or SGD without momentum, for one network.
#[derive(Clone)]
pub struct Optimizer {
    kind: OptimizerKind,
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    /// Adam's state by parameter id (empty for SGD, and before the first step).
    moments: BTreeMap<u64, Moments>,
}

/// What a saved run records of an optimiser beside its tensors: which parameters have moments,
/// their step counts and lengths, in the order of the saved floats (m then v, per parameter).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptimizerState {
    /// (parameter id, time, length) per parameter with moments, in the order of the floats.
    pub params: Vec<(u64, u32, usize)>,
}

impl OptimizerState {
    /// The number of floats the state's moments take in a saved run (`usize::MAX` for a state
    /// no file can hold: sizes read from a file never wrap around, on wasm32 either).
    pub fn floats(&self) -> usize {
        self.params
            .iter()
            .try_fold(0usize, |a, &(_, _, n)| n.checked_mul(2)?.checked_add(a))
            .unwrap_or(usize::MAX)
    }
}

impl Optimizer {
    /// Adam with the given β₁ and β₂ and ε = 1e-8.
    pub fn adam(beta1: f64, beta2: f64) -> Self {
        Self {
            kind: OptimizerKind::Adam,
            beta1: beta1 as f32,
            beta2: beta2 as f32,
            epsilon: 1e-8,
            moments: BTreeMap::new(),
        }
    }

    /// Plain stochastic gradient descent: θ ← θ − lr ∇.
    pub fn sgd() -> Self {
        Self {
            kind: OptimizerKind::Sgd,
            ..Self::adam(0.9, 0.999)
        }
    }

    /// `kind` with the config's betas.
    pub fn new(kind: OptimizerKind, beta1: f64, beta2: f64) -> Self {
        match kind {
            OptimizerKind::Adam => Self::adam(beta1, beta2),
            OptimizerKind::Sgd => Self::sgd(),
        }
    }

    /// Which optimiser this is.
    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    /// Adam's decays from the next update on; the moments gathered so far are kept (they
    /// stay valid estimates, only their memory changes). No effect on SGD.
    pub fn set_betas(&mut self, beta1: f64, beta2: f64) {
        if self.kind == OptimizerKind::Adam {
            (self.beta1, self.beta2) = (beta1 as f32, beta2 as f32);
        }
    }

    /// One update of every parameter of `module` that has a gradient in `grads`.
    pub fn step<M: Module>(&mut self, lr: f64, module: M, mut grads: GradientsParams) -> M {
        module.map(&mut Update {
            opt: self,
            grads: &mut grads,
            lr,
        })
    }

    /// The state's description and its moments as one flat tensor (m then v per parameter, by
    /// increasing id), on the device; None when there are no moments (SGD, or no step yet).
    pub fn state(&self) -> (OptimizerState, Option<Tensor<1>>) {
        let params = self
            .moments
            .iter()
            .map(|(&id, s)| (id, s.time, s.m.dims()[0]))
            .collect();
        let tensors: Vec<Tensor<1>> = self
            .moments
            .values()
            .flat_map(|s| [s.m.clone(), s.v.clone()])
            .collect();
        let flat = (!tensors.is_empty()).then(|| Tensor::cat(tensors, 0));
        (OptimizerState { params }, flat)
    }

    /// Puts back a state read from a saved run: `floats` are its moments, as [`Self::state`]
    /// wrote them. Refuses (with a message) a state whose sizes do not add up, or which names
    /// a parameter that `ids` (the network's parameter ids and lengths) does not have, or with
    /// another length.
    pub fn restore(
        &mut self,
        state: &OptimizerState,
        floats: &[f32],
        ids: &[(u64, usize)],
        device: &Device,
    ) -> Result<(), String> {
        if state.floats() != floats.len() {
            return Err(format!(
                "its optimiser state has {} values where its header lists {}",
                floats.len(),
                state.floats()
            ));
        }
        if self.kind == OptimizerKind::Sgd && !state.params.is_empty() {
            return Err("it holds Adam moments for an SGD optimiser".into());
        }
        let known: BTreeMap<u64, usize> = ids.iter().copied().collect();
        let mut moments = BTreeMap::new();
        let mut at = 0;
        for &(id, time, n) in &state.params {
            if known.get(&id) != Some(&n) {
                return Err(format!(
                    "its optimiser state names parameter {id} of {n} values, which the network does not have"
                ));
            }
            if moments.contains_key(&id) || floats.len() - at < 2 * n {
                return Err(format!(
                    "its optimiser state lists parameter {id} twice or past its values"
                ));
            }
            let tensor =
                |s: &[f32]| Tensor::<1>::from_data(TensorData::new(s.to_vec(), [n]), device);
            moments.insert(
                id,
                Moments {
                    time,
                    m: tensor(&floats[at..at + n]),
                    v: tensor(&floats[at + n..at + 2 * n]),
                },
            );
            at += 2 * n;
        }
        self.moments = moments;
        Ok(())
    }
}

/// The update as a module map: each parameter with a gradient takes one step.
struct Update<'a> {
    opt: &'a mut Optimizer,
    grads: &'a mut GradientsParams,
    lr: f64,
}

impl ModuleMapper for Update<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let require_grad = tensor.is_require_grad();
        let x = tensor.inner();
        let delta = match self.opt.kind {
            OptimizerKind::Sgd => grad,
            OptimizerKind::Adam => self.opt.adam_direction(id.val(), grad),
        };
        let mut updated = Tensor::from_inner(x - delta.mul_scalar(self.lr));
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

impl Optimizer {
    /// Adam's bias-corrected direction m̂ / (√v̂ + ε) for one parameter, updating its moments;
    /// burn's arithmetic (`AdaptiveMomentum::transform`, without amsgrad).
    fn adam_direction<const D: usize>(&mut self, id: u64, grad: Tensor<D>) -> Tensor<D> {
        let dims = grad.dims();
        let n = dims.iter().product::<usize>();
        let (b1, b2) = (self.beta1, self.beta2);
        let state = match self.moments.remove(&id) {
            Some(s) => {
                let m = s.m.reshape(dims);
                let v = s.v.reshape(dims);
                Moments {
                    time: s.time + 1,
                    m: m.mul_scalar(b1)
                        .add(grad.clone().mul_scalar(1.0 - b1))
                        .reshape([n]),
                    v: v.mul_scalar(b2)
                        .add(grad.square().mul_scalar(1.0 - b2))
                        .reshape([n]),
                }
            }
            None => Moments {
                time: 1,
                m: grad.clone().mul_scalar(1.0 - b1).reshape([n]),
                v: grad.square().mul_scalar(1.0 - b2).reshape([n]),
            },
        };
        let time = state.time as i32;
        let bias_correction2_sqrt = (1.0 - b2.powi(time)).sqrt();
        let combined_factor = bias_correction2_sqrt / (1.0 - b1.powi(time));
        let m: Tensor<D> = state.m.clone().reshape(dims);
        let v: Tensor<D> = state.v.clone().reshape(dims);
        let direction = m
            .mul_scalar(combined_factor)
            .div(v.sqrt().add_scalar(self.epsilon * bias_correction2_sqrt));
        self.moments.insert(id, state);
        direction
    }
}

/// What a saved run reads back: `networks` (the networks' floats) then the moments of `g` and of
/// `d`, as one tensor, and the two optimisers' layouts for the header.
pub fn run_state(
    mut networks: Vec<Tensor<1>>,
    g: &Optimizer,
    d: &Optimizer,
) -> (Tensor<1>, OptimizerState, OptimizerState) {
    let (opt_g, g_moments) = g.state();
    let (opt_d, d_moments) = d.state();
    networks.extend(g_moments);
    networks.extend(d_moments);
    (Tensor::cat(networks, 0), opt_g, opt_d)
}

impl OptimizerState {
    /// The same state for a network whose float tensors (visiting order) have the ids `to`
    /// where the saved one had `from`: a loaded network's parameters have fresh ids.
    pub fn renamed(&self, from: &[u64], to: &[u64]) -> Result<Self, String> {
        let map: BTreeMap<u64, u64> = from.iter().copied().zip(to.iter().copied()).collect();
        // The floats keep the saved order; restore() reads them in the order listed.
        let params = self
            .params
            .iter()
            .map(|&(id, time, n)| {
                map.get(&id).map(|&new| (new, time, n)).ok_or_else(|| {
                    format!(
                        "its optimiser state names parameter {id}, which the network does not have"
                    )
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self { params })
    }
}
