use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tracing::{debug, info, warn};

use crate::disk::DiskCache;
use crate::download::download;
use crate::failures::FailureMemo;
use crate::host_limit::HostLimiter;
use crate::http_client::build_client;
use crate::image_url::ImageUrl;
use crate::in_flight::{wait_for_outcome, InFlight, Join, Outcome};
use crate::lru::ByteLru;
use crate::stats::Counters;
use crate::transcode::{make_thumbnail, TranscodeLimits};
use crate::{Thumb, ThumbConfig, ThumbError, ThumbStats};

/// Fetching, checking, scaling and caching of product thumbnails.
///
/// Clones share one state. [`get`](Self::get) must run on a Tokio runtime, because each fetch
/// runs in a spawned task that finishes and fills the cache even when every caller has gone.
#[derive(Debug, Clone)]
pub struct ThumbCache {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: ThumbConfig,
    client: reqwest::Client,
    disk: Arc<DiskCache>,
    memory: Mutex<ByteLru<Thumb>>,
    failures: Mutex<FailureMemo>,
    in_flight: Arc<InFlight>,
    hosts: HostLimiter,
    counters: Counters,
}

impl ThumbCache {
    /// Checks `config`, builds the HTTP client and opens the disk cache in
    /// [`ThumbConfig::cache_dir`], creating the directory when missing.
    pub fn new(config: ThumbConfig) -> Result<Self, ThumbError> {
        config.validate()?;
        let client = build_client(&config)?;
        let disk = DiskCache::open(&config.cache_dir, config.max_cache_bytes)?;

        let inner = Inner {
            client,
            disk: Arc::new(disk),
            memory: Mutex::new(ByteLru::new(config.max_memory_bytes)),
            failures: Mutex::new(FailureMemo::new(config.failure_retry_after)),
            in_flight: Arc::new(InFlight::default()),
            hosts: HostLimiter::new(config.per_host_concurrency),
            counters: Counters::default(),
            config,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Returns the thumbnail of the picture at `url`, from memory, from disk or by fetching it.
    ///
    /// Concurrent calls for one URL share one fetch, and a failure is returned again without a
    /// fetch for [`ThumbConfig::failure_retry_after`].
    pub async fn get(&self, url: &str) -> Result<Thumb, ThumbError> {
        let target = match ImageUrl::parse(url) {
            Ok(target) => target,
            Err(error) => {
                warn!(%error, "rejected thumbnail URL");
                Counters::increment(&self.inner.counters.failures);
                return Err(error);
            }
        };

        if let Some(outcome) = self.inner.remembered_outcome(target.key()) {
            return outcome;
        }

        let redacted = target.redacted().to_owned();
        let receiver = match self.inner.in_flight.join(target.key()) {
            Join::Leader(leader, receiver) => {
                let inner = Arc::clone(&self.inner);
                tokio::spawn(async move {
                    // A load that finished between the check above and `join` has already
                    // filled the memory cache or the failure memo.
                    let outcome = match inner.remembered_outcome(target.key()) {
                        Some(outcome) => outcome,
                        None => {
                            let outcome = inner.load(&target).await;
                            inner.remember(target.key(), &outcome);
                            outcome
                        }
                    };
                    leader.publish(outcome);
                });
                receiver
            }
            Join::Follower(receiver) => receiver,
        };

        wait_for_outcome(receiver).await.unwrap_or_else(|| {
            Err(ThumbError::TaskFailed {
                url: redacted,
                cause: "the task panicked or the runtime shut down".to_owned(),
            })
        })
    }

    /// Returns the counters since this cache was created.
    pub fn stats(&self) -> ThumbStats {
        self.inner.counters.snapshot()
    }
}

impl Inner {
    /// Loads from disk or fetches, and stores a fetched thumbnail on disk.
    async fn load(&self, target: &ImageUrl) -> Outcome {
        if let Some(thumb) = self.disk.load(target.key()).await {
            Counters::increment(&self.counters.disk_hits);
            debug!(
                host = target.host(),
                path = target.path(),
                "thumbnail read from disk cache"
            );
            return Ok(thumb);
        }

        let outcome = self.fetch(target).await;

        match &outcome {
            Ok(thumb) => {
                if let Err(error) = self.disk.store(target.key(), thumb).await {
                    warn!(%error, "failed to store thumbnail on disk; it stays in memory only");
                }
            }
            Err(error) => {
                Counters::increment(&self.counters.failures);
                warn!(host = target.host(), path = target.path(), %error, "thumbnail fetch failed");
            }
        }
        outcome
    }

    /// Downloads under the per-host limit and the total timeout, then transcodes on the
    /// blocking thread pool.
    async fn fetch(&self, target: &ImageUrl) -> Outcome {
        let permit = self.hosts.acquire(&target.host_port()).await;

        Counters::increment(&self.counters.downloads_started);
        debug!(
            host = target.host(),
            path = target.path(),
            "thumbnail fetch started"
        );
        let started = Instant::now();

        let config = &self.config;
        let downloading = download(
            &self.client,
            target,
            config.max_download_bytes,
            config.connect_timeout,
        );
        let fetched = match tokio::time::timeout(config.request_timeout, downloading).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(ThumbError::TimedOut {
                    url: target.redacted().to_owned(),
                    stage: "fetching",
                    after: config.request_timeout,
                })
            }
        };
        // The slot guards the host, not the CPU, so it is free before decoding starts.
        drop(permit);

        let limits = TranscodeLimits {
            max_pixels: config.max_pixels,
            edge_px: config.edge_px,
        };
        let source_bytes = fetched.body.len();
        let url = target.redacted().to_owned();
        let thumb = tokio::task::spawn_blocking(move || {
            make_thumbnail(&fetched.body, limits, &url, fetched.content_type.as_deref())
        })
        .await
        .map_err(|error| ThumbError::TaskFailed {
            url: target.redacted().to_owned(),
            cause: error.to_string(),
        })??;

        debug!(
            host = target.host(),
            path = target.path(),
            source_bytes,
            thumb_bytes = thumb.bytes.len(),
            content_type = thumb.content_type,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "thumbnail fetch finished"
        );
        Ok(thumb)
    }

    /// Returns the thumbnail from the memory LRU or the failure from the failure memo, and
    /// counts the hit.
    fn remembered_outcome(&self, key: &str) -> Option<Outcome> {
        let memory_hit = self.lock_memory().get(key).cloned();
        if let Some(thumb) = memory_hit {
            Counters::increment(&self.counters.memory_hits);
            self.disk.touch(key);
            return Some(Ok(thumb));
        }

        let failure = self.lock_failures().get(key)?;
        Counters::increment(&self.counters.remembered_failures);
        Some(Err(failure))
    }

    /// Keeps a thumbnail in the memory LRU, or a failure in the failure memo.
    fn remember(&self, key: &str, outcome: &Outcome) {
        match outcome {
            Ok(thumb) => {
                let size = thumb.bytes.len() as u64;
                self.lock_memory()
                    .insert(key.to_owned(), thumb.clone(), size);
                self.lock_failures().remove(key);
            }
            Err(error) => {
                self.lock_failures().insert(key.to_owned(), error.clone());
            }
        }
    }

    fn lock_memory(&self) -> MutexGuard<'_, ByteLru<Thumb>> {
        // Each update is one call on the LRU, so a panic elsewhere leaves it consistent.
        self.memory
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_failures(&self) -> MutexGuard<'_, FailureMemo> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        info!(dir = %self.config.cache_dir.display(), "thumbnail cache closed");
    }
}
