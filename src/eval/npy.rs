//! NumPy's `.npy` format for float32 arrays: version 1.0 written (magic `\x93NUMPY`, version
//! bytes 1 0, u16 LE header length, a Python dict literal padded with spaces to a multiple of 64
//! bytes with the magic, ending in a newline), versions 1.0 and 2.0 read; little-endian float32
//! (`<f4`), C order, 1-D or 2-D. Anything else is refused with what is wrong.

use crate::error::GanError;

const MAGIC: &[u8] = b"\x93NUMPY";

/// `rows x cols` float32 values as `.npy` bytes.
pub fn write(values: &[f32], rows: usize, cols: usize) -> Vec<u8> {
    assert_eq!(values.len(), rows * cols, "npy: shape and data agree");
    let mut header =
        format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    let unpadded = MAGIC.len() + 2 + 2 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + header.len() + values.len() * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    values
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out
}

/// A float32 array read from `.npy` bytes: its values and shape as (rows, cols) (a 1-D array
/// is one row per value: cols 1). `name` starts every message.
pub fn read(bytes: &[u8], name: &str) -> Result<(Vec<f32>, usize, usize), GanError> {
    let bad = |why: String| GanError::Data(format!("{name}: {why}"));
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(bad("not a .npy file (no \\x93NUMPY magic)".into()));
    }
    let (len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => {
            return Err(bad(format!(
                ".npy version {v}.{} is not supported",
                bytes[7]
            )));
        }
    };
    let header = bytes
        .get(start..start + len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad("the .npy header is cut short or not text".into()))?;
    let field = |key: &str| -> Option<&str> {
        let at = header.find(&format!("'{key}'"))? + key.len() + 2;
        let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
        Some(rest)
    };
    let descr = field("descr").ok_or_else(|| bad("the header has no 'descr'".into()))?;
    if !descr.starts_with("'<f4'") {
        let got = descr.split(',').next().unwrap_or("").trim();
        return Err(bad(format!(
            "holds {got}; expected little-endian float32 ('<f4')"
        )));
    }
    if !field("fortran_order").is_some_and(|f| f.starts_with("False")) {
        return Err(bad("Fortran-ordered arrays are not supported".into()));
    }
    let shape = field("shape").ok_or_else(|| bad("the header has no 'shape'".into()))?;
    let inner = shape
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad("the header's shape is not a tuple".into()))?;
    let dims: Vec<usize> = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| bad(format!("shape entry `{s}` is not a count")))
        })
        .collect::<Result<_, _>>()?;
    let (rows, cols) = match dims[..] {
        [n] => (n, 1),
        [r, c] => (r, c),
        _ => return Err(bad(format!("shape {dims:?}; expected 1 or 2 dimensions"))),
    };
    let data = &bytes[start + len..];
    if data.len() != rows * cols * 4 {
        return Err(bad(format!(
            "shape ({rows}, {cols}) needs {} bytes of data, the file has {}",
            rows * cols * 4,
            data.len()
        )));
    }
    let values = data
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok((values, rows, cols))
}
