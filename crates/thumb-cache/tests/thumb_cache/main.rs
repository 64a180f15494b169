//! Tests of `ThumbCache` against real HTTP servers on 127.0.0.1.

mod cache_hits;
mod concurrency;
mod eviction;
mod failures;
mod faults;
mod pictures;
mod scaling;
mod server;
