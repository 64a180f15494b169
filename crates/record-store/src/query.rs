//! Reading sessions back: lists with totals, one session with its final list, and sums.

use replenish_core::model::FinalList;
use replenish_core::summary::{summarize, Totals};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{SqliteContext, StoreError};
use crate::filter::{Filter, FilterTotals};
use crate::line_rows::read_lines;
use crate::session::SessionId;
use crate::sql_values::{close_code_from_sql, ms_from_sql, ms_to_sql};
use crate::store::RecordStore;
use crate::stored::{SessionSummary, StoredSession};
use crate::write::parse_outcome;

const SESSION_COLUMNS: &str = "id, device_no, device_name, endpoint_host, started_at_ms, \
     ended_at_ms, outcome, server_message, code, close_code, detail, record_id, final_at_ms, \
     duplicate_of";

impl RecordStore {
    /// Lists the sessions that `filter` selects, newest first, each with the totals of its
    /// stored lines.
    pub fn list_sessions(&self, filter: &Filter) -> Result<Vec<SessionSummary>, StoreError> {
        let sessions = self.load_sessions(filter)?;
        Ok(sessions
            .into_iter()
            .map(|session| session.summary)
            .collect())
    }

    /// Loads every session that `filter` selects with its final list, newest first, e.g. for an
    /// export.
    pub fn load_sessions(&self, filter: &Filter) -> Result<Vec<StoredSession>, StoreError> {
        let connection = self.connection();
        let (sql, values) = select_sessions(filter)?;

        let mut statement = connection
            .prepare(&sql)
            .context(|| "preparing the session list query".to_owned())?;
        let rows = statement
            .query_map(rusqlite::params_from_iter(values), RawSession::from_row)
            .context(|| "listing sessions".to_owned())?;

        let mut sessions = Vec::new();
        for row in rows {
            let raw = row.context(|| "reading a session row".to_owned())?;
            sessions.push(raw.into_stored(&connection)?);
        }
        Ok(sessions)
    }

    /// Loads one session and rebuilds its final list exactly as received. Returns `None` when no
    /// session has this id.
    pub fn load_session(&self, id: SessionId) -> Result<Option<StoredSession>, StoreError> {
        let connection = self.connection();
        match read_session(&connection, id)? {
            Some(raw) => raw.into_stored(&connection).map(Some),
            None => Ok(None),
        }
    }

    /// Sums the pieces and values of every session that `filter` selects.
    pub fn totals(&self, filter: &Filter) -> Result<FilterTotals, StoreError> {
        let summaries = self.list_sessions(filter)?;
        Ok(sum_sessions(&summaries))
    }
}

/// Sums the pieces and values of `summaries`, as the History screen's totals do.
pub fn sum_sessions(summaries: &[SessionSummary]) -> FilterTotals {
    let mut totals = FilterTotals::default();
    for summary in summaries {
        add_session(&mut totals, &summary.totals);
    }
    totals
}

/// Adds one session's totals, marking the sum incomplete instead of overflowing.
fn add_session(totals: &mut FilterTotals, session: &Totals) {
    totals.session_count += 1;
    totals.line_count += session.line_count;
    totals.incomplete |= session.incomplete;

    let mut add_count = |sum: &mut i64, value: i64| match sum.checked_add(value) {
        Some(total) => *sum = total,
        None => totals.incomplete = true,
    };
    add_count(&mut totals.added, session.added);
    add_count(&mut totals.removed, session.removed);
    add_count(&mut totals.net, session.net);

    match totals.cost_value.checked_add(session.cost_value) {
        Some(total) => totals.cost_value = total,
        None => totals.incomplete = true,
    }
    match totals.sale_value.checked_add(session.sale_value) {
        Some(total) => totals.sale_value = total,
        None => totals.incomplete = true,
    }
}

