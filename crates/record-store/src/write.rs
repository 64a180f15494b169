//! Writing sessions: begin, store the final list, end.

use replenish_core::model::FinalList;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::crash_point;
use crate::error::{SqliteContext, StoreError};
use crate::line_rows::insert_lines;
use crate::outcome::Outcome;
use crate::session::{Ending, NewSession, SessionId};
use crate::sql_values::ms_to_sql;
use crate::store::RecordStore;
use crate::stored::FinalOutcome;

impl RecordStore {
    /// Stores a new session with outcome `in_progress` and returns its id.
    ///
    /// Call it before connecting, so the journal has a session id to file frames under.
    pub fn begin_session(&self, session: &NewSession) -> Result<SessionId, StoreError> {
        let started_at = ms_to_sql(session.started_at_ms)?;
        let connection = self.connection();

        connection
            .execute(
                "INSERT INTO sessions (device_no, device_name, endpoint_host, started_at_ms, outcome) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    session.device_no,
                    session.device_name,
                    session.endpoint_host,
                    started_at,
                    Outcome::InProgress.as_str(),
                ],
            )
            .context(|| format!("storing a new session of device {}", session.device_no))?;

        let id = SessionId(connection.last_insert_rowid());
        tracing::info!(session = %id, device_no = %session.device_no, "began a session");
        Ok(id)
    }

    /// Stores the final list of `session` in one transaction and sets its outcome to `final`.
    ///
    /// When this returns, the list is committed and synced to disk, so the caller may show it.
    /// A record id that the same server already sent is not stored again: see
    /// [`FinalOutcome::Duplicate`]. `at_ms` is when the list arrived, in ms since the Unix epoch.
    pub fn record_final(
        &self,
        session: SessionId,
        list: &FinalList,
        at_ms: u64,
    ) -> Result<FinalOutcome, StoreError> {
        let received_at = ms_to_sql(at_ms)?;
        let mut connection = self.connection();

        // IMMEDIATE takes the write lock before the duplicate check, so no other connection can
        // store the same record id between the check and the insert.
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(|| format!("starting to store the final list of session {session}"))?;
        let progress = read_progress(&transaction, session)?;

        if progress.final_at_ms.is_some() {
            let existing = progress.duplicate_of.unwrap_or(session);
            tracing::info!(
                session = %session,
                existing = %existing,
                record_id = ?list.record_id,
                "the final list of this session is already stored"
            );
            return Ok(FinalOutcome::Duplicate { existing });
        }
        if progress.outcome.is_ended() {
            // Data wins over state: a list that arrived is kept even after a recorded ending.
            tracing::warn!(
                session = %session,
                previous = %progress.outcome,
                "storing a final list for a session that had already ended"
            );
        }

        if let Some(record_id) = list.record_id {
            let existing = find_record(&transaction, &progress.endpoint_host, record_id)?;
            if let Some(existing) = existing {
                transaction
                    .execute(
                        "UPDATE sessions SET outcome = ?1, final_at_ms = ?2, ended_at_ms = ?2, \
                         duplicate_of = ?3 WHERE id = ?4",
                        params![Outcome::Final.as_str(), received_at, existing.0, session.0],
                    )
                    .context(|| {
                        format!("marking session {session} as a duplicate of {existing}")
                    })?;
                transaction
                    .commit()
                    .context(|| format!("committing the duplicate mark of session {session}"))?;

                tracing::info!(
                    session = %session,
                    existing = %existing,
                    record_id,
                    "the final list was already stored by another session"
                );
                return Ok(FinalOutcome::Duplicate { existing });
            }
        }

        transaction
            .execute(
                "UPDATE sessions SET outcome = ?1, final_at_ms = ?2, ended_at_ms = ?2, \
                 record_id = ?3 WHERE id = ?4",
                params![
                    Outcome::Final.as_str(),
                    received_at,
                    list.record_id,
                    session.0
                ],
            )
            .context(|| format!("storing the record id of session {session}"))?;
        insert_lines(&transaction, session, &list.lines)?;

        crash_point::reach("record_final.before_commit");

        transaction
            .commit()
            .context(|| format!("committing the final list of session {session}"))?;

        tracing::info!(
            session = %session,
            record_id = ?list.record_id,
            lines = list.lines.len(),
            "stored the final list"
        );
        Ok(FinalOutcome::Stored)
    }

    /// Records how `session` ended and returns the outcome it has afterwards.
    ///
    /// The first ending is kept, as in the session state machine: a session that already ended is
    /// left as it is. A session whose final list is stored stays `final`, and only gains the close
    /// code, the end time and any message it lacked.
    pub fn end_session(&self, session: SessionId, ending: &Ending) -> Result<Outcome, StoreError> {
        if !ending.outcome.is_ended() {
            return Err(StoreError::InvalidEnding {
                session,
                outcome: ending.outcome,
            });
        }
        let ended_at = ms_to_sql(ending.at_ms)?;
        self.finish(session, ending, Some(ended_at))
    }

    /// Records an ending with an end time that may be unknown. `ending.at_ms` is ignored.
    pub(crate) fn finish(
        &self,
        session: SessionId,
        ending: &Ending,
        ended_at: Option<i64>,
    ) -> Result<Outcome, StoreError> {
        let mut connection = self.connection();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(|| format!("starting to end session {session}"))?;
        let progress = read_progress(&transaction, session)?;

        let stored = match progress.outcome {
            Outcome::InProgress => {
                transaction
                    .execute(
                        "UPDATE sessions SET outcome = ?1, server_message = ?2, code = ?3, \
                         close_code = ?4, detail = ?5, ended_at_ms = ?6 WHERE id = ?7",
                        params![
                            ending.outcome.as_str(),
                            ending.server_message,
                            ending.code,
                            ending.close_code,
                            ending.detail,
                            ended_at,
                            session.0,
                        ],
                    )
                    .context(|| format!("storing the ending of session {session}"))?;
                ending.outcome
            }
            Outcome::Final => {
                transaction
                    .execute(
                        "UPDATE sessions SET server_message = COALESCE(server_message, ?1), \
                         code = COALESCE(code, ?2), close_code = COALESCE(?3, close_code), \
                         detail = COALESCE(detail, ?4), ended_at_ms = COALESCE(?5, ended_at_ms) \
                         WHERE id = ?6",
                        params![
                            ending.server_message,
                            ending.code,
                            ending.close_code,
                            ending.detail,
                            ended_at,
                            session.0,
                        ],
                    )
                    .context(|| format!("storing the close of session {session}"))?;
                Outcome::Final
            }
            previous => {
                tracing::warn!(
                    session = %session,
                    previous = %previous,
                    requested = %ending.outcome,
                    "the session had already ended, so its first ending is kept"
                );
                previous
            }
        };

        transaction
            .commit()
            .context(|| format!("committing the ending of session {session}"))?;
        tracing::info!(session = %session, outcome = %stored, "ended a session");
        Ok(stored)
    }
}

