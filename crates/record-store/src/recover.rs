//! Start-up recovery: finishing the sessions that a crash or power loss left in progress.

use std::path::PathBuf;

use replenish_core::event::SessionEvent;
use replenish_core::frame::{decode, Frame};
use replenish_core::model::FinalList;
use replenish_core::state::SessionState;

use crate::error::{SqliteContext, StoreError};
use crate::journal::Journal;
use crate::outcome::Outcome;
use crate::session::{Ending, SessionId};
use crate::sql_values::ms_to_sql;
use crate::store::RecordStore;
use crate::stored::FinalOutcome;
use crate::write::read_progress;

/// The result of [`RecordStore::recover`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Sessions that were in progress, with the outcome they have now.
    pub recovered: Vec<RecoveredSession>,
    /// Journals of sessions that had already ended, removed without replaying.
    pub journals_removed: usize,
    /// Journals of sessions the database does not contain, moved aside and kept.
    pub orphaned: Vec<PathBuf>,
}

/// One session that recovery finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveredSession {
    pub session: SessionId,
    pub outcome: Outcome,
    /// The result of storing the journaled final list, when the journal had one.
    pub final_outcome: Option<FinalOutcome>,
    /// Journaled frames that decoded and went through the state machine.
    pub frames_replayed: usize,
    /// Journal lines that were torn or did not decode.
    pub frames_skipped: usize,
}

impl RecordStore {
    /// Finishes every session left in progress, from its journal where there is one.
    ///
    /// Sessions whose [`crate::SessionLock`] another live process has taken are running there and are
    /// skipped, so the app and the command line can share one folder.
    ///
    /// - A journal of a session in progress is replayed through the frame decoder and the session
    ///   state machine. A final list in it is stored with outcome `final`, and a duplicate is
    ///   detected as in [`RecordStore::record_final`]. A failed door or a `failure` frame ends the
    ///   session with that outcome. Otherwise the session ends `interrupted`. Then the journal is
    ///   removed.
    /// - A journal of a session that had already ended is removed.
    /// - A journal of a session the database does not contain is moved to `journal/orphaned/`.
    /// - A session in progress without a journal ends `interrupted`, with an unknown end time.
    pub fn recover(&self, journal: &Journal) -> Result<RecoveryReport, StoreError> {
        let mut report = RecoveryReport::default();

        for session in journal.sessions()? {
            if journal.is_held_elsewhere(session) {
                tracing::debug!(session = %session, "session runs in another process, not recovered");
                continue;
            }
            let progress = {
                let connection = self.connection();
                read_progress(&connection, session)
            };

            match progress {
                Ok(progress) if progress.outcome.is_ended() => {
                    journal.remove(session)?;
                    report.journals_removed += 1;
                }
                Ok(_) => {
                    let recovered = self.replay(journal, session)?;
                    journal.remove(session)?;
                    journal.remove_lock(session);
                    report.recovered.push(recovered);
                }
                Err(StoreError::SessionNotFound(_)) => {
                    let path = journal.set_aside(session)?;
                    tracing::warn!(
                        session = %session,
                        path = %path.display(),
                        "the journal belongs to a session the database does not contain, so it was moved aside"
                    );
                    report.orphaned.push(path);
                }
                Err(error) => return Err(error),
            }
        }

        for session in self.sessions_in_progress()? {
            if journal.is_held_elsewhere(session) {
                tracing::debug!(session = %session, "session runs in another process, not recovered");
                continue;
            }
            journal.remove_lock(session);
            let ending = Ending {
                outcome: Outcome::Interrupted,
                server_message: None,
                code: None,
                close_code: None,
                detail: Some(
                    "the app stopped before any frame of this session was journaled".to_owned(),
                ),
                at_ms: 0,
            };
            let outcome = self.finish(session, &ending, None)?;
            report.recovered.push(RecoveredSession {
                session,
                outcome,
                final_outcome: None,
                frames_replayed: 0,
                frames_skipped: 0,
            });
        }

        if report.recovered.is_empty() && report.orphaned.is_empty() {
            tracing::debug!(
                journals_removed = report.journals_removed,
                "nothing to recover"
            );
        } else {
            tracing::info!(
                recovered = report.recovered.len(),
                journals_removed = report.journals_removed,
                orphaned = report.orphaned.len(),
                "recovered unfinished sessions"
            );
        }
        Ok(report)
    }

