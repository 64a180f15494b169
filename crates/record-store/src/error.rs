//! Errors of the record database and the frame journal.

use std::io;
use std::path::PathBuf;

use crate::outcome::Outcome;
use crate::session::SessionId;

/// A failure of the record database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}. Check that the folder is writable")]
    CreateDataDir { path: PathBuf, source: io::Error },

    #[error(
        "cannot open the record database {path}: {source}. Check that no other program holds \
         the file and that the disk is writable"
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "the record database {path} has schema version {found}, newer than version {supported} \
         that this build supports. Update Replenish Desk before opening it"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "migrating the record database from schema version {from} to {version} ({name}) failed: \
         {source}. The database stays at version {from}. Report this error with the log"
    )]
    Migration {
        from: i64,
        version: i64,
        name: &'static str,
        source: rusqlite::Error,
    },

    #[error("{action} failed: {source}")]
    Sqlite {
        action: String,
        source: rusqlite::Error,
    },

    #[error("session {0} was not found in the record database")]
    SessionNotFound(SessionId),

    #[error(
        "cannot end session {session} with outcome {outcome}: a session ends with an outcome \
         other than in_progress"
    )]
    InvalidEnding {
        session: SessionId,
        outcome: Outcome,
    },

    #[error(
        "time {at_ms} ms since the Unix epoch is out of range: the database stores at most \
         {max} ms",
        max = i64::MAX
    )]
    TimeOutOfRange { at_ms: u64 },

    #[error(
        "session {session} has an invalid stored value {value:?} in column {column}: {reason}. \
         Another program may have edited the database"
    )]
    InvalidStoredValue {
        session: SessionId,
        column: &'static str,
        value: String,
        reason: String,
    },

    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// A failure of the frame journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot lock the session file {path}: {source}; check that the folder is writable")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot create the journal folder {path}: {source}. Check that the data folder is writable"
    )]
    CreateDir { path: PathBuf, source: io::Error },

    #[error(
        "cannot append a frame to the journal {path}: {source}. The frame is not safe on disk, \
         so check the free disk space"
    )]
    Append { path: PathBuf, source: io::Error },

    #[error("cannot read the journal {path}: {source}")]
    Read { path: PathBuf, source: io::Error },

    #[error("cannot list the journal folder {path}: {source}")]
    List { path: PathBuf, source: io::Error },

    #[error(
        "cannot remove the journal {path}: {source}. Remove it by hand once the app is closed"
    )]
    Remove { path: PathBuf, source: io::Error },

    #[error("cannot move the journal {from} to {to}: {source}")]
    Move {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
}

/// Adds the action that failed to a SQLite error.
pub(crate) trait SqliteContext<T> {
    fn context(self, action: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T> SqliteContext<T> for Result<T, rusqlite::Error> {
    fn context(self, action: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite {
            action: action(),
            source,
        })
    }
}
