//! Start-up recovery from the frame journal.

mod common;

use std::fs;

use common::*;
use record_store::{Ending, FinalOutcome, Journal, Outcome, RecordStore, SessionId};

const AT: u64 = MAY_FIRST_2024_MS;

fn open(dir: &std::path::Path) -> (RecordStore, Journal) {
    (RecordStore::open(dir).unwrap(), Journal::open(dir).unwrap())
}

#[test]
fn journaled_final_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal
        .append_at(session, DOOR_OPENED_FRAME, AT + 1_000)
        .unwrap();
    journal
        .append_at(session, HARD_FINAL_FRAME, AT + 90_000)
        .unwrap();

    let report = store.recover(&journal).unwrap();

    assert_eq!(report.recovered.len(), 1);
    let recovered = &report.recovered[0];
    assert_eq!(recovered.session, session);
    assert_eq!(recovered.outcome, Outcome::Final);
    assert_eq!(recovered.final_outcome, Some(FinalOutcome::Stored));
    assert_eq!(recovered.frames_replayed, 2);

    let loaded = store.load_session(session).unwrap().unwrap();
    assert_eq!(loaded.final_list, Some(final_list(HARD_FINAL_FRAME)));
    assert_eq!(loaded.summary.final_at_ms, Some(AT + 90_000));
    assert!(!journal.path_of(session).exists());
}

#[test]
fn door_failure_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal
        .append_at(session, DOOR_FAILED_FRAME, AT + 500)
        .unwrap();

    store.recover(&journal).unwrap();

    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::DoorFailed);
    assert_eq!(
        summary.server_message.as_deref(),
        Some("网络不畅,请稍后再试")
    );
    assert_eq!(summary.ended_at_ms, Some(AT + 500));
}

#[test]
fn failure_frame_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal.append_at(session, FAILURE_FRAME, AT + 500).unwrap();

    store.recover(&journal).unwrap();

    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Failure);
    assert_eq!(summary.server_message.as_deref(), Some("有人正在购物"));
}

#[test]
fn open_door_ends_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal
        .append_at(session, DOOR_OPENED_FRAME, AT + 500)
        .unwrap();

    let report = store.recover(&journal).unwrap();

    assert_eq!(report.recovered[0].outcome, Outcome::Interrupted);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Interrupted);
    assert_eq!(summary.ended_at_ms, None, "the end time is unknown");
    assert!(summary.detail.is_some());
    assert!(!journal.path_of(session).exists());
}

#[test]
fn session_without_journal_ends_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();

    let report = store.recover(&journal).unwrap();

    assert_eq!(report.recovered.len(), 1);
    assert_eq!(report.recovered[0].frames_replayed, 0);
    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Interrupted);
}

#[test]
fn journal_of_ended_session_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    let frame = three_drinks_frame(5);
    journal.append_at(session, &frame, AT + 10).unwrap();
    store
        .record_final(session, &final_list(&frame), AT + 10)
        .unwrap();

    let report = store.recover(&journal).unwrap();

    assert!(report.recovered.is_empty());
    assert_eq!(report.journals_removed, 1);
    assert!(!journal.path_of(session).exists());
    let loaded = store.load_session(session).unwrap().unwrap();
    assert_eq!(loaded.summary.totals.line_count, 3, "stored once");
}

#[test]
fn recovered_duplicate_is_not_stored_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let first = store.begin_session(&new_session(AT)).unwrap();
    let frame = three_drinks_frame(33116);
    store.record_final(first, &final_list(&frame), AT).unwrap();
    store
        .end_session(
            first,
            &Ending {
                outcome: Outcome::Final,
                server_message: None,
                code: None,
                close_code: Some(1000),
                detail: None,
                at_ms: AT + 1,
            },
        )
        .unwrap();
    let second = store.begin_session(&new_session(AT + 5_000)).unwrap();
    journal.append_at(second, &frame, AT + 6_000).unwrap();

    let report = store.recover(&journal).unwrap();

    assert_eq!(
        report.recovered[0].final_outcome,
        Some(FinalOutcome::Duplicate { existing: first })
    );
    let totals = store.totals(&Default::default()).unwrap();
    assert_eq!(totals.line_count, 3);
}

