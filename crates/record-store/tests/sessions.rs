//! Storing sessions and reading them back.

mod common;

use std::str::FromStr;

use common::*;
use record_store::{
    Ending, Filter, FinalOutcome, NewSession, Outcome, RecordStore, SessionId, StoreError,
};
use rust_decimal::Decimal;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn ending(outcome: Outcome, at_ms: u64) -> Ending {
    Ending {
        outcome,
        server_message: None,
        code: None,
        close_code: Some(1000),
        detail: None,
        at_ms,
    }
}

#[test]
fn open_creates_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nested").join("data");

    let store = RecordStore::open(&data_dir).unwrap();

    assert_eq!(store.path(), data_dir.join("records.sqlite3"));
    assert!(store.path().is_file());
}

#[test]
fn final_list_round_trips_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    let list = final_list(HARD_FINAL_FRAME);

    let stored = store.record_final(session, &list, MAY_FIRST_2024_MS + 60_000);
    assert_eq!(stored.unwrap(), FinalOutcome::Stored);
    drop(store);

    // A fresh open proves the list is on disk, not in a cache.
    let store = RecordStore::open(dir.path()).unwrap();
    let loaded = store
        .load_session(session)
        .unwrap()
        .expect("session exists");
    let loaded_list = loaded.final_list.expect("final list stored");

    assert_eq!(loaded_list, list);
    assert_eq!(loaded_list.record_id, Some(900_000_000_000_000_001));

    // Decimal equality ignores scale, so compare the text too.
    let prices: Vec<(String, Option<String>)> = loaded_list
        .lines
        .iter()
        .map(|line| {
            (
                line.sale_price.unwrap().to_string(),
                line.cost_price.map(|price| price.to_string()),
            )
        })
        .collect();
    assert_eq!(
        prices,
        vec![
            ("6.50000".to_owned(), Some("3.10000".to_owned())),
            ("12345678901234.56789".to_owned(), Some("8.25".to_owned())),
            ("4.5".to_owned(), None),
            ("3.00".to_owned(), Some("1.10".to_owned())),
        ]
    );
    assert_eq!(loaded_list.lines[1].aisle_no, "0102");
    assert_eq!(loaded_list.lines[2].problems, list.lines[2].problems);
    assert!(!loaded_list.lines[2].problems.is_empty());
}

#[test]
fn summary_has_exact_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    store
        .record_final(
            session,
            &final_list(HARD_FINAL_FRAME),
            MAY_FIRST_2024_MS + 1,
        )
        .unwrap();

    let summary = store.load_session(session).unwrap().unwrap().summary;

    assert_eq!(summary.outcome, Outcome::Final);
    assert_eq!(summary.final_at_ms, Some(MAY_FIRST_2024_MS + 1));
    assert_eq!(summary.totals.line_count, 4);
    assert_eq!(summary.totals.added, 19);
    assert_eq!(summary.totals.removed, 4);
    assert_eq!(summary.totals.net, 15);
    assert_eq!(summary.totals.sale_value, dec("37037036703788.20"));
    assert_eq!(summary.totals.cost_value, dec("61.75"));
    assert!(summary.totals.incomplete, "the missing cost price marks it");
}

#[test]
fn same_record_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, first) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    let second = store
        .begin_session(&new_session(MAY_FIRST_2024_MS + 1000))
        .unwrap();
    let list = final_list(&three_drinks_frame(33116));

    let stored = store.record_final(first, &list, MAY_FIRST_2024_MS + 10);
    let again = store.record_final(second, &list, MAY_FIRST_2024_MS + 1010);

    assert_eq!(stored.unwrap(), FinalOutcome::Stored);
    assert_eq!(again.unwrap(), FinalOutcome::Duplicate { existing: first });

    let duplicate = store.load_session(second).unwrap().unwrap();
    assert_eq!(duplicate.summary.duplicate_of, Some(first));
    assert_eq!(duplicate.summary.outcome, Outcome::Final);
    assert_eq!(duplicate.summary.record_id, None);
    assert_eq!(duplicate.final_list, None);
    assert_eq!(duplicate.summary.totals.line_count, 0);

    let totals = store.totals(&Filter::default()).unwrap();
    assert_eq!(totals.session_count, 2);
    assert_eq!(totals.added, 30, "the duplicate adds nothing");
}

