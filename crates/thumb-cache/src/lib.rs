//! Product thumbnails for the replenishment cards.
//!
//! [`ThumbCache::get`] takes a product's remote `http`/`https` picture URL and returns a small
//! JPEG or PNG whose longest edge is at most [`ThumbConfig::edge_px`]. On the way it:
//!
//! 1. rejects every scheme other than `http` and `https` before any I/O;
//! 2. fetches the URL once for all concurrent requests of it, with at most
//!    [`ThumbConfig::per_host_concurrency`] fetches per host, a connect timeout and a total
//!    timeout, at most three redirects, and a cap on the body size;
//! 3. checks the status, the declared content type, the real format sniffed from the bytes
//!    and the pixel count from the header, all before decoding;
//! 4. decodes, scales and encodes on the blocking thread pool;
//! 5. stores the result in a bounded in-memory LRU and in a bounded on-disk LRU.
//!
//! Failed pictures are never written to disk. Each failure is remembered in memory for
//! [`ThumbConfig::failure_retry_after`], so many cards that share one broken URL cause one fetch.
//!
//! Error messages and logs show URLs as scheme, host, port and path only, because the query
//! string of a picture URL may carry an access token.

mod cache;
mod config;
mod disk;
mod download;
mod error;
mod failures;
mod host_limit;
mod http_client;
mod image_url;
mod in_flight;
mod jpeg_end;
mod lru;
mod scale;
mod stats;
mod thumb;
mod transcode;

pub use cache::ThumbCache;
pub use config::ThumbConfig;
pub use error::ThumbError;
pub use stats::ThumbStats;
pub use thumb::{Thumb, CONTENT_TYPE_JPEG, CONTENT_TYPE_PNG};
pub use transcode::thumbnail_from_bytes;
