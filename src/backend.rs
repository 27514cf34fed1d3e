//! The compute backends a run can use, chosen at the edge (the page or the command line); the
//! engine itself only ever sees a `Device`.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::error::GanError;

/// A compute backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BackendKind {
    /// burn-flex: the pure-Rust CPU backend.
    Flex,
    /// burn-ndarray: the older pure-Rust CPU backend (deprecated upstream, kept while it is
    /// faster for some sizes; the benchmark says which).
    Ndarray,
    /// burn-wgpu on the browser's WebGPU (or, natively, on Vulkan/Metal).
    Webgpu,
}

impl BackendKind {
    /// The faster CPU backend, as measured by `scripts/bench/`: flex, natively and in wasm
    /// since burn's `simd` feature gave flex SIMD element-wise kernels (figures in
    /// docs/decisions.md).
    pub fn default_cpu() -> Self {
        BackendKind::Flex
    }

    /// Parses a backend name as the page and the CLI spell it ("cpu" is [`Self::default_cpu`]).
    pub fn parse(name: &str) -> Result<Self, GanError> {
        match name {
            "cpu" => Ok(Self::default_cpu()),
            "flex" => Ok(BackendKind::Flex),
            "ndarray" => Ok(BackendKind::Ndarray),
            "webgpu" | "wgpu" => Ok(BackendKind::Webgpu),
            other => Err(GanError::Backend(format!(
                "unknown backend `{other}`; expected one of cpu, flex, ndarray, webgpu"
            ))),
        }
    }

    /// Short name for status lines.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Flex => "cpu (flex)",
            BackendKind::Ndarray => "cpu (ndarray)",
            BackendKind::Webgpu => "webgpu",
        }
    }

    /// The device for a CPU backend. WebGPU needs an asynchronous start and is made elsewhere.
    pub fn cpu_device(self) -> Result<Device, GanError> {
        match self {
            BackendKind::Flex => Ok(Device::flex()),
            #[allow(deprecated)] // ndarray is benchmarked against flex on purpose
            BackendKind::Ndarray => Ok(Device::ndarray()),
            BackendKind::Webgpu => Err(GanError::Backend(
                "webgpu is not a CPU backend; it is started asynchronously".into(),
            )),
        }
    }
}

/// Natively: the device of any backend, WebGPU through wgpu's native adapter.
#[cfg(not(target_arch = "wasm32"))]
pub fn native_device(kind: BackendKind) -> Result<Device, GanError> {
    match kind {
        #[cfg(feature = "webgpu")]
        BackendKind::Webgpu => Device::wgpu_options()
            .init()
            .map_err(|e| GanError::Backend(format!("{e:?}"))),
        #[cfg(not(feature = "webgpu"))]
        BackendKind::Webgpu => Err(GanError::Backend(
            "this build has no WebGPU backend (build with --features webgpu)".into(),
        )),
        cpu => cpu.cpu_device(),
    }
}
