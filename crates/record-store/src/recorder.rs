//! The link between running sessions and the record store, shared by the app and the command
//! line: each session is stored from its start, its frames are journaled before they are
//! decoded, and its final list is committed before anything shows it.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Ending, FinalOutcome, Journal, NewSession, RecordStore, SessionId, SessionLock};
use replenish_core::endpoint::SessionTarget;
use replenish_core::model::FinalList;
use replenish_core::session::FrameJournal;
use replenish_core::state::SessionState;
use tracing::{info, warn};

/// The record store and the frame journal, opened once per run.
#[derive(Clone)]
pub struct Records {
    store: Arc<RecordStore>,
    journal: Arc<Journal>,
}

impl Records {
    /// Opens the store and the journal under `folder`, then stores whatever an earlier run
    /// received but did not finish storing.
    pub fn open(folder: &Path) -> Result<Self, RecorderError> {
        let store = RecordStore::open(folder)?;
        let journal = Journal::open(folder)?;
        let report = store.recover(&journal)?;
        info!(path = %store.path().display(), ?report, "record store opened");
        Ok(Self {
            store: Arc::new(store),
            journal: Arc::new(journal),
        })
    }

    /// Returns the record store, for reading the history on a blocking thread.
    pub fn store(&self) -> Arc<RecordStore> {
        self.store.clone()
    }

    /// Stores the start of a session and returns its id with a journal for its frames. Returns
    /// `None`, after logging, when the store cannot be written: the session still runs.
    pub fn begin(&self, target: &SessionTarget) -> Option<(SessionId, Arc<dyn FrameJournal>)> {
        let session = NewSession {
            device_no: target.device_no().to_owned(),
            device_name: target.device_name().map(str::to_owned),
            endpoint_host: target.endpoint_host(),
            started_at_ms: now_ms(),
        };
        match self.store.begin_session(&session) {
            Ok(id) => {
                // NOTE: another process that opens the folder between the insert above and this
                // lock can still take the new session for a crashed one. That window is a few
                // microseconds wide.
                let lock = match self.journal.hold(id) {
                    Ok(lock) => Some(lock),
                    Err(error) => {
                        warn!(%id, %error, "session lock not taken, another process may recover this session");
                        None
                    }
                };
                let journal = SessionJournal {
                    journal: self.journal.clone(),
                    session: id,
                    _lock: lock,
                };
                Some((id, Arc::new(journal)))
            }
            Err(error) => {
                warn!(%error, "session not stored, its records are kept only on screen");
                None
            }
        }
    }

    /// Commits a final list. Runs on a blocking thread, since it syncs the database file.
    pub async fn store_final(
        &self,
        session: SessionId,
        list: FinalList,
    ) -> Result<FinalOutcome, String> {
        let store = self.store.clone();
        let stored =
            tokio::task::spawn_blocking(move || store.record_final(session, &list, now_ms())).await;
        match stored {
            Ok(Ok(outcome)) => {
                info!(%session, ?outcome, "final list stored");
                Ok(outcome)
            }
            Ok(Err(error)) => {
                warn!(%session, %error, "final list not stored");
                Err(error.to_string())
            }
            Err(error) => {
                warn!(%session, %error, "final list store task failed");
                Err(error.to_string())
            }
        }
    }

    /// Stores how the session ended and deletes its journal, which is no longer needed.
    pub async fn end(&self, session: SessionId, state: SessionState, close_code: Option<u16>) {
        let store = self.store.clone();
        let journal = self.journal.clone();
        let ended = tokio::task::spawn_blocking(move || {
            let ending = Ending::from_state(&state, close_code, now_ms());
            store.end_session(session, &ending)?;
            journal.remove(session)?;
            Ok::<(), RecorderError>(())
        })
        .await;
        match ended {
            Ok(Ok(())) => info!(%session, "session end stored"),
            Ok(Err(error)) => {
                warn!(%session, %error, "session end not stored, the next start recovers it")
            }
            Err(error) => warn!(%session, %error, "session end task failed"),
        }
    }
}

/// A failure to open the records or to store a session's end.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    #[error(transparent)]
    Journal(#[from] crate::JournalError),
}

/// The journal of one session, as the session client sees it.
struct SessionJournal {
    journal: Arc<Journal>,
    session: SessionId,
    /// Held while the session client keeps this journal, which it does until the session ends.
    _lock: Option<SessionLock>,
}

impl FrameJournal for SessionJournal {
    fn append(&self, frame: &str) -> std::io::Result<()> {
        self.journal
            .append(self.session, frame)
            .map_err(std::io::Error::other)
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or_default()
}