#[test]
fn same_record_from_other_host_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (store, first) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    let other_host = store
        .begin_session(&NewSession {
            endpoint_host: "127.0.0.1:9000".to_owned(),
            ..new_session(MAY_FIRST_2024_MS)
        })
        .unwrap();
    let list = final_list(&three_drinks_frame(7));

    assert_eq!(
        store.record_final(first, &list, 1).unwrap(),
        FinalOutcome::Stored
    );
    assert_eq!(
        store.record_final(other_host, &list, 2).unwrap(),
        FinalOutcome::Stored
    );
}

#[test]
fn recording_final_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    let list = final_list(EMPTY_FINAL_FRAME);

    store.record_final(session, &list, 5).unwrap();
    let again = store.record_final(session, &final_list(&three_drinks_frame(1)), 6);

    assert_eq!(
        again.unwrap(),
        FinalOutcome::Duplicate { existing: session }
    );
    let loaded = store.load_session(session).unwrap().unwrap();
    assert_eq!(loaded.final_list, Some(list));
    assert_eq!(loaded.summary.final_at_ms, Some(5));
}

#[test]
fn empty_final_list_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);

    store
        .record_final(session, &final_list(EMPTY_FINAL_FRAME), 5)
        .unwrap();

    let loaded = store.load_session(session).unwrap().unwrap();
    let list = loaded
        .final_list
        .expect("an empty list is still a final list");
    assert_eq!(list.record_id, None);
    assert!(list.lines.is_empty());
    assert_eq!(loaded.summary.outcome, Outcome::Final);
}

#[test]
fn end_session_stores_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);

    let outcome = store.end_session(
        session,
        &Ending {
            outcome: Outcome::Failure,
            server_message: Some("该设备已处于补货状态".to_owned()),
            code: Some(500),
            close_code: Some(1000),
            detail: None,
            at_ms: MAY_FIRST_2024_MS + 2000,
        },
    );

    assert_eq!(outcome.unwrap(), Outcome::Failure);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Failure);
    assert_eq!(
        summary.server_message.as_deref(),
        Some("该设备已处于补货状态")
    );
    assert_eq!(summary.code, Some(500));
    assert_eq!(summary.close_code, Some(1000));
    assert_eq!(summary.ended_at_ms, Some(MAY_FIRST_2024_MS + 2000));
}

#[test]
fn end_after_final_keeps_final() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);
    store
        .record_final(session, &final_list(&three_drinks_frame(1)), 100)
        .unwrap();

    let outcome = store.end_session(session, &ending(Outcome::ConnectionLost, 200));

    assert_eq!(outcome.unwrap(), Outcome::Final);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Final);
    assert_eq!(summary.close_code, Some(1000));
    assert_eq!(summary.ended_at_ms, Some(200));
}

#[test]
fn first_ending_stands() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);

    store
        .end_session(session, &ending(Outcome::Cancelled, 100))
        .unwrap();
    let second = store.end_session(session, &ending(Outcome::ConnectionLost, 200));

    assert_eq!(second.unwrap(), Outcome::Cancelled);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.ended_at_ms, Some(100));
}

#[test]
fn ending_in_progress_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = store_with_session(dir.path(), MAY_FIRST_2024_MS);

    let error = store
        .end_session(session, &ending(Outcome::InProgress, 1))
        .unwrap_err();

    assert!(matches!(error, StoreError::InvalidEnding { .. }), "{error}");
}

#[test]
fn unknown_session_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();

    let error = store
        .record_final(SessionId(99), &final_list(EMPTY_FINAL_FRAME), 1)
        .unwrap_err();

    assert!(
        matches!(error, StoreError::SessionNotFound(SessionId(99))),
        "{error}"
    );
    assert!(store.load_session(SessionId(99)).unwrap().is_none());
}

#[test]
fn time_beyond_i64_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();

    let error = store.begin_session(&new_session(u64::MAX)).unwrap_err();

    assert!(
        matches!(error, StoreError::TimeOutOfRange { .. }),
        "{error}"
    );
}
