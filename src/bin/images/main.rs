//! Native command line for the image GANs, on the same engine as the page.
//!
//! ```text
//! images train [--set JSON] [--steps N] [--every N] [--score-every N] [--backend flex|ndarray|webgpu]
//!              [--grid FILE.pgm] [--samples FILE.u8] [--truncation none,1.5,1,...]
//! images bench [--set JSON] [--steps N] [--backend ...]
//! images classifier-train [--epochs N] [--seed N] [--out assets/classifier.bin]
//! images score --samples FILE.u8 [--classifier assets/classifier.bin]
//! images sample|real|features|eval|stats ...   (the evaluation commands: see eval.rs)
//! images cycle-classifiers|cycle-train|cycle-eval ...   (CycleGAN: see cycle.rs)
//! images captions   (StackGAN's caption attributes on the training digits: see captions.rs)
//! images stack-train|stack-eval ...   (StackGAN: see stack.rs)
//! ```
//! `train` trains on the training split of assets/mnist.bin, printing the losses every
//! `--every` rounds (an SGAN run's held-out accuracy with them, and its baseline's; and, with `--score-every`, the share of 1,000 samples the shipped classifier
//! is sure of, for each `--truncation` threshold: latent components beyond it resampled; and for
//! a run with an InfoGAN code, its categories' purity: the share of samples whose class is the
//! most common one of their category), and
//! writes the 8 x 8 sample grid (the page's fixed latents) as a PGM image.
//! `bench` times rounds (one D update + one G update) and prints ms per round.
//! `classifier-train` trains the digit classifier on the training split (best epoch by
//! validation accuracy), scores it once on the test split and writes it (see `classifier`).
//! `score` reads 784-byte images (0-255, e.g. from scripts/bench/image-quality.mjs) and prints the
//! share the shipped classifier assigns to a class with confidence >= 0.9, and the classes.

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
mod captions;
#[cfg(not(target_arch = "wasm32"))]
mod cycle;
#[cfg(not(target_arch = "wasm32"))]
mod eval;
#[cfg(not(target_arch = "wasm32"))]
mod stack;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::sync::Arc;
    use std::time::Instant;

    use burn::tensor::Device;
    use futures_lite::future::block_on;
    use gan_playground::BackendKind;
    use gan_playground::backend::native_device;
    use gan_playground::data::{Mnist, PIXELS, Split};
    use gan_playground::eval::train::train_classifier;
    use gan_playground::eval::{
        CLASSES, CONFIDENT, ClassifierInfo, DigitClassifier, confident_share, top,
    };
    use gan_playground::gan::run::RunConfig;
    use gan_playground::image::{ImageConfig, ImageTrainer};
    use gan_playground::nn::dcgan::SIDE;

    const USAGE: &str = "usage: images train|bench [--set JSON] [--steps N] [--every N] \
                         [--score-every N] [--backend flex|ndarray|webgpu] [--grid FILE.pgm] [--samples FILE.u8] \
                         [--truncation none,T,...]\n       \
                         images classifier-train [--epochs N] [--seed N] [--out FILE]\n       \
                         images score --samples FILE.u8 [--classifier FILE]\n       \
                         images sample --run FILE.ganimg --n N --out SAMPLES.npy [--seed S] [--truncation T]\n       \
                         images real --split train|validation|test --out DIGITS.npy\n       \
                         images features --samples SAMPLES.npy --out FEATURES.npy [--probs PROBS.npy]\n       \
                         images eval --samples SAMPLES.npy [--against test|train|OTHER.npy] [--metrics is,fid,kid,parzen,pr,dc,digits] [--seed S]\n       \
                         images stats --out assets/real-stats.json\n       \
                         images cycle-classifiers|cycle-train|cycle-eval ... (see src/bin/images/cycle.rs)\n       \
                         images captions\n       \
                         images stack-train [--set JSON] [--rounds-one N] [--rounds-two N] [--both] (see src/bin/images/stack.rs)\n       \
                         images stack-eval --run FILE.ganstk";

    /// The path of the project's asset `name`: under the checkout the command runs in (the
    /// nearest folder up from the current one with a Cargo.toml and an assets/ folder), else
    /// under the checkout that built it. Found at run time because the cargo target folder is
    /// shared between checkouts (CI's clone and the working one), so one binary serves both.
    pub(crate) fn asset(name: &str) -> String {
        let here = std::env::current_dir().ok();
        let root = here
            .as_deref()
            .and_then(|d| {
                d.ancestors()
                    .find(|a| a.join("Cargo.toml").is_file() && a.join("assets").is_dir())
            })
            .map(|a| a.to_string_lossy().into_owned())
            .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").to_string());
        format!("{root}/assets/{name}")
    }

    /// The value after `flag`, or a message naming the flag.
    pub(crate) fn value(
        it: &mut impl Iterator<Item = String>,
        flag: &str,
    ) -> Result<String, String> {
        it.next().ok_or(format!("{flag} needs a value"))
    }

    /// The value after `flag`, parsed, or a message naming the flag.
    pub(crate) fn number<T: std::str::FromStr>(
        it: &mut impl Iterator<Item = String>,
        flag: &str,
    ) -> Result<T, String>
    where
        T::Err: std::fmt::Display,
    {
        value(it, flag)?.parse().map_err(|e| format!("{flag}: {e}"))
    }

    /// The one flag of an `…-eval` command, `--run FILE`: the file's path and bytes.
    pub(crate) fn run_file(
        mut it: impl Iterator<Item = String>,
        usage: &str,
    ) -> Result<(String, Vec<u8>), String> {
        let mut run = None;
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--run" => run = Some(value(&mut it, &flag)?),
                other => return Err(format!("unknown flag `{other}`")),
            }
        }
        let path = run.ok_or(usage)?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        Ok((path, bytes))
    }

    pub(crate) fn digits() -> Result<Mnist, String> {
        let path = asset("mnist.bin");
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{path}: {e}; run scripts/setup.sh to make it"))?;
        Mnist::parse(&bytes).map_err(|e| e.to_string())
    }

    fn classifier_train(mut it: impl Iterator<Item = String>) -> Result<(), String> {
        let (mut epochs, mut seed, mut out) = (15usize, 1u64, asset("classifier.bin"));
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--epochs" => epochs = number(&mut it, &flag)?,
                "--seed" => seed = number(&mut it, &flag)?,
                "--out" => out = value(&mut it, &flag)?,
                other => return Err(format!("unknown flag `{other}`\n{USAGE}")),
            }
        }
        let data = digits()?;
        let start = Instant::now();
        let (net, info) = train_classifier(
            &data,
            epochs.max(1),
            seed,
            &Device::flex(),
            |e, loss, val| {
                println!(
                    "epoch {e:>3}  train loss {loss:.4}  validation accuracy {:.2} %  {:.0} s",
                    100.0 * val,
                    start.elapsed().as_secs_f64()
                )
            },
        );
        println!(
            "kept epoch {} (validation {:.2} %); test accuracy {:.2} % on {} held-out digits",
            info.best_epoch,
            100.0 * info.validation_accuracy,
            100.0 * info.test_accuracy,
            data.indices(Split::Test).len()
        );
        std::fs::write(&out, net.to_bytes(&info)).map_err(|e| format!("{out}: {e}"))?;
        println!("wrote {out} ({} weights)", info.params);
        Ok(())
    }

    fn score(mut it: impl Iterator<Item = String>) -> Result<(), String> {
        let (mut samples, mut file) = (None, asset("classifier.bin"));
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--samples" => samples = Some(value(&mut it, &flag)?),
                "--classifier" => file = value(&mut it, &flag)?,
                other => return Err(format!("unknown flag `{other}`\n{USAGE}")),
            }
        }
        let samples = samples.ok_or(format!("score needs --samples FILE.u8\n{USAGE}"))?;
        let bytes = std::fs::read(&samples).map_err(|e| format!("{samples}: {e}"))?;
        if bytes.is_empty() || bytes.len() % PIXELS != 0 {
            return Err(format!(
                "{samples}: {} bytes is not a whole number of 784-pixel images",
                bytes.len()
            ));
        }
        let (net, info) = classifier(&file)?;
        let (share, classes) = confident(&net, &bytes)?;
        println!(
            "samples={} confident_share={:.4} threshold={CONFIDENT} classes={classes:?} \
             classifier_test_accuracy={:.4}",
            bytes.len() / PIXELS,
            share,
            info.test_accuracy
        );
        Ok(())
    }

    /// The shipped classifier (or `file`), on the plain CPU device.
    pub(crate) fn classifier(file: &str) -> Result<(DigitClassifier, ClassifierInfo), String> {
        let cls = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        DigitClassifier::load(&cls, &Device::flex()).map_err(|e| e.to_string())
    }

    /// The share of `bytes`' 784-byte images the classifier is sure of, and the classes.
    fn confident(net: &DigitClassifier, bytes: &[u8]) -> Result<(f64, [usize; CLASSES]), String> {
        let pixels: Vec<f32> = bytes.iter().map(|&b| b as f32 / 255.0).collect();
        let probs =
            block_on(net.probabilities(&pixels, &Device::flex())).map_err(|e| e.to_string())?;
        Ok(confident_share(&probs, CONFIDENT))
    }

    /// 1,000 samples from seeded latents (truncated at `truncation` when given), as 784 bytes
    /// each: what `score` reads.
    fn sample_bytes(t: &mut ImageTrainer, truncation: Option<f64>) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        for k in (0..1000).step_by(100) {
            let z = t
                .seeded_latents(100, 1000 + k as u64, truncation)
                .map_err(|e| e.to_string())?;
            let imgs =
                block_on(t.images(&z).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
            bytes.extend(
                imgs.iter()
                    .map(|&v| (v.clamp(0.0, 1.0) * 255.0).round() as u8),
            );
        }
        Ok(bytes)
    }

    /// For a run with an InfoGAN code: how far its categories are digits. Of 1,000 samples
    /// from seeded latents, the share whose class (the classifier's top one) is the most common
    /// class of their category; 1 if every category draws one digit only.
    fn code_purity(t: &ImageTrainer, net: &DigitClassifier) -> Result<Option<f64>, String> {
        let (d, codes) = (t.config().z_dim, t.config().codes());
        if codes == 0 {
            return Ok(None);
        }
        let z = t
            .seeded_latents(1000, 77, None)
            .map_err(|e| e.to_string())?;
        let imgs = block_on(t.images(&z).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let probs =
            block_on(net.probabilities(&imgs, &Device::flex())).map_err(|e| e.to_string())?;
        let mut table = vec![[0usize; CLASSES]; codes];
        for (latent, row) in z.chunks_exact(d).zip(probs.chunks_exact(CLASSES)) {
            let code = latent[d - codes..]
                .iter()
                .position(|&v| v == 1.0)
                .unwrap_or(0);
            table[code][top(row).0] += 1;
        }
        let majority: usize = table.iter().map(|c| c.iter().max().unwrap_or(&0)).sum();
        Ok(Some(majority as f64 / 1000.0))
    }

    /// `--truncation`'s comma-separated thresholds, `none` for untruncated latents.
    fn parse_truncations(list: &str) -> Result<Vec<Option<f64>>, String> {
        list.split(',')
            .map(|v| match v.trim() {
                "none" => Ok(None),
                v => match v.parse::<f64>() {
                    Ok(t) if t > 0.0 => Ok(Some(t)),
                    _ => Err(format!(
                        "--truncation: `{v}` is neither `none` nor a threshold > 0"
                    )),
                },
            })
            .collect()
    }

    /// Tiles `n` images (flat, [0, 1]) into a `cols`-wide grid, as a binary PGM.
    fn pgm(images: &[f32], cols: usize) -> Vec<u8> {
        let n = images.len() / (SIDE * SIDE);
        let rows = n.div_ceil(cols);
        let (w, h) = (cols * SIDE, rows * SIDE);
        let mut px = vec![0u8; w * h];
        for (k, img) in images.chunks(SIDE * SIDE).enumerate() {
            let (r0, c0) = ((k / cols) * SIDE, (k % cols) * SIDE);
            for y in 0..SIDE {
                for x in 0..SIDE {
                    let v = img[y * SIDE + x].clamp(0.0, 1.0);
                    px[(r0 + y) * w + c0 + x] = (v * 255.0).round() as u8;
                }
            }
        }
        let mut out = format!("P5\n{w} {h}\n255\n").into_bytes();
        out.extend(px);
        out
    }

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let mut it = args.into_iter();
        let command = it.next().ok_or(USAGE)?;
        if command == "classifier-train" {
            return classifier_train(it);
        }
        match command.as_str() {
            "score" => return score(it),
            "sample" => return crate::eval::sample(it),
            "real" => return crate::eval::real(it),
            "features" => return crate::eval::features(it),
            "eval" => return crate::eval::eval(it),
            "stats" => return crate::eval::stats(it),
            "captions" => return crate::captions::captions(it),
            "stack-train" => return crate::stack::train(it),
            "stack-eval" => return crate::stack::eval(it),
            "cycle-classifiers" => return crate::cycle::classifiers(it),
            "cycle-train" => return crate::cycle::train(it),
            "cycle-eval" => return crate::cycle::eval(it),
            _ => {}
        }
        if command != "train" && command != "bench" {
            return Err(format!("unknown command `{command}`\n{USAGE}"));
        }
        let (mut steps, mut every) = (500usize, 50usize);
        let mut backend = BackendKind::Flex;
        let mut grid = None;
        let mut samples = None;
        let mut score_every = 0usize;
        let mut truncations = vec![None];
        let mut json = "{}".to_string();
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--set" => json = value(&mut it, &flag)?,
                "--steps" => steps = number(&mut it, &flag)?,
                "--every" => every = number(&mut it, &flag)?,
                "--backend" => {
                    backend =
                        BackendKind::parse(&value(&mut it, &flag)?).map_err(|e| e.to_string())?
                }
                "--grid" => grid = Some(value(&mut it, &flag)?),
                "--samples" => samples = Some(value(&mut it, &flag)?),
                "--score-every" => score_every = number(&mut it, &flag)?,
                "--truncation" => truncations = parse_truncations(&value(&mut it, &flag)?)?,
                other => return Err(format!("unknown flag `{other}`\n{USAGE}")),
            }
        }
        let judge = if score_every > 0 {
            Some(classifier(&asset("classifier.bin"))?.0)
        } else {
            None
        };
        let config = ImageConfig::from_json(&json).map_err(|e| e.to_string())?;
        let data = Arc::new(digits()?);
        let device = native_device(backend).map_err(|e| e.to_string())?;
        let mut t = ImageTrainer::new(config.clone(), data, &device).map_err(|e| e.to_string())?;
        let (pg, pd) = t.parameter_counts();
        println!("config {} params G {pg} D {pd}", config.to_json());
        if command == "bench" {
            t.train(3); // warm-up: first rounds allocate (and on a GPU, compile)
            block_on(t.losses()).map_err(|e| e.to_string())?;
            let start = Instant::now();
            t.train(steps);
            let s = block_on(t.losses()).map_err(|e| e.to_string())?;
            let ms = start.elapsed().as_secs_f64() * 1e3 / steps as f64;
            println!(
                "backend={} arch={:?} batch={} steps={steps} ms_per_step={ms:.2} loss_d={:.4} loss_g={:.4}",
                backend.name(),
                config.arch,
                config.batch_size,
                s.loss_d,
                s.loss_g
            );
            return Ok(());
        }
        let start = Instant::now();
        let mut done = 0;
        let mut trained = std::time::Duration::ZERO;
        while done < steps {
            let mut chunk = every.max(1).min(steps - done);
            if score_every > 0 {
                chunk = chunk.min(score_every - done % score_every);
            }
            let lap = Instant::now();
            t.train(chunk);
            done += chunk;
            let s = block_on(t.losses()).map_err(|e| e.to_string())?;
            trained += lap.elapsed();
            if done % every.max(1) == 0 || done == steps {
                println!(
                    "step {:>6}  loss_d {:>8.4}  loss_g {:>8.4}  {:.1} ms/step",
                    s.step,
                    s.loss_d,
                    s.loss_g,
                    trained.as_secs_f64() * 1e3 / done as f64
                );
                if t.baseline().is_some() {
                    let h = block_on(t.held_out().map_err(|e| e.to_string())?)
                        .map_err(|e| e.to_string())?;
                    println!(
                        "step {:>6}  held-out accuracy sgan {:.4}  baseline {:.4}  {:.0} s",
                        h.step,
                        h.sgan.accuracy,
                        h.baseline.accuracy,
                        start.elapsed().as_secs_f64()
                    );
                }
            }
            if let Some(net) = judge.as_ref().filter(|_| done % score_every == 0) {
                if let Some(p) = code_purity(&t, net)? {
                    println!("step {done:>6}  code purity {p:.4}");
                }
                for &tr in &truncations {
                    let (share, classes) = confident(net, &sample_bytes(&mut t, tr)?)?;
                    let tr = tr.map_or("none".to_string(), |v| v.to_string());
                    println!(
                        "step {done:>6}  truncation {tr}  confident_share {share:.4}  \
                         classes {classes:?}  {:.0} s",
                        start.elapsed().as_secs_f64()
                    );
                }
            }
        }
        if let Some(path) = samples {
            std::fs::write(&path, sample_bytes(&mut t, truncations[0])?)
                .map_err(|e| format!("{path}: {e}"))?;
            println!("wrote 1,000 samples to {path}");
        }
        if let Some(path) = grid {
            let z = t.view_latents(64, None).map_err(|e| e.to_string())?;
            let imgs =
                block_on(t.images(&z).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
            std::fs::write(&path, pgm(&imgs, 8)).map_err(|e| format!("{path}: {e}"))?;
            println!("wrote the 8 x 8 sample grid to {path}");
        }
        Ok(())
    }
}
