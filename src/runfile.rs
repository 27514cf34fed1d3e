//! The saved-run file, shared by the 2-D and the image trainers: 8 bytes of magic (the format's
//! name and version), the header's length (u32 LE), a JSON header, then one block of f32 LE
//! (weights, then optimiser moments) whose length the header implies.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::GanError;

/// A 2-D run (`Trainer::save`).
pub const RUN_MAGIC: &[u8; 8] = b"GANRUN\x00\x02";
/// An image-GAN run (`ImageTrainer::save`).
pub const IMAGE_RUN_MAGIC: &[u8; 8] = b"GANIMG\x00\x01";

fn bad(m: String) -> GanError {
    GanError::RunFile(m)
}

/// The file: `magic`, the header's length, `header` as JSON, `floats` as f32 LE.
pub fn write<H: Serialize>(magic: &[u8; 8], header: &H, floats: &[f32]) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("a run header always serialises");
    let mut out = Vec::with_capacity(12 + json.len() + 4 * floats.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    for v in floats {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// The header of a file that must start with `magic`, and where its floats begin. Refuses,
/// with a message, what is not a run file, a run of the other kind, another format version
/// and a corrupt header.
pub fn header<H: DeserializeOwned>(bytes: &[u8], magic: &[u8; 8]) -> Result<(H, usize), GanError> {
    let kind = |m: &[u8]| match m {
        b"GANRUN" => Some("a 2-D playground run"),
        b"GANIMG" => Some("an image-GAN run"),
        _ => None,
    };
    let wanted = kind(&magic[..6]).expect("a known magic");
    if bytes.len() < 12 {
        return Err(bad(format!(
            "this is not a GAN Playground run file ({} bytes)",
            bytes.len()
        )));
    }
    match kind(&bytes[..6]) {
        None => {
            return Err(bad(
                "this is not a GAN Playground run file (it starts with neither GANRUN nor GANIMG)"
                    .into(),
            ));
        }
        Some(found) if found != wanted => {
            return Err(bad(format!(
                "this file is {found}, and this section loads {wanted}"
            )));
        }
        _ => {}
    }
    if bytes[6..8] != magic[6..8] {
        return Err(bad(format!(
            "this run file has format version {}, and this playground reads version {}",
            u16::from_be_bytes([bytes[6], bytes[7]]),
            u16::from_be_bytes([magic[6], magic[7]])
        )));
    }
    let hlen = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
    let json = bytes
        .get(12..12usize.saturating_add(hlen))
        .ok_or_else(|| truncated(bytes))?;
    let h =
        serde_json::from_slice(json).map_err(|e| bad(format!("its header is corrupt ({e})")))?;
    Ok((h, 12 + hlen))
}

fn truncated(bytes: &[u8]) -> GanError {
    bad(format!("the file is truncated ({} bytes)", bytes.len()))
}

/// The `expected` floats from `at` on, which must end the file; all finite.
pub fn floats(bytes: &[u8], at: usize, expected: usize) -> Result<Vec<f32>, GanError> {
    let end = at + 4 * expected;
    let block = bytes.get(at..end).ok_or_else(|| truncated(bytes))?;
    if end != bytes.len() {
        return Err(bad(format!(
            "{} bytes follow the end of the run",
            bytes.len() - end
        )));
    }
    let v: Vec<f32> = block
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect();
    if !v.iter().all(|x| x.is_finite()) {
        return Err(bad("its weights hold NaN or infinite values".into()));
    }
    Ok(v)
}
