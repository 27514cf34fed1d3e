//! `images captions`: the caption attributes measured on the shipped training digits (StackGAN,
//! issue 26): the stroke width's and the slant's thirds (the cut points in
//! `src/data/captions.rs`), how the words fall out under those cut points, and a caption per
//! digit for a few digits.

use gan_playground::data::Split;
use gan_playground::data::captions::{Caption, Slant, Thickness, measure};

use crate::cli::digits;

/// The value below which `q` of `sorted` lies.
fn quantile(sorted: &[f32], q: f64) -> f32 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

pub fn captions(mut it: impl Iterator<Item = String>) -> Result<(), String> {
    if let Some(flag) = it.next() {
        return Err(format!(
            "unknown flag `{flag}` (images captions takes none)"
        ));
    }
    let data = digits()?;
    let idx = data.indices(Split::Train);
    let measured: Vec<_> = idx.iter().map(|&i| measure(data.image(i))).collect();
    let mut widths: Vec<f32> = measured.iter().map(|m| m.width).collect();
    let mut slants: Vec<f32> = measured.iter().map(|m| m.slant).collect();
    widths.sort_by(f32::total_cmp);
    slants.sort_by(f32::total_cmp);
    println!("{} training digits", idx.len());
    for (what, sorted) in [
        ("stroke width (px)", &widths),
        ("slant (px across per px up)", &slants),
    ] {
        let q = |p: f64| quantile(sorted, p);
        println!(
            "{what}: thirds at {:.3} and {:.3} (median {:.3}, 5 % {:.3}, 95 % {:.3})",
            q(1.0 / 3.0),
            q(2.0 / 3.0),
            q(0.5),
            q(0.05),
            q(0.95)
        );
    }
    let (mut thick, mut slant) = ([0usize; 3], [0usize; 3]);
    for m in &measured {
        let (t, s) = m.classes();
        thick[match t {
            Thickness::Thin => 0,
            Thickness::Normal => 1,
            Thickness::Thick => 2,
        }] += 1;
        slant[match s {
            Slant::Left => 0,
            Slant::Upright => 1,
            Slant::Right => 2,
        }] += 1;
    }
    let pc = |n: usize| 100.0 * n as f64 / idx.len() as f64;
    println!(
        "under the shipped cut points: thin {:.1} %, normal {:.1} %, thick {:.1} %; left {:.1} %, upright {:.1} %, right {:.1} %",
        pc(thick[0]),
        pc(thick[1]),
        pc(thick[2]),
        pc(slant[0]),
        pc(slant[1]),
        pc(slant[2])
    );
    for &i in idx.iter().take(12) {
        let m = measure(data.image(i));
        println!(
            "digit {i}: width {:.2}, slant {:+.2}: \"{}\"",
            m.width,
            m.slant,
            Caption::of(data.label(i), data.image(i)).text()
        );
    }
    Ok(())
}