#[test]
fn unreadable_lines_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal.append_at(session, "not a frame", AT + 1).unwrap();
    journal
        .append_at(session, DOOR_OPENED_FRAME, AT + 2)
        .unwrap();
    journal
        .append_at(session, &three_drinks_frame(8), AT + 3)
        .unwrap();
    let mut text = fs::read_to_string(journal.path_of(session)).unwrap();
    text.push_str("{\"received_at_ms\":4,\"fr");
    fs::write(journal.path_of(session), text).unwrap();

    let report = store.recover(&journal).unwrap();

    let recovered = &report.recovered[0];
    assert_eq!(recovered.outcome, Outcome::Final);
    assert_eq!(recovered.frames_replayed, 2);
    assert_eq!(recovered.frames_skipped, 2, "one undecodable, one torn");
}

#[test]
fn frames_after_the_end_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal
        .append_at(session, DOOR_OPENED_FRAME, AT + 1)
        .unwrap();
    journal
        .append_at(session, &three_drinks_frame(9), AT + 2)
        .unwrap();
    journal.append_at(session, FAILURE_FRAME, AT + 3).unwrap();

    store.recover(&journal).unwrap();

    let summary = store.load_session(session).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Final);
    assert_eq!(summary.record_id, Some(9));
    assert_eq!(summary.final_at_ms, Some(AT + 2));
}

#[test]
fn orphaned_journal_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    journal
        .append_at(SessionId(77), &three_drinks_frame(1), AT)
        .unwrap();

    let report = store.recover(&journal).unwrap();

    assert_eq!(report.orphaned.len(), 1);
    assert!(report.orphaned[0].is_file(), "the frames are kept");
    assert!(journal.sessions().unwrap().is_empty());
    assert!(!journal.path_of(SessionId(77)).exists());
}

#[test]
fn second_recovery_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();
    journal
        .append_at(session, &three_drinks_frame(2), AT + 1)
        .unwrap();
    store.recover(&journal).unwrap();

    let again = store.recover(&journal).unwrap();

    assert!(again.recovered.is_empty());
    assert_eq!(again.journals_removed, 0);
    assert_eq!(store.totals(&Default::default()).unwrap().line_count, 3);
}

#[test]
fn locked_session_is_left_running() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let journaled = store.begin_session(&new_session(AT)).unwrap();
    let silent = store.begin_session(&new_session(AT + 1)).unwrap();
    let journaled_lock = journal.hold(journaled).unwrap();
    let silent_lock = journal.hold(silent).unwrap();
    journal
        .append_at(journaled, DOOR_OPENED_FRAME, AT + 500)
        .unwrap();

    // A second process opening the same folder finds both sessions running elsewhere.
    let (other_store, other_journal) = open(dir.path());
    let report = other_store.recover(&other_journal).unwrap();

    assert_eq!(report.recovered, Vec::new());
    for session in [journaled, silent] {
        let summary = store.load_session(session).unwrap().unwrap().summary;
        assert_eq!(summary.outcome, Outcome::InProgress, "session {session}");
    }
    assert!(
        journal.path_of(journaled).exists(),
        "the running session's journal was removed"
    );

    // Once the locks are released, as when their process dies, recovery finishes both.
    drop(journaled_lock);
    drop(silent_lock);
    let report = other_store.recover(&other_journal).unwrap();
    assert_eq!(report.recovered.len(), 2);
    let summary = store.load_session(journaled).unwrap().unwrap().summary;
    assert_eq!(summary.outcome, Outcome::Interrupted);
}

#[test]
fn second_hold_of_a_session_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (store, journal) = open(dir.path());
    let session = store.begin_session(&new_session(AT)).unwrap();

    let lock = journal.hold(session).unwrap();
    assert!(journal.hold(session).is_err());
    assert!(journal.is_held_elsewhere(session));

    drop(lock);
    assert!(!journal.is_held_elsewhere(session));
}
