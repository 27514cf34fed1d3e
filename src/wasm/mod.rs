//! The page's boundary: every `#[wasm_bindgen]` item lives under `src/wasm/`, one file per
//! handle family ([`toy2d`], [`image`], [`cycle`], [`stack`], [`eval`]). It converts arguments, calls the engine and
//! maps errors to `JsError`s with the engine's messages; no tensor math here.
//!
//! Configs cross as plain objects and results as plain objects, both through
//! `serde-wasm-bindgen`; bulk numbers (points, pixels, grids) as one `Float32Array`. Compute
//! (`train`) is synchronous; every read is a `Promise` whose future owns the tensors it reads,
//! so the page can keep stepping while a readback is in flight and never blocks on the GPU (a
//! synchronous readback panics on WebGPU in wasm).

/// The methods every training handle of the image-sized families shares, for a handle with
/// fields `trainer` (with `save`, `set_learning_rates`, `step_count`, `device`,
/// `parameter_counts` and `config`) and `backend`: `save`, `setLearningRates`, `stepCount`,
/// `memoryPool`, `parameterCounts` (`$counts` says what its two numbers are), `backend` and
/// `config`.
macro_rules! run_handle {
    ($handle:ty, $counts:literal) => {
        #[wasm_bindgen]
        impl $handle {
            /// Resolves to the run as one file (a Uint8Array: config, weights, optimiser state,
            /// step and RNG state), read back asynchronously on every backend.
            pub fn save(&self) -> Promise {
                $crate::wasm::promise_bytes(self.trainer.save())
            }

            /// Sets the learning rates from the next round on; throws with the key named if
            /// out of range.
            #[wasm_bindgen(js_name = setLearningRates)]
            pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
                self.trainer
                    .set_learning_rates(lr_d, lr_g)
                    .map_err($crate::wasm::js_err)
            }

            /// Rounds trained so far.
            #[wasm_bindgen(js_name = stepCount)]
            pub fn step_count(&self) -> f64 {
                self.trainer.step_count() as f64
            }

            /// What burn's allocator holds on the run's device: `{allocs, bytesInUse,
            /// bytesReserved}`, or null on the CPU backends.
            #[wasm_bindgen(js_name = memoryPool)]
            pub fn memory_pool(&self) -> JsValue {
                $crate::wasm::pool_object(self.trainer.device())
            }

            #[doc = $counts]
            #[wasm_bindgen(js_name = parameterCounts)]
            pub fn parameter_counts(&self) -> Vec<f64> {
                let (g, d) = self.trainer.parameter_counts();
                vec![g as f64, d as f64]
            }

            /// The backend this run trains on.
            pub fn backend(&self) -> String {
                self.backend.name().to_string()
            }

            /// The run's full config.
            pub fn config(&self) -> Result<JsValue, JsError> {
                $crate::wasm::json_object(&self.trainer.config().to_json())
            }
        }
    };
}

pub mod cycle;
pub mod eval;
pub mod image;
pub mod stack;
pub mod toy2d;

use std::cell::RefCell;

use burn::tensor::Device;
use js_sys::{Float32Array, Object, Promise, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::backend::BackendKind;
use crate::error::GanError;
use crate::gan::cost::Cost;

thread_local! {
    /// The WebGPU device, made once per page: burn's wgpu runtime cannot be set up twice.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

/// The engine's error as a JavaScript `Error` with its message.
pub(crate) fn js_err(e: GanError) -> JsError {
    JsError::new(&e.to_string())
}

/// Refuses `rounds` rounds of `cost` each over one call's budget (`gan::cost::CALL_FLOPS`):
/// `step(-1)` arrives as 4,294,967,295 rounds.
pub(crate) fn check_rounds(call: &str, rounds: u32, cost: Cost) -> Result<(), JsError> {
    Cost::check_call(&format!("{call}({rounds})"), rounds as f64, cost.flops).map_err(js_err)
}

fn js_value_err(e: GanError) -> JsValue {
    js_err(e).into()
}

/// A value as a plain JavaScript object (`null` for `None`, objects for maps, as JSON would).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, GanError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| GanError::Config(format!("could not build the result: {e}")))
}

/// The page's config object as a JSON value: None for `undefined` or `null` (the defaults).
/// Keys whose value is `undefined` are left out, as `JSON.stringify` leaves them out.
fn config_value(config: &JsValue) -> Result<Option<serde_json::Value>, GanError> {
    if config.is_undefined() || config.is_null() {
        return Ok(None);
    }
    if !config.is_object() || js_sys::Array::is_array(config) {
        return Err(GanError::Config("the config must be an object".into()));
    }
    let mut map = serde_json::Map::new();
    for entry in Object::entries(config.unchecked_ref()) {
        let pair: js_sys::Array = entry.unchecked_into();
        let value = pair.get(1);
        if value.is_undefined() {
            continue;
        }
        let key = pair.get(0).as_string().unwrap_or_default();
        let v = serde_wasm_bindgen::from_value(value)
            .map_err(|e| GanError::Config(format!("{key}: {e}")))?;
        map.insert(key, v);
    }
    Ok(Some(serde_json::Value::Object(map)))
}

/// The page's config object as a validated config: `parse` reads the JSON value (and checks
/// it), so the page and the command line refuse the same inputs with the same messages; no
/// object takes `defaults`.
pub(crate) fn parse_config<C>(
    config: &JsValue,
    parse: impl FnOnce(serde_json::Value) -> Result<C, GanError>,
    defaults: impl FnOnce() -> C,
) -> Result<C, GanError> {
    config_value(config)?.map_or_else(|| Ok(defaults()), parse)
}

/// A promise of `f`'s value as a plain object.
pub(crate) fn promise_of<T: Serialize + 'static>(
    f: impl Future<Output = Result<T, GanError>> + 'static,
) -> Promise {
    future_to_promise(async move {
        let v = f.await.map_err(js_value_err)?;
        to_js(&v).map_err(js_value_err)
    })
}

