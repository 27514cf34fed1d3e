//! The 2-D playground: GANs on points in the plane, where every quantity of the theory can be
//! computed and drawn. [`config`] (every setting), [`train`] (Algorithm 1, stepwise, and the
//! saved run), [`views`] (what the plane shows), [`probe`] (the loss lab's gradient probe),
//! [`theory`] (D*, V(G, D*), the JSD and the mode metrics, at one step) and [`metrics`] (their
//! arithmetic, in f64 on the host).
//!
//! A family: it imports the shared kernel (`gan`, `nn`, `data`), never another family.

pub mod config;
pub mod metrics;
pub mod probe;
pub mod theory;
pub mod train;
pub mod views;

pub use config::Toy2dConfig;
pub use probe::{ProbeStats, probe_generator};
pub use theory::TheoryStats;
pub use train::{LIVE_KEYS, Phase, Toy2dTrainer};
