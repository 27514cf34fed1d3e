//! Captions for the shipped digits, measured on the images themselves (StackGAN's text, issue
//! 26): the digit's word, how thick its stroke is and how it slants, e.g. "a thick seven
//! slanted right" or "a thin upright one". Nothing is hand-labelled but the digit: the two
//! attributes come from the pixels, so a caption says what a reader sees.
//!
//! - **Thickness**: the stroke's width in pixels, from the ink (grey levels summed, in pixels
//!   of full ink) and the length of the stroke's skeleton (Zhang and Suen's thinning, 1984, of
//!   the pixels at half ink or more): ink = length x width, the free ends made up for.
//! - **Slant**: from the ink's second moments, the horizontal shift per row going up,
//!   -cov(x, y) / var(y) with y down the image (Jähne's shear; MNIST's deskewing uses the same
//!   ratio): positive when the top leans right.
//!
//! The cut points split the shipped training digits into thirds of the stroke width and of the
//! slant, but that an upright stroke stays upright (measured by `images captions`, which
//! prints them: thin 33.6 %, normal 33.2 %, thick 33.2 %; left 27.6 %, upright 39.6 %,
//! right 32.8 %; `tests/captions.rs` keeps them there).

use crate::data::mnist::{Mnist, PIXELS, Split};
use crate::error::GanError;

/// Side of a digit image.
const SIDE: usize = 28;

/// Stroke width (pixels) below which a digit is thin: a third of the shipped training digits.
pub const THIN_BELOW: f32 = 2.25;
/// Stroke width (pixels) above which a digit is thick: a third of the shipped training digits.
pub const THICK_ABOVE: f32 = 2.76;
/// Slant (pixels across per pixel up) below which a digit slants left (1.7 degrees). Most
/// hands lean right (the training digits' median is +0.13, 7 degrees), so the lower third
/// would start at +0.01 and call an upright stroke "slanted left": the cut is at a visible
/// lean instead, and 27.6 % of the training digits fall below it.
pub const LEFT_BELOW: f32 = -0.03;
/// Slant above which a digit slants right (15 degrees; the upper third).
pub const RIGHT_ABOVE: f32 = 0.26;

/// The digits' words, 0-9.
pub const DIGITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// How thick a digit's stroke is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thickness {
    Thin,
    Normal,
    Thick,
}

/// Which way a digit leans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slant {
    Left,
    Upright,
    Right,
}

/// What is measured on one digit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    /// Ink per pixel of skeleton: the stroke's width in pixels.
    pub width: f32,
    /// Pixels across per pixel up (positive: the top leans right).
    pub slant: f32,
}

impl Measured {
    /// The words the measures fall under.
    pub fn classes(&self) -> (Thickness, Slant) {
        let thickness = if self.width < THIN_BELOW {
            Thickness::Thin
        } else if self.width > THICK_ABOVE {
            Thickness::Thick
        } else {
            Thickness::Normal
        };
        let slant = if self.slant < LEFT_BELOW {
            Slant::Left
        } else if self.slant > RIGHT_ABOVE {
            Slant::Right
        } else {
            Slant::Upright
        };
        (thickness, slant)
    }
}

/// A caption: the digit and its two attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caption {
    pub digit: u8,
    pub thickness: Thickness,
    pub slant: Slant,
}

impl Caption {
    /// The caption of one digit image (784 grey levels 0-255) with its label.
    pub fn of(digit: u8, pixels: &[u8]) -> Caption {
        let (thickness, slant) = measure(pixels).classes();
        Caption {
            digit,
            thickness,
            slant,
        }
    }

