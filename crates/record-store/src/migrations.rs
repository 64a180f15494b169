//! Versioned schema migrations, tracked in SQLite's `PRAGMA user_version`.
//!
//! Each migration is one SQL script. It runs in its own transaction together with the version
//! bump, so a crash or an error leaves the database at the previous version, never half migrated.
//! To change the schema, append a script. Never edit one that has shipped, because databases
//! already at its version would not run the change.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::StoreError;

/// One schema change: the script that takes the database from `version - 1` to `version`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. The last version is the one this build writes.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "sessions and lines",
        sql: include_str!("migrations/0001_sessions_and_lines.sql"),
    },
    Migration {
        version: 2,
        name: "outcome index",
        sql: include_str!("migrations/0002_outcome_index.sql"),
    },
];

/// Returns the schema version this build writes.
pub(crate) fn latest_version(migrations: &[Migration]) -> i64 {
    migrations.last().map_or(0, |migration| migration.version)
}

/// Reads the schema version stored in the database file.
pub(crate) fn current_version(connection: &Connection) -> Result<i64, rusqlite::Error> {
    connection.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies every migration newer than the database, in order.
///
/// Returns the version the database is at afterwards. A database newer than `migrations` is
/// rejected with [`StoreError::NewerSchema`] and left as it is.
pub(crate) fn migrate(
    connection: &mut Connection,
    migrations: &[Migration],
    path_for_errors: &std::path::Path,
) -> Result<i64, StoreError> {
    let supported = latest_version(migrations);
    let mut version = current_version(connection).map_err(|source| StoreError::Open {
        path: path_for_errors.to_owned(),
        source,
    })?;

    if version > supported {
        tracing::error!(
            path = %path_for_errors.display(),
            found = version,
            supported,
            "the record database is newer than this build"
        );
        return Err(StoreError::NewerSchema {
            path: path_for_errors.to_owned(),
            found: version,
            supported,
        });
    }

    let pending: Vec<&Migration> = migrations.iter().filter(|m| m.version > version).collect();
    for migration in pending {
        let applied = apply(connection, migration).map_err(|source| {
            tracing::error!(
                from = version,
                to = migration.version,
                name = migration.name,
                error = %source,
                "schema migration failed"
            );
            StoreError::Migration {
                from: version,
                version: migration.version,
                name: migration.name,
                source,
            }
        })?;

        if applied {
            tracing::info!(
                from = version,
                to = migration.version,
                name = migration.name,
                "migrated the record database"
            );
        }
        version = migration.version;
    }

    Ok(version)
}

/// Applies one migration unless another connection applied it first. Returns whether it ran.
fn apply(connection: &mut Connection, migration: &Migration) -> Result<bool, rusqlite::Error> {
    // IMMEDIATE takes the write lock before reading the version, so two app instances starting
    // at once cannot both run the same script.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if current_version(&transaction)? >= migration.version {
        return Ok(false);
    }

    transaction.execute_batch(migration.sql)?;

    // The version lives in the database header, which SQLite writes in the same transaction.
    transaction.pragma_update(None, "user_version", migration.version)?;

    transaction.commit()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::session::NewSession;
    use crate::store::{RecordStore, DATABASE_FILE};

    /// A later version as a future build might add it: a column with a value for old rows.
    const TEST_NEXT: Migration = Migration {
        version: 3,
        name: "session notes",
        sql: "ALTER TABLE sessions ADD COLUMN note TEXT; UPDATE sessions SET note = 'before v2';",
    };

    const FAILING_NEXT: Migration = Migration {
        version: 3,
        name: "broken",
        sql: "ALTER TABLE sessions ADD COLUMN half_done TEXT; SELECT no_such_function();",
    };

    fn version_on_disk(dir: &std::path::Path) -> i64 {
        let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
        current_version(&connection).unwrap()
    }

    fn columns_of_sessions(dir: &std::path::Path) -> Vec<String> {
        let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
        let mut statement = connection
            .prepare("SELECT name FROM pragma_table_info('sessions')")
            .unwrap();
        let names = statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<Vec<String>, _>>()
            .unwrap();
        names
    }

    fn session() -> NewSession {
        NewSession {
            device_no: "181200005".to_owned(),
            device_name: None,
            endpoint_host: "localhost".to_owned(),
            started_at_ms: 1,
        }
    }

    #[test]
    fn empty_folder_migrates_to_latest() {
        let dir = tempfile::tempdir().unwrap();

        RecordStore::open(dir.path()).unwrap();

        assert_eq!(version_on_disk(dir.path()), latest_version(MIGRATIONS));
        assert!(columns_of_sessions(dir.path()).contains(&"record_id".to_owned()));
    }

    #[test]
    fn empty_file_migrates_to_latest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DATABASE_FILE), b"").unwrap();

        RecordStore::open(dir.path()).unwrap();

        assert_eq!(version_on_disk(dir.path()), latest_version(MIGRATIONS));
        assert!(columns_of_sessions(dir.path()).contains(&"record_id".to_owned()));
    }

    #[test]
    fn reopening_runs_nothing_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecordStore::open(dir.path()).unwrap();
        let id = store.begin_session(&session()).unwrap();
        drop(store);

        let store = RecordStore::open(dir.path()).unwrap();

        assert!(store.load_session(id).unwrap().is_some());
        assert_eq!(version_on_disk(dir.path()), latest_version(MIGRATIONS));
    }

    #[test]
    fn version_1_gains_outcome_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecordStore::open_with_migrations(dir.path(), &MIGRATIONS[..1]).unwrap();
        let id = store.begin_session(&session()).unwrap();
        drop(store);
        assert_eq!(version_on_disk(dir.path()), 1);

        let store = RecordStore::open(dir.path()).unwrap();

        assert_eq!(version_on_disk(dir.path()), 2);
        assert!(store.load_session(id).unwrap().is_some());
        let plan: Vec<String> = {
            let connection = store.connection();
            let mut statement = connection
                .prepare("EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE outcome = 'in_progress'")
                .unwrap();
            let details = statement
                .query_map([], |row| row.get::<_, String>(3))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            details
        };
        assert!(
            plan.iter()
                .any(|detail| detail.contains("sessions_outcome_started")),
            "{plan:?}"
        );
    }

    #[test]
    fn latest_migrates_to_next_keeping_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecordStore::open_with_migrations(dir.path(), MIGRATIONS).unwrap();
        let id = store.begin_session(&session()).unwrap();
        drop(store);

        let mut migrations = MIGRATIONS.to_vec();
        migrations.push(TEST_NEXT);
        let store = RecordStore::open_with_migrations(dir.path(), &migrations).unwrap();

        assert_eq!(version_on_disk(dir.path()), 3);
        assert!(store.load_session(id).unwrap().is_some());
        let note: String = store
            .connection()
            .query_row("SELECT note FROM sessions WHERE id = ?1", [id.0], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(note, "before v2");
    }

    #[test]
    fn failed_migration_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        drop(RecordStore::open(dir.path()).unwrap());

        let mut migrations = MIGRATIONS.to_vec();
        migrations.push(FAILING_NEXT);
        let error = RecordStore::open_with_migrations(dir.path(), &migrations).unwrap_err();

        assert!(
            matches!(
                error,
                StoreError::Migration {
                    from: 2,
                    version: 3,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(version_on_disk(dir.path()), 2);
        assert!(!columns_of_sessions(dir.path()).contains(&"half_done".to_owned()));
    }

    #[test]
    fn newer_database_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        drop(RecordStore::open(dir.path()).unwrap());
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        connection.pragma_update(None, "user_version", 9).unwrap();
        drop(connection);

        let error = RecordStore::open(dir.path()).unwrap_err();

        assert!(
            matches!(
                error,
                StoreError::NewerSchema {
                    found: 9,
                    supported: 2,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(version_on_disk(dir.path()), 9);
    }
}
