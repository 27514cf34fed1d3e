//! The real wasm engine in headless Chromium (`wasm-pack test --headless --chrome`): training
//! on the CPU backend and on WebGPU (SwiftShader here), and the page boundary's error messages.
#![cfg(target_arch = "wasm32")]

use gan_playground::wasm::toy2d::{GanTrainer, validate_config};
use gan_playground::{BackendKind, GanLoss, Toy2dConfig, Toy2dTrainer};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn small() -> Toy2dConfig {
    Toy2dConfig {
        batch_size: 64,
        ..Toy2dConfig::default()
    }
}

/// Trains 1 + `more` rounds; losses are finite and change between the two readings.
async fn trains(trainer: &mut Toy2dTrainer, more: usize) {
    trainer.train(1);
    let a = trainer.losses().await.unwrap();
    trainer.train(more);
    let b = trainer.losses().await.unwrap();
    assert_eq!(b.step, 1 + more as u64);
    for v in [a.loss_d, a.loss_g, b.loss_d, b.loss_g] {
        assert!(v.is_finite(), "{a:?} {b:?}");
    }
    assert!(a.loss_d != b.loss_d && a.loss_g != b.loss_g, "{a:?} {b:?}");
    let pts = trainer.generated(32).await.unwrap();
    assert_eq!(pts.len(), 64);
    assert!(pts.iter().all(|v| v.is_finite()));
    let grid = trainer.discriminator_grid(8, 3.0).await.unwrap();
    assert!(grid.iter().all(|v| (0.0..=1.0).contains(v)));
    // The gradient probe reads its gradients back asynchronously too.
    let p = trainer.probe().await.unwrap();
    assert!(
        p.grad_norm_minimax > 0.0 && p.grad_norm_minimax.is_finite(),
        "{p:?}"
    );
    assert!(p.grad_norm_non_saturating > 0.0 && p.grad_norm_non_saturating.is_finite());
    assert_eq!(p.d_fake.len(), 64);
    for i in 0..64 {
        assert!((p.dlogit_minimax[i] - p.d_fake[i]).abs() < 1e-5);
    }
    // The generator's arrows (a backward pass to the fakes, read back async) and manifold.
    let field = trainer.generator_field(32).await.unwrap();
    assert_eq!(field.len(), 128);
    for i in 0..32 {
        assert!(
            (field[4 * i] - pts[2 * i]).abs() < 1e-5,
            "arrows start at the shown fakes"
        );
    }
    assert!(field.iter().all(|v| v.is_finite()));
    assert!(field.chunks(4).any(|a| a[2] != 0.0 || a[3] != 0.0));
    let manifold = trainer.manifold(6).await.unwrap();
    assert_eq!(manifold.len(), 2 * 36);
    assert!(manifold.iter().all(|v| v.is_finite()));
    // The theory readouts: one readback, then host arithmetic.
    let th = trainer.theory(8).await.unwrap();
    assert_eq!(th.d_star.len(), 64);
    assert_eq!(th.modes.unwrap().modes_total, 8);
    assert!(
        th.v_optimal >= -(4f64.ln()) - 0.05 && th.v_optimal <= 0.0,
        "{}",
        th.v_optimal
    );
}

#[wasm_bindgen_test]
async fn trains_on_the_cpu_backends() {
    for kind in [BackendKind::Flex, BackendKind::Ndarray] {
        let mut t = Toy2dTrainer::new(small(), &kind.cpu_device().unwrap()).unwrap();
        trains(&mut t, 10).await;
    }
}