/// Builds the session query for `filter` and its bound values.
fn select_sessions(filter: &Filter) -> Result<(String, Vec<Value>), StoreError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();

    if let Some(device_no) = &filter.device_no {
        values.push(Value::Text(device_no.clone()));
        conditions.push(format!("device_no = ?{}", values.len()));
    }
    if let Some(from_ms) = filter.from_ms {
        values.push(Value::Integer(ms_to_sql(from_ms)?));
        conditions.push(format!("started_at_ms >= ?{}", values.len()));
    }
    if let Some(to_ms) = filter.to_ms {
        values.push(Value::Integer(ms_to_sql(to_ms)?));
        conditions.push(format!("started_at_ms < ?{}", values.len()));
    }
    if !filter.outcomes.is_empty() {
        let mut placeholders = Vec::with_capacity(filter.outcomes.len());
        for outcome in &filter.outcomes {
            values.push(Value::Text(outcome.as_str().to_owned()));
            placeholders.push(format!("?{}", values.len()));
        }
        conditions.push(format!("outcome IN ({})", placeholders.join(", ")));
    }
    if let Some(text) = &filter.product_name_contains {
        // instr matches the text literally, so % and _ in a product name need no escaping.
        // SQLite's lower() folds ASCII letters only.
        values.push(Value::Text(text.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM lines WHERE lines.session_id = sessions.id \
             AND instr(lower(lines.name), lower(?{})) > 0)",
            values.len()
        ));
    }

    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM sessions{where_clause} ORDER BY started_at_ms DESC, id DESC"
    );
    Ok((sql, values))
}

fn read_session(connection: &Connection, id: SessionId) -> Result<Option<RawSession>, StoreError> {
    connection
        .query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
            [id.0],
            RawSession::from_row,
        )
        .optional()
        .context(|| format!("reading session {id}"))
}

/// A session row as SQLite returns it.
struct RawSession {
    id: i64,
    device_no: String,
    device_name: Option<String>,
    endpoint_host: String,
    started_at_ms: i64,
    ended_at_ms: Option<i64>,
    outcome: String,
    server_message: Option<String>,
    code: Option<i64>,
    close_code: Option<i64>,
    detail: Option<String>,
    record_id: Option<i64>,
    final_at_ms: Option<i64>,
    duplicate_of: Option<i64>,
}

impl RawSession {
    fn from_row(row: &Row<'_>) -> Result<RawSession, rusqlite::Error> {
        Ok(RawSession {
            id: row.get(0)?,
            device_no: row.get(1)?,
            device_name: row.get(2)?,
            endpoint_host: row.get(3)?,
            started_at_ms: row.get(4)?,
            ended_at_ms: row.get(5)?,
            outcome: row.get(6)?,
            server_message: row.get(7)?,
            code: row.get(8)?,
            close_code: row.get(9)?,
            detail: row.get(10)?,
            record_id: row.get(11)?,
            final_at_ms: row.get(12)?,
            duplicate_of: row.get(13)?,
        })
    }

    /// Reads the session's lines and totals them with the same code the window uses.
    fn into_stored(self, connection: &Connection) -> Result<StoredSession, StoreError> {
        let id = SessionId(self.id);
        let list = FinalList {
            record_id: self.record_id,
            lines: read_lines(connection, id)?,
        };
        let totals = summarize(&list).totals;
        let has_list = self.final_at_ms.is_some() && self.duplicate_of.is_none();

        let summary = SessionSummary {
            id,
            device_no: self.device_no,
            device_name: self.device_name,
            endpoint_host: self.endpoint_host,
            started_at_ms: ms_from_sql(id, "started_at_ms", self.started_at_ms)?,
            ended_at_ms: self
                .ended_at_ms
                .map(|value| ms_from_sql(id, "ended_at_ms", value))
                .transpose()?,
            outcome: parse_outcome(id, &self.outcome)?,
            server_message: self.server_message,
            code: self.code,
            close_code: self
                .close_code
                .map(|value| close_code_from_sql(id, value))
                .transpose()?,
            detail: self.detail,
            record_id: self.record_id,
            final_at_ms: self
                .final_at_ms
                .map(|value| ms_from_sql(id, "final_at_ms", value))
                .transpose()?,
            duplicate_of: self.duplicate_of.map(SessionId),
            totals,
        };

        Ok(StoredSession {
            summary,
            final_list: has_list.then_some(list),
        })
    }
}
