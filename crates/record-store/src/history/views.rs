//! View models of the History screen, built from stored sessions.

use replenish_core::presenter::{final_view, totals_view};
use replenish_core::summary::Totals;
use replenish_core::view::{
    HistoryRowView, HistoryView, Message, OutcomeOption, RecordView, Tone, TotalsView,
};

use crate::export::local_time::wall_clock;
use crate::export::ExportTimeZone;
use crate::filter::FilterTotals;
use crate::outcome::Outcome;
use crate::query::sum_sessions;
use crate::stored::{SessionSummary, StoredSession};

/// The maximum number of rows of a [`HistoryView`]. The totals still cover every selected
/// session, and the export writes them all.
pub const MAX_HISTORY_ROWS: usize = 500;

/// The format of times on the History screen, the same as in the CSV export.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Shown in place of a time that cannot be shown as a date.
const MISSING: &str = "—";

/// Builds the History list from `summaries`, which are newest first as the store lists them.
/// Only the first [`MAX_HISTORY_ROWS`] become rows, but the totals sum all of them.
pub fn history_view(summaries: &[SessionSummary], time_zone: ExportTimeZone) -> HistoryView {
    let rows = summaries
        .iter()
        .take(MAX_HISTORY_ROWS)
        .map(|summary| row_view(summary, time_zone))
        .collect();

    HistoryView {
        rows,
        session_count: summaries.len(),
        totals: filter_totals_view(&sum_sessions(summaries)),
    }
}

/// Builds one row of the History list for every summary, with no maximum, e.g. for a terminal
/// that prints the whole selection.
pub fn history_rows(
    summaries: &[SessionSummary],
    time_zone: ExportTimeZone,
) -> Vec<HistoryRowView> {
    summaries
        .iter()
        .map(|summary| row_view(summary, time_zone))
        .collect()
}

/// Returns the totals of the History list: the sums over every session in `summaries`.
pub fn history_totals(summaries: &[SessionSummary]) -> TotalsView {
    filter_totals_view(&sum_sessions(summaries))
}

/// Builds the view of one opened session. `image_url` maps a product's picture URL to the URL
/// the page loads it from, as for the live screen.
pub fn record_view(
    session: &StoredSession,
    time_zone: ExportTimeZone,
    image_url: &mut dyn FnMut(&str) -> Option<String>,
) -> RecordView {
    let summary = &session.summary;
    // Session ids come from SQLite's rowid, which starts at 1, so they are never negative.
    let session_id = u64::try_from(summary.id.0).unwrap_or_default();

    RecordView {
        summary: row_view(summary, time_zone),
        ended_at: summary
            .ended_at_ms
            .map(|at_ms| local_time_text(at_ms, time_zone)),
        endpoint_host: summary.endpoint_host.clone(),
        code: summary.code.map(|code| code.to_string()),
        close_code: summary.close_code.map(|code| code.to_string()),
        detail: summary.detail.clone(),
        final_list: session
            .final_list
            .as_ref()
            .map(|list| final_view(session_id, list, image_url)),
    }
}

/// Returns the choices of the outcome filter, one per outcome, in the order of [`Outcome::ALL`].
pub fn outcome_options() -> Vec<OutcomeOption> {
    Outcome::ALL
        .into_iter()
        .map(|outcome| OutcomeOption {
            value: outcome.as_str(),
            label: outcome_label(outcome),
        })
        .collect()
}

/// Returns the outcome as the window names it.
fn outcome_label(outcome: Outcome) -> Message {
    Message::new(match outcome {
        Outcome::InProgress => "outcome.in_progress",
        Outcome::Final => "outcome.final",
        Outcome::Failure => "outcome.failure",
        Outcome::DoorFailed => "outcome.door_failed",
        Outcome::DoorTimedOut => "outcome.door_timed_out",
        Outcome::ConnectFailed => "outcome.connect_failed",
        Outcome::ConnectionLost => "outcome.connection_lost",
        Outcome::Cancelled => "outcome.cancelled",
        Outcome::Interrupted => "outcome.interrupted",
    })
}

/// Returns the color of an outcome, matching the live banner of the state it ended in.
fn outcome_tone(outcome: Outcome) -> Tone {
    match outcome {
        Outcome::InProgress => Tone::Progress,
        Outcome::Final => Tone::Success,
        Outcome::Cancelled | Outcome::Interrupted => Tone::Warning,
        Outcome::Failure
        | Outcome::DoorFailed
        | Outcome::DoorTimedOut
        | Outcome::ConnectFailed
        | Outcome::ConnectionLost => Tone::Error,
    }
}

fn row_view(summary: &SessionSummary, time_zone: ExportTimeZone) -> HistoryRowView {
    // A duplicate stores no lines, because its list counts in the session that stored it first.
    let has_list = summary.final_at_ms.is_some() && summary.duplicate_of.is_none();

    HistoryRowView {
        session_id: summary.id.0,
        started_at: local_time_text(summary.started_at_ms, time_zone),
        device_no: summary.device_no.clone(),
        device_name: summary.device_name.clone(),
        outcome: summary.outcome.as_str(),
        outcome_label: outcome_label(summary.outcome),
        tone: outcome_tone(summary.outcome),
        server_message: summary.server_message.clone(),
        record_id: summary.record_id.map(|id| id.to_string()),
        duplicate_note: summary.duplicate_of.map(|existing| {
            Message::new("history.duplicate_of").arg("session", existing.to_string())
        }),
        totals: has_list.then(|| totals_view(&summary.totals)),
    }
}

fn filter_totals_view(totals: &FilterTotals) -> TotalsView {
    totals_view(&Totals {
        line_count: totals.line_count,
        added: totals.added,
        removed: totals.removed,
        net: totals.net,
        cost_value: totals.cost_value,
        sale_value: totals.sale_value,
        incomplete: totals.incomplete,
    })
}

fn local_time_text(at_ms: u64, time_zone: ExportTimeZone) -> String {
    match wall_clock(at_ms, time_zone) {
        Ok(wall) => wall.format(TIME_FORMAT).to_string(),
        Err(error) => {
            tracing::warn!(at_ms, %error, "stored time cannot be shown");
            MISSING.to_owned()
        }
    }
}