    /// Replays the journal of one session in progress and stores what it ended with.
    fn replay(
        &self,
        journal: &Journal,
        session: SessionId,
    ) -> Result<RecoveredSession, StoreError> {
        let (entries, torn) = journal.read(session)?;
        let replay = replay_frames(session, &entries);
        let frames_skipped = torn + replay.undecodable;

        let mut final_outcome = None;
        let outcome = match (&replay.state, replay.final_list, replay.ended_at_ms) {
            (SessionState::Finished, Some(list), Some(at_ms)) => {
                final_outcome = Some(self.record_final(session, &list, at_ms)?);
                Outcome::Final
            }
            (state, _, Some(at_ms)) if state.is_ended() => {
                let mut ending = Ending::from_state(state, None, at_ms);
                ending.detail =
                    Some("recovered from the frame journal after the app stopped".to_owned());
                self.finish(session, &ending, Some(ms_to_sql(at_ms)?))?
            }
            _ => {
                let ending = Ending {
                    outcome: Outcome::Interrupted,
                    server_message: None,
                    code: None,
                    close_code: None,
                    detail: Some(format!(
                        "the app stopped before the session ended, after {} journaled frames",
                        replay.decoded
                    )),
                    at_ms: 0,
                };
                self.finish(session, &ending, None)?
            }
        };

        tracing::info!(
            session = %session,
            outcome = %outcome,
            frames = replay.decoded,
            skipped = frames_skipped,
            "recovered a session from its journal"
        );
        Ok(RecoveredSession {
            session,
            outcome,
            final_outcome,
            frames_replayed: replay.decoded,
            frames_skipped,
        })
    }

    fn sessions_in_progress(&self) -> Result<Vec<SessionId>, StoreError> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT id FROM sessions WHERE outcome = ?1 ORDER BY id")
            .context(|| "preparing the query of sessions in progress".to_owned())?;
        let ids = statement
            .query_map([Outcome::InProgress.as_str()], |row| {
                row.get(0).map(SessionId)
            })
            .context(|| "listing sessions in progress".to_owned())?
            .collect::<Result<Vec<_>, _>>()
            .context(|| "reading the ids of sessions in progress".to_owned())?;
        Ok(ids)
    }
}

/// The state a session's journaled frames lead to.
struct Replay {
    state: SessionState,
    /// The final list that ended the session, if one did.
    final_list: Option<FinalList>,
    /// When the frame that ended the session arrived.
    ended_at_ms: Option<u64>,
    decoded: usize,
    undecodable: usize,
}

/// Runs the frames through the decoder and the state machine, as the live session did.
fn replay_frames(session: SessionId, entries: &[crate::journal::JournalEntry]) -> Replay {
    // A journaled frame proves that the connection was open.
    let mut replay = Replay {
        state: SessionState::Connecting.apply(&SessionEvent::Connected),
        final_list: None,
        ended_at_ms: None,
        decoded: 0,
        undecodable: 0,
    };

    for entry in entries {
        let frame = match decode(&entry.frame) {
            Ok(decoded) => decoded.frame,
            Err(error) => {
                replay.undecodable += 1;
                tracing::warn!(session = %session, error = %error, "skipping a journaled frame that does not decode");
                continue;
            }
        };
        replay.decoded += 1;

        let event = event_of(frame, entry.received_at_ms);
        let next = replay.state.apply(&event);
        if !replay.state.is_ended() && next.is_ended() {
            replay.ended_at_ms = Some(entry.received_at_ms);
            if let SessionEvent::FinalList(list) = event {
                replay.final_list = Some(list);
            }
        }
        replay.state = next;
    }
    replay
}

/// Converts a decoded frame to the event the live session reports for it.
fn event_of(frame: Frame, received_at_ms: u64) -> SessionEvent {
    match frame {
        Frame::Door {
            opened: true,
            message,
            ..
        } => SessionEvent::DoorOpened {
            message,
            at_ms: received_at_ms,
        },
        Frame::Door {
            opened: false,
            message,
            code,
        } => SessionEvent::DoorFailed { message, code },
        Frame::Final(list) => SessionEvent::FinalList(list),
        Frame::Failure { message, code } => SessionEvent::Failure { message, code },
        Frame::Unknown { type_name } => SessionEvent::UnknownType { type_name },
    }
}
