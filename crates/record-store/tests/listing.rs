//! Listing, filtering and totalling stored sessions.

mod common;

use std::str::FromStr;

use common::*;
use record_store::{Ending, Filter, NewSession, Outcome, RecordStore, SessionId};
use rust_decimal::Decimal;

const HOUR_MS: u64 = 3_600_000;

/// Stores five sessions one hour apart: three final lists on two devices, a failure and a
/// cancelled session. Returns their ids in start order.
fn five_sessions(store: &RecordStore) -> Vec<SessionId> {
    let mut ids = Vec::new();
    let devices = [
        "181200005",
        "181200005",
        "181200006",
        "181200006",
        "181200005",
    ];
    for (index, device) in devices.iter().enumerate() {
        let id = store
            .begin_session(&NewSession {
                device_no: (*device).to_owned(),
                ..new_session(MAY_FIRST_2024_MS + index as u64 * HOUR_MS)
            })
            .unwrap();
        ids.push(id);
    }

    let at = |index: usize| MAY_FIRST_2024_MS + index as u64 * HOUR_MS + 60_000;
    store
        .record_final(ids[0], &final_list(&three_drinks_frame(1)), at(0))
        .unwrap();
    store
        .record_final(ids[1], &final_list(HARD_FINAL_FRAME), at(1))
        .unwrap();
    store
        .record_final(ids[2], &final_list(&three_drinks_frame(3)), at(2))
        .unwrap();
    for (index, outcome) in [(3, Outcome::Failure), (4, Outcome::Cancelled)] {
        store
            .end_session(
                ids[index],
                &Ending {
                    outcome,
                    server_message: None,
                    code: None,
                    close_code: Some(1000),
                    detail: None,
                    at_ms: at(index),
                },
            )
            .unwrap();
    }
    ids
}

fn ids_of(store: &RecordStore, filter: &Filter) -> Vec<SessionId> {
    store
        .list_sessions(filter)
        .unwrap()
        .iter()
        .map(|summary| summary.id)
        .collect()
}

#[test]
fn list_is_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let listed = ids_of(&store, &Filter::default());

    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(listed, expected);
}

#[test]
fn list_carries_totals() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let listed = store.list_sessions(&Filter::default()).unwrap();
    let three_drinks = listed.iter().find(|s| s.id == ids[0]).unwrap();

    assert_eq!(three_drinks.totals.added, 30);
    assert_eq!(three_drinks.totals.removed, 0);
    assert_eq!(
        three_drinks.totals.cost_value,
        Decimal::from_str("84.00").unwrap()
    );
    assert_eq!(
        three_drinks.totals.sale_value,
        Decimal::from_str("178.50").unwrap()
    );
    assert!(!three_drinks.totals.incomplete);
    assert_eq!(three_drinks.device_name.as_deref(), Some("一楼东门柜"));
}

#[test]
fn filter_by_device() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let filter = Filter {
        device_no: Some("181200006".to_owned()),
        ..Filter::default()
    };

    assert_eq!(ids_of(&store, &filter), vec![ids[3], ids[2]]);
}

#[test]
fn filter_by_time_range() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    // From the start of the second session (inclusive) to the start of the fourth (exclusive).
    let filter = Filter {
        from_ms: Some(MAY_FIRST_2024_MS + HOUR_MS),
        to_ms: Some(MAY_FIRST_2024_MS + 3 * HOUR_MS),
        ..Filter::default()
    };

    assert_eq!(ids_of(&store, &filter), vec![ids[2], ids[1]]);
}

#[test]
fn filter_by_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let filter = Filter {
        outcomes: vec![Outcome::Failure, Outcome::Cancelled],
        ..Filter::default()
    };

    assert_eq!(ids_of(&store, &filter), vec![ids[4], ids[3]]);
}

#[test]
fn filter_by_product_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let by_chinese = Filter {
        product_name_contains: Some("花生".to_owned()),
        ..Filter::default()
    };
    let by_ascii_any_case = Filter {
        product_name_contains: Some("cOLA".to_owned()),
        ..Filter::default()
    };
    let by_wildcard_text = Filter {
        product_name_contains: Some("%".to_owned()),
        ..Filter::default()
    };

    assert_eq!(ids_of(&store, &by_chinese), vec![ids[1]]);
    assert_eq!(ids_of(&store, &by_ascii_any_case), vec![ids[1]]);
    assert!(ids_of(&store, &by_wildcard_text).is_empty());
}

#[test]
fn filters_combine() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let filter = Filter {
        device_no: Some("181200005".to_owned()),
        outcomes: vec![Outcome::Final],
        product_name_contains: Some("可口可乐".to_owned()),
        ..Filter::default()
    };

    assert_eq!(ids_of(&store, &filter), vec![ids[0]]);
}

#[test]
fn totals_sum_filtered_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    five_sessions(&store);

    let all = store.totals(&Filter::default()).unwrap();
    let finals_of_device = store
        .totals(&Filter {
            device_no: Some("181200006".to_owned()),
            outcomes: vec![Outcome::Final],
            ..Filter::default()
        })
        .unwrap();

    assert_eq!(all.session_count, 5);
    assert_eq!(all.line_count, 3 + 4 + 3);
    assert_eq!(all.added, 30 + 19 + 30);
    assert_eq!(all.removed, 4);
    assert_eq!(all.net, 30 + 15 + 30);
    assert_eq!(
        all.sale_value,
        Decimal::from_str("37037036704145.20").unwrap()
    );
    assert_eq!(all.cost_value, Decimal::from_str("229.75").unwrap());
    assert!(all.incomplete);

    assert_eq!(finals_of_device.session_count, 1);
    assert_eq!(finals_of_device.added, 30);
    assert_eq!(
        finals_of_device.cost_value,
        Decimal::from_str("84.00").unwrap()
    );
    assert!(!finals_of_device.incomplete);
}

#[test]
fn load_sessions_includes_lists() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecordStore::open(dir.path()).unwrap();
    let ids = five_sessions(&store);

    let loaded = store
        .load_sessions(&Filter {
            outcomes: vec![Outcome::Final],
            ..Filter::default()
        })
        .unwrap();

    let loaded_ids: Vec<SessionId> = loaded.iter().map(|s| s.summary.id).collect();
    assert_eq!(loaded_ids, vec![ids[2], ids[1], ids[0]]);
    assert_eq!(loaded[1].final_list, Some(final_list(HARD_FINAL_FRAME)));
}