    /// The caption in words: "a thick seven slanted right", "a thin upright one", "an eight"
    /// (a normal stroke goes unsaid).
    pub fn text(&self) -> String {
        let mut words = Vec::with_capacity(5);
        match self.thickness {
            Thickness::Thin => words.push("thin"),
            Thickness::Thick => words.push("thick"),
            Thickness::Normal => {}
        }
        if self.slant == Slant::Upright {
            words.push("upright");
        }
        words.push(DIGITS[self.digit as usize]);
        match self.slant {
            Slant::Left => words.extend(["slanted", "left"]),
            Slant::Right => words.extend(["slanted", "right"]),
            Slant::Upright => {}
        }
        let article = if matches!(words[0], "upright" | "eight") {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", words.join(" "))
    }

    /// The caption with its thickness (`thickness`) or else its slant changed to another word;
    /// `to` (0 or 1) picks which of the two others.
    pub fn with_attribute_changed(self, thickness: bool, to: usize) -> Caption {
        let other = |k: usize| (k + 1 + (to & 1)) % 3;
        let mut c = self;
        if thickness {
            c.thickness = [Thickness::Thin, Thickness::Normal, Thickness::Thick]
                [other(self.thickness as usize)];
        } else {
            c.slant = [Slant::Left, Slant::Upright, Slant::Right][other(self.slant as usize)];
        }
        c
    }

    /// The caption's words as vocabulary indices (what the text encoder reads).
    pub fn tokens(&self) -> Vec<usize> {
        tokenize(&self.text()).0
    }
}

/// Every word a caption can hold, in the text encoder's order: the articles, the digits, the
/// attributes and their synonyms (a reader's "slanting", "straight", "bold").
pub const VOCABULARY: [&str; 27] = [
    "a", "an", "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "thin", "thick", "normal", "upright", "slanted", "left", "right", "straight", "slanting",
    "bold", "fine", "digit", "number", "leaning", "the",
];

/// What a reader's word means in the captions' own words (the training captions hold only
/// those, so only their embeddings are trained): synonyms read as the word they stand for, and
/// filler words ("the", "digit", "normal": a normal stroke goes unsaid) are dropped (None).
fn canonical(word: &str) -> Option<&str> {
    match word {
        "straight" => Some("upright"),
        "slanting" | "leaning" => Some("slanted"),
        "bold" => Some("thick"),
        "fine" => Some("thin"),
        "the" | "digit" | "number" | "normal" => None,
        w => Some(w),
    }
}

/// A typed caption as vocabulary indices, and the words that are not in the vocabulary (in the
/// order typed, each once). Words are split on anything that is not a letter or a digit and
/// lowercased; a digit typed as a numeral ("7") reads as its word; synonyms read as the
/// captions' words and filler words are dropped ([`canonical`]).
pub fn tokenize(text: &str) -> (Vec<usize>, Vec<String>) {
    let (mut known, mut unknown) = (Vec::new(), Vec::<String>::new());
    for raw in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = raw.to_lowercase();
        let word = match word.parse::<usize>() {
            Ok(d) if d < 10 => DIGITS[d].to_string(),
            _ => word,
        };
        match VOCABULARY.iter().position(|v| *v == word) {
            Some(i) => known.extend(
                canonical(VOCABULARY[i]).and_then(|w| VOCABULARY.iter().position(|v| *v == w)),
            ),
            None if !unknown.contains(&word) => unknown.push(word),
            None => {}
        }
    }
    (known, unknown)
}

/// The longest caption read, in characters: a caption box is for a sentence, not a book.
pub const MAX_CAPTION_CHARS: usize = 200;

/// A typed caption read for generation: its tokens, or a message when nothing can be used
/// (empty, too long, no known word). Unknown words beside known ones are returned to be named.
pub fn read_caption(text: &str) -> Result<(Vec<usize>, Vec<String>), GanError> {
    let chars = text.chars().count();
    if chars > MAX_CAPTION_CHARS {
        return Err(GanError::Data(format!(
            "the caption is {chars} characters long: keep it under {MAX_CAPTION_CHARS} (e.g. \"a thick seven slanted right\")"
        )));
    }
    let (known, unknown) = tokenize(text);
    if known.is_empty() {
        return Err(GanError::Data(if unknown.is_empty() {
            "the caption is empty: type a digit and how it looks, e.g. \"a thin two slanted left\""
                .into()
        } else {
            format!(
                "no word of the caption is known ({}): use a digit's name and thin, thick, upright or slanted left / right",
                quoted(&unknown)
            )
        }));
    }
    Ok((known, unknown))
}

