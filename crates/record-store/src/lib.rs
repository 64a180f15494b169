//! Keeps every replenishment session on the PC, so a store manager can account days later for
//! what went into each cabinet and at what cost.
//!
//! - [`RecordStore`] is a SQLite database of sessions and the product lines of their final lists.
//!   Money is stored as exact decimal text, never as floating point.
//! - [`Journal`] is a file per session where the caller appends every received frame, synced to
//!   disk, before processing it. [`RecordStore::recover`] replays the journals of sessions that a
//!   crash or power loss left unfinished.
//! - [`export`] writes stored sessions as CSV or XLSX, one row per product line.
//! - [`history`] validates the window's History filter and builds its view models.
//!
//! Every call is synchronous and may wait for the disk. An async caller runs it on a blocking
//! thread (`tokio::task::spawn_blocking`).

mod crash_point;
mod error;
pub mod export;
mod filter;
pub mod history;
mod journal;
mod line_rows;
mod migrations;
mod outcome;
mod query;
pub mod recorder;
mod recover;
mod session;
mod sql_values;
mod store;
mod stored;
mod write;

#[cfg(test)]
mod crash_tests;

pub use error::{JournalError, StoreError};
pub use filter::{Filter, FilterTotals};
pub use journal::{Journal, JournalEntry, SessionLock};
pub use outcome::Outcome;
pub use recover::{RecoveredSession, RecoveryReport};
pub use session::{Ending, NewSession, SessionId};
pub use store::RecordStore;
pub use stored::{FinalOutcome, SessionSummary, StoredSession};
