//! The one file container of every kind of file the engine writes: 8 bytes of magic (the
//! kind's name and format version), the header's length (u32 LE), a JSON header, one block of
//! f32 LE whose length the header implies, and (runs) a CRC-32 of everything before it. 2-D
//! runs, image runs and the digit classifier are each a [`FileKind`]; reading one checks the
//! magic and version, the checksum, the header and the block, and refuses anything else with a
//! message that says what the file is. Every size a file declares is checked against the
//! file's length before anything is allocated, with arithmetic that cannot wrap on wasm32.
//! Runs saved before the checksum (2-D version 2, image version 1) are still read.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::GanError;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A 2-D playground run (`Toy2dTrainer::save`), format version 3 (2: no checksum).
    Run2d,
    /// An image-GAN run (`ImageTrainer::save`), format version 2 (1: no checksum).
    ImageRun,
    /// The shipped digit classifier (`assets/classifier.bin`), format version 1.
    Classifier,
    /// A CycleGAN run (`CycleTrainer::save`), format version 1.
    CycleRun,
    /// A StackGAN run (`StackTrainer::save`), format version 1.
    StackRun,
}

/// The runs a run file may be, for telling one from the other.
const RUNS: [FileKind; 4] = [
    FileKind::Run2d,
    FileKind::ImageRun,
    FileKind::CycleRun,
    FileKind::StackRun,
];

impl FileKind {
    /// The first 8 bytes of a file of this kind: its name and format version (u16 BE).
    pub const fn magic(self) -> &'static [u8; 8] {
        match self {
            FileKind::Run2d => b"GANRUN\x00\x03",
            FileKind::ImageRun => b"GANIMG\x00\x02",
            FileKind::Classifier => b"GANCLS\x00\x01",
            FileKind::CycleRun => b"GANCYC\x00\x01",
            FileKind::StackRun => b"GANSTK\x00\x01",
        }
    }

    /// The format version this playground writes, and whether it ends with a checksum.
    fn version(self) -> u16 {
        let m = self.magic();
        u16::from_be_bytes([m[6], m[7]])
    }

    /// Whether files of this kind end with a CRC-32 (runs do; the shipped classifier does not).
    fn sealed(self) -> bool {
        self.is_run()
    }

    /// The version a file of this kind was written in before checksums, still read.
    fn legacy(self) -> Option<u16> {
        match self {
            FileKind::Run2d => Some(2),
            FileKind::ImageRun => Some(1),
            FileKind::Classifier | FileKind::CycleRun | FileKind::StackRun => None,
        }
    }

    /// The kind, in words.
    fn noun(self) -> &'static str {
        match self {
            FileKind::Run2d => "a 2-D playground run",
            FileKind::ImageRun => "an image-GAN run",
            FileKind::Classifier => "a digit classifier",
            FileKind::CycleRun => "a CycleGAN run",
            FileKind::StackRun => "a StackGAN run",
        }
    }

    fn is_run(self) -> bool {
        RUNS.contains(&self)
    }

    /// The error of a bad file of this kind: a run that cannot be loaded, or a bad asset.
    fn error(self, msg: String) -> GanError {
        if self.is_run() {
            GanError::RunFile(msg)
        } else {
            GanError::Data(format!("classifier file: {msg}"))
        }
    }

    /// "not a file of this kind", in this kind's words.
    fn not_ours(self, bytes: &[u8]) -> GanError {
        self.error(if !self.is_run() {
            "not a classifier (wrong magic)".into()
        } else if bytes.len() < 12 {
            format!(
                "this is not a GAN Playground run file ({} bytes)",
                bytes.len()
            )
        } else {
            "this is not a GAN Playground run file (it starts with none of GANRUN, GANIMG, GANCYC and GANSTK)"
                .into()
        })
    }

    fn truncated(self, bytes: &[u8], in_header: bool) -> GanError {
        self.error(match (self.is_run(), in_header) {
            (false, true) => "truncated header".into(),
            (false, false) => format!("truncated ({} bytes)", bytes.len()),
            (true, _) => format!("the file is truncated ({} bytes)", bytes.len()),
        })
    }
}

/// The file: `kind`'s magic, the header's length, `header` as JSON, `floats` as f32 LE.
pub fn write<H: Serialize>(kind: FileKind, header: &H, floats: &[f32]) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("a file header always serialises");
    let mut out = Vec::with_capacity(12 + json.len() + 4 * floats.len());
    out.extend_from_slice(kind.magic());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    for v in floats {
        out.extend_from_slice(&v.to_le_bytes());
    }
    if kind.sealed() {
        let sum = crc32(&out);
        out.extend_from_slice(&sum.to_le_bytes());
    }
    out
}

/// CRC-32 (IEEE 802.3, the polynomial of zip and PNG) of `bytes`: every single-bit flip and
/// every burst of up to 32 bits changes it.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    !bytes.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// A sealed file's bytes with its checksum recomputed (for tests that craft files the
/// checksum does not catch, to reach the checks behind it).
pub fn reseal(bytes: &mut [u8]) {
    if bytes.len() >= 4 {
        let n = bytes.len() - 4;
        let sum = crc32(&bytes[..n]);
        bytes[n..].copy_from_slice(&sum.to_le_bytes());
    }
}

