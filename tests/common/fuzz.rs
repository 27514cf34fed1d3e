//! Hostile versions of a saved run, for the fuzz tests (native in tests/run_file.rs and
//! tests/image_files.rs, wasm32 in tests/web.rs): every header byte changed, every bit of the
//! magic flipped, random bit flips in the payload (the checksum's work), and structured
//! mutations of the JSON header with the checksum recomputed (to reach the checks behind it:
//! sizes that wrap on 32 bits, sizes past the file, repeated entries, missing keys). Each is
//! either refused with a message or loads a run equal to the one saved; `tally` counts.

use gan_playground::gan::runfile::reseal;
use serde_json::{Value, json};

/// One mutation: what it is, the bytes.
pub type Case = (String, Vec<u8>);

/// Outcomes: refused with a message, loaded equal to the original, anything else.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    pub refused: usize,
    pub identical: usize,
    pub other: Vec<String>,
}

fn header_len(file: &[u8]) -> usize {
    u32::from_le_bytes(file[8..12].try_into().unwrap()) as usize
}

/// The file with its JSON header replaced by `edit(header)`, the checksum recomputed.
pub fn with_header(file: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let n = header_len(file);
    let mut h: Value = serde_json::from_slice(&file[12..12 + n]).unwrap();
    edit(&mut h);
    let json = serde_json::to_vec(&h).unwrap();
    let mut out = [
        &file[..8],
        &(json.len() as u32).to_le_bytes()[..],
        &json,
        &file[12 + n..],
    ]
    .concat();
    reseal(&mut out);
    out
}