/// A promise of `f`'s numbers as one `Float32Array`.
pub(crate) fn promise_f32(
    f: impl Future<Output = Result<Vec<f32>, GanError>> + 'static,
) -> Promise {
    future_to_promise(async move {
        let v = f.await.map_err(js_value_err)?;
        Ok(Float32Array::from(v.as_slice()).into())
    })
}

/// A promise of `f`'s bytes (a saved file) as one `Uint8Array`.
pub(crate) fn promise_bytes(
    f: impl Future<Output = Result<Vec<u8>, GanError>> + 'static,
) -> Promise {
    future_to_promise(async move {
        let v = f.await.map_err(js_value_err)?;
        Ok(Uint8Array::from(v.as_slice()).into())
    })
}

/// A JSON string (a config the engine wrote) as a plain object.
pub(crate) fn json_object(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("could not serialise the config"))
}

/// The backend named by the page, and its device: the page's one WebGPU device, or a CPU one.
pub(crate) async fn device_of(backend: &str) -> Result<(BackendKind, Device), JsError> {
    let kind = BackendKind::parse(backend).map_err(js_err)?;
    let device = match kind {
        BackendKind::Webgpu => webgpu_device().await,
        cpu => cpu.cpu_device(),
    }
    .map_err(js_err)?;
    Ok((kind, device))
}

async fn webgpu_device() -> Result<Device, GanError> {
    if let Some(d) = WEBGPU.with(|w| w.borrow().clone()) {
        return Ok(d);
    }
    #[cfg(feature = "webgpu")]
    {
        let d = Device::wgpu_options()
            .init_async()
            .await
            .map_err(|e| GanError::Backend(format!("WebGPU could not start: {e:?}")))?;
        WEBGPU.with(|w| *w.borrow_mut() = Some(d.clone()));
        Ok(d)
    }
    #[cfg(not(feature = "webgpu"))]
    Err(GanError::Backend(
        "this build has no WebGPU backend; load the webgpu build of the engine".into(),
    ))
}

/// What the device's allocator holds: `{allocs, bytesInUse, bytesReserved}`, or null on a
/// backend that does not report it (the CPU ones).
pub(crate) fn pool_object(device: &Device) -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Pool {
        allocs: f64,
        bytes_in_use: f64,
        bytes_reserved: f64,
    }
    device
        .memory_pool_usage()
        .and_then(|u| {
            to_js(&Pool {
                allocs: u.number_allocs as f64,
                bytes_in_use: u.bytes_in_use as f64,
                bytes_reserved: u.bytes_reserved as f64,
            })
            .ok()
        })
        .unwrap_or(JsValue::NULL)
}

/// Whether this build of the engine contains the WebGPU backend.
#[wasm_bindgen(js_name = hasWebgpu)]
pub fn has_webgpu() -> bool {
    cfg!(feature = "webgpu")
}

/// Panics, which traps this wasm instance (every later call into it fails): for the browser
/// tests of the page's recovery (a fresh worker, the runs restored from their last snapshots)
/// and for teachers who want to show what the page does then. Nothing else calls it.
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    panic!("a trap on purpose (trapForTests)");
}
