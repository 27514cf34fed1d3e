//! What a run costs before it runs: an estimate of the arithmetic (FLOPs) and the memory of
//! one training step from a config alone, and the budgets every run and every call is held
//! to. A setting inside its documented range can still be far too big in combination (widths
//! of 1,024 with 8 layers, a batch of 4,096 and k = 100 make one step of ~10^14 FLOPs: hours
//! in a page); such a run is refused with a message naming the settings to lower, before
//! anything is allocated, and the run in progress goes on.
//!
//! The budgets, and why: the page trains in frames and answers between them, so one step
//! must stay short. [`STEP_FLOPS`] is 3·10^10 FLOPs: ~3 s on a laptop core in wasm (10 GFLOP/s;
//! the development machine's core does ~20), ~900 times the 2-D default step and ~17 times the
//! DCGAN default round. [`STEP_BYTES`] is 1 GiB of tensors: wasm32 memory ends at 4 GiB, a
//! phone's tab gets far less, and a snapshot of the run is kept besides. [`CALL_FLOPS`] bounds
//! one call (`step(n)` and the like): 6·10^12 FLOPs, ~10 minutes on that laptop core.

use crate::error::GanError;

/// Most FLOPs one training step may take.
pub const STEP_FLOPS: f64 = 3e10;
/// Most bytes of tensors one training step may hold.
pub const STEP_BYTES: f64 = (1u64 << 30) as f64;
/// Most FLOPs one call of the API may take (`n` steps, or `n` images).
pub const CALL_FLOPS: f64 = 6e12;
/// The laptop core the budgets are in terms of (FLOP/s, wasm, one thread).
pub const LAPTOP_FLOPS: f64 = 1e10;

/// The estimated cost of one training step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    /// Arithmetic: 2 per multiply-add, forward and backward.
    pub flops: f64,
    /// Tensors alive at once: parameters with their gradients and Adam moments, and the
    /// activations autodiff keeps (with their gradients) for the largest pass.
    pub bytes: f64,
}

/// FLOPs of a forward pass, its backward and the weight gradient, for `macs` multiply-adds.
pub fn train_flops(macs: f64) -> f64 {
    // 2 FLOPs per MAC; backward costs twice the forward (input and weight gradients).
    6.0 * macs
}

impl Cost {
    /// Refuses a step over the budgets, naming `lower` (the settings that drive the cost).
    pub fn check(&self, lower: &str) -> Result<(), GanError> {
        let secs = self.flops / LAPTOP_FLOPS;
        if self.flops > STEP_FLOPS {
            return Err(GanError::Config(format!(
                "these settings make one training step about {:.1e} FLOPs (~{} on a laptop \
                 core), over the playground's budget of {:.0e} (~3 s): lower {lower}",
                self.flops,
                duration(secs),
                STEP_FLOPS
            )));
        }
        if self.bytes > STEP_BYTES {
            return Err(GanError::Config(format!(
                "these settings need about {:.1} GB of memory for one training step, over the \
                 playground's budget of 1 GB: lower {lower}",
                self.bytes / 1e9
            )));
        }
        Ok(())
    }

    /// Refuses a call of `n` units of `per` FLOPs each over [`CALL_FLOPS`].
    pub fn check_call(call: &str, n: f64, per: f64) -> Result<(), GanError> {
        let total = n * per;
        if total > CALL_FLOPS {
            return Err(GanError::Config(format!(
                "{call} would take about {:.1e} FLOPs (~{} on a laptop core), over one call's \
                 budget of {:.0e} (~10 minutes): ask for fewer at a time",
                total,
                duration(total / LAPTOP_FLOPS),
                CALL_FLOPS
            )));
        }
        Ok(())
    }
}

/// `secs` in words: "40 s", "12 minutes", "3.5 hours".
fn duration(secs: f64) -> String {
    if secs < 120.0 {
        format!("{secs:.0} s")
    } else if secs < 7200.0 {
        format!("{:.0} minutes", secs / 60.0)
    } else {
        format!("{:.1} hours", secs / 3600.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_budgets_refuse_with_the_settings_to_lower() {
        assert!(
            Cost {
                flops: 1e9,
                bytes: 1e8
            }
            .check("x")
            .is_ok()
        );
        let e = Cost {
            flops: 1e14,
            bytes: 1e8,
        }
        .check("batchSize, k")
        .unwrap_err();
        assert!(e.to_string().contains("2.8 hours"), "{e}");
        assert!(e.to_string().contains("lower batchSize, k"), "{e}");
        let e = Cost {
            flops: 1e9,
            bytes: 5e9,
        }
        .check("genWidth")
        .unwrap_err();
        assert!(e.to_string().contains("5.0 GB"), "{e}");
        assert!(Cost::check_call("step(10)", 10.0, 1e9).is_ok());
        let e = Cost::check_call("step(4294967295)", 4294967295.0, 3e7).unwrap_err();
        assert!(e.to_string().contains("ask for fewer"), "{e}");
    }
}
