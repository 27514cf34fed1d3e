//! Native command line on the same engine as the page.
//!
//! ```text
//! gan train [--config FILE.json] [--set JSON] [--steps N] [--every N] [--backend flex|ndarray|webgpu] [--samples FILE.csv] [--n N]
//! gan bench [--steps N] [--backend ...] [--set JSON]
//! ```
//! `train` prints the losses every `--every` rounds, then the theory readouts (modes captured and
//! % high quality for the mixtures, V(G, D*), JSD), and writes `--n` generated points as CSV.
//! `bench` times the reference step (one D update + one G update) and prints ms per step.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(e) = cli::run(std::env::args().skip(1).collect()) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use futures_lite::future::block_on;
    use gan_playground::backend::native_device;
    use gan_playground::gan::run::RunConfig;
    use gan_playground::{BackendKind, Toy2dConfig, Toy2dTrainer};
    use std::time::Instant;

    const USAGE: &str = "usage: gan train|bench [--config FILE] [--set JSON] [--steps N] \
                         [--every N] [--backend flex|ndarray|webgpu] [--samples FILE.csv] [--n N]";

    struct Args {
        command: String,
        config: Toy2dConfig,
        steps: usize,
        every: usize,
        backend: BackendKind,
        samples: Option<String>,
        n: usize,
    }

    fn merge(base: &mut serde_json::Value, over: serde_json::Value) {
        if let (Some(b), serde_json::Value::Object(o)) = (base.as_object_mut(), over) {
            for (k, v) in o {
                b.insert(k, v);
            }
        }
    }

    fn parse(args: Vec<String>) -> Result<Args, String> {
        let mut it = args.into_iter();
        let command = it.next().ok_or(USAGE)?;
        if command != "train" && command != "bench" {
            return Err(format!("unknown command `{command}`\n{USAGE}"));
        }
        let mut json = serde_json::json!({});
        let (mut steps, mut every, mut n) = (2000, 100, 1000);
        let mut backend = BackendKind::Flex;
        let mut samples = None;
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--config" => {
                    let path = value()?;
                    let text =
                        std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                    let v = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
                    merge(&mut json, v);
                }
                "--set" => {
                    let v = serde_json::from_str(&value()?).map_err(|e| format!("--set: {e}"))?;
                    merge(&mut json, v);
                }
                "--steps" => steps = value()?.parse().map_err(|e| format!("--steps: {e}"))?,
                "--every" => every = value()?.parse().map_err(|e| format!("--every: {e}"))?,
                "--n" => n = value()?.parse().map_err(|e| format!("--n: {e}"))?,
                "--backend" => {
                    backend = BackendKind::parse(&value()?).map_err(|e| e.to_string())?
                }
                "--samples" => samples = Some(value()?),
                other => return Err(format!("unknown flag `{other}`\n{USAGE}")),
            }
        }
        let config = Toy2dConfig::from_json(&json.to_string()).map_err(|e| e.to_string())?;
        Ok(Args {
            command,
            config,
            steps,
            every: every.max(1),
            backend,
            samples,
            n,
        })
    }

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let a = parse(args)?;
        let device = native_device(a.backend).map_err(|e| e.to_string())?;
        let mut t = Toy2dTrainer::new(a.config.clone(), &device).map_err(|e| e.to_string())?;
        if a.command == "bench" {
            // Warm-up rounds are not timed: the first steps allocate and (on GPU) compile.
            t.train(20);
            block_on(t.losses()).map_err(|e| e.to_string())?;
            let start = Instant::now();
            t.train(a.steps);
            let stats = block_on(t.losses()).map_err(|e| e.to_string())?;
            let ms = start.elapsed().as_secs_f64() * 1e3 / a.steps as f64;
            println!(
                "backend={} steps={} ms_per_step={ms:.3} loss_d={:.4} loss_g={:.4}",
                a.backend.name(),
                a.steps,
                stats.loss_d,
                stats.loss_g
            );
            return Ok(());
        }
        println!("config {}", a.config.to_json());
        let start = Instant::now();
        let mut done = 0;
        while done < a.steps {
            let chunk = a.every.min(a.steps - done);
            t.train(chunk);
            done += chunk;
            let s = block_on(t.losses()).map_err(|e| e.to_string())?;
            println!(
                "step {:>6}  loss_d {:>8.4}  loss_g {:>8.4}  {:.2} ms/step",
                s.step,
                s.loss_d,
                s.loss_g,
                start.elapsed().as_secs_f64() * 1e3 / done as f64
            );
        }
        // The theory readouts at the end (mode metrics for the mixtures, V(G, D*), the JSD).
        let th = block_on(t.theory(2)).map_err(|e| e.to_string())?;
        let modes = th.modes.map_or("modes=- hq=-".to_string(), |m| {
            format!(
                "modes={}/{} hq={:.2}",
                m.modes_captured, m.modes_total, m.high_quality_pct
            )
        });
        let on_label = th
            .on_label_pct
            .map_or(String::new(), |p| format!(" on_label={p:.2}"));
        println!(
            "final step={} {modes}{on_label} v_optimal={:.4} jsd={:.4}",
            th.step, th.v_optimal, th.jsd
        );
        if let Some(path) = a.samples {
            let pts = block_on(t.generated(a.n)).map_err(|e| e.to_string())?;
            let mut csv = String::from("x,y\n");
            for p in pts.chunks(2) {
                csv.push_str(&format!("{},{}\n", p[0], p[1]));
            }
            std::fs::write(&path, csv).map_err(|e| format!("{path}: {e}"))?;
            println!("wrote {} samples to {path}", a.n);
        }
        Ok(())
    }
}
