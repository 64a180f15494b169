//! View models: what the window shows, built here so the page only renders them.
//!
//! Every type serializes with camelCase keys because the page reads them as JavaScript objects.
//! Text that the user reads in their language travels as a [`Message`] (a catalogue key plus
//! arguments), so switching the language re-renders without asking the backend again. Strings that
//! come from the server (`msg`, product names) travel as plain strings and the page inserts them as
//! text. Numbers that the user reads are preformatted strings, so the page does no arithmetic.

use std::collections::BTreeMap;

use serde::Serialize;

/// A localizable text: a key of the message catalogues and the values for its `{name}` slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: &'static str,
    pub args: BTreeMap<&'static str, String>,
}

impl Message {
    /// Creates a message without arguments.
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: BTreeMap::new(),
        }
    }

    /// Adds the value for the slot `{name}`.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.insert(name, value.into());
        self
    }
}

/// The banner's color.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Progress,
    Success,
    Warning,
    Error,
}

/// The session banner: the state machine's current state, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub session_id: u64,
    /// Counts the state changes of this session, so the page can drop a view older than the one
    /// it shows when a snapshot and an event cross.
    pub revision: u64,
    /// The state machine's phase in snake_case, for styling and tests.
    pub phase: &'static str,
    pub tone: Tone,
    pub title: Message,
    pub detail: Option<Message>,
    /// The server's `msg`, shown verbatim as text.
    pub server_message: Option<String>,
    /// A plain sentence on what the user can do next.
    pub next_step: Option<Message>,
    /// When the door opened, in milliseconds since the Unix epoch, so the page can tick a timer.
    pub door_opened_at_ms: Option<u64>,
    pub device_no: String,
    pub device_name: Option<String>,
    pub endpoint_host: String,
    /// The endpoint URL without device number or token, so a new session can start from it.
    pub endpoint: String,
    pub can_cancel: bool,
    /// True once the session has ended and a new one can be started from the form.
    pub ended: bool,
    /// The reconnect under way after the connection dropped, if one is.
    pub reconnect: Option<ReconnectView>,
    /// True when the session ended in a way that the same session may be tried again by hand.
    pub can_retry: bool,
}

/// A reconnect in progress, so the page can count down to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReconnectView {
    pub attempt: u32,
    pub max_attempts: u32,
    /// When the attempt starts, in ms since the Unix epoch; `None` once it has started. The page
    /// counts down to it with the `countdown` message, filling its `{seconds}` slot each second.
    pub retry_at_ms: Option<u64>,
    pub countdown: Message,
}

/// A final list, grouped and totalled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FinalView {
    pub session_id: u64,
    /// The server's record id as text, because it may exceed the integers a JavaScript number represents exactly.
    pub record_id: Option<String>,
    pub cabinets: Vec<CabinetView>,
    pub totals: TotalsView,
}

/// One cabinet (货柜) of a final list and its lines, ordered by aisle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CabinetView {
    pub cabinet_no: String,
    pub title: Message,
    pub lines: Vec<LineView>,
    pub totals: TotalsView,
}

/// One product card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineView {
    /// Unique within the list, for the page's element ids.
    pub key: String,
    pub product_id: String,
    pub name: String,
    pub category: Option<String>,
    pub aisle_no: String,
    /// A URL of the app's picture scheme, or `None` when the line has no picture.
    pub image_url: Option<String>,
    /// Pieces added, as the server settled them (`addQuantityRevise`).
    pub added: String,
    /// The cabinet's first count of pieces added, only where it differs from `added`.
    pub added_first_count: Option<String>,
    pub removed: String,
    pub removed_first_count: Option<String>,
    /// Net change with its sign, e.g. "+13".
    pub net: String,
    pub stock: String,
    /// The price unit: per piece (元/件) or per jin (元/斤).
    pub unit: Message,
    pub sale_price: String,
    pub cost_price: String,
    pub sale_value: String,
    pub cost_value: String,
    /// True when a figure of this line was missing or invalid, so its values are not complete.
    pub incomplete: bool,
}

/// Totals of a cabinet or of a whole record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotalsView {
    pub line_count: usize,
    pub added: String,
    pub removed: String,
    pub net: String,
    pub cost_value: String,
    pub sale_value: String,
    /// True when at least one line lacked a figure, so the sums leave something out.
    pub incomplete: bool,
}

/// A non-fatal problem worth showing: a malformed frame, an unknown message type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticeView {
    pub session_id: u64,
    pub message: Message,
    /// How many times the same notice has been raised in this session.
    pub count: u64,
}

/// One stored session as a row of the History screen (补货记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRowView {
    /// The record store's session id, which the page passes back to open the session.
    pub session_id: i64,
    /// The start time in the PC's time zone, e.g. "2024-05-01 14:30:15".
    pub started_at: String,
    pub device_no: String,
    pub device_name: Option<String>,
    /// The stored outcome in snake_case ("final", "door_failed"), for styling and tests.
    pub outcome: &'static str,
    pub outcome_label: Message,
    pub tone: Tone,
    /// The server's `msg`, shown verbatim as text.
    pub server_message: Option<String>,
    /// The server's record id as text, because it may exceed the integers a JavaScript number
    /// represents exactly.
    pub record_id: Option<String>,
    /// Set when an earlier session already stored the same final list, naming that session.
    pub duplicate_note: Option<Message>,
    /// Totals of the stored final list, or `None` when the session stored no final list.
    pub totals: Option<TotalsView>,
}

/// The sessions that a History filter selects, newest first, and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    /// The newest selected sessions, at most a fixed number, so a long history stays quick to
    /// show.
    pub rows: Vec<HistoryRowView>,
    /// How many sessions the filter selects, which exceeds `rows.len()` when the list was cut.
    pub session_count: usize,
    /// Totals over every selected session, including those beyond `rows`.
    pub totals: TotalsView,
}

/// One stored session opened from the History screen: its facts and its final list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
    /// The facts that the session's History row shows.
    pub summary: HistoryRowView,
    /// The end time in the PC's time zone, or `None` while running or when the end is unknown.
    pub ended_at: Option<String>,
    pub endpoint_host: String,
    /// The server's `code`.
    pub code: Option<String>,
    /// The WebSocket close code.
    pub close_code: Option<String>,
    /// A local reason in English, e.g. why the connection dropped, shown verbatim.
    pub detail: Option<String>,
    /// The final list, grouped and totalled as the live screen shows it, or `None` when the
    /// session stored no final list.
    pub final_list: Option<FinalView>,
}

/// A choice of the History screen's outcome filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeOption {
    /// The stored outcome in snake_case, sent back in the filter.
    pub value: &'static str,
    pub label: Message,
}