/// Words listed in quotes, at most five (and how many more).
fn quoted(words: &[String]) -> String {
    let shown: Vec<String> = words
        .iter()
        .take(5)
        .map(|w| format!("\"{}\"", w.chars().take(24).collect::<String>()))
        .collect();
    let more = words.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Width and slant of one digit (784 grey levels 0-255, row-major 28 x 28). An empty image
/// measures width 0 and slant 0.
pub fn measure(pixels: &[u8]) -> Measured {
    assert_eq!(pixels.len(), PIXELS, "a digit is 28 x 28");
    let ink: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
    let total: f32 = ink.iter().sum();
    let skeleton = thin(&pixels.iter().map(|&p| p >= 128).collect::<Vec<_>>());
    let width = stroke_width(total, &skeleton);
    // Second moments of the ink.
    let (mut mx, mut my) = (0.0f64, 0.0f64);
    for (i, &v) in ink.iter().enumerate() {
        mx += v as f64 * (i % SIDE) as f64;
        my += v as f64 * (i / SIDE) as f64;
    }
    let t = total as f64;
    if t <= 0.0 {
        return Measured { width, slant: 0.0 };
    }
    let (mx, my) = (mx / t, my / t);
    let (mut cxy, mut cyy) = (0.0f64, 0.0f64);
    for (i, &v) in ink.iter().enumerate() {
        let (dx, dy) = ((i % SIDE) as f64 - mx, (i / SIDE) as f64 - my);
        cxy += v as f64 * dx * dy;
        cyy += v as f64 * dy * dy;
    }
    let slant = if cyy > 0.0 { -cxy / cyy } else { 0.0 };
    Measured {
        width,
        slant: slant as f32,
    }
}

/// The stroke's width from its ink and its skeleton. Thinning eats about half a width at each
/// free end of a stroke, so with L skeleton pixels and E ends, ink = w (L + E w / 2): solved
/// for w (w = ink / L for closed strokes, a zero or an eight drawn round).
fn stroke_width(ink: f32, skeleton: &[bool]) -> f32 {
    let on = |r: isize, c: isize| {
        (0..SIDE as isize).contains(&r)
            && (0..SIDE as isize).contains(&c)
            && skeleton[r as usize * SIDE + c as usize]
    };
    let (mut length, mut ends) = (0.0f32, 0.0f32);
    for r in 0..SIDE as isize {
        for c in 0..SIDE as isize {
            if !on(r, c) {
                continue;
            }
            length += 1.0;
            let neighbours = (-1..=1)
                .flat_map(|dr| (-1..=1).map(move |dc| (dr, dc)))
                .filter(|&(dr, dc)| (dr, dc) != (0, 0) && on(r + dr, c + dc))
                .count();
            if neighbours <= 1 {
                ends += if neighbours == 0 { 2.0 } else { 1.0 };
            }
        }
    }
    if length == 0.0 {
        0.0
    } else if ends == 0.0 {
        ink / length
    } else {
        (-length + (length * length + 2.0 * ends * ink).sqrt()) / ends
    }
}

/// Zhang and Suen's thinning (1984) of a 28 x 28 binary image: peels boundary pixels in two
/// alternating sub-passes until none can go, leaving a one-pixel-wide skeleton.
fn thin(image: &[bool]) -> Vec<bool> {
    let mut img = image.to_vec();
    let at = |img: &[bool], r: isize, c: isize| -> bool {
        (0..SIDE as isize).contains(&r)
            && (0..SIDE as isize).contains(&c)
            && img[r as usize * SIDE + c as usize]
    };
    loop {
        let mut changed = false;
        for pass in 0..2 {
            let mut remove = Vec::new();
            for r in 0..SIDE as isize {
                for c in 0..SIDE as isize {
                    if !at(&img, r, c) {
                        continue;
                    }
                    // P2..P9 clockwise from north.
                    let p = [
                        at(&img, r - 1, c),
                        at(&img, r - 1, c + 1),
                        at(&img, r, c + 1),
                        at(&img, r + 1, c + 1),
                        at(&img, r + 1, c),
                        at(&img, r + 1, c - 1),
                        at(&img, r, c - 1),
                        at(&img, r - 1, c - 1),
                    ];
                    let b = p.iter().filter(|&&v| v).count();
                    let a = (0..8).filter(|&k| !p[k] && p[(k + 1) % 8]).count();
                    let (n, e, s, w) = (p[0], p[2], p[4], p[6]);
                    let gone = if pass == 0 {
                        !(e && s && (n || w))
                    } else {
                        !(n && w && (e || s))
                    };
                    if (2..=6).contains(&b) && a == 1 && gone {
                        remove.push(r as usize * SIDE + c as usize);
                    }
                }
            }
            changed |= !remove.is_empty();
            for i in remove {
                img[i] = false;
            }
        }
        if !changed {
            return img;
        }
    }
}

/// The captions of every digit of a split, in [`Mnist::indices`] order.
pub fn captions(data: &Mnist, split: Split) -> Vec<Caption> {
    data.indices(split)
        .into_iter()
        .map(|i| Caption::of(data.label(i), data.image(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 28 x 28 image with full ink where `f(row, col)` holds.
    fn draw(f: impl Fn(f32, f32) -> bool) -> Vec<u8> {
        (0..PIXELS)
            .map(|i| {
                if f((i / SIDE) as f32, (i % SIDE) as f32) {
                    255
                } else {
                    0
                }
            })
            .collect()
    }

    /// A stroke of `width` pixels from (row 4, col `top`) to (row 23, col `bottom`).
    fn stroke(top: f32, bottom: f32, width: f32) -> Vec<u8> {
        draw(|r, c| {
            if !(4.0..24.0).contains(&r) {
                return false;
            }
            let centre = top + (bottom - top) * (r - 4.0) / 19.0;
            (c - centre).abs() < width / 2.0
        })
    }

    #[test]
    fn a_drawn_thick_upright_one_is_captioned_so() {
        let one = stroke(13.5, 13.5, 4.0);
        let m = measure(&one);
        // 20 rows of 4 pixels: 80 pixels of ink, a stroke 4 wide (thinning leaves a column
        // about 16 long, which the two free ends make up for).
        assert!((m.width - 4.0).abs() < 0.5, "width {}", m.width);
        assert!(m.slant.abs() < 1e-6, "slant {}", m.slant);
        assert_eq!(Caption::of(1, &one).text(), "a thick upright one");
    }

    #[test]
    fn a_thin_stroke_leaning_each_way_is_captioned_so() {
        // The top 6 pixels right of the bottom over 19 rows: slant 6 / 19 = 0.32 to the right.
        let right = stroke(17.0, 11.0, 1.5);
        let m = measure(&right);
        assert!((m.slant - 6.0 / 19.0).abs() < 0.03, "slant {}", m.slant);
        assert!(m.width < THIN_BELOW, "width {}", m.width);
        assert_eq!(Caption::of(7, &right).text(), "a thin seven slanted right");
        let left = stroke(11.0, 17.0, 1.5);
        assert!((measure(&left).slant + 6.0 / 19.0).abs() < 0.03);
        assert_eq!(Caption::of(2, &left).text(), "a thin two slanted left");
        let normal = stroke(14.0, 13.0, 2.4);
        assert_eq!(Caption::of(8, &normal).text(), "an upright eight");
    }

    #[test]
    fn thinning_leaves_a_one_pixel_skeleton_of_a_square_ring() {
        // A ring 3 pixels thick around a 6 x 6 hole: its skeleton is the ring's middle line.
        let ring = draw(|r, c| {
            let d = (r - 13.5).abs().max((c - 13.5).abs());
            (3.0..6.0).contains(&d)
        });
        let skeleton = thin(&ring.iter().map(|&p| p > 0).collect::<Vec<_>>());
        let n = skeleton.iter().filter(|&&s| s).count();
        // The middle square (side 9) has 4 x 9 - 4 = 32 pixels; corners may round by a few.
        assert!((28..=36).contains(&n), "{n} skeleton pixels");
        for (i, &s) in skeleton.iter().enumerate() {
            if s {
                assert!(ring[i] > 0, "the skeleton stays inside the ink");
            }
        }
    }

    #[test]
    fn typed_captions_are_read_and_unknown_words_named() {
        let (known, unknown) = tokenize("A THICK 7, slanted right!");
        let words: Vec<&str> = known.iter().map(|&i| VOCABULARY[i]).collect();
        assert_eq!(words, ["a", "thick", "seven", "slanted", "right"]);
        assert!(unknown.is_empty());
        // Synonyms read as the captions' words; filler is dropped.
        let (known, _) = tokenize("the bold digit 7 leaning right");
        let words: Vec<&str> = known.iter().map(|&i| VOCABULARY[i]).collect();
        assert_eq!(words, ["thick", "seven", "slanted", "right"]);
        let (known, unknown) = read_caption("a fluffy seven, fluffy and purple").unwrap();
        assert_eq!(known.len(), 2, "a, seven");
        assert_eq!(unknown, ["fluffy", "and", "purple"]);
        let empty = read_caption("  ,. ").unwrap_err().to_string();
        assert!(empty.contains("the caption is empty"), "{empty}");
        let none = read_caption("<script>alert(x)</script>")
            .unwrap_err()
            .to_string();
        assert!(none.contains("no word of the caption is known"), "{none}");
        assert!(none.contains("\"script\""), "{none}");
        let long = read_caption(&"seven ".repeat(2000))
            .unwrap_err()
            .to_string();
        assert!(long.contains("12000 characters long"), "{long}");
        // A caption's own text reads back to its own tokens, every word known.
        let c = Caption {
            digit: 8,
            thickness: Thickness::Thin,
            slant: Slant::Upright,
        };
        assert_eq!(c.text(), "a thin upright eight");
        assert!(tokenize(&c.text()).1.is_empty());
    }

    #[test]
    fn a_mismatched_attribute_changes_one_word_to_each_other_word() {
        let c = Caption {
            digit: 7,
            thickness: Thickness::Thick,
            slant: Slant::Right,
        };
        let texts = |thickness| [0, 1].map(|to| c.with_attribute_changed(thickness, to).text());
        assert_eq!(
            texts(true),
            ["a thin seven slanted right", "a seven slanted right"]
        );
        assert_eq!(
            texts(false),
            ["a thick seven slanted left", "a thick upright seven"]
        );
    }
}