/// A small deterministic generator (xorshift) for positions.
struct Xs(u64);
impl Xs {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Every mutation of `file` (a sealed run file), `flips` random payload bit flips among them.
pub fn mutations(file: &[u8], flips: usize, seed: u64) -> Vec<Case> {
    let mut out: Vec<Case> = vec![("the file as saved".into(), file.to_vec())];
    let n = header_len(file);
    for i in 0..12 + n {
        for x in [0x01u8, 0x80, 0xFF] {
            let mut b = file.to_vec();
            b[i] ^= x;
            out.push((format!("header byte {i} ^ {x:#04x}"), b));
        }
    }
    for bit in 0..64 {
        let mut b = file.to_vec();
        b[bit / 8] ^= 1 << (bit % 8);
        let mut sealed = b.clone();
        reseal(&mut sealed);
        out.push((format!("magic bit {bit}"), b));
        out.push((format!("magic bit {bit}, resealed"), sealed));
    }
    let mut rng = Xs(seed | 1);
    for _ in 0..flips {
        let i = 12 + n + rng.below(file.len() - 12 - n);
        let bit = rng.below(8);
        let mut b = file.to_vec();
        b[i] ^= 1 << bit;
        out.push((format!("payload byte {i} bit {bit}"), b));
    }
    let big = [
        json!(1u64 << 29),
        json!(1u64 << 31),
        json!(1u64 << 32),
        json!(u64::MAX),
        json!(-1),
        json!(1e300),
        json!("7"),
    ];
    for (k, v) in big.iter().enumerate() {
        for opt in ["optG", "optD"] {
            out.push((
                format!("{opt} entry of size {v}"),
                with_header(file, |h| {
                    if let Some(p) = h[opt]["params"].as_array_mut().and_then(|p| p.first_mut()) {
                        p[2] = v.clone();
                    } else {
                        h[opt]["params"] = json!([[1, 1, v.clone()]]);
                    }
                }),
            ));
        }
        for key in ["genFloats", "discFloats"] {
            out.push((
                format!("{key} = {v}"),
                with_header(file, |h| h[key] = v.clone()),
            ));
        }
        // A step count is any number to 2^53 - 1 (the page's numbers); past that, refused.
        if k >= 3 {
            out.push((
                format!("step = {v}"),
                with_header(file, |h| h["step"] = v.clone()),
            ));
        }
    }
    // Entries whose doubled sizes add up to 2^32 (0 on wasm32) or to the real count.
    for n2 in [1u64 << 31, 1u64 << 30, 1u64 << 29] {
        out.push((
            format!("optG gains entries of {n2} values"),
            with_header(file, |h| {
                let id = h["genIds"][0].clone();
                let reps = (1u64 << 32) / (2 * n2);
                let p = h["optG"]["params"].as_array_mut().unwrap();
                for _ in 0..reps {
                    p.push(json!([id.clone(), 1, n2]));
                }
            }),
        ));
    }
    out.push((
        "optG lists a parameter twice".into(),
        with_header(file, |h| {
            let p = h["optG"]["params"].as_array_mut().unwrap();
            if let Some(first) = p.first().cloned() {
                p.push(first);
            }
        }),
    ));
    for key in ["genIds", "discIds", "config", "optG", "rng", "genFloats"] {
        out.push((
            format!("{key} left out"),
            with_header(file, |h| {
                h.as_object_mut().unwrap().remove(key);
            }),
        ));
    }
    out.push((
        "genIds emptied".into(),
        with_header(file, |h| h["genIds"] = json!([])),
    ));
    out.push((
        "an unknown key".into(),
        with_header(file, |h| h["payload"] = json!(1)),
    ));
    out.push((
        "ema claimed".into(),
        with_header(file, |h| {
            h["ema"] = json!(!h["ema"].as_bool().unwrap_or(false))
        }),
    ));
    out.push((
        "a config over the budget".into(),
        with_header(file, |h| {
            h["config"]["batchSize"] = json!(512);
            h["config"]["k"] = json!(20);
            h["config"]["discWidth"] = json!(if h["config"]["arch"].is_null() {
                1024
            } else {
                128
            });
        }),
    ));
    for len in [0u32, 1, u32::MAX, (file.len() - 12) as u32, (n + 4) as u32] {
        let mut b = file.to_vec();
        b[8..12].copy_from_slice(&len.to_le_bytes());
        reseal(&mut b);
        out.push((format!("header length {len}"), b));
    }
    let body = file.len() - 4;
    let mut short = [&file[..body - 4], &file[body..]].concat();
    reseal(&mut short);
    out.push(("one float fewer".into(), short));
    let mut long = [&file[..body], &[0u8; 4][..], &file[body..]].concat();
    reseal(&mut long);
    out.push(("one float more".into(), long));
    let mut nan = file.to_vec();
    nan[12 + n..16 + n].copy_from_slice(&f32::NAN.to_le_bytes());
    reseal(&mut nan);
    out.push(("a NaN weight".into(), nan));
    out.push(("cut to 12 bytes".into(), file[..12].to_vec()));
    out.push(("cut before the checksum".into(), file[..body].to_vec()));
    out
}

/// The parts of a saved run that say what it is: the header without the tensors' ids (a
/// loaded network's parameters get fresh ones), and the floats, each optimiser's moments in
/// the networks' visiting order (a saved optimiser lists them in the order of its ids).
pub fn canonical(file: &[u8]) -> (Value, Vec<u8>) {
    let n = header_len(file);
    let mut h: Value = serde_json::from_slice(&file[12..12 + n]).unwrap();
    let floats = &file[12 + n..file.len() - 4];
    let count = |k: &str| h[k].as_u64().unwrap() as usize;
    let nets = 4
        * (count("genFloats") * (1 + h["ema"].as_bool().unwrap_or(false) as usize)
            + count("discFloats"));
    let mut out = floats[..nets].to_vec();
    let mut at = nets;
    for (opt, ids) in [("optG", "genIds"), ("optD", "discIds")] {
        let order: Vec<u64> = h[ids]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let mut entries: Vec<(usize, u64, Vec<u8>)> = Vec::new();
        for p in h[opt]["params"].as_array_mut().unwrap() {
            let id = p[0].as_u64().unwrap();
            let len = 8 * p[2].as_u64().unwrap() as usize;
            let pos = order.iter().position(|&x| x == id).unwrap();
            entries.push((pos, p[1].as_u64().unwrap(), floats[at..at + len].to_vec()));
            at += len;
        }
        entries.sort_by_key(|e| e.0);
        h[opt]["params"] = json!(
            entries
                .iter()
                .map(|e| json!([e.0, e.1]))
                .collect::<Vec<_>>()
        );
        for e in entries {
            out.extend(e.2);
        }
    }
    let o = h.as_object_mut().unwrap();
    o.remove("genIds");
    o.remove("discIds");
    (h, out)
}

/// Adds the outcome of loading one case: `loaded` is the run saved again after loading it, or
/// the message it was refused with; `reference` the original saved again after loading.
pub fn count(t: &mut Tally, what: &str, loaded: Result<Vec<u8>, String>, reference: &[u8]) {
    match loaded {
        Err(msg)
            if msg.starts_with("could not load the run: ") || msg.starts_with("invalid config") =>
        {
            t.refused += 1
        }
        Err(msg) => t
            .other
            .push(format!("{what}: refused without a run-file message: {msg}")),
        Ok(again) if canonical(&again) == canonical(reference) => t.identical += 1,
        Ok(_) => t.other.push(format!("{what}: loaded something else")),
    }
}

/// Loads every mutation of `file` with `load` (the run saved again, or the message it was
/// refused with), prints the counts as `fuzz (<what>, N bytes): …` (the benchmark reads that
/// line) and asserts that each case was refused or loaded exactly what was saved.
pub fn run(
    what: &str,
    file: &[u8],
    flips: usize,
    seed: u64,
    load: impl Fn(&[u8]) -> Result<Vec<u8>, String>,
) -> Tally {
    let reference = load(file).unwrap();
    let mut tally = Tally::default();
    let cases = mutations(file, flips, seed);
    for (name, bytes) in &cases {
        count(&mut tally, name, load(bytes), &reference);
    }
    eprintln!(
        "fuzz ({what}, {} bytes): {} cases: {} refused, {} identical, {} other",
        file.len(),
        cases.len(),
        tally.refused,
        tally.identical,
        tally.other.len()
    );
    assert!(tally.other.is_empty(), "{:#?}", tally.other);
    assert_eq!(tally.identical, 1, "only the file as saved loads");
    tally
}