/// The columns of a session that decide how a write proceeds.
pub(crate) struct Progress {
    pub outcome: Outcome,
    pub endpoint_host: String,
    pub final_at_ms: Option<i64>,
    pub duplicate_of: Option<SessionId>,
}

/// Reads the progress of `session`, or fails with [`StoreError::SessionNotFound`].
pub(crate) fn read_progress(
    connection: &Connection,
    session: SessionId,
) -> Result<Progress, StoreError> {
    let row = connection
        .query_row(
            "SELECT outcome, endpoint_host, final_at_ms, duplicate_of FROM sessions WHERE id = ?1",
            [session.0],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, Option<i64>>(3)?,
                ))
            },
        )
        .optional()
        .context(|| format!("reading session {session}"))?;
    let Some((outcome, endpoint_host, final_at_ms, duplicate_of)) = row else {
        return Err(StoreError::SessionNotFound(session));
    };

    Ok(Progress {
        outcome: parse_outcome(session, &outcome)?,
        endpoint_host,
        final_at_ms,
        duplicate_of: duplicate_of.map(SessionId),
    })
}

/// Parses a stored outcome name.
pub(crate) fn parse_outcome(session: SessionId, name: &str) -> Result<Outcome, StoreError> {
    Outcome::parse(name).ok_or_else(|| StoreError::InvalidStoredValue {
        session,
        column: "outcome",
        value: name.to_owned(),
        reason: "not an outcome this build knows".to_owned(),
    })
}

/// Finds the session that stores `record_id` from `endpoint_host`.
fn find_record(
    connection: &Connection,
    endpoint_host: &str,
    record_id: i64,
) -> Result<Option<SessionId>, StoreError> {
    connection
        .query_row(
            "SELECT id FROM sessions WHERE endpoint_host = ?1 AND record_id = ?2",
            params![endpoint_host, record_id],
            |row| row.get(0).map(SessionId),
        )
        .optional()
        .context(|| format!("looking up record {record_id} of {endpoint_host}"))
}
