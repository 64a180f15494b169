//! Results of the store: sessions with their totals, and their final lists.

use replenish_core::model::FinalList;
use replenish_core::summary::Totals;

use crate::outcome::Outcome;
use crate::session::SessionId;

/// The result of [`crate::RecordStore::record_final`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalOutcome {
    /// The list is committed to disk with this session.
    Stored,
    /// The same server already sent this record id, and session `existing` contains its list.
    /// This session is marked as a duplicate of it and stores no lines, so nothing counts twice.
    /// `existing` is the session itself when its final list was already stored.
    Duplicate { existing: SessionId },
}

/// One stored session and the totals of its final list. Times are in ms since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: SessionId,
    pub device_no: String,
    pub device_name: Option<String>,
    pub endpoint_host: String,
    pub started_at_ms: u64,
    /// When the session ended. `None` while it runs, and for sessions that the app's stop
    /// interrupted before any frame arrived, since their end is unknown.
    pub ended_at_ms: Option<u64>,
    pub outcome: Outcome,
    pub server_message: Option<String>,
    pub code: Option<i64>,
    pub close_code: Option<u16>,
    pub detail: Option<String>,
    /// The server's record id of the final list. `None` for an empty list without one, and for a
    /// duplicate, whose id belongs to the session in `duplicate_of`.
    pub record_id: Option<i64>,
    /// When the final list arrived.
    pub final_at_ms: Option<u64>,
    /// The session that contains the same record, when this session received it again.
    pub duplicate_of: Option<SessionId>,
    /// Sums over the stored lines, computed by `replenish_core::summary`.
    pub totals: Totals,
}

/// A stored session with its final list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub summary: SessionSummary,
    /// The final list as received. `None` when no final list arrived, and for a duplicate.
    pub final_list: Option<FinalList>,
}
