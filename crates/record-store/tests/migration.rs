//! Opening databases that an earlier build wrote: the version-1 schema as it shipped, with data
//! written the way that build wrote it, and an empty file.

mod common;

use std::path::Path;
use std::str::FromStr;

use common::*;
use record_store::{Ending, Filter, FinalOutcome, Outcome, RecordStore, SessionId};
use rusqlite::{params, Connection};
use rust_decimal::Decimal;

/// The version-1 schema, byte for byte as the first release shipped it.
const VERSION_1_SQL: &str = include_str!("../src/migrations/0001_sessions_and_lines.sql");

const DATABASE_FILE: &str = "records.sqlite3";

/// The schema version this build writes.
const LATEST_VERSION: i64 = 2;

/// Creates a version-1 database in `dir` with two sessions: a final list of two lines (record
/// 900000000000000001, prices with trailing zeros and 20 significant digits) and a refused
/// session. The rows are written with SQL, as the version-1 build wrote them.
fn write_version_1_database(dir: &Path) {
    let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
    connection.execute_batch(VERSION_1_SQL).unwrap();
    connection.pragma_update(None, "user_version", 1).unwrap();

    connection
        .execute(
            "INSERT INTO sessions (id, device_no, device_name, endpoint_host, started_at_ms, \
             ended_at_ms, outcome, close_code, record_id, final_at_ms) \
             VALUES (1, '181200005', '一楼东门柜', 'test.ssib.gzncloud.com', ?1, ?2, 'final', \
             1000, 900000000000000001, ?2)",
            params![MAY_FIRST_2024_MS as i64, MAY_FIRST_2024_MS as i64 + 60_000],
        )
        .unwrap();
    let line = "INSERT INTO lines (session_id, position, product_id, name, aisle_no, cabinet_no, \
                is_bulk, type_name, storage, add_quantity, add_quantity_revise, remove_quantity, \
                remove_quantity_revise, sale_price, cost_price, problems) \
                VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, '[]')";
    connection
        .execute(
            line,
            params![
                0,
                3297,
                "阿莎姆奶茶",
                "101",
                1,
                false,
                "饮料",
                41,
                13,
                13,
                0,
                0,
                "6.50000",
                "3.10000"
            ],
        )
        .unwrap();
    connection
        .execute(
            line,
            params![
                1,
                4001,
                "散装花生",
                "0102",
                1,
                true,
                "零食",
                7,
                5,
                4,
                1,
                1,
                "12345678901234.56789",
                "8.25"
            ],
        )
        .unwrap();

    connection
        .execute(
            "INSERT INTO sessions (id, device_no, endpoint_host, started_at_ms, ended_at_ms, \
             outcome, server_message, code) \
             VALUES (2, '181200006', 'test.ssib.gzncloud.com', ?1, ?1, 'failure', '有人正在购物', 1)",
            params![MAY_FIRST_2024_MS as i64 + 3_600_000],
        )
        .unwrap();
}

fn version_on_disk(dir: &Path) -> i64 {
    let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
    connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

fn index_names(dir: &Path) -> Vec<String> {
    let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
    let mut statement = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions'")
        .unwrap();
    let names = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap();
    names
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

#[test]
fn version_1_data_survives_migration() {
    let dir = tempfile::tempdir().unwrap();
    write_version_1_database(dir.path());

    let store = RecordStore::open(dir.path()).unwrap();

    assert_eq!(version_on_disk(dir.path()), LATEST_VERSION);
    assert!(index_names(dir.path()).contains(&"sessions_outcome_started".to_owned()));

    let final_session = store.load_session(SessionId(1)).unwrap().unwrap();
    let summary = &final_session.summary;
    assert_eq!(summary.outcome, Outcome::Final);
    assert_eq!(summary.record_id, Some(900_000_000_000_000_001));
    assert_eq!(summary.device_name.as_deref(), Some("一楼东门柜"));
    assert_eq!(summary.close_code, Some(1000));
    assert_eq!(summary.started_at_ms, MAY_FIRST_2024_MS);

    let lines = &final_session.final_list.as_ref().unwrap().lines;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].name, "阿莎姆奶茶");
    assert_eq!(lines[0].sale_price, Some(dec("6.50000")));
    assert_eq!(lines[0].sale_price.unwrap().scale(), 5);
    assert_eq!(lines[1].aisle_no, "0102");
    assert_eq!(lines[1].sale_price, Some(dec("12345678901234.56789")));
    assert_eq!(lines[1].add_quantity_revise, Some(4));

    // 13 - 0 and 4 - 1 settled pieces.
    assert_eq!(summary.totals.net, 16);
    assert_eq!(summary.totals.cost_value, dec("65.05"));

    let refused = store.load_session(SessionId(2)).unwrap().unwrap();
    assert_eq!(refused.summary.outcome, Outcome::Failure);
    assert_eq!(
        refused.summary.server_message.as_deref(),
        Some("有人正在购物")
    );
    assert!(refused.final_list.is_none());
}