#[wasm_bindgen_test]
async fn wgan_gp_and_hinge_train_on_the_cpu() {
    for loss in [GanLoss::WganGp, GanLoss::Hinge] {
        let config = Toy2dConfig { loss, ..small() };
        let mut t = Toy2dTrainer::new(config, &BackendKind::Ndarray.cpu_device().unwrap()).unwrap();
        t.train(5);
        let s = t.losses().await.unwrap();
        assert!(
            s.loss_d.is_finite() && s.loss_g.is_finite(),
            "{loss:?}: {s:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn cpu_backends_agree_on_the_same_seed() {
    let run = |kind: BackendKind| async move {
        let mut t = Toy2dTrainer::new(small(), &kind.cpu_device().unwrap()).unwrap();
        t.train(5);
        t.losses().await.unwrap()
    };
    let (a, b) = (
        run(BackendKind::Flex).await,
        run(BackendKind::Ndarray).await,
    );
    assert!(
        (a.loss_d - b.loss_d).abs() < 1e-4 && (a.loss_g - b.loss_g).abs() < 1e-4,
        "{a:?} {b:?}"
    );
}

#[cfg(feature = "webgpu")]
#[wasm_bindgen_test]
async fn trains_on_webgpu() {
    let device = burn::tensor::Device::wgpu_options()
        .init_async()
        .await
        .expect("headless Chromium with --enable-unsafe-webgpu offers an adapter");
    // SwiftShader runs each step in about a second here: a few steps are enough.
    let mut t = Toy2dTrainer::new(small(), &device).unwrap();
    trains(&mut t, 3).await;
}

fn message(e: JsValue) -> String {
    js_sys::Error::from(e).message().into()
}

#[wasm_bindgen_test]
async fn the_boundary_refuses_bad_input_with_a_message() {
    let bad = js_sys::JSON::parse(r#"{"batchSize": 0}"#).unwrap();
    let err = validate_config(bad).err().unwrap();
    assert!(message(err.into()).contains("batchSize"));

    let unknown = js_sys::JSON::parse(r#"{"lossy": "x"}"#).unwrap();
    let err = GanTrainer::create(unknown, "cpu".into())
        .await
        .err()
        .unwrap();
    assert!(message(err.into()).contains("unknown field `lossy`"));

    let lonely = js_sys::JSON::parse(r#"{"dataset": "drawn", "points": [[0, 0]]}"#).unwrap();
    let err = GanTrainer::create(lonely, "cpu".into())
        .await
        .err()
        .unwrap();
    assert!(message(err.into()).contains("needs at least 2 points"));

    let err = GanTrainer::create(JsValue::UNDEFINED, "tpu".into())
        .await
        .err()
        .unwrap();
    assert!(message(err.into()).contains("unknown backend `tpu`"));

    let err = GanTrainer::create(JsValue::from_str("{}"), "cpu".into())
        .await
        .err()
        .unwrap();
    assert!(message(err.into()).contains("must be an object"));
}

#[allow(dead_code)] // fuzz::run is for the native tests (it blocks on the saves)
#[path = "common/fuzz.rs"]
mod fuzz;

/// The fuzz of tests/run_file.rs on wasm32, where `usize` is 32 bits: optimiser entries of
/// 2^29 to 2^31 values whose doubled sizes add up to 2^32 (0 here) are refused, not sliced.
#[wasm_bindgen_test]
async fn hostile_run_files_are_refused_on_wasm32() {
    let device = BackendKind::Flex.cpu_device().unwrap();
    let config = Toy2dConfig {
        batch_size: 32,
        gen_width: 16,
        disc_width: 16,
        ..Toy2dConfig::default()
    };
    let mut t = Toy2dTrainer::new(config, &device).unwrap();
    t.train(5);
    let file = t.save().await.unwrap();
    let reference = Toy2dTrainer::load(&file, &device)
        .unwrap()
        .save()
        .await
        .unwrap();
    let mut tally = fuzz::Tally::default();
    let cases = fuzz::mutations(&file, 100, 3);
    for (what, bytes) in &cases {
        let loaded = match Toy2dTrainer::load(bytes, &device) {
            Ok(run) => run.save().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        fuzz::count(&mut tally, what, loaded, &reference);
    }
    assert!(tally.other.is_empty(), "{:#?}", tally.other);
    assert_eq!(tally.identical, 1, "only the file as saved loads");
    assert!(tally.refused > 1000, "{tally:?}");
}
