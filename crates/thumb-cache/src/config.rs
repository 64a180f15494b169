use std::path::PathBuf;
use std::time::Duration;

use crate::ThumbError;

const MIB: u64 = 1024 * 1024;

/// Limits and locations for a [`ThumbCache`](crate::ThumbCache).
///
/// Build it with struct update syntax so that new fields keep their defaults:
/// `ThumbConfig { cache_dir, ..ThumbConfig::default() }`.
#[derive(Debug, Clone)]
pub struct ThumbConfig {
    /// Directory of the on-disk cache, created when missing. Files not named after a cache key
    /// are left alone.
    pub cache_dir: PathBuf,

    /// Maximum total size in bytes of the thumbnail files in `cache_dir`. The least recently
    /// used files are deleted beyond it.
    pub max_cache_bytes: u64,

    /// Maximum total size in bytes of the in-memory copies of recent thumbnails.
    pub max_memory_bytes: u64,

    /// Maximum size in bytes of one downloaded picture. A larger `Content-Length` is rejected
    /// before the body is read, and a streamed body is dropped as soon as it passes the limit.
    pub max_download_bytes: u64,

    /// Maximum width × height of a source picture. It is checked from the image header before
    /// decoding, so a decompression bomb is never decoded.
    pub max_pixels: u64,

    /// Maximum length in pixels of the longest edge of a thumbnail. Smaller pictures keep their
    /// size because upscaling only adds bytes.
    pub edge_px: u32,

    /// Maximum time to establish a connection.
    pub connect_timeout: Duration,

    /// Maximum time for one whole fetch, from sending the request to the last byte of the body,
    /// redirects included. Waiting for a per-host slot and decoding do not count.
    pub request_timeout: Duration,

    /// Maximum number of fetches running at once against one host and port.
    pub per_host_concurrency: usize,

    /// Time during which a failed URL returns its remembered error without a new fetch.
    pub failure_retry_after: Duration,
}

impl Default for ThumbConfig {
    fn default() -> Self {
        Self {
            cache_dir: std::env::temp_dir().join("replenish-thumbs"),
            max_cache_bytes: 200 * MIB,
            // About 2,000 thumbnails of 16 KiB, a few times the cards of a large session.
            max_memory_bytes: 32 * MIB,
            max_download_bytes: 8 * MIB,
            max_pixels: 40_000_000,
            // Twice the 96 px card picture, so that it stays sharp on HiDPI screens.
            edge_px: 192,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            per_host_concurrency: 8,
            failure_retry_after: Duration::from_secs(60),
        }
    }
}

impl ThumbConfig {
    /// Checks the values that would make every fetch fail or hang.
    pub(crate) fn validate(&self) -> Result<(), ThumbError> {
        let checks: [(&'static str, bool, String); 4] = [
            ("edge_px", self.edge_px == 0, self.edge_px.to_string()),
            (
                "per_host_concurrency",
                self.per_host_concurrency == 0,
                self.per_host_concurrency.to_string(),
            ),
            (
                "max_pixels",
                self.max_pixels == 0,
                self.max_pixels.to_string(),
            ),
            (
                "max_download_bytes",
                self.max_download_bytes == 0,
                self.max_download_bytes.to_string(),
            ),
        ];

        for (field, is_invalid, value) in checks {
            if is_invalid {
                return Err(ThumbError::InvalidConfig { field, value });
            }
        }
        Ok(())
    }
}