#[test]
fn migrated_store_accepts_new_sessions() {
    let dir = tempfile::tempdir().unwrap();
    write_version_1_database(dir.path());
    let store = RecordStore::open(dir.path()).unwrap();

    // New ids follow the old ones, because AUTOINCREMENT never reuses an id.
    let session = store
        .begin_session(&new_session(MAY_FIRST_2024_MS + 7_200_000))
        .unwrap();
    assert_eq!(session, SessionId(3));

    // The same record id from the same server is a duplicate of the migrated session.
    let list = final_list(&three_drinks_frame(900_000_000_000_000_001));
    let stored = store
        .record_final(session, &list, MAY_FIRST_2024_MS + 7_260_000)
        .unwrap();
    assert_eq!(
        stored,
        FinalOutcome::Duplicate {
            existing: SessionId(1)
        }
    );

    let other = store
        .begin_session(&new_session(MAY_FIRST_2024_MS + 8_000_000))
        .unwrap();
    let ending = Ending {
        outcome: Outcome::DoorFailed,
        server_message: Some("网络不畅,请稍后再试".to_owned()),
        code: None,
        close_code: Some(1000),
        detail: None,
        at_ms: MAY_FIRST_2024_MS + 8_000_100,
    };
    store.end_session(other, &ending).unwrap();

    // The outcome filter reads through the new index and still returns exact results.
    let finals = store
        .list_sessions(&Filter {
            outcomes: vec![Outcome::Final],
            ..Filter::default()
        })
        .unwrap();
    let ids: Vec<i64> = finals.iter().map(|summary| summary.id.0).collect();
    assert_eq!(ids, [3, 1]);

    let door_failed = store
        .list_sessions(&Filter {
            outcomes: vec![Outcome::DoorFailed],
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(door_failed.len(), 1);
    assert_eq!(door_failed[0].id, other);
}

#[test]
fn empty_file_becomes_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DATABASE_FILE), b"").unwrap();

    let store = RecordStore::open(dir.path()).unwrap();

    assert_eq!(version_on_disk(dir.path()), LATEST_VERSION);
    let indexes = index_names(dir.path());
    for name in [
        "sessions_record_per_host",
        "sessions_started",
        "sessions_device_started",
        "sessions_outcome_started",
    ] {
        assert!(indexes.contains(&name.to_owned()), "{name} in {indexes:?}");
    }
    let session = store
        .begin_session(&new_session(MAY_FIRST_2024_MS))
        .unwrap();
    assert_eq!(session, SessionId(1));
}

#[test]
fn reopening_migrated_store_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_version_1_database(dir.path());
    let before = RecordStore::open(dir.path())
        .unwrap()
        .load_sessions(&Filter::default())
        .unwrap();

    let after = RecordStore::open(dir.path())
        .unwrap()
        .load_sessions(&Filter::default())
        .unwrap();

    assert_eq!(version_on_disk(dir.path()), LATEST_VERSION);
    assert_eq!(before, after);
    assert_eq!(after.len(), 2);
}