/// The part of a file of `kind` before its checksum (the whole file for an unsealed kind or
/// version), once the version is right and, with `verify`, the checksum ([`header`] verifies
/// it; [`floats`], which comes after, only strips it: one pass over the file, not two).
fn body(kind: FileKind, bytes: &[u8], verify: bool) -> Result<&[u8], GanError> {
    let version = u16::from_be_bytes([bytes[6], bytes[7]]);
    if version == kind.version() && kind.sealed() {
        let n = bytes
            .len()
            .checked_sub(16)
            .ok_or_else(|| kind.truncated(bytes, true))?
            + 12;
        let saved = u32::from_le_bytes(bytes[n..].try_into().expect("4 bytes"));
        if verify && crc32(&bytes[..n]) != saved {
            return Err(kind.error(
                "the file is damaged: its checksum does not match its contents (it was \
                 changed or cut after it was saved)"
                    .into(),
            ));
        }
        Ok(&bytes[..n])
    } else if version == kind.version() || Some(version) == kind.legacy() {
        Ok(bytes)
    } else {
        Err(kind.error(format!(
            "this file has format version {version}, and this playground reads version {}",
            kind.version()
        )))
    }
}

/// The header of a file of `kind`, and where its floats begin. Refuses, with a message, what
/// is not a file of this project, a run of the other kind, another format version and a
/// corrupt header.
pub fn header<H: DeserializeOwned>(kind: FileKind, bytes: &[u8]) -> Result<(H, usize), GanError> {
    let magic = kind.magic();
    if bytes.len() < 12 || bytes[..6] != magic[..6] {
        let other = RUNS
            .into_iter()
            .find(|k| bytes.len() >= 12 && bytes[..6] == k.magic()[..6]);
        return Err(match other {
            Some(found) if kind.is_run() => kind.error(format!(
                "this file is {}, and this section loads {}",
                found.noun(),
                kind.noun()
            )),
            _ => kind.not_ours(bytes),
        });
    }
    let bytes = body(kind, bytes, true)?;
    let hlen = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
    let json = 12usize
        .checked_add(hlen)
        .and_then(|end| bytes.get(12..end))
        .ok_or_else(|| kind.truncated(bytes, true))?;
    let h = serde_json::from_slice(json).map_err(|e| {
        kind.error(if kind.is_run() {
            format!("its header is corrupt ({e})")
        } else {
            format!("header: {e}")
        })
    })?;
    Ok((h, 12 + hlen))
}

/// The `expected` floats from `at` on (as [`header`], which checks the checksum, returned it;
/// call it first), which must end the file
/// (before its checksum); all finite. The count is checked against the file's length before
/// anything is allocated.
pub fn floats(
    kind: FileKind,
    bytes: &[u8],
    at: usize,
    expected: usize,
) -> Result<Vec<f32>, GanError> {
    if bytes.len() < 12 || bytes[..6] != kind.magic()[..6] {
        return Err(kind.not_ours(bytes));
    }
    let bytes = body(kind, bytes, false)?;
    let end = expected
        .checked_mul(4)
        .and_then(|n| n.checked_add(at))
        .ok_or_else(|| kind.truncated(bytes, false))?;
    if !kind.is_run() && end != bytes.len() {
        return Err(kind.error(format!(
            "{} weight bytes for a network of {expected} weights",
            bytes.len().saturating_sub(at)
        )));
    }
    let block = bytes
        .get(at..end)
        .ok_or_else(|| kind.truncated(bytes, false))?;
    if end != bytes.len() {
        return Err(kind.error(format!(
            "{} bytes follow the end of the run",
            bytes.len() - end
        )));
    }
    let v: Vec<f32> = block
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect();
    if !v.iter().all(|x| x.is_finite()) {
        return Err(kind.error("its weights hold NaN or infinite values".into()));
    }
    Ok(v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_back_and_each_kind_refuses_the_others() {
        let file = write(
            FileKind::ImageRun,
            &serde_json::json!({"a": 1}),
            &[1.0, 2.5],
        );
        let (h, at): (serde_json::Value, usize) = header(FileKind::ImageRun, &file).unwrap();
        assert_eq!(h["a"], 1);
        assert_eq!(
            floats(FileKind::ImageRun, &file, at, 2).unwrap(),
            [1.0, 2.5]
        );
        let err = header::<serde_json::Value>(FileKind::Run2d, &file).unwrap_err();
        assert!(
            err.to_string()
                .contains("this file is an image-GAN run, and this section loads a 2-D"),
            "{err}"
        );
        let err = header::<serde_json::Value>(FileKind::Classifier, &file).unwrap_err();
        assert!(err.to_string().contains("not a classifier"), "{err}");
        // A header that declares more floats than memory: refused, not wrapped around.
        let err = floats(FileKind::ImageRun, &file, at, usize::MAX / 2).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn every_bit_flip_is_refused_and_old_versions_still_read() {
        let file = write(FileKind::Run2d, &serde_json::json!({"a": 1}), &[1.0, 2.5]);
        for i in 0..file.len() * 8 {
            let mut bad = file.clone();
            bad[i / 8] ^= 1 << (i % 8);
            let r = header::<serde_json::Value>(FileKind::Run2d, &bad)
                .and_then(|(_, at)| floats(FileKind::Run2d, &bad, at, 2));
            assert!(r.is_err(), "bit {i} flipped loads");
        }
        // The known CRC-32 of "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // Version 2 (before the checksum): the same layout without the last 4 bytes.
        let mut old = file[..file.len() - 4].to_vec();
        old[7] = 2;
        let (_, at): (serde_json::Value, usize) = header(FileKind::Run2d, &old).unwrap();
        assert_eq!(floats(FileKind::Run2d, &old, at, 2).unwrap(), [1.0, 2.5]);
    }
}
