//! Counts the bad frames of a session so a flood of them costs one log line per kind.
//!
//! A broken or hostile server may send thousands of bad frames a second. Logging each would
//! fill the disk and hide everything else, so the first of each kind is logged with its details,
//! the rest are only counted, and the counts are logged once when the session ends.

use std::collections::BTreeMap;

use tracing::{trace, warn};

/// Bad frames seen in one session, by kind.
#[derive(Debug, Default)]
pub struct ProblemTally {
    counts: BTreeMap<&'static str, u64>,
}

impl ProblemTally {
    /// Records one bad frame. Logs `detail` the first time `kind` is seen.
    pub fn note(&mut self, kind: &'static str, detail: &str) {
        let count = self.counts.entry(kind).or_insert(0);
        *count += 1;
        if *count == 1 {
            warn!(kind, %detail, "bad frame, session goes on; repeats of this kind are counted");
        } else {
            // TRACE, below every default filter: a flood must not write a line per frame.
            trace!(kind, count = *count, "bad frame repeated");
        }
    }

    /// Returns how many frames of `kind` were seen.
    pub fn count(&self, kind: &str) -> u64 {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// Logs how many frames of each kind were seen, if any kind was seen more than once.
    pub fn log_summary(&self) {
        for (kind, count) in &self.counts {
            if *count > 1 {
                warn!(kind, count, "bad frames in this session");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_kind_apart() {
        let mut tally = ProblemTally::default();
        for _ in 0..1000 {
            tally.note("not JSON", "frame: {");
        }
        tally.note("binary frame", "12 bytes");

        assert_eq!(tally.count("not JSON"), 1000);
        assert_eq!(tally.count("binary frame"), 1);
        assert_eq!(tally.count("unknown frame type"), 0);
    }
}
