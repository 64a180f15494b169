//! Opening the record database.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::StoreError;
use crate::migrations::{self, Migration, MIGRATIONS};

/// The file name of the database inside the data folder.
pub(crate) const DATABASE_FILE: &str = "records.sqlite3";

/// How long a write waits for another connection's lock, e.g. a second app instance's, before it
/// fails with SQLITE_BUSY. Writes here take milliseconds, so this only covers unusual contention.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The record database of every session on this PC.
///
/// All methods take `&self`: one connection behind a mutex serializes the calls, so an
/// `Arc<RecordStore>` can be shared between blocking tasks.
#[derive(Debug)]
pub struct RecordStore {
    connection: Mutex<Connection>,
    path: PathBuf,
}

impl RecordStore {
    /// Opens `records.sqlite3` in `data_dir`, creating the folder and the file if missing, and
    /// migrates it to the latest schema version.
    pub fn open(data_dir: &Path) -> Result<RecordStore, StoreError> {
        Self::open_with_migrations(data_dir, MIGRATIONS)
    }

    /// Returns whether `data_dir` contains a record database, so a reader can report an empty or
    /// mistyped folder without creating a database in it.
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(DATABASE_FILE).is_file()
    }

    /// Opens the database with a given list of migrations, so tests can add a later version.
    pub(crate) fn open_with_migrations(
        data_dir: &Path,
        migrations: &[Migration],
    ) -> Result<RecordStore, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| {
            tracing::error!(path = %data_dir.display(), error = %source, "cannot create the data folder");
            StoreError::CreateDataDir {
                path: data_dir.to_owned(),
                source,
            }
        })?;

        let path = data_dir.join(DATABASE_FILE);
        let mut connection = Connection::open(&path)
            .and_then(|connection| configure(&connection, &path).map(|()| connection))
            .map_err(|source| {
                tracing::error!(path = %path.display(), error = %source, "cannot open the record database");
                StoreError::Open {
                    path: path.clone(),
                    source,
                }
            })?;

        let version = migrations::migrate(&mut connection, migrations, &path)?;
        tracing::info!(path = %path.display(), schema_version = version, "opened the record database");

        Ok(RecordStore {
            connection: Mutex::new(connection),
            path,
        })
    }

    /// Returns the path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Locks the connection. A panic in another call cannot leave a transaction open, because
    /// rusqlite rolls back a transaction when it is dropped, so a poisoned lock is still usable.
    pub(crate) fn connection(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Sets the connection's durability and integrity settings.
fn configure(connection: &Connection, path: &Path) -> Result<(), rusqlite::Error> {
    connection.busy_timeout(BUSY_TIMEOUT)?;

    // WAL lets readers run while a write commits, and a commit is one append to the log.
    let mode: String =
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some network file systems cannot share memory for WAL. The rollback journal SQLite
        // keeps instead is just as safe, only slower.
        tracing::warn!(path = %path.display(), journal_mode = %mode, "WAL mode is not available; using SQLite's journal mode");
    }

    // FULL syncs the log on every commit, so a committed final list survives a power loss. In
    // WAL mode NORMAL may lose the last commits on power loss, which this store must not.
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_is_durable() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecordStore::open(dir.path()).unwrap();
        let connection = store.connection();
        let pragma = |name: &str| -> String {
            connection
                .pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
                .map(|value| match value {
                    rusqlite::types::Value::Integer(number) => number.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };

        assert_eq!(pragma("journal_mode"), "wal");
        // 2 is FULL.
        assert_eq!(pragma("synchronous"), "2");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(pragma("busy_timeout"), "5000");
    }

    #[test]
    fn lines_need_their_session() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecordStore::open(dir.path()).unwrap();

        let result = store.connection().execute(
            "INSERT INTO lines (session_id, position, name, aisle_no, is_bulk) \
             VALUES (42, 0, 'x', '101', 0)",
            [],
        );

        assert!(result.is_err(), "the foreign key rejects a missing session");
    }
}
