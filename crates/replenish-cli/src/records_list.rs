//! `replenish records list`: the sessions that the filter selects, newest first, as a table or as
//! one JSON document.

use std::io::{self, Write};

use i18n::Catalogue;
use record_store::history::{history_rows, history_totals, sum_sessions};
use record_store::{Filter, FilterTotals, RecordStore, SessionSummary};
use replenish_core::summary::Totals;
use replenish_core::view::HistoryRowView;
use rust_decimal::Decimal;
use serde::Serialize;
use tracing::warn;

use crate::exit::Exit;
use crate::records::read_failed;
use crate::records_args::TIME_ZONE;
use crate::records_table::table_lines;
use crate::text::printable;

/// Lists the sessions that `filter` selects. `store` is `None` when the folder has no record
/// database, which lists nothing.
pub fn run(
    store: Option<&RecordStore>,
    filter: &Filter,
    json: bool,
    catalogue: &Catalogue,
) -> Exit {
    let summaries = match store.map(|store| store.list_sessions(filter)) {
        Some(Ok(summaries)) => summaries,
        Some(Err(error)) => return read_failed(catalogue, &error),
        None => Vec::new(),
    };

    let rows = history_rows(&summaries, TIME_ZONE);
    let text = if json {
        json_document(&summaries, &rows)
    } else {
        let totals = history_totals(&summaries);
        // Server text (a product-free message, a device name) must not move the cursor.
        table_lines(catalogue, &rows, &totals)
            .iter()
            .map(|line| printable(line))
            .collect::<Vec<_>>()
            .join("\n")
    };

    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Success,
        Err(error) => {
            warn!(%error, "cannot write to stdout");
            Exit::Output
        }
    }
}

/// The `--json` document: every selected session, then the sums over all of them.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    sessions: Vec<SessionJson<'a>>,
    totals: TotalsJson,
}

/// One session. Times are in ms since the Unix epoch, with `started_at` also as the local time
/// that the table and the exports show. Outcomes are the stored names ("final", "interrupted").
#[derive(Debug, Serialize)]
struct SessionJson<'a> {
    session_id: i64,
    started_at: String,
    started_at_ms: u64,
    ended_at_ms: Option<u64>,
    device_no: &'a str,
    device_name: Option<&'a str>,
    endpoint_host: &'a str,
    outcome: &'static str,
    server_message: Option<&'a str>,
    code: Option<i64>,
    close_code: Option<u16>,
    detail: Option<&'a str>,
    record_id: Option<i64>,
    final_at_ms: Option<u64>,
    /// The session that stored the same final list first, for a list received again.
    duplicate_of: Option<i64>,
    /// Sums over the stored lines, or null when this session stored no final list.
    totals: Option<TotalsJson>,
}

/// Sums over product lines. Money is a string with two decimals ("178.50"), because a JSON
/// number is read as a double by most tools.
#[derive(Debug, Serialize)]
struct TotalsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    session_count: Option<usize>,
    line_count: usize,
    added: i64,
    removed: i64,
    net: i64,
    cost_value: String,
    sale_value: String,
    incomplete: bool,
}

/// Builds the `--json` document. `rows` are the table rows of `summaries`, in the same order,
/// which carry the local start times.
fn json_document(summaries: &[SessionSummary], rows: &[HistoryRowView]) -> String {
    let sessions = summaries
        .iter()
        .zip(rows)
        .map(|(summary, row)| session_json(summary, &row.started_at))
        .collect();
    // The same sums as the History screen's totals.
    let totals = filter_totals_json(&sum_sessions(summaries));
    let document = ListJson { sessions, totals };
    // Serializing strings, integers and booleans cannot fail.
    serde_json::to_string(&document).unwrap_or_default()
}

fn session_json<'a>(summary: &'a SessionSummary, started_at: &str) -> SessionJson<'a> {
    // A duplicate stores no lines, because its list counts in the session that stored it first.
    let has_list = summary.final_at_ms.is_some() && summary.duplicate_of.is_none();

    SessionJson {
        session_id: summary.id.0,
        started_at: started_at.to_owned(),
        started_at_ms: summary.started_at_ms,
        ended_at_ms: summary.ended_at_ms,
        device_no: &summary.device_no,
        device_name: summary.device_name.as_deref(),
        endpoint_host: &summary.endpoint_host,
        outcome: summary.outcome.as_str(),
        server_message: summary.server_message.as_deref(),
        code: summary.code,
        close_code: summary.close_code,
        detail: summary.detail.as_deref(),
        record_id: summary.record_id,
        final_at_ms: summary.final_at_ms,
        duplicate_of: summary.duplicate_of.map(|existing| existing.0),
        totals: has_list.then(|| session_totals_json(&summary.totals)),
    }
}

fn session_totals_json(totals: &Totals) -> TotalsJson {
    TotalsJson {
        session_count: None,
        line_count: totals.line_count,
        added: totals.added,
        removed: totals.removed,
        net: totals.net,
        cost_value: fen(totals.cost_value),
        sale_value: fen(totals.sale_value),
        incomplete: totals.incomplete,
    }
}

fn filter_totals_json(totals: &FilterTotals) -> TotalsJson {
    TotalsJson {
        session_count: Some(totals.session_count),
        line_count: totals.line_count,
        added: totals.added,
        removed: totals.removed,
        net: totals.net,
        cost_value: fen(totals.cost_value),
        sale_value: fen(totals.sale_value),
        incomplete: totals.incomplete,
    }
}

/// Formats a sum of line values, each already rounded to the fen, with exactly two decimals.
fn fen(value: Decimal) -> String {
    let mut value = value;
    value.rescale(2);
    value.to_string()
}
