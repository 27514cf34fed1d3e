#![cfg(not(target_arch = "wasm32"))]
//! The caption attributes on the shipped digits (StackGAN, issue 26): the cut points cut the
//! training digits as documented, and every caption reads back with every word known.

#[path = "common/digits.rs"]
mod common_digits;
use common_digits::digits;

use gan_playground::data::Split;
use gan_playground::data::captions::{Slant, Thickness, captions, tokenize};

#[test]
fn each_attribute_word_names_about_a_third_of_the_training_digits() {
    let data = digits();
    let all = captions(&data, Split::Train);
    let share = |f: &dyn Fn(&gan_playground::data::captions::Caption) -> bool| {
        100.0 * all.iter().filter(|c| f(c)).count() as f64 / all.len() as f64
    };
    // src/data/captions.rs: thirds of the stroke width; the slant's thirds, but that the left
    // cut is at a visible lean (27.6 % left, 32.8 % right).
    for (word, pc, want) in [
        ("thin", share(&|c| c.thickness == Thickness::Thin), 33.6),
        ("thick", share(&|c| c.thickness == Thickness::Thick), 33.2),
        ("slanted left", share(&|c| c.slant == Slant::Left), 27.6),
        ("slanted right", share(&|c| c.slant == Slant::Right), 32.8),
    ] {
        assert!(
            (pc - want).abs() < 0.5,
            "{word}: {pc:.1} % of the training digits, not {want} %"
        );
    }
    for c in &all {
        let (known, unknown) = tokenize(&c.text());
        assert!(unknown.is_empty(), "{}", c.text());
        assert_eq!(known, c.tokens());
    }
    // The labels are the digits' own: the caption's digit word is the label's.
    let first = data.indices(Split::Train)[0];
    assert_eq!(all[0].digit, data.label(first));
}
