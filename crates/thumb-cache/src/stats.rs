use std::sync::atomic::{AtomicU64, Ordering};

/// Counters since the cache was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThumbStats {
    /// HTTP fetches started, one per URL that was found in neither cache.
    pub downloads_started: u64,
    /// Requests served from the in-memory LRU.
    pub memory_hits: u64,
    /// Fetches avoided because the thumbnail was on disk.
    pub disk_hits: u64,
    /// Requests that failed on their own, from a rejected URL or a failed fetch. Requests that
    /// waited for the same fetch or got a remembered failure are not counted again.
    pub failures: u64,
    /// Requests that returned a remembered failure, without a new fetch.
    pub remembered_failures: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) downloads_started: AtomicU64,
    pub(crate) memory_hits: AtomicU64,
    pub(crate) disk_hits: AtomicU64,
    pub(crate) failures: AtomicU64,
    pub(crate) remembered_failures: AtomicU64,
}

impl Counters {
    pub(crate) fn increment(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ThumbStats {
        ThumbStats {
            downloads_started: self.downloads_started.load(Ordering::Relaxed),
            memory_hits: self.memory_hits.load(Ordering::Relaxed),
            disk_hits: self.disk_hits.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            remembered_failures: self.remembered_failures.load(Ordering::Relaxed),
        }
    }
}
