//! The engine's error type: every failure a user can cause, with a message that says what to do.

use std::fmt;

/// Everything that can go wrong in the engine, each with a message a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum GanError {
    /// The configuration JSON could not be read (bad syntax, unknown key, wrong type).
    Config(String),
    /// A setting is outside its allowed range.
    OutOfRange {
        /// The config key, as written in JSON.
        key: &'static str,
        /// The value that was given.
        value: String,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// The requested backend cannot run here.
    Backend(String),
    /// A tensor could not be read back from the device.
    Readback(String),
    /// A data asset could not be read.
    Data(String),
    /// A saved run could not be read (not a run file, truncated, corrupt, incompatible).
    RunFile(String),
    /// Training produced a NaN or infinite loss.
    Diverged {
        /// The step at which the non-finite loss appeared.
        step: u64,
    },
}

impl fmt::Display for GanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GanError::Config(msg) => write!(f, "invalid config: {msg}"),
            GanError::OutOfRange {
                key,
                value,
                allowed,
            } => write!(
                f,
                "invalid config: {key} = {value} is out of range ({allowed})"
            ),
            GanError::Backend(msg) => write!(f, "backend unavailable: {msg}"),
            GanError::Data(msg) => write!(f, "{msg}"),
            GanError::RunFile(msg) => write!(f, "could not load the run: {msg}"),
            GanError::Readback(msg) => write!(f, "could not read results from the device: {msg}"),
            GanError::Diverged { step } => write!(
                f,
                "training diverged at step {step}: a loss became NaN or infinite; \
                 lower the learning rates (lrD, lrG) and reset"
            ),
        }
    }
}

impl std::error::Error for GanError {}
