use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ThumbError;

/// Number of remembered failures above which expired ones are dropped on the next insert.
const PRUNE_THRESHOLD: usize = 1024;

/// Recent failures by cache key, so that many cards with one broken URL cause one fetch.
#[derive(Debug)]
pub(crate) struct FailureMemo {
    retry_after: Duration,
    entries: HashMap<String, (ThumbError, Instant)>,
}

impl FailureMemo {
    pub(crate) fn new(retry_after: Duration) -> Self {
        Self {
            retry_after,
            entries: HashMap::new(),
        }
    }

    /// Returns the failure of `key` if it happened less than `retry_after` ago.
    pub(crate) fn get(&mut self, key: &str) -> Option<ThumbError> {
        let (error, failed_at) = self.entries.get(key)?;
        if failed_at.elapsed() < self.retry_after {
            return Some(error.clone());
        }

        self.entries.remove(key);
        None
    }

    pub(crate) fn insert(&mut self, key: String, error: ThumbError) {
        if self.entries.len() >= PRUNE_THRESHOLD {
            let retry_after = self.retry_after;
            self.entries
                .retain(|_, (_, failed_at)| failed_at.elapsed() < retry_after);
        }
        self.entries.insert(key, (error, Instant::now()));
    }

    pub(crate) fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }
}
